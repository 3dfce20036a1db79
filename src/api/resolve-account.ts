import type { Db } from '../db/connect.js';
import { type AccountSummary, listAccounts } from '../status/read-status.js';
import { type Caller, currentCaller } from './caller.js';
import { missingCredentialError, refusalOf } from './caller-gate.js';
import { ApiError } from './errors.js';

/**
 * The one rule of which account a request may mean (DESIGN.md, a household). Every route that names
 * an account (`?accountId=`, a form field, an import's or a session's account) asks one of the
 * functions below, which read the caller the gate identified (caller-gate.ts):
 * - an open instance and the operator (API_TOKEN) mean any account: the one named, or the only one;
 * - a person means their own account, named or not; another account is 404, exactly as an unknown
 *   one, so nobody learns which ids exist;
 * - the owner also sees every account's sync status and controls (`status`, `control`), never another
 *   person's library, history, exports or imports (`read`).
 */
export type AccountNeed = 'read' | 'status' | 'control';

export const noAccountsError = () => new ApiError(404, 'no_accounts', 'No account connected yet: log in at /auth/login or run npm run cli -- connect');

const unknownAccountError = (accountId: string, known: AccountSummary[] | null) =>
  new ApiError(
    404,
    'unknown_account',
    known === null ? `No account with id "${accountId}"` : `No account with id "${accountId}"; connected: ${known.map((a) => a.accountId).join(', ') || 'none'}`,
  );

async function callerOrRefusal(): Promise<Exclude<Caller, { kind: 'anonymous' }>> {
  const caller = await currentCaller();
  if (caller.kind === 'anonymous') throw caller.refused === 'missing' ? missingCredentialError() : refusalOf(caller);
  return caller;
}

/** Whether a caller may reach an account for a need (the account may not exist: callers check). */
export function callerMayReach(caller: Caller, accountId: string, need: AccountNeed): boolean {
  if (caller.kind === 'open' || caller.kind === 'operator') return true;
  if (caller.kind !== 'person') return false;
  return caller.accountId === accountId || (need !== 'read' && caller.role === 'owner');
}

/** The accounts the caller may reach for a need: 'every', or the ids (a person's own). */
export async function reachableAccounts(need: AccountNeed): Promise<'every' | string[]> {
  const caller = await callerOrRefusal();
  if (caller.kind === 'person' && !(need !== 'read' && caller.role === 'owner')) return [caller.accountId];
  return 'every';
}

/**
 * Which account a request means for a need: the one named, or (no name) the caller's own, or the only
 * one. With several and none named, the caller decides (status lists them; the others refuse).
 */
export async function resolveAccount(db: Db, accountId: string | undefined, need: AccountNeed = 'status'): Promise<{ accountId: string } | { several: AccountSummary[] }> {
  const caller = await callerOrRefusal();
  if (caller.kind === 'person') {
    if (accountId === undefined || accountId === caller.accountId) return { accountId: caller.accountId };
    if (callerMayReach(caller, accountId, need) && (await db('accounts').where({ id: accountId }).first('id'))) return { accountId };
    throw unknownAccountError(accountId, null);
  }
  if (accountId !== undefined) {
    const exists = await db('accounts').where({ id: accountId }).first('id');
    if (exists) return { accountId };
    throw unknownAccountError(accountId, await listAccounts(db));
  }
  const accounts = await listAccounts(db);
  if (accounts.length === 0) throw noAccountsError();
  if (accounts.length === 1) return { accountId: accounts[0]!.accountId };
  return { several: accounts };
}

/** For controls (and imports, which add to an account): the account named, or the caller's, or the only one; several and none named is a 400. */
export async function resolveControlAccount(db: Db, accountId: string | undefined): Promise<string> {
  const resolved = await resolveAccount(db, accountId, 'control');
  if ('accountId' in resolved) return resolved.accountId;
  throw new ApiError(400, 'account_required', `Several accounts are connected; send {"accountId": "..."} with one of: ${resolved.several.map((a) => a.accountId).join(', ')}`);
}

/** For the library, history and export routes: the account named, or the caller's, or the only one. */
export async function resolveReadAccount(db: Db, accountId: string | undefined): Promise<string> {
  const resolved = await resolveAccount(db, accountId, 'read');
  if ('accountId' in resolved) return resolved.accountId;
  throw new ApiError(400, 'account_required', `Several accounts are connected; add ?accountId= with one of: ${resolved.several.map((a) => a.accountId).join(', ')}`);
}

/**
 * For something found by its own id that belongs to an account (an import, a session): `notFound`
 * unless the caller may reach that account, so another person's things answer as if they did not exist.
 */
export async function requireReachable(accountId: string, need: AccountNeed, notFound: () => Error): Promise<void> {
  if (!callerMayReach(await callerOrRefusal(), accountId, need)) throw notFound();
}
