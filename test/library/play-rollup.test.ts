import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { downloadExport, importResult, startImport, syncedAccount } from '../helpers/history-import.js';

let h: Harness;
let accountId: string;
beforeAll(async () => {
  h = await createHarness({ sim: { seed: 42, tracks: 300, playlists: 8, appMode: 'development' } });
  await h.startWorker();
  accountId = await syncedAccount(h);
});
afterAll(async () => h?.close());

type Row = Record<string, unknown>;
const key = 'day, source, is_short, track_id, track_name, artist_name';

/** The plays of the account aggregated straight from play_history, in the rollup's shape. */
async function aggregated(): Promise<Row[]> {
  const result = await h.db.db.raw(
    `select to_char((played_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, source, is_short, track_id,
            case when track_id is null then track_name end as track_name, artist_name,
            count(*)::int as plays, coalesce(sum(ms_played), 0)::text as ms_measured, (count(*) filter (where ms_played is null))::int as plays_unmeasured
     from play_history where account_id = ? group by 1, 2, 3, 4, 5, 6 order by ${key}`,
    [accountId],
  );
  return result.rows as Row[];
}

async function rolledUp(): Promise<Row[]> {
  const result = await h.db.db.raw(
    `select to_char(day, 'YYYY-MM-DD') as day, source, is_short, track_id, track_name, artist_name, plays, ms_measured::text as ms_measured, plays_unmeasured
     from play_rollup where account_id = ? order by ${key}`,
    [accountId],
  );
  return result.rows as Row[];
}

describe('the play rollup', () => {
  it('equals an aggregate over play_history after polls, an import and deletes', async () => {
    const afterPoll = await aggregated();
    expect(afterPoll.length).toBeGreaterThan(0);
    expect(await rolledUp()).toEqual(afterPoll);

    // The import inserts plays, fills polled ones with the export's duration and resolves tracks (updates).
    const exported = await downloadExport(h);
    const started = await startImport(h, accountId, [exported.extended, exported.account]);
    expect((await importResult(h, accountId, started.importId)).state).toBe('complete');
    const afterImport = await aggregated();
    expect(afterImport.some((r) => r.source === 'extended_export')).toBe(true);
    expect(afterImport.some((r) => r.is_short === true)).toBe(true);
    expect(afterImport.some((r) => r.track_id === null && r.track_name !== null)).toBe(true);
    expect(await rolledUp()).toEqual(afterImport);

    // Deleting some plays of a day subtracts them; deleting a whole day's plays leaves no row for it.
    const [first, second] = [...new Set(afterImport.map((r) => r.day as string))];
    const someOfFirst = await h.db.db('play_history').where({ account_id: accountId }).whereRaw(`(played_at at time zone 'UTC')::date = ?`, [first]).orderBy('played_at').first('played_at');
    await h.db.db('play_history').where({ account_id: accountId, played_at: someOfFirst.played_at }).delete();
    await h.db.db('play_history').where({ account_id: accountId }).whereRaw(`(played_at at time zone 'UTC')::date = ?`, [second]).delete();
    const afterDelete = await aggregated();
    expect(afterDelete.length).toBeLessThan(afterImport.length);
    expect(afterDelete.some((r) => r.day === second)).toBe(false);
    const rollup = await rolledUp();
    expect(rollup).toEqual(afterDelete);
    expect(rollup.every((r) => (r.plays as number) > 0)).toBe(true);
  });
});
