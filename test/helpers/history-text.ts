/**
 * Everything readable in a workflow history: every string, and every byte field (payload data,
 * memo, search attributes, failure details) decoded as UTF-8. Searching this finds a secret wherever
 * it hides in the history.
 */
export function historyText(history: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string') parts.push(value);
    else if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (typeof value === 'object') {
      if (seen.has(value)) return;
      seen.add(value);
      for (const v of Array.isArray(value) ? value : Object.values(value as Record<string, unknown>)) walk(v);
    }
  };
  walk(history);
  return parts.join('\n');
}
