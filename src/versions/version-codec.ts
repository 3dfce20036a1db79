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
  let length = 0;
  for (const op of ops) length += op[0] === 'i' ? op[1].length : op[2];
  const out = new Array<StoredEntry>(length);
  let k = 0;
  for (const op of ops) {
    if (op[0] === 'i') for (const e of op[1]) out[k++] = e;
    else for (let j = op[1], end = op[1] + op[2]; j < end; j++) out[k++] = before[j]!;
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

/**
 * The entries of several versions from one ordered read of their chains (`rows`: each wanted version's
 * full copy and the changes after it, rows shared by two chains once). Each chain row follows the row
 * before it or is a full copy, so one pass in version order builds every wanted version.
 */
export function entriesOfVersions(rows: readonly ChainRow[], wanted: readonly number[]): Map<number, StoredEntry[]> {
  const want = new Set(wanted);
  const found = new Map<number, StoredEntry[]>();
  let entries: StoredEntry[] = [];
  for (const row of rows) {
    if (row.version === row.base_version) entries = row.entries as StoredEntry[];
    else entries = applyChanges(entries, row.entries as VersionOp[]);
    // A full copy is handed out as parsed; every later version is a new array, so none is shared.
    if (want.has(row.version)) found.set(row.version, row.version === row.base_version ? entries.slice() : entries);
  }
  return found;
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
 * the longest run kept in order are moved (the fewest moves that explain the new order). Linear in the
 * sizes but for the n log n of the longest run, with typed arrays rather than an object per entry.
 */
export function diffEntries(from: readonly StoredEntry[], to: readonly StoredEntry[]): EntryDiff {
  const key = (e: StoredEntry) => e.u ?? `unavailable:${e.t ?? ''}`;
  // The positions of each key in `from`, in order: the first in `head`, each one's next in `next`.
  const head = new Map<string, number>();
  const next = new Int32Array(from.length);
  for (let j = from.length - 1; j >= 0; j--) {
    const k = key(from[j]!);
    next[j] = head.get(k) ?? -1;
    head.set(k, j);
  }
  const matched = new Uint8Array(from.length);
  const pairFrom = new Int32Array(to.length);
  const pairTo = new Int32Array(to.length);
  let pairs = 0;
  const added: EntryDiff['added'] = [];
  for (let i = 0; i < to.length; i++) {
    const k = key(to[i]!);
    const j = head.get(k);
    if (j === undefined || j < 0) {
      added.push({ uri: to[i]!.u, position: i });
      continue;
    }
    head.set(k, next[j]!);
    matched[j] = 1;
    pairFrom[pairs] = j;
    pairTo[pairs] = i;
    pairs += 1;
  }
  const removed: EntryDiff['removed'] = [];
  for (let j = 0; j < from.length; j++) if (!matched[j]) removed.push({ uri: from[j]!.u, position: j });
  const kept = longestIncreasing(pairFrom.subarray(0, pairs));
  const moved: EntryDiff['moved'] = [];
  for (let p = 0; p < pairs; p++) if (!kept[p]) moved.push({ uri: to[pairTo[p]!]!.u, from: pairFrom[p]!, to: pairTo[p]! });
  return { added, removed, moved };
}

/** Marks (1) the indexes of one longest strictly increasing subsequence (patience sorting, n log n). */
function longestIncreasing(values: Int32Array): Uint8Array {
  const tails = new Int32Array(values.length);
  let length = 0;
  const previous = new Int32Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
    if (lo === length) length += 1;
  }
  const kept = new Uint8Array(values.length);
  let k = length > 0 ? tails[length - 1]! : -1;
  while (k >= 0) {
    kept[k] = 1;
    k = previous[k]!;
  }
  return kept;
}
