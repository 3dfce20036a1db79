import type { Db } from './connect.js';

/**
 * Results of costly reads kept in memory under a version: a string that changes whenever what the
 * result was read from may have changed (the account's play generation, the entries or saved tracks read). The
 * version is read before the work, so a result read while its data changed is kept under a version that
 * has already moved on, and not served once that is seen. At most `maxEntries` results, the least
 * recently used dropped first.
 */
export class VersionMemo {
  private readonly slots = new WeakMap<Db, Map<string, { version: string; value: unknown }>>();

  constructor(private readonly maxEntries: number) {}

  /** `read()`'s result for `slot` while its version is `version`. */
  async get<T>(db: Db, slot: string, version: string, read: () => Promise<T>): Promise<T> {
    let memo = this.slots.get(db);
    if (!memo) this.slots.set(db, (memo = new Map()));
    const hit = memo.get(slot);
    if (hit && hit.version === version) {
      memo.delete(slot);
      memo.set(slot, hit);
      return hit.value as T;
    }
    const value = await read();
    memo.set(slot, { version, value });
    if (memo.size > this.maxEntries) memo.delete(memo.keys().next().value as string);
    return value;
  }
}

/**
 * The account's play generation (raised by a trigger on every statement that writes play_history, see
 * migration 20261207510000), with the transaction id that wrote it: an account deleted and connected
 * again under the same id starts counting from 1 again, in a row that another transaction wrote.
 */
export async function readPlayGeneration(db: Db, accountId: string): Promise<string> {
  const row = (await db('play_history_generations').where('account_id', accountId).first('generation', db.raw('xmin::text as writer'))) as
    { generation: string | number; writer: string } | undefined;
  return row ? `${row.generation}@${row.writer}` : '0';
}
