import { BatchRun } from '../shared/batch-run.js';
import { isInsufficientScope } from '../../src/spotify/errors.js';
import type { ActivityDeps } from '../shared/deps.js';
import type { SpotifyClient } from '../../src/spotify/client.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import type { CollectionEntity, SyncKind } from '../../workflows/contract.js';
import { CollectionRows } from '../store/collection-rows.js';
import { writeCollectionPage } from '../store/collections-writer.js';
import { loadSyncState } from '../store/sync-state-store.js';

/** Entries per call of every collection endpoint. */
export const COLLECTION_PAGE = 50;

/** Where a collection's read stands: an offset (saved albums, shows, episodes, audiobooks) or the follow list's `after` cursor. */
export interface CollectionPosition {
  offset: number;
  cursor: string | null;
}

export interface CollectionPageRead {
  /** Entries on the page (stored or skipped). */
  entries: number;
  skipped: number;
  total: number;
  next: CollectionPosition;
  /** The list ends with this page. */
  ends: boolean;
}

/** The scope each collection's endpoint needs (Spotify answers 403 "Insufficient client scope" without it). */
export const collectionScopes: Record<CollectionEntity, string> = {
  savedAlbums: 'user-library-read',
  followedArtists: 'user-follow-read',
  savedShows: 'user-library-read',
  savedEpisodes: 'user-library-read',
  savedAudiobooks: 'user-library-read',
};

/**
 * The scope a collection's read lacks, known before any call: the login's granted scopes are kept with
 * the account, and one without the collection's scope is not asked (null: granted, or not known).
 */
export async function scopeKnownMissing(deps: ActivityDeps, accountId: string, entity: CollectionEntity): Promise<string | null> {
  const row = (await deps.db('accounts').where({ id: accountId }).first('granted_scopes')) as { granted_scopes: string | null } | undefined;
  if (!row?.granted_scopes) return null;
  return row.granted_scopes.split(' ').includes(collectionScopes[entity]) ? null : collectionScopes[entity];
}

/**
 * A collection the login may not read (an account connected before the whole library): Spotify's 403
 * "Insufficient client scope", or a login known to lack the scope. The read is skipped, not retried:
 * it is marked complete with the scope it lacks (the status asks for a new login naming it), and the
 * rest of the sync goes on.
 */
export async function skipForMissingScope(
  run: BatchRun<Record<string, never>>,
  entity: CollectionEntity,
  state: { synced_count: number; total_estimated: number | null },
): Promise<BatchResult> {
  const now = run.now();
  const updated = await run.commit(
    {
      now,
      items: 0,
      rateLimited: false,
      state: { is_complete: true, completed_at: now, missing_scope: collectionScopes[entity], total_estimated: state.total_estimated ?? state.synced_count },
    },
    async () => undefined,
  );
  return {
    entity,
    outcome: 'done',
    items: 0,
    skipped: 0,
    apiCalls: run.apiCalls,
    synced: updated.synced_count,
    total: updated.total_estimated,
    counts: { [`${entity}MissingScope`]: 1 },
  };
}

type OffsetCollection = Exclude<CollectionEntity, 'followedArtists'>;

/** The collections read by offset, newest save first: one call for a page, each save into `rows`. */
const offsetPages: Record<
  OffsetCollection,
  (client: SpotifyClient, request: { limit: number; offset: number }, rows: CollectionRows) => Promise<{ items: number; total: number }>
> = {
  savedAlbums: async (client, request, rows) => {
    const page = await client.getSavedAlbums(request);
    for (const save of page.items) rows.addSavedAlbum(save.album, save.added_at);
    return { items: page.items.length, total: page.total };
  },
  savedShows: async (client, request, rows) => {
    const page = await client.getSavedShows(request);
    for (const save of page.items) rows.addSavedShow(save.show, save.added_at);
    return { items: page.items.length, total: page.total };
  },
  savedEpisodes: async (client, request, rows) => {
    const page = await client.getSavedEpisodes(request);
    for (const save of page.items) rows.addSavedEpisode(save.episode, save.added_at);
    return { items: page.items.length, total: page.total };
  },
  savedAudiobooks: async (client, request, rows) => {
    const page = await client.getSavedAudiobooks(request);
    for (const save of page.items) rows.addSavedAudiobook(save.audiobook, save.added_at);
    return { items: page.items.length, total: page.total };
  },
};

/**
 * Reads one page of a collection at `at` into `rows`: one call. A saved album brings its first page
 * of tracks with it; an episode its show. Followed artists page by the `after` cursor, the others by
 * offset (`offsetPages`).
 */
export async function readCollectionPage(client: SpotifyClient, entity: CollectionEntity, at: CollectionPosition, rows: CollectionRows): Promise<CollectionPageRead> {
  if (entity !== 'followedArtists') {
    const { items, total } = await offsetPages[entity](client, { limit: COLLECTION_PAGE, offset: at.offset }, rows);
    const next = at.offset + items;
    return { entries: items, skipped: 0, total, next: { offset: next, cursor: null }, ends: items === 0 || next >= total };
  }
  const page = await client.getFollowedArtists({ limit: COLLECTION_PAGE, after: at.cursor ?? undefined });
  // No date for a follow: the first time the sync sees it stands for it (the writer keeps the first).
  const seenAt = rows.syncedAt.toISOString();
  for (const artist of page.items) rows.addFollowedArtist(artist, seenAt);
  const after = page.cursors?.after ?? null;
  const ends = page.items.length === 0 || !page.next || after === null;
  return { entries: page.items.length, skipped: 0, total: page.total ?? at.offset + page.items.length, next: { offset: at.offset + page.items.length, cursor: after }, ends };
}

/**
 * One batch of the initial sync's collections phase: one page of one collection (50 entries, one
 * call) from its checkpoint, committed with the next offset or cursor, so a collection is
 * checkpointed per page. Several pages run in one activity while they are quick (runBatchesWithinBudget).
 */
export async function syncCollectionBatch(deps: ActivityDeps, input: { accountId: string; entity: CollectionEntity; kind?: Extract<SyncKind, 'initial'> }): Promise<BatchResult> {
  const { accountId, entity } = input;
  const key = { accountId, entity, kind: input.kind ?? 'initial' } as const;
  const state = await loadSyncState(deps.db, key);
  if (state.is_complete) return { entity, outcome: 'done', items: 0, skipped: 0, apiCalls: 0, synced: state.synced_count, total: state.total_estimated };
  const at: CollectionPosition = { offset: state.last_synced_offset, cursor: state.cursor };
  const run = new BatchRun<Record<string, never>>(deps, key, `${entity}@${at.offset}:${at.cursor ?? ''}`);
  const rows = new CollectionRows(run.now());
  if (at.offset === 0 && at.cursor === null && (await scopeKnownMissing(deps, accountId, entity))) return skipForMissingScope(run, entity, state);
  let page: CollectionPageRead;
  try {
    page = await readCollectionPage(run.client, entity, at, rows);
    run.heartbeat({});
  } catch (error) {
    if (isInsufficientScope(error)) return skipForMissingScope(run, entity, state);
    return run.settleFailure(error, () => ({ synced: state.synced_count, total: state.total_estimated }));
  }
  const now = run.now();
  const updated = await run.commit(
    {
      now,
      items: rows.saves.size,
      skipped: page.skipped,
      rateLimited: false,
      state: {
        last_synced_offset: page.next.offset,
        cursor: page.next.cursor,
        total_estimated: page.total,
        synced_count: state.synced_count + rows.saves.size,
        is_complete: page.ends,
        completed_at: page.ends ? now : null,
        missing_scope: null,
      },
    },
    (trx) => writeCollectionPage(trx, accountId, entity, rows, now),
  );
  return {
    entity,
    outcome: page.ends ? 'done' : 'progress',
    items: rows.saves.size,
    skipped: page.skipped,
    apiCalls: run.apiCalls,
    synced: updated.synced_count,
    total: updated.total_estimated,
  };
}
