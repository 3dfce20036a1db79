import type { TokenScope } from '../db/rows.js';
import { recordAuditEvent } from '../household/audit-log.js';
import { markJoined } from '../household/membership.js';
import { createPersonalToken, listPersonalTokens, revokePersonalToken, TokenNameTakenError, tokenNamePattern, tokenScopes } from '../household/personal-tokens.js';
import { UsageError, withCommandRuntime } from './runtime.js';

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : 'never');

/**
 * `tokens create|list|revoke`: personal API tokens from the command line (DESIGN.md, a household).
 * `create` prints the new token alone on its last line (shown once; only its hash is stored).
 */
export async function tokensCommand(
  action: string | undefined,
  flags: { account?: string; name?: string; scope?: string },
  print: (line: string) => void = (l) => console.log(l),
): Promise<void> {
  await withCommandRuntime({ account: flags.account }, async ({ db, account }) => {
    const now = new Date();
    switch (action) {
      case 'create': {
        if (!flags.name || !tokenNamePattern.test(flags.name))
          throw new UsageError('tokens create needs --name <name>: 1 to 60 letters, digits, spaces, dots, dashes or underscores');
        const scope = (flags.scope ?? 'read') as TokenScope;
        if (!tokenScopes.includes(scope)) throw new UsageError('--scope must be read or control');
        const accountId = await account();
        try {
          const { token } = await createPersonalToken(db, { accountId, name: flags.name, scope, now });
          await markJoined(db, accountId, now);
          await recordAuditEvent(db, { event: 'token_created', accountId, actor: 'cli', detail: `${flags.name} (${scope})`, at: now });
          print(`A ${scope} token "${flags.name}" for ${accountId} (shown once: keep it now):`);
          print(token);
        } catch (error) {
          if (error instanceof TokenNameTakenError) throw new UsageError(error.message);
          throw error;
        }
        return;
      }
      case 'list': {
        const tokens = await listPersonalTokens(db, flags.account === undefined ? undefined : await account());
        if (tokens.length === 0) print('No personal tokens.');
        for (const t of tokens) print(`${t.account_id}\t${t.name}\t${t.scope}\tmade ${when(t.created_at)}\tlast used ${when(t.last_used_at)}`);
        return;
      }
      case 'revoke': {
        if (!flags.name) throw new UsageError('tokens revoke needs --account <id> --name <name>');
        const accountId = await account();
        if (!(await revokePersonalToken(db, accountId, flags.name, now))) throw new UsageError(`No token named "${flags.name}" for ${accountId} (see: tokens list)`);
        await recordAuditEvent(db, { event: 'token_revoked', accountId, actor: 'cli', detail: flags.name, at: now });
        print(`Revoked "${flags.name}" of ${accountId}: it is refused from now on.`);
        return;
      }
      default:
        throw new UsageError('tokens create --account <id> --name <name> --scope read|control | tokens list [--account <id>] | tokens revoke --account <id> --name <name>');
    }
  });
}
