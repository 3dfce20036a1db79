import type { Knex } from 'knex';

/**
 * Whether a play was heard or watched: the extended history's `Streaming_History_Video_*.json` files hold
 * track and episode plays of videos, which stats may count or leave out. Polled plays and account data
 * are audio; extended-history plays stored before this are unknown (null) until their files are
 * imported again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('play_history', (t) => {
    t.text('medium').comment('audio or video (the extended history file it came from); null: stored before this was kept');
    t.check(`medium in ('audio', 'video')`, [], 'play_history_medium_check');
  });
  await knex.raw("update play_history set medium = 'audio' where source in ('poll', 'account_export')");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('play_history', (t) => {
    t.dropChecks(['play_history_medium_check']);
    t.dropColumn('medium');
  });
}
