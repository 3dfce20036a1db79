import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '../../src/config/load-config.js';
import type { Db } from '../../src/db/connect.js';
import type { AccountRow, SyncHistoryRow, SyncStateRow } from '../../src/db/rows.js';

/** A config of its own per test file: a task queue no worker listens on, so nothing runs what we start. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    TEMPORAL_TASK_QUEUE: `api-test-${randomBytes(4).toString('hex')}`,
    TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    ...env,
  });
}

export async function connectTemporal(address: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace: 'default' });
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A Temporal "client" that cannot connect (fails fast, like Connection.connect against a closed port). */
export const unreachableTemporal = async (): Promise<Client> => {
  const port = await closedPort();
  const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 300 });
  return new Client({ connection });
};

export async function insertAccount(
  db: Db,
  id: string,
  fields: Partial<Pick<AccountRow, 'display_name' | 'sync_state' | 'sync_phase' | 'needs_reauth' | 'connected_at'>> = {},
): Promise<void> {
  await db('accounts').insert({
    id,
    spotify_user_id: id,
    display_name: `User ${id}`,
    refresh_token_encrypted: 'not-a-real-token',
    ...fields,
  });
}

export async function insertSyncState(
  db: Db,
  accountId: string,
  entity: SyncStateRow['entity_type'],
  fields: Partial<Omit<SyncStateRow, 'id' | 'account_id' | 'entity_type'>> = {},
): Promise<void> {
  await db('sync_state').insert({ account_id: accountId, entity_type: entity, phase: 'initial', ...fields });
}

export async function insertHistory(
  db: Db,
  accountId: string,
  rows: { entity?: SyncHistoryRow['entity_type']; items: number; durationMs: number; at: Date; rateLimited?: boolean; phase?: SyncHistoryRow['phase'] }[],
): Promise<void> {
  await db('sync_history').insert(
    rows.map((r, i) => ({
      account_id: accountId,
      phase: r.phase ?? 'initial',
      entity_type: r.entity ?? 'tracks',
      batch_number: i + 1,
      items: r.items,
      api_calls: Math.ceil(r.items / 50),
      duration_ms: r.durationMs,
      rate_limited: r.rateLimited ?? false,
      created_at: r.at,
    })),
  );
}

export async function insertPlays(db: Db, accountId: string, count: number, start: Date): Promise<void> {
  await db('albums').insert({ id: 'album-1', name: 'Album' }).onConflict('id').ignore();
  await db('tracks').insert({ id: 'track-1', name: 'Track', album_id: 'album-1' }).onConflict('id').ignore();
  await db('play_history').insert(
    Array.from({ length: count }, (_, i) => ({
      account_id: accountId,
      played_at: new Date(start.getTime() + i * 60_000),
      track_id: 'track-1',
    })),
  );
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
