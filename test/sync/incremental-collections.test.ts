import { afterEach, describe, expect, it } from 'vitest';
import type { IncrementalSyncResult } from '../../workflows/incremental-sync.js';
import { readCollections, truthCollections, type Truth } from '../../testkit/mirror.js';
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

const collectionEndpoints = {
  savedAlbums: 'GET /v1/me/albums',
  followedArtists: 'GET /v1/me/following',
  savedShows: 'GET /v1/me/shows',
  savedEpisodes: 'GET /v1/me/episodes',
  savedAudiobooks: 'GET /v1/me/audiobooks',
} as const;

const pages = (total: number) => Math.max(1, Math.ceil(total / 50));

describe('incremental sync of the collections', () => {
  it.each(['extended', 'development'] as const)(
    'after saves, removals, follows and unfollows, the mirror equals the library again (%s mode), reading follows at most daily',
    async (appMode) => {
      const h = (harness = await createHarness({ sim: { seed: 31, tracks: 1200, playlists: 2, appMode } }));
      await h.startWorker();
      const { accountId } = await h.connect();
      await initialSyncHandle(h.client, accountId).result();
      const run = (suffix: string) =>
        h.client.workflow.execute('incrementalSyncWorkflow', {
          taskQueue: h.config.temporal.taskQueue,
          workflowId: `incremental-sync:${accountId}:test-${suffix}`,
          args: [{ accountId }],
        }) as Promise<IncrementalSyncResult>;
      const calls = async (endpoint: string) => (await h.simRequest<Stats>('/_sim/stats')).requests.byEndpoint[endpoint]?.total ?? 0;

      // New saves only: each dated collection reads its newest page, then the next while that one had something new.
      const saved = await h.simRequest<Record<string, string[]>>('/_sim/mutate', { body: { saveAlbums: 3, saveShows: 1, saveEpisodes: 2, saveAudiobooks: 1 } });
      expect(saved.savedAlbums).toHaveLength(3);
      await h.simRequest('/_sim/stats/reset', { method: 'POST' });
      const first = await run('saves');
      let truth = await h.simRequest<Truth>('/_sim/truth');
      const { followedArtists: _f, ...datedMirror } = await readCollections(h.db.db, accountId);
      const { followedArtists: _t, ...datedTruth } = truthCollections(truth);
      expect(datedMirror).toEqual(datedTruth);
      expect(first.counts).toMatchObject({ savedAlbumsAdded: 3, savedShowsAdded: 1, savedEpisodesAdded: 2, savedAudiobooksAdded: 1 });
      expect(first.counts.savedAlbumsRemoved).toBeUndefined();
      // Followed artists were read whole by the initial sync less than a day ago: not read again.
      expect(await calls(collectionEndpoints.followedArtists)).toBe(0);
      for (const name of ['savedAlbums', 'savedShows', 'savedEpisodes', 'savedAudiobooks'] as const) {
        expect(await calls(collectionEndpoints[name]), name).toBe(Math.min(2, pages(truth[name]?.length ?? 0)));
      }

      // Removals, follows and unfollows; a day later the follows are due again.
      const changed = await h.simRequest<Record<string, string[]>>('/_sim/mutate', {
        body: { removeAlbums: 2, saveAlbums: 1, removeShows: 1, removeEpisodes: 1, removeAudiobooks: 1, followArtists: 4, unfollowArtists: 3 },
      });
      const dayAgo = new Date(Date.now() - 25 * 3_600_000);
      await h.db.db('sync_state').where({ account_id: accountId, entity_type: 'followedArtists', phase: 'initial' }).update({ completed_at: dayAgo });
      await h.db.db('incremental_runs').where({ account_id: accountId }).update({ finished_at: dayAgo });
      await h.simRequest('/_sim/stats/reset', { method: 'POST' });
      const second = await run('removals');
      truth = await h.simRequest<Truth>('/_sim/truth');
      expect(await readCollections(h.db.db, accountId)).toEqual(truthCollections(truth));
      expect(second.counts).toMatchObject({
        savedAlbumsAdded: 1,
        savedAlbumsRemoved: 2,
        savedShowsRemoved: 1,
        savedEpisodesRemoved: 1,
        savedAudiobooksRemoved: 1,
        followedArtistsAdded: 4,
        followedArtistsRemoved: 3,
      });
      // Removals are soft deletes: the removed saves are still there, marked.
      const removedAlbums = (await h.db.db('saved_albums').where({ account_id: accountId }).whereNotNull('removed_at').pluck('album_id')) as string[];
      expect(removedAlbums.sort()).toEqual([...(changed.removedAlbums ?? [])].sort());
      const unfollowed = (await h.db.db('followed_artists').where({ account_id: accountId }).whereNotNull('removed_at').pluck('artist_id')) as string[];
      expect(unfollowed.sort()).toEqual([...(changed.unfollowedArtists ?? [])].sort());
      // Each change is in the time machine's change log.
      const logged = async (kind: string, change: string) =>
        ((await h.db.db('library_changes').where({ account_id: accountId, kind, change }).pluck('item_id')) as string[]).sort();
      expect(await logged('album', 'removed')).toEqual([...(changed.removedAlbums ?? [])].sort());
      expect(await logged('artist', 'removed')).toEqual([...(changed.unfollowedArtists ?? [])].sort());
      expect(await logged('show', 'removed')).toEqual([...(changed.removedShows ?? [])].sort());
      expect(await logged('episode', 'removed')).toEqual([...(changed.removedEpisodes ?? [])].sort());
      expect(await logged('audiobook', 'removed')).toEqual([...(changed.removedAudiobooks ?? [])].sort());
      expect(await logged('artist', 'added')).toEqual(expect.arrayContaining(changed.followedArtists ?? []));
      expect(await logged('album', 'added')).toEqual(expect.arrayContaining([...(saved.savedAlbums ?? []), ...(changed.savedAlbums ?? [])]));
      // A removal is only found by reading the whole list: every page of each changed collection, once.
      for (const name of Object.keys(collectionEndpoints) as (keyof typeof collectionEndpoints)[]) {
        expect(await calls(collectionEndpoints[name]), name).toBe(pages(truth[name]?.length ?? 0));
      }

      // The next run finds nothing new: one page of each dated collection, no follows (read within the day).
      await h.simRequest('/_sim/stats/reset', { method: 'POST' });
      const third = await run('unchanged');
      for (const name of Object.keys(collectionEndpoints) as (keyof typeof collectionEndpoints)[]) {
        expect(await calls(collectionEndpoints[name]), name).toBe(name === 'followedArtists' ? 0 : 1);
      }
      expect(Object.entries(third.counts).filter(([k, n]) => /^(saved|followed).*(Added|Removed)$/.test(k) && n > 0)).toEqual([]);
    },
    180_000,
  );
});
