import { createApp } from '../../src/api/create-app.js';
import { initialSyncWorkflowId } from '../../src/ids.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

/**
 * A library synced through the real workflows from the simulator, plus a few things a real library
 * has that a fresh sync does not: an accented name, a removed save, a deleted playlist, plays and a gap.
 */
export async function syncedLibrary(options: { env?: Record<string, string> } = {}) {
  const h: Harness = await createHarness({ sim: { seed: 7, tracks: 240, playlists: 8, appMode: 'development' }, env: options.env });
  await h.startWorker();
  const { accountId } = await h.connect();
  await h.client.workflow.getHandle(initialSyncWorkflowId(accountId)).result();
  const db = h.db.db;

  const saved = (await db('saved_tracks').where({ account_id: accountId }).orderBy('added_at', 'desc').select('track_id')) as { track_id: string }[];
  const accentedId = saved[3]!.track_id;
  await db('tracks').where({ id: accentedId }).update({ name: 'Café Déjà Vu Ñandú' });
  const removedId = saved[5]!.track_id;
  await db('saved_tracks')
    .where({ account_id: accountId, track_id: removedId })
    .update({ removed_at: new Date('2026-11-20T10:00:00Z') });
  const playlists = (await db('playlists').where({ account_id: accountId }).orderBy('list_position').select('id', 'items_accessible')) as {
    id: string;
    items_accessible: boolean | null;
  }[];
  const deletedPlaylist = playlists.find((p) => p.items_accessible !== false)!.id;
  await db('playlists')
    .where({ account_id: accountId, id: deletedPlaylist })
    .update({ removed_at: new Date('2026-11-25T08:00:00Z') });

  // Plays over three weeks, some days empty, a short stream, an unresolved export row, and a gap.
  const start = Date.parse('2026-11-01T00:00:00Z');
  const plays: Record<string, unknown>[] = [];
  for (let i = 0; i < 90; i++) {
    const dayIndex = (i * 7) % 21;
    if (dayIndex % 5 === 4) continue;
    plays.push({
      account_id: accountId,
      played_at: new Date(start + dayIndex * 86_400_000 + i * 61_000),
      track_id: saved[i % 12]!.track_id,
      source: i % 3 === 0 ? 'extended_export' : 'poll',
      ms_played: i % 3 === 0 ? 120_000 + i * 1000 : null,
    });
  }
  plays.push({ account_id: accountId, played_at: new Date(start + 2 * 86_400_000 + 500), track_id: saved[0]!.track_id, source: 'extended_export', ms_played: 5_000 });
  plays.push({
    account_id: accountId,
    played_at: new Date(start + 3 * 86_400_000 + 700),
    track_id: null,
    source: 'account_export',
    ms_played: 200_000,
    track_name: 'Gone Song',
    artist_name: 'Nobody Known',
  });
  await db('play_history').insert(plays);
  await db('playback_gaps').insert({ account_id: accountId, gap_start: new Date('2026-11-10T14:02:00Z'), gap_end: new Date('2026-11-10T16:40:00Z') });

  const app = createApp({ db, config: h.config, temporal: async () => h.client, now: () => new Date('2026-11-21T12:00:00Z') });
  return { h, db, accountId, app, accentedId, removedId, deletedPlaylist };
}

export async function getJson<T = Record<string, unknown>>(app: ReturnType<typeof createApp>, path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body: body as T, headers: res.headers };
}
