import type { HistoryImportStatus } from './contract.js';
import { formatCount, formatUtc } from './format.js';

/** Where a history import stands inside its workflow: what its `status` query and its UI details show. */
export type HistoryImportView = Omit<HistoryImportStatus, 'workflow' | 'rateLimitedUntil'> & {
  /** Epoch ms, while a rate-limit wait lasts. */
  rateLimitedUntil: number | null;
  /** The entity being enriched, during enrichment. */
  enriching: string | null;
};

/** The `status` query's answer. */
export function historyImportStatus(view: HistoryImportView): HistoryImportStatus {
  const { accountId, importId, state, phase, paused, rateLimitedUntil, error } = view;
  return {
    workflow: 'historyImportWorkflow',
    accountId,
    importId,
    state: paused && state === 'running' ? 'paused' : state,
    phase,
    paused,
    files: { ...view.files },
    counts: { ...view.counts },
    rateLimitedUntil: rateLimitedUntil === null ? null : new Date(rateLimitedUntil).toISOString(),
    error,
  };
}

/** The one line the Temporal UI shows for the import (the workflow's current details). */
export function historyImportDetails(view: HistoryImportView): string {
  const { enriching, phase, files, counts, paused, state, rateLimitedUntil } = view;
  const parts = [
    enriching ? `import enriching ${enriching}` : `import ${phase}`,
    `files ${formatCount(files.done)}/${formatCount(files.total)}`,
    `${formatCount(counts.plays)} plays`,
    `${formatCount(counts.duplicates)} duplicates`,
    `${formatCount(counts.unresolved)} unresolved`,
  ];
  const shown = paused ? 'paused' : state;
  if (shown === 'rate_limited' && rateLimitedUntil !== null) parts.push(`rate-limited until ${formatUtc(rateLimitedUntil)}`);
  else if (shown !== 'running') parts.push(shown.replace('_', ' '));
  return parts.join(' · ');
}
