import type { Knex } from 'knex';

/**
 * A household on one instance (DESIGN.md): each account is a person (owner or member), who signs in
 * with Spotify into sessions of their own, makes personal API tokens, and may invite others; what
 * happens to sign-ins, tokens, resets and restores is kept in an audit log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.text('role').notNullable().defaultTo('member').comment('owner (the first account connected) or member');
    t.timestamp('joined_at', { useTz: true }).comment('when this person first signed in with Spotify or got a personal token: from then on the instance is a household');
  });
  // The first account connected is the owner: on an instance that has accounts already, the earliest.
  await knex.raw(`update accounts set role = 'owner' where id = (select id from accounts order by connected_at, id limit 1)`);
  await knex.raw(`alter table accounts add constraint accounts_role_check check (role in ('owner', 'member'))`);
  await knex.raw(`create unique index accounts_one_owner_idx on accounts ((true)) where role = 'owner'`);

  await knex.schema.createTable('sessions', (t) => {
    t.comment('Signed-in browsers: a person’s (account_id) or the operator’s (API_TOKEN at /sign-in, account_id null). Only a hash of the cookie is kept.');
    t.uuid('id').primary();
    t.binary('token_hash').notNullable().unique({ indexName: 'sessions_token_hash_key' }).comment('SHA-256 of the cookie value; the value itself is never stored');
    t.text('account_id').references('id').inTable('accounts').onDelete('CASCADE').comment('the person signed in; null for the operator');
    t.text('device').notNullable().defaultTo('').comment('a short description of the browser (from its User-Agent), to tell sessions apart');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable().comment('idle expiry counts from here');
    t.timestamp('ended_at', { useTz: true }).comment('signed out or ended; an ended session is refused');
    t.index(['account_id', 'created_at'], 'sessions_account_created_idx');
  });

  await knex.schema.createTable('personal_tokens', (t) => {
    t.comment('Personal API tokens: a person’s scripts reading (read) or controlling (control) that person’s account only. Only a hash is kept.');
    t.uuid('id').primary();
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('scope').notNullable().comment('read or control');
    t.binary('token_hash').notNullable().unique({ indexName: 'personal_tokens_token_hash_key' }).comment('SHA-256 of the token');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true }).comment('a revoked token is refused');
  });
  await knex.raw(`alter table personal_tokens add constraint personal_tokens_scope_check check (scope in ('read', 'control'))`);
  await knex.raw(`create unique index personal_tokens_account_name_idx on personal_tokens (account_id, name) where revoked_at is null`);

  await knex.schema.createTable('invitations', (t) => {
    t.comment('Invitation links made by the owner: whoever signs in with Spotify through one joins as a member (once).');
    t.uuid('id').primary();
    t.binary('token_hash').notNullable().unique({ indexName: 'invitations_token_hash_key' }).comment('SHA-256 of the link’s secret');
    t.text('created_by').references('id').inTable('accounts').onDelete('CASCADE').comment('the owner who made it; null for the operator');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.text('used_by').comment('the account that joined through it');
  });

  await knex.schema.createTable('audit_events', (t) => {
    t.comment('The security log (/settings/security): sign-ins, sessions ended, tokens made or revoked, invitations, resets, restores. No secrets.');
    t.bigIncrements('id', { primaryKey: true });
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('account_id').references('id').inTable('accounts').onDelete('CASCADE').comment('whose event it is; null for the instance (the operator, a refused stranger)');
    t.text('event').notNullable().comment('sign_in, sign_in_refused, sign_out, session_ended, sessions_ended, token_created, token_revoked, invitation_created, reset, restore');
    t.text('actor').notNullable().comment('who did it: the person (their account id), operator, or cli');
    t.text('detail').notNullable().defaultTo('').comment('what it concerned: a token’s name, a device; never a secret');
    t.text('client').comment('the address the request came from');
    t.index(['account_id', 'at'], 'audit_events_account_at_idx');
    t.index(['at'], 'audit_events_at_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_events');
  await knex.schema.dropTable('invitations');
  await knex.schema.dropTable('personal_tokens');
  await knex.schema.dropTable('sessions');
  await knex.raw('drop index accounts_one_owner_idx');
  await knex.raw('alter table accounts drop constraint accounts_role_check');
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('joined_at');
    t.dropColumn('role');
  });
}
