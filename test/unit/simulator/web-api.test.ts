import { describe, expect, it } from 'vitest';
import { allItems, call, demoAccessToken, simulatorWithClock } from './helpers.js';

describe('parameter validation', () => {
  it('accepts limit 1..50 and answers 400 otherwise (100 on the deprecated /tracks)', async () => {
    const { sim } = simulatorWithClock({ appMode: 'extended' });
    const token = await demoAccessToken(sim);
    for (const limit of ['1', '50']) expect((await call(sim, `/v1/me/tracks?limit=${limit}`, { token })).status).toBe(200);
    for (const limit of ['0', '51', '-3', 'ten', '2.5']) {
      const answer = await call(sim, `/v1/me/tracks?limit=${limit}`, { token });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: { status: 400, message: expect.any(String) } });
    }
    const playlist = sim.truth().playlists[0]!;
    expect((await call(sim, `/v1/playlists/${playlist.id}/items?limit=51`, { token })).status).toBe(400);
    expect((await call(sim, `/v1/playlists/${playlist.id}/tracks?limit=100`, { token })).status).toBe(200);
    expect((await call(sim, `/v1/playlists/${playlist.id}/tracks?limit=101`, { token })).status).toBe(400);
    expect((await call(sim, '/v1/me/player/recently-played?limit=51', { token })).status).toBe(400);
    expect((await call(sim, '/v1/me/playlists?offset=-1', { token })).status).toBe(400);
  });

  it('takes at most 50 artist ids and 20 album ids; unknown ids are null in batches and 404 alone', async () => {
    const { sim } = simulatorWithClock({ appMode: 'extended' });
    const token = await demoAccessToken(sim);
    const { artists, albums } = sim.truth();
    const unknown = 'ZZZZZZZZZZZZZZZZZZZZZZ';
    expect((await call(sim, `/v1/artists?ids=${artists.slice(0, 51).join(',')}`, { token })).status).toBe(400);
    expect((await call(sim, `/v1/albums?ids=${albums.slice(0, 21).join(',')}`, { token })).status).toBe(400);
    const batch = await call(sim, `/v1/artists?ids=${artists[0]},${unknown},${artists[1]}`, { token });
    expect(batch.body.artists.map((a: { id: string } | null) => a?.id ?? null)).toEqual([artists[0], null, artists[1]]);
    const albumBatch = await call(sim, `/v1/albums?ids=${unknown},${albums[0]}`, { token });
    expect(albumBatch.body.albums[0]).toBeNull();
    expect(albumBatch.body.albums[1].id).toBe(albums[0]);
    expect((await call(sim, `/v1/artists/${unknown}`, { token })).status).toBe(404);
    expect((await call(sim, `/v1/albums/${unknown}`, { token })).status).toBe(404);
    expect((await call(sim, `/v1/playlists/${unknown}`, { token })).status).toBe(404);
    // Spotify's own words for an id it does not know.
    expect(await call(sim, `/v1/tracks/${unknown}`, { token })).toMatchObject({ status: 404, body: { error: { status: 404, message: 'non existing id' } } });
    expect((await call(sim, '/v1/artists?ids=', { token })).status).toBe(400);
    expect((await call(sim, '/v1/artists/short', { token })).status).toBe(400);
  });
});

describe('saved tracks and paging', () => {
  it('lists saved tracks newest first with correct next/previous links', async () => {
    const { sim } = simulatorWithClock({ tracks: 120 });
    const token = await demoAccessToken(sim);
    const first = await call(sim, '/v1/me/tracks?limit=50', { token });
    expect(first.body).toMatchObject({ limit: 50, offset: 0, total: 120, previous: null });
    expect(first.body.next).toBe('http://sim.test/v1/me/tracks?offset=50&limit=50');
    const last = await call(sim, '/v1/me/tracks?offset=100&limit=50', { token });
    expect(last.body.items).toHaveLength(20);
    expect(last.body.next).toBeNull();
    expect(last.body.previous).toBe('http://sim.test/v1/me/tracks?offset=50&limit=50');

    const items = await allItems(sim, '/v1/me/tracks?limit=50', token);
    expect(items.map((i) => i.track.id)).toEqual(sim.truth().savedTracks);
    const times = items.map((i) => Date.parse(i.added_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(items[0].added_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('gives albums their tracks: catalogue tracks at their track numbers, totals that add up', async () => {
    const { sim } = simulatorWithClock({ tracks: 200 });
    const token = await demoAccessToken(sim);
    const saved = (await call(sim, '/v1/me/tracks?limit=10', { token })).body.items;
    for (const { track } of saved) {
      const album = (await call(sim, `/v1/albums/${track.album.id}`, { token })).body;
      expect(album.total_tracks).toBe(track.album.total_tracks);
      expect(album.tracks.total).toBe(album.total_tracks);
      expect(album.tracks.items.length).toBe(Math.min(50, album.total_tracks));
      const listed = album.tracks.items.find((t: { id: string }) => t.id === track.id);
      expect(listed.track_number).toBe(track.track_number);
      expect(album.tracks.items.map((t: { track_number: number }) => t.track_number)).toEqual(Array.from({ length: album.tracks.items.length }, (_, i) => i + 1));
    }
  });

  it('carries snapshot_id, owner, collaborative, public and both items/tracks refs on playlists', async () => {
    const { sim } = simulatorWithClock();
    const token = await demoAccessToken(sim);
    const playlists = await allItems(sim, '/v1/me/playlists?limit=7', token);
    expect(playlists.map((p) => p.id)).toEqual(sim.truth().playlists.map((p) => p.id));
    for (const p of playlists) {
      expect(p).toMatchObject({ snapshot_id: expect.any(String), collaborative: expect.any(Boolean), public: expect.any(Boolean), type: 'playlist' });
      expect(p.owner).toMatchObject({ id: expect.any(String), type: 'user' });
      expect(p.items).toEqual({ href: `http://sim.test/v1/playlists/${p.id}/items`, total: expect.any(Number) });
      expect(p.tracks.total).toBe(p.items.total);
      if (p.collaborative) expect(p.public).toBe(false);
    }
  });

  it('sends awkward entries the way Spotify does: null item, local files without id, episodes', async () => {
    const { sim } = simulatorWithClock({ appMode: 'extended', tracks: 400, playlists: 30 });
    const token = await demoAccessToken(sim);
    const entries = [];
    for (const playlist of sim.truth().playlists) entries.push(...(await allItems(sim, `/v1/playlists/${playlist.id}/items?limit=50`, token)));
    const local = entries.find((e) => e.is_local);
    expect(local.item).toMatchObject({ id: null, is_local: true, type: 'track', uri: expect.stringMatching(/^spotify:local:/) });
    expect(entries.some((e) => e.item === null && e.is_local === false)).toBe(true);
    const episode = entries.find((e) => e.item?.type === 'episode');
    expect(episode.item.show.type).toBe('show');
    const { skipped } = sim.truth();
    expect(entries.filter((e) => e.item === null)).toHaveLength(skipped.nullItems);
    expect(entries.filter((e) => e.is_local)).toHaveLength(skipped.localItems);
    expect(entries.filter((e) => e.item?.type === 'episode')).toHaveLength(skipped.episodes);
  });
});

describe('recently played', () => {
  it('keeps only the last 50 plays, newest first, with ms cursors', async () => {
    const { sim } = simulatorWithClock();
    const token = await demoAccessToken(sim);
    await sim.mutate({ play: 40 });
    const page = await call(sim, '/v1/me/player/recently-played?limit=50', { token });
    const items = page.body.items as { played_at: string; track: { id: string } }[];
    expect(items).toHaveLength(50);
    const times = items.map((i) => Date.parse(i.played_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page.body.cursors).toEqual({ after: String(times[0]), before: String(times[49]) });
    // A full page links to an older one even though only 50 plays exist; that page is empty.
    expect(page.body.next).toBe(`http://sim.test/v1/me/player/recently-played?before=${times[49]}&limit=50`);
    const older = await call(sim, `/v1/me/player/recently-played?before=${times[49]}&limit=50`, { token });
    expect(older.status).toBe(200);
    expect(older.body).toMatchObject({ items: [], cursors: null, next: null });
    const contexts = (page.body.items as { context: { type: string; uri: string } | null }[]).map((i) => i.context);
    expect(contexts.filter((c) => c === null).length).toBeGreaterThan(0);
    expect(contexts.filter((c) => c !== null).every((c) => /^spotify:(playlist|album|artist):/.test(c!.uri))).toBe(true);
    const defaults = await call(sim, '/v1/me/player/recently-played', { token });
    expect(defaults.body.items).toHaveLength(20);
    expect(defaults.body.next).toBe(`http://sim.test/v1/me/player/recently-played?before=${times[19]}&limit=20`);
  });

  it('lists a late play from now on, behind newer plays it listed before, within the last 50', async () => {
    const { sim } = simulatorWithClock();
    const token = await demoAccessToken(sim);
    await sim.mutate({ play: 5 });
    const before = (await call(sim, '/v1/me/player/recently-played?limit=50', { token })).body.items as { played_at: string }[];
    const { latePlays } = await sim.mutate({ latePlay: 1 });
    const late = latePlays?.[0];
    expect(late).toBeDefined();
    expect(before.map((i) => Date.parse(i.played_at))).not.toContain(Date.parse(late?.playedAt ?? ''));
    const after = (await call(sim, '/v1/me/player/recently-played?limit=50', { token })).body.items as { played_at: string; track: { id: string } }[];
    const at = after.findIndex((i) => Date.parse(i.played_at) === Date.parse(late?.playedAt ?? ''));
    // Behind the newest play, which was listed before it.
    expect(at).toBe(1);
    expect(after[at]?.track.id).toBe(late?.trackId);
    expect(Date.parse(after[0]?.played_at ?? '')).toBe(Date.parse(before[0]?.played_at ?? ''));
  });

  it('returns only plays strictly after `after`, and paging forward with cursors.after sees each play once', async () => {
    const { sim, clock } = simulatorWithClock();
    let token = await demoAccessToken(sim);
    const before = await call(sim, '/v1/me/player/recently-played?limit=50', { token });
    const newest = Number(before.body.cursors.after);
    expect((await call(sim, `/v1/me/player/recently-played?after=${newest}`, { token })).body).toMatchObject({ items: [], cursors: null, next: null });

    clock.now += 3_600_000;
    const played = await sim.mutate({ play: 7 });
    expect(played.plays).toHaveLength(7);
    expect(Date.parse(played.plays![0]!.playedAt)).toBe(clock.now);
    expect(Date.parse(played.plays![0]!.playedAt) - Date.parse(played.plays![1]!.playedAt)).toBe(180_000);
    token = await demoAccessToken(sim);

    const after = await call(sim, `/v1/me/player/recently-played?limit=50&after=${newest}`, { token });
    expect(after.body.items.map((i: { track: { id: string } }) => i.track.id)).toEqual(played.plays!.map((p) => p.trackId));
    // Exclusive: the cursor itself is not repeated.
    const exact = Date.parse(played.plays![3]!.playedAt);
    const strictly = await call(sim, `/v1/me/player/recently-played?limit=50&after=${exact}`, { token });
    expect(strictly.body.items).toHaveLength(3);

    const seen: string[] = [];
    let url: string | null = `/v1/me/player/recently-played?limit=3&after=${newest}`;
    while (url) {
      const page: { body: { items: { played_at: string }[]; next: string | null } } = await call(sim, url.replace('http://sim.test', ''), { token });
      seen.push(...page.body.items.map((i) => i.played_at).reverse());
      url = page.body.next;
    }
    expect(seen).toEqual(played.plays!.map((p) => p.playedAt).reverse());
    expect((await call(sim, `/v1/me/player/recently-played?after=1&before=2`, { token })).status).toBe(400);
  });
});
