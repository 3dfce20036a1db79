import { z } from '@hono/zod-openapi';
import type { ListeningStats } from '../library/listening-stats.js';
import type { YearRecap } from '../library/year-recap.js';
import { historyFields, rangeCheck, topField } from './library-schemas.js';

/** Inputs and outputs of `GET /api/history/listening` and `GET /api/history/years/{year}`. */

export const listeningQuerySchema = z.object({ ...historyFields, top: topField }).superRefine((q, ctx) => rangeCheck(q, ctx));

export const yearParamSchema = z.object({
  year: z
    .string()
    .regex(/^(19[7-9]\d|2\d{3})$/, 'must be a year from 1970 to 2999')
    .transform(Number)
    .refine((y) => y >= 1970 && y <= 2999, 'must be a year from 1970 to 2999')
    .openapi({ param: { name: 'year', in: 'path' }, example: '2026' }),
});

const streak = z.object({ days: z.number().int(), from: z.string().openapi({ format: 'date' }), to: z.string().openapi({ format: 'date' }) });
const topAlbum = z.object({ albumId: z.string().nullable(), albumName: z.string().nullable(), artistName: z.string().nullable(), plays: z.number().int(), minutes: z.number() });

export const listeningStatsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    topAlbums: z.array(topAlbum),
    heatmap: z.array(z.object({ weekday: z.number().int(), hour: z.number().int(), plays: z.number().int(), minutes: z.number() })),
    streaks: z.object({ longest: streak.nullable(), latest: streak.nullable() }),
    newArtistsByMonth: z.array(z.object({ month: z.string(), artists: z.number().int() })),
    library: z.object({ saved: z.number().int(), neverPlayed: z.number().int() }),
  })
  .openapi('ListeningStats') satisfies z.ZodType<ListeningStats>;

export const yearRecapSchema = z
  .object({
    year: z.number().int(),
    years: z.array(z.number().int()),
    plays: z.number().int(),
    minutes: z.number(),
    daysListened: z.number().int(),
    byMonth: z.array(z.object({ month: z.string(), plays: z.number().int(), minutes: z.number() })),
    topMonth: z.object({ month: z.string(), minutes: z.number() }).nullable(),
    topDay: z.object({ day: z.string().openapi({ format: 'date' }), plays: z.number().int(), minutes: z.number() }).nullable(),
    topTracks: z.array(
      z.object({ trackId: z.string().nullable(), trackName: z.string().nullable(), artistName: z.string().nullable(), plays: z.number().int(), minutes: z.number() }),
    ),
    topArtists: z.array(z.object({ artistId: z.string().nullable(), artistName: z.string().nullable(), plays: z.number().int(), minutes: z.number() })),
    topAlbums: z.array(topAlbum),
    genres: z.array(z.object({ genre: z.string(), plays: z.number().int() })),
    discovered: z.object({ count: z.number().int(), artists: z.array(z.object({ artistId: z.string().nullable(), artistName: z.string().nullable(), plays: z.number().int() })) }),
    longestStreak: streak.nullable(),
  })
  .openapi('YearRecap') satisfies z.ZodType<YearRecap>;
