import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.js';

export const maxBodyBytes = 16 * 1024;

const tooLarge = (maxBytes: number) => new ApiError(413, 'payload_too_large', `The request body is larger than ${maxBytes / 1024} KB; send at most {"accountId": "..."}`);

/** An empty body becomes no body (content type dropped), so the JSON validator reads it as absent. */
const emptyBodyIsNoBody = createMiddleware(async (c, next) => {
  const raw = c.req.raw;
  const bytes = raw.body ? new Uint8Array(await raw.arrayBuffer()) : new Uint8Array(0);
  const headers = new Headers(raw.headers);
  if (bytes.length === 0) {
    headers.delete('content-type');
    headers.delete('content-length');
    c.req.raw = new Request(raw.url, { method: raw.method, headers });
  } else {
    c.req.raw = new Request(raw.url, { method: raw.method, headers, body: bytes });
  }
  await next();
});

/**
 * Runs before the JSON validator: refuses bodies over `maxBytes` (413, Hono's body limit: by the
 * declared Content-Length, else without reading more than that), and turns an empty body into no body,
 * so `POST` with nothing (even with a JSON content type) means "the only account". Anything else,
 * white space alone included, must be JSON.
 */
export function boundedJsonBody(maxBytes = maxBodyBytes) {
  return [
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw tooLarge(maxBytes);
      },
    }),
    emptyBodyIsNoBody,
  ] as const;
}
