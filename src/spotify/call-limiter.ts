/**
 * How many Web API calls of one Spotify app are in flight at once, and how many start per rolling
 * window. Spotify limits an app (a client id), not an account, by a rolling 30 s window of requests;
 * latency is not Spotify's limit. So the calls of a batch go out together, up to a concurrency that
 * adapts: additive increase while answers come back clean, multiplicative decrease on a short 429.
 * A short 429 also teaches the limiter the window itself (how many calls it let start in the last
 * window, less a margin), after which it paces calls to stay under it instead of meeting the limit
 * again; the learned window grows back slowly while it holds calls back, since the real one may be
 * larger than what one burst showed. Every call of the app waits out a short 429's Retry-After.
 * Holding every call's slot, it also knows how long the service takes to answer (`roundTripMs`), which
 * sets how soon a failed call is retried (call-retry.ts).
 */

/** What a limiter knows, kept in Postgres (`spotify_app_limits`) so that a restart does not start blind. */
export interface CallLimiterState {
  concurrency: number;
  /** Calls per window learned from a short 429; null until one was met. */
  windowLimit: number | null;
}

export type CallOutcomeForLimiter =
  { kind: 'ok' } | { kind: 'short_rate_limit'; retryAfterSeconds: number } | { kind: 'quota_rate_limit'; retryAfterSeconds: number | null } | { kind: 'other' };

/** One call's slot: give it back with what the call met. */
export interface CallPermit {
  release(outcome: CallOutcomeForLimiter): void;
}

/** What the Spotify client asks before every request. */
export interface CallGate {
  /** `endpoint`: the route template of the call, for the error when a call may not go at all. */
  acquire(endpoint?: string): Promise<CallPermit>;
  /** How long a clean answer of the service takes lately, in ms; null while none was seen. */
  roundTripMs(): number | null;
}

/** A safe start for an app never seen before: two calls at a time. */
export const INITIAL_CONCURRENCY = 2;
/** Spotify's rolling window. */
export const SPOTIFY_WINDOW_MS = 30_000;
/** The learned window leaves this share of the observed one unused. */
const WINDOW_MARGIN = 0.05;
/** While the learned window holds calls back, it grows by this much per clean call (2% per window's worth). */
const WINDOW_GROWTH_PER_CALL = 0.02;
/** A burst of 429s (the calls that were in flight together) is one signal: one decrease. */
const DECREASE_DEBOUNCE_MS = 1_000;
/**
 * Fewer calls than this in a window say nothing about its size (calls of another process, or of the
 * last run when nothing of it was kept, fill the window too): then only the Retry-After is waited out.
 */
const MIN_OBSERVED_FOR_WINDOW = 10;
/** Weight of the newest clean call in the round-trip estimate (an exponential moving average). */
const ROUND_TRIP_WEIGHT = 0.1;

export interface AppCallLimiterOptions {
  /** SPOTIFY_MAX_CONCURRENCY: the concurrency never exceeds it; 1 = one call at a time. */
  maxConcurrency: number;
  initial?: CallLimiterState | null;
  windowMs?: number;
  now?: () => number;
  /** After a change worth keeping (every decrease, a learned window, growth at most every few seconds). */
  onChange?: (state: CallLimiterState) => void;
}

export class AppCallLimiter implements CallGate {
  private readonly max: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private limit: number;
  private windowLimit: number | null;
  private inFlight = 0;
  private blockedUntil = 0;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private lastReportedAt = Number.NEGATIVE_INFINITY;
  private readonly waiters: (() => void)[] = [];
  /** Start times of the calls of the last window, ascending. */
  private starts: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private roundTrip: number | null = null;

  constructor(private readonly options: AppCallLimiterOptions) {
    this.max = Math.max(1, Math.floor(options.maxConcurrency));
    this.windowMs = options.windowMs ?? SPOTIFY_WINDOW_MS;
    this.now = options.now ?? Date.now;
    this.limit = clamp(options.initial?.concurrency ?? INITIAL_CONCURRENCY, 1, this.max);
    this.windowLimit = options.initial?.windowLimit ?? null;
  }

  get state(): CallLimiterState {
    return { concurrency: round2(this.limit), windowLimit: this.windowLimit === null ? null : Math.floor(this.windowLimit) };
  }

  /** Calls allowed in flight right now. */
  get concurrency(): number {
    return Math.floor(this.limit);
  }

  get callsInFlight(): number {
    return this.inFlight;
  }

  roundTripMs(): number | null {
    return this.roundTrip === null ? null : Math.round(this.roundTrip);
  }

  acquire(): Promise<CallPermit> {
    return new Promise<CallPermit>((resolve) => {
      this.waiters.push(() => resolve(this.permit()));
      this.pump();
    });
  }

  private permit(): CallPermit {
    let released = false;
    const grantedAt = this.now();
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        if (outcome.kind === 'ok') this.timeRoundTrip(this.now() - grantedAt);
        this.learn(outcome);
        this.pump();
      },
    };
  }

  private learn(outcome: CallOutcomeForLimiter): void {
    const now = this.now();
    if (outcome.kind === 'ok') {
      this.limit = Math.min(this.max, this.limit + 1 / this.limit);
      this.prune(now);
      if (this.windowLimit !== null && this.starts.length >= this.windowLimit * (1 - WINDOW_MARGIN)) this.windowLimit += WINDOW_GROWTH_PER_CALL;
      this.report(now, false);
      return;
    }
    if (outcome.kind !== 'short_rate_limit') return;
    this.blockedUntil = Math.max(this.blockedUntil, now + outcome.retryAfterSeconds * 1000);
    if (now - this.lastDecreaseAt < DECREASE_DEBOUNCE_MS) return;
    this.lastDecreaseAt = now;
    this.limit = Math.max(1, this.limit / 2);
    this.prune(now);
    const observed = this.starts.length;
    if (observed >= MIN_OBSERVED_FOR_WINDOW) {
      this.windowLimit = Math.max(1, Math.floor(observed * (1 - WINDOW_MARGIN)));
    } else if (this.windowLimit !== null) {
      this.windowLimit = Math.max(1, Math.floor(this.windowLimit * (1 - WINDOW_MARGIN)));
    }
    this.report(now, true);
  }

  private timeRoundTrip(ms: number): void {
    this.roundTrip = this.roundTrip === null ? ms : this.roundTrip + ROUND_TRIP_WEIGHT * (ms - this.roundTrip);
  }

  private report(now: number, always: boolean): void {
    if (!always && now - this.lastReportedAt < 5_000) return;
    this.lastReportedAt = now;
    try {
      this.options.onChange?.(this.state);
    } catch {
      // Keeping the state is a courtesy to the next start; it must not fail a call.
    }
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.starts.length && (this.starts[drop] as number) + this.windowMs <= now) drop++;
    if (drop > 0) this.starts = this.starts.slice(drop);
  }

  /** How long the next call must wait for the window or a Retry-After (0: it may start now). */
  private waitMs(now: number): number {
    let wait = this.blockedUntil - now;
    if (this.windowLimit !== null) {
      const allowed = Math.max(1, Math.floor(this.windowLimit));
      if (this.starts.length >= allowed) wait = Math.max(wait, (this.starts[this.starts.length - allowed] as number) + this.windowMs - now);
    }
    return Math.max(0, wait);
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.waiters.length > 0 && this.inFlight < Math.floor(this.limit)) {
      const now = this.now();
      this.prune(now);
      const wait = this.waitMs(now);
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      this.inFlight += 1;
      this.starts.push(now);
      (this.waiters.shift() as () => void)();
    }
  }
}

/** A gate that lets every call through at once (a client used outside the sync, e.g. by tests). */
export const OPEN_GATE: CallGate = { acquire: async () => ({ release: () => undefined }), roundTripMs: () => null };

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
