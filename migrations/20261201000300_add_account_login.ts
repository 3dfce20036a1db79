import type { Knex } from 'knex';

/**
 * When the user logged in, and what Spotify last refused about the account. Spotify's refresh tokens
 * stop working six months after the login whatever is refreshed since, so the login time is what the
 * status, the banner and the login-expiry metric count from. A development-mode app also refuses users
 * not registered in its dashboard, and everyone once its owner's Premium lapses.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.timestamp('authorized_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('when the user logged in (login or connect with a new token); a token refresh does not move it');
    t.text('login_problem').comment('what Spotify last refused: invalid_grant, user_not_registered or owner_premium_required; null when it answers');
    t.check(`login_problem is null or login_problem in ('invalid_grant', 'user_not_registered', 'owner_premium_required')`, [], 'accounts_login_problem_check');
  });
  // Accounts connected before this column existed: their connection is the best known login time.
  await knex.raw('update accounts set authorized_at = connected_at');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.dropChecks(['accounts_login_problem_check']);
    t.dropColumn('login_problem');
    t.dropColumn('authorized_at');
  });
}
