import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { getContext } from 'hono/context-storage';
import type { Db } from '../db/connect.js';
import type { HouseholdRole, TokenScope } from '../db/rows.js';
import { householdExists, findPerson } from '../household/membership.js';
import { findPersonalToken } from '../household/personal-tokens.js';
import { findActiveSession } from '../household/sessions.js';
import { tokensMatch } from './tokens-match.js';

/** The session cookie (HttpOnly, SameSite=Lax, Secure over https, Path=/): a random value whose hash is in `sessions`. */
export const sessionCookieName = 'spotify_sync_session';

/**
 * Who a request is (DESIGN.md, a household), decided once per request from its bearer header or session cookie:
 * - `open`: no API_TOKEN and no household yet: the single-user instance on loopback, where all is open;
 * - `operator`: the machine token API_TOKEN (or a session opened with it at /sign-in): every account;
 * - `person`: someone of the household, by their session or a personal token: their own account;
 * - `anonymous`: nothing accepted on an instance that needs it (`refused` says what was wrong).
 */
export type Caller =
  | { kind: 'open' }
  | { kind: 'operator'; via: 'bearer' | 'session'; sessionId?: string }
  | { kind: 'person'; accountId: string; role: HouseholdRole; via: 'session' | 'token'; scope: TokenScope; sessionId?: string; tokenName?: string }
  | { kind: 'anonymous'; refused: 'missing' | 'wrong' | 'ended' };

declare module 'hono' {
  interface ContextVariableMap {
    callerPromise: Promise<Caller>;
  }
}

export interface CallerDeps {
  db: Db;
  apiToken: string | undefined;
  now: () => Date;
  /** Whether the household formed: once true it stays so (cached by the app). */
  householdFormed: () => Promise<boolean>;
}

/** A cache of householdExists: once formed, a household never unforms. */
export function householdFormedCache(db: Db): () => Promise<boolean> {
  let formed = false;
  return async () => (formed ||= await householdExists(db));
}

async function identify(c: Context, deps: CallerDeps): Promise<Caller> {
  const header = c.req.header('authorization');
  const bearer = header ? /^Bearer[ \t]+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  const cookie = getCookie(c, sessionCookieName);
  if (deps.apiToken === undefined && !(await deps.householdFormed())) return { kind: 'open' };
  if (bearer !== undefined) {
    if (deps.apiToken !== undefined && tokensMatch(bearer, deps.apiToken)) return { kind: 'operator', via: 'bearer' };
    const token = await findPersonalToken(deps.db, bearer, deps.now());
    const person = token ? await findPerson(deps.db, token.account_id) : null;
    if (!token || !person) return { kind: 'anonymous', refused: 'wrong' };
    return { kind: 'person', accountId: person.accountId, role: person.role, via: 'token', scope: token.scope, tokenName: token.name };
  }
  if (cookie === undefined) return { kind: 'anonymous', refused: 'missing' };
  const session = await findActiveSession(deps.db, cookie, deps.now());
  if (!session) return { kind: 'anonymous', refused: 'ended' };
  if (session.account_id === null) return deps.apiToken !== undefined ? { kind: 'operator', via: 'session', sessionId: session.id } : { kind: 'anonymous', refused: 'ended' };
  const person = await findPerson(deps.db, session.account_id);
  if (!person) return { kind: 'anonymous', refused: 'ended' };
  return { kind: 'person', accountId: person.accountId, role: person.role, via: 'session', scope: 'control', sessionId: session.id };
}

/** The caller of this request, identified on first use and kept for the rest of it. */
export function callerOf(c: Context, deps: CallerDeps): Promise<Caller> {
  let promise = c.get('callerPromise');
  if (!promise) {
    promise = identify(c, deps);
    c.set('callerPromise', promise);
  }
  return promise;
}

/**
 * The caller of the request in flight, for code that is handed no context (the account rules of
 * resolve-account.ts): the gate (caller-gate.ts) identified it before any route ran. Outside a
 * request, or before the gate, nobody: refused.
 */
export async function currentCaller(): Promise<Caller> {
  let c: Context;
  try {
    c = getContext();
  } catch {
    return { kind: 'anonymous', refused: 'missing' };
  }
  return (await c.get('callerPromise')) ?? { kind: 'anonymous', refused: 'missing' };
}

/** Whether the caller sees every account's sync status and controls: the operator, the owner, or anyone on an open instance. */
export function seesEveryStatus(caller: Caller): boolean {
  return caller.kind === 'open' || caller.kind === 'operator' || (caller.kind === 'person' && caller.role === 'owner');
}

/** Whether the caller reads every account's library, history and exports: only the operator and an open instance. */
export function readsEveryAccount(caller: Caller): boolean {
  return caller.kind === 'open' || caller.kind === 'operator';
}

/** Who the caller is, for the security log: an account id, `operator`, or `anonymous`. */
export function actorOf(caller: Caller): string {
  if (caller.kind === 'person') return caller.via === 'token' ? `${caller.accountId} (token ${caller.tokenName ?? ''})` : caller.accountId;
  if (caller.kind === 'operator') return 'operator';
  return caller.kind === 'open' ? 'open instance' : 'anonymous';
}

/** The caller deps out of the routers' deps. */
export const callerDepsOf = (deps: { db: Db; config: { apiToken: string | undefined }; now: () => Date; householdFormed: () => Promise<boolean> }): CallerDeps => ({
  db: deps.db,
  apiToken: deps.config.apiToken,
  now: deps.now,
  householdFormed: deps.householdFormed,
});
