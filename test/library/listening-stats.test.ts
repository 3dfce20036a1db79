import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { readEntityListening, readHeatmap, readListeningStats, readTopAlbums } from '../../src/library/listening-stats.js';
import { readYearRecap } from '../../src/library/year-recap.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * Stats over a handful of plays written straight into play_history (the rollups are kept by its
 * triggers), small enough to count by hand. All days, hours and weekdays are UTC.
 *
 * Tracks (minutes): t1 3 (album al1, Ada), t2 2 (al1, Ben and Ada), t3 1 (al2, Cleo), t4 4 (al2, Dan),
 * t5 1 (al2, Cleo). Plays, all full length except the short one:
 *   2025-12-30 10:00 t1 · 2025-12-31 10:00 t1 · 2026-01-01 10:00 t2 · 2026-01-30 10:00 t2 ·
 *   2026-01-31 23:30 t1 · 2026-02-01 00:10 t3 · 2026-02-02 08:00 t3 · 2026-02-05 08:00 t2 ·
 *   2026-02-05 09:00 t4 for 10 s (short: left out of every count, but it is a play of t4).
 */
let t: TestDatabase;
const accountId = 'acc';

const plays: [string, string, number?][] = [
  ['2025-12-30T10:00:00Z', 't1'],
  ['2025-12-31T10:00:00Z', 't1'],
  ['2026-01-01T10:00:00Z', 't2'],
  ['2026-01-30T10:00:00Z', 't2'],
  ['2026-01-31T23:30:00Z', 't1'],
  ['2026-02-01T00:10:00Z', 't3'],
  ['2026-02-02T08:00:00Z', 't3'],
  ['2026-02-05T08:00:00Z', 't2'],
  ['2026-02-05T09:00:00Z', 't4', 10_000],
];

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  await db('accounts').insert({ id: accountId, spotify_user_id: accountId, display_name: 'Stats', refresh_token_encrypted: 'x', sync_state: 'complete', sync_phase: 'complete' });
  await db('artists').insert([
    { id: 'ar1', name: 'Ada' },
    { id: 'ar2', name: 'Ben', genres: ['jazz'] },
    { id: 'ar3', name: 'Cleo', genres: ['jazz', 'pop'] },
    { id: 'ar4', name: 'Dan' },
  ]);
  await db('albums').insert([
    { id: 'al1', name: 'First' },
    { id: 'al2', name: 'Second' },
  ]);
  await db('album_artists').insert([
    { album_id: 'al1', artist_id: 'ar1', position: 0 },
    { album_id: 'al2', artist_id: 'ar3', position: 0 },
  ]);
  const track = (id: string, album: string, minutes: number) => ({ id, name: id.toUpperCase(), album_id: album, duration_ms: minutes * 60_000, uri: `spotify:track:${id}` });
  await db('tracks').insert([track('t1', 'al1', 3), track('t2', 'al1', 2), track('t3', 'al2', 1), track('t4', 'al2', 4), track('t5', 'al2', 1), track('t6', 'al2', 1)]);
  await db('track_artists').insert([
    { track_id: 't1', artist_id: 'ar1', position: 0 },
    { track_id: 't2', artist_id: 'ar2', position: 0 },
    { track_id: 't2', artist_id: 'ar1', position: 1 },
    { track_id: 't3', artist_id: 'ar3', position: 0 },
    { track_id: 't4', artist_id: 'ar4', position: 0 },
    { track_id: 't5', artist_id: 'ar3', position: 0 },
    { track_id: 't6', artist_id: 'ar3', position: 0 },
  ]);
  await db('saved_tracks').insert([
    ...['t1', 't2', 't3', 't4', 't5'].map((id) => ({ account_id: accountId, track_id: id, added_at: new Date('2025-01-01T00:00:00Z') })),
    { account_id: accountId, track_id: 't6', added_at: new Date('2025-01-01T00:00:00Z'), removed_at: new Date('2025-06-01T00:00:00Z') },
  ]);
  await db('play_history').insert(
    plays.map(([playedAt, trackId, ms]) => ({ account_id: accountId, played_at: new Date(playedAt), track_id: trackId, source: 'poll', ms_played: ms ?? null })),
  );
});
afterAll(async () => t?.drop());

const range = (from: string, to: string) => ({ from, to, includeShort: false, allTime: false });

describe('listening stats (UTC days and hours)', () => {
  it('finds the longest streak across a month border, and the latest one', async () => {
    const stats = await readListeningStats(t.db, accountId, range('2025-12-01', '2026-02-28'), 10);
    // Runs: Dec 30 – Jan 1 (3 days, across the year), Jan 30 – Feb 2 (4, across the month), Feb 5 (1).
    expect(stats.streaks.longest).toEqual({ days: 4, from: '2026-01-30', to: '2026-02-02' });
    expect(stats.streaks.latest).toEqual({ days: 1, from: '2026-02-05', to: '2026-02-05' });
  });

  it('clips streaks to the range', async () => {
    const stats = await readListeningStats(t.db, accountId, range('2026-01-31', '2026-02-28'), 10);
    expect(stats.streaks.longest).toEqual({ days: 3, from: '2026-01-31', to: '2026-02-02' });
  });

  it('puts each play in its UTC weekday and hour, whole months and edge days alike', async () => {
    // 2025-12-31 and Feb 1–2 are edge days (hourly rollup), January a whole month (monthly rollup).
    const cells = await readHeatmap(t.db, accountId, range('2025-12-31', '2026-02-02'));
    expect(cells).toHaveLength(168);
    const nonEmpty = cells.filter((c) => c.plays > 0).map((c) => [c.weekday, c.hour, c.plays, c.minutes]);
    expect(nonEmpty).toEqual([
      [1, 8, 1, 1], // Monday Feb 2, 08:00, t3
      [3, 10, 1, 3], // Wednesday Dec 31, 10:00, t1
      [4, 10, 1, 2], // Thursday Jan 1, 10:00, t2
      [5, 10, 1, 2], // Friday Jan 30, 10:00, t2
      [6, 23, 1, 3], // Saturday Jan 31, 23:30 UTC, t1
      [7, 0, 1, 1], // Sunday Feb 1, 00:10 UTC, t3
    ]);
  });

  it('adds whole years, whole months and edge days up once each', async () => {
    // 2025 a whole year (yearly rollup), January 2026 a whole month, Feb 1–2 edge days.
    const cells = await readHeatmap(t.db, accountId, range('2025-01-01', '2026-02-02'));
    expect(cells.filter((c) => c.plays > 0).map((c) => [c.weekday, c.hour, c.plays])).toEqual([
      [1, 8, 1],
      [2, 10, 1], // Tuesday Dec 30, 2025
      [3, 10, 1],
      [4, 10, 1],
      [5, 10, 1],
      [6, 23, 1],
      [7, 0, 1],
    ]);
    const all = await readHeatmap(t.db, accountId, range('2020-01-01', '2026-12-31'));
    expect(all.reduce((n, c) => n + c.plays, 0)).toBe(8);
  });

  it('ranks albums, and counts new artists per month and the never-played share', async () => {
    const stats = await readListeningStats(t.db, accountId, range('2025-12-01', '2026-02-28'), 10);
    expect(stats.topAlbums).toEqual([
      { albumId: 'al1', albumName: 'First', artistName: 'Ada', plays: 6, minutes: 15 },
      { albumId: 'al2', albumName: 'Second', artistName: 'Cleo', plays: 2, minutes: 2 },
    ]);
    // Ada first in December, Ben in January, Cleo in February; Dan only in a short play.
    expect(stats.newArtistsByMonth).toEqual([
      { month: '2025-12', artists: 1 },
      { month: '2026-01', artists: 1 },
      { month: '2026-02', artists: 1 },
    ]);
    // Five saved (t6 was removed); t5 never played; t4's short play still counts as a play.
    expect(stats.library).toEqual({ saved: 5, neverPlayed: 1 });
  });

  it('keeps the never-played count as saves and plays come and go', async () => {
    const counted = async () => {
      const saved = (await t.db('saved_tracks').where({ account_id: accountId }).whereNull('removed_at').pluck('track_id')) as string[];
      const played = new Set((await t.db('play_history').where({ account_id: accountId }).distinct().pluck('track_id')) as string[]);
      return { saved: saved.length, neverPlayed: saved.filter((id) => !played.has(id)).length };
    };
    const read = async () => (await readListeningStats(t.db, accountId, range('2026-01-01', '2026-01-31'), 1)).library;
    const at = new Date('2026-03-01T10:00:00Z');
    await t.db('play_history').insert({ account_id: accountId, played_at: at, track_id: 't5', source: 'poll' });
    expect(await read()).toEqual({ saved: 5, neverPlayed: 0 });
    await t.db('play_history').where({ account_id: accountId, played_at: at }).delete();
    expect(await read()).toEqual({ saved: 5, neverPlayed: 1 });
    await t.db('saved_tracks').where({ account_id: accountId, track_id: 't5' }).update({ removed_at: at });
    expect(await read()).toEqual({ saved: 4, neverPlayed: 0 });
    expect(await read()).toEqual(await counted());
    await t.db('saved_tracks').where({ account_id: accountId, track_id: 't6' }).update({ removed_at: null });
    await t.db('saved_tracks').where({ account_id: accountId, track_id: 't5' }).update({ removed_at: null });
    expect(await read()).toEqual({ saved: 6, neverPlayed: 2 });
    expect(await read()).toEqual(await counted());
    await t.db('saved_tracks').where({ account_id: accountId, track_id: 't6' }).update({ removed_at: at });
    expect(await read()).toEqual({ saved: 5, neverPlayed: 1 });
  });

  it('answers the same top albums from the yearly ranking and from the days', async () => {
    const year = await readTopAlbums(t.db, accountId, { ...range('2026-01-01', '2026-12-31') }, 10);
    const days = await readTopAlbums(t.db, accountId, { ...range('2026-01-01', '2026-12-30') }, 10);
    const all = await readTopAlbums(t.db, accountId, { ...range('2025-12-30', '2026-02-05'), allTime: true }, 10);
    expect(year).toEqual(days);
    expect(year.map((a) => [a.albumId, a.plays])).toEqual([
      ['al1', 4],
      ['al2', 2],
    ]);
    expect(all.map((a) => [a.albumId, a.plays])).toEqual([
      ['al1', 6],
      ['al2', 2],
    ]);
  });

  it('sums one artist and one album per year', async () => {
    expect(await readEntityListening(t.db, accountId, { artistId: 'ar1' })).toEqual({
      plays: 6,
      minutes: 15,
      firstDay: '2025-12-30',
      lastDay: '2026-02-05',
      byYear: [
        { year: 2025, plays: 2, minutes: 6 },
        { year: 2026, plays: 4, minutes: 9 },
      ],
    });
    expect(await readEntityListening(t.db, accountId, { albumId: 'al2' })).toMatchObject({ plays: 2, minutes: 2, firstDay: '2026-02-01', lastDay: '2026-02-02' });
    expect(await readEntityListening(t.db, accountId, { artistId: 'ar4' })).toEqual({ plays: 0, minutes: 0, firstDay: null, lastDay: null, byYear: [] });
  });
});

describe('your year', () => {
  it('recaps 2026 from the rollups', async () => {
    const recap = await readYearRecap(t.db, accountId, 2026);
    expect(recap).toMatchObject({ year: 2026, years: [2025, 2026], plays: 6, minutes: 11, daysListened: 6 });
    expect(recap.byMonth.slice(0, 3)).toEqual([
      { month: '2026-01', plays: 3, minutes: 7 },
      { month: '2026-02', plays: 3, minutes: 4 },
      { month: '2026-03', plays: 0, minutes: 0 },
    ]);
    expect(recap.byMonth).toHaveLength(12);
    expect(recap.topMonth).toEqual({ month: '2026-01', minutes: 7 });
    expect(recap.topDay).toEqual({ day: '2026-01-31', plays: 1, minutes: 3 });
    expect(recap.topTracks.map((x) => [x.trackName, x.artistName, x.plays])).toEqual([
      ['T2', 'Ben', 3],
      ['T3', 'Cleo', 2],
      ['T1', 'Ada', 1],
    ]);
    expect(recap.topArtists.map((x) => [x.artistName, x.plays])).toEqual([
      ['Ada', 4],
      ['Ben', 3],
      ['Cleo', 2],
    ]);
    expect(recap.topAlbums.map((x) => [x.albumName, x.artistName, x.plays])).toEqual([
      ['First', 'Ada', 4],
      ['Second', 'Cleo', 2],
    ]);
    expect(recap.genres).toEqual([
      { genre: 'jazz', plays: 5 },
      { genre: 'pop', plays: 2 },
    ]);
    // Ben and Cleo were first heard in 2026; Ada in 2025; Dan only in a short play.
    expect(recap.discovered).toEqual({
      count: 2,
      artists: [
        { artistId: 'ar2', artistName: 'Ben', plays: 3 },
        { artistId: 'ar3', artistName: 'Cleo', plays: 2 },
      ],
    });
    // Clipped to the year: Jan 1 alone, then Jan 30 – Feb 2.
    expect(recap.longestStreak).toEqual({ days: 4, from: '2026-01-30', to: '2026-02-02' });
  });

  it('recaps a year without plays as empty', async () => {
    const recap = await readYearRecap(t.db, accountId, 2020);
    expect(recap).toMatchObject({ plays: 0, minutes: 0, topMonth: null, topDay: null, topTracks: [], longestStreak: null, discovered: { count: 0, artists: [] } });
  });

  it('moves an artist’s first day when its first plays are deleted', async () => {
    await t.db('play_history').where({ account_id: accountId }).whereIn('played_at', ['2025-12-30T10:00:00Z', '2025-12-31T10:00:00Z']).delete();
    const recap = await readYearRecap(t.db, accountId, 2026);
    expect(recap.discovered.count).toBe(3);
    expect(recap.discovered.artists.map((a) => a.artistName)).toEqual(['Ada', 'Ben', 'Cleo']);
    const stats = await readListeningStats(t.db, accountId, range('2025-12-01', '2026-02-28'), 10);
    expect(stats.newArtistsByMonth.map((m) => m.artists)).toEqual([0, 2, 1]);
  });
});

describe('the JSON routes', () => {
  const app = () =>
    createApp({
      db: t.db,
      config: loadConfig({ DATABASE_URL: t.url }),
      temporal: async () => {
        throw new Error('not used');
      },
      now: () => new Date('2026-03-01T12:00:00Z'),
    });

  it('answers a year, and refuses a year that is not one with a JSON 400', async () => {
    const res = await app().request('/api/history/years/2026');
    expect(res.status).toBe(200);
    const recap = (await res.json()) as { year: number; plays: number; topArtists: { artistName: string }[] };
    expect(recap).toMatchObject({ year: 2026, plays: await readYearRecap(t.db, accountId, 2026).then((r) => r.plays) });
    const bad = await app().request('/api/history/years/26');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('a year from 1970 to 2999');
  });

  it('answers the listening stats of the last 365 days by default', async () => {
    const res = await app().request('/api/history/listening');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { from: string; to: string; heatmap: unknown[]; library: { saved: number } };
    expect(body).toMatchObject({ from: '2025-03-02', to: '2026-03-01', library: { saved: 5 } });
    expect(body.heatmap).toHaveLength(168);
  });
});
