import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { countCap, searchWindow } from '../../src/library/saved-tracks.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertAccount, testConfig, unreachableTemporal } from '../api/fixtures.js';

/** More saves than the count stops at: every third one explicit, every track's name "Song …". */
const SAVES = countCap + 200;

let testDb: TestDatabase;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await insertAccount(testDb.db, 'big');
  await testDb.db('artists').insert({ id: 'ar1', name: 'Artist' });
  await testDb.db('albums').insert({ id: 'al1', name: 'Album', album_type: 'album', release_date: '2001-01-01' });
  const ids = Array.from({ length: SAVES }, (_, i) => `t${String(i).padStart(5, '0')}`);
  await testDb.db.batchInsert(
    'tracks',
    ids.map((id, i) => ({ id, name: `Song ${i}`, album_id: 'al1', duration_ms: 1000 + i, explicit: i % 3 === 0 })),
    500,
  );
  await testDb.db.batchInsert(
    'track_artists',
    ids.map((id) => ({ track_id: id, artist_id: 'ar1', position: 0 })),
    500,
  );
  await testDb.db.batchInsert(
    'saved_tracks',
    ids.map((id, i) => ({ account_id: 'big', track_id: id, added_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000) })),
    500,
  );
  app = createApp({
    db: testDb.db,
    config: testConfig(),
    temporal: unreachableTemporal,
    connect: async () => {
      throw new Error('not used');
    },
  });
}, 180_000);
afterAll(async () => {
  await testDb?.drop();
});

interface Page {
  items: { id: string }[];
  nextCursor: string | null;
  total: number;
  totalExact: boolean;
}
const get = async (query: string): Promise<Page> => {
  const res = await app.request(`/api/library/tracks?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
};

/** Every page of a query, following nextCursor. */
async function allPages(query: string): Promise<{ ids: string[]; pages: Page[] }> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const page = await get(`${query}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return { ids: pages.flatMap((p) => p.items.map((t) => t.id)), pages };
}

describe('a library larger than the counts go', () => {
  it('counts an unfiltered library exactly, whatever its size', async () => {
    expect(await get('limit=1')).toMatchObject({ total: SAVES, totalExact: true });
  });

  it(`stops a filtered count at ${countCap}, says so, and still pages through every match once`, async () => {
    const explicit = Math.ceil(SAVES / 3);
    expect(explicit).toBeGreaterThan(countCap / 3);
    const sortedByName = await allPages('sort=name&albumType=album');
    expect(sortedByName.pages[0]).toMatchObject({ total: countCap, totalExact: false });
    expect(new Set(sortedByName.ids).size).toBe(SAVES);
    expect(sortedByName.ids).toHaveLength(SAVES);
    const fewer = await get('explicit=true&limit=1');
    expect(fewer).toMatchObject({ total: explicit, totalExact: true });
  });

  it(`gives a broad search's first page a lower bound from the newest ${searchWindow} saves, and every match once`, async () => {
    const search = await allPages('q=song');
    expect(search.pages[0]).toMatchObject({ total: searchWindow, totalExact: false });
    expect(search.ids).toHaveLength(SAVES);
    expect(new Set(search.ids).size).toBe(SAVES);
  });

  it('shows "1,000+" on the page when the count stopped', async () => {
    const html = await (await app.request('/library?albumType=album', { headers: { Accept: 'text/html' } })).text();
    expect(html).toMatch(/data-total="1000" data-total-exact="false"/);
    expect(html.replace(/<[^>]+>/g, '')).toMatch(/1,000\s*\+\s*tracks/);
  });
});
