import type { FC } from 'hono/jsx';
import { PageHead } from './layout.js';

/**
 * The sign-in page: each person signs in with Spotify (the login that connects their account opens
 * their session); the operator may sign in with API_TOKEN when it is set.
 */
export const SignInPage: FC<{ next: string; error?: string; tokenForm: boolean; spotify: boolean; open?: boolean }> = ({ next, error, tokenForm, spotify, open }) => (
  <html lang="en">
    <PageHead title="Sign in · spotify-sync" />
    <body>
      <main>
        <h1>spotify-sync</h1>
        {error ? (
          <p class="banner error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        ) : null}
        {open ? (
          <div class="card" data-testid="no-sign-in-needed">
            <p>No sign-in is needed: this server has no API token set (API_TOKEN) and nobody has signed in with Spotify yet, so its pages are open to whoever can reach it.</p>
            <p>
              <a href={next}>Continue »</a>
            </p>
          </div>
        ) : null}
        {spotify && !open ? (
          <div class="card">
            <p>This server keeps each person’s library private. Sign in with the Spotify account you connected (or were invited with).</p>
            <p>
              <a class="button" href={`/auth/login?${new URLSearchParams({ next })}`} data-testid="sign-in-spotify">
                Sign in with Spotify
              </a>
            </p>
          </div>
        ) : null}
        {tokenForm ? (
          <form class="card" method="post" action="/sign-in">
            <p>The operator: enter this server’s API token (the value of API_TOKEN).</p>
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
        ) : null}
      </main>
    </body>
  </html>
);
