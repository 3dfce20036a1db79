import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb } from '../../src/db/connect.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { startEmbeddedPostgres } from '../../src/dev/embedded-postgres.js';
import { findFreePort } from '../../src/dev/ports.js';
import { ensurePostgres } from '../../src/dev/postgres.js';

const logs: string[] = [];
const log = (line: string) => logs.push(line);

describe('embedded PostgreSQL (the embedded-postgres binaries)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'spotify-sync-embedded-pg-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is started when no local server answers, holds the migrated database, keeps its data across a restart and is reused while running', async () => {
    const closedPort = await findFreePort();
    const pgHandle = await ensurePostgres({
      dataDir,
      log,
      localUrl: `postgres://postgres@127.0.0.1:${closedPort}/spotify_sync`,
      embeddedPort: 0,
    });
    expect(pgHandle.kind).toBe('embedded');
    expect(new URL(pgHandle.databaseUrl).pathname).toBe('/spotify_sync');

    const db = connectDb(pgHandle.databaseUrl, { poolMax: 6 });
    try {
      expect((await migrateLatest(db)).length).toBeGreaterThan(0);
      const server = await db.raw("select current_setting('server_version_num')::int as version, current_setting('data_directory') as dir, current_user as who");
      expect(server.rows[0].version).toBeGreaterThanOrEqual(180000);
      expect(server.rows[0].dir).toBe(join(dataDir, 'postgres'));
      if (process.getuid?.() === 0) {
        // As root the server runs as the postgres user, which owns its data folder.
        const owner = (await stat(join(dataDir, 'postgres'))).uid;
        expect(owner).not.toBe(0);
      }

      await db('accounts').insert({ id: 'acct-1', spotify_user_id: 'user-1', refresh_token_encrypted: 'enc' });
      await db('artists').insert([
        { id: 'ar-1', name: 'First' },
        { id: 'ar-2', name: 'Second' },
      ]);
      // Concurrent transactions on several pooled connections: a real server, not one backend taking turns.
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          db.transaction(async (trx) => {
            await trx('albums').insert({ id: `al-${i}`, name: `Album ${i}` });
            await trx.raw('select pg_sleep(0.05)');
            await trx('albums')
              .where({ id: `al-${i}` })
              .update({ total_tracks: i });
          }),
        ),
      );
      expect(await db('albums').count({ n: '*' }).first()).toEqual({ n: 12 });
    } finally {
      await db.destroy();
      await pgHandle.stop();
    }
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const restarted = await startEmbeddedPostgres({ dataDir, port: 0, log });
    const spotifySync = new URL(restarted.databaseUrl);
    spotifySync.pathname = '/spotify_sync';
    const db2 = connectDb(spotifySync.toString(), { poolMax: 2 });
    try {
      expect(await migrateLatest(db2)).toEqual([]);
      expect(await db2('artists').orderBy('id').pluck('id')).toEqual(['ar-1', 'ar-2']);
      expect(await db2('accounts').pluck('id')).toEqual(['acct-1']);

      // A second start on the same data folder while it is served uses the running server.
      const second = await startEmbeddedPostgres({ dataDir, port: 0, log });
      expect(second.owned).toBe(false);
      expect(second.databaseUrl).toBe(restarted.databaseUrl);
    } finally {
      await db2.destroy();
      await restarted.stop();
    }
  });
});

describe('ensurePostgres with DATABASE_URL', () => {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  it('creates the configured database when the server answers but the database is missing', async () => {
    const url = new URL(adminUrl);
    const name = `spotify_sync_dev_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${name}`;
    const handle = await ensurePostgres({ databaseUrl: url.toString(), dataDir: '/nonexistent', log });
    try {
      expect(handle.kind).toBe('configured');
      const client = new pg.Client({ connectionString: handle.databaseUrl });
      await client.connect();
      expect((await client.query('select current_database() as name')).rows[0].name).toBe(name);
      await client.end();
    } finally {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it('fails with a clear message when the configured server does not answer', async () => {
    const port = await findFreePort();
    await expect(ensurePostgres({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/spotify_sync`, dataDir: '/nonexistent', log })).rejects.toThrow(
      `DATABASE_URL (127.0.0.1:${port}/spotify_sync) does not answer`,
    );
  });
});
