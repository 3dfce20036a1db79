import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { downloadExport, importResult, startImport, syncedAccount } from '../helpers/history-import.js';
import { readHistoryStats } from '../../src/library/history.js';

let h: Harness;
let accountId: string;
beforeAll(async () => {
  h = await createHarness({ sim: { seed: 42, tracks: 300, playlists: 8, appMode: 'development' } });
  await h.startWorker();
  accountId = await syncedAccount(h);
});
afterAll(async () => h?.close());

type Row = Record<string, unknown>;

/**
 * Each rollup's rows next to the same aggregate computed straight from play_history and the catalog:
 * `extra` are its key columns beyond the day, source and is_short, `from` and `where` the plays it
 * counts (the track rollups: plays of tracks, no episode or audiobook).
 */
const rollups = [
  { table: 'play_rollup_days', extra: [] as string[], from: 'play_history h left join tracks t on t.id = h.track_id', select: [] as string[] },
  {
    table: 'play_rollup_tracks',
    extra: ['track_id', 'track_name', 'artist_name'],
    from: 'play_history h left join tracks t on t.id = h.track_id',
    where: "and h.content_type = 'track'",
    select: ['h.track_id', 'case when h.track_id is null then h.track_name end', 'h.artist_name'],
  },
  {
    table: 'play_rollup_artists',
    extra: ['artist_id', 'artist_name'],
    from: 'play_history h left join tracks t on t.id = h.track_id left join track_artists ta on ta.track_id = h.track_id',
    select: ['ta.artist_id', 'case when ta.artist_id is null then h.artist_name end'],
  },
  {
    table: 'play_rollup_track_totals',
    allTime: true,
    extra: ['track_id', 'track_name'],
    from: 'play_history h left join tracks t on t.id = h.track_id',
    where: "and h.content_type = 'track'",
    select: ['h.track_id', 'case when h.track_id is null then h.track_name end'],
  },
  {
    table: 'play_rollup_artist_totals',
    allTime: true,
    extra: ['artist_id', 'artist_name'],
    from: 'play_history h left join tracks t on t.id = h.track_id left join track_artists ta on ta.track_id = h.track_id',
    select: ['ta.artist_id', 'case when ta.artist_id is null then h.artist_name end'],
  },
];

async function compare(): Promise<{ table: string; rolledUp: Row[]; aggregated: Row[] }[]> {
  const out = [];
  for (const r of rollups) {
    const daily = !('allTime' in r);
    const columns = [...(daily ? ['day', 'source'] : []), 'is_short', ...r.extra];
    const order = columns.map((_, i) => i + 1).join(', ');
    const dayAndSource = daily ? `to_char((h.played_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, h.source, ` : '';
    const aggregated = await h.db.db.raw(
      `select ${dayAndSource}h.is_short${r.select.map((e, i) => `, ${e} as ${r.extra[i]}`).join('')},
              count(*)::int as plays, sum(coalesce(h.ms_played, t.duration_ms, 0))::text as ms
       from ${r.from}
       where h.account_id = ? ${r.extra[0] === 'artist_id' ? 'and (ta.artist_id is not null or h.artist_name is not null)' : ''} ${'where' in r ? r.where : ''}
       group by ${order} order by ${order}`,
      [accountId],
    );
    const rolledUp = await h.db.db.raw(
      `select ${daily ? `to_char(day, 'YYYY-MM-DD') as day, source, ` : ''}is_short${r.extra.map((c) => `, ${c}`).join('')}, plays, ms::text as ms
       from ${r.table} where account_id = ? order by ${order}`,
      [accountId],
    );
    out.push({ table: r.table, rolledUp: rolledUp.rows as Row[], aggregated: aggregated.rows as Row[] });
  }
  return out;
}

async function expectRollupsExact() {
  for (const { table, rolledUp, aggregated } of await compare()) {
    expect(aggregated.length, table).toBeGreaterThan(0);
    expect(rolledUp, table).toEqual(aggregated);
    expect(
      rolledUp.every((r) => (r.plays as number) > 0),
      `${table}: no emptied rows left`,
    ).toBe(true);
  }
}

/** The top lists of all time and of one week (the totals' ranking and the daily rollups) as SQL ranks the plays. */
async function expectTopListsAsSql() {
  const [first, last] = ['2000-01-01', '2100-01-01'];
  for (const [from, to] of [
    [first, last],
    ['2026-11-02', '2026-11-08'],
  ] as const) {
    const stats = await readHistoryStats(h.db.db, accountId, { from, to, bucket: 'month', top: 5, includeShort: false }, new Date());
    const range = [`${from}T00:00:00Z`, `${to}T23:59:59.999Z`];
    const tracks = await h.db.db.raw(
      `select h.track_id, count(*)::int as plays from play_history h left join tracks t on t.id = h.track_id
       where h.account_id = ? and not h.is_short and h.played_at between ? and ? and h.content_type = 'track'
       group by h.track_id, case when h.track_id is null then h.track_name end
       order by plays desc, sum(coalesce(h.ms_played, t.duration_ms, 0)) desc, h.track_id, case when h.track_id is null then h.track_name end limit 5`,
      [accountId, ...range],
    );
    expect(
      stats.topTracks.map((t) => ({ track_id: t.trackId, plays: t.plays })),
      `top tracks ${from}..${to}`,
    ).toEqual(tracks.rows);
    // Podcast episodes and audiobook chapters are no tracks: none of their names is a top track.
    const notTracks = new Set(await h.db.db('play_history').where({ account_id: accountId }).whereNot({ content_type: 'track' }).pluck('track_name'));
    expect(
      stats.topTracks.filter((t) => notTracks.has(t.trackName)),
      `top tracks ${from}..${to}`,
    ).toEqual([]);
    const artists = await h.db.db.raw(
      `select ta.artist_id, count(*)::int as plays from play_history h left join tracks t on t.id = h.track_id left join track_artists ta on ta.track_id = h.track_id
       where h.account_id = ? and not h.is_short and h.played_at between ? and ? and (ta.artist_id is not null or h.artist_name is not null)
       group by ta.artist_id, case when ta.artist_id is null then h.artist_name end
       order by plays desc, sum(coalesce(h.ms_played, t.duration_ms, 0)) desc, ta.artist_id, case when ta.artist_id is null then h.artist_name end limit 5`,
      [accountId, ...range],
    );
    expect(
      stats.topArtists.map((a) => ({ artist_id: a.artistId, plays: a.plays })),
      `top artists ${from}..${to}`,
    ).toEqual(artists.rows);
  }
}

async function plays(): Promise<Row[]> {
  return (
    await h.db.db.raw(`select to_char((played_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, source, is_short, track_id, track_name from play_history where account_id = ?`, [
      accountId,
    ])
  ).rows as Row[];
}

describe('the play rollups', () => {
  it('equal aggregates over play_history after polls, an import and deletes', async () => {
    await expectRollupsExact();

    // The import inserts plays, fills polled ones with the export's duration and resolves tracks (updates).
    const exported = await downloadExport(h);
    const started = await startImport(h, accountId, [exported.extended, exported.account]);
    expect((await importResult(h, accountId, started.importId)).state).toBe('complete');
    const afterImport = await plays();
    expect(afterImport.some((r) => r.source === 'extended_export')).toBe(true);
    expect(afterImport.some((r) => r.is_short === true)).toBe(true);
    expect(afterImport.some((r) => r.track_id === null && r.track_name !== null)).toBe(true);
    await expectRollupsExact();
    await expectTopListsAsSql();

    // Deleting one play of a day subtracts it; deleting a whole day's plays leaves no row for that day.
    const days = [...new Set(afterImport.map((r) => r.day as string))].sort();
    const [first, second] = [days[0]!, days[1]!];
    const onDay = (day: string) => h.db.db('play_history').where({ account_id: accountId }).whereRaw(`(played_at at time zone 'UTC')::date = ?`, [day]);
    const one = (await onDay(first).orderBy('played_at').first('played_at'))!;
    await h.db.db('play_history').where({ account_id: accountId, played_at: one.played_at }).delete();
    await onDay(second).delete();
    expect((await plays()).length).toBeLessThan(afterImport.length);
    await expectRollupsExact();
    const dayRows = await h.db.db('play_rollup_days').where({ account_id: accountId }).whereRaw(`day = ?`, [second]);
    expect(dayRows).toEqual([]);
  });
});
