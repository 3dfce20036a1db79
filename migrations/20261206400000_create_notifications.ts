import type { Knex } from 'knex';

/** Notifications (NOTIFY_URLS): each event once (the outbox), and every attempt to deliver it to a target. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notifications', (t) => {
    t.comment('Each notification event once: an account, an event and its occasion (a login, a run, an import) make it unique, so retries and replays send nothing twice.');
    t.increments('id', { primaryKey: true });
    t.text('account_id').references('id').inTable('accounts').onDelete('CASCADE').comment('null for a test message (notify-test)');
    t.text('event').notNullable().comment('sync_complete, needs_reauth, login_expiring, stalled, import_complete, restore_complete, failed, or test');
    t.text('occasion').notNullable().comment('what makes this event one: e.g. the login for needs_reauth, the threshold and login for login_expiring, the run or import id');
    t.text('message').notNullable().comment('the text sent: no tokens, no listening data');
    t.text('url').comment('the page the message links to');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('when the event happened (the body’s `at`)');
    t.timestamp('delivered_at', { useTz: true }).comment('when every target had it; null while some target still lacks it');
    t.unique(['account_id', 'event', 'occasion'], { indexName: 'notifications_account_event_occasion_key' });
  });
  await knex.schema.createTable('notification_deliveries', (t) => {
    t.comment('Every attempt to deliver a notification to one target, for retries (a delivered target is not sent again) and the settings page (the last delivery of each).');
    t.increments('id', { primaryKey: true });
    t.integer('notification_id').notNullable().references('id').inTable('notifications').onDelete('CASCADE');
    t.text('target_key').notNullable().comment('a digest of the target URL (src/config/notify-targets.ts), never the URL: it may hold a secret');
    t.text('target_label').notNullable().comment('the target as shown: no credentials, path masked');
    t.timestamp('attempted_at', { useTz: true }).notNullable();
    t.boolean('ok').notNullable();
    t.text('detail').comment('why it failed (an HTTP status or a network error), without the URL');
    t.index(['notification_id', 'target_key'], 'notification_deliveries_notification_target_idx');
    t.index(['target_key', 'attempted_at'], 'notification_deliveries_target_attempted_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notification_deliveries');
  await knex.schema.dropTable('notifications');
}
