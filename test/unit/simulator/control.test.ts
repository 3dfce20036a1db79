import { describe, expect, it } from 'vitest';
import { type Simulator } from '../../../src/simulator/create-simulator.js';
import { allItems, call, demoAccessToken, simulatorWithClock } from './helpers.js';

const post = (sim: Simulator, path: string, body: unknown) => call(sim, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /_sim/stats', () => {
  it('reports the library and request counters by route template; reset zeroes the counters', async () => {
    const { sim } = simulatorWithClock({ tracks: 150, playlists: 10 });
    const token = await demoAccessToken(sim);
    const truth = sim.truth();
    await call(sim, '/v1/me/tracks', { token });
    await call(sim, `/v1/artists/${truth.artists[0]}`, { token });
    await call(sim, `/v1/artists/${truth.artists[1]}`, { token });
    await call(sim, `/v1/artists?ids=${truth.artists[0]}`, { token });
    await call(sim, `/v1/playlists/${truth.playlists[0]!.id}/items`, { token });
    await call(sim, '/v1/me');
    const stats = (await call(sim, '/_sim/stats')).body;
    expect(stats.library).toEqual({
      savedTracks: 150,
      artists: truth.artists.length,
      albums: truth.albums.length,
      playlists: 10,
      playlistItems: expect.any(Number),
    });
    expect(stats.library.playlistItems).toBeGreaterThanOrEqual(truth.playlists.reduce((n, p) => n + p.items.length, 0));
    expect(stats.requests).toMatchObject({ total: 6, ok: 4, rateLimited: 0, errors: 2 });
    expect(stats.requests.byEndpoint).toMatchObject({
      'GET /v1/me/tracks': { total: 1, ok: 1, rateLimited: 0, errors: 0 },
      'GET /v1/artists/{id}': { total: 2, ok: 2 },
      'GET /v1/artists': { total: 1, errors: 1 },
      'GET /v1/playlists/{id}/items': { total: 1 },
      'GET /v1/me': { total: 1, errors: 1 },
      'POST /api/token': { total: 1, ok: 1 },
    });
    expect((await call(sim, '/_sim/stats/reset', { method: 'POST' })).body.requests).toMatchObject({ total: 0, byEndpoint: {} });
  });
});

describe('POST /_sim/config', () => {
  it('applies a partial config and returns the whole config', async () => {
    const { sim } = simulatorWithClock();
    const answer = await post(sim, '/_sim/config', { appMode: 'extended', latencyMs: 5, quota: { perDay: 100 } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      appMode: 'extended',
      rateLimit: null,
      quota: { perDay: 100 },
      latencyMs: 5,
      latencyJitterMs: 0,
      errorRate: 0,
      malformedRate: 0,
      rotateRefreshTokens: false,
      registeredUsers: 5,
      ownerPremium: true,
      snapshotChurn: false,
    });
    expect((await call(sim, '/_sim/config')).body.appMode).toBe('extended');
  });

  it('answers 400 naming the bad field', async () => {
    const { sim } = simulatorWithClock();
    for (const [body, field] of [
      [{ appMode: 'production' }, 'appMode'],
      [{ errorRate: 2 }, 'errorRate'],
      [{ rateLimit: { windowSeconds: 30 } }, 'rateLimit.maxRequests'],
      [{ quota: { perDay: -1 } }, 'quota.perDay'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      const answer = await post(sim, '/_sim/config', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toContain(field);
    }
    const notJson = await call(sim, '/_sim/config', { method: 'POST', body: 'appMode=extended' });
    expect(notJson.status).toBe(400);
    expect(sim.config().appMode).toBe('development');
  });

  it('injects 5xx and malformed answers reproducibly from the seed', async () => {
    const statuses = async () => {
      const { sim } = simulatorWithClock({ seed: 77, config: { errorRate: 0.3, malformedRate: 0.3 } });
      const token = await demoAccessToken(sim);
      const seen = [];
      for (let i = 0; i < 40; i++) {
        const answer = await call(sim, '/v1/me/tracks?limit=2', { token });
        seen.push(
          answer.status === 200
            ? Array.isArray(answer.body.items) && typeof answer.body.limit === 'number' && typeof answer.body.items[0]?.track?.id === 'string'
              ? 'ok'
              : 'malformed'
            : answer.status,
        );
      }
      return seen;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(first.filter((s) => s === 'ok').length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 'malformed').length).toBeGreaterThan(3);
    expect(first.filter((s) => typeof s === 'number' && s >= 500).length).toBeGreaterThan(3);
  });

  it('varies the latency by latencyJitterMs around latencyMs', async () => {
    const { sim } = simulatorWithClock({ config: { latencyMs: 60, latencyJitterMs: 40 } });
    // Unauthenticated: a 401 takes the same round trip as any answer.
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const started = performance.now();
      await sim.app.request('/v1/me');
      times.push(performance.now() - started);
    }
    // No answer comes sooner than latencyMs - latencyJitterMs, and the answers do not all take the same
    // time. (No upper bound: a busy machine only ever adds to a round trip.)
    expect(Math.min(...times)).toBeGreaterThanOrEqual(19);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(15);
  });

  it('delays responses by latencyMs', async () => {
    const { sim } = simulatorWithClock({ config: { latencyMs: 120 } });
    const token = await demoAccessToken(sim);
    const started = performance.now();
    await call(sim, '/v1/me', { token });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe('/_sim/clock', () => {
  it('reads and advances the simulator clock', async () => {
    const { sim, clock } = simulatorWithClock();
    expect((await call(sim, '/_sim/clock')).body.now).toBe(clock.now);
    const advanced = await post(sim, '/_sim/clock', { advanceSeconds: 90 });
    expect(advanced.body).toMatchObject({ now: clock.now + 90_000, offsetSeconds: 90 });
    expect((await post(sim, '/_sim/clock', { advanceSeconds: -1 })).status).toBe(400);
    expect((await post(sim, '/_sim/clock', {})).status).toBe(400);
  });
});

describe('POST /_sim/mutate', () => {
  it('saves tracks at the top, some brand new with new artists and albums', async () => {
    const { sim, clock } = simulatorWithClock({ tracks: 200, playlists: 10 });
    const token = await demoAccessToken(sim);
    const before = sim.truth();
    const answer = await post(sim, '/_sim/mutate', { saveTracks: 12 });
    expect(answer.status).toBe(200);
    const { savedTracks, newTracks } = answer.body as { savedTracks: string[]; newTracks: string[] };
    expect(savedTracks).toHaveLength(12);
    expect(newTracks.length).toBeGreaterThan(0);
    const after = sim.truth();
    expect(after.savedTracks.slice(0, 12)).toEqual(savedTracks);
    expect(after.savedTracks.slice(12)).toEqual(before.savedTracks);
    expect(after.artists.length).toBeGreaterThan(before.artists.length);
    const top = (await call(sim, '/v1/me/tracks?limit=12', { token })).body.items;
    expect(top.map((i: { track: { id: string } }) => i.track.id)).toEqual(savedTracks);
    expect(Date.parse(top[0].added_at)).toBe(Math.floor(clock.now / 1000) * 1000);
    const newArtists = after.artists.filter((id) => !before.artists.includes(id));
    expect((await call(sim, `/v1/artists/${newArtists[0]}`, { token })).status).toBe(200);
  });

  it('removes and resaves tracks', async () => {
    const { sim } = simulatorWithClock({ tracks: 100, playlists: 0 });
    const removed = (await post(sim, '/_sim/mutate', { removeTracks: 5 })).body.removedTracks as string[];
    expect(removed).toHaveLength(5);
    const truth = sim.truth();
    expect(truth.savedTracks).toHaveLength(95);
    for (const id of removed) expect(truth.savedTracks).not.toContain(id);
    const resaved = (await post(sim, '/_sim/mutate', { resaveTracks: 3 })).body.resavedTracks as string[];
    expect(resaved).toHaveLength(3);
    for (const id of resaved) expect(removed).toContain(id);
    expect(sim.truth().savedTracks.slice(0, 3)).toEqual(resaved);
    expect((await post(sim, '/_sim/mutate', { resaveTracks: 10 })).body.resavedTracks).toHaveLength(2);
  });

  it('edits playlists with a new snapshot_id and deletes playlists from the list', async () => {
    const { sim } = simulatorWithClock({ tracks: 200, playlists: 12 });
    const token = await demoAccessToken(sim);
    const before = sim.truth();
    const totals = new Map<string, number>();
    for (const p of await allItems(sim, '/v1/me/playlists?limit=50', token)) totals.set(p.id, p.items.total);
    const { editedPlaylists, deletedPlaylists } = (await post(sim, '/_sim/mutate', { editPlaylists: 3, deletePlaylists: 2 })).body;
    expect(editedPlaylists).toHaveLength(3);
    const after = sim.truth();
    for (const edit of editedPlaylists as { id: string; snapshotId: string; addedTracks: string[]; addedEntries: number; removedEntries: number }[]) {
      const old = before.playlists.find((p) => p.id === edit.id)!;
      expect(old.itemsAccessible).toBe(true);
      expect(edit.snapshotId).not.toBe(old.snapshotId);
      expect(edit.addedEntries).toBeGreaterThan(0);
      const now = after.playlists.find((p) => p.id === edit.id);
      if (!now) continue; // deleted in the same call
      expect(now.snapshotId).toBe(edit.snapshotId);
      expect(now.items.slice(now.items.length - edit.addedTracks.length)).toEqual(edit.addedTracks);
      const items = await allItems(sim, `/v1/playlists/${edit.id}/items?limit=50`, token);
      expect(items.length).toBe(totals.get(edit.id)! - edit.removedEntries + edit.addedEntries);
      expect((await call(sim, `/v1/playlists/${edit.id}`, { token })).body.snapshot_id).toBe(edit.snapshotId);
    }
    expect(deletedPlaylists).toHaveLength(2);
    expect(after.playlists).toHaveLength(10);
    const listed = await allItems(sim, '/v1/me/playlists?limit=50', token);
    for (const id of deletedPlaylists as string[]) {
      expect(listed.map((p) => p.id)).not.toContain(id);
      expect((await call(sim, `/v1/playlists/${id}`, { token })).status).toBe(404);
    }
  });

  it('answers 400 for bad mutations', async () => {
    const { sim } = simulatorWithClock();
    for (const body of [{}, { saveTracks: -1 }, { saveTracks: 1.5 }, { dance: 3 }, [1]]) {
      const answer = await post(sim, '/_sim/mutate', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(/invalid mutation/);
    }
  });
});

describe('GET /_sim/truth', () => {
  it('has the contract shape', async () => {
    const { sim } = simulatorWithClock({ tracks: 50, playlists: 4 });
    const truth = (await call(sim, '/_sim/truth')).body;
    expect(Object.keys(truth).sort()).toEqual([
      'accountId',
      'albums',
      'appMode',
      'artists',
      'followedArtists',
      'playlists',
      'savedAlbums',
      'savedAudiobooks',
      'savedEpisodes',
      'savedShows',
      'savedTracks',
      'skipped',
    ]);
    for (const collection of ['savedAlbums', 'followedArtists', 'savedShows', 'savedEpisodes', 'savedAudiobooks']) expect(truth[collection]).toEqual(expect.any(Array));
    expect(truth.playlists[0]).toEqual({
      id: expect.any(String),
      snapshotId: expect.any(String),
      itemsAccessible: expect.any(Boolean),
      items: expect.any(Array),
      entryUris: expect.any(Array),
      ownerId: expect.any(String),
      name: expect.any(String),
    });
    expect(truth.skipped).toEqual({ nullItems: expect.any(Number), localItems: expect.any(Number), episodes: expect.any(Number) });
  });
});
