import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connect.js';
import type { SessionRow } from '../db/rows.js';
import { hashSecret, newSecret } from './secrets.js';

/** Sessions end after 30 days unused, and 180 days after they began, whatever happens (DESIGN.md). */
export const sessionLifetime = { idleDays: 30, absoluteDays: 180 };

const dayMs = 86_400_000;
/** last_seen_at is written at most this often: a page load is not a write. */
const touchEveryMs = 60_000;

export type ActiveSession = Pick<SessionRow, 'id' | 'account_id' | 'device' | 'created_at' | 'last_seen_at'>;

/** When a session stops being accepted: the earlier of its idle and absolute limits. */
export function sessionExpiresAt(session: Pick<SessionRow, 'created_at' | 'last_seen_at'>): Date {
  const idle = session.last_seen_at.getTime() + sessionLifetime.idleDays * dayMs;
  const absolute = session.created_at.getTime() + sessionLifetime.absoluteDays * dayMs;
  return new Date(Math.min(idle, absolute));
}

/** Opens a session: the cookie value is returned once; only its hash is stored. */
export async function openSession(db: Db, input: { accountId: string | null; device: string; now: Date }): Promise<{ id: string; cookie: string }> {
  const cookie = newSecret();
  const id = randomUUID();
  await db('sessions').insert({
    id,
    token_hash: hashSecret(cookie),
    account_id: input.accountId,
    device: input.device.slice(0, 120),
    created_at: input.now,
    last_seen_at: input.now,
  });
  return { id, cookie };
}

/** The session a cookie names, if it is still accepted (not ended, not expired); its last use is recorded. */
export async function findActiveSession(db: Db, cookie: string, now: Date): Promise<ActiveSession | null> {
  const row = await db('sessions')
    .where({ token_hash: hashSecret(cookie) })
    .whereNull('ended_at')
    .first('id', 'account_id', 'device', 'created_at', 'last_seen_at');
  if (!row || sessionExpiresAt(row).getTime() <= now.getTime()) return null;
  if (now.getTime() - row.last_seen_at.getTime() > touchEveryMs) {
    await db('sessions').where({ id: row.id }).update({ last_seen_at: now });
    row.last_seen_at = now;
  }
  return row;
}

/** The sessions still open: a person's (accountId), the operator's (null), or every one (undefined). */
export async function listOpenSessions(db: Db, accountId: string | null | undefined, now: Date): Promise<ActiveSession[]> {
  const query = db('sessions').whereNull('ended_at').orderBy('last_seen_at', 'desc').select('id', 'account_id', 'device', 'created_at', 'last_seen_at');
  if (accountId === null) query.whereNull('account_id');
  else if (accountId !== undefined) query.where({ account_id: accountId });
  return (await query).filter((s) => sessionExpiresAt(s).getTime() > now.getTime());
}

/** Ends one session (sign-out, or ended from the security page); whether it was open. `owner` limits it to one person's sessions. */
export async function endSession(db: Db, id: string, now: Date, owner?: { accountId: string | null }): Promise<ActiveSession | null> {
  const query = db('sessions').where({ id }).whereNull('ended_at');
  if (owner) {
    if (owner.accountId === null) query.whereNull('account_id');
    else query.where({ account_id: owner.accountId });
  }
  const [row] = await query.update({ ended_at: now }).returning(['id', 'account_id', 'device', 'created_at', 'last_seen_at']);
  return row ?? null;
}

/** Ends every open session of a person (or of the operator: null), but `except` (the one asking, when it keeps its own). */
export async function endSessionsOf(db: Db, accountId: string | null, now: Date, except?: string): Promise<number> {
  const query = db('sessions').whereNull('ended_at');
  if (accountId === null) query.whereNull('account_id');
  else query.where({ account_id: accountId });
  if (except) query.whereNot({ id: except });
  return query.update({ ended_at: now });
}

/** A short description of a browser from its User-Agent (no version numbers: enough to tell devices apart). */
export function describeDevice(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : /curl\//i.test(userAgent)
            ? 'curl'
            : 'a browser';
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return system ? `${browser} on ${system}` : browser;
}
