import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { artifactPath, launchChromium } from '../helpers/browser.js';
import { syncedLibrary } from '../library/synced-library.js';

/**
 * The library pages in a real Chromium against a library synced through the workflows: search,
 * filter, open a playlist, read the history chart. Screenshots at phone and desktop widths go to
 * test-artifacts/.
 */

let lib: Awaited<ReturnType<typeof syncedLibrary>>;
let api: RunningApi;
let browser: Browser;
const token = 'browser-test-token-of-32-characters-at-least';
const pageErrors: string[] = [];

beforeAll(async () => {
  lib = await syncedLibrary({ env: { API_TOKEN: token } });
  api = await startApi({
    db: lib.db,
    config: lib.h.config,
    temporal: async () => lib.h.client,
    port: 0,
    now: () => new Date('2026-11-21T12:00:00Z'),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await lib?.h.close();
});

async function open(width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });
  return page;
}

async function signIn(page: Page) {
  await page.goto(`${api.url}/library`);
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  await page.fill('[data-testid="token-input"]', 'wrong');
  await page.click('[data-testid="sign-in-submit"]');
  await page.locator('[data-testid="sign-in-error"]').waitFor();
  await page.fill('[data-testid="token-input"]', token);
  await page.click('[data-testid="sign-in-submit"]');
  await page.waitForURL(`${api.url}/library`);
  // The refused attempt above answered 401 on purpose; from here on the pages must load clean.
  pageErrors.length = 0;
}

describe('library pages in Chromium', () => {
  it('signs in, searches without accents, filters, opens a playlist and reads the history chart', async () => {
    const page = await open(1200, 900);
    await signIn(page);
    await page.screenshot({ path: await artifactPath('library-desktop.png'), fullPage: false });

    await page.fill('[data-testid="search-input"]', 'cafe deja');
    await page.click('[data-testid="search-submit"]');
    await page.waitForURL(/q=cafe/);
    const names = await page.locator('[data-testid="track-name"]').allTextContents();
    expect(names).toEqual(['Café Déjà Vu Ñandú']);

    await page.goto(`${api.url}/library`);
    await page.selectOption('[data-testid="filter-removed"]', 'true');
    await page.click('[data-testid="search-submit"]');
    await page.waitForURL(/removed=true/);
    const removedRows = await page.locator('[data-testid="track-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-track-id')));
    expect(removedRows).toEqual([lib.removedId]);
    expect(await page.locator('[data-testid="removed-badge"]').textContent()).toBe('removed 2026-11-20');

    await page.click('[data-testid="nav-playlists"]');
    await page.waitForURL(/\/playlists$/);
    await page.click('[data-testid="show-deleted"]');
    await page.locator(`[data-playlist-id="${lib.deletedPlaylist}"] [data-testid="playlist-link"]`).click();
    await page.locator('[data-testid="deleted-notice"]').waitFor();
    // Every entry at its position: tracks by their id, episodes, local files and unavailable entries by their kind.
    const shownIds = await page
      .locator('[data-testid="track-row"], [data-testid="entry-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-track-id') ?? `(${r.getAttribute('data-kind') ?? ''})`));
    const stored = (
      (await lib.db('playlist_items').where({ account_id: lib.accountId, playlist_id: lib.deletedPlaylist }).orderBy('position').limit(100).select('track_id', 'kind')) as {
        track_id: string | null;
        kind: string;
      }[]
    ).map((row) => (row.kind === 'track' && row.track_id ? row.track_id : `(${row.kind})`));
    expect(shownIds).toEqual(stored);
    await page.screenshot({ path: await artifactPath('playlist-desktop.png') });

    // Ten to a page: forward and back again, each page saying which entries it shows.
    const entries = Number((await lib.db('playlist_items').where({ account_id: lib.accountId, playlist_id: lib.deletedPlaylist }).count<{ n: string }[]>({ n: '*' }))[0]!.n);
    expect(entries).toBeGreaterThan(20);
    await page.goto(`${api.url}/playlists/${encodeURIComponent(lib.deletedPlaylist)}?limit=10`);
    expect(await page.locator('[data-testid="page-range"]').textContent()).toBe(`entries 1–10 of ${entries}`);
    expect(await page.locator('[data-testid="previous-page"]').count()).toBe(0);
    await page.click('[data-testid="next-page"]');
    await page.click('[data-testid="next-page"]');
    expect(await page.locator('[data-testid="page-range"]').textContent()).toBe(`entries 21–${Math.min(30, entries)} of ${entries}`);
    await page.click('[data-testid="previous-page"]');
    expect(await page.locator('[data-testid="page-range"]').textContent()).toBe(`entries 11–20 of ${entries}`);
    await page.click('[data-testid="previous-page"]');
    expect(await page.locator('[data-testid="page-range"]').textContent()).toBe(`entries 1–10 of ${entries}`);
    expect(new URL(page.url()).searchParams.get('cursor')).toBeNull();

    await page.click('[data-testid="nav-history"]');
    await page.waitForURL(/\/history/);
    await page.fill('[data-testid="history-from"]', '2026-11-01');
    await page.fill('[data-testid="history-to"]', '2026-11-30');
    await page.locator('form.filters button[type="submit"]').click();
    await page.waitForURL(/from=2026-11-01/);
    const bars = await page
      .locator('[data-testid="minutes-chart"] rect.bar')
      .evaluateAll((rects) => rects.map((r) => ({ day: r.getAttribute('data-start'), plays: Number(r.getAttribute('data-plays')), height: Number(r.getAttribute('height')) })));
    const perDay = (
      await lib.db.raw(
        `select to_char(date_trunc('day', played_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::int as plays
       from play_history where account_id = ? and not is_short group by 1`,
        [lib.accountId],
      )
    ).rows as { day: string; plays: number }[];
    expect(bars).toHaveLength(30);
    for (const bar of bars) {
      const expected = perDay.find((d) => d.day === bar.day)?.plays ?? 0;
      expect({ day: bar.day, plays: bar.plays, drawn: bar.height > 0 }).toEqual({ day: bar.day, plays: expected, drawn: expected > 0 });
    }
    expect(await page.locator('[data-testid="gap"]').allTextContents()).toEqual([expect.stringContaining('Plays between 2026-11-10 14:02 UTC and 16:40 may be missing')]);
    await page.screenshot({ path: await artifactPath('history-desktop.png') });
    await page.screenshot({ path: await artifactPath('history-desktop-full.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('is usable at a phone’s width', async () => {
    const page = await open(390, 844);
    await signIn(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: await artifactPath('library-phone.png') });
    await page.goto(`${api.url}/history?from=2026-11-01&to=2026-11-30`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: await artifactPath('history-phone.png') });
    await page.goto(`${api.url}/playlists`);
    await page.screenshot({ path: await artifactPath('playlists-phone.png') });
    // The import form is a page of the site like the others: its navigation, under History.
    await page.goto(`${api.url}/history/import`);
    expect(await page.getAttribute('[data-testid="nav-history"]', 'aria-current')).toBe('page');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: await artifactPath('history-import-phone.png') });
    expect(pageErrors).toEqual([]);
  });
});
