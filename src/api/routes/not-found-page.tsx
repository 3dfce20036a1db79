import type { Context } from 'hono';
import { callerDepsOf, callerOf } from '../caller.js';
import { Layout, type PageContext, withAccount } from '../pages/layout.js';
import type { RouteDeps } from '../router.js';
import { pageContext, sendPage } from './page-response.js';

/**
 * The HTML 404 of every unknown page, in the site's layout with its navigation. The accounts (for the
 * switcher) are shown only to a caller who may see them; anyone else gets the bare layout.
 */
export function pageNotFound(deps: RouteDeps) {
  return async (c: Context) => {
    let ctx: PageContext = { account: null, accounts: [], path: c.req.path };
    try {
      if ((await callerOf(c, callerDepsOf(deps))).kind !== 'anonymous') {
        ctx = await pageContext(deps.db, c, undefined);
      }
    } catch {
      // Postgres down: the page still answers, without the account switcher.
    }
    return sendPage(
      c,
      <Layout title="Page not found" ctx={ctx} active="none">
        <h1>Page not found</h1>
        <p class="banner error" data-testid="not-found">
          There is no page at <code>{c.req.path}</code>.
        </p>
        <p>
          Try the <a href={withAccount('/', ctx)}>home page</a>, your <a href={withAccount('/library', ctx)}>saved tracks</a>,{' '}
          <a href={withAccount('/playlists', ctx)}>playlists</a> or <a href={withAccount('/history', ctx)}>listening history</a>.
        </p>
      </Layout>,
      404,
    );
  };
}
