import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../src/simulator/create-simulator.js';
import { generateLibrary } from '../../../src/simulator/library.js';
import { computeTruth } from '../../../src/simulator/truth.js';
import { allItems, demoAccessToken } from './helpers.js';

const base62Id = /^[0-9A-Za-z]{22}$/;

describe('library generation', () => {
  it('is deterministic: the same seed gives the same truth, another seed another library', () => {
    const a = createSimulator({ seed: 11, tracks: 500, playlists: 15 }).truth();
    const b = createSimulator({ seed: 11, tracks: 500, playlists: 15 }).truth();
    const c = createSimulator({ seed: 12, tracks: 500, playlists: 15 }).truth();
    expect(b).toEqual(a);
    expect(c.savedTracks).not.toEqual(a.savedTracks);
    expect(a.savedTracks).toHaveLength(500);
    expect(a.playlists).toHaveLength(15);
  });

  it('renders identical API answers for the same seed and clock', async () => {
    const first = createSimulator({ seed: 5, tracks: 60, playlists: 3, clock: () => Date.UTC(2026, 0, 1) });
    const second = createSimulator({ seed: 5, tracks: 60, playlists: 3, clock: () => Date.UTC(2026, 0, 1) });
    const [tokenA, tokenB] = [await demoAccessToken(first), await demoAccessToken(second)];
    expect(await allItems(first, '/v1/me/tracks?limit=50', tokenA)).toEqual(await allItems(second, '/v1/me/tracks?limit=50', tokenB));
  });

  it('uses Spotify-shaped ids and unique ones', () => {
    const truth = createSimulator({ seed: 3, tracks: 2000, playlists: 30 }).truth();
    const ids = [...truth.savedTracks, ...truth.artists, ...truth.albums, ...truth.playlists.map((p) => p.id)];
    for (const id of ids) expect(id).toMatch(base62Id);
    expect(new Set(truth.savedTracks).size).toBe(truth.savedTracks.length);
    expect(new Set([...truth.artists, ...truth.albums]).size).toBe(truth.artists.length + truth.albums.length);
  });

  it('has realistic proportions: ~0.4 artists and ~0.6 albums per saved track, a few artists on many tracks', () => {
    const library = generateLibrary({ seed: 42, tracks: 5000, playlists: 0 });
    const { catalog } = library;
    const artists = new Set<number>();
    const albums = new Set<number>();
    const tracksPerArtist = new Map<number, number>();
    let compilations = 0;
    for (const { track: index } of library.saved) {
      const track = catalog.tracks[index]!;
      expect(track.artists.length).toBeGreaterThanOrEqual(1);
      expect(track.artists.length).toBeLessThanOrEqual(3);
      for (const artist of track.artists) {
        artists.add(artist);
        tracksPerArtist.set(artist, (tracksPerArtist.get(artist) ?? 0) + 1);
      }
      const album = catalog.albums[track.album]!;
      expect(album.artists.length).toBeGreaterThanOrEqual(1);
      expect(album.artists.length).toBeLessThanOrEqual(2);
      if (!albums.has(track.album) && album.albumType === 'compilation') compilations++;
      albums.add(track.album);
      album.artists.forEach((a) => artists.add(a));
    }
    expect(artists.size / 5000).toBeGreaterThan(0.3);
    expect(artists.size / 5000).toBeLessThan(0.5);
    expect(albums.size / 5000).toBeGreaterThan(0.5);
    expect(albums.size / 5000).toBeLessThan(0.7);
    expect(compilations / albums.size).toBeGreaterThan(0.01);
    expect(compilations / albums.size).toBeLessThan(0.06);
    const counts = [...tracksPerArtist.values()].sort((x, y) => y - x);
    // Power law: the top artist has dozens of tracks while most artists have one.
    expect(counts[0]).toBeGreaterThan(40);
    expect(counts.filter((n) => n === 1).length).toBeGreaterThan(artists.size / 3);
    const various = catalog.artists.filter((a) => a.name === 'Various Artists');
    expect(various).toHaveLength(1);
  });

  it('mixes owned, collaborative and followed playlists with the awkward entries real ones have', () => {
    const library = generateLibrary({ seed: 42, tracks: 3500, playlists: 40 });
    const relations = library.playlists.map((p) => p.relation);
    expect(relations.filter((r) => r === 'owned')).toHaveLength(24);
    expect(relations.filter((r) => r === 'collaborative')).toHaveLength(4);
    expect(relations.filter((r) => r === 'followed')).toHaveLength(12);
    for (const playlist of library.playlists) {
      expect(playlist.items.length).toBeLessThanOrEqual(120);
      if (playlist.relation === 'owned') expect(playlist.owner).toBe(0);
      else expect(playlist.owner).not.toBe(0);
    }
    const items = library.playlists.flatMap((p) => p.items);
    const kinds = (kind: string) => items.filter((i) => i.kind === kind).length;
    expect(kinds('unavailable')).toBeGreaterThan(0);
    expect(kinds('local')).toBeGreaterThan(0);
    expect(kinds('episode')).toBeGreaterThan(0);
    const saved = new Set(library.saved.map((s) => s.track));
    const trackItems = items.filter((i) => i.kind === 'track');
    const savedShare = trackItems.filter((i) => saved.has(i.track)).length / items.length;
    expect(savedShare).toBeGreaterThan(0.6);
    expect(savedShare).toBeLessThan(0.8);
    // Tracks only in playlists bring artists and albums the saved tracks do not have.
    const truth = computeTruth(library, 'extended');
    const savedOnly = computeTruth({ ...library, playlists: [] }, 'extended');
    expect(truth.artists.length).toBeGreaterThan(savedOnly.artists.length);
    expect(truth.albums.length).toBeGreaterThan(savedOnly.albums.length);
    expect(library.playlists.some((p) => p.items.length === 0)).toBe(true);
  });

  it('starts with about 30 plays over the past day', async () => {
    const now = Date.UTC(2026, 0, 7, 8, 0, 0);
    const sim = createSimulator({ tracks: 200, playlists: 5, clock: () => now });
    const token = await demoAccessToken(sim);
    const response = await sim.app.request('http://sim.test/v1/me/player/recently-played?limit=50', { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { items: { played_at: string }[] };
    expect(body.items.length).toBeGreaterThanOrEqual(20);
    expect(body.items.length).toBeLessThanOrEqual(30);
    for (const play of body.items) {
      const at = Date.parse(play.played_at);
      expect(at).toBeLessThan(now);
      expect(at).toBeGreaterThan(now - 86_400_000);
    }
  });

  it('generates a 100k-track library quickly and compactly', () => {
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const sim = createSimulator({ seed: 1, tracks: 100_000, playlists: 500 });
    const elapsed = performance.now() - started;
    const truth = sim.truth();
    expect(truth.savedTracks).toHaveLength(100_000);
    // Generous bounds for a loaded CI machine; locally this takes about a second and ~100 MB.
    expect(elapsed).toBeLessThan(8000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(400 * 1024 * 1024);
  });
});
