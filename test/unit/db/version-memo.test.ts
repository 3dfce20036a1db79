import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/connect.js';
import { VersionMemo } from '../../../src/db/version-memo.js';

/** The memo keys its entries by the Db object only: any object stands in for one here. */
const db = {} as Db;

function counter() {
  let reads = 0;
  return {
    read: async () => (reads += 1),
    get reads() {
      return reads;
    },
  };
}

describe('VersionMemo', () => {
  it('serves a result while its version stays, and reads again once the version moved on', async () => {
    const memo = new VersionMemo(10);
    const c = counter();
    expect(await memo.get(db, 'a', 'v1', c.read)).toBe(1);
    expect(await memo.get(db, 'a', 'v1', c.read)).toBe(1);
    expect(await memo.get(db, 'a', 'v2', c.read)).toBe(2);
    expect(await memo.get(db, 'a', 'v1', c.read)).toBe(3);
    expect(c.reads).toBe(3);
  });

  it('keeps slots and databases apart', async () => {
    const memo = new VersionMemo(10);
    const c = counter();
    await memo.get(db, 'a', 'v1', c.read);
    expect(await memo.get(db, 'b', 'v1', c.read)).toBe(2);
    expect(await memo.get({} as Db, 'a', 'v1', c.read)).toBe(3);
  });

  it('drops the least recently used result beyond maxEntries', async () => {
    const memo = new VersionMemo(2);
    const c = counter();
    await memo.get(db, 'a', 'v', c.read); // 1
    await memo.get(db, 'b', 'v', c.read); // 2
    await memo.get(db, 'a', 'v', c.read); // a used again: b is now the oldest
    await memo.get(db, 'c', 'v', c.read); // 3, drops b
    expect(await memo.get(db, 'a', 'v', c.read)).toBe(1);
    expect(await memo.get(db, 'b', 'v', c.read)).toBe(4);
  });
});
