/**
 * Seeded randomness for the simulator. Everything random in the simulator comes from here (never
 * Math.random), so a seed reproduces the same library, the same injected faults and the same mutations.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_CODES = Array.from(BASE62, (ch) => ch.charCodeAt(0));
const idBuffer = Buffer.allocUnsafe(128);

export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A 22-character base62 string, the shape of a Spotify id. */
  base62(length?: number): string;
  /** A copy of `items` in random order. */
  shuffled<T>(items: readonly T[]): T[];
}

/** 32-bit FNV-1a: turns a stream name or an id into a seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Independent streams per purpose (library, faults, mutations, tokens) so that, for example, turning
 * on error injection does not change which tracks a later mutation saves.
 */
export function createPrng(seed: number, stream = ''): Prng {
  let state = (hashString(`${stream}:${seed}`) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  // mulberry32
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    base62(length = 22): string {
      // Written into a buffer: string concatenation leaves ropes that 100k-track libraries pay for in GC.
      const bytes = length <= idBuffer.length ? idBuffer : Buffer.allocUnsafe(length);
      for (let i = 0; i < length; i++) bytes[i] = BASE62_CODES[Math.floor(next() * 62)] ?? 48;
      return bytes.toString('latin1', 0, length);
    },
    shuffled<T>(items: readonly T[]): T[] {
      const copy = items.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    },
  };
}

/** Stable per-entity details (duration, popularity, ...) derived from an id instead of stored. */
export function prngFor(id: string): Prng {
  return createPrng(hashString(id), 'entity');
}

export const isBase62Id = (value: string): boolean => /^[0-9A-Za-z]{22}$/.test(value);
