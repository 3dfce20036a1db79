import { z } from 'zod';
import { InvalidInputError } from '../errors.js';

/**
 * Keyset cursors: the sort key and id of the last row of a page, with the sort they belong to, as
 * base64url JSON. Opaque to callers; a cursor made for another sort or order is refused.
 */
const cursorSchema = z.strictObject({
  s: z.string().max(32),
  k: z.string().max(2048).nullable(),
  id: z.string().max(512),
});

/** A page of a list the library API answers: the items, the cursor of the next page (null at the end), and how many in all. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

export type CursorPosition = { key: string | null; id: string };

export function encodeCursor(sort: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ s: sort, k: position.key, id: position.id }), 'utf8').toString('base64url');
}

const malformed = () => new InvalidInputError('invalid_cursor', 'Invalid query parameter cursor: not a cursor this API gave out (use nextCursor from the previous page as it is)');

export function decodeCursor(cursor: string | undefined, sort: string): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw malformed();
  if (result.data.s !== sort) {
    throw new InvalidInputError('invalid_cursor', 'Invalid query parameter cursor: it belongs to another sort or order; start again without a cursor');
  }
  if (result.data.id.includes('\u0000') || result.data.k?.includes('\u0000')) throw malformed();
  return { key: result.data.k, id: result.data.id };
}
