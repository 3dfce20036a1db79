import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, syncedLibrary } from './synced-library.js';

type Page = {
  items: { id: string; name: string; addedAt: string; removedAt: string | null; artists: { name: string }[]; album: { albumType: string | null } }[];
  nextCursor: string | null;
  total: number;
};

let lib: Awaited<ReturnType<typeof syncedLibrary>>;

beforeAll(async () => {
  lib = await syncedLibrary();
});
afterAll(async () => {
  await lib?.h.close();
});

/** Every page of a listing, following nextCursor, with the page size given. */
async function allPages(path: string, limit: number): Promise<Page['items']> {
  const items: Page['items'] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const { status, body }: { status: number; body: Page } = await getJson<Page>(lib.app, `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(status, JSON.stringify(body)).toBe(200);
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('pagination did not end');
}

/** Saved track ids as SQL gives them, for a where clause and an order by. */
async function sqlIds(where: string, bindings: string[], orderBy: string): Promise<string[]> {
  const rows = await lib.db.raw(
    `select t.id from saved_tracks s join tracks t on t.id = s.track_id join albums al on al.id = t.album_id
     where s.account_id = ? and ${where} order by ${orderBy}`,
    [lib.accountId, ...bindings],
  );
  return (rows.rows as { id: string }[]).map((r) => r.id);
}

describe('GET /api/library/tracks', () => {
  it('lists saved tracks newest first, every row exactly once across pages, removed ones left out', async () => {
    const items = await allPages('/api/library/tracks', 17);
    const expected = await sqlIds('s.removed_at is null', [], 's.added_at desc, t.id desc');
    expect(items.map((i) => i.id)).toEqual(expected);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(items.map((i) => i.id)).not.toContain(lib.removedId);
  });

  it('finds a track by an accent-free, differently cased spelling of its name', async () => {
    const { body } = await getJson<Page>(lib.app, `/api/library/tracks?q=${encodeURIComponent('deja vu nandu')}`);
    expect(body.items.map((i) => i.id)).toEqual([lib.accentedId]);
    expect(body.items[0]!.name).toBe('Café Déjà Vu Ñandú');
    const upper = await getJson<Page>(lib.app, `/api/library/tracks?q=CAFE`);
    expect(upper.body.items.map((i) => i.id)).toContain(lib.accentedId);
  });

  it('searches artist and album names too, as SQL over the names does', async () => {
    const artist = (
      await lib.db.raw(
        `select a.name from saved_tracks s join track_artists ta on ta.track_id = s.track_id join artists a on a.id = ta.artist_id where s.account_id = ? and s.removed_at is null limit 1`,
        [lib.accountId],
      )
    ).rows[0].name as string;
    const word = artist.split(' ').at(-1)!.toLowerCase();
    const items = await allPages(`/api/library/tracks?q=${encodeURIComponent(word)}`, 200);
    const expected = await sqlIds(
      `s.removed_at is null and (lower(t.name) like ? or lower(al.name) like ? or exists (select 1 from track_artists ta join artists a on a.id = ta.artist_id where ta.track_id = t.id and lower(a.name) like ?))`,
      [`%${word}%`, `%${word}%`, `%${word}%`],
      's.added_at desc, t.id desc',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(items.map((i) => i.id)).toEqual(expected);
  });

  it('uses the trigram index for a search', async () => {
    await lib.db.raw('analyze');
    const plan = (await lib.db.raw(`explain select id from tracks where library_search_key(name) like library_search_key('%harbor%')`)).rows
      .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
      .join('\n');
    await lib.db.raw('set enable_seqscan = off');
    const forced = (await lib.db.raw(`explain select id from tracks where library_search_key(name) like library_search_key('%harbor%')`)).rows
      .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
      .join('\n');
    await lib.db.raw('set enable_seqscan = on');
    expect(`${plan}\n${forced}`).toMatch(/tracks_name_search_idx/);
  });

  const filterCases: [string, string, string[]][] = [
    ['addedFrom=2024-01-01&addedTo=2025-06-30', `s.removed_at is null and s.added_at >= '2024-01-01T00:00:00Z' and s.added_at < '2025-07-01T00:00:00Z'`, []],
    ['releasedFrom=2000&releasedTo=2010', `s.removed_at is null and substr(al.release_date, 1, 4) between '2000' and '2010'`, []],
    ['albumType=single', `s.removed_at is null and al.album_type = 'single'`, []],
    ['explicit=true', 's.removed_at is null and t.explicit', []],
    ['explicit=false', 's.removed_at is null and not t.explicit', []],
    ['removed=true', 's.removed_at is not null', []],
    ['removed=any', 'true', []],
  ];
  it.each(filterCases)('filter %s gives what SQL gives', async (query, where, bindings) => {
    const items = await allPages(`/api/library/tracks?${query}`, 50);
    const expected = await sqlIds(where, bindings, 's.added_at desc, t.id desc');
    expect(items.map((i) => i.id)).toEqual(expected);
    expect((await getJson<Page>(lib.app, `/api/library/tracks?${query}&limit=1`)).body.total).toBe(expected.length);
    if (query === 'removed=true') expect(items).toEqual([expect.objectContaining({ id: lib.removedId, removedAt: '2026-11-20T10:00:00.000Z' })]);
  });

  it('filters by playlist membership', async () => {
    const playlist = (await lib.db('playlist_items').where({ account_id: lib.accountId }).first('playlist_id'))!.playlist_id;
    const items = await allPages(`/api/library/tracks?playlistId=${encodeURIComponent(playlist)}&removed=any`, 50);
    const expected = await sqlIds(
      'exists (select 1 from playlist_items pi where pi.account_id = s.account_id and pi.playlist_id = ? and pi.track_id = t.id)',
      [playlist],
      's.added_at desc, t.id desc',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(items.map((i) => i.id)).toEqual(expected);
  });

  const sortCases: [string, string][] = [
    ['sort=name', 't.name asc, t.id asc'],
    ['sort=name&order=desc', 't.name desc, t.id desc'],
    [
      'sort=artist',
      `coalesce((select a.name from track_artists ta join artists a on a.id = ta.artist_id where ta.track_id = t.id order by ta.position limit 1), '') asc, t.id asc`,
    ],
    ['sort=released', `coalesce(al.release_date, '') desc, t.id desc`],
    ['sort=duration', 'coalesce(t.duration_ms, 0) asc, t.id asc'],
    ['sort=added&order=asc', 's.added_at asc, t.id asc'],
  ];
  it.each(sortCases)('%s pages through in the order SQL gives', async (query, orderBy) => {
    const items = await allPages(`/api/library/tracks?${query}`, 23);
    expect(items.map((i) => i.id)).toEqual(await sqlIds('s.removed_at is null', [], orderBy));
  });
});

describe('artists, albums, playlists', () => {
  it('shows an artist and an album with the account’s tracks on them', async () => {
    const row = (
      await lib.db.raw(
        `select ta.artist_id, t.album_id from saved_tracks s join tracks t on t.id = s.track_id join track_artists ta on ta.track_id = t.id where s.account_id = ? and s.removed_at is null limit 1`,
        [lib.accountId],
      )
    ).rows[0] as { artist_id: string; album_id: string };
    const artist = await getJson<{ id: string; detailsSynced: boolean; tracks: { id: string }[] }>(lib.app, `/api/library/artists/${row.artist_id}`);
    expect(artist.status).toBe(200);
    expect(artist.body.detailsSynced).toBe(true);
    const expectedTracks = (
      await lib.db.raw(
        `select distinct t.id from tracks t where (t.id in (select track_id from saved_tracks where account_id = ? and removed_at is null)
         or t.id in (select pi.track_id from playlist_items pi join playlists p on p.account_id = pi.account_id and p.id = pi.playlist_id where pi.account_id = ? and p.removed_at is null))
       and (exists (select 1 from track_artists x where x.track_id = t.id and x.artist_id = ?) or exists (select 1 from album_artists y where y.album_id = t.album_id and y.artist_id = ?))`,
        [lib.accountId, lib.accountId, row.artist_id, row.artist_id],
      )
    ).rows
      .map((r: { id: string }) => r.id)
      .sort();
    expect(artist.body.tracks.map((t) => t.id).sort()).toEqual(expectedTracks);

    const album = await getJson<{ id: string; tracks: { id: string }[] }>(lib.app, `/api/library/albums/${row.album_id}`);
    expect(album.status).toBe(200);
    expect(album.body.tracks.map((t) => t.id)).toContain(
      (await lib
        .db('tracks')
        .where({ album_id: row.album_id })
        .whereIn('id', lib.db('saved_tracks').where({ account_id: lib.accountId }).whereNull('removed_at').select('track_id'))
        .first('id'))!.id,
    );
  });

  it('marks a stub as details syncing', async () => {
    const row = (await lib.db.raw(`select ta.artist_id from saved_tracks s join track_artists ta on ta.track_id = s.track_id where s.account_id = ? limit 1`, [lib.accountId]))
      .rows[0];
    await lib.db('artists').where({ id: row.artist_id }).update({ details_synced_at: null });
    try {
      const artist = await getJson<{ detailsSynced: boolean }>(lib.app, `/api/library/artists/${row.artist_id}`);
      expect(artist.body.detailsSynced).toBe(false);
      const page = await lib.app.request(`/artists/${row.artist_id}`);
      expect(await page.text()).toContain('Details syncing');
    } finally {
      await lib.db('artists').where({ id: row.artist_id }).update({ details_synced_at: new Date() });
    }
  });

  it('lists playlists in the account’s order, deleted ones only when asked, with their flags', async () => {
    type Pl = { id: string; owned: boolean; itemsReadable: boolean; removedAt: string | null; snapshotId: string };
    const current = await getJson<{ items: Pl[]; total: number }>(lib.app, '/api/library/playlists');
    const expectedCurrent = await lib.db('playlists').where({ account_id: lib.accountId }).whereNull('removed_at').orderBy('list_position').pluck('id');
    expect(current.body.items.map((p) => p.id)).toEqual(expectedCurrent);
    expect(current.body.items.map((p) => p.id)).not.toContain(lib.deletedPlaylist);
    const removed = await getJson<{ items: Pl[] }>(lib.app, '/api/library/playlists?removed=true');
    expect(removed.body.items).toEqual([expect.objectContaining({ id: lib.deletedPlaylist, removedAt: '2026-11-25T08:00:00.000Z' })]);
    const all = await getJson<{ items: Pl[] }>(lib.app, '/api/library/playlists?removed=any&limit=3');
    expect(all.body.items).toHaveLength(3);
    const followed = (await lib.db('playlists').where({ account_id: lib.accountId, items_accessible: false }).pluck('id')) as string[];
    expect(followed.length).toBeGreaterThan(0);
    for (const p of current.body.items) expect(p.itemsReadable).toBe(!followed.includes(p.id));
  });

  it('gives a playlist’s items in order, deleted playlist included, every item once across pages', async () => {
    for (const id of [lib.deletedPlaylist]) {
      const items: string[] = [];
      let cursor: string | null = null;
      do {
        const res: {
          status: number;
          body: { items: { kind: string; uri: string | null; track: { id: string } | null }[]; nextCursor: string | null; playlist: { removedAt: string | null } };
        } = await getJson(lib.app, `/api/library/playlists/${id}?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.playlist.removedAt).not.toBeNull();
        items.push(...res.body.items.map((i) => i.track?.id ?? `${i.kind}:${i.uri ?? ''}`));
        cursor = res.body.nextCursor;
      } while (cursor);
      const stored = await lib.db('playlist_items').where({ account_id: lib.accountId, playlist_id: id }).orderBy('position').select('kind', 'track_id', 'uri');
      expect(items).toEqual(stored.map((e) => e.track_id ?? `${e.kind}:${e.uri ?? ''}`));
      expect(items.length).toBeGreaterThan(7);
    }
  });
});

describe('the whole library: saved albums, followed artists, shows, episodes, audiobooks', () => {
  const routes = [
    ['saved-albums', 'savedAlbums', 'saved_albums', 'album_id'],
    ['followed-artists', 'followedArtists', 'followed_artists', 'artist_id'],
    ['shows', 'savedShows', 'saved_shows', 'show_id'],
    ['episodes', 'savedEpisodes', 'saved_episodes', 'episode_id'],
    ['audiobooks', 'savedAudiobooks', 'saved_audiobooks', 'audiobook_id'],
  ] as const;

  it.each(routes)('GET /api/library/%s lists the collection of /_sim/truth, newest first, every entry once across pages', async (route, truthName) => {
    const truth = await lib.h.simRequest<Record<string, string[]>>('/_sim/truth');
    const ids: string[] = [];
    const added: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { id: string; addedAt: string; removedAt: string | null }[]; nextCursor: string | null; total: number } } = await getJson(
        lib.app,
        `/api/library/${route}?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(truth[truthName]!.length);
      ids.push(...res.body.items.map((i) => i.id));
      added.push(...res.body.items.map((i) => i.addedAt));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect([...ids].sort()).toEqual([...truth[truthName]!].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...added].sort().reverse()).toEqual(added);
    // Saves come newest first, as Spotify lists them (follows have no date of their own).
    if (truthName !== 'followedArtists') expect(ids).toEqual(truth[truthName]);
  });

  it.each(routes)('GET /api/library/%s finds by name and shows a removal with removed=true', async (route, truthName, table, column) => {
    const saves = (await lib.h.simRequest<Record<string, string[]>>('/_sim/truth'))[truthName]!.length;
    const first = (await getJson<{ items: { id: string; name: string }[] }>(lib.app, `/api/library/${route}?limit=1`)).body.items[0]!;
    const found = await getJson<{ items: { id: string }[] }>(lib.app, `/api/library/${route}?q=${encodeURIComponent(first.name.toUpperCase())}`);
    expect(found.body.items.map((i) => i.id)).toContain(first.id);
    await lib
      .db(table)
      .where({ account_id: lib.accountId, [column]: first.id })
      .update({ removed_at: new Date('2026-11-20T10:00:00Z') });
    try {
      const removed = await getJson<{ items: { id: string; removedAt: string }[]; total: number }>(lib.app, `/api/library/${route}?removed=true`);
      expect(removed.body.items).toEqual([expect.objectContaining({ id: first.id, removedAt: '2026-11-20T10:00:00.000Z' })]);
      expect(removed.body.total).toBe(1);
      const current = await getJson<{ items: { id: string }[]; total: number }>(lib.app, `/api/library/${route}?limit=200`);
      expect(current.body.items.map((i) => i.id)).not.toContain(first.id);
      expect(current.body.total).toBe(saves - 1);
      const every = await getJson<{ items: { id: string }[]; total: number }>(lib.app, `/api/library/${route}?removed=any&limit=1`);
      expect(every.body.total).toBe(saves);
    } finally {
      await lib
        .db(table)
        .where({ account_id: lib.accountId, [column]: first.id })
        .update({ removed_at: null });
    }
  });

  it('gives a saved album with its stored tracks and a show with its saved episodes', async () => {
    const albums = await getJson<{ items: { totalTracks: number; tracks: unknown[]; artists: unknown[] }[] }>(lib.app, '/api/library/saved-albums?limit=200');
    for (const album of albums.body.items) {
      expect(album.tracks.length).toBe(Math.min(50, album.totalTracks));
      expect(album.artists.length).toBeGreaterThan(0);
    }
    const shows = await getJson<{ items: { savedEpisodes: unknown[] }[] }>(lib.app, '/api/library/shows?limit=200');
    const episodes = await getJson<{ items: { showId: string }[] }>(lib.app, '/api/library/episodes?limit=200');
    const ofSavedShows = shows.body.items.reduce((n, s) => n + s.savedEpisodes.length, 0);
    expect(ofSavedShows).toBeLessThanOrEqual(episodes.body.items.length);
    expect(ofSavedShows).toBeGreaterThan(0);
  });

  it('shows each collection on its page, reachable from the library page', async () => {
    const library = await getJson<string>(lib.app, '/library');
    const truth = await lib.h.simRequest<Record<string, string[]>>('/_sim/truth');
    for (const [path, name] of [
      ['/library/albums', 'savedAlbums'],
      ['/library/artists', 'followedArtists'],
      ['/library/podcasts', 'savedShows'],
      ['/library/audiobooks', 'savedAudiobooks'],
    ] as const) {
      expect(library.body).toContain(`href="${path}"`);
      const res = await getJson<string>(lib.app, path);
      expect(res.status).toBe(200);
      const shown = [...res.body.matchAll(/data-testid="collection-item" data-id="([^"]+)"/g)].map((m) => m[1]);
      expect(shown.sort()).toEqual([...truth[name]!].slice(0, 50).sort());
    }
    const podcasts = await getJson<string>(lib.app, '/library/podcasts');
    expect([...podcasts.body.matchAll(/data-testid="saved-episode"/g)].length).toBe(truth.savedEpisodes!.length);
  });

  it('refuses a cursor of another list', async () => {
    const page = await getJson<{ nextCursor: string }>(lib.app, '/api/library/saved-albums?limit=1');
    const res = await getJson<{ error: { code: string } }>(lib.app, `/api/library/shows?cursor=${page.body.nextCursor}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_cursor');
  });
});

describe('history', () => {
  it('lists plays newest first, short ones only when asked, every play once', async () => {
    const longOnly = await allPages('/api/history/plays', 13);
    const expected = await lib.db('play_history').where({ account_id: lib.accountId, is_short: false }).orderBy('played_at', 'desc').pluck('played_at');
    expect(longOnly.map((p) => (p as unknown as { playedAt: string }).playedAt)).toEqual(expected.map((d: Date) => d.toISOString()));
    const all = await allPages('/api/history/plays?includeShort=true&source=extended_export', 50);
    expect(all.length).toBe(
      await lib
        .db('play_history')
        .where({ account_id: lib.accountId, source: 'extended_export' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r!.n)),
    );
    // The total of a range (read from the daily rollup) is what SQL counts over the plays.
    const ranged = await getJson<{ total: number }>(lib.app, '/api/history/plays?from=2026-11-03&to=2026-11-12&limit=1');
    const inRange = await lib
      .db('play_history')
      .where({ account_id: lib.accountId, is_short: false })
      .where('played_at', '>=', '2026-11-03T00:00:00Z')
      .where('played_at', '<', '2026-11-13T00:00:00Z')
      .count({ n: '*' })
      .first();
    expect(ranged.body.total).toBe(Number(inRange!.n));
    expect(ranged.body.total).toBeGreaterThan(0);
  });

  it('counts minutes per day as SQL does, with every day present, and reports the gap', async () => {
    const { status, body } = await getJson<{
      minutesByBucket: { start: string; minutes: number; plays: number }[];
      gaps: unknown[];
      topTracks: { plays: number }[];
      topArtists: unknown[];
    }>(lib.app, '/api/history/stats?from=2026-11-01&to=2026-11-30&bucket=day');
    expect(status).toBe(200);
    expect(body.minutesByBucket).toHaveLength(30);
    const rows = (
      await lib.db.raw(
        `select to_char(date_trunc('day', h.played_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::int as plays,
              round(sum(coalesce(h.ms_played, t.duration_ms, 0)) / 60000.0, 1)::float as minutes
       from play_history h left join tracks t on t.id = h.track_id where h.account_id = ? and not h.is_short group by 1`,
        [lib.accountId],
      )
    ).rows as { day: string; plays: number; minutes: number }[];
    for (const b of body.minutesByBucket) {
      const r = rows.find((x) => x.day === b.start);
      expect({ day: b.start, plays: b.plays, minutes: b.minutes }).toEqual({ day: b.start, plays: r?.plays ?? 0, minutes: r?.minutes ?? 0 });
    }
    expect(body.gaps).toEqual([{ start: '2026-11-10T14:02:00.000Z', end: '2026-11-10T16:40:00.000Z' }]);
    expect(body.topTracks[0]!.plays).toBeGreaterThan(1);
    expect(body.topArtists.length).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  const cases: [string, number, RegExp][] = [
    ['/api/library/tracks?limit=0', 400, /limit: must be at least 1/],
    ['/api/library/tracks?limit=10000', 400, /limit: must be at most 200/],
    ['/api/library/tracks?limit=abc', 400, /limit/],
    ['/api/library/tracks?cursor=not-a-cursor!', 400, /cursor/],
    ['/api/library/tracks?cursor=eyJzIjoieCJ9', 400, /cursor/],
    ['/api/library/tracks?sort=name&cursor=' + Buffer.from(JSON.stringify({ s: 'added.desc', k: '2026', id: 'x' })).toString('base64url'), 400, /another sort/],
    ['/api/library/tracks?addedFrom=2026-02-30', 400, /addedFrom: must be a real calendar date/],
    ['/api/library/tracks?addedFrom=yesterday', 400, /addedFrom: must be a date YYYY-MM-DD/],
    ['/api/library/tracks?addedFrom=2026-05-01&addedTo=2026-01-01', 400, /addedFrom: must not be after addedTo/],
    ['/api/library/tracks?releasedFrom=99', 400, /releasedFrom/],
    ['/api/library/tracks?sort=popularity', 400, /sort: must be one of/],
    ['/api/library/tracks?explicit=yes', 400, /explicit: must be true or false/],
    ['/api/library/tracks?removed=maybe', 400, /removed/],
    ['/api/library/tracks?q=' + encodeURIComponent('a\u0000b'), 400, /NUL/],
    ['/api/library/tracks?q=' + 'x'.repeat(201), 400, /q: must be at most 200/],
    ['/api/library/tracks?playlistId=nope', 404, /No playlist with id "nope"/],
    ['/api/library/tracks?accountId=nobody', 404, /No account with id "nobody"/],
    ['/api/library/artists/unknown-artist', 404, /No artist/],
    ['/api/library/albums/unknown-album', 404, /No album/],
    ['/api/library/playlists/unknown-playlist', 404, /No playlist/],
    ['/api/library/playlists?limit=201', 400, /limit/],
    ['/api/history/plays?from=2026-13-01', 400, /from/],
    ['/api/history/plays?source=radio', 400, /source/],
    ['/api/history/stats?bucket=year', 400, /bucket/],
    ['/api/history/stats?from=1900-01-01&to=2026-01-01', 400, /ten years/],
    ['/api/export/playlists/unknown.csv', 404, /No playlist/],
    ['/api/export/playlists/unknown.txt', 400, /csv/],
  ];
  it.each(cases)('%s answers %i with a clear message', async (path, status, message) => {
    const res = await getJson<{ error: { code: string; message: string } }>(lib.app, path);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it.each(["'; drop table tracks; --", '%', '_', '\\', "' or 1=1 --", 'café%_\\'])('treats search text %j as text, not SQL or a wildcard', async (q) => {
    const res = await getJson<Page>(lib.app, `/api/library/tracks?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(0);
    expect(Number((await lib.db('tracks').count({ n: '*' }).first())!.n)).toBeGreaterThan(0);
  });
});

describe('pages', () => {
  it.each(['/library', '/library?q=cafe', '/playlists', '/playlists?removed=any', '/history', '/history?bucket=week'])('%s renders from Postgres', async (path) => {
    const res = await lib.app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('data-testid="nav-library"');
  });

  it('shows a playlist, the deleted one marked, and an artist and album', async () => {
    const deleted = await (await lib.app.request(`/playlists/${lib.deletedPlaylist}`)).text();
    expect(deleted).toContain('Deleted on Spotify');
    const followed = (await lib.db('playlists').where({ account_id: lib.accountId, items_accessible: false }).first('id'))!.id;
    expect(await (await lib.app.request(`/playlists/${followed}`)).text()).toContain('data-testid="unreadable-notice"');
    const track = (await lib.db('tracks').where({ id: lib.accentedId }).first()) as { album_id: string };
    const album = await lib.app.request(`/albums/${track.album_id}`);
    expect(album.status).toBe(200);
    expect(await album.text()).toContain('Café Déjà Vu Ñandú');
  });

  it('answers a bad page query with an HTML page naming the parameter', async () => {
    const res = await lib.app.request('/library?limit=0');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('limit: must be at least 1');
    expect((await lib.app.request('/artists/nope')).status).toBe(404);
  });

  it('declares every route in /openapi.json', async () => {
    const doc = (await (await lib.app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/api/library/tracks',
      '/api/library/artists/{id}',
      '/api/library/albums/{id}',
      '/api/library/playlists',
      '/api/library/playlists/{id}',
      '/api/history/plays',
      '/api/history/stats',
      '/api/export/saved.csv',
      '/api/export/playlists/{file}',
      '/api/export/history.csv',
      '/api/export/backup.json',
      '/library',
      '/history',
      '/sign-in',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
