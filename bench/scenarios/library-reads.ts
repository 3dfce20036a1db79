import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/api/create-app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { sizeLabel, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { loadAverage } from '../lib/cpu.js';
import { collectionsFor, writeLibrary } from '../lib/library-fixture.js';
import { formatInt } from '../lib/report.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const mib = (bytes: number) => bytes / (1024 * 1024);

/**
 * Scenario 7: the library pages, their JSON routes and the exports over a large library (with the
 * collections the simulator gives a library of that size: at 100k saved tracks 5k saved albums, 2k
 * followed artists, 200 shows with their episodes, saved episodes and audiobooks): p50/p95 of
 * each route over real HTTP, and time and peak memory (RSS of this process, sampled every 20 ms) of
 * each streamed export, read by a client that discards what it gets.
 */
export const libraryReads: Scenario = async (ctx: BenchContext) => {
  const sizes = ctx.quick ? { tracks: 10_000, playlists: 4, itemsPerPlaylist: 1_000, plays: 30_000 } : { tracks: 100_000, playlists: 20, itemsPerPlaylist: 5_000, plays: 300_000 };
  const shape = { ...sizes, collections: collectionsFor(sizes.tracks) };
  const database = await ctx.databases.create();
  const accountId = 'bench-account';
  const t0 = performance.now();
  await writeLibrary(database.db, accountId, shape);
  ctx.log(`  library written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const app = createApp({
    db: database.db,
    config: loadConfig({ DATABASE_URL: database.url }),
    temporal: async () => {
      throw new Error('not used');
    },
    now: () => new Date('2026-11-30T12:00:00Z'),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { savedAlbums, followedArtists, shows } = shape.collections;
  const caseLabel = `${sizeLabel(shape.tracks)} tracks, ${shape.playlists}×${sizeLabel(shape.itemsPerPlaylist)} playlist items, ${sizeLabel(shape.plays)} plays, ${formatInt(savedAlbums)} saved albums, ${formatInt(followedArtists)} followed artists, ${formatInt(shows)} shows`;
  const figures: Figure[] = [];
  const raw: Record<string, unknown> = { shape };
  try {
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.slice(0, 200)}`);
      return body;
    };
    const nextCursor = async (path: string) => {
      const cursor = (JSON.parse(await get(path)) as { nextCursor: string | null }).nextCursor;
      if (!cursor) throw new Error(`${path} has no second page`);
      return encodeURIComponent(cursor);
    };
    const deepCursor = await nextCursor('/api/library/tracks?limit=200');
    // The collections' second pages: of the default 50 for albums and artists; shows, episodes and
    // audiobooks are fewer (four in five shows saved, an audiobook per four shows), pages of up to 20.
    const smallPage = (n: number) => Math.max(1, Math.min(20, Math.floor(n / 2)));
    const pageOf = { shows: smallPage(Math.floor(shows * 0.8)), episodes: 20, audiobooks: smallPage(Math.floor(shows / 4)) };
    const collectionCursors = {
      'saved-albums': await nextCursor('/api/library/saved-albums'),
      'followed-artists': await nextCursor('/api/library/followed-artists'),
      shows: await nextCursor(`/api/library/shows?limit=${pageOf.shows}`),
      episodes: await nextCursor(`/api/library/episodes?limit=${pageOf.episodes}`),
      audiobooks: await nextCursor(`/api/library/audiobooks?limit=${pageOf.audiobooks}`),
    };
    const routes: [string, string[]][] = [
      ['GET /api/library/tracks (first page)', ['/api/library/tracks']],
      // The fixture's names are two of thirty words and a number: one word matches a fifth of the library.
      [
        'GET /api/library/tracks?q= (search, a few matches)',
        ['/api/library/tracks?q=garden%204242', '/api/library/tracks?q=ocean%209999', '/api/library/tracks?q=neon%20harbor%2012'],
      ],
      ['GET /api/library/tracks?q= (search, a fifth of the library matches)', ['/api/library/tracks?q=electric', '/api/library/tracks?q=velvet']],
      [
        'GET /api/library/tracks (filters + sort)',
        [
          '/api/library/tracks?albumType=single&explicit=true&sort=name',
          '/api/library/tracks?releasedFrom=1990&releasedTo=1999&sort=released',
          '/api/library/tracks?playlistId=pl3',
        ],
      ],
      ['GET /api/library/tracks (next page)', [`/api/library/tracks?cursor=${deepCursor}`]],
      // The whole library's collections: first page, a search (the fixture's names: album and artist
      // names are two of thirty words, shows and audiobooks a few words and a number), the next page.
      ['GET /api/library/saved-albums (first page)', ['/api/library/saved-albums']],
      ['GET /api/library/saved-albums?q= (search)', ['/api/library/saved-albums?q=velvet', '/api/library/saved-albums?q=golden%20river']],
      ['GET /api/library/saved-albums (next page)', [`/api/library/saved-albums?cursor=${collectionCursors['saved-albums']}`]],
      ['GET /api/library/followed-artists (first page)', ['/api/library/followed-artists']],
      ['GET /api/library/followed-artists?q= (search)', ['/api/library/followed-artists?q=midnight', '/api/library/followed-artists?q=echo%20garden']],
      ['GET /api/library/followed-artists (next page)', [`/api/library/followed-artists?cursor=${collectionCursors['followed-artists']}`]],
      ['GET /api/library/shows (first page)', ['/api/library/shows']],
      ['GET /api/library/shows?q= (search)', ['/api/library/shows?q=harbor', '/api/library/shows?q=publisher%203']],
      ['GET /api/library/shows (next page)', [`/api/library/shows?limit=${pageOf.shows}&cursor=${collectionCursors.shows}`]],
      ['GET /api/library/episodes (first page)', ['/api/library/episodes']],
      ['GET /api/library/episodes?q= (search)', ['/api/library/episodes?q=episode%202', '/api/library/episodes?q=signal']],
      ['GET /api/library/episodes (next page)', [`/api/library/episodes?limit=${pageOf.episodes}&cursor=${collectionCursors.episodes}`]],
      ['GET /api/library/audiobooks (first page)', ['/api/library/audiobooks']],
      ['GET /api/library/audiobooks?q= (search)', ['/api/library/audiobooks?q=quiet', '/api/library/audiobooks?q=author%2012']],
      ['GET /api/library/audiobooks (next page)', [`/api/library/audiobooks?limit=${pageOf.audiobooks}&cursor=${collectionCursors.audiobooks}`]],
      ['GET /api/library/artists/:id', ['/api/library/artists/ar42']],
      ['GET /api/library/albums/:id', ['/api/library/albums/al42']],
      ['GET /api/library/playlists', ['/api/library/playlists']],
      ['GET /api/library/playlists/:id', ['/api/library/playlists/pl2']],
      ['GET /api/history/plays', ['/api/history/plays']],
      ['GET /api/history/stats (a year by day)', ['/api/history/stats']],
      ['GET /api/history/stats (all time, ten years by month)', ['/api/history/stats?from=2016-01-01&bucket=month']],
      ['GET / (home)', ['/']],
      ['GET /tracks/:id', ['/tracks/t42', '/tracks/t4242', '/tracks/t9999']],
      ['GET /artists/:id', ['/artists/ar42']],
      ['GET /albums/:id', ['/albums/al42']],
      ['GET /library', ['/library', '/library?q=velvet']],
      ['GET /library/albums', ['/library/albums', '/library/albums?q=velvet', `/library/albums?cursor=${collectionCursors['saved-albums']}`]],
      ['GET /library/artists', ['/library/artists', '/library/artists?q=midnight', `/library/artists?cursor=${collectionCursors['followed-artists']}`]],
      ['GET /library/podcasts', ['/library/podcasts', '/library/podcasts?q=harbor']],
      ['GET /library/audiobooks', ['/library/audiobooks', '/library/audiobooks?q=quiet']],
      ['GET /playlists/:id', ['/playlists/pl2']],
      ['GET /history', ['/history']],
      ['GET /history (the last 365 days)', ['/history?from=2025-12-01&to=2026-11-30']],
      ['GET /api/history/listening (the last 365 days)', ['/api/history/listening']],
      ['GET /year/:year', ['/year/2025', '/year/2024']],
      ['GET /api/history/years/:year', ['/api/history/years/2025']],
      ['GET /artists/:id (with your listening)', ['/artists/ar42']],
    ];
    const runs = ctx.quick ? 10 : 40;
    for (const [label, paths] of routes) {
      for (const p of paths) await get(p); // warm the plan cache and the pages of the tables
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const path = paths[i % paths.length]!;
        const start = performance.now();
        await get(path);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      figures.push({
        case: caseLabel,
        figure: `${label} p50 / p95`,
        value: `${percentile(times, 50).toFixed(1)} / ${p95.toFixed(1)} ms (n=${runs})`,
        target: 'p95 < 100 ms',
        met: p95 < 100,
        limitedBy: `Postgres and the API process on ${os.availableParallelism()} cores (load average ${loadAverage()[0]} when measured)`,
      });
      raw[label] = times;
    }

    global.gc?.();
    const idle = process.memoryUsage().rss;
    for (const [label, path] of [
      ['saved tracks CSV', '/api/export/saved.csv'],
      ['history CSV', '/api/export/history.csv'],
      ['saved albums CSV', '/api/export/saved-albums.csv'],
      ['JSON backup (everything)', '/api/export/backup.json'],
    ] as const) {
      let peak = process.memoryUsage().rss;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const start = performance.now();
      const res = await fetch(`${base}${path}`);
      let bytes = 0;
      const reader = res.body!.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
      const ms = performance.now() - start;
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      const above = mib(peak - idle);
      figures.push({
        case: caseLabel,
        figure: `export ${label}: time, size, peak RSS above idle`,
        value: `${(ms / 1000).toFixed(1)} s, ${formatInt(Math.round(mib(bytes)))} MiB, +${above.toFixed(1)} MiB (idle ${mib(idle).toFixed(0)} MiB)`,
        target: '< 50 MB above idle',
        met: above < 50,
        limitedBy: 'Postgres query stream and JSON/CSV encoding in one process (server and client both in this process)',
      });
      raw[label] = { ms, bytes, peakRss: peak, idleRss: idle };
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.drop();
  }
  return { id: 7, title: 'Library, history and exports over a large library', figures, raw };
};
