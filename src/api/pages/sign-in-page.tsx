import type { FC } from 'hono/jsx';
import { PageHead } from './layout.js';

/** Without API_TOKEN there is nothing to sign in with: every page is open, and the page says so. */
export const NoSignInNeededPage: FC<{ next: string }> = ({ next }) => (
  <html lang="en">
    <PageHead title="Sign in · spotify-sync" />
    <body>
      <main>
        <h1>spotify-sync</h1>
        <div class="card" data-testid="no-sign-in-needed">
          <p>No sign-in is needed: this server has no API token set (API_TOKEN), so its pages are open to whoever can reach it.</p>
          <p>
            <a href={next}>Continue »</a>
          </p>
        </div>
      </main>
    </body>
  </html>
);

/** The token sign-in form: the only page shown without the token when API_TOKEN is set. */
export const SignInPage: FC<{ next: string; error?: string }> = ({ next, error }) => (
  <html lang="en">
    <PageHead title="Sign in · spotify-sync" />
    <body>
      <main>
        <h1>spotify-sync</h1>
        <form class="card" method="post" action="/sign-in">
          <p>This server keeps your library private: enter its API token (the value of API_TOKEN) to continue.</p>
          {error ? (
            <p class="banner error" role="alert" data-testid="sign-in-error">
              {error}
            </p>
          ) : null}
          <input type="hidden" name="next" value={next} />
          <label>
            API token
            <input type="password" name="token" autocomplete="current-password" required maxlength={1024} data-testid="token-input" />
          </label>
          <p>
            <button type="submit" data-testid="sign-in-submit">
              Sign in
            </button>
          </p>
        </form>
      </main>
    </body>
  </html>
);
