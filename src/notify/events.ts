/**
 * The notification events (DESIGN.md, notifications) and what each says. Messages name the account
 * (its Spotify display name) and what to do; never a token, never what anyone listened to.
 */

export const notifyEvents = ['sync_complete', 'needs_reauth', 'login_expiring', 'stalled', 'import_complete', 'restore_complete', 'failed'] as const;
export type NotifyEvent = (typeof notifyEvents)[number];

/** `test` is the event of `notify-test`'s message. */
export type NotifyEventOrTest = NotifyEvent | 'test';

/** The JSON body of a `json://` target (contract): exactly these fields. */
export interface NotificationBody {
  event: NotifyEventOrTest;
  accountId: string | null;
  displayName: string | null;
  /** When the event happened, ISO 8601. */
  at: string;
  message: string;
  /** The page to open about it. */
  url: string | null;
}

const titles: Record<NotifyEventOrTest, string> = {
  sync_complete: 'sync complete',
  needs_reauth: 'log in again',
  login_expiring: 'login ending soon',
  stalled: 'sync stalled',
  import_complete: 'history import complete',
  restore_complete: 'restore complete',
  failed: 'failed',
  test: 'test message',
};

/** A short title (ASCII, so it fits an HTTP header as ntfy takes it). */
export function notificationTitle(event: NotifyEventOrTest): string {
  return `spotify-sync: ${titles[event]}`;
}

/** How urgent an event is: `success`, `info` or `warning`/`failure` (Apprise's types; ntfy's tags and priority follow). */
export function notificationSeverity(event: NotifyEventOrTest): 'success' | 'info' | 'warning' | 'failure' {
  if (event === 'sync_complete' || event === 'import_complete' || event === 'restore_complete') return 'success';
  if (event === 'failed') return 'failure';
  if (event === 'needs_reauth' || event === 'login_expiring' || event === 'stalled') return 'warning';
  return 'info';
}

const dayMs = 86_400_000;
const day = (d: Date): string => d.toISOString().slice(0, 10);

/** What one event says; `name` is the account's display name (or its id). */
export type EventFacts =
  | { event: 'sync_complete'; name: string }
  | { event: 'needs_reauth'; name: string; loginMessage: string | null }
  | { event: 'login_expiring'; name: string; expiresAt: Date; now: Date }
  | { event: 'stalled'; name: string; since: Date; hours: number }
  | { event: 'import_complete'; name: string; importId: string }
  | { event: 'restore_complete'; name: string; restoreId: string }
  | { event: 'failed'; name: string; what: string };

export function notificationMessage(facts: EventFacts): string {
  switch (facts.event) {
    case 'sync_complete':
      return `The first sync of ${facts.name}'s Spotify library is complete. From now on the incremental sync keeps it fresh.`;
    case 'needs_reauth':
      return `Spotify refused the login of ${facts.name}: the sync waits until someone logs in again. ${facts.loginMessage ?? 'Log in again; the sync resumes where it stopped.'}`;
    case 'login_expiring': {
      const days = Math.max(0, Math.ceil((facts.expiresAt.getTime() - facts.now.getTime()) / dayMs));
      const when = days === 0 ? 'any moment now' : `on ${day(facts.expiresAt)} (in ${days} day${days === 1 ? '' : 's'})`;
      return `Spotify ends the login of ${facts.name} ${when}, six months after it was made. Log in again before then to keep syncing.`;
    }
    case 'stalled':
      return (
        `The sync of ${facts.name} has made no progress for ${facts.hours} hours (since ${facts.since.toISOString()}) and is not waiting on a ` +
        'Spotify limit. Check that the worker runs, and the workflow in the Temporal UI.'
      );
    case 'import_complete':
      return `The history import ${facts.importId} of ${facts.name} is complete.`;
    case 'restore_complete':
      return `The restore ${facts.restoreId} of ${facts.name} is complete.`;
    case 'failed':
      return `The ${facts.what} of ${facts.name} failed. The status page and the worker's log say more.`;
  }
}

export const testMessage = 'A test message from spotify-sync (npm run cli -- notify-test): this target receives its notifications.';
