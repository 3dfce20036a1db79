import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistoryStats } from '../../src/library/history.js';
import { readListeningStats } from '../../src/library/listening-stats.js';
import { readLibraryOverview } from '../../src/library/overview.js';
import { listSavedTracks } from '../../src/library/saved-tracks.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The stats kept in memory until the plays change (the chart's bars, the heatmap, the streaks, the
 * artists discovered) and the saved count read from its rollup row, checked against the plain SQL over
 * play_history and saved_tracks, before and after plays are added, deleted and changed, and saves come
 * and go. The plays are generated (a fixed seed), a few hundred over three years.
 */
let t: TestDatabase;
const accountId = 'memo';
const now = new Date('2026-12-01T12:00:00Z');

/** A small deterministic generator (mulberry32), so a failure repeats. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const tracks = Array.from({ length: 12 }, (_, i) => `t${i + 1}`);

async function addPlays(seed: number, n: number, fromMs: number, toMs: number) {
  const r = random(seed);
  const rows = Array.from({ length: n }, () => ({
    account_id: accountId,
    played_at: new Date(fromMs + Math.floor(r() * (toMs - fromMs))),
    track_id: r() < 0.9 ? tracks[Math.floor(r() * tracks.length)]! : null,
    track_name: 'Unknown song',
    artist_name: r() < 0.5 ? 'Somebody' : 'Nobody',
    source: r() < 0.5 ? ('poll' as const) : ('extended_export' as const),
    ms_played: r() < 0.2 ? 5_000 : r() < 0.5 ? null : 60_000 + Math.floor(r() * 200_000),
  }));
  await t.db('play_history').insert(rows);
}

const utcDay = "(h.played_at at time zone 'UTC')";

/** The same answers as the stats, read the plain way from play_history. */
async function plainStats(from: string, to: string) {
  const inRange = `h.account_id = ? and not h.is_short and ${utcDay}::date between ?::date and ?::date`;
  const minutes = (ms: number) => Math.round((ms / 60_000) * 10) / 10;
  const heat = (
    await t.db.raw(
      `select extract(isodow from ${utcDay})::int as weekday, extract(hour from ${utcDay})::int as hour, count(*)::int as plays, sum(coalesce(h.ms_played, tr.duration_ms, 0))::bigint as ms
       from play_history h left join tracks tr on tr.id = h.track_id where ${inRange} group by 1, 2`,
      [accountId, from, to],
    )
  ).rows as { weekday: number; hour: number; plays: number; ms: string }[];
  const heatmap = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const c = heat.find((x) => x.weekday === weekday && x.hour === hour);
      heatmap.push({ weekday, hour, plays: c?.plays ?? 0, minutes: minutes(Number(c?.ms ?? 0)) });
    }
  }
  const days = (
    (await t.db.raw(`select distinct to_char(${utcDay}, 'YYYY-MM-DD') as day from play_history h where ${inRange} order by 1`, [accountId, from, to])).rows as { day: string }[]
  ).map((d) => d.day);
  const runs: { days: number; from: string; to: string }[] = [];
  for (const d of days) {
    const last = runs.at(-1);
    if (last && Date.parse(d) - Date.parse(last.to) === 86_400_000) Object.assign(last, { days: last.days + 1, to: d });
    else runs.push({ days: 1, from: d, to: d });
  }
  const longest = runs.reduce<(typeof runs)[number] | null>((best, run) => (best === null || run.days > best.days ? run : best), null);
  // An artist is first heard on the first day of a full play crediting it (or naming it, for a play of no credited artist), over the whole history.
  const firsts = (
    await t.db.raw(
      `select to_char(min(${utcDay}), 'YYYY-MM-DD') as day from play_history h left join track_artists ta on ta.track_id = h.track_id
       where h.account_id = ? and not h.is_short and (ta.artist_id is not null or h.artist_name is not null)
       group by ta.artist_id, case when ta.artist_id is null then h.artist_name end`,
      [accountId],
    )
  ).rows as { day: string }[];
  const months: { month: string; artists: number }[] = [];
  for (let m = new Date(`${from.slice(0, 7)}-01T00:00:00Z`); m.toISOString().slice(0, 7) <= to.slice(0, 7); m.setUTCMonth(m.getUTCMonth() + 1)) {
    const month = m.toISOString().slice(0, 7);
    months.push({ month, artists: firsts.filter((f) => f.day.startsWith(month) && f.day >= from && f.day <= to).length });
  }
  const bars = (
    await t.db.raw(
      `select to_char(date_trunc('month', ${utcDay}), 'YYYY-MM-DD') as start, count(*)::int as plays, sum(coalesce(h.ms_played, tr.duration_ms, 0))::bigint as ms
       from play_history h left join tracks tr on tr.id = h.track_id where ${inRange} group by 1`,
      [accountId, from, to],
    )
  ).rows as { start: string; plays: number; ms: string }[];
  return { heatmap, longest, latest: runs.at(-1) ?? null, months, bars: bars.map((b) => ({ start: b.start, plays: b.plays, minutes: minutes(Number(b.ms)) })) };
}

async function expectSameAnswers(from: string, to: string) {
  const plain = await plainStats(from, to);
  const stats = await readListeningStats(t.db, accountId, { from, to, includeShort: false, allTime: false }, 10);
  expect(stats.heatmap).toEqual(plain.heatmap);
  expect(stats.streaks).toEqual({ longest: plain.longest, latest: plain.latest });
  expect(stats.newArtistsByMonth).toEqual(plain.months);
  const history = await readHistoryStats(t.db, accountId, { from, to, includeShort: false, bucket: 'month', top: 5 }, now);
  expect(history.minutesByBucket.filter((b) => b.plays > 0)).toEqual(plain.bars.sort((a, b) => a.start.localeCompare(b.start)));
}

async function expectSavedCounted() {
  const [row] = (await t.db('saved_tracks').where({ account_id: accountId }).whereNull('removed_at').count({ n: '*' })) as { n: string }[];
  const saved = Number(row!.n);
  expect((await readLibraryOverview(t.db, accountId)).savedTracks).toBe(saved);
  const page = await listSavedTracks(t.db, accountId, { removed: 'false', sort: 'added', limit: 5 });
  expect({ total: page.total, totalExact: page.totalExact }).toEqual({ total: saved, totalExact: true });
}

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  await db('accounts').insert({ id: accountId, spotify_user_id: accountId, display_name: 'Memo', refresh_token_encrypted: 'x', sync_state: 'complete', sync_phase: 'complete' });
  await db('artists').insert(['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => ({ id, name: id.toUpperCase() })));
  await db('albums').insert({ id: 'al1', name: 'Album' });
  await db('tracks').insert(tracks.map((id, i) => ({ id, name: id, album_id: 'al1', duration_ms: 90_000 + i * 10_000, uri: `spotify:track:${id}` })));
  await db('track_artists').insert(
    tracks.flatMap((id, i) => [
      { track_id: id, artist_id: `a${1 + (i % 5)}`, position: 0 },
      ...(i % 3 === 0 ? [{ track_id: id, artist_id: `a${1 + ((i + 2) % 5)}`, position: 1 }] : []),
    ]),
  );
  await addPlays(1, 400, Date.parse('2024-01-01T00:00:00Z'), Date.parse('2026-12-01T00:00:00Z'));
});
afterAll(async () => t?.drop());

describe('stats kept until the plays change', () => {
  const ranges: [string, string][] = [
    ['2024-01-01', '2026-12-01'],
    ['2024-03-15', '2026-06-20'],
    ['2025-12-02', '2026-12-01'],
  ];

  it('answer as the plain SQL over the plays, read twice', async () => {
    for (const [from, to] of ranges) {
      await expectSameAnswers(from, to);
      await expectSameAnswers(from, to);
    }
  });

  it('follow plays added, deleted and changed', async () => {
    for (const [from, to] of ranges) await expectSameAnswers(from, to);
    await addPlays(2, 150, Date.parse('2025-06-01T00:00:00Z'), Date.parse('2026-12-01T00:00:00Z'));
    for (const [from, to] of ranges) await expectSameAnswers(from, to);
    await t
      .db('play_history')
      .where({ account_id: accountId })
      .whereBetween('played_at', [new Date('2025-01-01T00:00:00Z'), new Date('2025-09-01T00:00:00Z')])
      .delete();
    for (const [from, to] of ranges) await expectSameAnswers(from, to);
    // Full plays turned short, and the other way round.
    await t
      .db('play_history')
      .where({ account_id: accountId })
      .where('played_at', '>=', new Date('2026-03-01T00:00:00Z'))
      .update({ ms_played: t.db.raw('case when ms_played < 30000 then 120000 else 1000 end') });
    for (const [from, to] of ranges) await expectSameAnswers(from, to);
  });
});

describe('the saved count read from its rollup row', () => {
  it('is the count of saves not removed as saves come, go and come back', async () => {
    await expectSavedCounted();
    await t.db('saved_tracks').insert(tracks.map((id, i) => ({ account_id: accountId, track_id: id, added_at: new Date(Date.UTC(2025, 0, 1 + i)) })));
    await expectSavedCounted();
    await t
      .db('saved_tracks')
      .where({ account_id: accountId })
      .whereIn('track_id', ['t1', 't2', 't3'])
      .update({ removed_at: new Date('2026-01-01T00:00:00Z') });
    await expectSavedCounted();
    await t.db('saved_tracks').where({ account_id: accountId, track_id: 't4' }).delete();
    await expectSavedCounted();
    await t
      .db('saved_tracks')
      .insert({ account_id: accountId, track_id: 't1', added_at: new Date('2026-02-01T00:00:00Z') })
      .onConflict(['account_id', 'track_id'])
      .merge({ removed_at: null, added_at: new Date('2026-02-01T00:00:00Z') });
    await expectSavedCounted();
    expect((await readLibraryOverview(t.db, accountId)).savedTracks).toBe(9);
  });
});
