import type { Db } from '../db/connect.js';
import type { AuditEventRow } from '../db/rows.js';

export type AuditEventName =
  | 'sign_in'
  | 'sign_in_refused'
  | 'sign_out'
  | 'session_ended'
  | 'sessions_ended'
  | 'token_created'
  | 'token_revoked'
  | 'invitation_created'
  | 'invitation_withdrawn'
  | 'reset'
  | 'restore';

export interface AuditEvent {
  event: AuditEventName;
  /** Whose event it is (null: the instance's, e.g. a stranger refused). */
  accountId: string | null;
  /** Who did it: an account id, `operator` or `cli`. */
  actor: string;
  /** What it concerned: a token's name, a device. Never a secret. */
  detail?: string;
  client?: string | null;
  at: Date;
}

/** Writes one line of the security log. */
export async function recordAuditEvent(db: Db, event: AuditEvent): Promise<void> {
  await db('audit_events').insert({
    at: event.at,
    account_id: event.accountId,
    event: event.event,
    actor: event.actor.slice(0, 200),
    detail: (event.detail ?? '').slice(0, 300),
    client: event.client?.slice(0, 100) ?? null,
  });
}

export type AuditLine = Pick<AuditEventRow, 'id' | 'at' | 'account_id' | 'event' | 'actor' | 'detail' | 'client'>;

/** The latest lines: one person's (their account's events), or the whole instance's (undefined). */
export async function listAuditEvents(db: Db, accountId: string | undefined, limit = 100): Promise<AuditLine[]> {
  const query = db('audit_events').orderBy('id', 'desc').limit(limit).select('id', 'at', 'account_id', 'event', 'actor', 'detail', 'client');
  if (accountId !== undefined) query.where({ account_id: accountId });
  return query;
}
