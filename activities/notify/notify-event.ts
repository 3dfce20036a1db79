import { ApplicationFailure, log } from '@temporalio/activity';
import { loginStatus } from '../../src/accounts/login-status.js';
import { deliverNotification, describeFailedTargets, failedAttempts } from '../../src/notify/deliver.js';
import { notificationMessage, type EventFacts, type NotifyEvent } from '../../src/notify/events.js';
import { instanceLink } from '../../src/notify/links.js';
import { recordNotification } from '../../src/notify/notification-store.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';
import { loadNotifiedAccount, type NotifiedAccount } from '../store/notification-facts.js';

/** What a workflow says happened; the activity finds the rest (the name, the login) in Postgres. */
export type NotifyEventInput =
  | { accountId: string; event: 'sync_complete'; occasion: string }
  | { accountId: string; event: 'needs_reauth' }
  | { accountId: string; event: 'import_complete'; importId: string }
  | { accountId: string; event: 'restore_complete'; restoreId: string }
  | { accountId: string; event: 'failed'; occasion: string; what: string };

/** An event the activities raise themselves (the periodic check): its facts and occasion are known. */
export interface RaisedEvent {
  event: NotifyEvent;
  occasion: string;
  facts: EventFacts;
  url: string;
}

const nameOf = (account: NotifiedAccount): string => account.display_name ?? account.id;

/** The login an event is about: a new login is a new occasion. */
export const loginOccasion = (account: Pick<NotifiedAccount, 'authorized_at'>): string => new Date(account.authorized_at).toISOString();

function raisedFrom(deps: ActivityDeps, input: NotifyEventInput, account: NotifiedAccount, now: Date): RaisedEvent {
  const name = nameOf(account);
  const status = instanceLink(deps.config, '/sync-status', { accountId: account.id });
  switch (input.event) {
    case 'sync_complete':
      return { event: input.event, occasion: input.occasion, facts: { event: input.event, name }, url: instanceLink(deps.config, '/library', { accountId: account.id }) };
    case 'needs_reauth': {
      // Every workflow of the account meets the same refused login: one message per login and reason.
      const login = loginStatus(account, now);
      return {
        event: input.event,
        occasion: `${loginOccasion(account)} ${account.login_problem ?? 'invalid_grant'}`,
        facts: { event: input.event, name, loginMessage: login.message },
        url: instanceLink(deps.config, '/auth/login'),
      };
    }
    case 'import_complete':
      return { event: input.event, occasion: input.importId, facts: { event: input.event, name, importId: input.importId }, url: status };
    case 'restore_complete':
      return { event: input.event, occasion: input.restoreId, facts: { event: input.event, name, restoreId: input.restoreId }, url: status };
    case 'failed':
      return { event: input.event, occasion: input.occasion, facts: { event: input.event, name, what: input.what }, url: status };
  }
}

/**
 * Records the event once (its account, event and occasion) and sends it to every target that lacks it.
 * Throws (so the activity's retry policy tries again) while a target fails; a retry sends only to those.
 */
export async function deliverRaisedEvent(deps: ActivityDeps, account: NotifiedAccount, raised: RaisedEvent): Promise<void> {
  const row = await recordNotification(deps.db, {
    accountId: account.id,
    event: raised.event,
    occasion: raised.occasion,
    message: notificationMessage(raised.facts),
    url: raised.url,
    at: nowOf(deps),
  });
  if (row.delivered_at !== null) return;
  const failed = failedAttempts(await deliverNotification({ db: deps.db, targets: deps.config.notify.targets, now: () => nowOf(deps) }, row, account.display_name));
  if (failed.length > 0) {
    throw ApplicationFailure.create({ type: 'NotificationNotDelivered', message: `${raised.event} not delivered to ${describeFailedTargets(failed)}` });
  }
  log.info(`notification sent: ${raised.event}`, { accountId: account.id });
}

/** The notify activity the workflows call (DESIGN.md, notifications): nothing to do without NOTIFY_URLS. */
export async function notifyEvent(deps: ActivityDeps, input: NotifyEventInput): Promise<void> {
  if (deps.config.notify.targets.length === 0) return;
  const account = await loadNotifiedAccount(deps.db, input.accountId);
  if (!account) return;
  await deliverRaisedEvent(deps, account, raisedFrom(deps, input, account, nowOf(deps)));
}
