import { afterEach, describe, expect, it } from 'vitest';
import { LOGIN_LIFETIME_DAYS, LOGIN_WARNING_DAYS } from '../../src/accounts/login-status.js';
import { Cleanup, launchChromium, startHarnessApi } from '../helpers/browser.js';
import { createHarness } from '../helpers/sync-harness.js';

/** The status page's login banner in Chromium, with the API reading the simulator's clock. */

const dayMs = 86_400_000;
let cleanup = new Cleanup();
afterEach(async () => {
  const steps = cleanup;
  cleanup = new Cleanup();
  await steps.run();
});

describe('the login banner', () => {
  it(`appears ${LOGIN_WARNING_DAYS} days before Spotify ends the login, on the simulator’s clock`, async () => {
    const h = await createHarness({ sim: { seed: 61, tracks: 20, playlists: 1 } });
    cleanup.add('harness', () => h.close());
    const simClock = () => new Date(Date.now() + h.sim.sim.clockOffsetSeconds() * 1000);
    const api = await startHarnessApi(h, { now: simClock });
    cleanup.add('api', () => api.close());
    const { accountId } = await h.connect();
    const browser = await launchChromium();
    cleanup.add('browser', () => browser.close());
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${api.url}/sync-status?accountId=${encodeURIComponent(accountId)}`);
    await page.locator('#state[data-state="not_started"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('#login-banner').isVisible()).toBe(false);
    expect(await page.locator('#login-banner').getAttribute('data-login-state')).toBe('ok');

    // A minute short of the warning, then a minute past it: the page refreshes every 5 s.
    await h.sim.sim.advanceClock((LOGIN_LIFETIME_DAYS - LOGIN_WARNING_DAYS) * 86_400 - 60);
    await page.reload();
    await page.locator('#state[data-state="not_started"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('#login-banner').isVisible()).toBe(false);
    await h.sim.sim.advanceClock(120);
    await page.locator('#login-banner[data-login-state="expiring"]').waitFor({ state: 'visible', timeout: 15_000 });
    const expiresAt = await page.locator('#login-banner').getAttribute('data-expires-at');
    expect(Date.parse(expiresAt!) - simClock().getTime()).toBeLessThan(LOGIN_WARNING_DAYS * dayMs);
    expect(await page.locator('#login-message').textContent()).toBe(
      `Spotify ends this login on ${expiresAt!.slice(0, 10)} (six months after it was made). Log in again before then to keep syncing.`,
    );
    expect(await page.locator('#reauth-login').getAttribute('href')).toBe('/auth/login');
    expect(pageErrors).toEqual([]);
  });
});
