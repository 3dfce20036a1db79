/**
 * How a playlist version's entries are stored (playlist_versions.entries): a full copy, or the changes
 * against the version before as copy ranges and inserted entries. Pure: the sync writes with it, the
 * read model and the restore read with it.
 */

/** One entry of a playlist as stored: generic over what it is (track, episode, local file, unavailable). */
export interface StoredEntry {
  /** The entry's uri; null for an unavailable entry (Spotify sends `item: null`). */
  u: string | null;
  /** track, episode, local, unavailable. */
  k: string;
  /** Name and artists as Spotify gave them when this version was seen. */
  n: string | null;
  a: string | null;
  /** added_at (ISO) and added_by (user id). */
  t: string | null;
  b: string | null;
}

/** Copy `len` entries of the version before from `start`, or insert entries. */
export type VersionOp = ['c', number, number] | ['i', StoredEntry[]];

/** A full copy is written at least every this many versions, so a read takes a bounded chain of rows. */
export const MAX_CHAIN = 50;

const sameEntry = (x: StoredEntry, y: StoredEntry): boolean => x.u === y.u && x.k === y.k && x.t === y.t && x.b === y.b && x.n === y.n && x.a === y.a;
const entryKey = (e: StoredEntry): string => `${e.u ?? ''}\u0000${e.t ?? ''}`;

/** The changes that turn `before` into `after`: runs of `before` kept (in any order) and what is new. Linear in the sizes. */
export function encodeChanges(before: readonly StoredEntry[], after: readonly StoredEntry[]): VersionOp[] {
  const where = new Map<string, number[]>();
  before.forEach((e, i) => {
    const key = entryKey(e);
    const list = where.get(key);
    if (list) list.push(i);
    else where.set(key, [i]);
  });
  const used = new Uint8Array(before.length);
  const ops: VersionOp[] = [];
  const insert = (e: StoredEntry) => {
    const last = ops[ops.length - 1];
    if (last?.[0] === 'i') last[1].push(e);
    else ops.push(['i', [e]]);
  };
  let i = 0;
  while (i < after.length) {
    const e = after[i]!;
    const list = where.get(entryKey(e));
    let j = -1;
    if (list) {
      while (list.length > 0 && used[list[0]!]) list.shift();
      j = list.find((p) => !used[p] && sameEntry(before[p]!, e)) ?? -1;
    }
    if (j < 0) {
      insert(e);
      i += 1;
      continue;
    }
    let len = 0;
    while (i + len < after.length && j + len < before.length && !used[j + len] && sameEntry(before[j + len]!, after[i + len]!)) {
      used[j + len] = 1;
      len += 1;
    }
    const last = ops[ops.length - 1];
    if (last?.[0] === 'c' && last[1] + last[2] === j) last[2] += len;
    else ops.push(['c', j, len]);
    i += len;
  }
  return ops;
}

/** Applies the changes of one version to the entries of the version before. */
export function applyChanges(before: readonly StoredEntry[], ops: readonly VersionOp[]): StoredEntry[] {
  const out: StoredEntry[] = [];
  for (const op of ops) {
    if (op[0] === 'i') out.push(...op[1]);
    else for (let k = op[1]; k < op[1] + op[2]; k++) out.push(before[k]!);
  }
  return out;
}

/** A row of the chain, oldest first: the full copy, then the changes of each version after it. */
export interface ChainRow {
  version: number;
  base_version: number;
  entries: unknown;
}

/** The entries of the last row of a chain (rows ordered by version, starting at a full copy). */
export function entriesFromChain(rows: readonly ChainRow[]): StoredEntry[] {
  let entries: StoredEntry[] = [];
  for (const row of rows) {
    if (row.version === row.base_version) entries = (row.entries as StoredEntry[]).slice();
    else entries = applyChanges(entries, row.entries as VersionOp[]);
  }
  return entries;
}

/** Whether the next version is stored whole: the chain is long enough, or its changes weigh more than a copy. */
export function fullCopyDue(chain: { length: number; chainBytes: number }, changesBytes: number, fullBytes: number): boolean {
  return chain.length >= MAX_CHAIN || chain.chainBytes + changesBytes >= fullBytes;
}

export interface EntryDiff {
  added: { uri: string | null; position: number }[];
  removed: { uri: string | null; position: number }[];
  moved: { uri: string | null; from: number; to: number }[];
}

/**
 * What changed between two versions' entries, by uri: the k-th occurrence of a uri in one matches its
 * k-th occurrence in the other; unmatched ones are added or removed; of the matched ones, those outside
 * the longest run kept in order are moved (the fewest moves that explain the new order).
 */
export function diffEntries(from: readonly StoredEntry[], to: readonly StoredEntry[]): EntryDiff {
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
    const list = positions.get(key(e));
    const j = list?.shift();
    if (j === undefined) added.push({ uri: e.u, position: i });
    else pairs.push([j, i]);
  });
  const removed: EntryDiff['removed'] = [];
  for (const list of positions.values()) for (const j of list) removed.push({ uri: from[j]!.u, position: j });
  removed.sort((x, y) => x.position - y.position);
  const kept = longestIncreasing(pairs.map((p) => p[0]));
  const moved = pairs.filter((_, k) => !kept.has(k)).map(([j, i]) => ({ uri: to[i]!.u, from: j, to: i }));
  return { added, removed, moved };
}

/** Indexes of one longest strictly increasing subsequence (patience sorting, n log n). */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Int32Array(values.length).fill(-1);
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
  let k = tails.length > 0 ? tails[tails.length - 1]! : -1;
  while (k >= 0) {
    kept.add(k);
    k = previous[k]!;
  }
  return kept;
}
