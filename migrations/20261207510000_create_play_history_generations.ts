import type { Knex } from 'knex';

/**
 * A counter per account, raised by every statement that writes its plays: the top lists of an arbitrary
 * range (which sum tens of thousands of daily rollup rows) are kept in memory under the generation they
 * were read at, and served again only while it has not moved.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('play_history_generations', (t) => {
    t.text('account_id').primary().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('play_history_generations_account_id_fk');
    t.bigInteger('generation').notNullable().comment('raised by each statement that inserts, updates or deletes plays of the account');
  });
  await knex.raw(`comment on table play_history_generations is 'how many statements changed an account''s plays: the key of cached reads over them'`);
  // PL/pgSQL plans a statement when it first runs it, so each branch names only the transition tables its operation has.
  await knex.raw(`
    create function play_history_bump() returns trigger language plpgsql as $$
    begin
      if tg_op = 'TRUNCATE' then
        update play_history_generations set generation = generation + 1;
      elsif tg_op = 'INSERT' then
        insert into play_history_generations (account_id, generation)
          select c.account_id, 1 from (select distinct account_id from new_plays) c where exists (select 1 from accounts a where a.id = c.account_id)
          on conflict (account_id) do update set generation = play_history_generations.generation + 1;
      elsif tg_op = 'DELETE' then
        insert into play_history_generations (account_id, generation)
          select c.account_id, 1 from (select distinct account_id from old_plays) c where exists (select 1 from accounts a where a.id = c.account_id)
          on conflict (account_id) do update set generation = play_history_generations.generation + 1;
      else
        insert into play_history_generations (account_id, generation)
          select c.account_id, 1 from (select account_id from new_plays union select account_id from old_plays) c where exists (select 1 from accounts a where a.id = c.account_id)
          on conflict (account_id) do update set generation = play_history_generations.generation + 1;
      end if;
      return null;
    end $$`);
  await knex.raw(`comment on function play_history_bump() is 'raises play_history_generations for the accounts whose plays a statement changed'`);
  await knex.raw('create trigger play_history_bump_insert after insert on play_history referencing new table as new_plays for each statement execute function play_history_bump()');
  await knex.raw('create trigger play_history_bump_delete after delete on play_history referencing old table as old_plays for each statement execute function play_history_bump()');
  await knex.raw(
    'create trigger play_history_bump_update after update on play_history referencing old table as old_plays new table as new_plays for each statement execute function play_history_bump()',
  );
  await knex.raw('create trigger play_history_bump_truncate after truncate on play_history for each statement execute function play_history_bump()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function play_history_bump() cascade');
  await knex.schema.dropTable('play_history_generations');
}
