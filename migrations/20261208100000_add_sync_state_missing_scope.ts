import type { Knex } from 'knex';

/**
 * A collection the login may not read: an account connected before the whole library has no
 * `user-follow-read` (or `user-library-read`), Spotify answers 403 "Insufficient client scope", and the
 * sync skips that collection, keeps the rest, and the status asks for a new login naming the scope.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_state', (t) => {
    t.text('missing_scope').comment('the scope the login lacks for this entity (its read was skipped); null when it was read');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_state', (t) => {
    t.dropColumn('missing_scope');
  });
}
