import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDb, type Db } from '../../src/db/connect.js';
import { migrateLatest } from '../../src/db/migrate.js';

const adminUrl = () => process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of its own for one test file; `drop()` removes it. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `spotify_sync_test_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`create database ${c.escapeIdentifier(name)}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const db = connectDb(url.toString(), { poolMax: 8 });
  if (options.migrate !== false) await migrateLatest(db);
  return {
    url: url.toString(),
    name,
    db,
    async drop() {
      await db.destroy();
      await admin((c) => c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`));
    },
  };
}
