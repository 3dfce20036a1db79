import type { Knex } from 'knex';
import { grouped, keepFunctionSql, keyOf, playRollups } from './play-rollup-sql.js';

/**
 * The track rollups (top tracks) count plays of tracks only: podcast episodes and audiobook chapters
 * are kept as what they are, and a top list of tracks does not show them. The trigger function is
 * replaced and the two track rollups are rebuilt from play_history.
 */
async function rebuildTrackRollups(knex: Knex, tracksOnly: boolean): Promise<void> {
  const rollups = playRollups({ tracksOnly });
  await knex.raw(keepFunctionSql(rollups, 'create or replace'));
  for (const r of rollups.filter((x) => x.table === 'play_rollup_tracks' || x.table === 'play_rollup_track_totals')) {
    await knex(r.table).delete();
    await knex.raw(`insert into ${r.table} (${keyOf(r).join(', ')}, plays, ms) ${grouped(r, 'play_history')}`);
  }
}

export const up = (knex: Knex): Promise<void> => rebuildTrackRollups(knex, true);
export const down = (knex: Knex): Promise<void> => rebuildTrackRollups(knex, false);
