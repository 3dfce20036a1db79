import { type Context } from 'hono';
import { apiError, type ApiResult } from './api-route.js';
import { isBase62Id } from './prng.js';

/** Query parameter validation with Spotify's limits and 400 answers. */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ApiResult };

const integerPattern = /^-?\d+$/;

function integerParam(c: Context, name: string): Parsed<number | undefined> {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return { ok: true, value: undefined };
  if (!integerPattern.test(raw.trim())) return { ok: false, error: apiError(400, `Invalid ${name}`) };
  return { ok: true, value: Number(raw) };
}

export function parseLimit(c: Context, maxLimit = 50): Parsed<number> {
  const limit = integerParam(c, 'limit');
  if (!limit.ok) return limit;
  const value = limit.value ?? 20;
  if (value < 1 || value > maxLimit) return { ok: false, error: apiError(400, 'Invalid limit') };
  return { ok: true, value };
}

export function parsePaging(c: Context, maxLimit = 50, maxOffset = Number.MAX_SAFE_INTEGER): Parsed<{ limit: number; offset: number }> {
  const limit = parseLimit(c, maxLimit);
  if (!limit.ok) return limit;
  const offset = integerParam(c, 'offset');
  if (!offset.ok) return offset;
  const value = offset.value ?? 0;
  if (value < 0 || value > maxOffset) return { ok: false, error: apiError(400, 'Invalid offset') };
  return { ok: true, value: { limit: limit.value, offset: value } };
}

export function parseTimestamp(c: Context, name: 'after' | 'before'): Parsed<number | undefined> {
  const value = integerParam(c, name);
  if (value.ok && value.value !== undefined && value.value < 0) return { ok: false, error: apiError(400, `Invalid ${name}`) };
  return value;
}

/** `ids=a,b,c`: Spotify ids only, at most `max` of them. */
export function parseIds(c: Context, max: number): Parsed<string[]> {
  const raw = c.req.query('ids');
  if (raw === undefined || raw.trim() === '') return { ok: false, error: apiError(400, 'invalid id') };
  const ids = raw.split(',').map((id) => id.trim());
  if (ids.length > max) return { ok: false, error: apiError(400, 'Too many ids requested') };
  if (!ids.every(isBase62Id)) return { ok: false, error: apiError(400, 'invalid id') };
  return { ok: true, value: ids };
}

export function parseId(id: string): Parsed<string> {
  return isBase62Id(id) ? { ok: true, value: id } : { ok: false, error: apiError(400, 'invalid id') };
}
