import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectTokens } from '../../src/accounts/connect-account.js';
import type { RunningApi } from '../../src/api/start-api.js';
import { initialSyncStatusQuery, type InitialSyncStatus } from '../../workflows/contract.js';
import { artifactPath, Cleanup, freePort, launchChromium, startHarnessApi } from '../helpers/browser.js';
import { closeHarnessAndSchedules, createHarness, type Harness, type HarnessOptions } from '../helpers/sync-harness.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

/**
 * The status page and the login flow in a real Chromium, against real parts: Postgres, the shared
 * Temporal dev server, the simulator, the worker and the API on a free port.
 */

const entities = ['tracks', 'artists', 'albums', 'playlists'] as const;
type Entity = (typeof entities)[number];

interface PhaseView {
  synced: number;
  total: string;
  percent: number;
  complete: boolean;
  /** The bar: a <progress>, whose value is also what assistive technology reads. */
  barValue: number;
  barMax: number;
}

interface PageView {
  state: string;
  stateText: string;
  phase: string;
  overallPercent: string;
  phases: Record<Entity, PhaseView>;
}

let cleanup = new Cleanup();
afterEach(async () => {
  const steps = cleanup;
  cleanup = new Cleanup();
  await steps.run();
});

async function setUp(options: HarnessOptions & { apiPort?: number; onConnect?: (tokens: ConnectTokens) => void; context?: BrowserContextOptions }) {
  const h: Harness = await createHarness(options);
  // Connecting creates the account's incremental schedule on the shared dev server; remove it too.
  cleanup.add('harness', () => closeHarnessAndSchedules(h));
  await h.startWorker();
  const api: RunningApi = await startHarnessApi(h, { port: options.apiPort, onConnect: options.onConnect });
  cleanup.add('api', () => api.close());
  const browser: Browser = await launchChromium();
  cleanup.add('browser', () => browser.close());
  const context = await browser.newContext(options.context ?? { viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  // Script errors and CSP violations show up here; the page must run clean.
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return { h, api, browser, page, pageErrors };
}

function readPage(page: Page): Promise<PageView> {
  return page.evaluate(
    (names) => {
      const byId = (id: string) => {
        const el = document.getElementById(id);
        if (!el) throw new Error(`#${id} is missing`);
        return el;
      };
      const phases = Object.fromEntries(
        names.map((name) => {
          const el = byId(`phase-${name}`);
          return [
            name,
            {
              synced: Number(el.dataset.synced),
              total: el.dataset.total ?? '',
              percent: Number(el.dataset.percent),
              complete: el.dataset.complete === 'true',
              barValue: (el.querySelector('progress.bar') as HTMLProgressElement).value,
              barMax: (el.querySelector('progress.bar') as HTMLProgressElement).max,
            },
          ];
        }),
      );
      return {
        state: byId('state').dataset.state ?? '',
        stateText: byId('state').textContent ?? '',
        phase: byId('phase').textContent ?? '',
        overallPercent: byId('overall-percent').dataset.percent ?? '',
        phases,
      } as never;
    },
    entities as unknown as string[],
  );
}

const totalSynced = (view: PageView) => entities.reduce((n, e) => n + view.phases[e].synced, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function workflowStatus(h: Harness, accountId: string): Promise<InitialSyncStatus> {
  return await initialSyncHandle(h.client, accountId).query(initialSyncStatusQuery);
}

/** Bars agree with their numbers: each bar is filled to data-percent (of 100). */
function expectBarsConsistent(view: PageView) {
  for (const e of entities) {
    const p = view.phases[e];
    expect(p.barValue, `${e} bar`).toBe(p.percent);
    expect(p.barMax, `${e} bar max`).toBe(100);
  }
}

async function expectCompletePage(page: Page) {
  await page.locator('#state[data-state="complete"]').waitFor({ timeout: 30_000 });
  // The phase rows render in the same pass as #state; read them once it shows complete.
  const view = await readPage(page);
  expect(view.stateText).toBe('complete');
  expect(view.phase).toBe('complete');
  expect(view.overallPercent).toBe('100');
  expect(await page.locator('#overall-percent').textContent()).toBe('100%');
  for (const e of entities) {
    expect(view.phases[e], e).toMatchObject({ percent: 100, complete: true, barValue: 100, barMax: 100 });
    expect(view.phases[e].total, `${e} total`).toBe(String(view.phases[e].synced));
  }
  return view;
}

describe('status page in Chromium', () => {
  it('shows progress moving, pauses and resumes the sync from its buttons, and ends complete at 100%', async () => {
    // Development mode fetches artists and albums one by one: ~1,100 calls at 15 ms each, one at a time
    // and in batches of 50 so the bars move between two page refreshes. About 30 s in all.
    const { h, api, page, pageErrors } = await setUp({
      sim: { seed: 42, tracks: 700, playlists: 10, appMode: 'development', config: { latencyMs: 15 } },
      env: { SYNC_INITIAL_BATCH_SIZE: '50', SPOTIFY_MAX_CONCURRENCY: '1' },
    });
    const { accountId } = await h.connect();
    const started = Date.now();
    const handle = initialSyncHandle(h.client, accountId);

    await page.goto(`${api.url}/sync-status?accountId=${encodeURIComponent(accountId)}`);
    await page.locator('#status').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.title()).toBe('Spotify sync status');
    await expect.poll(() => page.locator('#account-name').textContent()).toContain(accountId);

    // Two readings at least 6 s apart (the page refreshes every 5 s): the numbers go up.
    await page.locator('#state[data-state="running"]').waitFor({ timeout: 30_000 });
    await expect.poll(async () => totalSynced(await readPage(page)), { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);
    const first = await readPage(page);
    const firstAt = Date.now();
    expect(first.state).toBe('running');
    expect(entities).toContain(first.phase);
    expectBarsConsistent(first);
    await page.screenshot({ path: await artifactPath('status-page-syncing.png'), fullPage: true });

    await sleep(6_000);
    let second = await readPage(page);
    // Batches land in steps; give the next refresh a little longer if it has not shown one yet.
    for (let i = 0; i < 20 && totalSynced(second) <= totalSynced(first); i++) {
      await sleep(500);
      second = await readPage(page);
    }
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(6_000);
    expect(totalSynced(second), `synced at ${JSON.stringify(first.phases)} then ${JSON.stringify(second.phases)}`).toBeGreaterThan(totalSynced(first));
    for (const e of entities) expect(second.phases[e].synced, e).toBeGreaterThanOrEqual(first.phases[e].synced);
    const phase = first.phase as Entity;
    expect(second.phases[phase].synced > first.phases[phase].synced || second.phases[phase].complete, `${phase} moved`).toBe(true);
    expectBarsConsistent(second);
    expect(second.state, 'the sync must still be running when the test pauses it; make the library bigger').toBe('running');

    // Pause from the page.
    expect(await page.locator('#pause').isDisabled()).toBe(false);
    expect(await page.locator('#resume').isDisabled()).toBe(true);
    await page.click('#pause');
    await expect.poll(() => page.locator('#action-message').textContent(), { timeout: 10_000 }).toMatch(/pause sent to [12] workflows?/);
    await expect.poll(async () => (await workflowStatus(h, accountId)).state, { timeout: 60_000, interval: 200 }).toBe('paused');
    expect((await workflowStatus(h, accountId)).paused).toBe(true);
    await page.locator('#state[data-state="paused"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#state').textContent()).toBe('paused');
    expect(await page.locator('#pause').isDisabled()).toBe(true);
    expect(await page.locator('#resume').isDisabled()).toBe(false);
    // Nothing moves while paused, across at least one page refresh.
    const pausedView = await readPage(page);
    await sleep(6_000);
    const stillPaused = await readPage(page);
    expect(stillPaused.state).toBe('paused');
    expect(totalSynced(stillPaused)).toBe(totalSynced(pausedView));
    await page.screenshot({ path: await artifactPath('status-page-paused.png'), fullPage: true });

    // Resume from the page; the sync finishes.
    await page.click('#resume');
    await expect.poll(async () => (await workflowStatus(h, accountId)).state, { timeout: 30_000, interval: 200 }).not.toBe('paused');
    expect((await workflowStatus(h, accountId)).paused).toBe(false);
    const result = await handle.result();
    expect(result.state).toBe('complete');
    process.stderr.write(`status page test: initial sync took ${Math.round((Date.now() - started) / 1000)} s including a 6 s pause\n`);

    const done = await expectCompletePage(page);
    expect(done.phases.tracks.synced).toBe(700);
    // Complete: nothing of the sync is left to pause; playback tracking still can be.
    expect(await page.locator('#pause').isDisabled()).toBe(true);
    expect(await page.locator('#pause-playback').isDisabled()).toBe(false);
    expect(await page.locator('#error-banner').isHidden()).toBe(true);
    expect(await page.locator('#rate-limit-banner').isHidden()).toBe(true);
    await page.screenshot({ path: await artifactPath('status-page.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('logs in through the consent page and lands on the new account’s status page', async () => {
    const apiPort = await freePort();
    const handedOver: ConnectTokens[] = [];
    const { h, api, page, pageErrors } = await setUp({
      sim: { seed: 17, tracks: 250, playlists: 6, appMode: 'development' },
      env: { SPOTIFY_CLIENT_ID: 'spotify-sync-demo', SPOTIFY_REDIRECT_URI: `http://127.0.0.1:${apiPort}/auth/callback` },
      apiPort,
      onConnect: (tokens) => handedOver.push(tokens),
    });
    expect(api.url).toBe(`http://127.0.0.1:${apiPort}`);
    expect(h.config.spotify.accountsUrl).toBe(h.sim.url);
    expect(Number((await h.db.db('accounts').count({ n: '*' }).first())?.n)).toBe(0);

    // /auth/login sends the browser to the simulator's consent page, with PKCE and state.
    await page.goto(`${api.url}/auth/login`);
    expect(page.url().startsWith(`${h.sim.url}/authorize?`)).toBe(true);
    const authorize = new URL(page.url()).searchParams;
    expect(authorize.get('client_id')).toBe('spotify-sync-demo');
    expect(authorize.get('redirect_uri')).toBe(`http://127.0.0.1:${apiPort}/auth/callback`);
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('state')).toBeTruthy();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Connect your Spotify account');
    await page.screenshot({ path: await artifactPath('login-consent.png'), fullPage: true });

    // Approve: the simulator redirects to /auth/callback, which connects and redirects to the page.
    await Promise.all([page.waitForURL(/\/sync-status\?accountId=/, { timeout: 60_000 }), page.click('#approve')]);
    const landed = new URL(page.url());
    expect(landed.origin).toBe(api.url);
    expect(landed.pathname).toBe('/sync-status');
    const accountId = landed.searchParams.get('accountId')!;
    expect(accountId).toBe(h.sim.sim.user.accountId);

    // The account is stored with its tokens encrypted: never the plaintext, and decrypting gives it back.
    expect(handedOver).toHaveLength(1);
    const plaintext = handedOver[0]!;
    expect(plaintext.refreshToken).not.toBe(h.sim.demoRefreshToken);
    const row = (await h.db.db('accounts').where({ id: accountId }).first())!;
    expect(row).toBeDefined();
    expect(row.display_name).toBe(h.sim.sim.user.displayName);
    const secrets = [plaintext.refreshToken, plaintext.accessToken!, h.sim.demoRefreshToken];
    for (const column of ['refresh_token_encrypted', 'access_token_encrypted'] as const) {
      const stored = row[column] as string;
      expect(stored, column).toMatch(/^v1:/);
      for (const secret of secrets) expect(stored.includes(secret), `${column} holds a plaintext token`).toBe(false);
    }
    expect(h.cipher.decrypt(row.refresh_token_encrypted)).toBe(plaintext.refreshToken);
    expect(h.cipher.decrypt(row.access_token_encrypted!)).toBe(plaintext.accessToken);

    // Its initial sync was started by the login: running (or already done, the library is small).
    const handle = initialSyncHandle(h.client, accountId);
    const described = await handle.describe();
    expect(described.type).toBe('initialSyncWorkflow');
    expect(described.taskQueue).toBe(h.config.temporal.taskQueue);
    expect(['RUNNING', 'COMPLETED']).toContain(described.status.name);

    // The page shows the account, and the sync it started runs to the end.
    await page.locator('#status').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => page.locator('#account-name').textContent(), { timeout: 15_000 }).toBe(`${h.sim.sim.user.displayName} (${accountId})`);
    expect(await page.locator('#no-accounts-banner').isHidden()).toBe(true);
    expect((await handle.result()).state).toBe('complete');
    await expectCompletePage(page);
    await page.screenshot({ path: await artifactPath('login-done.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone-sized viewport (390×844) without horizontal scrolling', async () => {
    const { h, api, page, pageErrors } = await setUp({
      sim: { seed: 23, tracks: 200, playlists: 4, appMode: 'development' },
      context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    });
    const { accountId } = await h.connect();
    await page.goto(`${api.url}/sync-status?accountId=${encodeURIComponent(accountId)}`);
    await page.locator('#status').waitFor({ state: 'visible', timeout: 15_000 });
    await initialSyncHandle(h.client, accountId).result();
    await expectCompletePage(page);

    const fit = await page.evaluate(() => {
      const offenders = Array.from(document.querySelectorAll<HTMLElement>('body *'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
      return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth, offenders };
    });
    expect(fit.innerWidth).toBe(390);
    expect(fit.offenders).toEqual([]);
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
    // Every control is on screen and big enough to tap.
    for (const id of ['pause', 'resume', 'reset']) {
      const box = await page.locator(`#${id}`).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      expect(box!.height).toBeGreaterThanOrEqual(32);
    }
    await page.screenshot({ path: await artifactPath('status-page-phone.png'), fullPage: true });

    // Reset asks first: dismissed, nothing happens; accepted, the initial sync starts over.
    const question = 'Start the initial sync over? Saved data and play history stay; progress starts from zero.';
    const handle = initialSyncHandle(h.client, accountId);
    const firstRun = (await handle.describe()).runId;
    const pageUrl = page.url();
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.click('#reset');
    await sleep(1_000);
    expect(asked).toEqual([question]);
    expect(page.url()).toBe(pageUrl);
    expect((await handle.describe()).runId).toBe(firstRun);
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await page.click('#reset');
    await expect.poll(() => page.locator('#action-message').textContent(), { timeout: 15_000 }).toBe('The initial sync starts over.');
    expect(asked).toEqual([question, question]);
    expect((await handle.describe()).runId).not.toBe(firstRun);
    await expectCompletePage(page);
    expect(pageErrors).toEqual([]);
  });
});
