import type { Db } from '../db/connect.js';
import { readPlayGeneration, VersionMemo } from '../db/version-memo.js';

/**
 * Reads over an arbitrary range of plays that sum tens of thousands of daily rollup rows (the top
 * tracks, artists and albums of "the last 365 days"), kept in memory under the account's play
 * generation: never served once its plays have changed.
 */
const memo = new VersionMemo(200);

/** `read()`'s result for this account and key while the account's plays have not changed since it was read. */
export async function memoOverPlays<T>(db: Db, accountId: string, key: string, read: () => Promise<T>): Promise<T> {
  return memo.get(db, `${accountId}\u0000${key}`, await readPlayGeneration(db, accountId), read);
}

/** The calendar year a range covers exactly, or null. */
export function calendarYearOf(range: { from: string; to: string }): number | null {
  const year = range.from.slice(0, 4);
  return range.from === `${year}-01-01` && range.to === `${year}-12-31` ? Number(year) : null;
}
