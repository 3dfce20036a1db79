import type { Db } from '../db/connect.js';

/**
 * Reads over an arbitrary range of plays that sum tens of thousands of daily rollup rows (the top
 * tracks, artists and albums of "the last 365 days"), kept in memory under the account's play
 * generation (raised by a trigger on every statement that writes play_history, see migration
 * 20261207510000). The generation is read before the work, so a result read while plays changed is
 * stored under a generation that has already moved on, and never served.
 */
const MAX_ENTRIES = 200;
const memos = new WeakMap<Db, Map<string, { generation: string; value: unknown }>>();

/**
 * The generation, with the transaction id that wrote it: an account deleted and connected again under
 * the same id starts counting from 1 again, in a row that another transaction wrote.
 */
export async function readPlayGeneration(db: Db, accountId: string): Promise<string> {
  const row = (await db('play_history_generations').where('account_id', accountId).first('generation', db.raw('xmin::text as writer'))) as
    { generation: string | number; writer: string } | undefined;
  return row ? `${row.generation}@${row.writer}` : '0';
}

/** `read()`'s result for this account and key while the account's plays have not changed since it was read. */
export async function memoOverPlays<T>(db: Db, accountId: string, key: string, read: () => Promise<T>): Promise<T> {
  const generation = await readPlayGeneration(db, accountId);
  let memo = memos.get(db);
  if (!memo) memos.set(db, (memo = new Map()));
  const slot = `${accountId}\u0000${key}`;
  const hit = memo.get(slot);
  if (hit && hit.generation === generation) {
    memo.delete(slot);
    memo.set(slot, hit);
    return hit.value as T;
  }
  const value = await read();
  memo.set(slot, { generation, value });
  if (memo.size > MAX_ENTRIES) memo.delete(memo.keys().next().value as string);
  return value;
}

/** The calendar year a range covers exactly, or null. */
export function calendarYearOf(range: { from: string; to: string }): number | null {
  const year = range.from.slice(0, 4);
  return range.from === `${year}-01-01` && range.to === `${year}-12-31` ? Number(year) : null;
}
