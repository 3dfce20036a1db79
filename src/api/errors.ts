import { z } from '@hono/zod-openapi';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { Logger } from './logger.js';

/** Every error body of the API: `{error: {code, message}}` (DESIGN.md, HTTP contract). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z.string().openapi({ example: 'Invalid body field accountId: expected string, received number' }),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** An error meant for the caller: its status, code and message go out as they are. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The one mapping of errors meant for the caller to HTTP: an ApiError as it is, a read model's
 * NotFoundError as a 404 and InvalidInputError as a 400 (with their code and message). Null for
 * anything else (a bug or an outage, not the caller's).
 */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof NotFoundError) return new ApiError(404, error.code, error.message);
  if (error instanceof InvalidInputError) return new ApiError(400, error.code, error.message);
  return null;
}

export const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } });

/** An OpenAPI response entry for an error status, so every 4xx/5xx body is declared. */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBodySchema } },
});

const targetNames: Record<string, string> = {
  json: 'body field',
  query: 'query parameter',
  param: 'path parameter',
  header: 'header',
  form: 'form field',
  cookie: 'cookie',
};

/** A message naming the offending field(s), e.g. "Invalid body field accountId: expected string, received number". */
export function describeValidationError(target: string, error: ZodError): string {
  const where = targetNames[target] ?? target;
  const parts = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const message = issue.message.replace(/^Invalid input: /, '');
    return path ? `${where} ${path}: ${message}` : `${target === 'json' ? 'body' : where}: ${message}`;
  });
  // One message per fault: a value failing two checks alike (a format and a refinement) is said once.
  return `Invalid ${[...new Set(parts)].join('; ')}`;
}

/** The `defaultHook` of every router: failed validation answers 400 with the field named. */
export const validationHook = (
  result: { target: string; success: true; data: unknown } | { target: string; success: false; error: ZodError },
  c: Context,
): Response | undefined => {
  if (result.success) return undefined;
  return c.json(errorBody('invalid_request', describeValidationError(result.target, result.error)), 400);
};

const httpExceptionErrors: Partial<Record<number, { code: string; message?: string }>> = {
  400: { code: 'invalid_request' },
  401: { code: 'unauthorized' },
  404: { code: 'not_found' },
  405: { code: 'method_not_allowed' },
  413: { code: 'payload_too_large', message: 'The request body is too large' },
  415: { code: 'unsupported_media_type', message: 'Send the body as JSON with the header Content-Type: application/json' },
};

/** Connection-level failures of Postgres (node, pg and knex codes): the database is down, not the request wrong. */
const databaseUnavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '08000',
  '08001',
  '08003',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '3D000',
  '28000',
  '28P01',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (current.name === 'KnexTimeoutError' || (typeof code === 'string' && databaseUnavailableCodes.has(code))) return true;
    if (/Connection terminated/i.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Maps errors to `{error: {code, message}}`: the caller's (toApiError) as they are, Hono's own 4xx (malformed JSON,
 * unsupported media type) with a readable message, Postgres being down to a 503, anything else to a 500
 * that is logged without the request's headers, query or body (they may hold tokens).
 */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    const callers = toApiError(error);
    if (callers) {
      for (const [name, value] of Object.entries(callers.headers)) c.header(name, value);
      return c.json(errorBody(callers.code, callers.message), callers.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const known = httpExceptionErrors[error.status];
      const message = error.message === 'Malformed JSON in request body' ? 'The request body is not valid JSON' : (known?.message ?? (error.message || 'Bad request'));
      return c.json(errorBody(known?.code ?? 'bad_request', message), error.status as ContentfulStatusCode);
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn('Postgres is not reachable', { method: c.req.method, path: c.req.path, error: describeError(error) });
      return c.json(errorBody('database_unavailable', 'Postgres is not reachable; try again shortly (the server log says more)'), 503);
    }
    logger.error('unexpected error while answering a request', {
      method: c.req.method,
      path: c.req.path,
      error: describeError(error),
    });
    return c.json(errorBody('internal_error', 'Something went wrong on the server; see its log'), 500);
  };
}

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
