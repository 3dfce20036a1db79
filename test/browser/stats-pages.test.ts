import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { loadConfig } from '../../src/config/load-config.js';
import { artifactPath, launchChromium } from '../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The charts, the listening stats and "your year" in a real Chromium at a phone's and a desktop's
 * width, over a year and a month of plays written straight into Postgres (the rollups follow by
 * trigger). What the pages say is checked against aggregates computed here from play_history itself.
 * Screenshots go to test-artifacts/.
 */

let t: TestDatabase;
let api: RunningApi;
let browser: Browser;
const accountId = 'listener';
const pageErrors: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  await db('accounts').insert({
    id: accountId,
    spotify_user_id: accountId,
    display_name: 'Listener',
    refresh_token_encrypted: 'x',
    sync_state: 'complete',
    sync_phase: 'complete',
  });
  await db.raw(
    `insert into artists (id, name, genres, details_synced_at)
     select 'ar' || i, (array['Nina Harbor','The Quiet Rivers','Oslo Echo','Marta Vell','Sun Machine','Dusk Choir','Paper Lions','Kite Signal'])[i],
            case when i % 3 = 0 then null else array[(array['indie pop','jazz','ambient','dream pop'])[1 + i % 4]] end, now()
     from generate_series(1, 8) i`,
  );
  await db.raw(`insert into albums (id, name, details_synced_at) select 'al' || i, 'Album ' || i, now() from generate_series(1, 8) i`);
  await db.raw(`insert into album_artists (album_id, artist_id, position) select 'al' || i, 'ar' || i, 0 from generate_series(1, 8) i`);
  await db.raw(
    `insert into tracks (id, name, album_id, duration_ms, explicit, disc_number, track_number, uri)
     select 't' || i, 'Song ' || i, 'al' || (1 + i % 8), 150000 + (i * 7919) % 120000, false, 1, 1 + i / 8, 'spotify:track:t' || i from generate_series(1, 48) i`,
  );
  await db.raw(`insert into track_artists (track_id, artist_id, position) select 't' || i, 'ar' || (1 + (i - 1) / 6), 0 from generate_series(1, 48) i`);
  await db.raw(
    `insert into saved_tracks (account_id, track_id, added_at) select ?, 't' || i, timestamptz '2025-01-01' + i * interval '1 day' from generate_series(1, 60) i where i <= 48`,
    [accountId],
  );
  // Uneven listening: more in the evening and at weekends, a quiet spring; four more tracks each month, so a new artist every month or two.
  await db.raw(
    `insert into play_history (account_id, played_at, track_id, source, ms_played)
     select ?, ts, 't' || (1 + (n * 7) % least(48, 4 * ((extract(year from ts)::int - 2025) * 12 + extract(month from ts)::int - 10))), 'poll', case when n % 11 = 0 then 12000 end
     from (select n, timestamptz '2025-11-01' + n * interval '197 minutes' as ts from generate_series(0, 3200) n) s
     where extract(hour from ts) between 7 and 23
       and (extract(month from ts) not in (3, 4) or n % 3 = 0)
       and (extract(isodow from ts) >= 6 or extract(hour from ts) >= 17 or n % 2 = 0)
       and ts < timestamptz '2026-12-01'`,
    [accountId],
  );
  api = await startApi({
    db,
    config: loadConfig({ DATABASE_URL: t.url }),
    temporal: async () => {
      throw new Error('not used');
    },
    port: 0,
    now: () => new Date('2026-11-30T12:00:00Z'),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await t?.drop();
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

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The chart's geometry as a person sees it: its box, its text sizes, and whether the x labels fit and keep apart. */
async function chartLayout(page: Page, testid: string) {
  return page.locator(`[data-testid="${testid}"]`).evaluate((figure) => {
    const svg = figure.querySelector('svg.chart')!;
    const box = svg.getBoundingClientRect();
    const visible = (el: Element) => getComputedStyle(el).display !== 'none';
    const xs = Array.from(svg.querySelectorAll('text.axis.x'))
      .filter(visible)
      .map((e) => e.getBoundingClientRect());
    const ys = Array.from(figure.querySelectorAll('svg.chart-y text.axis.y')).map((e) => ({ text: e.textContent ?? '', height: e.getBoundingClientRect().height }));
    const unit = figure.querySelector('svg.chart-y text.axis.unit')?.textContent;
    const sorted = [...xs].sort((a, b) => a.left - b.left);
    const overlapping = sorted.some((r, i) => i > 0 && r.left < sorted[i - 1]!.right);
    const cut = xs.filter((r) => r.left < box.left - 0.5 || r.right > box.right + 0.5).map((r) => [r.left, r.right, box.left, box.right]);
    return { unit, width: box.width, height: box.height, xLabels: xs.length, minXHeight: Math.min(...xs.map((r) => r.height)), ys, overlapping, cut };
  });
}

describe('charts and stats in Chromium', () => {
  it('draws the history chart with a minutes axis, fitting labels and a table of values at a phone’s width', async () => {
    const page = await open(390, 844);
    await page.goto(`${api.url}/history?from=2025-11-01&to=2026-11-30&bucket=week`);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    const chart = await chartLayout(page, 'minutes-chart');
    expect(chart.width).toBeGreaterThan(280);
    expect(chart.height).toBeGreaterThanOrEqual(200);
    expect(chart.xLabels).toBeGreaterThanOrEqual(2);
    expect(chart.xLabels).toBeLessThanOrEqual(5);
    expect(chart.minXHeight).toBeGreaterThanOrEqual(10);
    expect(chart.overlapping).toBe(false);
    expect(chart.cut).toEqual([]);
    // The y-axis names its unit, with readable text.
    expect(chart.unit).toBe('min');
    expect(chart.ys.map((y) => y.text)).toEqual(expect.arrayContaining(['0', expect.stringMatching(/^[\d,]+$/)]));
    expect(Math.min(...chart.ys.map((y) => y.height))).toBeGreaterThanOrEqual(10);

    // The values without hover: the table under the chart, one row per bar, as play_history counts them.
    await page.locator('[data-testid="minutes-chart"] details summary').click();
    const rows = await page
      .locator('[data-testid="minutes-chart-table"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    const weeks = (
      await t.db.raw(
        `select to_char(date_trunc('week', played_at at time zone 'UTC'), 'YYYY-MM-DD') as week, count(*)::int as plays
         from play_history where account_id = ? and not is_short group by 1 order by 1`,
        [accountId],
      )
    ).rows as { week: string; plays: number }[];
    const weekCount = (
      await t.db.raw(`select count(*)::int as n from generate_series(date_trunc('week', date '2025-11-01'), date_trunc('week', date '2026-11-30'), interval '1 week')`)
    ).rows[0] as { n: number };
    expect(rows.length).toBe(weekCount.n);
    for (const w of weeks) expect(rows.find((r) => r[0] === `week of ${w.week}`)?.[2]).toBe(new Intl.NumberFormat('en-US').format(w.plays));
    await page.screenshot({ path: await artifactPath('stats-history-phone.png'), fullPage: true });
    for (const section of ['Minutes listened', 'Habits', 'When you listen', 'New artists']) {
      await page.locator(`section[aria-label="${section}"]`).screenshot({ path: await artifactPath(`stats-history-phone-${section.toLowerCase().replaceAll(' ', '-')}.png`) });
    }

    // The heatmap fits the phone and shows every weekday and hour.
    const heat = await page.locator('table.heatmap').evaluate((tbl) => ({ right: tbl.getBoundingClientRect().right, cells: tbl.querySelectorAll('td').length }));
    expect(heat.cells).toBe(168);
    expect(heat.right).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
  });

  it('shows the new stats on /history as play_history counts them', async () => {
    const page = await open(1280, 900);
    await page.goto(`${api.url}/history?from=2025-11-01&to=2026-11-30`);
    const busiest = (
      await t.db.raw(
        `select extract(isodow from played_at at time zone 'UTC')::int as weekday, extract(hour from played_at at time zone 'UTC')::int as hour, count(*)::int as plays
         from play_history where account_id = ? and not is_short group by 1, 2 order by 3 desc, 1, 2 limit 1`,
        [accountId],
      )
    ).rows[0] as { weekday: number; hour: number; plays: number };
    const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
    expect(await page.locator('[data-testid="heatmap-busiest"]').textContent()).toContain(
      `${weekdays[busiest.weekday - 1]}s at ${String(busiest.hour).padStart(2, '0')}:00 UTC (${busiest.plays} plays)`,
    );
    const topAlbum = (
      await t.db.raw(
        `select al.name from play_history h join tracks t on t.id = h.track_id join albums al on al.id = t.album_id
         where h.account_id = ? and not h.is_short group by al.id, al.name order by count(*) desc, sum(t.duration_ms) desc limit 1`,
        [accountId],
      )
    ).rows[0] as { name: string };
    expect(await page.locator('[data-testid="top-albums"] li').first().textContent()).toContain(topAlbum.name);
    const saved = (await t.db('saved_tracks').where({ account_id: accountId }).whereNull('removed_at').pluck('track_id')) as string[];
    const played = new Set((await t.db('play_history').where({ account_id: accountId }).distinct().pluck('track_id')) as string[]);
    const never = saved.filter((id) => !played.has(id)).length;
    expect(await page.locator('[data-testid="never-played"]').textContent()).toContain(`${never} of ${saved.length}`);
    const chart = await chartLayout(page, 'minutes-chart');
    expect(chart.overlapping).toBe(false);
    expect(chart.cut).toEqual([]);
    expect(chart.xLabels).toBeGreaterThan(5);
    await page.screenshot({ path: await artifactPath('stats-history-desktop.png'), fullPage: true });
    for (const section of ['Minutes listened', 'When you listen', 'New artists']) {
      await page.locator(`section[aria-label="${section}"]`).screenshot({ path: await artifactPath(`stats-history-desktop-${section.toLowerCase().replaceAll(' ', '-')}.png`) });
    }
    await page.screenshot({ path: await artifactPath('stats-history-desktop-top.png') });
    await page.goto(`${api.url}/artists/ar2`);
    const ar2 = (
      await t.db.raw(`select count(*)::int as plays from play_history h join track_artists ta on ta.track_id = h.track_id where ta.artist_id = 'ar2' and not h.is_short`)
    ).rows[0] as { plays: number };
    expect(await page.locator('[data-testid="listening-plays"]').textContent()).toBe(new Intl.NumberFormat('en-US').format(ar2.plays));
    await page.screenshot({ path: await artifactPath('stats-artist-desktop.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('recaps a year on one page that fits a phone and prints without the navigation', async () => {
    const year = (
      await t.db.raw(
        `select round(sum(coalesce(h.ms_played, t.duration_ms)) / 60000.0)::int as minutes, count(*)::int as plays, count(distinct (h.played_at at time zone 'UTC')::date)::int as days
         from play_history h join tracks t on t.id = h.track_id
         where h.account_id = ? and not h.is_short and h.played_at >= '2026-01-01' and h.played_at < '2027-01-01'`,
        [accountId],
      )
    ).rows[0] as { minutes: number; plays: number; days: number };
    const topArtist = (
      await t.db.raw(
        `select a.name from play_history h join track_artists ta on ta.track_id = h.track_id join artists a on a.id = ta.artist_id join tracks t on t.id = h.track_id
         where h.account_id = ? and not h.is_short and h.played_at >= '2026-01-01' and h.played_at < '2027-01-01'
         group by a.id, a.name order by count(*) desc, sum(t.duration_ms) desc limit 1`,
        [accountId],
      )
    ).rows[0] as { name: string };
    // Artists whose first full play is in 2026.
    const discovered = (
      await t.db.raw(
        `select count(*)::int as n from (
           select ta.artist_id, min(h.played_at) as first from play_history h join track_artists ta on ta.track_id = h.track_id
           where h.account_id = ? and not h.is_short group by 1) f where f.first >= '2026-01-01'`,
        [accountId],
      )
    ).rows[0] as { n: number };
    const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);

    for (const [width, name] of [
      [390, 'phone'],
      [1280, 'desktop'],
    ] as const) {
      const page = await open(width, 900);
      await page.goto(`${api.url}/year/2026`);
      expect(await page.locator('[data-testid="year-title"]').textContent()).toBe('Your 2026 in music');
      expect(await page.locator('[data-testid="year-minutes"]').textContent()).toBe(fmt(year.minutes));
      expect(await page.locator('[data-testid="year-plays"]').textContent()).toBe(fmt(year.plays));
      expect(await page.locator('[data-testid="year-days"]').textContent()).toBe(fmt(year.days));
      expect(await page.locator('[data-testid="year-top-artists"] li').first().textContent()).toContain(topArtist.name);
      expect(discovered.n).toBeGreaterThan(1);
      expect(await page.locator('[data-testid="year-discovered"]').textContent()).toContain(`${discovered.n} artists heard for the first time in 2026`);
      expect(await page.locator('[data-testid="year-genres"] li').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-testid="year-previous"]').getAttribute('href')).toBe('/year/2025');
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      const months = await chartLayout(page, 'year-months-chart');
      expect(months.overlapping).toBe(false);
      expect(months.cut).toEqual([]);
      await page.screenshot({ path: await artifactPath(`stats-year-${name}.png`), fullPage: true });
      await page.screenshot({ path: await artifactPath(`stats-year-${name}-top.png`) });
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header.topbar').isVisible()).toBe(false);
      expect(await page.locator('[data-testid="year-top-tracks"]').isVisible()).toBe(true);
    }
    expect(pageErrors).toEqual([]);
    // A mistyped year: a page saying what a year looks like (its 400 is the one console error).
    const page = await open(390, 844);
    const bad = await page.goto(`${api.url}/year/20x6`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('[data-testid="error-message"]').textContent()).toContain('four digits');
  });
});
