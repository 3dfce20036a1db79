import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { connectDb, type Db } from '../../src/db/connect.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { findFreePort } from '../../src/dev/ports.js';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server.js';
import { findTemporalBinary } from '../../src/temporal/binaries.js';

/**
 * Quiet SDK logs: the benchmark prints its own progress. No shutdown signals: on Ctrl-C the benchmark
 * itself stops what it started (run.ts). Must run before any worker or connection.
 */
export function quietTemporalRuntime(): void {
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
}

export const adminUrl = (): string => process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

/**
 * Fresh, migrated databases, copied from a template migrated once (CREATE DATABASE ... TEMPLATE is a
 * file copy: much faster than migrating every run). Pools have the product's default size. One admin
 * connection serves the whole benchmark run; its names carry a prefix of their own, so the CPU meter
 * tells our Postgres backends from those of a test suite running alongside.
 */
export class DatabaseFactory {
  private template: string | undefined;
  readonly prefix = `spotify_sync_bench_${randomBytes(3).toString('hex')}`;
  private count = 0;
  private adminClient: Promise<pg.Client> | undefined;

  private async admin(sql: string): Promise<pg.QueryResult> {
    this.adminClient ??= (async () => {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      return client;
    })();
    return (await this.adminClient).query(sql);
  }

  private urlOf(name: string): string {
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    return url.toString();
  }

  async create(): Promise<BenchDatabase> {
    if (!this.template) {
      const template = `${this.prefix}_template`;
      await this.admin(`create database ${template}`);
      const db = connectDb(this.urlOf(template), { poolMax: 2 });
      await migrateLatest(db);
      await db.destroy();
      this.template = template;
    }
    const name = `${this.prefix}_${++this.count}`;
    await this.admin(`create database ${name} template ${this.template}`);
    const url = this.urlOf(name);
    const db = connectDb(url);
    const admin = (sql: string) => this.admin(sql);
    return {
      url,
      name,
      db,
      async drop() {
        await db.destroy().catch(() => undefined);
        await admin(`drop database if exists ${name} with (force)`);
      },
    };
  }

  /** The Postgres server's version, for the machine description. */
  async serverVersion(): Promise<string> {
    return (await this.admin('show server_version')).rows[0]?.server_version as string;
  }

  /** Drops every database of this run still there (the template, and any an interrupted scenario left). */
  async close(): Promise<void> {
    if (!this.adminClient) return;
    const left = await this.admin(`select datname from pg_database where datname like '${this.prefix}%'`);
    for (const { datname } of left.rows as { datname: string }[]) await this.admin(`drop database if exists ${datname} with (force)`);
    await (await this.adminClient).end();
  }
}

export interface TemporalDev {
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  stop(): Promise<void>;
}

/** `temporal server start-dev` as `npm run dev` starts it (SQLite file, here in a temp dir), headless, on a free port. */
export async function startTemporal(): Promise<TemporalDev> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spotify-sync-bench-'));
  const server = await startTemporalDevServer({ dataDir, port: await findFreePort(), ui: false, log: () => undefined, launcher: 'cli' });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  return {
    address: server.address,
    client,
    nativeConnection,
    async stop() {
      await nativeConnection.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function tryRun(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export async function machineInfo(databases: DatabaseFactory): Promise<Record<string, unknown>> {
  const postgres = await databases.serverVersion();
  const temporalBin = findTemporalBinary('cli');
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    nproc: Number(tryRun('nproc', [])) || null,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
    temporalCli: temporalBin ? tryRun(temporalBin, ['--version']) : null,
    platform: `${process.platform} ${process.arch}`,
    kernel: tryRun('uname', ['-r']),
  };
}
