import { z } from '@hono/zod-openapi';

/**
 * The one check for text a caller sends that may reach Postgres or a log: ids, names, OAuth
 * parameters. Postgres `text` cannot hold NUL (U+0000); a lone UTF-16 surrogate is not valid UTF-8
 * and would be stored as something else than was sent; control characters belong in no id or name a
 * person types; and every field has a length bound. Every route builds its text inputs from
 * `safeText` (and account ids from `accountIdSchema`), so bad text is a 400 naming the field, never a
 * 500 from the database. New routes: use these too.
 */

// C0 controls and DEL, and C1 controls. Tab, line feed and carriage return are allowed in free text only.
// Matching control characters is the point of these two patterns.
// eslint-disable-next-line no-control-regex
const idControls = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const textControls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** The OpenAPI pattern of an id: what `idControls` refuses, said to callers (no C0/C1 controls). */
export const idPattern = '^[^\\u0000-\\u001f\\u007f-\\u009f]+$';
/** The same, with at least one character that is not white space (ids that are trimmed). */
export const trimmedIdPattern = '^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$';
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` may not be stored, or null when it may. */
export function textProblem(value: string, options: { multiline?: boolean } = {}): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL bytes';
  if (loneSurrogate.test(value)) return 'must be valid Unicode (it holds a lone surrogate)';
  if ((options.multiline ? textControls : idControls).test(value)) return 'must not contain control characters';
  return null;
}

export interface SafeTextOptions {
  /** Most characters (after trimming, when `trim`). */
  max: number;
  min?: number;
  trim?: boolean;
  /** Tab, line feed and carriage return allowed. */
  multiline?: boolean;
}

export function safeText(options: SafeTextOptions) {
  const base = z.string({ error: 'must be a string' });
  const trimmed = options.trim ? base.trim() : base;
  const min = options.min ?? 0;
  const bounded = (min > 0 ? trimmed.min(min, 'must not be empty') : trimmed).max(options.max, `must be at most ${options.max} characters`);
  return bounded.superRefine((value, ctx) => {
    const problem = textProblem(value, { multiline: options.multiline });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}
