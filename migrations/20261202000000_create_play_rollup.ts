import type { Knex } from 'knex';
import { grouped, keepFunctionSql, keyOf, playRollups } from './play-rollup-sql.js';

/**
 * The history statistics' rollups, kept by the database itself. Statement-level triggers on
 * play_history read the statement's transition tables, so every writer (the playback poll, the history
 * import and its later track resolution, the backup restore, a hand-written insert) keeps them exact
 * in one place, at the cost of five grouped upserts per statement:
 * - play_rollup_days: plays and minutes per account, UTC day, source and short-or-not (the chart);
 * - play_rollup_tracks: the same per track (top tracks);
 * - play_rollup_artists: the same per credited artist (top artists);
 * - play_rollup_track_totals, play_rollup_artist_totals: per track and per artist over all time, with
 *   an index in ranking order, so the all-time top lists read ten rows instead of every track.
 * A play counts for what its source measured, else its track's duration, read with the track's credits
 * when the play is written or resolved to a track: Spotify never changes either for a track id, and a
 * track reaches the catalog with both (the play's foreign key needs the track first).
 */
const rollups = playRollups({ tracksOnly: false });

export async function up(knex: Knex): Promise<void> {
  for (const r of rollups) {
    await knex.schema.createTable(r.table, (t) => {
      t.comment(`${r.comment} Kept by triggers on play_history; never written by the application.`);
      t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName(`${r.table}_account_id_fk`);
      if (r.daily) {
        t.date('day').notNullable().comment('UTC day of played_at');
        t.text('source').notNullable();
      }
      t.boolean('is_short').notNullable();
      for (const [column] of r.extra) t.text(column);
      t.integer('plays').notNullable();
      t.bigInteger('ms').notNullable().comment('ms_played where the source measured it, else the track duration');
    });
    await knex.raw(`alter table ${r.table} add constraint ${r.table}_key unique nulls not distinct (${keyOf(r).join(', ')})`);
    // Emptied rows are found through this (nearly always empty) index, not by scanning the account's rows.
    await knex.raw(`create index ${r.table}_emptied_idx on ${r.table} (account_id) where plays = 0`);
    if (r.ranking) await knex.raw(`create index ${r.table}_ranking_idx on ${r.table} ${r.ranking}`);
  }

  await knex.raw(keepFunctionSql(rollups, 'create'));
  await knex.raw(`comment on function play_rollup_keep() is 'keeps the play_rollup_* tables equal to aggregates over play_history, one statement at a time'`);
  await knex.raw('create trigger play_rollup_insert after insert on play_history referencing new table as new_plays for each statement execute function play_rollup_keep()');
  await knex.raw('create trigger play_rollup_delete after delete on play_history referencing old table as old_plays for each statement execute function play_rollup_keep()');
  await knex.raw(
    'create trigger play_rollup_update after update on play_history referencing old table as old_plays new table as new_plays for each statement execute function play_rollup_keep()',
  );
  await knex.raw('create trigger play_rollup_truncate after truncate on play_history for each statement execute function play_rollup_keep()');

  // Backfill the plays stored before the rollups existed.
  for (const r of rollups) await knex.raw(`insert into ${r.table} (${keyOf(r).join(', ')}, plays, ms) ${grouped(r, 'play_history')}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const op of ['insert', 'delete', 'update', 'truncate']) await knex.raw(`drop trigger play_rollup_${op} on play_history`);
  await knex.raw('drop function play_rollup_keep()');
  for (const r of [...rollups].reverse()) await knex.schema.dropTable(r.table);
}
