import { afterEach, describe, expect, it } from 'vitest';
import { connectAccount } from '../../src/accounts/connect-account.js';
import { LOGIN_LIFETIME_DAYS, refusalMessages } from '../../src/accounts/login-status.js';
import { createApp } from '../../src/api/create-app.js';
import { renderStatus } from '../../src/commands/status-commands.js';
import { initialSyncWorkflowId } from '../../src/ids.js';
import type { AccountStatus } from '../../src/status/read-status.js';
import type { InitialSyncStatus } from '../../workflows/contract.js';
import { scriptedLogin } from '../helpers/scripted-login.js';
import { createHarness, type Harness, type HarnessOptions } from '../helpers/sync-harness.js';

/** Spotify's 2026 rules as the user meets them: six-month logins, five users, the owner's Premium. */

const dayMs = 86_400_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A harness whose API reads the simulator's clock, as a deployment reads the one real clock. */
async function setUp(options: HarnessOptions = {}) {
  const h = (harness = await createHarness(options));
  let simNow = new Date((await h.simRequest<{ now: number }>('/_sim/clock')).now);
  const advance = async (ms: number) => {
    simNow = new Date((await h.simRequest<{ now: number }>('/_sim/clock', { body: { advanceSeconds: ms / 1000 } })).now);
  };
  const connect = (refreshToken: string) =>
    connectAccount({ db: h.db.db, config: h.config, cipher: h.cipher, now: () => simNow, workflows: async () => ({ client: h.client, config: h.config }) }, { refreshToken });
  const app = createApp({ db: h.db.db, config: h.config, temporal: async () => h.client, connect: (tokens) => connect(tokens.refreshToken), now: () => simNow });
  const status = async (accountId: string) => {
    const res = await app.request(`/api/sync/status?accountId=${encodeURIComponent(accountId)}`);
    expect(res.status).toBe(200);
    return (await res.json()) as AccountStatus;
  };
  return { h, app, advance, connect, status, now: () => simNow };
}

describe('six-month logins', () => {
  it('warns from 14 days before on the simulator’s clock, waits when Spotify ends the login, and a new login resumes the sync', async () => {
    const { h, app, advance, connect, status, now } = await setUp({ sim: { seed: 31, tracks: 60, playlists: 2 } });
    const { accountId } = await connect(h.sim.demoRefreshToken);

    const fresh = await status(accountId);
    expect(fresh.login.state).toBe('ok');
    expect(fresh.login.message).toBeNull();
    expect(Date.parse(fresh.login.expiresAt) - Date.parse(fresh.login.authorizedAt)).toBe(LOGIN_LIFETIME_DAYS * dayMs);
    const expiresAt = Date.parse(fresh.login.expiresAt);
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toContain(`spotify_sync_login_expiry_timestamp_seconds{account="${accountId}"} ${Math.floor(expiresAt / 1000)}`);

    await advance(expiresAt - 14 * dayMs - now().getTime() - 60_000);
    expect((await status(accountId)).login.state).toBe('ok');
    await advance(2 * 60_000);
    const warned = await status(accountId);
    expect(warned.login).toMatchObject({ state: 'expiring', expiresAt: fresh.login.expiresAt });
    expect(warned.login.message).toContain(`Spotify ends this login on ${fresh.login.expiresAt.slice(0, 10)}`);
    expect(warned.state).toBe('not_started');
    expect(renderStatus(warned)).toContain(`login: expiring · made ${fresh.login.authorizedAt.slice(0, 10)} · Spotify ends it ${fresh.login.expiresAt.slice(0, 10)}`);
    // Refreshing the token does not move the six months.
    await h.simRequest('/_sim/config', { body: { rotateRefreshTokens: true } });

    // Past the six months the simulator refuses the refresh: the sync waits for a person.
    await advance(15 * dayMs);
    await h.startWorker();
    await expect.poll(async () => (await status(accountId)).state, { timeout: 60_000, interval: 200 }).toBe('needs_reauth');
    const ended = await status(accountId);
    expect(ended.needsLogin).toBe(true);
    expect(ended.login.state).toBe('expired');
    expect(ended.login.message).toMatch(/Spotify ended this login on .*Log in again/);

    const login = await scriptedLogin(h.sim.url);
    await connect(login.refreshToken);
    const result = (await h.client.workflow.getHandle(initialSyncWorkflowId(accountId)).result()) as InitialSyncStatus;
    expect(result.state).toBe('complete');
    const renewed = await status(accountId);
    expect(renewed.login.state).toBe('ok');
    expect(renewed.login.authorizedAt).toBe(now().toISOString());
  });
});

describe('a development-mode app', () => {
  async function loginAs(app: ReturnType<typeof createApp>, simUrl: string, user: number): Promise<Response> {
    const start = await app.request('/auth/login');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    const approve = new URL(`/authorize/approve${authorize.search}`, simUrl);
    approve.searchParams.set('user', String(user));
    const approved = await fetch(approve, { redirect: 'manual' });
    const callback = new URL(approved.headers.get('location') ?? '');
    return app.request(`/auth/callback${callback.search}`, { headers: { accept: 'application/json' } });
  }

  it('refuses a sixth user with the product’s message and stores nothing; the fifth connects', async () => {
    const env = { SPOTIFY_CLIENT_ID: 'household-app', SPOTIFY_REDIRECT_URI: 'http://127.0.0.1:3999/auth/callback' };
    const { h, app } = await setUp({ sim: { seed: 32, tracks: 20, playlists: 1 }, env });

    const sixth = await loginAs(app, h.sim.url, 6);
    expect(sixth.status).toBe(403);
    expect(await sixth.json()).toEqual({ error: { code: 'user_not_registered', message: refusalMessages.user_not_registered } });
    expect(await h.db.db('accounts').pluck('id')).toEqual([]);

    const fifth = await loginAs(app, h.sim.url, 5);
    expect(fifth.status).toBe(302);
    expect(fifth.headers.get('location')).toBe(`/sync-status?accountId=${encodeURIComponent(`${h.sim.sim.user.accountId}-5`)}`);
  });

  it('says so when the app owner’s Premium lapses, and a login after it is back resumes everything', async () => {
    const { h, connect, status } = await setUp({ sim: { seed: 33, tracks: 200, playlists: 3, config: { latencyMs: 5 } } });
    await h.startWorker();
    const { accountId } = await connect(h.sim.demoRefreshToken);
    await expect.poll(async () => (await status(accountId)).phases[0]!.synced, { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);

    await h.simRequest('/_sim/config', { body: { ownerPremium: false } });
    await expect.poll(async () => (await status(accountId)).state, { timeout: 60_000, interval: 200 }).toBe('needs_reauth');
    const lapsed = await status(accountId);
    expect(lapsed.login).toMatchObject({ state: 'owner_premium_required', message: refusalMessages.owner_premium_required });
    expect(lapsed.eta).toBeNull();

    await h.simRequest('/_sim/config', { body: { ownerPremium: true } });
    const login = await scriptedLogin(h.sim.url);
    await connect(login.refreshToken);
    const result = (await h.client.workflow.getHandle(initialSyncWorkflowId(accountId)).result()) as InitialSyncStatus;
    expect(result.state).toBe('complete');
    expect((await status(accountId)).login.state).toBe('ok');
  });
});
