/** The Accounts service's consent page: plain HTML with Approve and Deny, readable in a browser or a test. */

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scope: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

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

export function consentPage(request: AuthorizeRequest, displayName: string): string {
  const hidden = Object.entries(authorizeFields(request))
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  const scopes = request.scope.split(/\s+/).filter(Boolean);
  const scopeList = scopes.length > 0 ? scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('') : '<li>no scopes</li>';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Spotify simulator · Authorize</title>
  <link rel="icon" href="data:,">
  <style>
    body { font-family: system-ui, sans-serif; background: #121212; color: #eee; display: grid; place-items: center; min-height: 100vh; margin: 0; }
    main { background: #1e1e1e; padding: 2rem 2.5rem; border-radius: 12px; max-width: 28rem; }
    h1 { font-size: 1.4rem; margin-top: 0; }
    button { font-size: 1rem; padding: .6rem 1.6rem; border-radius: 999px; border: 0; cursor: pointer; margin-right: .5rem; }
    .approve { background: #1db954; color: #000; font-weight: 600; }
    .deny { background: transparent; color: #eee; border: 1px solid #777; }
    form { display: inline; }
    code { color: #1db954; }
  </style>
</head>
<body>
  <main>
    <h1>Connect your Spotify account</h1>
    <p>Logged in as <strong>${escapeHtml(displayName)}</strong> (simulated).</p>
    <p>The app <code>${escapeHtml(request.clientId)}</code> asks to:</p>
    <ul>${scopeList}</ul>
    <p>You will be sent back to <code>${escapeHtml(request.redirectUri)}</code>.</p>
    <form method="post" action="/authorize/approve">
      ${hidden}
      <label>Listener <input type="number" name="user" id="user" min="1" max="20" value="1"></label>
      <button class="approve" type="submit" id="approve">Approve</button>
    </form>
    <form method="post" action="/authorize/deny">
      ${hidden}
      <button class="deny" type="submit" id="deny">Deny</button>
    </form>
  </main>
</body>
</html>`;
}

export function errorPage(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Spotify simulator · Error</title></head>
<body style="font-family: system-ui, sans-serif"><h1>Something went wrong</h1><p>${escapeHtml(message)}</p></body></html>`;
}
