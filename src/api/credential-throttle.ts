import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.js';
import { throttledSignInPage } from './routes/throttled-sign-in.js';

export interface ThrottleOptions {
  /** Wrong tries a client may make at once. */
  burst: number;
  /** The same for a client that showed the right credential lately (an operator's script with a stale token among good ones). */
  knownBurst: number;
  /** How long a right credential makes its client known. */
  knownForSeconds: number;
  /** Then one more try per this many seconds. */
  secondsPerTry: number;
  /** Clients remembered at most (the least recently failing are forgotten first). */
  maxClients: number;
}

export const defaultThrottle: ThrottleOptions = { burst: 20, knownBurst: 200, knownForSeconds: 3600, secondsPerTry: 3, maxClients: 10_000 };

/**
 * Wrong tries per client, as a token bucket: `burst` at once, then one per `secondsPerTry`. A client
 * with no tries left is refused every credential, the right one included, until it has one again, so
 * the answer never says whether a guess was right.
 */
export class CredentialThrottle {
  private readonly buckets = new Map<string, { tries: number; at: number; knownUntil: number }>();

  constructor(
    private readonly now: () => Date,
    private readonly options: ThrottleOptions = defaultThrottle,
  ) {}

  private burstOf(client: string): number {
    const bucket = this.buckets.get(client);
    return bucket && bucket.knownUntil > this.now().getTime() ? this.options.knownBurst : this.options.burst;
  }

  private tries(client: string): number {
    const bucket = this.buckets.get(client);
    const burst = this.burstOf(client);
    if (!bucket) return burst;
    const regained = (this.now().getTime() - bucket.at) / 1000 / this.options.secondsPerTry;
    return Math.min(burst, bucket.tries + regained);
  }

  private store(client: string, bucket: { tries: number; at: number; knownUntil: number }): void {
    this.buckets.delete(client);
    this.buckets.set(client, bucket);
    if (this.buckets.size > this.options.maxClients) this.buckets.delete(this.buckets.keys().next().value as string);
  }

  /** Seconds until the client may try again; 0 when it may now. */
  waitSeconds(client: string): number {
    const tries = this.tries(client);
    return tries >= 1 ? 0 : Math.ceil((1 - tries) * this.options.secondsPerTry);
  }

  recordFailure(client: string): void {
    const tries = Math.max(0, this.tries(client) - 1);
    this.store(client, { tries, at: this.now().getTime(), knownUntil: this.buckets.get(client)?.knownUntil ?? 0 });
  }

  /** The client showed the right credential: for a while, its wrong tries draw on the larger budget. */
  recordSuccess(client: string): void {
    const at = this.now().getTime();
    const wasKnown = (this.buckets.get(client)?.knownUntil ?? 0) > at;
    // Becoming known adds the larger budget's extra tries once; staying known only lasts longer.
    const tries = this.tries(client) + (wasKnown ? 0 : this.options.knownBurst - this.options.burst);
    this.store(client, { tries, at, knownUntil: at + this.options.knownForSeconds * 1000 });
  }
}

/**
 * Who is trying: the peer address, or with TRUST_PROXY the address the proxy appended last to
 * X-Forwarded-For (the one the proxy saw; earlier entries are the client's to write).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (app.request in tests)
  }
}

const isSignInForm = (c: Context) => c.req.method === 'POST' && c.req.path === '/sign-in';

/** A request that offers a secret a person could guess: a bearer header, or the token sign-in form. */
function offersCredential(c: Context): boolean {
  return c.req.header('authorization') !== undefined || isSignInForm(c);
}

/** The answer says the credential was refused: a 401, or a page sending the caller to sign in. */
function refusedCredential(res: Response): boolean {
  return res.status === 401 || (res.status === 303 && (res.headers.get('location') ?? '').startsWith('/sign-in'));
}

/**
 * Sign-in attempts and bearer tokens are throttled per client: each refused one spends a try, and a
 * client without tries left gets 429 (with Retry-After) for any credential until it has one again.
 * A client that showed the right one (`isRightCredential`, or a sign-in that set its cookie) gets a
 * larger budget for a while: a guesser never has it. Cookies are not counted: a sign-in cookie is an
 * HMAC no one types or guesses.
 */
export function throttleCredentials(throttle: CredentialThrottle, trustProxy: boolean, isRightCredential: (c: Context) => boolean | Promise<boolean>) {
  return createMiddleware(async (c, next) => {
    if (!offersCredential(c)) return next();
    const client = clientAddress(c, trustProxy);
    const wait = throttle.waitSeconds(client);
    if (wait > 0) {
      const message = `Too many wrong tokens or sign-in attempts from this address; try again in ${wait} s`;
      if (isSignInForm(c)) return throttledSignInPage(c, message, wait);
      throw new ApiError(429, 'too_many_attempts', message, { 'Retry-After': String(wait) });
    }
    await next();
    if (refusedCredential(c.res)) throttle.recordFailure(client);
    else if ((await isRightCredential(c)) || (c.req.path === '/sign-in' && c.res.headers.has('set-cookie'))) throttle.recordSuccess(client);
  });
}
