import { describe, expect, it } from 'vitest';
import { albumName, artistName, playlistName, trackName } from '../../../src/simulator/names.js';
import { createPrng, hashString, isBase62Id, prngFor } from '../../../src/simulator/prng.js';

const draws = (seed: number, stream: string, n = 20) => {
  const rng = createPrng(seed, stream);
  return Array.from({ length: n }, () => rng.next());
};

describe('the simulator’s seeded randomness', () => {
  it('repeats itself for the same seed and stream, and differs for another seed or stream', () => {
    expect(draws(42, 'library')).toEqual(draws(42, 'library'));
    expect(draws(43, 'library')).not.toEqual(draws(42, 'library'));
    // Streams are independent: turning on faults does not change the library.
    expect(draws(42, 'faults')).not.toEqual(draws(42, 'library'));
    for (const x of draws(7, 'x', 1_000)) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('gives integers in the inclusive range, reaching both ends', () => {
    const rng = createPrng(1, 'ints');
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) seen.add(rng.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('makes Spotify-shaped ids: 22 base62 characters, different each time', () => {
    const rng = createPrng(5, 'ids');
    const ids = Array.from({ length: 1_000 }, () => rng.base62());
    for (const id of ids) expect(isBase62Id(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(rng.base62(8)).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(isBase62Id('4uLU6hMCjMI75M1A2tKUQ')).toBe(false);
    expect(isBase62Id('4uLU6hMCjMI75M1A2tKUQ-')).toBe(false);
  });

  it('shuffles into a permutation without touching the input, and refuses to pick from nothing', () => {
    const rng = createPrng(9, 'shuffle');
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffled(items);
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(() => rng.pick([])).toThrow(/empty/);
  });

  it('derives the same details from the same id (nothing stored), and FNV-1a seeds', () => {
    expect(prngFor('track-1').int(0, 1_000_000)).toBe(prngFor('track-1').int(0, 1_000_000));
    expect(draws(hashString('track-1'), 'entity')).not.toEqual(draws(hashString('track-2'), 'entity'));
    // The published FNV-1a 32-bit test vectors.
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });
});

describe('the simulator’s names', () => {
  it('are the same for the same seed and readable words, not ids', () => {
    const names = (seed: number) => {
      const rng = createPrng(seed, 'names');
      return Array.from({ length: 30 }, () => [artistName(rng), albumName(rng), trackName(rng), playlistName(rng)]).flat();
    };
    expect(names(3)).toEqual(names(3));
    expect(names(4)).not.toEqual(names(3));
    for (const name of names(3)) expect(name).toMatch(/^[A-Za-z][A-Za-z ()-]*[A-Za-z)]$/);
  });
});
