import type { Child, FC } from 'hono/jsx';

export interface AccountChoice {
  accountId: string;
  displayName: string | null;
  syncState: string;
  syncPhase: string;
}

export type Section = 'home' | 'status' | 'library' | 'playlists' | 'history' | 'settings' | 'none';

export interface PageContext {
  /** The account shown, or null when none is connected. */
  account: AccountChoice | null;
  accounts: AccountChoice[];
  /** The path and query of this page, for the switcher to return to. */
  path: string;
}

/** A link that keeps the account chosen (every page takes ?accountId= like the status). */
export function withAccount(href: string, ctx: PageContext, extra: Record<string, string | undefined> = {}): string {
  const [path, query = ''] = href.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  if (ctx.accounts.length > 1 && ctx.account) params.set('accountId', ctx.account.accountId);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const sections: { id: Section; label: string; href: string }[] = [
  { id: 'library', label: 'Library', href: '/library' },
  { id: 'playlists', label: 'Playlists', href: '/playlists' },
  { id: 'history', label: 'History', href: '/history' },
  { id: 'status', label: 'Sync status', href: '/sync-status' },
  { id: 'settings', label: 'Settings', href: '/settings/notifications' },
];

/** The navigation bar every page shares, the status page included. */
export const NavBar: FC<{ ctx: PageContext; active: Section }> = ({ ctx, active }) => (
  <header class="topbar">
    <div class="topbar-inner">
      <a class="brand" href={withAccount('/', ctx)} aria-current={active === 'home' ? 'page' : undefined} data-testid="nav-home">
        spotify-sync
      </a>
      <nav aria-label="Main">
        <ul class="nav">
          {sections.map((s) => (
            <li>
              <a href={withAccount(s.href, ctx)} aria-current={s.id === active ? 'page' : undefined} data-testid={`nav-${s.id}`}>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {ctx.accounts.length > 1 && ctx.account ? (
        <form class="switcher" method="get" action={ctx.path.split('?')[0]}>
          <label>
            <span class="sr-only">Account</span>
            <select name="accountId" data-testid="account-switcher">
              {ctx.accounts.map((a) => (
                <option value={a.accountId} selected={a.accountId === ctx.account!.accountId}>
                  {a.displayName ?? a.accountId}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Switch</button>
        </form>
      ) : null}
    </div>
  </header>
);

const syncingText = (a: AccountChoice): string | null => {
  if (a.syncState === 'complete') return null;
  const phase = a.syncPhase === 'complete' ? '' : ` (${a.syncPhase} phase)`;
  return `The first sync of this account is still under way${phase}: what is shown is what has arrived so far; artists and albums fill in as their phases run.`;
};

/** The `<head>` every page shares: its title, the phone viewport and the pages' stylesheet; `children` add to it. */
export const PageHead: FC<{ title: string; children?: Child }> = ({ title, children }) => (
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>{title}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/assets/library.css" />
    {children}
  </head>
);

/** A page of the site: the navigation bar, the syncing banner, `children`; `head` adds to the `<head>`. */
export const Layout: FC<{ title: string; ctx: PageContext; active: Section; head?: Child; children?: Child }> = ({ title, ctx, active, head, children }) => {
  const syncing = ctx.account ? syncingText(ctx.account) : null;
  return (
    <html lang="en">
      <PageHead title={`${title} · spotify-sync`}>{head}</PageHead>
      <body>
        <NavBar ctx={ctx} active={active} />
        <main>
          {syncing ? (
            <div class="banner warn" role="status" data-testid="syncing-banner">
              {syncing}
            </div>
          ) : null}
          {children}
        </main>
      </body>
    </html>
  );
};

export const MessagePage: FC<{ title: string; message: string; ctx: PageContext; active?: Section }> = ({ title, message, ctx, active }) => (
  <Layout title={title} ctx={ctx} active={active ?? 'none'}>
    <h1>{title}</h1>
    <p class="banner error" data-testid="error-message">
      {message}
    </p>
  </Layout>
);
