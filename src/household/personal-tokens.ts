import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connect.js';
import type { PersonalTokenRow, TokenScope } from '../db/rows.js';
import { hashSecret, newSecret } from './secrets.js';

export const tokenScopes = ['read', 'control'] as const satisfies readonly TokenScope[];
/** Every personal token starts so: a bearer token without it is the machine token (API_TOKEN) or wrong. */
export const personalTokenPrefix = 'sst_';

export type PersonalTokenSummary = Pick<PersonalTokenRow, 'id' | 'account_id' | 'name' | 'scope' | 'created_at' | 'last_used_at'>;

/** A token's name: what its person calls it (a script, a device). */
export const tokenNamePattern = /^[\p{L}\p{N} ._-]{1,60}$/u;

export class TokenNameTakenError extends Error {
  constructor(readonly tokenName: string) {
    super(`A token named "${tokenName}" exists already: revoke it first or choose another name`);
    this.name = 'TokenNameTakenError';
  }
}

/** Makes a token for one person's account: the token is returned once; only its hash is stored. */
export async function createPersonalToken(
  db: Db,
  input: { accountId: string; name: string; scope: TokenScope; now: Date },
): Promise<{ token: string; summary: PersonalTokenSummary }> {
  const token = newSecret(personalTokenPrefix);
  const row = { id: randomUUID(), account_id: input.accountId, name: input.name, scope: input.scope, token_hash: hashSecret(token), created_at: input.now };
  try {
    await db('personal_tokens').insert(row);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new TokenNameTakenError(input.name);
    throw error;
  }
  return { token, summary: { id: row.id, account_id: row.account_id, name: row.name, scope: row.scope, created_at: row.created_at, last_used_at: null } };
}

/** The token a bearer header holds, if it is a personal token still valid; its last use is recorded (once a minute at most). */
export async function findPersonalToken(db: Db, token: string, now: Date): Promise<PersonalTokenSummary | null> {
  if (!token.startsWith(personalTokenPrefix)) return null;
  const row = await db('personal_tokens')
    .where({ token_hash: hashSecret(token) })
    .whereNull('revoked_at')
    .first('id', 'account_id', 'name', 'scope', 'created_at', 'last_used_at');
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) await db('personal_tokens').where({ id: row.id }).update({ last_used_at: now });
  return row;
}

/** The tokens not revoked: one person's, or every person's (undefined). */
export async function listPersonalTokens(db: Db, accountId: string | undefined): Promise<PersonalTokenSummary[]> {
  const query = db('personal_tokens').whereNull('revoked_at').orderBy(['account_id', 'name']).select('id', 'account_id', 'name', 'scope', 'created_at', 'last_used_at');
  if (accountId !== undefined) query.where({ account_id: accountId });
  return query;
}

/** Revokes a person's token by name; whether there was one. */
export async function revokePersonalToken(db: Db, accountId: string, name: string, now: Date): Promise<boolean> {
  return (await db('personal_tokens').where({ account_id: accountId, name }).whereNull('revoked_at').update({ revoked_at: now })) > 0;
}
