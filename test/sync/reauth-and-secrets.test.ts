import { afterEach, describe, expect, it } from 'vitest';
import { initialSyncWorkflowId, playbackWorkflowId } from '../../src/ids.js';
import { initialSyncStatusQuery } from '../../workflows/contract.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { scriptedLogin } from '../helpers/scripted-login.js';
import { historyText } from '../helpers/history-text.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('a revoked refresh token', () => {
  it('puts the account in needs_reauth until a new login, then the sync completes; no token ever reaches a workflow history', async () => {
    const h = (harness = await createHarness({ sim: { seed: 19, tracks: 300, playlists: 5, appMode: 'development', config: { latencyMs: 5 } } }));
    await h.startWorker();
    const { accountId } = await h.connect();
    const handle = initialSyncHandle(h.client, accountId);
    const tokensSeen = new Set<string>([h.sim.demoRefreshToken]);
    const rememberStoredTokens = async () => {
      const row = (await h.db.db('accounts').where({ id: accountId }).first())!;
      tokensSeen.add(h.cipher.decrypt(row.refresh_token_encrypted));
      if (row.access_token_encrypted) tokensSeen.add(h.cipher.decrypt(row.access_token_encrypted));
      return row;
    };

    await expect
      .poll(async () => Number((await h.db.db('saved_tracks').where({ account_id: accountId }).count({ n: '*' }).first())?.n), { timeout: 60_000, interval: 100 })
      .toBeGreaterThan(0);
    await rememberStoredTokens();
    await h.simRequest('/_sim/config', { body: { revokeRefreshTokens: true } });

    await expect.poll(async () => (await h.db.db('accounts').where({ id: accountId }).first())!.sync_state, { timeout: 60_000, interval: 200 }).toBe('needs_reauth');
    expect((await rememberStoredTokens()).needs_reauth).toBe(true);
    expect((await handle.query(initialSyncStatusQuery)).state).toBe('needs_reauth');
    // It waits: no progress while the login is missing.
    const before = await h.db.db('sync_history').where({ account_id: accountId }).count({ n: '*' }).first();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await h.db.db('sync_history').where({ account_id: accountId }).count({ n: '*' }).first()).toEqual(before);

    // The user logs in again; connecting sends `reauthorized`.
    const login = await scriptedLogin(h.sim.url);
    tokensSeen.add(login.refreshToken).add(login.accessToken);
    const reconnected = await h.connect(login.refreshToken);
    expect(reconnected).toMatchObject({ accountId, created: false, initialSyncStarted: false });

    const result = await handle.result();
    expect(result.state).toBe('complete');
    const account = await rememberStoredTokens();
    expect(account.needs_reauth).toBe(false);
    const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, await h.simRequest<Truth>('/_sim/truth'));
    expect(mirror).toEqual(expected);
    expect(stubs).toEqual({ artists: [], albums: [] });
    await recordHistoryFixture(h.client, 'initialSyncWorkflow--needs-reauth', initialSyncWorkflowId(accountId));

    // Tokens are stored encrypted, and appear in no history of this account's workflows.
    expect(JSON.stringify(account)).not.toContain(login.refreshToken);
    const workflowIds: string[] = [];
    for await (const w of h.client.workflow.list({ query: `AccountId = "${accountId}"` })) workflowIds.push(`${w.workflowId}|${w.runId}`);
    expect(workflowIds.map((w) => w.split('|')[0])).toEqual(expect.arrayContaining([initialSyncWorkflowId(accountId), playbackWorkflowId(accountId)]));
    for (const entry of workflowIds) {
      const [workflowId, runId] = entry.split('|') as [string, string];
      const text = historyText(await h.client.workflow.getHandle(workflowId, runId).fetchHistory());
      expect(text).toContain(accountId); // the decoded payloads are really there
      for (const token of tokensSeen) expect(text).not.toContain(token);
    }
    expect(tokensSeen.size).toBeGreaterThanOrEqual(4);
  });
});
