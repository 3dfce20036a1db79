import { describeDatabaseUrl } from '../db/connect.js';
import { migrateLatest } from '../db/migrate.js';
import { withCommandRuntime } from './runtime.js';

export function migrateCommand(): Promise<void> {
  return withCommandRuntime({ poolMax: 1 }, async ({ config, db }) => {
    const applied = await migrateLatest(db);
    console.log(applied.length > 0 ? `applied ${applied.length} migrations to ${describeDatabaseUrl(config.databaseUrl)}:\n  ${applied.join('\n  ')}` : 'database is up to date');
  });
}
