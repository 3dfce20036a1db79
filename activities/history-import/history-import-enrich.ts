import type { HistoryImportCounts } from '../../workflows/contract.js';
import type { RateLimitWait } from '../../workflows/batch-result.js';
import type { StubEntity } from '../store/stub-queries.js';
import { syncStubsBatch } from '../shared/enrich-batch.js';
import { addImportApiCalls, countsOf, loadImport } from '../store/history-imports-store.js';
import type { ActivityDeps } from '../shared/deps.js';

/** `rate_limited` carries the wait the rate-limit policy decided (activities/shared/rate-limit-policy.ts). */
export type EnrichResult = { counts: HistoryImportCounts } & ({ outcome: 'progress' | 'done' | 'needs_reauth' } | RateLimitWait);

/**
 * One batch of enrichment after an import's tracks are resolved: the artists or albums those tracks
 * brought in as stubs get their details. It is the sync's own batch (activities/shared/enrich-batch.ts) over
 * the account's stubs (activities/store/stub-queries.ts: a played track's artists and album belong to
 * the account like a saved one's), with the same client, call limiter and rate-limit policy, on its own
 * checkpoint (`sync_state` phase `history_import`). The calls it spends are added to the import's
 * `api_calls` in the batch's own transaction; an attempt that committed nothing adds them afterwards.
 */
export async function enrichHistoryImportBatch(deps: ActivityDeps, input: { importId: string; entity: StubEntity; batchSize?: number }): Promise<EnrichResult> {
  const row = await loadImport(deps.db, input.importId);
  let counted = false;
  const result = await syncStubsBatch(
    deps,
    { accountId: row.account_id, entity: input.entity, kind: 'history_import', ...(input.batchSize ? { batchSize: input.batchSize } : {}) },
    {
      onCommit: async (trx, apiCalls) => {
        counted = true;
        await addImportApiCalls(trx, input.importId, apiCalls);
      },
    },
  );
  if (!counted && result.apiCalls > 0) {
    await addImportApiCalls(deps.db, input.importId, result.apiCalls);
  }
  const counts = countsOf(await loadImport(deps.db, input.importId));
  if (result.outcome === 'rate_limited') {
    const { retryAfterMs, resetAt, retryAfterSource, rateLimitKind, probe } = result;
    return { outcome: 'rate_limited', counts, retryAfterMs, resetAt, retryAfterSource, ...(rateLimitKind ? { rateLimitKind } : {}), ...(probe ? { probe } : {}) };
  }
  return { outcome: result.outcome, counts };
}
