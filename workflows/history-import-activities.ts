import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** The history import's activities, by the timeouts each kind of work needs. */
export function historyImportActivities(heartbeatTimeoutSeconds: number | undefined) {
  const heartbeatTimeout = `${heartbeatTimeoutSeconds ?? 60} seconds`;
  const retry = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' };
  return {
    quick: proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry }),
    files: proxyActivities<Activities>({
      // A file of a decade's plays, or a 2 GB one, is read in one activity; the heartbeat proves it alive.
      startToCloseTimeout: '12 hours',
      heartbeatTimeout,
      retry,
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    }),
    resolution: proxyActivities<Activities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '2 minutes', retry }),
    // The sync's artist and album batches' timeouts: a dead worker's batch is retried elsewhere within 15 s.
    enrichment: proxyActivities<Activities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '15 seconds', retry }),
  };
}
