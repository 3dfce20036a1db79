import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connect.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { startRestoreWorkflow, type WorkflowControlDeps } from '../temporal/workflow-control.js';
import { planPlaylistRestore, planSavedRestore, splitRestorable, type RestorePlan } from '../versions/restore-plan.js';
import { readPlaylistVersion } from '../versions/version-store.js';
import { recordAuditEvent } from '../household/audit-log.js';

/** The scopes a restore writes with, asked for only when the user wants restores (incremental consent). */
export const RESTORE_SCOPES = ['playlist-modify-private', 'playlist-modify-public', 'user-library-modify'] as const;

export type RestoreTarget = { kind: 'playlist'; playlistId: string; version?: number } | { kind: 'saved'; since: string; kinds?: string[] };

/** Restores need scopes the account's login did not grant. */
export class ScopeRequiredError extends Error {
  constructor(readonly missing: string[]) {
    super(`restores need the scopes ${missing.join(', ')}: log in again and grant them`);
    this.name = 'ScopeRequiredError';
  }
}

export async function missingRestoreScopes(db: Db, accountId: string): Promise<string[]> {
  const row = (await db('accounts').where({ id: accountId }).first('granted_scopes')) as { granted_scopes: string | null } | undefined;
  const granted = new Set((row?.granted_scopes ?? '').split(' '));
  return RESTORE_SCOPES.filter((s) => !granted.has(s));
}

interface Planned {
  plan: RestorePlan;
  targetUris: string[];
  playlistId: string | null;
  details: { name: string; description: string | null; public: boolean | null } | null;
}

/** What a restore will do, from the mirror: the plan, the uris the result must hold, the playlist it writes. */
export async function planRestore(db: Db, accountId: string, target: RestoreTarget): Promise<Planned> {
  if (target.kind === 'saved') {
    const since = new Date(target.since);
    if (Number.isNaN(since.getTime())) throw new InvalidInputError('invalid_since', 'since must be a date');
    const kinds = target.kinds ?? ['track', 'album', 'artist', 'show', 'episode', 'audiobook'];
    // The last change of each item: those whose last change is a removal since then are saved again.
    const rows = (await db
      .select('kind', 'item_id', 'change', 'at')
      .from(
        db('library_changes')
          .where({ account_id: accountId })
          .whereIn('kind', kinds)
          .distinctOn('kind', 'item_id')
          .orderBy([{ column: 'kind' }, { column: 'item_id' }, { column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }])
          .select('kind', 'item_id', 'change', 'at')
          .as('last'),
      )
      .where('change', 'removed')
      .where('at', '>=', since)
      .orderBy('at', 'desc')) as { kind: string; item_id: string }[];
    const uris = rows.map((r) => `spotify:${r.kind}:${r.item_id}`);
    return { plan: planSavedRestore(uris), targetUris: uris, playlistId: null, details: null };
  }
  const playlist = (await db('playlists').where({ account_id: accountId, id: target.playlistId }).first('id', 'owner_id', 'collaborative', 'removed_at')) as
    { id: string; owner_id: string | null; collaborative: boolean; removed_at: Date | null } | undefined;
  const account = (await db('accounts').where({ id: accountId }).first('spotify_user_id')) as { spotify_user_id: string } | undefined;
  const wanted = await readPlaylistVersion(db, accountId, target.playlistId, target.version);
  if (!playlist || !wanted)
    throw new NotFoundError('unknown_version', target.version === undefined ? 'no version of that playlist is stored' : `no version ${target.version} of that playlist`);
  const owned = playlist.owner_id !== null && playlist.owner_id === account?.spotify_user_id;
  const deleted = playlist.removed_at !== null;
  // A followed playlist is followed again whatever the version named (its last event is the deletion).
  if (deleted && !owned) {
    return { plan: planPlaylistRestore('follow', [], [], false), targetUris: [`spotify:playlist:${playlist.id}`], playlistId: playlist.id, details: null };
  }
  if (wanted.event === 'deleted') throw new InvalidInputError('deleted_version', 'that version is the deletion: choose a version before it');
  const details = { name: wanted.name, description: wanted.description, public: wanted.public };
  if (!deleted && !owned && !playlist.collaborative) {
    const plan = planPlaylistRestore('none', [], [], false);
    plan.notRestorable.push({ uri: `spotify:playlist:${playlist.id}`, reason: 'followed playlist: only its owner can change it' });
    return { plan, targetUris: [], playlistId: playlist.id, details: null };
  }
  if (!wanted.itemsKnown) throw new InvalidInputError('entries_unknown', 'the entries of that version were never readable: nothing to restore');
  const latest = deleted ? undefined : await readPlaylistVersion(db, accountId, target.playlistId);
  const action = deleted ? 'recreate' : 'rollback';
  const detailsChange = latest !== undefined && (latest.name !== wanted.name || (latest.description ?? '') !== (wanted.description ?? ''));
  const plan = planPlaylistRestore(action, latest?.entries ?? [], wanted.entries, detailsChange);
  return { plan, targetUris: splitRestorable(wanted.entries).uris, playlistId: deleted ? null : playlist.id, details };
}

/** What the security log says of a restore started: its target and action, never an entry. */
function restoreDetail(target: RestoreTarget, plan: RestorePlan): string {
  if (target.kind === 'saved') return `saved items removed since ${target.since}: save ${plan.add.length} again`;
  return `playlist ${target.playlistId}${target.version === undefined ? '' : ` version ${target.version}`}: ${plan.action}`;
}

/** A restore as GET /api/restores/:restoreId shows it. */
export interface RestoreView {
  restoreId: string;
  state: string;
  target: RestoreTarget;
  plan: RestorePlan;
  progress: { done: number; total: number };
  result: { playlistId: string | null; created: boolean; added: number; removed: number; notRestorable: number; verified: boolean } | null;
}

export async function readRestore(db: Db, accountId: string, restoreId: string): Promise<RestoreView> {
  const row = (await db('restores').where({ account_id: accountId, id: restoreId }).first()) as
    { id: string; state: string; target: RestoreTarget; plan: RestorePlan; done: number; total: number; result: RestoreView['result'] } | undefined;
  if (!row) throw new NotFoundError('unknown_restore', 'no such restore');
  return { restoreId: row.id, state: row.state, target: row.target, plan: row.plan, progress: { done: row.done, total: row.total }, result: row.result };
}

/**
 * Starts a restore (checked and planned first): one row and one restoreWorkflow. The same
 * Idempotency-Key answers the restore it started before, started nothing again.
 */
export async function startRestore(
  deps: { db: Db; workflows: () => Promise<WorkflowControlDeps> },
  input: { accountId: string; target: RestoreTarget; idempotencyKey?: string; actor: string; client?: string | null; now?: Date },
): Promise<{ restoreId: string; repeated: boolean }> {
  const { db } = deps;
  if (input.idempotencyKey) {
    const existing = (await db('restores').where({ account_id: input.accountId, idempotency_key: input.idempotencyKey }).first('id')) as { id: string } | undefined;
    if (existing) return { restoreId: existing.id, repeated: true };
  }
  const missing = await missingRestoreScopes(db, input.accountId);
  if (missing.length > 0) throw new ScopeRequiredError(missing);
  const planned = await planRestore(db, input.accountId, input.target);
  if (planned.plan.action === 'none') throw new InvalidInputError('not_restorable', planned.plan.notRestorable[0]?.reason ?? 'nothing to restore');
  const restoreId = randomUUID();
  const inserted = await db('restores')
    .insert({
      id: restoreId,
      account_id: input.accountId,
      idempotency_key: input.idempotencyKey ?? null,
      target: JSON.stringify(input.target),
      plan: JSON.stringify(planned.plan),
      target_uris: JSON.stringify(planned.targetUris),
      details: planned.details ? JSON.stringify(planned.details) : null,
      playlist_id: planned.playlistId,
      total: planned.targetUris.length,
    })
    .onConflict(['account_id', 'idempotency_key'])
    .ignore()
    .returning('id');
  if (inserted.length === 0) {
    const existing = (await db('restores').where({ account_id: input.accountId, idempotency_key: input.idempotencyKey }).first('id')) as { id: string };
    return { restoreId: existing.id, repeated: true };
  }
  try {
    await startRestoreWorkflow(await deps.workflows(), { accountId: input.accountId, restoreId });
  } catch (error) {
    await db('restores').where({ id: restoreId }).delete();
    throw error;
  }
  await recordAuditEvent(db, {
    event: 'restore',
    accountId: input.accountId,
    actor: input.actor,
    detail: restoreDetail(input.target, planned.plan),
    client: input.client ?? null,
    at: input.now ?? new Date(),
  });
  return { restoreId, repeated: false };
}
