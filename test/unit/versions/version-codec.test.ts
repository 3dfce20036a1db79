import { describe, expect, it } from 'vitest';
import { applyChanges, diffEntries, encodeChanges, entriesFromChain, fullCopyDue, MAX_CHAIN, type StoredEntry } from '../../../src/versions/version-codec.js';
import { planPlaylistRestore, splitRestorable } from '../../../src/versions/restore-plan.js';

const entry = (n: number, extra: Partial<StoredEntry> = {}): StoredEntry => ({
  u: `spotify:track:t${n}`,
  k: 'track',
  n: `Track ${n}`,
  a: 'Artist',
  t: `2026-01-${String((n % 28) + 1).padStart(2, '0')}T00:00:00.000Z`,
  b: 'me',
  ...extra,
});
const list = (ns: number[]) => ns.map((n) => entry(n));

describe('playlist versions as changes', () => {
  it('turns any version into the next and back, whatever the edit', () => {
    const before = list([1, 2, 3, 4, 5, 6, 7, 8]);
    const cases = [
      list([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      list([2, 3, 4]),
      list([8, 7, 6, 5, 4, 3, 2, 1]),
      list([]),
      list([1, 1, 2, 9, 3]),
      [entry(1), entry(2, { n: 'Renamed' }), entry(3)],
    ];
    for (const after of cases) expect(applyChanges(before, encodeChanges(before, after))).toEqual(after);
  });

  it('weighs what the edit weighs: appending to a 5,000-entry playlist stores the new entries and one range', () => {
    const before = list(Array.from({ length: 5000 }, (_, i) => i));
    const after = [...before.slice(0, 2000), ...before.slice(2003), entry(9001), entry(9002)];
    const changes = encodeChanges(before, after);
    expect(changes).toEqual([
      ['c', 0, 2000],
      ['c', 2003, 2997],
      ['i', [entry(9001), entry(9002)]],
    ]);
    expect(JSON.stringify(changes).length).toBeLessThan(JSON.stringify(after).length / 20);
  });

  it('reads a version from its full copy and the changes after it', () => {
    const v1 = list([1, 2, 3]);
    const v2 = list([1, 2, 3, 4]);
    const v3 = list([4, 1]);
    const rows = [
      { version: 1, base_version: 1, entries: v1 },
      { version: 2, base_version: 1, entries: encodeChanges(v1, v2) },
      { version: 3, base_version: 1, entries: encodeChanges(v2, v3) },
    ];
    expect(entriesFromChain(rows)).toEqual(v3);
    expect(fullCopyDue({ length: MAX_CHAIN, chainBytes: 0 }, 10, 1000)).toBe(true);
    expect(fullCopyDue({ length: 3, chainBytes: 900 }, 200, 1000)).toBe(true);
    expect(fullCopyDue({ length: 3, chainBytes: 100 }, 200, 1000)).toBe(false);
  });

  it('diffs two versions into added, removed and the fewest moves', () => {
    const diff = diffEntries(list([1, 2, 3, 4, 5]), list([1, 5, 2, 3, 6]));
    expect(diff.added).toEqual([{ uri: 'spotify:track:t6', position: 4 }]);
    expect(diff.removed).toEqual([{ uri: 'spotify:track:t4', position: 3 }]);
    expect(diff.moved).toEqual([{ uri: 'spotify:track:t5', from: 4, to: 1 }]);
  });
});

describe('restore plans', () => {
  it('lists local files and unavailable entries as not restorable, and counts the calls', () => {
    const target = [
      entry(1),
      { ...entry(2), u: 'spotify:local:a:b:c:100', k: 'local' },
      { ...entry(3), u: null, k: 'unavailable' },
      ...list(Array.from({ length: 250 }, (_, i) => i + 10)),
    ];
    expect(splitRestorable(target).uris).toHaveLength(251);
    const plan = planPlaylistRestore('recreate', [], target, false);
    expect(plan.notRestorable.map((n) => n.reason.split(':')[0])).toEqual(['local file', 'unavailable']);
    expect(plan.add).toHaveLength(251);
    // One create, three writes of at most 100 in one step that first reads the playlist, then the playlist and six pages of 50 read back.
    expect(plan.calls).toBe(1 + 3 + 1 + 1 + 6);
  });
});
