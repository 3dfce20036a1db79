import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncedLibrary } from './synced-library.js';

/**
 * The smaller things of the pages (issue 26): paging back with a count, sorting by a column header, a
 * search example that finds something, an export that honours the filter, a sign-in page that does not
 * ask for a token nobody set, messages said once, a bad cursor called what it is, play times on a phone.
 */

let lib: Awaited<ReturnType<typeof syncedLibrary>>;

beforeAll(async () => {
  lib = await syncedLibrary();
});
afterAll(async () => {
  await lib?.h.close();
});

const host = { Host: '127.0.0.1:3000' };
async function page(path: string): Promise<{ status: number; html: string }> {
  const res = await lib.app.request(`http://127.0.0.1:3000${path}`, { headers: host });
  return { status: res.status, html: await res.text() };
}
const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
const hrefOf = (html: string, testid: string) => {
  const m = new RegExp(`<a [^>]*href="([^"]*)"[^>]*data-testid="${testid}"`).exec(html);
  return m ? decode(m[1]!) : null;
};
const trackIds = (html: string) => [...html.matchAll(/data-track-id="([^"]+)"/g)].map((m) => m[1]!);
const textOf = (html: string, testid: string) => (new RegExp(`data-testid="${testid}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '').trim();

describe('library page', () => {
  it('pages forward and back again, saying which page of how many', async () => {
    const first = await page('/library?limit=20');
    const saved = await lib.db('saved_tracks').where({ account_id: lib.accountId }).whereNull('removed_at').count<{ n: string }[]>({ n: '*' });
    const pages = Math.ceil(Number(saved[0]!.n) / 20);
    expect(first.html).toMatch(new RegExp(`Page 1\\s*of ${pages}`));
    expect(hrefOf(first.html, 'previous-page')).toBeNull();
    const second = await page(hrefOf(first.html, 'next-page')!);
    expect(second.html).toMatch(new RegExp(`Page 2\\s*of ${pages}`));
    const third = await page(hrefOf(second.html, 'next-page')!);
    expect(third.html).toMatch(/Page 3/);
    const backToSecond = await page(hrefOf(third.html, 'previous-page')!);
    expect(trackIds(backToSecond.html)).toEqual(trackIds(second.html));
    const backToFirst = await page(hrefOf(backToSecond.html, 'previous-page')!);
    expect(trackIds(backToFirst.html)).toEqual(trackIds(first.html));
    expect(backToFirst.html).toMatch(/Page 1\s*of/);
  });

  it('sorts by a column header, and again the other way', async () => {
    const first = await page('/library');
    const byTitle = await page(hrefOf(first.html, 'sort-title')!);
    const names = [...byTitle.html.matchAll(/data-testid="track-name">([^<]+)</g)].map((m) => decode(m[1]!));
    expect(names.length).toBeGreaterThan(5);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    expect(byTitle.html).toContain('aria-sort="ascending"');
    const reversed = await page(hrefOf(byTitle.html, 'sort-title')!);
    expect(reversed.html).toContain('aria-sort="descending"');
  });

  it('offers a search example from this library, which finds something', async () => {
    const { html } = await page('/library');
    const example = decode(/placeholder="e\.g\. ([^"]+)"/.exec(html)![1]!);
    const found = await page(`/library?q=${encodeURIComponent(example)}`);
    expect(trackIds(found.html).length).toBeGreaterThan(0);
  });

  it('exports what the filter shows when a filter is set, and the whole library when not', async () => {
    const filtered = await page('/library?albumType=single');
    const link = hrefOf(filtered.html, 'export-saved')!;
    expect(link).toContain('albumType=single');
    expect(filtered.html).toContain('Export these tracks (CSV)');
    const total = Number(/data-total="(\d+)"/.exec(filtered.html)![1]);
    const csv = await lib.app.request(`http://127.0.0.1:3000${link}`, { headers: host });
    expect(csv.status).toBe(200);
    const rows = parse(await csv.text(), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.length).toBe(total);
    const singles = await lib
      .db('saved_tracks as s')
      .join('tracks as t', 't.id', 's.track_id')
      .join('albums as al', 'al.id', 't.album_id')
      .where({ 's.account_id': lib.accountId, 'al.album_type': 'single' })
      .whereNull('s.removed_at')
      .pluck('t.id');
    expect(rows.map((r) => r['Track URI']!.split(':').at(-1)).sort()).toEqual([...singles].sort());
    const all = await page('/library');
    expect(hrefOf(all.html, 'export-saved')).toBe('/api/export/saved.csv');
  });

  it('calls a bad cursor not valid (400), not "Not found", and says a bad date once', async () => {
    const bad = await page('/library?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('<h1>Not a valid request</h1>');
    const date = await page('/history?from=2026-02-31');
    expect(date.status).toBe(400);
    expect(date.html.match(/must be a real calendar date/g)).toHaveLength(1);
  });
});

describe('other pages', () => {
  it('shows play times on a phone too (the time is not hidden at narrow widths), with the names as links', async () => {
    const { html } = await page('/history');
    expect(html).toMatch(/<td class="played" data-testid="play-time">\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC<\/td>/);
    expect(html).toMatch(/<a class="track-name" href="\/tracks\//);
  });

  it('does not ask for a token on /sign-in when the server has none', async () => {
    const { status, html } = await page('/sign-in');
    expect(status).toBe(200);
    expect(html).toContain('No sign-in is needed');
    expect(html).not.toContain('data-testid="token-input"');
  });

  it('answers the home page with the counts', async () => {
    const { status, html } = await page('/');
    expect(status).toBe(200);
    expect(textOf(html, 'home-sync')).toContain('Library in sync.');
  });
});
