import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { playbackWorkflowId } from '../../src/ids.js';
import { artifactPath, launchChromium } from '../helpers/browser.js';
import { syncedLibrary } from '../library/synced-library.js';

/**
 * The home page, a track's page, an artist's and an album's, and a mistyped URL, in a real Chromium
 * against a library synced from the simulator; screenshots at a phone's and a desktop's width go to
 * test-artifacts/.
 */

let lib: Awaited<ReturnType<typeof syncedLibrary>>;
let api: RunningApi;
let browser: Browser;
const pageErrors: string[] = [];
const widths = [390, 1280] as const;
/** The API's clock: a November day, moved to December and January by the year-link test. */
let clock = new Date('2026-11-21T12:00:00Z');

beforeAll(async () => {
  lib = await syncedLibrary();
  api = await startApi({
    db: lib.db,
    config: lib.h.config,
    temporal: async () => lib.h.client,
    port: 0,
    now: () => clock,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await lib?.h.close();
});

async function open(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The 404 page answers 404 on purpose; anything else logged as an error is a fault.
    if (m.type() === 'error' && !/404/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
  });
  return page;
}

/** Nothing wider than the window (no sideways scrolling), and every picture loaded. */
async function expectFitsAndPicturesLoad(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  const broken = await page
    .locator('img')
    .evaluateAll(
      (imgs) =>
        (imgs as HTMLImageElement[]).filter((i) => i.loading !== 'lazy' || i.getBoundingClientRect().top < window.innerHeight).filter((i) => i.complete && i.naturalWidth === 0)
          .length,
    );
  expect(broken).toBe(0);
}

describe('home, details and not-found pages in Chromium', () => {
  it('opens on a home page with the counts, the sync, this week, recent plays and saves, each a link onward', async () => {
    for (const width of widths) {
      const page = await open(width);
      const res = await page.goto(`${api.url}/`);
      expect(res!.status()).toBe(200);
      expect(res!.headers()['content-security-policy']).toContain("img-src 'self' data: https://i.scdn.co");
      const saved = await lib.db('saved_tracks').where({ account_id: lib.accountId }).whereNull('removed_at').count<{ n: string }[]>({ n: '*' });
      expect(await page.locator('[data-testid="home-saved-count"] .count').textContent()).toBe(String(Number(saved[0]!.n)));
      // 88 plays in the fixture (90 minus the days left empty, plus a short one and an unresolved one), 30 of them imported.
      const plays = await lib.db('play_history').where({ account_id: lib.accountId }).count<{ n: string }[]>({ n: '*' });
      expect(await page.locator('[data-testid="home-plays-count"] .count').textContent()).toBe(String(Number(plays[0]!.n)));
      await expect.poll(() => page.locator('[data-testid="home-plays-count"] .label').textContent()).toMatch(/imported/);
      expect(await page.locator('[data-testid="home-sync"]').textContent()).toContain('Library in sync.');
      // This week as the history's chart: seven bars with an axis in minutes, the values also as a table.
      expect(await page.locator('[data-testid="home-week"] rect.bar').count()).toBe(7);
      expect(await page.locator('[data-testid="home-week-table"] tbody tr').count()).toBe(7);
      expect(await page.locator('[data-testid="home-week"] text.unit').textContent()).toBe('min');
      // November: no year to recap yet.
      expect(await page.locator('[data-testid="home-year"]').count()).toBe(0);
      expect(await page.locator('[data-testid="home-play"]').count()).toBe(8);
      expect(await page.locator('[data-testid="home-saved"]').count()).toBe(8);
      // The demo's covers are the simulator's own, inline: they load with no network.
      expect(await page.locator('[data-testid="home-saved"] img[loading="lazy"]').count()).toBe(8);
      // When a track was played or saved is never cut off, even on a phone.
      const cut = await page
        .locator('[data-testid="home-play-time"], [data-testid="home-saved-day"]')
        .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth || e.getBoundingClientRect().width === 0).length);
      expect(cut).toBe(0);
      await expectFitsAndPicturesLoad(page, width);
      await page.screenshot({ path: await artifactPath(`home-${width}.png`), fullPage: true });
      await page.context().close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('follows a recent play to its track page: plays over time, first and last play, playlists, saved when', async () => {
    const page = await open(1280);
    await page.goto(`${api.url}/`);
    const first = page.locator('[data-testid="home-play"] a').first();
    const name = await first.textContent();
    await first.click();
    await page.waitForURL(/\/tracks\//);
    expect(await page.locator('[data-testid="entity-name"]').textContent()).toBe(name);
    const trackId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);

    const stored = (await lib
      .db('play_history')
      .where({ account_id: lib.accountId, track_id: trackId, is_short: false })
      .first(lib.db.raw('count(*)::int as n'), lib.db.raw('min(played_at) as first'), lib.db.raw('max(played_at) as last'))) as { n: number; first: Date; last: Date };
    expect(await page.locator('[data-testid="track-play-count"]').textContent()).toBe(`${stored.n} ${stored.n === 1 ? 'play' : 'plays'}`);
    expect(await page.locator('[data-testid="track-first-play"]').textContent()).toBe(`${stored.first.toISOString().slice(0, 10)} ${stored.first.toISOString().slice(11, 16)} UTC`);
    expect(await page.locator('[data-testid="track-last-play"]').textContent()).toContain(stored.last.toISOString().slice(0, 10));
    const months = await page.locator('[data-testid="track-plays-by-month"] li').allTextContents();
    expect(months.join(' ')).toContain(stored.last.toISOString().slice(0, 7));

    const saved = await lib.db('saved_tracks').where({ account_id: lib.accountId, track_id: trackId }).first('added_at');
    expect(await page.locator('[data-testid="track-saved"]').textContent()).toBe((saved!.added_at as Date).toISOString().slice(0, 10));
    const inPlaylists = await lib
      .db('playlist_items as pi')
      .join('playlists as p', (j) => j.on('p.account_id', 'pi.account_id').andOn('p.id', 'pi.playlist_id'))
      .where({ 'pi.account_id': lib.accountId, 'pi.track_id': trackId })
      .whereNull('p.removed_at')
      .countDistinct<{ n: string }[]>({ n: 'p.id' });
    expect(await page.locator('[data-testid="track-playlists"] li').count()).toBe(Number(inPlaylists[0]!.n));
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await expectFitsAndPicturesLoad(page, width);
      await page.screenshot({ path: await artifactPath(`track-${width}.png`), fullPage: true });
    }

    // On to its album: track numbers, play counts, the album not repeated on every row; then an artist.
    await page.click('[data-testid="track-album"]');
    await page.waitForURL(/\/albums\//);
    expect(await page.locator('[data-testid="track-table"] th').first().textContent()).toBe('#');
    expect(await page.locator('[data-testid="track-table"] th', { hasText: 'Album' }).count()).toBe(0);
    const albumPlays = await page.locator('[data-testid="track-plays"]').allTextContents();
    expect(albumPlays.length).toBeGreaterThan(0);
    // The list labels its own sum; the header gives the listening card's figure, so the page never shows two counts for one thing.
    expect(await page.locator('[data-testid="listed-plays"]').textContent()).toMatch(new RegExp(`^${albumPlays.reduce((n, p) => n + Number(p), 0)} plays? of the`));
    expect(await page.locator('[data-testid="entity-plays"]').textContent()).toMatch(
      new RegExp(`^${await page.locator('[data-testid="listening-plays"]').textContent()} plays? ·`),
    );
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await expectFitsAndPicturesLoad(page, width);
      await page.screenshot({ path: await artifactPath(`album-${width}.png`), fullPage: true });
    }
    await page.locator('.entity-head a').first().click();
    await page.waitForURL(/\/artists\//);
    expect(await page.locator('[data-testid="entity-plays"]').textContent()).toMatch(/plays? · \d+ tracks? in your library/);
    const artistPlays = await page.locator('[data-testid="listening-plays"]').count();
    if (artistPlays > 0)
      expect(await page.locator('[data-testid="entity-plays"]').textContent()).toMatch(
        new RegExp(`^${await page.locator('[data-testid="listening-plays"]').textContent()} plays? ·`),
      );
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await expectFitsAndPicturesLoad(page, width);
      await page.screenshot({ path: await artifactPath(`artist-${width}.png`), fullPage: true });
    }
    expect(pageErrors).toEqual([]);
  });

  it('answers a mistyped page with an HTML 404 in the layout, and an unknown API route with JSON', async () => {
    for (const width of widths) {
      const page = await open(width);
      const res = await page.goto(`${api.url}/librery`);
      expect(res!.status()).toBe(404);
      expect(res!.headers()['content-type']).toContain('text/html');
      expect(await page.locator('h1').textContent()).toBe('Page not found');
      expect(await page.locator('[data-testid="nav-library"]').count()).toBe(1);
      await page.click('text=home page');
      await page.waitForURL(`${api.url}/`);
      const unknownTrack = await page.goto(`${api.url}/tracks/nope`);
      expect(unknownTrack!.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not found');
      await page.goto(`${api.url}/librery`);
      await page.screenshot({ path: await artifactPath(`not-found-${width}.png`), fullPage: true });
      await page.context().close();
    }
    const api404 = await fetch(`${api.url}/api/nope`);
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('after the sync is complete, pauses and resumes playback tracking from its own buttons, and the page says so', async () => {
    const playbackPaused = async () => ((await lib.h.client.workflow.getHandle(playbackWorkflowId(lib.accountId)).query('status')) as { paused: boolean }).paused;
    for (const width of widths) {
      const page = await open(width);
      await page.goto(`${api.url}/sync-status`);
      expect(await page.locator('#state').getAttribute('data-state')).toBe('complete');
      // Nothing of the sync to pause: its button is off and says why; playback tracking has its own.
      expect(await page.locator('#pause').isDisabled()).toBe(true);
      expect(await page.locator('#sync-controls-note').textContent()).toContain('complete');
      expect(await page.locator('#pause-playback').isDisabled()).toBe(false);
      expect(await page.locator('#resume-playback').isDisabled()).toBe(true);
      expect(await page.locator('#playback').textContent()).toMatch(/plays recorded by polling \(and \d+ imported from your data export\)/);

      await page.click('#pause-playback');
      await expect.poll(() => page.locator('#action-message').textContent(), { timeout: 10_000 }).toBe('pause sent to 1 workflow (playback tracking).');
      await expect.poll(playbackPaused, { timeout: 10_000 }).toBe(true);
      expect(await page.locator('#playback-state').getAttribute('data-paused')).toBe('true');
      expect(await page.locator('#state').getAttribute('data-state')).toBe('complete');
      expect(await page.locator('#resume-playback').isDisabled()).toBe(false);
      expect(await page.locator('#pause-playback').isDisabled()).toBe(true);
      await page.screenshot({ path: await artifactPath(`status-playback-paused-${width}.png`), fullPage: true });

      await page.click('#resume-playback');
      await expect.poll(() => page.locator('#action-message').textContent(), { timeout: 10_000 }).toBe('resume sent to 1 workflow (playback tracking).');
      await expect.poll(playbackPaused, { timeout: 10_000 }).toBe(false);
      expect(await page.locator('#playback-state').getAttribute('data-paused')).toBe('false');
      expect(await page.locator('#pause-playback').isDisabled()).toBe(false);
      await page.context().close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('shows covers on the list pages, and every page fits a phone without sideways scrolling', async () => {
    const playlist = await lib.db('playlists').where({ account_id: lib.accountId }).whereNull('removed_at').orderBy('list_position').first('id');
    const pages = { library: '/library', playlists: '/playlists', playlist: `/playlists/${playlist!.id}`, history: '/history', 'sign-in': '/sign-in' };
    for (const width of widths) {
      const page = await open(width);
      for (const [name, path] of Object.entries(pages)) {
        const res = await page.goto(`${api.url}${path}`);
        expect(res!.status(), path).toBe(200);
        await expectFitsAndPicturesLoad(page, width);
        if (name !== 'sign-in' && name !== 'history') expect(await page.locator('[data-testid="cover"]').count(), path).toBeGreaterThan(0);
        await page.screenshot({ path: await artifactPath(`${name}-${width}.png`), fullPage: false });
      }
      await page.context().close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('links the home to the year in December and January, and the year page opens from it', async () => {
    try {
      for (const [now, year] of [
        ['2026-12-05T12:00:00Z', 2026],
        ['2027-01-10T12:00:00Z', 2026],
      ] as const) {
        clock = new Date(now);
        const page = await open(390);
        await page.goto(`${api.url}/`);
        const link = page.locator('[data-testid="home-year-link"]');
        expect(await link.textContent()).toContain(String(year));
        await link.click();
        await page.waitForURL(new RegExp(`/year/${year}$`));
        expect(await page.locator('h1').textContent()).toContain(String(year));
        await expectFitsAndPicturesLoad(page, 390);
        await page.context().close();
      }
    } finally {
      clock = new Date('2026-11-21T12:00:00Z');
    }
    expect(pageErrors).toEqual([]);
  });

  it('shows the library’s albums, artists, podcasts and audiobooks on a phone with no sideways scrolling', async () => {
    const page = await open(390);
    for (const part of ['albums', 'artists', 'podcasts', 'audiobooks']) {
      const res = await page.goto(`${api.url}/library/${part}`);
      expect(res!.status()).toBe(200);
      expect(await page.locator('[data-testid="library-tabs"] strong').count()).toBe(1);
      // Every item with its picture (or the placeholder), podcasts and audiobooks too.
      const items = await page.locator('[data-testid="collection-item"]').count();
      expect(await page.locator('[data-testid="collection-item"] img, [data-testid="collection-item"] [data-testid="cover-placeholder"]').count()).toBeGreaterThanOrEqual(items);
      await expectFitsAndPicturesLoad(page, 390);
      await page.screenshot({ path: await artifactPath(`library-${part}-390.png`), fullPage: true });
    }
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
});
