import type { Db } from '../db/connect.js';
import { type AccountSummary, listAccounts } from '../status/read-status.js';
import { ApiError } from './errors.js';

export const noAccountsError = () => new ApiError(404, 'no_accounts', 'No account connected yet: log in at /auth/login or run npm run cli -- connect');

/** Whether the caller may see which accounts are connected (see callerHasApiToken). */
export interface AccountVisibility {
  listAccounts: boolean;
}

const everything: AccountVisibility = { listAccounts: true };

const unknownAccountError = (accountId: string, known: AccountSummary[] | null) =>
  new ApiError(
    404,
    'unknown_account',
    known === null ? `No account with id "${accountId}"` : `No account with id "${accountId}"; connected: ${known.map((a) => a.accountId).join(', ') || 'none'}`,
  );

const accountIdsHidden = () =>
  new ApiError(401, 'account_list_needs_api_token', 'Several accounts are connected: name one with accountId, or send Authorization: Bearer <API_TOKEN> to list them', {
    'WWW-Authenticate': 'Bearer realm="spotify-sync"',
  });

/**
 * Which account a request means: the one named, or the only one there is. With several and none
 * named, the caller decides (status lists them; controls refuse).
 */
export async function resolveAccount(
  db: Db,
  accountId: string | undefined,
  visibility: AccountVisibility = everything,
): Promise<{ accountId: string } | { several: AccountSummary[] }> {
  if (accountId !== undefined) {
    const exists = await db('accounts').where({ id: accountId }).first('id');
    if (exists) return { accountId };
    throw unknownAccountError(accountId, visibility.listAccounts ? await listAccounts(db) : null);
  }
  const accounts = await listAccounts(db);
  if (accounts.length === 0) throw noAccountsError();
  if (accounts.length === 1) return { accountId: accounts[0]!.accountId };
  if (!visibility.listAccounts) throw accountIdsHidden();
  return { several: accounts };
}

/** For controls: the account named, or the only one; several and none named is a 400. */
export async function resolveControlAccount(db: Db, accountId: string | undefined): Promise<string> {
  const resolved = await resolveAccount(db, accountId);
  if ('accountId' in resolved) return resolved.accountId;
  throw new ApiError(400, 'account_required', `Several accounts are connected; send {"accountId": "..."} with one of: ${resolved.several.map((a) => a.accountId).join(', ')}`);
}

/** For the library, history and export routes: the account named, or the only one. */
export async function resolveReadAccount(db: Db, accountId: string | undefined): Promise<string> {
  const resolved = await resolveAccount(db, accountId);
  if ('accountId' in resolved) return resolved.accountId;
  throw new ApiError(400, 'account_required', `Several accounts are connected; add ?accountId= with one of: ${resolved.several.map((a) => a.accountId).join(', ')}`);
}
