import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ZodType } from 'zod';
import { InvalidInputError } from '../../errors.js';
import { readAlbum, readArtist } from '../../library/catalog-entities.js';
import { readTrack } from '../../library/track-details.js';
import { TrackPage } from '../pages/track-page.js';
import { fittingBucket, listPlays, readHistorySpan, readHistoryStats } from '../../library/history.js';
import { readEntityListening, readListeningStats } from '../../library/listening-stats.js';
import { readYearRecap } from '../../library/year-recap.js';
import { listPlaylistChoices, listPlaylists, readPlaylist } from '../../library/playlists.js';
import { listSavedTracks } from '../../library/saved-tracks.js';
import { encodeCursor } from '../../library/cursor.js';
import { requireApiToken } from '../auth.js';
import { describeValidationError, toApiError } from '../errors.js';
import { CollectionPage, collectionPages } from '../pages/collection-pages.js';
import { listCollection } from '../../library/collections.js';
import { collectionQuerySchema, accountOnlyQuerySchema, historyPageQuerySchema, pageQuerySchema, playlistsQuerySchema, savedTracksQuerySchema } from '../library-schemas.js';
import { AlbumPage, ArtistPage } from '../pages/catalog-pages.js';
import { yearParamSchema } from '../listening-schemas.js';
import { HistoryPage } from '../pages/history-page.js';
import { YearPage } from '../pages/year-page.js';
import { type AccountChoice, MessagePage, type PageContext, type Section } from '../pages/layout.js';
import { libraryCss } from '../pages/library.css.js';
import { LibraryPage } from '../pages/library-page.js';
import { PlaylistPage, PlaylistsPage } from '../pages/playlist-pages.js';
import { ChangesPage, type EntryNames, PlaylistHistoryPage } from '../pages/time-machine-pages.js';
import { diffVersions, listChanges, listVersions, readVersion } from '../../library/time-machine.js';
import { planRestore } from '../../restores/restores.js';
import { changesQuerySchema } from '../time-machine-schemas.js';
import { newRouter, type RouteDeps } from '../router.js';
import { pageContext, sendPage as send } from './page-response.js';

const htmlPage = (summary: string, path: string) =>
  createRoute({
    method: 'get',
    path,
    tags: ['pages'],
    summary,
    description: 'Takes the query parameters of the JSON route behind it. With API_TOKEN set, without the token it redirects to /sign-in.',
    // The OpenAPI description must name the path parameter the path carries.
    // Checked by the handler, which answers a bad year with an HTML page.
    ...(path.includes('{year}') && { request: { params: z.object({ year: z.string().openapi({ param: { name: 'year', in: 'path' }, example: '2026' }) }) } }),
    ...(path.includes('{id}') && {
      request: {
        params: z.object({
          id: z
            .string()
            .min(1)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
    }),
    responses: {
      200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
      303: { description: 'To /sign-in (API_TOKEN set, no token)' },
      400: { description: 'A bad query parameter (HTML page saying which)', content: { 'text/html': { schema: z.string() } } },
      404: { description: 'Unknown account or entity (HTML page)', content: { 'text/html': { schema: z.string() } } },
    },
  });

/** `/library`, `/tracks/:id`, `/artists/:id`, `/albums/:id`, `/playlists`, `/playlists/:id`, `/history`, and their stylesheet. */
export function libraryPageRoutes(deps: RouteDeps) {
  const { db, config, now } = deps;
  const router = newRouter();
  const gate = requireApiToken(config.apiToken, { onRefused: 'sign-in' });
  for (const path of ['/library', '/library/*', '/tracks/*', '/artists/*', '/albums/*', '/playlists', '/playlists/*', '/history', '/year/*']) router.use(path, gate);

  router.get('/assets/library.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(libraryCss, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  /**
   * Validates the query with the JSON route's schema and renders; a bad parameter or an error meant
   * for the caller (toApiError: unknown id, malformed cursor) becomes an HTML page with the same
   * status and message.
   */
  function page<S extends ZodType<{ accountId?: string }>>(
    schema: S,
    section: Section,
    render: (ctx: PageContext & { account: AccountChoice }, query: z.infer<S>, c: Context) => Promise<JSX.Element>,
  ) {
    return async (c: Context) => {
      const raw = c.req.query();
      const parsed = schema.safeParse(raw);
      let ctx: PageContext = { account: null, accounts: [], path: c.req.path };
      try {
        ctx = await pageContext(db, c, parsed.success ? parsed.data.accountId : typeof raw.accountId === 'string' ? raw.accountId : undefined);
        if (!parsed.success) {
          return send(c, <MessagePage title="Not a valid request" message={describeValidationError('query', parsed.error as never)} ctx={ctx} active={section} />, 400);
        }
        if (!ctx.account) {
          return send(
            c,
            <MessagePage
              title="No account yet"
              message="No account is connected yet: log in with Spotify at /auth/login, or run npm run cli -- connect."
              ctx={ctx}
              active={section}
            />,
            200,
          );
        }
        return send(c, await render(ctx as PageContext & { account: AccountChoice }, parsed.data, c));
      } catch (error) {
        const callers = toApiError(error);
        if (callers && callers.status < 500) {
          return send(c, <MessagePage title={callers.status === 404 ? 'Not found' : 'Not a valid request'} message={callers.message} ctx={ctx} active={section} />, callers.status);
        }
        throw error;
      }
    };
  }

  const formOf = (c: Context) => Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
  // Empty form fields mean "any": drop them before validation.
  const nonEmpty = <S extends ZodType>(schema: S) => z.preprocess((q) => Object.fromEntries(Object.entries(q as Record<string, string>).filter(([, v]) => v !== '')), schema);

  router.openapi(
    htmlPage('Saved tracks: search, filters, sort, pages; links to the CSV export', '/library'),
    page(nonEmpty(savedTracksQuerySchema), 'library', async (ctx, query, c) => {
      const { accountId: _, ...q } = query;
      const [result, playlists] = await Promise.all([listSavedTracks(db, ctx.account.accountId, q), listPlaylistChoices(db, ctx.account.accountId)]);
      return <LibraryPage ctx={ctx} form={formOf(c)} query={q} result={result} playlists={playlists} />;
    }) as never,
  );

  for (const [slug, { collection, title }] of Object.entries(collectionPages)) {
    const path = `/library/${slug}`;
    router.openapi(
      htmlPage(`${title}: the whole library, newest first`, path),
      page(nonEmpty(collectionQuerySchema), 'library', async (ctx, query) => {
        const { accountId: _, ...q } = query;
        const result = await listCollection(db, ctx.account.accountId, collection, q);
        // Podcasts: the saved shows with their saved episodes, and saved episodes of other shows.
        const episodes = collection === 'shows' ? await listCollection(db, ctx.account.accountId, 'episodes', { removed: 'false', limit: 200 }) : undefined;
        return <CollectionPage ctx={ctx} path={path} title={title} collection={collection} result={result} episodes={episodes} filter={{ q: q.q, removed: q.removed }} />;
      }) as never,
    );
  }

  router.openapi(
    htmlPage('A track: your plays of it over time, first and last play, the playlists holding it, when you saved it', '/tracks/{id}'),
    page(accountOnlyQuerySchema, 'library', async (ctx, _query, c) => <TrackPage ctx={ctx} details={await readTrack(db, ctx.account.accountId, c.req.param('id')!)} />) as never,
  );

  router.openapi(
    htmlPage('An artist and your tracks by it', '/artists/{id}'),
    page(accountOnlyQuerySchema, 'library', async (ctx, _query, c) => {
      const id = c.req.param('id')!;
      const [artist, listening] = await Promise.all([readArtist(db, ctx.account.accountId, id), readEntityListening(db, ctx.account.accountId, { artistId: id })]);
      return <ArtistPage ctx={ctx} artist={artist} listening={listening} />;
    }) as never,
  );

  router.openapi(
    htmlPage('An album and your tracks on it', '/albums/{id}'),
    page(accountOnlyQuerySchema, 'library', async (ctx, _query, c) => {
      const id = c.req.param('id')!;
      const [album, listening] = await Promise.all([readAlbum(db, ctx.account.accountId, id), readEntityListening(db, ctx.account.accountId, { albumId: id })]);
      return <AlbumPage ctx={ctx} album={album} listening={listening} />;
    }) as never,
  );

  router.openapi(
    htmlPage('Playlists: yours, collaborative and followed; deleted ones on request', '/playlists'),
    page(nonEmpty(playlistsQuerySchema), 'playlists', async (ctx, query) => {
      const result = await listPlaylists(db, ctx.account.accountId, { removed: query.removed, limit: query.limit, cursor: query.cursor });
      return <PlaylistsPage ctx={ctx} playlists={result.items} removed={query.removed} nextCursor={result.nextCursor} />;
    }) as never,
  );

  router.openapi(
    htmlPage('One playlist with its items in order', '/playlists/{id}'),
    page(nonEmpty(pageQuerySchema), 'playlists', async (ctx, query, c) => {
      const limit = query.limit === 50 ? 100 : query.limit;
      const result = await readPlaylist(db, ctx.account.accountId, c.req.param('id')!, { limit, cursor: query.cursor });
      // Items are kept at their positions, so the page before this one starts `limit` positions back.
      const firstPosition = result.items[0]?.position;
      const previous =
        query.cursor === undefined || firstPosition === undefined
          ? undefined
          : { cursor: firstPosition - limit > 0 ? encodeCursor('items', { key: null, id: String(firstPosition - limit - 1) }) : undefined };
      return (
        <PlaylistPage
          ctx={ctx}
          playlist={result.playlist}
          items={result.items}
          paging={{ nextCursor: result.nextCursor, previous, total: result.total, limit: query.limit === 50 ? undefined : String(query.limit) }}
        />
      );
    }) as never,
  );

  const historyQuery = z.object({
    accountId: accountOnlyQuerySchema.shape.accountId,
    from: z.coerce.number().int().min(1).optional(),
    to: z.coerce.number().int().min(1).optional(),
    version: z.coerce.number().int().min(1).optional(),
  });
  router.openapi(
    htmlPage('A playlist’s history: its versions on a timeline, the diff between any two, the playlist as it was and the plan to restore it', '/playlists/{id}/history'),
    page(nonEmpty(historyQuery), 'playlists', async (ctx, query, c) => {
      const accountId = ctx.account.accountId;
      const id = c.req.param('id')!;
      const versions = (await listVersions(db, accountId, id, { limit: 200 })).items;
      const diff = query.from && query.to && query.from !== query.to ? await diffVersions(db, accountId, id, query.from, query.to) : null;
      // The diff names entries by uri; the two versions stored their titles and artists.
      const diffNames: EntryNames = new Map();
      if (diff) {
        for (const v of await Promise.all([query.from!, query.to!].map((n) => readVersion(db, accountId, id, n, { limit: 100_000 })))) {
          for (const e of v.entries) if (e.uri !== null && !diffNames.has(e.uri)) diffNames.set(e.uri, { name: e.name, artists: e.artists });
        }
      }
      const version = query.version ? await readVersion(db, accountId, id, query.version, { limit: 200 }) : null;
      const plan =
        version && version.event === 'version'
          ? await planRestore(db, accountId, { kind: 'playlist', playlistId: id, version: version.version }).then(
              (p) => p.plan,
              () => null,
            )
          : null;
      return <PlaylistHistoryPage ctx={ctx} playlistId={id} versions={versions} diff={diff} diffNames={diffNames} version={version} plan={plan} />;
    }) as never,
  );

  router.openapi(
    htmlPage('The change log of the library: saves, removals, follows, playlist edits and deletions, with filters', '/library/changes'),
    page(nonEmpty(changesQuerySchema), 'library', async (ctx, query) => {
      const { accountId: _accountId, ...filters } = query;
      const result = await listChanges(db, ctx.account.accountId, filters);
      const shown = Object.fromEntries(Object.entries({ kind: query.kind, change: query.change, from: query.from, to: query.to }).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >;
      return <ChangesPage ctx={ctx} changes={result.items} nextCursor={result.nextCursor} filters={shown} />;
    }) as never,
  );

  router.openapi(
    htmlPage('Listening history: minutes per day as a chart, top tracks and artists, gaps, the plays', '/history'),
    page(nonEmpty(historyPageQuerySchema), 'history', async (ctx, query, c) => {
      const includeShort = query.includeShort ?? false;
      const accountId = ctx.account.accountId;
      // Opens on the last year, or on the whole history when it spans more (an import brings years of it).
      const span = await readHistorySpan(db, accountId);
      const to = query.to ?? now().toISOString().slice(0, 10);
      const yearBack = new Date(Date.parse(to) - 364 * 86_400_000).toISOString().slice(0, 10);
      const from = query.from ?? (span.first !== null && span.first < yearBack && query.to === undefined ? span.first : yearBack);
      const bucket = fittingBucket(from, to, query.bucket);
      const allTime = span.first === null || (from <= span.first && to >= (span.last ?? to));
      const [stats, listening, plays] = await Promise.all([
        readHistoryStats(db, accountId, { from, to, source: query.source, includeShort, bucket, top: query.top }, now(), span),
        readListeningStats(db, accountId, { from, to, source: query.source, includeShort, allTime }, query.top),
        listPlays(db, accountId, { from: query.from, to: query.to, source: query.source, includeShort, limit: query.limit, cursor: query.cursor }),
      ]);
      return <HistoryPage ctx={ctx} form={formOf(c)} stats={stats} listening={listening} plays={plays} span={span} askedBucket={query.bucket} />;
    }) as never,
  );

  router.openapi(
    htmlPage('Your year: minutes, top tracks, artists, albums and genres, the busiest month and day, artists discovered, the longest streak', '/year/{year}'),
    page(accountOnlyQuerySchema, 'history', async (ctx, _query, c) => {
      const year = yearParamSchema.safeParse({ year: c.req.param('year') });
      if (!year.success) throw new InvalidInputError('invalid_year', 'The year must have four digits, from 1970 to 2999, as in /year/2026.');
      return <YearPage ctx={ctx} recap={await readYearRecap(db, ctx.account.accountId, year.data.year)} />;
    }) as never,
  );

  return router;
}
