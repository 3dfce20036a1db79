import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAccount } from '../../src/accounts/connect-account.js';
import { createApp } from '../../src/api/create-app.js';
import { maxPendingLogins, maxPendingLoginsPerClient, PendingLogins } from '../../src/api/spotify-login.js';
import { listenerLogin } from '../unit/simulator/helpers.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

/**
 * A table of bad requests against every route of the API and the simulator's controls, on real
 * Postgres and Temporal: each answers a 4xx (never a 5xx), and nothing in the database changes.
 */

const apiToken = 'the-operators-api-token-0123456789';
let h: Harness;
let app: ReturnType<typeof createApp>;
let accountId: string;
let secondAccountId: string;

beforeAll(async () => {
  h = await createHarness({
    sim: { seed: 41, tracks: 20, playlists: 1 },
    env: { API_TOKEN: apiToken, SPOTIFY_CLIENT_ID: 'bad-input-app', SPOTIFY_REDIRECT_URI: 'http://127.0.0.1:3999/auth/callback' },
  });
  const connect = (refreshToken: string) =>
    connectAccount({ db: h.db.db, config: h.config, cipher: h.cipher, workflows: async () => ({ client: h.client, config: h.config }) }, { refreshToken });
  app = createApp({ db: h.db.db, config: h.config, temporal: async () => h.client, connect: (t) => connect(t.refreshToken) });
  ({ accountId } = await connect(h.sim.demoRefreshToken));
  ({ accountId: secondAccountId } = await connect((await listenerLogin(h.sim.sim, 2, 'bad-input-app')).refresh_token));
});
afterAll(async () => h?.close());

/** Query values as they travel: percent-encoded bytes, some of them not UTF-8 at all. */
const badQueryValues = [
  '%00', // NUL
  'acct%00x',
  '%ED%A0%80', // a lone surrogate, CESU-8 encoded: not valid UTF-8
  '%ED%B0%80x',
  '%07', // BEL
  '%1B%5B31m', // an ANSI escape
  '%C2%9B', // a C1 control (CSI)
  'a%0Ab', // a line break inside an id
  'x'.repeat(300),
  'x'.repeat(100_000),
  '%ZZ', // not percent-encoding
  '%E2%82', // truncated UTF-8
  '%20%20', // only spaces
];

/** JSON bodies as sent, some with escapes JSON allows but Postgres cannot store. */
const badJsonBodies = [
  '{"accountId":"\\u0000"}',
  '{"accountId":"acct\\u0000x"}',
  '{"accountId":"\\ud800"}',
  '{"accountId":"x\\udc00"}',
  '{"accountId":"\\u0007"}',
  '{"accountId":"\\u009b"}',
  `{"accountId":"${'x'.repeat(300)}"}`,
  '{"accountId":""}',
  '{"accountId":42}',
  '{"accountId":null}',
  '{"accountId":["a"]}',
  '{"accountId":{"$gt":""}}',
  '{"accountId":"a","extra":1}',
  '{"accountId":',
  '[]',
  '"just a string"',
  'null',
  '\u0000',
];

const tenMegabytes = `{"accountId":"${'x'.repeat(10 * 1024 * 1024)}"}`;

async function snapshot() {
  const [accounts, states, history] = await Promise.all([
    h.db.db('accounts').orderBy('id').select('id', 'sync_state', 'sync_phase', 'needs_reauth', 'login_problem', 'updated_at'),
    h.db.db('sync_state').orderBy('id').select(),
    h.db.db('sync_history').count({ n: '*' }).first(),
  ]);
  return { accounts, states, history };
}

interface Answer {
  request: string;
  status: number;
  body: string;
  contentType: string;
}

async function send(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await app.request(`http://127.0.0.1:3000${path}`, init);
  return {
    request: `${init.method ?? 'GET'} ${path.slice(0, 80)} ${String(init.body ?? '').slice(0, 40)}`,
    status: res.status,
    body: await res.text(),
    contentType: res.headers.get('content-type') ?? '',
  };
}

const bearer = { authorization: `Bearer ${apiToken}` };
const json = { 'content-type': 'application/json' };

describe('bad input', () => {
  it('gets a 4xx with a JSON error from every route, never a 5xx, and changes nothing', async () => {
    const before = await snapshot();
    const answers: Answer[] = [];
    for (const value of badQueryValues) {
      answers.push(await send(`/api/sync/status?accountId=${value}`, { headers: bearer }));
      answers.push(await send(`/api/sync/status?accountId=${value}`));
      // The login needs the token too (the one auth gate); the operator's bad callbacks are still refused.
      for (const field of ['state', 'code', 'error', 'error_description']) answers.push(await send(`/auth/callback?${field}=${value}&state=s`, { headers: bearer }));
      answers.push(await send(`/auth/callback?state=${value}`));
    }
    for (const action of ['pause', 'resume', 'reset']) {
      for (const body of badJsonBodies) answers.push(await send(`/api/sync/${action}`, { method: 'POST', headers: { ...bearer, ...json }, body }));
      answers.push(await send(`/api/sync/${action}`, { method: 'POST', headers: { ...bearer, ...json }, body: tenMegabytes }));
      answers.push(await send(`/api/sync/${action}`, { method: 'POST', headers: { ...bearer, 'content-type': 'text/plain' }, body: `{"accountId":"${accountId}"}` }));
      // Wrong tokens: none, another one, another scheme, an empty one, one with bytes no token has.
      for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${btoa(`x:${apiToken}`)}`, 'Bearer ', `Bearer ${apiToken}\u00ff`, `bearer${apiToken}`]) {
        const headers: Record<string, string> = { ...json };
        if (authorization !== undefined) headers.authorization = authorization;
        answers.push(await send(`/api/sync/${action}`, { method: 'POST', headers, body: `{"accountId":"${accountId}"}` }));
      }
    }
    for (const path of ['/openapi.json?x=%00', '/sync-status?accountId=%00', '/healthz?x=%ED%A0%80', '/metrics?x=%00', '/no/such/route%00']) {
      answers.push(await send(path));
    }
    answers.push(await send('/auth/login', { method: 'POST', headers: json, body: tenMegabytes }));

    const serverErrors = answers.filter((a) => a.status >= 500);
    expect(serverErrors).toEqual([]);
    const refused = answers.filter((a) => a.request.startsWith('GET /api/') || a.request.startsWith('POST /api/') || a.request.includes('&state=s'));
    for (const answer of refused) {
      expect(answer.status, answer.request).toBeGreaterThanOrEqual(400);
      expect(answer.status, answer.request).toBeLessThan(500);
      expect(JSON.parse(answer.body), answer.request).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    // The bad text is named, not stored, and never echoed raw.
    const nul = await send('/api/sync/status?accountId=acct%00x', { headers: bearer });
    expect(nul.status).toBe(400);
    expect(JSON.parse(nul.body).error.message).toMatch(/accountId.*NUL/);
    const surrogate = await send('/api/sync/pause', { method: 'POST', headers: { ...bearer, ...json }, body: '{"accountId":"\\ud800"}' });
    expect(surrogate.status).toBe(400);
    expect(JSON.parse(surrogate.body).error.message).toMatch(/accountId.*Unicode/);
    const huge = await send('/api/sync/reset', { method: 'POST', headers: { ...bearer, ...json }, body: tenMegabytes });
    expect(huge.status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it('gets a 4xx from every control of the simulator, never a 5xx', async () => {
    const sim = h.sim.sim;
    const before = sim.config();
    const answers: { request: string; status: number }[] = [];
    const post = async (path: string, body: string, contentType = 'application/json') => {
      const res = await sim.app.request(`http://sim.test${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
      answers.push({ request: `${path} ${body.slice(0, 40)}`, status: res.status });
    };
    for (const path of ['/_sim/config', '/_sim/clock', '/_sim/mutate']) {
      for (const body of [...badJsonBodies, '{"appMode":"\\u0000"}', '{"advanceSeconds":"\\ud800"}', '{"saveTracks":1e309}', '{"latencyMs":-1}', tenMegabytes])
        await post(path, body);
    }
    await post('/api/token', `grant_type=refresh_token&refresh_token=%00&client_id=${'x'.repeat(5000)}`, 'application/x-www-form-urlencoded');
    await post('/api/token', `grant_type=%ED%A0%80`, 'application/x-www-form-urlencoded');
    await post('/api/token', tenMegabytes, 'application/x-www-form-urlencoded');
    for (const query of ['client_id=%00&redirect_uri=%ED%A0%80', 'client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&response_type=code&user=%00']) {
      const res = await sim.app.request(`http://sim.test/authorize/approve?${query}`);
      answers.push({ request: `approve ${query}`, status: res.status });
    }
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.filter((a) => a.status < 400)).toEqual([]);
    expect(sim.config()).toEqual(before);
  });
});

describe('with API_TOKEN set', () => {
  it('lists account ids only to callers holding the token; without it, status answers nobody (401)', async () => {
    const anonymous = await send('/api/sync/status');
    expect(anonymous.status).toBe(401);
    const unknown = await send('/api/sync/status?accountId=nobody');
    expect(unknown.status).toBe(401);
    for (const answer of [anonymous, unknown]) {
      expect(answer.body).not.toContain(accountId);
      expect(answer.body).not.toContain(secondAccountId);
    }
    const operator = await send('/api/sync/status', { headers: bearer });
    expect(operator.status).toBe(200);
    expect(
      JSON.parse(operator.body)
        .accounts.map((a: { accountId: string }) => a.accountId)
        .sort(),
    ).toEqual([accountId, secondAccountId].sort());
    expect((await send('/api/sync/status?accountId=nobody', { headers: bearer })).body).toContain(accountId);
    // Knowing an account id is no longer enough: status needs a session or token too (docs/security.md).
    expect((await send(`/api/sync/status?accountId=${encodeURIComponent(accountId)}`)).status).toBe(401);
  });
});

describe('pending logins', () => {
  it('a thousand logins from one client push out only that client’s own, and expire', () => {
    let now = new Date('2026-06-01T10:00:00Z');
    const pending = new PendingLogins(() => now);
    const real = pending.add('verifier-of-a-real-user', '192.0.2.10');
    expect(real).not.toBeNull();
    const flood: (string | null)[] = [];
    for (let i = 0; i < 1000; i++) flood.push(pending.add(`flood-${i}`, '198.51.100.7'));
    expect(pending.size).toBe(1 + maxPendingLoginsPerClient);
    expect(pending.take(flood[0]!)).toBeUndefined();
    expect(pending.take(flood[999]!)).toBe('flood-999');
    expect(pending.take(real!)).toBe('verifier-of-a-real-user');

    // Many clients: past the global bound new logins are refused, none in progress is pushed out.
    const first = pending.add('first', '203.0.113.1')!;
    for (let i = 0; pending.size < maxPendingLogins; i++) pending.add(`v${i}`, `10.0.${Math.floor(i / 250)}.${i % 250}`);
    expect(pending.add('one too many', '10.9.9.9')).toBeNull();
    expect(pending.take(first)).toBe('first');

    const late = pending.add('late', '192.0.2.10')!;
    now = new Date(now.getTime() + 10 * 60_000 + 1);
    expect(pending.take(late)).toBeUndefined();
    expect(pending.size).toBe(0);
  });
});
