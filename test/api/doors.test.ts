import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertAccount, testConfig, unreachableTemporal } from './fixtures.js';

/**
 * The doors of the API (docs/security.md): a page of another site (another port of the same host
 * included) cannot make a signed-in browser change anything, a re-pointed host name (DNS rebinding) reads
 * nothing, guesses of the token are throttled, and the answers carry the headers that keep them private.
 */

const token = 'the-doors-api-token-0123456789-abcdef';
const bearer = { Authorization: `Bearer ${token}` };
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

let testDb: TestDatabase;
let clock: Date;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});
beforeEach(async () => {
  clock = new Date('2026-12-06T12:00:00Z');
  await testDb.db('history_imports').del();
  await testDb.db('accounts').del();
  await insertAccount(testDb.db, 'acc-1', { sync_state: 'running', sync_phase: 'tracks' });
});

const app = (env: Record<string, string> = {}) =>
  createApp({
    db: testDb.db,
    config: testConfig(env),
    temporal: unreachableTemporal,
    now: () => clock,
    connect: async () => {
      throw new Error('no account is connected in these tests');
    },
  });

async function signIn(a: ReturnType<typeof app>, headers: Record<string, string> = {}): Promise<Response> {
  return a.request('/sign-in', { method: 'POST', headers: { ...form, ...headers }, body: new URLSearchParams({ token, next: '/library' }).toString() });
}

async function sessionCookie(a: ReturnType<typeof app>): Promise<string> {
  const res = await signIn(a);
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

function upload(): FormData {
  const data = new FormData();
  const plays = [{ ts: '2021-03-04T10:00:00Z', ms_played: 200000, master_metadata_track_name: 'Planted', spotify_track_uri: 'spotify:track:planted' }];
  data.append('file', new Blob([JSON.stringify(plays)], { type: 'application/json' }), 'Streaming_History_Audio_2021_0.json');
  return data;
}

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('cross-site requests', () => {
  it('a form posted from a page on another port, with the session cookie, is refused; the same form from this server is not', async () => {
    const a = app({ API_TOKEN: token });
    const cookie = await sessionCookie(a);
    const body = new URLSearchParams({ accountId: 'acc-1', confirm: 'yes' }).toString();
    for (const signal of [{ Origin: 'http://127.0.0.1:6666' }, { 'Sec-Fetch-Site': 'same-site' }, { 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'null' }, {}] as Record<
      string,
      string
    >[]) {
      const reset = await a.request('http://127.0.0.1:3000/sync-status/reset', { method: 'POST', headers: { ...form, Cookie: cookie, ...signal }, body });
      expect(reset.status, JSON.stringify(signal)).toBe(403);
      expect(await reset.text()).toContain('works from this server');
      const api = await a.request('http://127.0.0.1:3000/api/sync/reset', { method: 'POST', headers: { Cookie: cookie, ...signal } });
      expect(api.status, JSON.stringify(signal)).toBe(403);
      expect(await errorCode(api)).toBe('cross_site_request');
    }
    // An empty form body with the cookie and no word of where it comes from: refused too (the last case above), while
    // the same button pressed on this server's page goes through to the control (Temporal is down here: 503).
    for (const signal of [{ Origin: 'http://127.0.0.1:3000' }, { 'Sec-Fetch-Site': 'same-origin' }] as Record<string, string>[]) {
      const pressed = await a.request('http://127.0.0.1:3000/sync-status/pause', { method: 'POST', headers: { ...form, Cookie: cookie, ...signal }, body: '' });
      expect(pressed.status, JSON.stringify(signal)).toBe(503);
    }
  });

  it('on an instance without a token, a page of another site can neither upload an export nor reset a sync', async () => {
    const a = app();
    for (const signal of [{ Origin: 'http://127.0.0.1:6666' }, { 'Sec-Fetch-Site': 'cross-site' }] as Record<string, string>[]) {
      const uploaded = await a.request('/api/history/imports', { method: 'POST', headers: signal, body: upload() });
      expect(uploaded.status).toBe(403);
      const page = await a.request('/history/import', { method: 'POST', headers: signal, body: upload() });
      expect(page.status).toBe(403);
      const reset = await a.request('/api/sync/reset', { method: 'POST', headers: signal });
      expect(reset.status).toBe(403);
    }
    expect(await testDb.db('history_imports').count({ n: '*' }).first()).toEqual({ n: 0 });
    const plays = await testDb.db('play_history').count({ n: '*' }).first();
    expect(Number(plays?.n)).toBe(0);
  });

  it('leaves scripts alone: a bearer header is exempt, and a request with no cookie and no browser headers (curl) goes on', async () => {
    const a = app({ API_TOKEN: token });
    const fromElsewhere = await a.request('/api/sync/pause', { method: 'POST', headers: { ...bearer, Origin: 'https://elsewhere.example' } });
    expect(fromElsewhere.status).toBe(503); // through the doors; Temporal is down in this test
    const curl = await a.request('/api/sync/pause', { method: 'POST', headers: bearer });
    expect(curl.status).toBe(503);
    const open = await app().request('/api/sync/pause', { method: 'POST' });
    expect(open.status).toBe(503);
    // Basic credentials are not exempt: a browser resends those (of a proxy in front, say) to any request on its own.
    const basic = await app().request('/api/sync/pause', { method: 'POST', headers: { Authorization: 'Basic dXNlcjpwYXNz', Origin: 'https://elsewhere.example' } });
    expect(basic.status).toBe(403);
  });

  it('takes PUBLIC_URL as this server’s origin behind a proxy', async () => {
    const a = app({ API_TOKEN: token, PUBLIC_URL: 'https://music.example.com/' });
    const cookie = await sessionCookie(a);
    const proxied = await a.request('http://127.0.0.1:3000/api/sync/pause', { method: 'POST', headers: { Cookie: cookie, Origin: 'https://music.example.com' } });
    expect(proxied.status).toBe(503);
    const other = await a.request('http://127.0.0.1:3000/api/sync/pause', { method: 'POST', headers: { Cookie: cookie, Origin: 'https://evil.example.com' } });
    expect(other.status).toBe(403);
  });
});

describe('the Host of a request', () => {
  it('is refused when the instance does not answer to it (DNS rebinding reads nothing)', async () => {
    const a = app();
    for (const path of ['/api/library/tracks', '/library', '/api/sync/status', '/api/export/saved.csv', '/sync-status']) {
      const res = await a.request(`http://rebound.attacker.example:3000${path}`);
      expect(res.status, path).toBe(421);
      expect(await errorCode(res)).toBe('unknown_host');
    }
    // Liveness, readiness and metrics hold nothing personal and are probed by other names (Prometheus: api:3000).
    expect((await a.request('http://api:3000/healthz')).status).toBe(200);
  });

  it('is answered on loopback at any port, at PUBLIC_URL’s host, and at the redirect URI’s', async () => {
    const a = app({ PUBLIC_URL: 'https://music.example.com', SPOTIFY_REDIRECT_URI: 'https://login.example.org/auth/callback' });
    for (const base of ['http://127.0.0.1:41234', 'http://localhost:3000', 'http://[::1]:8080', 'https://music.example.com', 'https://login.example.org']) {
      const res = await a.request(`${base}/api/library/tracks`);
      expect(res.status, base).toBe(200);
    }
    expect((await a.request('http://music.example.com.evil.example/api/library/tracks')).status).toBe(421);
  });
});

describe('guessing the token', () => {
  it('wrong bearer tokens are throttled: after twenty, every token (the right one too) waits, then it works again', async () => {
    const a = app({ API_TOKEN: token });
    for (let i = 0; i < 20; i++) {
      expect((await a.request('/api/library/tracks', { headers: { Authorization: `Bearer guess-${i}` } })).status).toBe(401);
    }
    const started = Date.now();
    let throttled = 0;
    for (let i = 0; i < 3000; i++) {
      const res = await a.request('/api/library/tracks', { headers: { Authorization: `Bearer guess-more-${i}` } });
      if (res.status === 429) throttled++;
    }
    expect(throttled).toBe(3000);
    expect(Date.now() - started).toBeLessThan(30_000);
    const right = await a.request('/api/library/tracks', { headers: bearer });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorCode(right)).toBe('too_many_attempts');
    clock = new Date(clock.getTime() + 3_000);
    expect((await a.request('/api/library/tracks', { headers: bearer })).status).toBe(200);
    // A page guessed with a bearer header counts as well (it sends the guesser to sign in).
    const pages = app({ API_TOKEN: token });
    for (let i = 0; i < 20; i++) await pages.request('/library', { headers: { Authorization: `Bearer page-guess-${i}` } });
    expect((await pages.request('/library', { headers: bearer })).status).toBe(429);
  });

  it('a client that showed the right token lately has a larger budget (a script with a stale token among good ones), never an endless one', async () => {
    const a = app({ API_TOKEN: token });
    expect((await a.request('/api/library/tracks', { headers: bearer })).status).toBe(200);
    for (let i = 0; i < 50; i++) expect((await a.request('/api/library/tracks', { headers: { Authorization: `Bearer stale-${i}` } })).status).toBe(401);
    expect((await a.request('/api/library/tracks', { headers: bearer })).status).toBe(200);
    let refused = 0;
    for (let i = 0; i < 3000 && refused === 0; i++) {
      if ((await a.request('/api/library/tracks', { headers: { Authorization: `Bearer more-${i}` } })).status === 429) refused = i;
    }
    expect(refused).toBe(150);
  });

  it('sign-in attempts are throttled the same way', async () => {
    const a = app({ API_TOKEN: token });
    for (let i = 0; i < 20; i++) {
      const res = await a.request('/sign-in', { method: 'POST', headers: form, body: new URLSearchParams({ token: `guess-${i}` }).toString() });
      expect(res.status).toBe(401);
    }
    const right = await signIn(a);
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    // A person at the form reads a page saying so, under the site's policy.
    expect(right.headers.get('content-type')).toMatch(/text\/html/);
    expect(await right.text()).toContain('Too many wrong tokens or sign-in attempts from this address');
    expect(right.headers.get('content-security-policy')).toContain("default-src 'none'");
    clock = new Date(clock.getTime() + 3_000);
    expect((await signIn(a)).status).toBe(303);
  });

  it('the sign-in cookie is Secure behind a TLS proxy only with TRUST_PROXY', async () => {
    const proxied = { 'X-Forwarded-Proto': 'https' };
    const trusted = await signIn(app({ API_TOKEN: token, TRUST_PROXY: 'true' }), proxied);
    expect(trusted.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const untrusted = await signIn(app({ API_TOKEN: token }), proxied);
    expect(untrusted.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    const plain = await signIn(app({ API_TOKEN: token, TRUST_PROXY: 'true' }));
    expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  });
});

describe('headers', () => {
  it('JSON answers with personal data are not stored nor sniffed; pages cannot be framed', async () => {
    const a = app();
    for (const path of ['/api/library/tracks', '/api/sync/status', '/api/history/plays', '/api/export/saved.csv']) {
      const res = await a.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      await res.arrayBuffer();
    }
    for (const path of ['/library', '/sync-status', '/history']) {
      const res = await a.request(path);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
  });

  it('the /auth/callback error page is under the same policy as every page', async () => {
    const a = app({ SPOTIFY_CLIENT_ID: 'client-1' });
    const res = await a.request('/auth/callback?error=access_denied&state=x', { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const page = await a.request('/library');
    expect(res.headers.get('content-security-policy')).toBe(page.headers.get('content-security-policy'));
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
