import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isDemoApp } from '../../spotify/accounts.js';
import { apiBaseUrl } from '../../spotify/client.js';
import type { StartedHistoryImport } from '../../history-import/start-history-import.js';
import { readHistoryImport, type HistoryImportSummary } from '../../status/read-history-import.js';
import { historyImportPhases, historyImportStates } from '../../../workflows/contract.js';
import { requireApiToken } from '../auth.js';
import { ApiError, errorResponse } from '../errors.js';
import { ImportFormPage, ImportProgressPage } from '../pages/history-import-pages.js';
import type { PageContext } from '../pages/layout.js';
import { newRouter, type RouteDeps } from '../router.js';
import { requireReachable } from '../resolve-account.js';
import { startImportFromUpload, startImportOfFiles, uploadDir } from '../start-upload-import.js';
import { pageContext, sendPage } from './page-response.js';

const importIdParam = z.object({ importId: z.string().uuid().openapi({ description: 'as answered by POST /api/history/imports' }) });

export const historyImportSchema = z
  .object({
    importId: z.string(),
    accountId: z.string(),
    state: z.enum(historyImportStates),
    phase: z.enum(historyImportPhases),
    files: z.object({
      done: z.number().int(),
      total: z.number().int(),
      list: z.array(z.object({ name: z.string(), kind: z.string(), entries: z.number().int().nullable(), done: z.number().int(), plays: z.number().int(), complete: z.boolean() })),
    }),
    ignored: z.array(z.string()).openapi({ description: 'files of the export holding no plays' }),
    plays: z.number().int().openapi({ description: 'plays this import stored' }),
    duplicates: z.number().int().openapi({ description: 'entries already stored: polled, or imported before' }),
    skipped: z.number().int().openapi({ description: 'entries that are not plays (naming no track, episode or audiobook)' }),
    refused: z.number().int().openapi({
      description: 'entries refused alone, their values out of any range (a NUL byte in a name, a length of play or offline time no play can have); the import goes on',
    }),
    refusedReasons: z.array(z.string()).openapi({ description: 'the first 20 refusals: "file, entry N: reason" (never the entry itself)' }),
    unresolved: z.number().int().openapi({ description: 'track plays no catalog track matches; kept with their names' }),
    resolved: z.number().int(),
    apiCalls: z.number().int().openapi({ description: 'Spotify calls spent looking up tracks' }),
    entries: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
    error: z.string().nullable(),
    filesDeletedAt: z.string().nullable().openapi({ description: 'when the uploaded files were deleted (once the import has read them, or ended)' }),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi('HistoryImport') satisfies z.ZodType<HistoryImportSummary>;

const startedSchema = z
  .object({
    importId: z.string(),
    workflowId: z.string(),
    files: z.array(z.object({ name: z.string(), kind: z.string(), sizeBytes: z.number() })),
    ignored: z.array(z.string()),
  })
  .openapi('HistoryImportStarted') satisfies z.ZodType<StartedHistoryImport>;

const createImportRoute = (apiToken: string | undefined) =>
  createRoute({
    method: 'post',
    path: '/',
    tags: ['history'],
    summary: 'Import Spotify data-export files (multipart upload, field `file`, one or more; optional field `accountId`)',
    description:
      'The zip Spotify sent, or its JSON files (`Streaming_History_Audio_*.json`, `endsong_*.json`, `Streaming_History_Video_*.json`, ' +
      '`StreamingHistory_music_*.json`, `StreamingHistory_podcast_*.json`). Streamed to disk, never held in memory. Starts ' +
      '`historyImportWorkflow`; follow it at GET /api/history/imports/{importId}.',
    security: [{ bearerAuth: [] }],
    middleware: [requireApiToken(apiToken)] as const,
    responses: {
      202: { description: 'The import started', content: { 'application/json': { schema: startedSchema } } },
      400: errorResponse('No file in the upload, an unreadable upload (a zip whose entry names hold a NUL byte or another control character), or several accounts and none named'),
      401: errorResponse('No session or token, or a wrong, revoked or ended one (when API_TOKEN is set, or once a household signed in)'),
      404: errorResponse('Unknown account, or no account connected yet'),
      415: errorResponse('Not multipart/form-data'),
      422: errorResponse('Not an export: not a zip or JSON, paths outside the zip, a zip bomb, no streaming history, or another account’s export'),
      503: errorResponse('Temporal is not reachable'),
    },
  });

const getImportRoute = (apiToken: string | undefined) =>
  createRoute({
    method: 'get',
    path: '/{importId}',
    tags: ['history'],
    summary: 'Progress of a history import, from Postgres only',
    security: [{ bearerAuth: [] }],
    middleware: [requireApiToken(apiToken)] as const,
    request: { params: importIdParam },
    responses: {
      200: { description: 'The import', content: { 'application/json': { schema: historyImportSchema } } },
      400: errorResponse('Malformed import id'),
      401: errorResponse('No session or token, or a wrong, revoked or ended one (when API_TOKEN is set, or once a household signed in)'),
      404: errorResponse('No such import'),
    },
  });

const notFound = (importId: string) => new ApiError(404, 'unknown_import', `No history import with id "${importId}"`);

/** `/api/history/imports`: start an import (upload) and follow it. */
export function historyImportRoutes(deps: RouteDeps) {
  const router = newRouter();
  router.openapi(createImportRoute(deps.config.apiToken), async (c) => {
    const started = await startImportFromUpload(deps, c.req.raw, { accountId: c.req.query('accountId') });
    return c.json(started, 202);
  });
  router.openapi(getImportRoute(deps.config.apiToken), async (c) => {
    const { importId } = c.req.valid('param');
    const summary = await readHistoryImport(deps.db, importId);
    if (!summary) throw notFound(importId);
    // Another person's import is as unknown as one that never was.
    await requireReachable(summary.accountId, 'read', () => notFound(importId));
    return c.json(summary, 200);
  });
  return router;
}

const reachable = (accountId: string) =>
  requireReachable(accountId, 'read', () => new Error('unreachable')).then(
    () => true,
    () => false,
  );

/** The pages: `/history/import` (upload form, demo export), `/history/import/{importId}` (progress). */
export function historyImportPages(deps: RouteDeps) {
  const router = newRouter();
  // With API_TOKEN set, like every page: the bearer header or the sign-in form's cookie.
  const gate = requireApiToken(deps.config.apiToken, { onRefused: 'sign-in' });
  for (const path of ['/history/import', '/history/import/*']) router.use(path, gate);
  /** The form, saying why when something was refused; an unknown account named is a 404 showing the first account's form. */
  const formPage = async (c: Context, status: ContentfulStatusCode, error?: string) => {
    let ctx: PageContext;
    try {
      ctx = await pageContext(deps.db, c, c.req.query('accountId'));
    } catch (refused) {
      if (!(refused instanceof ApiError)) throw refused;
      ctx = await pageContext(deps.db, c, undefined);
      [status, error] = [404, error ?? refused.message];
    }
    // The account shown's earlier imports (the page's account switcher chooses another).
    const rows = ctx.account ? await deps.db('history_imports').where({ account_id: ctx.account.accountId }).orderBy('created_at', 'desc').limit(10).pluck('id') : [];
    const recent = (await Promise.all(rows.map((id) => readHistoryImport(deps.db, id)))).filter((r) => r !== null);
    return sendPage(c, <ImportFormPage ctx={ctx} demo={isDemoApp(deps.config.spotify)} error={error} recent={recent} />, status);
  };
  const failure = async (c: Context, error: unknown) => {
    if (!(error instanceof ApiError)) throw error;
    return formPage(c, error.status as ContentfulStatusCode, error.message);
  };

  router.get('/history/import', async (c) => formPage(c, 200));
  router.post('/history/import', async (c) => {
    try {
      const started = await startImportFromUpload(deps, c.req.raw, { accountId: c.req.query('accountId') });
      return c.redirect(`/history/import/${started.importId}`, 303);
    } catch (error) {
      return failure(c, error);
    }
  });
  router.post('/history/import/demo', async (c) => {
    try {
      // In demo mode the Spotify API is the simulator, which hands out its demo user's exports.
      if (!isDemoApp(deps.config.spotify)) throw new ApiError(404, 'not_demo', 'The demo export exists only in demo mode (no SPOTIFY_CLIENT_ID, the simulator as Spotify)');
      const dir = await uploadDir(deps);
      await mkdir(dir, { recursive: true });
      const paths: string[] = [];
      for (const which of ['extended', 'account']) {
        const res = await fetch(`${apiBaseUrl(deps.config.spotify.apiUrl)}/_sim/export/${which}.zip`);
        if (!res.ok) throw new ApiError(502, 'simulator_unavailable', `The simulator did not hand out its export (${res.status})`);
        const path = join(dir, `my_spotify_data_${which}.zip`);
        await writeFile(path, Buffer.from(await res.arrayBuffer()));
        paths.push(path);
      }
      const started = await startImportOfFiles(deps, { accountId: c.req.query('accountId'), paths, dir, discard: () => rm(dir, { recursive: true, force: true }) });
      return c.redirect(`/history/import/${started.importId}`, 303);
    } catch (error) {
      return failure(c, error);
    }
  });
  router.get('/history/import/:importId', async (c) => {
    const importId = c.req.param('importId');
    const found = /^[0-9a-f-]{36}$/.test(importId) ? await readHistoryImport(deps.db, importId) : null;
    const summary = found && (await reachable(found.accountId)) ? found : null;
    if (!summary) return formPage(c, 404, `No history import with id "${importId}"`);
    return sendPage(c, <ImportProgressPage ctx={await pageContext(deps.db, c, summary.accountId)} summary={summary} />);
  });
  return router;
}
