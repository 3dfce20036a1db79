import { Context, log } from '@temporalio/activity';

/** Heartbeats carry the batch's state; handing it to the SDK more often than this only costs CPU. */
export const HEARTBEAT_INTERVAL_MS = 1_000;

/** The activities' start-to-close timeout: no batch runs longer. */
const MAX_BATCH_MS = 15 * 60_000;

/**
 * A batch's heartbeats: liveness for Temporal and the details a retried attempt resumes from. Details
 * from another starting checkpoint (`checkpointKey`) are ignored. Outside an activity (the plain-loop
 * benchmark) it does nothing.
 */
export class BatchHeartbeat<Resume extends object> {
  readonly resumed: Resume | undefined;
  private lastHeartbeatAt = 0;
  private lastDetails: { checkpoint: string; state: Resume } | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly checkpointKey: string,
    entity: string,
    private readonly startedAt: number,
  ) {
    this.resumed = this.resumeFromHeartbeat(entity);
    if (this.resumed) this.lastDetails = { checkpoint: this.checkpointKey, state: this.resumed };
    try {
      const context = Context.current();
      const timeoutMs = context.info.heartbeatTimeoutMs;
      this.keepAlive(context, timeoutMs ? Math.min(HEARTBEAT_INTERVAL_MS * 5, timeoutMs / 4) : HEARTBEAT_INTERVAL_MS * 5);
    } catch {
      // not inside an activity (plain-loop benchmark)
    }
  }

  private resumeFromHeartbeat(entity: string): Resume | undefined {
    let details: unknown;
    try {
      details = Context.current().info.heartbeatDetails;
    } catch {
      return undefined; // not inside an activity (plain-loop benchmark)
    }
    const d = details as { checkpoint?: string; state?: Resume } | undefined;
    if (d?.checkpoint === this.checkpointKey && d.state) {
      log.info('resuming batch from heartbeat details', { entity, checkpoint: this.checkpointKey });
      return d.state;
    }
    return undefined;
  }

  /**
   * After every Spotify call: liveness for Temporal, and what to resume from if this attempt dies.
   * The SDK serializes the details of every heartbeat it is given (the whole batch so far), while the
   * server only receives them every 0.8 × heartbeat timeout (at most 60 s); so the details are built
   * and handed over at most every HEARTBEAT_INTERVAL_MS (or a quarter of the heartbeat timeout, if
   * shorter). A crash can cost the calls of that last interval at most, as it can at the server anyway.
   */
  beat(state: Resume | (() => Resume)): void {
    let context: Context;
    try {
      context = Context.current();
    } catch {
      return; // outside an activity
    }
    const now = Date.now();
    const timeoutMs = context.info.heartbeatTimeoutMs;
    const intervalMs = timeoutMs ? Math.min(HEARTBEAT_INTERVAL_MS, timeoutMs / 4) : HEARTBEAT_INTERVAL_MS;
    if (now - this.lastHeartbeatAt < intervalMs) return;
    this.lastHeartbeatAt = now;
    this.lastDetails = { checkpoint: this.checkpointKey, state: typeof state === 'function' ? (state as () => Resume)() : state };
    context.heartbeat(this.lastDetails);
  }

  /**
   * Calls may wait in the app's call limiter (a Retry-After, the rolling window) for longer than the
   * heartbeat timeout allows between calls: while they do, the last details are sent again.
   */
  private keepAlive(context: Context, intervalMs: number): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => {
      if (context.cancellationSignal.aborted || Date.now() - this.startedAt > MAX_BATCH_MS) {
        this.stop();
        return;
      }
      if (Date.now() - this.lastHeartbeatAt >= intervalMs) {
        this.lastHeartbeatAt = Date.now();
        context.heartbeat(this.lastDetails);
      }
    }, intervalMs);
    this.ticker.unref();
  }

  /** Ends the keep-alive: the batch commits or settles its failure. */
  stop(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
