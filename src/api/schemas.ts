import { z } from '@hono/zod-openapi';
import { safeText, trimmedIdPattern } from './safe-text.js';
import type { LoginStatus } from '../accounts/login-status.js';
import type { AccountStatus, AccountSummary, PhaseStatus } from '../status/account-status.js';
import { batchEntities, historyImportPhases, historyImportStates, incrementalOutcomes, loginStates, rateLimitKinds, syncPhases, syncStates } from '../../workflows/contract.js';

/**
 * Schemas of the HTTP contract (DESIGN.md): they validate inputs and generate /openapi.json. Their
 * names come from the contract module. A response is what a read model answers: the read model
 * declares its type (src/status, src/library), and each response schema is checked against it
 * (`satisfies z.ZodType<...>`), so the two cannot drift apart.
 */

const isoTime = z.string().openapi({ format: 'date-time', example: '2026-01-07T08:00:00.000Z' });

export const accountIdSchema = safeText({ max: 256, min: 1, trim: true }).openapi({
  example: 'smedjan',
  description: 'The account id from /api/sync/status (Spotify account_id)',
  pattern: trimmedIdPattern,
});

export const statusQuerySchema = z.object({
  accountId: accountIdSchema.optional().openapi({
    param: { name: 'accountId', in: 'query', required: false },
    description: 'Account to report; optional when only one account is connected',
  }),
});

export const controlBodySchema = z
  .strictObject({
    accountId: accountIdSchema.optional().openapi({ description: 'Account to act on; optional when only one account is connected' }),
  })
  .openapi('ControlRequest');

export const phaseStatusSchema = z
  .object({
    entity: z.enum(batchEntities),
    synced: z.number().int(),
    total: z.number().int().nullable().openapi({ description: 'Estimated total; null while unknown. Artists and albums grow as stubs are found.' }),
    percent: z.number().openapi({ description: '0..100, one decimal; 100 only when complete' }),
    complete: z.boolean(),
    missingScope: z
      .string()
      .optional()
      .openapi({ description: 'A collection the login may not read (connected before it was asked for): the scope it lacks; its read was skipped. Absent otherwise' }),
  })
  .openapi('PhaseStatus') satisfies z.ZodType<PhaseStatus>;

export const loginStatusSchema = z
  .object({
    authorizedAt: isoTime.openapi({ description: 'When the user logged in; a token refresh does not move it' }),
    expiresAt: isoTime.openapi({ description: 'When Spotify stops accepting the login: six months after it (182 days)' }),
    state: z.enum(loginStates).openapi({
      description:
        'ok; expiring (from 14 days before expiresAt); expired or revoked (Spotify refused the refresh token); user_not_registered (not among the users of a development-mode app); owner_premium_required (the app owner’s Premium lapsed)',
    }),
    message: z.string().nullable().openapi({ description: 'What to do, for every state but ok' }),
  })
  .openapi('LoginStatus') satisfies z.ZodType<LoginStatus>;

export const accountStatusSchema = z
  .object({
    accountId: z.string(),
    displayName: z.string().nullable(),
    state: z.enum(syncStates),
    phase: z.enum(syncPhases),
    stateChangedAt: isoTime,
    needsLogin: z.boolean().openapi({ description: 'Spotify refuses the account (see login): a person must act, then log in again at /auth/login' }),
    login: loginStatusSchema,
    phases: z.array(phaseStatusSchema),
    overallPercent: z.number(),
    rateLimit: z.object({
      limited: z.boolean(),
      kind: z.enum(rateLimitKinds).nullable(),
      hitAt: isoTime.nullable(),
      resetAt: isoTime.nullable(),
    }),
    eta: isoTime.nullable().openapi({ description: 'Estimated completion of the initial sync; null when complete, waiting for a person, or not measured yet' }),
    etaDetail: z
      .object({
        callsLeft: z.number().int().openapi({ description: 'Spotify calls the initial sync still needs, from what is known' }),
        callsPerWindow: z.number().int().nullable().openapi({ description: "Calls a quota window of the app holds, learned from Spotify's quota 429s; null before one was met" }),
        windowsLeft: z.number().int().openapi({ description: 'Quota windows after the current one that the calls left need' }),
        basis: z.enum(['pace', 'quota']).openapi({ description: '`quota`: counted with the learned quota; `pace`: with the measured pace alone' }),
        callsEstimated: z.number().int().openapi({
          description:
            'Of callsLeft, the calls for work not found yet, estimated from what was read so far (artists only unread saved albums credit; artists and albums only unread playlist entries credit); 0: all known',
        }),
      })
      .nullable()
      .openapi({ description: 'How the ETA was counted; null with it' }),
    incremental: z.object({
      lastRunAt: isoTime.nullable(),
      nextRunAt: isoTime.nullable(),
      lastResult: z
        .object({ outcome: z.enum(incrementalOutcomes) })
        .catchall(z.unknown())
        .nullable(),
    }),
    playback: z.object({
      lastPolledAt: isoTime.nullable(),
      plays: z.number().int().openapi({ description: 'every play stored, polled or imported (bySource tells them apart)' }),
      gaps: z.number().int(),
      bySource: z.object({ poll: z.number().int(), extended_export: z.number().int(), account_export: z.number().int() }),
      paused: z.boolean().openapi({ description: 'playback tracking paused by a control' }),
      pausedAt: isoTime.nullable(),
    }),
    temporalUiUrl: z.string().nullable().openapi({ description: 'The initial-sync workflow in the Temporal UI' }),
    missingScopes: z
      .object({
        scopes: z.array(z.string()),
        entities: z.array(z.enum(batchEntities)),
        message: z.string(),
        loginUrl: z.string(),
      })
      .optional()
      .openapi({ description: 'Present while collections are skipped because the login lacks their scope: which, and the login that grants it' }),
    import: z
      .object({
        importId: z.string(),
        state: z.enum(historyImportStates),
        phase: z.enum(historyImportPhases),
        files: z.object({ done: z.number().int(), total: z.number().int() }),
        plays: z.number().int(),
        duplicates: z.number().int(),
        unresolved: z.number().int(),
        skipped: z.number().int(),
      })
      .optional()
      .openapi({ description: 'The latest history import, while the account has one (details at GET /api/history/imports/{importId})' }),
  })
  .openapi('AccountStatus') satisfies z.ZodType<AccountStatus>;

export const accountSummarySchema = z.object({
  accountId: z.string(),
  displayName: z.string().nullable(),
  state: z.enum(syncStates),
  phase: z.enum(syncPhases),
  overallPercent: z.number(),
}) satisfies z.ZodType<AccountSummary>;

export const accountListSchema = z.object({ accounts: z.array(accountSummarySchema) }).openapi('AccountList');

// The response types, for the API's own clients (the status page's browser module).
export type { AccountStatus, AccountSummary, IncrementalStatus, PhaseStatus, PlaybackSummary, RateLimitStatus } from '../status/account-status.js';

export const controlResultSchema = z
  .object({
    accountId: z.string(),
    action: z.enum(['pause', 'resume', 'reset']),
    delivered: z.array(z.string()).openapi({ description: 'Ids of the workflows that got the signal (or were restarted)' }),
  })
  .openapi('ControlResult');
