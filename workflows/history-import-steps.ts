import type { HistoryImportCounts, HistoryImportState } from './contract.js';
import type { RateLimitWait } from './batch-result.js';
import type { Control } from './control.js';
import { waitOutRateLimit } from './rate-limit-wait.js';

/** What one resolution or enrichment batch tells the workflow. */
export type StepResult = { counts: HistoryImportCounts } & ({ outcome: 'progress' | 'done' | 'needs_reauth' } | RateLimitWait);

/** What the batch loop needs of the import's workflow. */
export interface StepLoop {
  accountId: string;
  /** Its pause and resume, and its wait for a new login. */
  control: Control;
  enter(next: HistoryImportState): Promise<void>;
  setRateLimitedUntil(ms: number | null): void;
  /** Takes a batch's result in (its counts, shown at once). */
  took(result: StepResult): void;
}

/** Runs one kind of batch until it is done: the durable rate-limit wait, pause and re-login between batches. */
export async function untilDone(batch: () => Promise<StepResult>, progress: string, loop: StepLoop): Promise<void> {
  for (;;) {
    await loop.control.waitWhilePaused();
    const result = await batch();
    loop.took(result);
    if (result.outcome === 'done') return;
    if (result.outcome === 'rate_limited') {
      await waitOutRateLimit(result, {
        accountId: loop.accountId,
        paused: () => loop.control.paused,
        setRateLimitedUntil: loop.setRateLimitedUntil,
        enter: loop.enter,
        progress,
      });
      await loop.control.waitWhilePaused();
      await loop.enter('running');
    } else if (result.outcome === 'needs_reauth') {
      await loop.control.waitForLogin();
    }
  }
}
