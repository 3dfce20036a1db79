import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAccount } from '../../src/accounts/connect-account.js';
import { createApp } from '../../src/api/create-app.js';
import type { Config } from '../../src/config/load-config.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

/**
 * Signing in with Spotify (DESIGN.md, a household), through the simulator's five users: the login that
 * connects an account opens its person's session; the first account is the owner; anyone else joins
 * through ALLOWED_ACCOUNTS or an owner's invitation, and is refused with a clear page otherwise, with
 * nothing stored.
 */

let h: Harness;
let users: { userId: string; accountId: string; displayName: string; refreshToken: string }[];
const redirectUri = 'http://127.0.0.1:3999/auth/callback';

beforeAll(async () => {
  h = await createHarness();
  users = (await h.simRequest<{ items: typeof users }>('/_sim/users')).items;
}, 120_000);
afterAll(async () => {
  await h?.close();
});

function app(overrides: Partial<Config> = {}) {
  const config: Config = { ...h.config, spotify: { ...h.config.spotify, clientId: 'spotify-sync-demo', redirectUri }, ...overrides };
  return createApp({
    db: h.db.db,
    config,
    temporal: async () => h.client,
    connect: (tokens, options) => connectAccount({ db: h.db.db, config, cipher: h.cipher, workflows: async () => ({ client: h.client, config }) }, tokens, options),
  });
}

/** A person pressing Sign in with Spotify and approving as simulated user `number` (1 to 5) on the consent page. */
async function signInAs(a: ReturnType<typeof app>, number: number, query = ''): Promise<Response> {
  const login = await a.request(`http://127.0.0.1:3999/auth/login${query}`, { headers: { Accept: 'text/html' } });
  expect(login.status).toBe(302);
  const authorize = new URL(login.headers.get('location')!);
  const approve = new URL('/authorize/approve', authorize);
  approve.search = authorize.search;
  approve.searchParams.set('user', String(number));
  const consent = await fetch(approve, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get('location')!);
  return a.request(`http://127.0.0.1:3999/auth/callback${back.search}`, { headers: { Accept: 'text/html', 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' } });
}

const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;

describe('signing in with Spotify', () => {
  it('the simulator offers five users, the demo user first, each with a refresh token', () => {
    expect(users).toHaveLength(5);
    expect(new Set(users.map((u) => u.accountId)).size).toBe(5);
    expect(users[0]!.refreshToken).toBe(h.sim.demoRefreshToken);
  });

  it('the first account becomes the owner and is signed in; a stranger is refused and nothing of theirs is stored; an invitation lets one in, once; ALLOWED_ACCOUNTS another', async () => {
    const a = app();
    const first = await signInAs(a, 1);
    expect(first.status).toBe(302);
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/);
    const owner = cookieOf(first);
    expect((await h.db.db('accounts').where({ id: users[0]!.accountId }).first('role'))!.role).toBe('owner');
    expect((await a.request('/api/library/tracks', { headers: { Cookie: owner } })).status).toBe(200);
    // The household formed: nothing personal without a session or token from now on.
    expect((await a.request('/api/sync/status')).status).toBe(401);

    const stranger = await signInAs(a, 2);
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('set-cookie')).toBeNull();
    expect(await stranger.text()).toContain('invitation');
    expect(await h.db.db('accounts').where({ id: users[1]!.accountId }).first('id')).toBeUndefined();

    const made = await a.request('/settings/security/invitations', { method: 'POST', headers: { Cookie: owner, 'Sec-Fetch-Site': 'same-origin' } });
    expect(made.status).toBe(200);
    const link = /\/join\/([A-Za-z0-9_-]+)/.exec(await made.text())![1]!;
    const join = await a.request(`/join/${link}`);
    expect(join.status).toBe(200);
    expect(await join.text()).toContain(`/auth/login?invitation=${link}`);
    const invited = await signInAs(a, 2, `?invitation=${link}`);
    expect(invited.status).toBe(302);
    const member = cookieOf(invited);
    expect((await h.db.db('accounts').where({ id: users[1]!.accountId }).first('role'))!.role).toBe('member');
    // The member's session means the member's account; the owner's is 404 to them.
    const status = (await (await a.request('/api/sync/status', { headers: { Cookie: member } })).json()) as { accountId: string };
    expect(status.accountId).toBe(users[1]!.accountId);
    expect((await a.request(`/api/library/tracks?accountId=${users[0]!.accountId}`, { headers: { Cookie: member } })).status).toBe(404);
    // Used once: a third person cannot come through the same link.
    expect((await signInAs(a, 3, `?invitation=${link}`)).status).toBe(403);
    expect(await (await a.request(`/join/${link}`)).text()).toContain('used already');

    const allowed = app({ allowedAccounts: [users[3]!.accountId] });
    expect((await signInAs(allowed, 4)).status).toBe(302);
    expect((await signInAs(allowed, 5)).status).toBe(403);

    // The security log: sign-ins, the refusals, the invitation.
    const log = await (await a.request('/settings/security', { headers: { Cookie: owner } })).text();
    for (const event of ['sign_in', 'sign_in_refused', 'invitation_created']) expect(log).toContain(event);
    expect(log).toContain('Firefox on Linux');
  });
});
