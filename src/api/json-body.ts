import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.js';

export const maxBodyBytes = 16 * 1024;

async function readLimited(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

const tooLarge = (maxBytes: number) =>
  new ApiError(413, 'payload_too_large', `The request body is larger than ${maxBytes / 1024} KB; send at most {"accountId": "..."}`);

/**
 * Runs before the JSON validator: refuses bodies over `maxBytes` (413) without reading more than that,
 * and turns an empty body into no body, so `POST` with nothing (even with a JSON content type) means
 * "the only account". Anything else, white space alone included, must be JSON.
 */
export function boundedJsonBody(maxBytes = maxBodyBytes) {
  return createMiddleware(async (c, next) => {
    const raw = c.req.raw;
    const declared = Number(raw.headers.get('content-length') ?? '0');
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
    const bytes = raw.body ? await readLimited(raw.body, maxBytes) : Buffer.alloc(0);
    const headers = new Headers(raw.headers);
    if (bytes.length === 0) {
      headers.delete('content-type');
      headers.delete('content-length');
      c.req.raw = new Request(raw.url, { method: raw.method, headers });
    } else {
      c.req.raw = new Request(raw.url, { method: raw.method, headers, body: new Uint8Array(bytes) });
    }
    await next();
  });
}
