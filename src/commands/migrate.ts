import { connectDb, describeDatabaseUrl } from '../db/connect.js';
import { migrateLatest } from '../db/migrate.js';
import { loadRuntimeConfig } from './runtime.js';

export async function migrateCommand(): Promise<void> {
  const config = loadRuntimeConfig();
  const db = connectDb(config.databaseUrl, { poolMax: 1 });
  try {
    const applied = await migrateLatest(db);
    console.log(applied.length > 0 ? `applied ${applied.length} migrations to ${describeDatabaseUrl(config.databaseUrl)}:\n  ${applied.join('\n  ')}` : 'database is up to date');
  } finally {
    await db.destroy();
  }
}
