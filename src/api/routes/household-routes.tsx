import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { listAuditEvents, recordAuditEvent } from '../../household/audit-log.js';
import { createInvitation, invitationIsOpen, listOpenInvitations, withdrawInvitation } from '../../household/invitations.js';
import { listPeople, markJoined } from '../../household/membership.js';
import { createPersonalToken, listPersonalTokens, revokePersonalToken, TokenNameTakenError, tokenNamePattern, tokenScopes } from '../../household/personal-tokens.js';
import { endSession, endSessionsOf, listOpenSessions, sessionExpiresAt } from '../../household/sessions.js';
import { actorOf, type Caller, callerDepsOf, callerOf } from '../caller.js';
import { clientAddress } from '../credential-throttle.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { JoinPage, SecurityPage, type SecurityView, TokensPage, type TokensView } from '../pages/household-pages.js';
import { callerMayReach } from '../resolve-account.js';
import { newRouter, type RouteDeps } from '../router.js';
import { clearSessionCookie } from '../session-cookie.js';
import { pageContext, sendPage } from './page-response.js';

const htmlPage = (path: string, summary: string, extra: { params?: z.ZodObject; public?: boolean } = {}) =>
  createRoute({
    method: 'get',
    path,
    tags: ['pages'],
    summary,
    ...(extra.params && { request: { params: extra.params } }),
    ...(!extra.public && { security: [{ bearerAuth: [] }, { signInCookie: [] }] as Record<string, string[]>[] }),
    responses: {
      200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
      ...(extra.params && { 400: { description: 'A malformed path parameter', content: { 'application/json': { schema: errorBodySchema } } } }),
      ...(!extra.public && { 303: { description: 'To /sign-in (API_TOKEN set, or a household signed in, and no session or token)' } }),
    },
  });

const tokenForm = z.object({
  accountId: z.string().min(1).max(128),
  name: z.string().trim().regex(tokenNamePattern, 'must be 1 to 60 letters, digits, spaces, dots, dashes or underscores'),
  scope: z.enum(tokenScopes).default('read'),
});
const revokeForm = z.object({ accountId: z.string().min(1).max(128), name: z.string().trim().min(1).max(60) });
const sessionForm = z.object({ sessionId: z.string().uuid() });
const invitationForm = z.object({ invitationId: z.string().uuid() });

const formLimit = bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Form too large', 413) });

/** Who is signed in, in words. */
function describeCaller(caller: Caller): string {
  if (caller.kind === 'person') return `${caller.accountId} (${caller.role}${caller.via === 'token' ? `, token ${caller.tokenName ?? ''}` : ''})`;
  if (caller.kind === 'operator') return 'the operator (API_TOKEN)';
  return 'nobody: this instance is open (no API_TOKEN, nobody signed in with Spotify yet)';
}

/** Whether the caller manages the whole household: the operator, the owner, or anyone on an open instance. */
const managesHousehold = (caller: Caller) => caller.kind === 'open' || caller.kind === 'operator' || (caller.kind === 'person' && caller.role === 'owner');

/** `/settings/tokens`, `/settings/security` and `/join/{secret}`: personal tokens, sessions, invitations and the security log. */
export function householdRoutes(deps: RouteDeps) {
  const { db, config } = deps;
  const router = newRouter();
  const caller = (c: Context) => callerOf(c, callerDepsOf(deps));
  const audit = async (c: Context, who: Caller, event: Parameters<typeof recordAuditEvent>[1]['event'], accountId: string | null, detail: string) =>
    recordAuditEvent(db, { event, accountId, actor: actorOf(who), detail, client: clientAddress(c, config.trustProxy), at: deps.now() });
  const parse = async <S extends z.ZodTypeAny>(c: Context, schema: S): Promise<z.infer<S>> => {
    const parsed = schema.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new ApiError(400, 'invalid_request', `form: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    return parsed.data;
  };

  const tokensPage = async (c: Context, extra: Partial<Pick<TokensView, 'created' | 'error'>> = {}, status: 200 | 400 | 404 | 409 = 200) => {
    const who = await caller(c);
    const ctx = await pageContext(db, c, undefined);
    const own = who.kind === 'person' ? who.accountId : undefined;
    const view: TokensView = {
      who: describeCaller(who),
      tokens: await listPersonalTokens(db, own),
      accounts: ctx.accounts.map((a) => ({ accountId: a.accountId, displayName: a.displayName })),
      mayManage: !(who.kind === 'person' && who.via === 'token'),
      ...extra,
    };
    return sendPage(c, <TokensPage ctx={ctx} view={view} />, status);
  };

  router.openapi(htmlPage('/settings/tokens', 'Personal API tokens: make one (read or control, shown once), list and revoke them'), (async (c: Context) => tokensPage(c)) as never);

  router.post('/settings/tokens/new', formLimit, async (c) => {
    const who = await caller(c);
    if (who.kind === 'person' && who.via === 'token') throw new ApiError(403, 'session_required', 'Tokens are made from a signed-in browser, not with a token');
    let form: z.infer<typeof tokenForm>;
    try {
      form = await parse(c, tokenForm);
    } catch (error) {
      return tokensPage(c, { error: (error as Error).message }, 400);
    }
    if (!callerMayReach(who, form.accountId, 'read') || !(await db('accounts').where({ id: form.accountId }).first('id'))) {
      return tokensPage(c, { error: `No account with id "${form.accountId}"` }, 404);
    }
    try {
      const { token } = await createPersonalToken(db, { accountId: form.accountId, name: form.name, scope: form.scope, now: deps.now() });
      await markJoined(db, form.accountId, deps.now());
      await audit(c, who, 'token_created', form.accountId, `${form.name} (${form.scope})`);
      return tokensPage(c, { created: { name: form.name, token } });
    } catch (error) {
      if (error instanceof TokenNameTakenError) return tokensPage(c, { error: error.message }, 409);
      throw error;
    }
  });

  router.post('/settings/tokens/revoke', formLimit, async (c) => {
    const who = await caller(c);
    if (who.kind === 'person' && who.via === 'token') throw new ApiError(403, 'session_required', 'Tokens are revoked from a signed-in browser, not with a token');
    const form = await parse(c, revokeForm);
    const revoked = callerMayReach(who, form.accountId, 'read') && (await revokePersonalToken(db, form.accountId, form.name, deps.now()));
    if (!revoked) return tokensPage(c, { error: `No token named "${form.name}"` }, 404);
    await audit(c, who, 'token_revoked', form.accountId, form.name);
    return c.redirect('/settings/tokens', 303);
  });

  const securityPage = async (c: Context, extra: Partial<Pick<SecurityView, 'newInvitationLink'>> = {}) => {
    const who = await caller(c);
    const now = deps.now();
    const all = managesHousehold(who);
    const own = who.kind === 'person' ? who.accountId : undefined;
    const sessions = await listOpenSessions(db, all ? undefined : own, now);
    const view: SecurityView = {
      who: describeCaller(who),
      currentSessionId: who.kind === 'person' || who.kind === 'operator' ? who.sessionId : undefined,
      sessions: sessions.filter((s) => who.kind !== 'person' || s.account_id !== null).map((s) => ({ ...s, expiresAt: sessionExpiresAt(s) })),
      people: all ? await listPeople(db) : null,
      invitations: all ? await listOpenInvitations(db, now) : null,
      audit: await listAuditEvents(db, all ? undefined : own),
      allowedAccounts: config.allowedAccounts,
      ...extra,
    };
    return sendPage(c, <SecurityPage ctx={await pageContext(db, c, undefined)} view={view} />);
  };

  router.openapi(htmlPage('/settings/security', 'Sessions (end one, or all), the household and its invitations (owner), and the security log'), (async (c: Context) =>
    securityPage(c)) as never);

  router.post('/settings/security/sessions/end', formLimit, async (c) => {
    const who = await caller(c);
    const { sessionId } = await parse(c, sessionForm);
    const target = await db('sessions').where({ id: sessionId }).first('account_id');
    // A person ends their own sessions; the owner anyone's but the operator's; the operator any.
    const may =
      target !== undefined && (managesHousehold(who) ? who.kind !== 'person' || target.account_id !== null : who.kind === 'person' && target.account_id === who.accountId);
    const ended = may ? await endSession(db, sessionId, deps.now()) : null;
    if (!ended) throw new ApiError(404, 'unknown_session', 'No such open session');
    await audit(c, who, 'session_ended', ended.account_id, ended.device);
    if ((who.kind === 'person' || who.kind === 'operator') && who.sessionId === sessionId) {
      clearSessionCookie(c, deps);
      return c.redirect('/sign-in', 303);
    }
    return c.redirect('/settings/security', 303);
  });

  router.post('/settings/security/sessions/end-all', formLimit, async (c) => {
    const who = await caller(c);
    const accountId = who.kind === 'person' ? who.accountId : null;
    if (who.kind === 'open') return c.redirect('/settings/security', 303);
    const count = await endSessionsOf(db, accountId, deps.now());
    await audit(c, who, 'sessions_ended', accountId, `${count} session${count === 1 ? '' : 's'}`);
    clearSessionCookie(c, deps);
    return c.redirect('/sign-in', 303);
  });

  router.post('/settings/security/invitations', formLimit, async (c) => {
    const who = await caller(c);
    if (!managesHousehold(who)) throw new ApiError(403, 'owner_only', 'Only the owner invites people');
    const { secret } = await createInvitation(db, { createdBy: who.kind === 'person' ? who.accountId : null, now: deps.now() });
    await audit(c, who, 'invitation_created', who.kind === 'person' ? who.accountId : null, '');
    const origin = config.publicUrl ?? new URL(c.req.url).origin;
    return securityPage(c, { newInvitationLink: `${origin}/join/${secret}` });
  });

  router.post('/settings/security/invitations/withdraw', formLimit, async (c) => {
    const who = await caller(c);
    if (!managesHousehold(who)) throw new ApiError(403, 'owner_only', 'Only the owner withdraws invitations');
    const { invitationId } = await parse(c, invitationForm);
    if (!(await withdrawInvitation(db, invitationId, deps.now()))) throw new ApiError(404, 'unknown_invitation', 'No such open invitation');
    await audit(c, who, 'invitation_withdrawn', who.kind === 'person' ? who.accountId : null, '');
    return c.redirect('/settings/security', 303);
  });

  router.openapi(
    htmlPage('/join/{secret}', 'An invitation link: says whether it is still open, and leads to Sign in with Spotify with it', {
      params: z.object({
        secret: z
          .string()
          .min(1)
          .max(128)
          .openapi({ param: { name: 'secret', in: 'path' } }),
      }),
      public: true,
    }),
    (async (c: Context) => {
      const secret = c.req.param('secret') ?? '';
      const open = /^[A-Za-z0-9_-]{1,128}$/.test(secret) && (await invitationIsOpen(db, secret, deps.now()));
      return sendPage(c, <JoinPage secret={secret} open={open} />, 200);
    }) as never,
  );

  return router;
}
