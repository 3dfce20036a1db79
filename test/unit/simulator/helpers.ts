import { createSimulator, type Simulator, type SimulatorOptions } from '../../../src/simulator/create-simulator.js';

/** A simulator on a clock the test moves by hand (unix ms). */
export function simulatorWithClock(options: SimulatorOptions = {}, start = Date.UTC(2026, 0, 7, 8, 0, 0)) {
  const clock = { now: start };
  const sim = createSimulator({ tracks: 300, playlists: 20, ...options, clock: () => clock.now });
  return { sim, clock };
}

/** Test bodies are read loosely: their shapes are what spec-check.test.ts validates. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = any;

export interface JsonAnswer<T = Body> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = Body>(sim: Simulator, path: string, init: RequestInit & { token?: string } = {}): Promise<JsonAnswer<T>> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const response = await sim.app.request(`http://sim.test${path}`, { ...init, headers });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, body: (json ? JSON.parse(text) : text) as T, headers: response.headers };
}

export async function tokenRequest(sim: Simulator, form: Record<string, string>): Promise<JsonAnswer> {
  return call(sim, '/api/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

/** An access token for the demo user, from the demo refresh token. */
export async function demoAccessToken(sim: Simulator): Promise<string> {
  const answer = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: sim.demoRefreshToken, client_id: 'test-client' });
  if (answer.status !== 200) throw new Error(`demo login failed: ${JSON.stringify(answer.body)}`);
  return answer.body.access_token as string;
}

/** Every page of a paging endpoint, following `next` as a client would. */
export async function allItems<T = Body>(sim: Simulator, path: string, token: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | null = path;
  while (next) {
    const url: URL = new URL(next, 'http://sim.test');
    const page: JsonAnswer = await call(sim, `${url.pathname}${url.search}`, { token });
    if (page.status !== 200) throw new Error(`${next} answered ${page.status}: ${JSON.stringify(page.body)}`);
    items.push(...(page.body.items as T[]));
    next = page.body.next as string | null;
  }
  return items;
}

/** A login of listener `user` (1 = the demo user) through the consent page's approve link and PKCE. */
export async function listenerLogin(sim: Simulator, user: number, clientId = 'my-client'): Promise<{ access_token: string; refresh_token: string }> {
  const verifier = 'a-verifier-of-at-least-forty-three-characters-0123456789';
  const { createHash } = await import('node:crypto');
  const redirectUri = 'http://127.0.0.1:3000/auth/callback';
  const query = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'user-library-read user-read-recently-played',
    code_challenge_method: 'S256',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    user: String(user),
  });
  const approved = await sim.app.request(`http://sim.test/authorize/approve?${query}`);
  const code = new URL(approved.headers.get('location') ?? 'http://x/').searchParams.get('code');
  if (!code) throw new Error(`approve answered ${approved.status}`);
  const answer = await tokenRequest(sim, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier });
  if (answer.status !== 200) throw new Error(`login failed: ${JSON.stringify(answer.body)}`);
  return answer.body as { access_token: string; refresh_token: string };
}
