import { type Client, isGrpcDeadlineError, isGrpcServiceError, ServiceError } from '@temporalio/client';
import { ApiError } from './errors.js';

/** gRPC codes that mean "Temporal is not there right now" rather than "the request was wrong". */
const unavailableCodes = new Set([
  4, // DEADLINE_EXCEEDED
  14, // UNAVAILABLE
]);

export function isTemporalUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (isGrpcServiceError(current) && unavailableCodes.has(current.code)) return true;
    if (isGrpcDeadlineError(current)) return true;
    if (current instanceof TemporalUnavailableError) return true;
    // Connection.connect rejects with a plain Error when the server does not answer in time.
    if (current instanceof Error && /failed to connect/i.test(current.message)) return true;
    if (!(current instanceof ServiceError) && !(current instanceof Error)) return false;
    current = (current as Error).cause;
  }
  return false;
}

export class TemporalUnavailableError extends ApiError {
  constructor(detail: string) {
    super(503, 'temporal_unavailable', `Temporal is not reachable (${detail}); the status API still answers from Postgres. Try again when Temporal is up.`);
    this.name = 'TemporalUnavailableError';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface TemporalAccess {
  /**
   * Runs `fn` with a connected client under a deadline. Failing to connect, or Temporal going away
   * mid-call, becomes a TemporalUnavailableError (503); other errors pass through.
   */
  run<T>(fn: (client: Client) => Promise<T>): Promise<T>;
  /** Readiness: connects if needed and asks the server for its system info, under a short deadline. */
  check(): Promise<void>;
}

/**
 * Connects on first use, so the app starts and its Postgres-only routes answer while Temporal is down.
 * A failed connection is forgotten, so the next request tries again.
 */
export function createTemporalAccess(connect: () => Promise<Client>, options: { connectTimeoutMs?: number; callTimeoutMs?: number; checkTimeoutMs?: number } = {}): TemporalAccess {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const callTimeoutMs = options.callTimeoutMs ?? 15_000;
  const checkTimeoutMs = options.checkTimeoutMs ?? 3_000;
  let pending: Promise<Client> | undefined;

  async function client(timeoutMs: number): Promise<Client> {
    if (!pending) {
      const attempt = connect();
      pending = attempt;
      attempt.catch(() => {
        if (pending === attempt) pending = undefined;
      });
    }
    const attempt = pending;
    try {
      return await withTimeout(attempt, timeoutMs, 'connecting');
    } catch (error) {
      if (pending === attempt) pending = undefined;
      throw new TemporalUnavailableError(error instanceof Error ? error.message : 'connection failed');
    }
  }

  return {
    async run(fn) {
      const c = await client(connectTimeoutMs);
      try {
        return await c.withDeadline(Date.now() + callTimeoutMs, () => fn(c));
      } catch (error) {
        if (isTemporalUnavailable(error)) throw new TemporalUnavailableError('the call failed or timed out');
        throw error;
      }
    },
    async check() {
      const c = await client(checkTimeoutMs);
      try {
        await c.withDeadline(Date.now() + checkTimeoutMs, () => c.workflowService.getSystemInfo({}));
      } catch (error) {
        throw new TemporalUnavailableError(isTemporalUnavailable(error) ? 'health check timed out or failed' : 'health check failed');
      }
    },
  };
}
