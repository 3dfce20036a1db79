import { z } from '@hono/zod-openapi';
import type { AlbumDetails, ArtistDetails } from '../library/catalog-entities.js';
import type { Page } from '../library/cursor.js';
import { DAILY_BUCKET_MAX_DAYS, playSources, type HistoryStats, type Play } from '../library/history.js';
import type { PlaylistPage, PlaylistSummary } from '../library/playlists.js';
import { savedTrackSorts, type SavedTracksPage } from '../library/saved-tracks.js';
import type { TrackView } from '../library/track-view.js';
import { idPattern, safeText, trimmedIdPattern } from './safe-text.js';
import { accountIdSchema } from './schemas.js';

/** Inputs and outputs of the library, history and export routes (DESIGN.md, "Library, history and exports"). */

// Text inputs are built from safeText (src/api/safe-text.ts), the one check of what Postgres can hold.
const idParam = (what: string) =>
  safeText({ max: 256, min: 1 }).openapi({
    description: `Spotify id of the ${what}`,
    example: '4uLU6hMCjMI75M1A2tKUQC',
    pattern: idPattern,
  });

const accountQuery = accountIdSchema
  .optional()
  .openapi({ param: { name: 'accountId', in: 'query', required: false }, description: 'Account to read; optional when only one account is connected' });

const limit = z.coerce
  .number({ error: 'must be a whole number from 1 to 200' })
  .int('must be a whole number from 1 to 200')
  .min(1, 'must be at least 1')
  .max(200, 'must be at most 200')
  .default(50)
  .openapi({ description: 'Page size, 1–200', example: 50 });

const cursor = safeText({ max: 4096 }).optional().openapi({ description: '`nextCursor` of the previous page, as it was given' });

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'must be a real calendar date')
  .optional()
  .openapi({ format: 'date', example: '2026-01-31' });

const year = z.coerce
  .number({ error: 'must be a year such as 1999' })
  .int('must be a whole year')
  .min(1000, 'must be a four-digit year')
  .max(9999, 'must be a four-digit year')
  .optional();

const booleanParam = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((v) => v === 'true')
  .optional();

const removedParam = z
  .enum(['false', 'true', 'any'], { error: 'must be false, true or any' })
  .default('false')
  .openapi({ description: '`false` (default): in the library now; `true`: only those removed (soft-deleted); `any`: both' });

export function rangeCheck<T extends { from?: string; to?: string }>(q: T, ctx: z.RefinementCtx, names: [string, string] = ['from', 'to']) {
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
    ctx.addIssue({ code: 'custom', path: [names[0]], message: `must not be after ${names[1]}` });
  }
}

/** What narrows the saved tracks: the list's filters, which its CSV export takes too. */
const savedTrackFilters = {
  accountId: accountQuery,
  q: safeText({ max: 200, min: 1, trim: true })
    .optional()
    .openapi({ description: 'Words of the track, artist or album name; case and accents do not matter', pattern: trimmedIdPattern }),
  addedFrom: day,
  addedTo: day,
  releasedFrom: year,
  releasedTo: year,
  albumType: z.enum(['album', 'single', 'compilation'], { error: 'must be album, single or compilation' }).optional(),
  explicit: booleanParam,
  playlistId: idParam('playlist').optional().openapi({ description: 'Only tracks of this playlist' }),
  removed: removedParam,
};

function checkSavedTrackRanges(q: { addedFrom?: string; addedTo?: string; releasedFrom?: number; releasedTo?: number }, ctx: z.RefinementCtx) {
  rangeCheck({ from: q.addedFrom, to: q.addedTo }, ctx, ['addedFrom', 'addedTo']);
  if (q.releasedFrom !== undefined && q.releasedTo !== undefined && q.releasedFrom > q.releasedTo) {
    ctx.addIssue({ code: 'custom', path: ['releasedFrom'], message: 'must not be after releasedTo' });
  }
}

export const savedTracksQuerySchema = z
  .object({
    ...savedTrackFilters,
    sort: z.enum(savedTrackSorts, { error: `must be one of ${savedTrackSorts.join(', ')}` }).default('added'),
    order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).optional().openapi({ description: 'Default: desc for added and released, asc otherwise' }),
    limit,
    cursor,
  })
  .superRefine(checkSavedTrackRanges);

/** `GET /api/export/saved.csv`: the list's filters; without any, the whole library (newest first). */
export const savedExportQuerySchema = z.object(savedTrackFilters).superRefine(checkSavedTrackRanges);

export const accountOnlyQuerySchema = z.object({ accountId: accountQuery });
export const idParamSchema = (what: string) => z.object({ id: idParam(what).openapi({ param: { name: 'id', in: 'path' } }) });

export const playlistsQuerySchema = z.object({ accountId: accountQuery, removed: removedParam, limit, cursor });
export const pageQuerySchema = z.object({ accountId: accountQuery, limit, cursor });

export const historyFields = {
  accountId: accountQuery,
  from: day.openapi({ description: 'First UTC day, inclusive' }),
  to: day.openapi({ description: 'Last UTC day, inclusive' }),
  source: z.enum(playSources, { error: `must be one of ${playSources.join(', ')}` }).optional(),
  includeShort: booleanParam.openapi({ description: 'Count plays under 30 s too (default false: Spotify does not count them)' }),
};

export const playsQuerySchema = z.object({ ...historyFields, limit, cursor }).superRefine((q, ctx) => rangeCheck(q, ctx));

const bucketField = z.enum(['day', 'week', 'month'], { error: 'must be day, week or month' });
export const topField = z.coerce.number({ error: 'must be a whole number from 1 to 100' }).int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(10);

export const statsQuerySchema = z
  .object({
    ...historyFields,
    bucket: bucketField.default('day'),
    top: topField,
  })
  .superRefine((q, ctx) => {
    rangeCheck(q, ctx);
    if (q.from !== undefined && q.to !== undefined) {
      const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
      if (q.bucket === 'day' && days > DAILY_BUCKET_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: 'a range of daily buckets spans at most ten years' });
    }
  });

/** The history page: the stats' and the plays' parameters; without a bucket, or one too fine for the range, it picks the bars that fit. */
export const historyPageQuerySchema = z.object({ ...historyFields, bucket: bucketField.optional(), top: topField, limit, cursor }).superRefine((q, ctx) => rangeCheck(q, ctx));

/* ---- responses: each checked against the type its read model (src/library) declares ---- */

const artistRef = z.object({ id: z.string(), name: z.string(), detailsSynced: z.boolean() });
const trackFields = z.object({
  id: z.string(),
  uri: z.string(),
  name: z.string(),
  durationMs: z.number().int().nullable(),
  explicit: z.boolean().nullable(),
  discNumber: z.number().int().nullable(),
  trackNumber: z.number().int().nullable(),
  isrc: z.string().nullable(),
  artists: z.array(artistRef),
  album: z.object({
    id: z.string(),
    name: z.string(),
    albumType: z.string().nullable(),
    releaseDate: z.string().nullable(),
    detailsSynced: z.boolean().openapi({ description: 'False while the album is a stub (details syncing)' }),
    imageUrl: z.string().nullable(),
  }),
});
export const trackSchema = trackFields.openapi('Track') satisfies z.ZodType<TrackView>;

const isoTime = z.string().openapi({ format: 'date-time' });

export const savedTracksPageSchema = z
  .object({
    items: z.array(trackSchema.extend({ addedAt: isoTime, removedAt: isoTime.nullable() })),
    nextCursor: z.string().nullable(),
    total: z.number().int().openapi({
      description:
        'How many saved tracks match. A filter on the track or its album (q, releasedFrom, releasedTo, albumType, explicit) is counted up to 1,000 only (beyond that, total is 1000 and totalExact false: "1,000+"); the first page of a broad search in the default order counts the matches among the newest 1,000 saves it walked (a lower bound unless the library has fewer)',
    }),
    totalExact: z.boolean().openapi({ description: 'False when total is a lower bound: at least that many tracks match' }),
  })
  .openapi('SavedTracksPage') satisfies z.ZodType<SavedTracksPage>;

const libraryTrack = trackSchema.extend({ saved: z.boolean(), plays: z.number().int().openapi({ description: 'the account’s plays of it (30 s or more, every source)' }) });

export const artistDetailsSchema = z
  .object({ id: z.string(), name: z.string(), detailsSynced: z.boolean(), genres: z.array(z.string()), imageUrl: z.string().nullable(), tracks: z.array(libraryTrack) })
  .openapi('ArtistDetails') satisfies z.ZodType<ArtistDetails>;

export const albumDetailsSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    detailsSynced: z.boolean(),
    albumType: z.string().nullable(),
    releaseDate: z.string().nullable(),
    totalTracks: z.number().int().nullable(),
    label: z.string().nullable(),
    imageUrl: z.string().nullable(),
    artists: z.array(artistRef),
    tracks: z.array(libraryTrack),
  })
  .openapi('AlbumDetails') satisfies z.ZodType<AlbumDetails>;

export const playlistSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    ownerId: z.string().nullable(),
    ownerName: z.string().nullable(),
    owned: z.boolean(),
    collaborative: z.boolean(),
    public: z.boolean().nullable(),
    snapshotId: z.string(),
    itemsReadable: z.boolean(),
    itemsSynced: z.boolean(),
    totalItems: z.number().int(),
    storedItems: z.number().int(),
    skippedItems: z.number().int(),
    imageUrl: z.string().nullable(),
    removedAt: isoTime.nullable(),
  })
  .openapi('PlaylistSummary') satisfies z.ZodType<PlaylistSummary>;

export const playlistsPageSchema = z
  .object({ items: z.array(playlistSummarySchema), nextCursor: z.string().nullable(), total: z.number().int() })
  .openapi('PlaylistsPage') satisfies z.ZodType<Page<PlaylistSummary>>;

export const playlistPageSchema = z
  .object({
    playlist: playlistSummarySchema,
    items: z.array(
      z.object({
        position: z.number().int(),
        kind: z.enum(['track', 'episode', 'local', 'unavailable']),
        uri: z.string().nullable(),
        name: z.string().nullable(),
        addedAt: isoTime.nullable(),
        addedBy: z.string().nullable(),
        // Inline, not the Track component: a null beside a $ref is lost in the OpenAPI document.
        track: trackFields.nullable(),
        episode: z.object({ id: z.string(), name: z.string(), showId: z.string().nullable(), showName: z.string().nullable(), durationMs: z.number().int().nullable() }).nullable(),
        local: z.object({ name: z.string().nullable(), artist: z.string().nullable(), album: z.string().nullable(), durationMs: z.number().int().nullable() }).nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
    total: z.number().int(),
  })
  .openapi('PlaylistPage') satisfies z.ZodType<PlaylistPage>;

export const playsPageSchema = z
  .object({
    items: z.array(
      z.object({
        playedAt: isoTime,
        source: z.enum(playSources),
        contentType: z.enum(['track', 'episode', 'audiobook']),
        medium: z
          .enum(['audio', 'video'])
          .nullable()
          .openapi({ description: 'heard, or watched (the extended history’s video file); null for export plays stored before it was kept' }),
        msPlayed: z.number().int().nullable(),
        isShort: z.boolean(),
        trackId: z.string().nullable(),
        trackName: z.string().nullable(),
        artistName: z.string().nullable(),
        albumName: z.string().nullable(),
        artistId: z.string().nullable().openapi({ description: 'the primary artist, where the play is resolved to a track' }),
        albumId: z.string().nullable(),
        imageUrl: z.string().nullable().openapi({ description: 'the album cover, where known' }),
        contextUri: z.string().nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
    total: z.number().int(),
  })
  .openapi('PlaysPage') satisfies z.ZodType<Page<Play>>;

export const historyStatsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    bucket: z.enum(['day', 'week', 'month']),
    minutesByBucket: z.array(z.object({ start: z.string().openapi({ format: 'date' }), minutes: z.number(), plays: z.number().int() })),
    topTracks: z.array(
      z.object({ trackId: z.string().nullable(), trackName: z.string().nullable(), artistName: z.string().nullable(), plays: z.number().int(), minutes: z.number() }),
    ),
    topArtists: z.array(z.object({ artistId: z.string().nullable(), artistName: z.string().nullable(), plays: z.number().int(), minutes: z.number() })),
    gaps: z.array(z.object({ start: isoTime, end: isoTime })),
  })
  .openapi('HistoryStats') satisfies z.ZodType<HistoryStats>;

/** `GET /api/library/saved-albums`, `/followed-artists`, `/shows`, `/episodes`, `/audiobooks` (DESIGN.md "The whole library"). */
export const collectionQuerySchema = z.object({
  accountId: accountQuery,
  q: safeText({ max: 200, min: 1, trim: true })
    .optional()
    .openapi({ description: 'Words of the name (and of the publisher or show); case and accents do not matter', pattern: trimmedIdPattern }),
  removed: removedParam,
  limit,
  cursor,
});

/** `GET /api/export/saved-albums.csv` and the other collections' files: the page's filters, every row they choose. */
export const collectionExportQuerySchema = collectionQuerySchema.pick({ accountId: true, q: true, removed: true });

const collectionBase = {
  id: z.string(),
  uri: z.string(),
  name: z.string(),
  addedAt: isoTime.openapi({ description: 'When it was saved (for a followed artist, when the sync first saw the follow: Spotify gives no date)' }),
  removedAt: isoTime.nullable(),
  imageUrl: z.string().nullable(),
};

const collectionPage = <T extends z.ZodType>(item: T, name: string) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() }).openapi(name);

export const savedAlbumsPageSchema = collectionPage(
  z.object({
    ...collectionBase,
    artists: z.array(z.object({ id: z.string(), name: z.string() })),
    albumType: z.string().nullable(),
    releaseDate: z.string().nullable(),
    totalTracks: z.number().int().nullable(),
    tracks: z.array(z.object({ id: z.string().nullable(), name: z.string(), trackNumber: z.number().int().nullable(), durationMs: z.number().int().nullable() })),
  }),
  'SavedAlbumsPage',
);
export const followedArtistsPageSchema = collectionPage(z.object({ ...collectionBase, genres: z.array(z.string()) }), 'FollowedArtistsPage');
export const savedShowsPageSchema = collectionPage(
  z.object({
    ...collectionBase,
    publisher: z.string().nullable(),
    totalEpisodes: z.number().int().nullable(),
    savedEpisodes: z.array(z.object({ id: z.string(), name: z.string(), addedAt: isoTime })),
  }),
  'SavedShowsPage',
);
export const savedEpisodesPageSchema = collectionPage(
  z.object({ ...collectionBase, showId: z.string().nullable(), showName: z.string().nullable(), durationMs: z.number().int().nullable(), releaseDate: z.string().nullable() }),
  'SavedEpisodesPage',
);
export const savedAudiobooksPageSchema = collectionPage(
  z.object({ ...collectionBase, authors: z.array(z.string()), narrators: z.array(z.string()), totalChapters: z.number().int().nullable() }),
  'SavedAudiobooksPage',
);
