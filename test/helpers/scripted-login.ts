import { buildAuthorizeUrl, createAccountsClient, createPkcePair, type TokenSet } from '../../src/spotify/accounts.js';

/**
 * A user logging in again through the simulator's Accounts service (Authorization Code with PKCE),
 * approving without a browser: the simulator's approve link answers with the redirect carrying the code.
 */
export async function scriptedLogin(accountsUrl: string, clientId = 'spotify-sync-demo'): Promise<TokenSet> {
  const redirectUri = 'http://127.0.0.1:3999/auth/callback';
  const { codeVerifier, codeChallenge } = createPkcePair();
  const authorize = new URL(buildAuthorizeUrl({ accountsUrl, clientId, redirectUri, state: 'test-state', codeChallenge }));
  const approve = new URL('/authorize/approve', accountsUrl);
  approve.search = authorize.search;
  const res = await fetch(approve, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`approve answered ${res.status}`);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return createAccountsClient({ accountsUrl, clientId }).exchangeAuthorizationCode({ code, codeVerifier, redirectUri });
}
