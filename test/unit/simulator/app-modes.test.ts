import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../src/simulator/create-simulator.js';
import { allItems, call, demoAccessToken } from './helpers.js';

async function setup(appMode: 'development' | 'extended') {
  const sim = createSimulator({ seed: 9, tracks: 300, playlists: 20, appMode });
  const token = await demoAccessToken(sim);
  const playlists = await allItems(sim, '/v1/me/playlists?limit=50', token);
  const byRelation = (followed: boolean) => playlists.find((p) => (p.owner.id !== sim.user.id && !p.collaborative) === followed && p.items.total > 0);
  return { sim, token, playlists, followed: byRelation(true), owned: byRelation(false), collaborative: playlists.find((p) => p.collaborative) };
}

describe('development mode', () => {
  it('answers 403 for the several-at-once endpoints and the deprecated /tracks, with Spotify error bodies', async () => {
    const { sim, token, owned } = await setup('development');
    const truth = sim.truth();
    const artists = await call(sim, `/v1/artists?ids=${truth.artists.slice(0, 3).join(',')}`, { token });
    const albums = await call(sim, `/v1/albums?ids=${truth.albums.slice(0, 3).join(',')}`, { token });
    const tracks = await call(sim, `/v1/playlists/${owned.id}/tracks`, { token });
    for (const answer of [artists, albums, tracks]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ error: { status: 403, message: expect.any(String) } });
    }
    expect((await call(sim, `/v1/artists/${truth.artists[0]}`, { token })).status).toBe(200);
    expect((await call(sim, `/v1/albums/${truth.albums[0]}`, { token })).status).toBe(200);
  });

  it('reads items only of playlists the user owns or collaborates on; followed ones give metadata only', async () => {
    const { sim, token, owned, followed, collaborative } = await setup('development');
    expect(followed).toBeDefined();
    expect(collaborative).toBeDefined();
    expect((await call(sim, `/v1/playlists/${owned.id}/items`, { token })).status).toBe(200);
    expect((await call(sim, `/v1/playlists/${collaborative.id}/items`, { token })).status).toBe(200);
    expect((await call(sim, `/v1/playlists/${followed.id}/items`, { token })).status).toBe(403);

    const metadata = await call(sim, `/v1/playlists/${followed.id}`, { token });
    expect(metadata.status).toBe(200);
    expect(metadata.body.snapshot_id).toEqual(followed.snapshot_id);
    expect(metadata.body).not.toHaveProperty('items');
    expect(metadata.body).not.toHaveProperty('tracks');
    const full = await call(sim, `/v1/playlists/${owned.id}`, { token });
    expect(full.body.items.total).toBe(owned.items.total);
    expect(full.body).not.toHaveProperty('tracks');

    const truth = sim.truth();
    const followedTruth = truth.playlists.find((p) => p.id === followed.id)!;
    expect(followedTruth).toMatchObject({ itemsAccessible: false, items: [] });
    expect(truth.playlists.find((p) => p.id === owned.id)!.itemsAccessible).toBe(true);
  });
});

describe('extended mode', () => {
  it("serves batch endpoints, every playlist's items and the deprecated /tracks (entries carry track)", async () => {
    const { sim, token, followed, owned } = await setup('extended');
    const truth = sim.truth();
    const artists = await call(sim, `/v1/artists?ids=${truth.artists.slice(0, 50).join(',')}`, { token });
    expect(artists.status).toBe(200);
    expect(artists.body.artists.map((a: { id: string }) => a.id)).toEqual(truth.artists.slice(0, 50));
    const albums = await call(sim, `/v1/albums?ids=${truth.albums.slice(0, 20).join(',')}`, { token });
    expect(albums.body.albums).toHaveLength(20);

    const items = await allItems(sim, `/v1/playlists/${followed.id}/items?limit=50`, token);
    expect(items).toHaveLength(followed.items.total);
    expect(items.every((entry) => 'item' in entry && !('track' in entry))).toBe(true);
    const tracks = await allItems(sim, `/v1/playlists/${owned.id}/tracks?limit=100`, token);
    expect(tracks).toHaveLength(owned.items.total);
    expect(tracks.every((entry) => 'track' in entry && !('item' in entry))).toBe(true);

    expect(truth.playlists.every((p) => p.itemsAccessible)).toBe(true);
  });

  it('puts every artist and album of visible tracks in the truth, and more of them than development mode', async () => {
    const extended = createSimulator({ seed: 9, tracks: 300, playlists: 20, appMode: 'extended' });
    const token = await demoAccessToken(extended);
    const truth = extended.truth();
    const artists = new Set<string>();
    const albums = new Set<string>();
    const collect = (track: { artists: { id: string }[]; album: { id: string; artists: { id: string }[] } }) => {
      track.artists.forEach((a) => artists.add(a.id));
      track.album.artists.forEach((a) => artists.add(a.id));
      albums.add(track.album.id);
    };
    for (const saved of await allItems(extended, '/v1/me/tracks?limit=50', token)) collect(saved.track);
    for (const playlist of truth.playlists) {
      const entries = await allItems(extended, `/v1/playlists/${playlist.id}/items?limit=50`, token);
      expect(entries.filter((e) => e.item?.type === 'track' && !e.is_local).map((e) => e.item.id)).toEqual(playlist.items);
      for (const entry of entries) if (entry.item?.type === 'track' && !entry.is_local) collect(entry.item);
    }
    expect([...artists].sort()).toEqual(truth.artists);
    expect([...albums].sort()).toEqual(truth.albums);

    extended.setConfig({ appMode: 'development' });
    const development = extended.truth();
    expect(development.artists.length).toBeLessThan(truth.artists.length);
    expect(development.skipped.nullItems + development.skipped.localItems + development.skipped.episodes).toBeLessThan(
      truth.skipped.nullItems + truth.skipped.localItems + truth.skipped.episodes,
    );
  });
});
