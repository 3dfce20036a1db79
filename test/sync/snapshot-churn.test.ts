import { afterEach, describe, expect, it } from 'vitest';
import type { IncrementalSyncResult } from '../../workflows/incremental-sync.js';
import type { Truth } from '../../testkit/mirror.js';
import { closeHarnessAndSchedules, createHarness, type Harness } from '../helpers/sync-harness.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

interface Stats {
  requests: { byEndpoint: Record<string, { total: number }> };
}

let harness: Harness | undefined;
afterEach(async () => {
  await closeHarnessAndSchedules(harness);
  harness = undefined;
});

/**
 * Spotify's own playlists can answer a new snapshot_id on every read though their entries stay
 * (spotify/web-api#858). The simulator's `snapshotChurn` does that for the playlists the user follows.
 */
describe('snapshot churn of followed playlists', () => {
  it.each(['extended', 'development'] as const)(
    'a new snapshot id over unchanged entries is no new version, and the entries still equal the library (%s mode)',
    async (appMode) => {
      const h = (harness = await createHarness({ sim: { seed: 23, tracks: 200, playlists: 8, appMode, config: { snapshotChurn: true } } }));
      await h.startWorker();
      const { accountId } = await h.connect();
      await initialSyncHandle(h.client, accountId).result();
      const me = (await h.db.db('accounts').where({ id: accountId }).first('spotify_user_id'))!.spotify_user_id as string;
      const followed = (await h.db.db('playlists').where({ account_id: accountId, collaborative: false }).whereNot('owner_id', me).pluck('id')) as string[];
      expect(followed.length).toBeGreaterThan(0);
      const versions = async () =>
        Object.fromEntries(
          (
            (await h.db.db('playlist_versions').where({ account_id: accountId }).groupBy('playlist_id').select('playlist_id', h.db.db.raw('count(*)::int as n'))) as {
              playlist_id: string;
              n: number;
            }[]
          ).map((r) => [r.playlist_id, r.n]),
        );
      const before = await versions();
      const snapshotsBefore = await h.db.db('playlists').where({ account_id: accountId }).whereIn('id', followed).pluck('snapshot_id');

      for (const round of [1, 2]) {
        await h.simRequest('/_sim/stats/reset', { method: 'POST' });
        const result = (await h.client.workflow.execute('incrementalSyncWorkflow', {
          taskQueue: h.config.temporal.taskQueue,
          workflowId: `incremental-sync:${accountId}:test-churn-${round}`,
          args: [{ accountId }],
        })) as IncrementalSyncResult;
        expect(result.outcome).toBe('completed');
        // Spotify answered new snapshot ids (the mirror keeps the latest it saw)...
        const snapshots = await h.db.db('playlists').where({ account_id: accountId }).whereIn('id', followed).pluck('snapshot_id');
        expect(snapshots.filter((s) => snapshotsBefore.includes(s))).toEqual([]);
        // ...but no playlist has a version more, and no change was logged.
        expect(await versions()).toEqual(before);
        expect(await h.db.db('library_changes').where({ account_id: accountId, kind: 'playlist', change: 'edited' }).count({ n: '*' }).first()).toEqual({ n: 0 });
        // The entries are those of the library: read again where the app may read them (a new snapshot
        // can only be checked by reading), not at all where it may not (development mode).
        const truth = await h.simRequest<Truth>('/_sim/truth');
        for (const p of truth.playlists.filter((t) => followed.includes(t.id))) {
          const stored = (await h.db.db('playlist_items').where({ account_id: accountId, playlist_id: p.id }).orderBy('position').select('kind', 'uri')) as {
            kind: string;
            uri: string | null;
          }[];
          expect(
            stored.map((e) => (e.kind === 'unavailable' ? null : e.uri)),
            p.id,
          ).toEqual(p.entryUris);
        }
        const itemCalls = (await h.simRequest<Stats>('/_sim/stats')).requests.byEndpoint['GET /v1/playlists/{id}/items']?.total ?? 0;
        if (appMode === 'development') expect(itemCalls).toBe(0);
        else expect(itemCalls).toBeGreaterThanOrEqual(truth.playlists.filter((t) => followed.includes(t.id) && (t.entryUris ?? []).length > 0).length);
      }
    },
    180_000,
  );
});
