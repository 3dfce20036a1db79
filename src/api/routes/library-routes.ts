import { createRoute, type z } from '@hono/zod-openapi';
import { readAlbum, readArtist } from '../../library/catalog-entities.js';
import { listPlays, readHistorySpan, readHistoryStats } from '../../library/history.js';
import { readListeningStats } from '../../library/listening-stats.js';
import { readYearRecap } from '../../library/year-recap.js';
import { listeningQuerySchema, listeningStatsSchema, yearParamSchema, yearRecapSchema } from '../listening-schemas.js';
import { listPlaylists, readPlaylist } from '../../library/playlists.js';
import { listSavedTracks } from '../../library/saved-tracks.js';
import { listCollection, type CollectionName } from '../../library/collections.js';
import { requireApiToken } from '../auth.js';
import { errorResponse } from '../errors.js';
import {
  accountOnlyQuerySchema,
  albumDetailsSchema,
  artistDetailsSchema,
  historyStatsSchema,
  idParamSchema,
  pageQuerySchema,
  playlistPageSchema,
  playlistsPageSchema,
  playlistsQuerySchema,
  playsPageSchema,
  playsQuerySchema,
  savedTracksPageSchema,
  savedTracksQuerySchema,
  statsQuerySchema,
  collectionQuerySchema,
  savedAlbumsPageSchema,
  followedArtistsPageSchema,
  savedShowsPageSchema,
  savedEpisodesPageSchema,
  savedAudiobooksPageSchema,
} from '../library-schemas.js';
import { resolveReadAccount } from '../resolve-account.js';
import { newRouter, type RouteDeps } from '../router.js';

const commonErrors = {
  400: errorResponse('A bad query parameter (named in the message), a malformed cursor, or several accounts and none named'),
  401: errorResponse('No session or token, or a wrong, revoked or ended one (when API_TOKEN is set, or once a household signed in)'),
};

const ok = <T extends z.ZodType>(schema: T) => ({ description: 'OK', content: { 'application/json': { schema } } });

/** `/api/library` and `/api/history`: JSON read from Postgres only. */
export function libraryRoutes(deps: RouteDeps) {
  const { db, config, now } = deps;
  const apiToken = config.apiToken;
  const router = newRouter();
  const base = {
    method: 'get' as const,
    security: [{ bearerAuth: [] }, { signInCookie: [] }] as Record<string, string[]>[],
    middleware: requireApiToken(apiToken),
  };

  router.openapi(
    createRoute({
      ...base,
      path: '/library/tracks',
      tags: ['library'],
      summary: 'Saved tracks: search, filters, sort and cursor pagination',
      request: { query: savedTracksQuerySchema },
      responses: { 200: ok(savedTracksPageSchema), ...commonErrors, 404: errorResponse('Unknown account or playlist') },
    }),
    async (c) => {
      const { accountId, ...query } = c.req.valid('query');
      return c.json(await listSavedTracks(db, await resolveReadAccount(db, accountId), query), 200);
    },
  );

  // The whole library: one route per collection, newest save first.
  const collections: [CollectionName, string, z.ZodType][] = [
    ['saved-albums', 'Saved albums, each with its first page of tracks', savedAlbumsPageSchema],
    ['followed-artists', 'Followed artists (followed at: when the sync first saw it)', followedArtistsPageSchema],
    ['shows', 'Saved podcast shows, each with its saved episodes', savedShowsPageSchema],
    ['episodes', 'Saved podcast episodes', savedEpisodesPageSchema],
    ['audiobooks', 'Saved audiobooks', savedAudiobooksPageSchema],
  ];
  for (const [name, summary, schema] of collections) {
    router.openapi(
      createRoute({
        ...base,
        path: `/library/${name}`,
        tags: ['library'],
        summary: `${summary}: search, removed and cursor pagination`,
        request: { query: collectionQuerySchema },
        responses: { 200: ok(schema), ...commonErrors, 404: errorResponse('Unknown account') },
      }),
      async (c) => {
        const { accountId, ...query } = c.req.valid('query');
        return c.json(await listCollection(db, await resolveReadAccount(db, accountId), name, query), 200);
      },
    );
  }

  router.openapi(
    createRoute({
      ...base,
      path: '/library/artists/{id}',
      tags: ['library'],
      summary: 'An artist, whether its details are synced, and the account’s tracks by it',
      request: { query: accountOnlyQuerySchema, params: idParamSchema('artist') },
      responses: { 200: ok(artistDetailsSchema), ...commonErrors, 404: errorResponse('Unknown account or artist') },
    }),
    async (c) => {
      const accountId = await resolveReadAccount(db, c.req.valid('query').accountId);
      return c.json(await readArtist(db, accountId, c.req.valid('param').id), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      path: '/library/albums/{id}',
      tags: ['library'],
      summary: 'An album, whether its details are synced, and the account’s tracks on it',
      request: { query: accountOnlyQuerySchema, params: idParamSchema('album') },
      responses: { 200: ok(albumDetailsSchema), ...commonErrors, 404: errorResponse('Unknown account or album') },
    }),
    async (c) => {
      const accountId = await resolveReadAccount(db, c.req.valid('query').accountId);
      return c.json(await readAlbum(db, accountId, c.req.valid('param').id), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      path: '/library/playlists',
      tags: ['library'],
      summary: 'Playlists (owned, collaborative, followed), in the account’s order; removed ones only when asked',
      request: { query: playlistsQuerySchema },
      responses: { 200: ok(playlistsPageSchema), ...commonErrors, 404: errorResponse('Unknown account') },
    }),
    async (c) => {
      const { accountId, ...query } = c.req.valid('query');
      return c.json(await listPlaylists(db, await resolveReadAccount(db, accountId), query), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      path: '/library/playlists/{id}',
      tags: ['library'],
      summary: 'One playlist with a page of its items in order (its last known items if deleted on Spotify)',
      request: { query: pageQuerySchema, params: idParamSchema('playlist') },
      responses: { 200: ok(playlistPageSchema), ...commonErrors, 404: errorResponse('Unknown account or playlist') },
    }),
    async (c) => {
      const { accountId, ...query } = c.req.valid('query');
      return c.json(await readPlaylist(db, await resolveReadAccount(db, accountId), c.req.valid('param').id, query), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      path: '/history/plays',
      tags: ['history'],
      summary: 'Plays, newest first',
      request: { query: playsQuerySchema },
      responses: { 200: ok(playsPageSchema), ...commonErrors, 404: errorResponse('Unknown account') },
    }),
    async (c) => {
      const { accountId, includeShort, ...query } = c.req.valid('query');
      return c.json(await listPlays(db, await resolveReadAccount(db, accountId), { ...query, includeShort: includeShort ?? false }), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      path: '/history/stats',
      tags: ['history'],
      summary: 'Minutes listened per day, week or month (UTC), top tracks and artists, and recorded gaps; default the last 365 days',
      request: { query: statsQuerySchema },
      responses: { 200: ok(historyStatsSchema), ...commonErrors, 404: errorResponse('Unknown account') },
    }),
    async (c) => {
      const { accountId, includeShort, ...query } = c.req.valid('query');
      return c.json(await readHistoryStats(db, await resolveReadAccount(db, accountId), { ...query, includeShort: includeShort ?? false }, now()), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      path: '/history/listening',
      tags: ['history'],
      summary: 'Top albums, plays by weekday and hour (UTC), streaks, artists heard first per month, and the saved tracks never played; default the last 365 days',
      request: { query: listeningQuerySchema },
      responses: { 200: ok(listeningStatsSchema), ...commonErrors, 404: errorResponse('Unknown account') },
    }),
    async (c) => {
      const { accountId, includeShort, top, ...query } = c.req.valid('query');
      const account = await resolveReadAccount(db, accountId);
      const to = query.to ?? now().toISOString().slice(0, 10);
      const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
      const span = await readHistorySpan(db, account);
      const allTime = span.first === null || (from <= span.first && to >= (span.last ?? to));
      return c.json(await readListeningStats(db, account, { ...query, from, to, includeShort: includeShort ?? false, allTime }, top), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      path: '/history/years/{year}',
      tags: ['history'],
      summary: 'A calendar year (UTC) recapped: minutes, top tracks, artists, albums and genres, the busiest month and day, artists discovered, the longest streak',
      request: { params: yearParamSchema, query: accountOnlyQuerySchema },
      responses: { 200: ok(yearRecapSchema), ...commonErrors, 404: errorResponse('Unknown account') },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const { accountId } = c.req.valid('query');
      return c.json(await readYearRecap(db, await resolveReadAccount(db, accountId), year), 200);
    },
  );

  return router;
}
