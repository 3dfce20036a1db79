import { describe, expect, it } from 'vitest';
import {
  diffEntries,
  encodeChanges,
  entriesFromChain,
  entriesOfVersions,
  fullCopyDue,
  type ChainRow,
  type EntryDiff,
  type StoredEntry,
} from '../../../src/versions/version-codec.js';

/** The diff as first written, straightforwardly: arrays of positions per uri, pairs as tuples, a Set of the kept run. */
function referenceDiff(from: readonly StoredEntry[], to: readonly StoredEntry[]): EntryDiff {
  const key = (e: StoredEntry) => e.u ?? `unavailable:${e.t ?? ''}`;
  const positions = new Map<string, number[]>();
  from.forEach((e, i) => {
    const list = positions.get(key(e));
    if (list) list.push(i);
    else positions.set(key(e), [i]);
  });
  const added: EntryDiff['added'] = [];
  const pairs: [number, number][] = [];
  to.forEach((e, i) => {
    const j = positions.get(key(e))?.shift();
    if (j === undefined) added.push({ uri: e.u, position: i });
    else pairs.push([j, i]);
  });
  const removed: EntryDiff['removed'] = [];
  for (const list of positions.values()) for (const j of list) removed.push({ uri: from[j]!.u, position: j });
  removed.sort((x, y) => x.position - y.position);
  const values = pairs.map((p) => p[0]);
  const tails: number[] = [];
  const previous = values.map(() => -1);
  values.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  });
  const kept = new Set<number>();
  for (let k = tails.length > 0 ? tails[tails.length - 1]! : -1; k >= 0; k = previous[k]!) kept.add(k);
  const moved = pairs.filter((_, k) => !kept.has(k)).map(([j, i]) => ({ uri: to[i]!.u, from: j, to: i }));
  return { added, removed, moved };
}

/** A seeded generator (the same sequences every run). */
function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return (s >>> 8) % n;
  };
}

/** An entry from a small pool of uris (so duplicates and re-adds happen), sometimes unavailable or a local file. */
function randomEntry(rand: (n: number) => number, day: number): StoredEntry {
  const roll = rand(20);
  const t = `2026-01-${String(1 + (day % 28)).padStart(2, '0')}T0${rand(10)}:00:00.000Z`;
  if (roll === 0) return { u: null, k: 'unavailable', n: null, a: null, t, b: 'me' };
  if (roll === 1) return { u: `spotify:local:a:b:song${rand(5)}:100`, k: 'local', n: 'Song', a: 'Band', t, b: 'me' };
  const n = rand(60);
  return { u: `spotify:track:t${n}`, k: 'track', n: `Track ${n}`, a: 'Artist', t, b: rand(3) === 0 ? 'friend' : 'me' };
}

/** One day's edit: entries removed, added at random places, moved, or the playlist emptied or replaced. */
function edit(before: readonly StoredEntry[], rand: (n: number) => number, day: number): StoredEntry[] {
  const after = [...before];
  switch (rand(8)) {
    case 0:
      return [];
    case 1:
      return Array.from({ length: rand(30) }, () => randomEntry(rand, day));
    case 2:
      for (let m = rand(5); m >= 0 && after.length > 1; m--) {
        const [moved] = after.splice(rand(after.length), 1);
        after.splice(rand(after.length + 1), 0, moved!);
      }
      return after;
    default:
      for (let r = rand(4); r > 0 && after.length > 0; r--) after.splice(rand(after.length), 1);
      for (let a = rand(5); a > 0; a--) after.splice(rand(after.length + 1), 0, randomEntry(rand, day));
      return after;
  }
}

describe('the fast diff path answers as the straightforward one', () => {
  it('over random edit sequences: every pair of versions diffs the same, and one pass over the shared chain builds each version', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rand = prng(seed);
      const versions: StoredEntry[][] = [Array.from({ length: rand(40) }, () => randomEntry(rand, 0))];
      for (let day = 1; day < 30; day++) versions.push(edit(versions[day - 1]!, rand, day));

      // Stored as the sync stores them: changes against the version before, a full copy when due.
      const rows: ChainRow[] = [];
      let chain = { length: 0, chainBytes: 0 };
      versions.forEach((entries, i) => {
        const version = i + 1;
        const full = JSON.stringify(entries);
        const changes = i === 0 ? full : JSON.stringify(encodeChanges(versions[i - 1]!, entries));
        if (i === 0 || fullCopyDue(chain, changes.length, full.length) || rand(6) === 0) {
          rows.push({ version, base_version: version, entries: JSON.parse(full) });
          chain = { length: 1, chainBytes: 0 };
        } else {
          rows.push({ version, base_version: rows[i - 1]!.base_version, entries: JSON.parse(changes) });
          chain = { length: chain.length + 1, chainBytes: chain.chainBytes + changes.length };
        }
      });
      const chainOf = (v: number) => rows.filter((r) => r.version >= rows[v - 1]!.base_version && r.version <= v);

      for (let k = 0; k < 25; k++) {
        const a = 1 + rand(versions.length);
        const b = 1 + rand(versions.length);
        // What one query returns for both: each chain's rows, the shared ones once, in version order.
        const both = rows.filter((r) => chainOf(a).includes(r) || chainOf(b).includes(r));
        const built = entriesOfVersions(both, [a, b]);
        expect(built.get(a)).toEqual(entriesFromChain(chainOf(a)));
        expect(built.get(b)).toEqual(entriesFromChain(chainOf(b)));
        expect(built.get(a)).toEqual(versions[a - 1]);
        expect(diffEntries(built.get(a)!, built.get(b)!)).toEqual(referenceDiff(versions[a - 1]!, versions[b - 1]!));
      }
    }
  });
});
