import type { Context } from 'hono';
import { html } from 'hono/html';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Db } from '../../db/connect.js';
import { ApiError } from '../errors.js';
import type { AccountChoice, PageContext } from '../pages/layout.js';

async function loadAccounts(db: Db): Promise<AccountChoice[]> {
  const rows = await db('accounts').orderBy(['connected_at', 'id']).select('id', 'display_name', 'sync_state', 'sync_phase');
  return rows.map((r) => ({ accountId: r.id, displayName: r.display_name, syncState: r.sync_state, syncPhase: r.sync_phase }));
}

/** The account a page shows: the one named (unknown is a 404), else the first connected. */
export async function pageContext(db: Db, c: Context, accountId: string | undefined): Promise<PageContext> {
  const accounts = await loadAccounts(db);
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
