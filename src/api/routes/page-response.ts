import type { Context } from 'hono';
import { html } from 'hono/html';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Db } from '../../db/connect.js';
import { currentCaller } from '../caller.js';
import { ApiError } from '../errors.js';
import type { AccountChoice, PageContext } from '../pages/layout.js';
import { type AccountNeed, reachableAccounts } from '../resolve-account.js';

async function loadAccounts(db: Db): Promise<AccountChoice[]> {
  const rows = await db('accounts').orderBy(['connected_at', 'id']).select('id', 'display_name', 'sync_state', 'sync_phase');
  return rows.map((r) => ({ accountId: r.id, displayName: r.display_name, syncState: r.sync_state, syncPhase: r.sync_phase }));
}

/**
 * The account a page shows: the one named (unknown, or another person's, is a 404), else the caller's
 * own (the first connected on an open instance). The switcher offers only the accounts the caller may
 * reach for the page's need (resolve-account.ts): a person's library pages offer their own alone.
 */
export async function pageContext(db: Db, c: Context, accountId: string | undefined, need: AccountNeed = 'read'): Promise<PageContext> {
  const reachable = await reachableAccounts(need);
  const accounts = (await loadAccounts(db)).filter((a) => reachable === 'every' || reachable.includes(a.accountId));
  // A person's own account first: what a page shows when none is named.
  const caller = await currentCaller();
  const own = caller.kind === 'person' ? caller.accountId : undefined;
  if (own) accounts.sort((a, b) => Number(b.accountId === own) - Number(a.accountId === own));
  const url = new URL(c.req.url);
  const path = url.pathname + url.search;
  if (accountId !== undefined) {
    const account = accounts.find((a) => a.accountId === accountId);
    if (!account) throw new ApiError(404, 'unknown_account', `No account with id "${accountId}"`);
    return { account, accounts, path };
  }
  return { account: accounts[0] ?? null, accounts, path };
}

/** An HTML page, not cached (its security headers, the site's CSP among them, are src/api/security-headers.ts's). */
export function sendPage(c: Context, page: JSX.Element, status: ContentfulStatusCode = 200) {
  c.header('Cache-Control', 'no-store');
  return c.html(html`<!doctype html>${page}`, status);
}

/** A part of a page (what a page's script swaps in), not cached either. */
export function sendFragment(c: Context, fragment: JSX.Element, status: ContentfulStatusCode = 200) {
  c.header('Cache-Control', 'no-store');
  return c.html(fragment, status);
}
