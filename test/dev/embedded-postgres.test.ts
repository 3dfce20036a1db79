import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
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

describe('embedded Postgres (PGlite over the wire protocol)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'spotify-sync-pglite-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is started when no local server answers, runs the migrations and ordinary knex queries, and keeps its data across a restart', async () => {
    const closedPort = await findFreePort();
    const pgHandle = await ensurePostgres({
      dataDir,
      log,
      localUrl: `postgres://postgres@127.0.0.1:${closedPort}/spotify_sync`,
      embeddedPort: 0,
    });
    expect(pgHandle.kind).toBe('embedded');

    const db = connectDb(pgHandle.databaseUrl, { poolMax: 6 });
    try {
      expect((await migrateLatest(db)).length).toBeGreaterThan(0);

      await db('accounts').insert({ id: 'acct-1', spotify_user_id: 'user-1', refresh_token_encrypted: 'enc' });
      await db('artists').insert([{ id: 'ar-1', name: 'First' }, { id: 'ar-2', name: 'Second' }]);
      await db('artists')
        .insert([{ id: 'ar-1', name: 'First (renamed)' }, { id: 'ar-3', name: 'Third' }])
        .onConflict('id')
        .merge(['name']);
      expect(await db('artists').orderBy('id').pluck('name')).toEqual(['First (renamed)', 'Second', 'Third']);

      // A failed transaction leaves nothing behind.
      await expect(
        db.transaction(async (trx) => {
          await trx('artists').insert({ id: 'ar-rolled-back', name: 'x' });
          await trx('artists').insert({ id: 'ar-1', name: 'duplicate key' });
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(await db('artists').where({ id: 'ar-rolled-back' }).first()).toBeUndefined();

      // Concurrent transactions on several pooled connections, some with large parameter sets (their
      // messages arrive in several TCP chunks), each seeing only its own statements.
      const big = 'y'.repeat(300_000);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          db.transaction(async (trx) => {
            await trx('albums').insert({ id: `al-${i}`, name: i % 3 === 0 ? big : `Album ${i}` });
            await trx('albums').where({ id: `al-${i}` }).update({ total_tracks: i });
          }),
        ),
      );
      const albums = await db('albums').select('id', 'total_tracks', db.raw('length(name) as name_length'));
      expect(albums).toHaveLength(12);
      for (const album of albums) {
        const i = Number(String(album.id).slice(3));
        expect(album.total_tracks).toBe(i);
        expect(album.name_length).toBe(i % 3 === 0 ? big.length : `Album ${i}`.length);
      }
      const selects = await Promise.all(
        Array.from({ length: 40 }, (_, i) => db.raw(`select ?::int as n, ${i} as k${i % 5}`, [i]).then((r) => r.rows[0])),
      );
      selects.forEach((row, i) => expect(row).toEqual({ n: i, [`k${i % 5}`]: i }));
    } finally {
      await db.destroy();
      await pgHandle.stop();
    }

    const restarted = await startEmbeddedPostgres({ dataDir, port: 0, log });
    const db2 = connectDb(restarted.databaseUrl, { poolMax: 2 });
    try {
      expect(await migrateLatest(db2)).toEqual([]);
      expect(await db2('artists').orderBy('id').pluck('id')).toEqual(['ar-1', 'ar-2', 'ar-3']);
      expect(await db2('accounts').pluck('id')).toEqual(['acct-1']);

      // A second start on the same data dir while it is served uses the running server.
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
    await expect(
      ensurePostgres({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/spotify_sync`, dataDir: '/nonexistent', log }),
    ).rejects.toThrow(`DATABASE_URL (127.0.0.1:${port}/spotify_sync) does not answer`);
  });
});
