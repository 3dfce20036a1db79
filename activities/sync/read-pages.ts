import { forEachConcurrently } from '../shared/for-each-concurrently.js';

/** One page of an offset-paged Spotify list (`Paging`). */
export interface OffsetPage<T> {
  items: readonly T[];
  total: number;
}

/** Where an offset-paged read stands: the next offset, the list's length as Spotify last said, whether it ended. */
export interface PagePosition {
  offset: number;
  total: number | null;
  atEnd: boolean;
}

export const pagePosition = (offset: number, total: number | null): PagePosition => ({ offset, total, atEnd: false });

export interface PageRead<T> {
  fetch(offset: number): Promise<OffsetPage<T>>;
  /**
   * Takes in a page starting at `offset`, before the position moves past it (so what it stored and
   * the position agree whenever the next call fails); `ends` says whether the list ends with it.
   */
  onPage(page: OffsetPage<T>, offset: number, ends: boolean): void | Promise<void>;
  /** Whether to read another round of pages (the batch's budget). */
  more(): boolean;
  /** Called after every call and every round (liveness, resume details). */
  heartbeat?(): void;
  /** The offsets fetched together in the next round (default: the next page only), and how many at once. */
  round?(position: PagePosition): number[];
  lanes?: number;
}

/**
 * The one page loop of the sync: reads an offset-paged list from `position` (which it moves) until it
 * ends (an empty page, or the offset at Spotify's `total`) or `more()` says stop. The pages of a round
 * are fetched together, then taken in order, and only while each starts where the previous ended: a
 * list that changed meanwhile is read again from the first page that no longer fits. A failed call is
 * thrown once the pages fetched before it are taken in.
 */
export async function readPages<T>(position: PagePosition, read: PageRead<T>): Promise<void> {
  while (!position.atEnd && read.more()) {
    const offsets = read.round?.(position) ?? [position.offset];
    const pages: (OffsetPage<T> | undefined)[] = [];
    let failure: { error: unknown } | null = null;
    try {
      await forEachConcurrently(offsets, read.lanes ?? 1, async (at) => {
        pages[offsets.indexOf(at)] = await read.fetch(at);
        read.heartbeat?.();
      });
    } catch (error) {
      failure = { error };
    }
    for (const [i, page] of pages.entries()) {
      if (!page || offsets[i] !== position.offset || position.atEnd) break;
      const next = position.offset + page.items.length;
      const ends = page.items.length === 0 || next >= page.total;
      await read.onPage(page, position.offset, ends);
      Object.assign(position, { offset: next, total: page.total, atEnd: ends });
    }
    read.heartbeat?.();
    if (failure) throw failure.error;
  }
}
