import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connect.js';
import { hashSecret, newSecret } from './secrets.js';

/** An invitation link works for a week, once. */
export const invitationDays = 7;

/** Makes an invitation: its secret (for the link) is returned once; only the hash is stored. */
export async function createInvitation(db: Db, input: { createdBy: string | null; now: Date }): Promise<{ secret: string; expiresAt: Date }> {
  const secret = newSecret();
  const expiresAt = new Date(input.now.getTime() + invitationDays * 86_400_000);
  await db('invitations').insert({ id: randomUUID(), token_hash: hashSecret(secret), created_by: input.createdBy, created_at: input.now, expires_at: expiresAt });
  return { secret, expiresAt };
}

/** Whether an invitation is unused and unexpired (the join page asks, before the login). */
export async function invitationIsOpen(db: Db, secret: string, now: Date): Promise<boolean> {
  const row = await db('invitations')
    .where({ token_hash: hashSecret(secret) })
    .whereNull('used_at')
    .where('expires_at', '>', now)
    .first('id');
  return row !== undefined;
}

/** Spends an invitation on the account that joins through it; false when it was used, expired or unknown. */
export async function redeemInvitation(db: Db, secret: string, accountId: string, now: Date): Promise<boolean> {
  const used = await db('invitations')
    .where({ token_hash: hashSecret(secret) })
    .whereNull('used_at')
    .where('expires_at', '>', now)
    .update({ used_at: now, used_by: accountId });
  return used > 0;
}

/** The invitations still open, for the owner's security page. */
export async function listOpenInvitations(db: Db, now: Date): Promise<{ id: string; createdAt: Date; expiresAt: Date }[]> {
  const rows = await db('invitations').whereNull('used_at').where('expires_at', '>', now).orderBy('created_at', 'desc').select('id', 'created_at', 'expires_at');
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, expiresAt: r.expires_at }));
}

/** Withdraws an open invitation. */
export async function withdrawInvitation(db: Db, id: string, now: Date): Promise<boolean> {
  return (await db('invitations').where({ id }).whereNull('used_at').update({ used_at: now, expires_at: now })) > 0;
}
