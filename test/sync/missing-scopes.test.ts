import { afterEach, describe, expect, it } from 'vitest';
import { demoScope } from '../../src/simulator/tokens.js';
import { readAccountStatus } from '../../src/status/read-status.js';
import { DEMO_CLIENT_ID } from '../../src/spotify/accounts.js';
import type { IncrementalSyncResult } from '../../workflows/incremental-sync.js';
import { readCollections, truthCollections, type Truth } from '../../testkit/mirror.js';
import { closeHarnessAndSchedules, createHarness, type Harness } from '../helpers/sync-harness.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

interface Stats {
  requests: { byEndpoint: Record<string, { total: number; byStatus?: Record<string, number> }> };
}

let harness: Harness | undefined;
afterEach(async () => {
  await closeHarnessAndSchedules(harness);
  harness = undefined;
});

/** The login of an account connected before the whole library: every scope it asked for then, not `user-follow-read`. */
const oldScope = demoScope
  .split(' ')
  .filter((s) => s !== 'user-follow-read')
  .join(' ');

describe('an account connected before the whole library (no user-follow-read)', () => {
  it('syncs what it may, skips the followed artists without retrying, and its status asks for a new login naming the scope', async () => {
    const h = (harness = await createHarness({ sim: { seed: 31, tracks: 300, playlists: 2, appMode: 'development', demoScope: oldScope } }));
    await h.startWorker();
    const { accountId } = await h.connect();
    const calls = async (endpoint: string) => (await h.simRequest<Stats>('/_sim/stats')).requests.byEndpoint[endpoint]?.total ?? 0;
    const status = async () =>
      (await readAccountStatus(h.db.db, accountId, { now: new Date(), incrementalIntervalHours: 6, spotifyClientId: h.config.spotify.clientId ?? DEMO_CLIENT_ID }))!;

    // The login's scopes are kept with the account: the follow list is not even asked for.
    expect((await h.db.db('accounts').where({ id: accountId }).first('granted_scopes'))!.granted_scopes).not.toContain('user-follow-read');
    await initialSyncHandle(h.client, accountId).result();
    const truth = await h.simRequest<Truth>('/_sim/truth');
    expect(truth.followedArtists?.length).toBeGreaterThan(0);
    const mirror = await readCollections(h.db.db, accountId);
    const { followedArtists: _mine, ...rest } = mirror;
    const { followedArtists: _truths, ...restTruth } = truthCollections(truth);
    expect(rest).toEqual(restTruth);
    expect(mirror.followedArtists).toEqual([]);
    expect(await calls('GET /v1/me/following')).toBe(0);
    const saved = (await h.db.db('saved_tracks').where({ account_id: accountId }).count({ n: '*' }).first())!.n;
    expect(Number(saved)).toBe(truth.savedTracks.length);

    const after = await status();
    expect(after.state).toBe('complete');
    expect(after.needsLogin).toBe(false);
    expect(after.phases.find((p) => p.entity === 'followedArtists')).toMatchObject({ complete: true, missingScope: 'user-follow-read' });
    expect(after.phases.filter((p) => p.missingScope).map((p) => p.entity)).toEqual(['followedArtists']);
    expect(after.missingScopes).toMatchObject({ scopes: ['user-follow-read'], entities: ['followedArtists'], loginUrl: '/auth/login' });
    expect(after.missingScopes!.message).toMatch(/user-follow-read.*followed artists.*Log in again/);

    // A login whose scopes are not known (connected from a refresh token alone): Spotify's 403
    // "Insufficient client scope" is met once, the collection skipped, the run completes.
    await h.db.db('accounts').where({ id: accountId }).update({ granted_scopes: null });
    await h.db
      .db('sync_state')
      .where({ account_id: accountId, entity_type: 'followedArtists', phase: 'initial' })
      .update({ completed_at: new Date(Date.now() - 25 * 3_600_000) });
    await h.simRequest('/_sim/stats/reset', { method: 'POST' });
    const result = (await h.client.workflow.execute('incrementalSyncWorkflow', {
      taskQueue: h.config.temporal.taskQueue,
      workflowId: `incremental-sync:${accountId}:test-no-scope`,
      args: [{ accountId }],
    })) as IncrementalSyncResult;
    expect(result.outcome).toBe('completed');
    expect(result.counts.followedArtistsMissingScope).toBe(1);
    expect(await calls('GET /v1/me/following')).toBe(1);
    expect((await readCollections(h.db.db, accountId)).followedArtists).toEqual([]);
    expect((await status()).missingScopes?.scopes).toEqual(['user-follow-read']);
  }, 180_000);
});
