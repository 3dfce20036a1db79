import { Context } from '@temporalio/activity';
import { HEARTBEAT_INTERVAL_MS } from '../shared/batch-heartbeat.js';

/** Heartbeats at most every HEARTBEAT_INTERVAL_MS, with where the file read stands. */
export function fileReadHeartbeat() {
  let last = 0;
  return (details: unknown) => {
    const now = Date.now();
    if (now - last < HEARTBEAT_INTERVAL_MS) return;
    last = now;
    try {
      Context.current().heartbeat(details);
    } catch {
      // outside an activity (benchmark loop)
    }
  };
}

/** Whether the activity reading the file was cancelled (the import was paused). */
export function fileReadCancelled(): boolean {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false;
  }
}
