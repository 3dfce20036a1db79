import type { z } from 'zod';
import { SpotifyMalformedResponseError, SpotifyTransientError, redactSecrets } from './errors.js';

/** Shared by the Web API and Accounts clients. */

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Shortens text from a response for a message. */
export function brief(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** `error.message` (or `error_description`, or a string `error`) of an error body, for messages. */
export function errorDetail(body: unknown, secrets: readonly (string | null | undefined)[]): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  const nested = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : null;
  const candidates = [nested?.message, b.error_description, typeof b.error === 'string' ? b.error : undefined, b.message];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim().length > 0);
  return found ? brief(redactSecrets(found, secrets)) : null;
}

/** A fetch that threw: timeout or network error, as a transient error. */
export function fetchFailure(endpoint: string, error: unknown, timeoutMs: number): SpotifyTransientError {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'TimeoutError') {
    return new SpotifyTransientError(endpoint, { reason: 'timeout', detail: `no answer within ${timeoutMs} ms` });
  }
  return new SpotifyTransientError(endpoint, { reason: 'network', detail: `network error (${networkErrorCode(error)})` });
}

/** The innermost system error code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, ...) or error name. */
function networkErrorCode(error: unknown): string {
  let current: unknown = error;
  let code: string | null = null;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const c = (current as { code?: unknown }).code;
    if (typeof c === 'string' && /^[A-Z0-9_]+$/.test(c)) code = c;
    current = (current as { cause?: unknown }).cause;
  }
  if (code) return code;
  return error instanceof Error ? error.name : 'unknown';
}

/** Parsed JSON of a body, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Validates a 2xx body; a body that is not JSON or breaks the schema is a malformed response. */
export function parseBody<S extends z.ZodType>(endpoint: string, status: number, headers: Headers, text: string, schema: S): z.output<S> {
  const json = parseJson(text);
  if (json === undefined) {
    const type = headers.get('content-type') ?? 'no content type';
    throw new SpotifyMalformedResponseError(endpoint, `body is not JSON (${brief(type, 60)}, ${text.length} characters)`, status);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new SpotifyMalformedResponseError(endpoint, formatIssues(result.error.issues), status);
  return result.data;
}

type Issue = z.core.$ZodIssue;

/** The first few issues as `path: message`, e.g. `items[3].item.name: Invalid input: expected string, received undefined`. */
export function formatIssues(issues: readonly Issue[], max = 3): string {
  const flat = flattenIssues(issues, []);
  const shown = flat.slice(0, max).map(({ path, message }) => `${formatPath(path)}: ${message}`);
  if (flat.length > max) shown.push(`(${flat.length - max} more)`);
  return shown.join('; ');
}

/**
 * A union issue (track | episode | other type) is replaced by the issues of its first branch, which
 * is the one about the known types: `item.album.id` says more than "invalid input" at `item`.
 */
function flattenIssues(issues: readonly Issue[], prefix: PropertyKey[]): { path: PropertyKey[]; message: string }[] {
  const out: { path: PropertyKey[]; message: string }[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const first = issue.code === 'invalid_union' ? issue.errors[0] : undefined;
    if (first && first.length > 0) out.push(...flattenIssues(first, path));
    else out.push({ path, message: brief(issue.message, 120) });
  }
  return out;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
