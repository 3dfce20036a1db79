import type { FC } from 'hono/jsx';

/** The Accounts service's consent page: plain HTML with Approve and Deny, readable in a browser or a test. */

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scope: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
}

export function authorizeFields(request: AuthorizeRequest): Record<string, string> {
  const fields: Record<string, string> = {
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.scope,
  };
  if (request.state !== undefined) fields.state = request.state;
  if (request.codeChallenge !== undefined) fields.code_challenge = request.codeChallenge;
  if (request.codeChallengeMethod !== undefined) fields.code_challenge_method = request.codeChallengeMethod;
  return fields;
}

const style = `
  body { font-family: system-ui, sans-serif; background: #121212; color: #eee; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  main { background: #1e1e1e; padding: 2rem 2.5rem; border-radius: 12px; max-width: 28rem; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  button { font-size: 1rem; padding: .6rem 1.6rem; border-radius: 999px; border: 0; cursor: pointer; margin-right: .5rem; }
  .approve { background: #1db954; color: #000; font-weight: 600; }
  .deny { background: transparent; color: #eee; border: 1px solid #777; }
  form { display: inline; }
  code { color: #1db954; }
`;

const Hidden: FC<{ request: AuthorizeRequest }> = ({ request }) => (
  <>
    {Object.entries(authorizeFields(request)).map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
  </>
);

const ConsentPage: FC<{ request: AuthorizeRequest; displayName: string; users: string[] }> = ({ request, displayName, users }) => {
  const scopes = request.scope.split(/\s+/).filter(Boolean);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Spotify simulator · Authorize</title>
        <link rel="icon" href="data:," />
        <style>{style}</style>
      </head>
      <body>
        <main>
          <h1>Connect your Spotify account</h1>
          <p>
            Logged in as <strong>{displayName}</strong> (simulated).
          </p>
          <p>
            The app <code>{request.clientId}</code> asks to:
          </p>
          <ul>
            {scopes.length > 0 ? (
              scopes.map((s) => (
                <li>
                  <code>{s}</code>
                </li>
              ))
            ) : (
              <li>no scopes</li>
            )}
          </ul>
          <p>
            You will be sent back to <code>{request.redirectUri}</code>.
          </p>
          <form method="post" action="/authorize/approve">
            <Hidden request={request} />
            <label>
              Log in as{' '}
              <select name="user" id="user">
                {users.map((u, i) => (
                  <option value={String(i + 1)}>{u}</option>
                ))}
              </select>
            </label>
            <button class="approve" type="submit" id="approve">
              Approve
            </button>
          </form>
          <form method="post" action="/authorize/deny">
            <Hidden request={request} />
            <button class="deny" type="submit" id="deny">
              Deny
            </button>
          </form>
        </main>
      </body>
    </html>
  );
};

const ErrorPage: FC<{ message: string }> = ({ message }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <title>Spotify simulator · Error</title>
    </head>
    <body style="font-family: system-ui, sans-serif">
      <h1>Something went wrong</h1>
      <p>{message}</p>
    </body>
  </html>
);

// Both pages are synchronous components, so they render to a string at once.
/** `users`: the household's display names, the demo user first; the form's `user` field is the chosen one's number. */
export function consentPage(request: AuthorizeRequest, displayName: string, users: string[] = [displayName]): string {
  return `<!doctype html>${(<ConsentPage request={request} displayName={displayName} users={users} />).toString()}`;
}

export function errorPage(message: string): string {
  return `<!doctype html>${(<ErrorPage message={message} />).toString()}`;
}
