import { describe, expect, it } from 'vitest';
import { pagePosition, readPages, type OffsetPage } from '../../../activities/sync/read-pages.js';

/** A list of `length` numbered entries served `size` a page, like Spotify's offset paging. */
function pagedList(length: number, size: number) {
  const asked: number[] = [];
  return {
    asked,
    fetch: async (offset: number): Promise<OffsetPage<number>> => {
      asked.push(offset);
      return { items: Array.from({ length: Math.max(0, Math.min(size, length - offset)) }, (_, i) => offset + i), total: length };
    },
  };
}

describe('readPages', () => {
  it('reads every page from the offset to the end, in order, one call a page', async () => {
    const list = pagedList(120, 50);
    const seen: number[] = [];
    const position = pagePosition(10, null);
    await readPages(position, { fetch: list.fetch, onPage: (page) => void seen.push(...page.items), more: () => true });
    expect(seen).toEqual(Array.from({ length: 110 }, (_, i) => 10 + i));
    expect(list.asked).toEqual([10, 60, 110]);
    expect(position).toEqual({ offset: 120, total: 120, atEnd: true });
  });

  it('tells the page that ends the list, and ends at an empty page whatever the total says', async () => {
    const ends: boolean[] = [];
    const position = pagePosition(0, null);
    const fetch = async (offset: number): Promise<OffsetPage<number>> => ({ items: offset === 0 ? [1, 2] : [], total: 10 });
    await readPages(position, { fetch, onPage: (_page, _at, end) => void ends.push(end), more: () => true });
    expect(ends).toEqual([false, true]);
    expect(position).toEqual({ offset: 2, total: 10, atEnd: true });
  });

  it('stops when the budget says so, and the position says where to go on', async () => {
    const list = pagedList(500, 50);
    let taken = 0;
    const position = pagePosition(0, null);
    await readPages(position, { fetch: list.fetch, onPage: (page) => void (taken += page.items.length), more: () => taken < 120 });
    expect(taken).toBe(150);
    expect(position).toEqual({ offset: 150, total: 500, atEnd: false });
  });

  it('throws a failed call after taking in the pages before it, the position just past them', async () => {
    const list = pagedList(500, 50);
    const fetch = (offset: number) => (offset === 100 ? Promise.reject(new Error('429')) : list.fetch(offset));
    const seen: number[] = [];
    const position = pagePosition(0, null);
    await expect(readPages(position, { fetch, onPage: (page) => void seen.push(...page.items), more: () => true })).rejects.toThrow('429');
    expect(seen).toHaveLength(100);
    expect(position.offset).toBe(100);
    expect(position.atEnd).toBe(false);
  });

  it('fetches a round together but takes pages in order, only while each starts where the last ended', async () => {
    const asked: number[] = [];
    // The list lost 5 entries while the first round was read: the page at 50 comes back short.
    const fetch = async (offset: number): Promise<OffsetPage<number>> => {
      asked.push(offset);
      const size = asked.length === 2 ? 45 : 50;
      return { items: Array.from({ length: size }, (_, i) => offset + i), total: 1_000 };
    };
    const starts: number[] = [];
    const position = pagePosition(0, 1_000);
    let rounds = 0;
    await readPages(position, {
      fetch,
      onPage: (_page, at) => void starts.push(at),
      more: () => rounds++ < 2,
      round: ({ offset }) => [offset, offset + 50, offset + 100],
      lanes: 3,
    });
    expect(asked).toEqual([0, 50, 100, 95, 145, 195]);
    // The page at 100 no longer fits after the short one: the next round reads on from 95.
    expect(starts).toEqual([0, 50, 95, 145, 195]);
    expect(position.offset).toBe(245);
  });
});
