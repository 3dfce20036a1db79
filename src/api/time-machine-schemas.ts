import { z } from '@hono/zod-openapi';
import type { LibraryChange, VersionDiff, VersionPage, VersionSummary } from '../library/time-machine.js';
import { changeKinds, changeTypes } from '../library/time-machine.js';
import type { RestoreView } from '../restores/restores.js';
import { idPattern, safeText } from './safe-text.js';
import { accountIdSchema } from './schemas.js';

/** Inputs and outputs of the time machine's routes (DESIGN.md, "Time machine: versions and restore"). */

const accountQuery = accountIdSchema
  .optional()
  .openapi({ param: { name: 'accountId', in: 'query', required: false }, description: 'Account; optional when only one is connected' });
const limit = z.coerce.number({ error: 'must be a whole number from 1 to 200' }).int('must be a whole number from 1 to 200').min(1).max(200).default(50);
const cursor = safeText({ max: 4096 }).optional().openapi({ description: '`nextCursor` of the previous page, as it was given' });
const version = z.coerce.number({ error: 'must be a version number' }).int('must be a whole number').min(1, 'versions start at 1').max(1_000_000_000);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime()) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, 'must be a real calendar date')
  .optional();

export const playlistIdParamSchema = z.object({
  id: safeText({ max: 256, min: 1 }).openapi({ param: { name: 'id', in: 'path' }, pattern: idPattern, example: '37i9dQZF1DXcBWIGoYBM5M' }),
});
export const versionParamSchema = playlistIdParamSchema.extend({ version: version.openapi({ param: { name: 'version', in: 'path' }, example: 3 }) });
export const versionsQuerySchema = z.object({ accountId: accountQuery, limit, cursor });
export const diffQuerySchema = z.object({ accountId: accountQuery, from: version, to: version });
export const changesQuerySchema = z.object({
  accountId: accountQuery,
  kind: z.enum(changeKinds, { error: `must be one of ${changeKinds.join(', ')}` }).optional(),
  change: z.enum(changeTypes, { error: `must be one of ${changeTypes.join(', ')}` }).optional(),
  from: day,
  to: day,
  limit,
  cursor,
});

const uriPosition = z.object({ uri: z.string().nullable(), position: z.number().int() });
const moved = z.object({ uri: z.string().nullable(), from: z.number().int(), to: z.number().int() });

export const versionsPageSchema = z
  .object({
    items: z.array(
      z.object({
        version: z.number().int(),
        event: z.enum(['version', 'deleted']),
        snapshotId: z.string(),
        observedAt: z.string(),
        name: z.string(),
        totalItems: z.number().int(),
        added: z.number().int(),
        removed: z.number().int(),
        moved: z.number().int(),
      }) satisfies z.ZodType<VersionSummary>,
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('PlaylistVersions');

export const versionPageSchema = z
  .object({
    version: z.number().int(),
    event: z.enum(['version', 'deleted']),
    snapshotId: z.string(),
    observedAt: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    public: z.boolean().nullable(),
    collaborative: z.boolean(),
    itemsKnown: z.boolean(),
    total: z.number().int(),
    entries: z.array(
      z.object({
        position: z.number().int(),
        uri: z.string().nullable(),
        kind: z.string(),
        name: z.string().nullable(),
        artists: z.string().nullable(),
        addedAt: z.string().nullable(),
        addedBy: z.string().nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('PlaylistVersion') satisfies z.ZodType<VersionPage>;

export const diffSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    added: z.array(uriPosition),
    removed: z.array(uriPosition),
    moved: z.array(moved),
    details: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  })
  .openapi('PlaylistDiff') satisfies z.ZodType<VersionDiff>;

export const changesPageSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        itemId: z.string(),
        uri: z.string(),
        name: z.string().nullable(),
        change: z.string(),
        at: z.string(),
        playlistVersion: z.number().int().nullable(),
      }) satisfies z.ZodType<LibraryChange>,
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('LibraryChanges');

const targetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('playlist'), playlistId: safeText({ max: 256, min: 1 }), version: version.optional() }),
  z.strictObject({
    kind: z.literal('saved'),
    since: z.string().refine((s) => !Number.isNaN(new Date(s).getTime()), 'must be a date or time'),
    kinds: z
      .array(z.enum(['track', 'album', 'artist', 'show', 'episode', 'audiobook']))
      .min(1)
      .optional(),
  }),
]);

export const restoreBodySchema = z.strictObject({ accountId: accountIdSchema.optional(), target: targetSchema, dryRun: z.boolean().default(false) }).openapi('RestoreRequest');

const planSchema = z.object({
  action: z.enum(['recreate', 'rollback', 'follow', 'save', 'none']),
  add: z.array(uriPosition),
  remove: z.array(uriPosition),
  move: z.array(moved),
  notRestorable: z.array(z.object({ uri: z.string().nullable(), reason: z.string() })),
  calls: z.number().int(),
});

export const restorePlanSchema = z.object({ plan: planSchema }).openapi('RestorePlan');
export const restoreStartedSchema = z.object({ restoreId: z.string() }).openapi('RestoreStarted');
export const scopeRequiredSchema = z.object({ error: z.object({ code: z.literal('scope_required'), message: z.string() }), loginUrl: z.string() }).openapi('ScopeRequired');
export const restoreIdParamSchema = z.object({
  restoreId: z
    .string()
    .uuid('must be a restore id')
    .openapi({ param: { name: 'restoreId', in: 'path' } }),
});
export const restoreQuerySchema = z.object({ accountId: accountQuery });
export const restoreViewSchema = z
  .object({
    restoreId: z.string(),
    state: z.string(),
    target: z.unknown(),
    plan: planSchema,
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    result: z
      .object({
        playlistId: z.string().nullable(),
        created: z.boolean(),
        added: z.number().int(),
        removed: z.number().int(),
        notRestorable: z.number().int(),
        verified: z.boolean(),
      })
      .nullable(),
  })
  .openapi('Restore') satisfies z.ZodType<Omit<RestoreView, 'target'> & { target: unknown }>;
