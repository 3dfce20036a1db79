import { diffEntries, type StoredEntry } from './version-codec.js';

/**
 * What a restore will do, shown before it runs (the dry run) and kept with it: the entries it adds,
 * removes and moves, what it cannot restore and why, and the Spotify calls it needs. Pure.
 */
export interface RestorePlan {
  /** recreate (a deleted playlist of the user), rollback (an owned playlist), follow (a followed one), save (removed saved items), none. */
  action: 'recreate' | 'rollback' | 'follow' | 'save' | 'none';
  add: { uri: string | null; position: number }[];
  remove: { uri: string | null; position: number }[];
  move: { uri: string | null; from: number; to: number }[];
  notRestorable: { uri: string | null; reason: string }[];
  calls: number;
}

/** Most uris per write (playlist items; library), entries per read page. */
export const PLAYLIST_WRITE_SIZE = 100;
export const LIBRARY_WRITE_SIZE = 40;
export const READ_PAGE_SIZE = 50;
/** Most playlist writes of one restore step; each step first reads the playlist to see whether it changed. */
export const WRITES_PER_STEP = 10;

const pages = (n: number, size: number) => Math.ceil(n / size);

/** Local files cannot be added through the Web API; unavailable entries have nothing to add. */
export function splitRestorable(entries: readonly StoredEntry[]): { uris: string[]; notRestorable: RestorePlan['notRestorable'] } {
  const uris: string[] = [];
  const notRestorable: RestorePlan['notRestorable'] = [];
  for (const e of entries) {
    if (e.u === null || e.k === 'unavailable') notRestorable.push({ uri: e.u, reason: 'unavailable: Spotify no longer has this entry' });
    else if (e.k === 'local' || e.u.startsWith('spotify:local:')) notRestorable.push({ uri: e.u, reason: 'local file: the Web API cannot add local files' });
    else uris.push(e.u);
  }
  return { uris, notRestorable };
}

/** The plan of a playlist restore from what the mirror last saw (`current`, empty for a deleted one) to `target`. */
export function planPlaylistRestore(
  action: 'recreate' | 'rollback' | 'follow' | 'none',
  current: readonly StoredEntry[],
  target: readonly StoredEntry[],
  detailsChange: boolean,
): RestorePlan {
  if (action === 'follow' || action === 'none') {
    return { action, add: [], remove: [], move: [], notRestorable: [], calls: action === 'follow' ? 2 : 0 };
  }
  const { uris, notRestorable } = splitRestorable(target);
  const restorable = target.filter((e) => e.u !== null && e.k !== 'local' && e.k !== 'unavailable');
  const diff = diffEntries(action === 'recreate' ? [] : current, restorable);
  // A recreated playlist starts empty; a rolled-back one is replaced by its first write, even with nothing to add.
  const writes = action === 'recreate' ? pages(uris.length, PLAYLIST_WRITE_SIZE) : Math.max(1, pages(uris.length, PLAYLIST_WRITE_SIZE));
  const create = action === 'recreate' ? 1 : 0;
  const checks = Math.max(1, Math.ceil(writes / WRITES_PER_STEP));
  const details = action === 'rollback' && detailsChange ? 1 : 0;
  const verify = 1 + Math.max(1, pages(uris.length, READ_PAGE_SIZE));
  return { action, add: diff.added, remove: diff.removed, move: diff.moved, notRestorable, calls: create + writes + checks + details + verify };
}

/** The plan of saving removed items again: one write per 40 uris, one check per 40. */
export function planSavedRestore(uris: readonly string[]): RestorePlan {
  return {
    action: 'save',
    add: uris.map((uri, position) => ({ uri, position })),
    remove: [],
    move: [],
    notRestorable: [],
    calls: 2 * pages(uris.length, LIBRARY_WRITE_SIZE),
  };
}
