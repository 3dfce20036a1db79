import type { FC } from 'hono/jsx';
import type { AuditLine } from '../../household/audit-log.js';
import type { PersonalTokenSummary } from '../../household/personal-tokens.js';
import type { ActiveSession } from '../../household/sessions.js';
import { Layout, type PageContext } from './layout.js';

const when = (d: Date | null): string => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'never');

/** Links between the settings pages. */
const SettingsLinks: FC = () => (
  <p class="settings-links">
    <a href="/settings/notifications">Notifications</a> · <a href="/settings/tokens">API tokens</a> · <a href="/settings/security">Security</a>
  </p>
);

export interface TokensView {
  /** Who is signed in, in words. */
  who: string;
  tokens: PersonalTokenSummary[];
  /** The accounts a new token may be for (one for a person; every account for the operator). */
  accounts: { accountId: string; displayName: string | null }[];
  /** A token just made: shown once. */
  created?: { name: string; token: string };
  error?: string;
  /** A session may manage tokens; a token may not. */
  mayManage: boolean;
}

/** `/settings/tokens`: personal API tokens, made, listed and revoked. */
export const TokensPage: FC<{ ctx: PageContext; view: TokensView }> = ({ ctx, view }) => (
  <Layout title="API tokens" ctx={ctx} active="settings">
    <h1>API tokens</h1>
    <SettingsLinks />
    <p>
      Signed in as {view.who}. A personal token lets a script read (<code>read</code>) or also pause, resume and reset (<code>control</code>) your account, and nothing else: send
      it as <code>Authorization: Bearer &lt;token&gt;</code>. It is shown once; only its hash is kept.
    </p>
    {view.error ? (
      <p class="banner error" role="alert" data-testid="tokens-error">
        {view.error}
      </p>
    ) : null}
    {view.created ? (
      <div class="banner ok" data-testid="token-created">
        <p>
          The token <strong>{view.created.name}</strong> (copy it now: it is not shown again):
        </p>
        <p>
          <code data-testid="new-token">{view.created.token}</code>
        </p>
      </div>
    ) : null}
    {view.tokens.length === 0 ? (
      <p class="muted">No tokens yet.</p>
    ) : (
      <div class="table-scroll">
        <table data-testid="token-list">
          <thead>
            <tr>
              {view.accounts.length > 1 ? <th>Account</th> : null}
              <th>Name</th>
              <th>Scope</th>
              <th>Made</th>
              <th>Last used</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {view.tokens.map((t) => (
              <tr>
                {view.accounts.length > 1 ? <td>{t.account_id}</td> : null}
                <td>{t.name}</td>
                <td>{t.scope}</td>
                <td>{when(t.created_at)}</td>
                <td>{when(t.last_used_at)}</td>
                <td>
                  {view.mayManage ? (
                    <form method="post" action="/settings/tokens/revoke">
                      <input type="hidden" name="accountId" value={t.account_id} />
                      <input type="hidden" name="name" value={t.name} />
                      <button type="submit">Revoke</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
    {view.mayManage && view.accounts.length > 0 ? (
      <form class="card" method="post" action="/settings/tokens/new" data-testid="token-form">
        <h2>New token</h2>
        {view.accounts.length > 1 ? (
          <label>
            Account{' '}
            <select name="accountId">
              {view.accounts.map((a) => (
                <option value={a.accountId}>{a.displayName ?? a.accountId}</option>
              ))}
            </select>
          </label>
        ) : (
          <input type="hidden" name="accountId" value={view.accounts[0]!.accountId} />
        )}{' '}
        <label>
          Name <input name="name" required maxlength={60} placeholder="backup script" />
        </label>{' '}
        <label>
          Scope{' '}
          <select name="scope">
            <option value="read">read</option>
            <option value="control">control</option>
          </select>
        </label>{' '}
        <button type="submit">Make token</button>
      </form>
    ) : null}
  </Layout>
);

export interface SecurityView {
  who: string;
  currentSessionId: string | undefined;
  sessions: (ActiveSession & { expiresAt: Date })[];
  /** The household, for the owner and the operator. */
  people: { accountId: string; displayName: string | null; role: string; joinedAt: Date | null }[] | null;
  invitations: { id: string; createdAt: Date; expiresAt: Date }[] | null;
  newInvitationLink?: string;
  audit: AuditLine[];
  allowedAccounts: string[] | undefined;
}

/** `/settings/security`: the sessions (end one, or all), the household and its invitations, and the security log. */
export const SecurityPage: FC<{ ctx: PageContext; view: SecurityView }> = ({ ctx, view }) => (
  <Layout title="Security" ctx={ctx} active="settings">
    <h1>Security</h1>
    <SettingsLinks />
    <p>Signed in as {view.who}.</p>
    <h2>Sessions</h2>
    <p>Sessions end after 30 days unused and 180 days after sign-in.</p>
    {view.sessions.length === 0 ? (
      <p class="muted" data-testid="no-sessions">
        No sessions: nobody has signed in on this instance yet.
      </p>
    ) : (
      <>
        <div class="table-scroll">
          <table data-testid="session-list">
            <thead>
              <tr>
                <th>Who</th>
                <th>Device</th>
                <th>Signed in</th>
                <th>Last seen</th>
                <th>Ends</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {view.sessions.map((s) => (
                <tr>
                  <td>{s.account_id ?? 'operator'}</td>
                  <td>
                    {s.device}
                    {s.id === view.currentSessionId ? ' (this browser)' : ''}
                  </td>
                  <td>{when(s.created_at)}</td>
                  <td>{when(s.last_seen_at)}</td>
                  <td>{when(s.expiresAt)}</td>
                  <td>
                    <form method="post" action="/settings/security/sessions/end">
                      <input type="hidden" name="sessionId" value={s.id} />
                      <button type="submit">End</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form method="post" action="/settings/security/sessions/end-all">
          <button type="submit" data-testid="end-all">
            Sign out everywhere
          </button>
        </form>
      </>
    )}
    {view.people ? (
      <>
        <h2>Household</h2>
        <ul data-testid="people">
          {view.people.map((p) => (
            <li>
              {p.displayName ?? p.accountId} ({p.accountId}): {p.role}
              {p.joinedAt ? `, signed in since ${when(p.joinedAt)}` : ', not signed in yet'}
            </li>
          ))}
        </ul>
        <p>
          Who may join by signing in with Spotify: {view.allowedAccounts ? `the accounts of ALLOWED_ACCOUNTS (${view.allowedAccounts.join(', ')}), and` : ''} whoever opens an
          invitation link (once, within 7 days).
        </p>
        {view.newInvitationLink ? (
          <p class="banner ok" data-testid="invitation-link">
            Send this link to the person you invite (it is shown once): <code>{view.newInvitationLink}</code>
          </p>
        ) : null}
        <form method="post" action="/settings/security/invitations">
          <button type="submit" data-testid="invite">
            Make an invitation link
          </button>
        </form>
        {view.invitations && view.invitations.length > 0 ? (
          <ul>
            {view.invitations.map((i) => (
              <li>
                Invitation made {when(i.createdAt)}, open until {when(i.expiresAt)}{' '}
                <form method="post" action="/settings/security/invitations/withdraw">
                  <input type="hidden" name="invitationId" value={i.id} />
                  <button type="submit">Withdraw</button>
                </form>
              </li>
            ))}
          </ul>
        ) : null}
      </>
    ) : null}
    <h2>Security log</h2>
    {view.audit.length === 0 ? (
      <p class="muted" data-testid="no-audit">
        Nothing logged yet: sign-ins, sessions ended, tokens made or revoked and invitations appear here.
      </p>
    ) : (
      <div class="table-scroll">
        <table data-testid="audit-log">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th class="wide-only">Account</th>
              <th>By</th>
              <th>Detail</th>
              <th class="wide-only">From</th>
            </tr>
          </thead>
          <tbody>
            {view.audit.map((a) => (
              <tr>
                <td>{when(a.at)}</td>
                <td>{a.event}</td>
                <td class="wide-only">{a.account_id ?? ''}</td>
                <td>{a.actor}</td>
                <td>{a.detail}</td>
                <td class="wide-only">{a.client ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </Layout>
);

/** `/join/{secret}`: an invitation, and the way to accept it. */
export const JoinPage: FC<{ secret: string; open: boolean }> = ({ secret, open }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>Invitation · spotify-sync</title>
      <link rel="stylesheet" href="/assets/library.css" />
    </head>
    <body>
      <main>
        <h1>spotify-sync</h1>
        {open ? (
          <div class="card">
            <p>You are invited to keep your Spotify library on this server. Sign in with your Spotify account to join: only you will see your library and history.</p>
            <p>
              <a class="button" href={`/auth/login?${new URLSearchParams({ invitation: secret })}`} data-testid="accept-invitation">
                Sign in with Spotify
              </a>
            </p>
          </div>
        ) : (
          <p class="banner error" data-testid="message">
            This invitation link was used already, has expired, or was withdrawn: ask for a new one.
          </p>
        )}
      </main>
    </body>
  </html>
);
