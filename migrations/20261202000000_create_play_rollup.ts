import type { Knex } from 'knex';

/**
 * The history statistics' rollup: plays per account, UTC day, source, short-or-not and track, kept by
 * the database itself. Statement-level triggers on play_history read the statement's transition tables,
 * so every writer (the playback poll, the history import and its later track resolution, the backup
 * restore, a hand-written insert) keeps it exact in one place, at the cost of one grouped upsert per
 * statement. The rollup holds no catalog data: the minutes of plays whose source measured nothing are
 * counted (`plays_unmeasured`) and priced at the track's duration when read, so a catalog refresh needs
 * no upkeep here.
 */
const key = ['account_id', 'day', 'source', 'is_short', 'track_id', 'track_name', 'artist_name'] as const;
const keyList = key.join(', ');
const keyMatch = key.map((c) => `r.${c} is not distinct from d.${c}`).join(' and ');

/** The statement's plays grouped by the rollup's key; `rows` is a transition table. */
const grouped = (rows: string) => `
  select account_id, (played_at at time zone 'UTC')::date as day, source, is_short, track_id,
         case when track_id is null then track_name end as track_name, artist_name,
         count(*)::int as plays, coalesce(sum(ms_played), 0)::bigint as ms_measured,
         (count(*) filter (where ms_played is null))::int as plays_unmeasured
  from ${rows} group by 1, 2, 3, 4, 5, 6, 7`;

const addGrouped = (rows: string) => `
  insert into play_rollup (${keyList}, plays, ms_measured, plays_unmeasured)
  ${grouped(rows)} order by 1, 2, 3, 4, 5, 6, 7
  on conflict (${keyList}) do update set
    plays = play_rollup.plays + excluded.plays,
    ms_measured = play_rollup.ms_measured + excluded.ms_measured,
    plays_unmeasured = play_rollup.plays_unmeasured + excluded.plays_unmeasured;`;

const subtractGrouped = (rows: string) => `
  with d as (${grouped(rows)})
  update play_rollup r set plays = r.plays - d.plays, ms_measured = r.ms_measured - d.ms_measured, plays_unmeasured = r.plays_unmeasured - d.plays_unmeasured
  from d where ${keyMatch};
  delete from play_rollup r where r.plays = 0 and r.account_id in (select distinct account_id from ${rows});`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('play_rollup', (t) => {
    t.comment('Plays per account, UTC day, source, short-or-not and track: what the history statistics read. Kept by triggers on play_history; never written by the application.');
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('play_rollup_account_id_fk');
    t.date('day').notNullable().comment('UTC day of played_at');
    t.text('source').notNullable();
    t.boolean('is_short').notNullable();
    t.text('track_id').comment('null for plays not resolved to a catalog track');
    t.text('track_name').comment("the source's track name, kept only where track_id is null");
    t.text('artist_name').comment("the source's artist name");
    t.integer('plays').notNullable();
    t.bigInteger('ms_measured').notNullable().comment('sum of ms_played over the plays that have it');
    t.integer('plays_unmeasured').notNullable().comment('plays without ms_played: each counts for its track duration');
  });
  await knex.raw(`alter table play_rollup add constraint play_rollup_key unique nulls not distinct (${keyList})`);
  // Emptied rows are found through this (nearly always empty) index, not by scanning the account's rollup.
  await knex.raw('create index play_rollup_emptied_idx on play_rollup (account_id) where plays = 0');

  await knex.raw(`
    create function play_rollup_keep() returns trigger language plpgsql as $$
    begin
      if tg_op = 'TRUNCATE' then
        delete from play_rollup;
        return null;
      end if;
      if tg_op in ('DELETE', 'UPDATE') then ${subtractGrouped('old_plays')}
      end if;
      if tg_op in ('INSERT', 'UPDATE') then ${addGrouped('new_plays')}
      end if;
      return null;
    end $$`);
  await knex.raw(`comment on function play_rollup_keep() is 'keeps play_rollup equal to an aggregate over play_history, one statement at a time'`);
  await knex.raw('create trigger play_rollup_insert after insert on play_history referencing new table as new_plays for each statement execute function play_rollup_keep()');
  await knex.raw('create trigger play_rollup_delete after delete on play_history referencing old table as old_plays for each statement execute function play_rollup_keep()');
  await knex.raw(
    'create trigger play_rollup_update after update on play_history referencing old table as old_plays new table as new_plays for each statement execute function play_rollup_keep()',
  );
  await knex.raw('create trigger play_rollup_truncate after truncate on play_history for each statement execute function play_rollup_keep()');

  // Backfill the plays stored before the rollup existed.
  await knex.raw(`insert into play_rollup (${keyList}, plays, ms_measured, plays_unmeasured) ${grouped('play_history')}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const op of ['insert', 'delete', 'update', 'truncate']) await knex.raw(`drop trigger play_rollup_${op} on play_history`);
  await knex.raw('drop function play_rollup_keep()');
  await knex.schema.dropTable('play_rollup');
}
