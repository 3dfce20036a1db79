import { describe, expect, it } from 'vitest';
import { type ApiError, toApiError } from '../../../src/api/errors.js';
import { decodeCursor, encodeCursor } from '../../../src/library/cursor.js';

/** What the API answers for the error `fn` throws (the read model's domain error, mapped to HTTP once). */
function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    const answer = toApiError(error);
    if (answer) return answer;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('keyset cursors of the library API', () => {
  it('give back the position they were made from, for the same sort, with no cursor meaning the first page', () => {
    const cursor = encodeCursor('added_at:desc', { key: '2025-12-01T10:00:00.000Z', id: '4uLU6hMCjMI75M1A2tKUQC' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'added_at:desc')).toEqual({ key: '2025-12-01T10:00:00.000Z', id: '4uLU6hMCjMI75M1A2tKUQC' });
    expect(decodeCursor(encodeCursor('name:asc', { key: null, id: 'x' }), 'name:asc')).toEqual({ key: null, id: 'x' });
    expect(decodeCursor(undefined, 'name:asc')).toBeUndefined();
  });

  it('refuse a cursor made for another sort or order, saying to start again', () => {
    const error = refusal(() => decodeCursor(encodeCursor('name:asc', { key: 'a', id: 'x' }), 'name:desc'));
    expect(error).toMatchObject({ status: 400, code: 'invalid_cursor' });
    expect(error.message).toMatch(/another sort or order/);
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['not JSON', Buffer.from('{oops', 'utf8').toString('base64url')],
    ['another shape', Buffer.from(JSON.stringify({ s: 'name:asc', k: 'a', id: 'x', extra: 1 }), 'utf8').toString('base64url')],
    ['a NUL in the id', encodeCursor('name:asc', { key: 'a', id: 'x\u0000' })],
    ['a NUL in the key', encodeCursor('name:asc', { key: 'a\u0000', id: 'x' })],
    ['too long', 'A'.repeat(4097)],
  ])('refuse a cursor that is %s as a 400, never a database error', (_what, cursor) => {
    const error = refusal(() => decodeCursor(cursor, 'name:asc'));
    expect(error).toMatchObject({ status: 400, code: 'invalid_cursor' });
    expect(error.message).toMatch(/not a cursor this API gave out/);
  });
});
