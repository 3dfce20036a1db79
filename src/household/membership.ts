import type { Db } from '../db/connect.js';
import type { HouseholdRole } from '../db/rows.js';

export interface Person {
  accountId: string;
  displayName: string | null;
  role: HouseholdRole;
}

/** Whether the instance is a household: someone signed in with Spotify or got a personal token. From then on it needs a session or token. */
export async function householdExists(db: Db): Promise<boolean> {
  return (await db('accounts').whereNotNull('joined_at').first('id')) !== undefined;
}

/** The person an account is (its role), or null for an account that is not connected. */
export async function findPerson(db: Db, accountId: string): Promise<Person | null> {
  const row = await db('accounts').where({ id: accountId }).first('id', 'display_name', 'role');
  return row ? { accountId: row.id, displayName: row.display_name, role: row.role } : null;
}

/** Everyone in the household, the owner first. */
export async function listPeople(db: Db): Promise<(Person & { joinedAt: Date | null })[]> {
  const rows = await db('accounts').orderByRaw(`role = 'owner' desc, connected_at, id`).select('id', 'display_name', 'role', 'joined_at');
  return rows.map((r) => ({ accountId: r.id, displayName: r.display_name, role: r.role, joinedAt: r.joined_at }));
}

/** The person signed in (or got a token): the household is formed, if it was not. */
export async function markJoined(db: Db, accountId: string, now: Date): Promise<void> {
  await db('accounts').where({ id: accountId }).whereNull('joined_at').update({ joined_at: now });
}

export type Admission = { admitted: true; via: 'known' | 'first' | 'allowed' | 'invitation' | 'operator' } | { admitted: false };

/**
 * Who may join by signing in with Spotify (DESIGN.md, a household): an account already connected; the
 * first account of an instance without API_TOKEN (it becomes the owner); one listed in ALLOWED_ACCOUNTS;
 * one whose login came through an owner's invitation; or any, when the operator (API_TOKEN) started the
 * login. Anyone else is refused. With ALLOWED_ACCOUNTS set, the first account must be listed too.
 */
export function admission(input: {
  known: boolean;
  anyAccount: boolean;
  apiTokenSet: boolean;
  allowedAccounts: readonly string[] | undefined;
  accountId: string;
  invitation: boolean;
  operator: boolean;
}): Admission {
  if (input.known) return { admitted: true, via: 'known' };
  if (input.operator) return { admitted: true, via: 'operator' };
  if (input.allowedAccounts?.includes(input.accountId)) return { admitted: true, via: 'allowed' };
  if (input.invitation) return { admitted: true, via: 'invitation' };
  if (!input.anyAccount && !input.apiTokenSet && input.allowedAccounts === undefined) return { admitted: true, via: 'first' };
  return { admitted: false };
}
