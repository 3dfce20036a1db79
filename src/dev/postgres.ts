import pg from 'pg';
import { describeDatabaseUrl } from '../db/connect.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { inProcessService, type LogFn, type RunningService } from './processes.js';

export const localDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/spotify_sync';

export interface EnsurePostgresOptions {
  /**
   * The user's DATABASE_URL, or undefined when they set none. Pass the raw environment value, not
   * loadConfig's databaseUrl, which already has the local default filled in.
   */
  databaseUrl?: string;
  /** Where the embedded cluster is kept (`<dataDir>/postgres`). */
  dataDir: string;
  log: LogFn;
  /** The local server tried when no DATABASE_URL is set (default localDatabaseUrl). */
  localUrl?: string;
  /** Port of the embedded server (default 5433 when free, else any free port). */
  embeddedPort?: number;
}

export type PostgresKind = 'configured' | 'local' | 'embedded';

/** A RunningService named 'postgres'; stop() ends only what ensurePostgres started (the embedded server). */
export interface PostgresHandle extends RunningService {
  databaseUrl: string;
  kind: PostgresKind;
}

function handle(databaseUrl: string, kind: PostgresKind, server?: EmbeddedPostgres): PostgresHandle {
  if (server) return { name: 'postgres', exited: server.exited, stop: () => server.stop(), databaseUrl, kind };
  const service = inProcessService('postgres', async () => undefined);
  return { name: service.name, exited: service.exited, stop: service.stop, databaseUrl, kind };
}

type Probe = { ok: true } | { ok: false; missingDatabase: boolean; error: Error & { code?: string } };

async function probe(databaseUrl: string): Promise<Probe> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    const e = error as Error & { code?: string };
    // 3D000 invalid_catalog_name: the server answered, the database is not there.
    return { ok: false, missingDatabase: e.code === '3D000', error: e };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database named in `databaseUrl` on its server (through the `postgres` database). */
export async function createDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`${describeDatabaseUrl(databaseUrl)} names no database`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // 42P04 duplicate_database: someone else created it meanwhile.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Finds or starts the Postgres `npm run dev` uses: DATABASE_URL if set (it must answer); else the
 * local server at localDatabaseUrl; else an embedded PostgreSQL on 127.0.0.1 (data in the data folder). A missing database
 * is created on a server that answers.
 */
export async function ensurePostgres(options: EnsurePostgresOptions): Promise<PostgresHandle> {
  const { log } = options;
  if (options.databaseUrl) {
    const where = describeDatabaseUrl(options.databaseUrl);
    const result = await probe(options.databaseUrl);
    if (!result.ok) {
      if (!result.missingDatabase) throw new Error(`DATABASE_URL (${where}) does not answer: ${result.error.message}`);
      log(`creating database ${where}`);
      await createDatabase(options.databaseUrl);
    }
    log(`using Postgres at ${where} (DATABASE_URL)`);
    return handle(options.databaseUrl, 'configured');
  }

  const localUrl = options.localUrl ?? localDatabaseUrl;
  const where = describeDatabaseUrl(localUrl);
  const local = await probe(localUrl);
  if (local.ok) {
    log(`using the local Postgres at ${where}`);
    return handle(localUrl, 'local');
  }
  if (local.missingDatabase) {
    try {
      log(`creating database ${where}`);
      await createDatabase(localUrl);
      log(`using the local Postgres at ${where}`);
      return handle(localUrl, 'local');
    } catch (error) {
      log(`could not create ${where} (${(error as Error).message}); starting an embedded Postgres instead`);
    }
  } else {
    log(`no local Postgres at ${where} (${local.error.message || local.error.code}); starting an embedded Postgres`);
  }

  const embedded = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.embeddedPort, log });
  const url = new URL(embedded.databaseUrl);
  url.pathname = new URL(localUrl).pathname;
  const databaseUrl = url.toString();
  const target = await probe(databaseUrl);
  if (!target.ok) {
    try {
      if (!target.missingDatabase) throw target.error;
      log(`creating database ${describeDatabaseUrl(databaseUrl)}`);
      await createDatabase(databaseUrl);
    } catch (error) {
      await embedded.stop();
      throw new Error(`the embedded PostgreSQL does not answer: ${(error as Error).message}`, { cause: error });
    }
  }
  return handle(databaseUrl, 'embedded', embedded);
}
