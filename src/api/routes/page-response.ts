import type { Context } from 'hono';
import { html } from 'hono/html';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Db } from '../../db/connect.js';
import { ApiError } from '../errors.js';
import type { AccountChoice, PageContext } from '../pages/layout.js';

/**
 * The site's pages read Postgres only: plain links and forms, so they work everywhere. No inline code
 * or style at all; a page that adds a script (the status page's, which swaps in its panel) names it
 * by this answer's nonce, and may fetch from this origin only.
 */
function pageCsp(scriptNonce?: string): string {
  return [
    "default-src 'none'",
    ...(scriptNonce ? [`script-src 'nonce-${scriptNonce}'`, "connect-src 'self'"] : []),
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function loadAccounts(db: Db): Promise<AccountChoice[]> {
  const rows = (await db('accounts').orderBy(['connected_at', 'id']).select('id', 'display_name', 'sync_state', 'sync_phase')) as {
    id: string;
    display_name: string | null;
    sync_state: string;
    sync_phase: string;
  }[];
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

function pageHeaders(c: Context, scriptNonce?: string): void {
  c.header('Content-Security-Policy', pageCsp(scriptNonce));
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
}

/** An HTML page with the pages' headers: the CSP above (naming the page's script, if it has one), no caching, no sniffing, no referrer. */
export function sendPage(c: Context, page: JSX.Element, status: ContentfulStatusCode = 200, options: { scriptNonce?: string } = {}) {
  pageHeaders(c, options.scriptNonce);
  return c.html(html`<!doctype html>${page}`, status);
}

/** A part of a page (what a page's script swaps in), with the same headers as a page. */
export function sendFragment(c: Context, fragment: JSX.Element, status: ContentfulStatusCode = 200) {
  pageHeaders(c);
  return c.html(fragment, status);
}
