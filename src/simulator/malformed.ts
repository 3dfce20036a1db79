import { type Prng } from './prng.js';

/**
 * Turns a correct 200 body into valid JSON that violates the route's schema, the way a misbehaving
 * proxy or an API regression would. Every variant breaks a declared type (a missing optional field
 * would still validate, so it would not be malformed).
 */
export function malform(body: unknown, rng: Prng): unknown {
  if (!isObject(body)) return { malformed: true };
  const copy: Record<string, unknown> = { ...body };

  const items = copy.items;
  if (Array.isArray(items)) {
    const first = items.find(isObject);
    const nested = first ? [first.track, first.item].find(isObject) : undefined;
    switch (rng.int(0, 2)) {
      case 0:
        copy.items = { ...items };
        return copy;
      case 1:
        copy.limit = String(copy.limit);
        return copy;
      default: {
        if (first && nested) {
          const key = isObject(first.track) ? 'track' : 'item';
          copy.items = [{ ...first, [key]: { ...nested, id: 12_345 } }, ...items.slice(items.indexOf(first) + 1)];
        } else if (first) {
          copy.items = [{ ...first, id: 12_345 }, ...items.slice(1)];
        } else {
          copy.items = 'none';
        }
        return copy;
      }
    }
  }

  for (const key of ['artists', 'albums']) {
    const list = copy[key];
    if (Array.isArray(list) && !('id' in copy)) {
      const breakEntries = list.some(isObject) && rng.chance(0.5);
      copy[key] = breakEntries ? list.map((entry) => (isObject(entry) ? { ...entry, id: 12_345 } : entry)) : { ...list };
      return copy;
    }
  }

  if (rng.chance(0.5)) copy.id = 12_345;
  else copy.type = 42;
  return copy;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
