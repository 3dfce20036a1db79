import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { backupJson } from '../../export/backup.js';
import { collectionCsv, collectionFiles } from '../../export/collections-csv.js';
import { chosenSavedTracksCsv, historyCsv, playlistCsv, savedTracksCsv } from '../../export/exportify-csv.js';
import { collectionNames } from '../../library/collections.js';
import { listSavedTracks } from '../../library/saved-tracks.js';
import { readPlaylistSummary } from '../../library/playlists.js';
import { requireApiToken } from '../auth.js';
import { errorResponse } from '../errors.js';
import type { Logger } from '../logger.js';
import { accountOnlyQuerySchema, collectionExportQuerySchema, savedExportQuerySchema } from '../library-schemas.js';
import { resolveReadAccount } from '../resolve-account.js';
import { newRouter, type RouteDeps } from '../router.js';

const playlistFileSchema = z.object({
  file: z
    .string()
    .max(260, 'must be at most 260 characters')
    .regex(/^[^/]+\.csv$/, 'must be <playlist id>.csv')
    .refine((f) => !f.includes('\u0000'), 'must not contain NUL bytes')
    .transform((f) => f.slice(0, -'.csv'.length))
    .openapi({ param: { name: 'file', in: 'path' }, description: 'The playlist id followed by .csv', example: '37i9dQZF1DXcBWIGoYBM5M.csv' }),
});

const errors = {
  400: errorResponse('A bad query parameter, or several accounts and none named'),
  401: errorResponse('No session or token, or a wrong, revoked or ended one (when API_TOKEN is set, or once a household signed in)'),
  404: errorResponse('Unknown account or playlist'),
};

/** A safe file name for Content-Disposition: letters, digits and a few separators. */
const fileName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'export';

/**
 * Streams chunks to the client as they are produced; if the client goes away the generator is
 * returned, which ends its Postgres query stream.
 */
function streamed(c: Context, logger: Logger, contentType: string, name: string, chunks: () => AsyncGenerator<string>) {
  c.header('Content-Type', contentType);
  c.header('Content-Disposition', `attachment; filename="${fileName(name)}"`);
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  return stream(
    c,
    async (s) => {
      const generator = chunks();
      s.onAbort(() => {
        void generator.return(undefined);
      });
      try {
        for await (const chunk of generator) {
          if (s.aborted) break;
          await s.write(chunk);
        }
      } catch (error) {
        // A write that failed because the client went away (or a HEAD's body cancelled) is no failure.
        if (!s.aborted) throw error;
      }
    },
    async (error) => logger.warn('an export stopped before its end', { path: c.req.path, error: error.message }),
  );
}

/** `/api/export`: CSV (exportify's columns) and the JSON backup, streamed. */
export function exportRoutes(deps: RouteDeps) {
  const { db, config, now, logger } = deps;
  const router = newRouter();
  const base = {
    method: 'get' as const,
    tags: ['export'],
    security: [{ bearerAuth: [] }, { signInCookie: [] }] as Record<string, string[]>[],
    middleware: requireApiToken(config.apiToken),
  };
  const csv = (description: string) => ({ description, content: { 'text/csv': { schema: z.string() } } });

  router.openapi(
    createRoute({
      ...base,
      path: '/saved.csv',
      summary: 'Saved tracks (not removed), newest first, with exportify’s columns; with the library’s filters, the tracks they choose',
      request: { query: savedExportQuerySchema },
      responses: { 200: csv('CSV, every field quoted'), ...errors },
    }),
    async (c) => {
      const { accountId: named, ...filters } = c.req.valid('query');
      const accountId = await resolveReadAccount(db, named);
      const filtered = Object.entries(filters).some(([k, v]) => v !== undefined && !(k === 'removed' && v === 'false'));
      if (!filtered) return streamed(c, logger, 'text/csv; charset=utf-8', 'Liked_Songs.csv', () => savedTracksCsv(db, accountId));
      // A filtered list (the library page's "Export these tracks"): its tracks page by page, in the list's order.
      if (filters.playlistId !== undefined) await listSavedTracks(db, accountId, { ...filters, sort: 'added', limit: 1 });
      async function* idPages() {
        let cursor: string | undefined;
        do {
          const page = await listSavedTracks(db, accountId, { ...filters, sort: 'added', limit: 200, cursor });
          yield page.items.map((t) => t.id);
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
      }
      return streamed(c, logger, 'text/csv; charset=utf-8', 'Saved_tracks_filtered.csv', () => chosenSavedTracksCsv(db, accountId, idPages));
    },
  );

  router.openapi(
    createRoute({
      ...base,
      path: '/playlists/{file}',
      summary: 'One playlist’s stored items in order, with exportify’s columns',
      request: { query: accountOnlyQuerySchema, params: playlistFileSchema },
      responses: { 200: csv('CSV, every field quoted'), ...errors },
    }),
    async (c) => {
      const accountId = await resolveReadAccount(db, c.req.valid('query').accountId);
      const playlist = await readPlaylistSummary(db, accountId, c.req.valid('param').file);
      return streamed(c, logger, 'text/csv; charset=utf-8', `${playlist.name}.csv`, () => playlistCsv(db, accountId, playlist.id));
    },
  );

  router.openapi(
    createRoute({
      ...base,
      path: '/history.csv',
      summary: 'Every play, oldest first',
      request: { query: accountOnlyQuerySchema },
      responses: { 200: csv('CSV, every field quoted'), ...errors },
    }),
    async (c) => {
      const accountId = await resolveReadAccount(db, c.req.valid('query').accountId);
      return streamed(c, logger, 'text/csv; charset=utf-8', 'history.csv', () => historyCsv(db, accountId));
    },
  );

  const collectionSummaries: Record<(typeof collectionNames)[number], string> = {
    'saved-albums': 'Saved albums',
    'followed-artists': 'Followed artists (Added At: when the sync first saw the follow; Spotify gives no date)',
    shows: 'Saved podcast shows',
    episodes: 'Saved podcast episodes, with their show',
    audiobooks: 'Saved audiobooks',
  };
  for (const name of collectionNames) {
    const file = collectionFiles[name];
    router.openapi(
      createRoute({
        ...base,
        path: `/${name}.csv`,
        summary: `${collectionSummaries[name]}, newest first, as on /api/library/${name}: those there now, or as \`removed\` and \`q\` choose`,
        description: `Columns: ${file.columns.map((c) => `\`${c}\``).join(', ')} (exportify’s names where one applies; see docs/exports.md).`,
        request: { query: collectionExportQuerySchema },
        responses: { 200: csv('CSV, every field quoted'), ...errors },
      }),
      async (c) => {
        const { accountId: named, ...filter } = c.req.valid('query');
        const accountId = await resolveReadAccount(db, named);
        return streamed(c, logger, 'text/csv; charset=utf-8', file.fileName, () => collectionCsv(db, accountId, name, filter));
      },
    );
  }

  router.openapi(
    createRoute({
      ...base,
      path: '/backup.json',
      summary: 'The versioned JSON backup of one account (formatVersion 1; see docs/exports.md); restore with import-backup',
      request: { query: accountOnlyQuerySchema },
      responses: { 200: { description: 'JSON', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } }, ...errors },
    }),
    async (c) => {
      const accountId = await resolveReadAccount(db, c.req.valid('query').accountId);
      // A streamed body, not c.json(): the typed-response check cannot see it is JSON.
      return streamed(c, logger, 'application/json; charset=utf-8', `spotify-sync-backup-${accountId}.json`, () => backupJson(db, accountId, now())) as never;
    },
  );

  return router;
}
