import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canConnect, isPortFree } from './ports.js';
import { servePglite } from './pglite-server.js';
import type { LogFn } from './processes.js';

export interface EmbeddedPostgresOptions {
  /** The database lives in `<dataDir>/pglite`; `<dataDir>/pglite.lock` marks it in use. */
  dataDir: string;
  /** Default: 5433 when free, else any free port. */
  port?: number;
  host?: string;
  log: LogFn;
  /** See PgliteServerOptions.lockTimeoutMs. */
  lockTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  databaseUrl: string;
  port: number;
  /** False when another process of this project already serves the same data dir and we use it. */
  owned: boolean;
  stop(): Promise<void>;
}

interface LockInfo {
  pid: number;
  port: number | null;
}

const preferredPort = 5433;

function urlFor(host: string, port: number): string {
  // PGlite has one database and trusts every user; the name in the URL is not checked.
  return `postgres://postgres@${host}:${port}/postgres`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' ? { pid: info.pid, port: typeof info.port === 'number' ? info.port : null } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data dir's lock. Two processes must never open one PGlite directory (PGlite has no
 * postmaster.pid of its own), so a live holder means: use its server if it answers, else fail.
 */
async function takeLock(lockPath: string, host: string, log: LogFn): Promise<{ reuse?: EmbeddedPostgres }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockPath, JSON.stringify({ pid: process.pid, port: null } satisfies LockInfo), { flag: 'wx' });
      return {};
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readLock(lockPath);
    if (holder && isAlive(holder.pid)) {
      // The holder may still be starting (a first start runs initdb for a few seconds).
      const deadline = Date.now() + 15_000;
      for (;;) {
        const current = (await readLock(lockPath)) ?? holder;
        if (current.port !== null && (await canConnect(host, current.port))) {
          log(`embedded Postgres is already served by process ${current.pid}; using it`);
          return { reuse: { databaseUrl: urlFor(host, current.port), port: current.port, owned: false, stop: async () => undefined } };
        }
        if (Date.now() > deadline || !isAlive(current.pid)) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      if (isAlive(holder.pid)) {
        throw new Error(
          `the embedded Postgres data in ${lockPath.replace(/\.lock$/, '')} is in use by process ${holder.pid}, which does not answer; ` +
            `stop that process, or delete ${lockPath} if it is not this project`,
        );
      }
    }
    // Stale: its process is gone (PGlite recovers from an unclean stop like Postgres does).
    await rm(lockPath, { force: true });
  }
  throw new Error(`could not take ${lockPath}`);
}

/** Starts PGlite on `<dataDir>/pglite` and serves it over the Postgres wire protocol on 127.0.0.1. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dataDir, { recursive: true });
  const lockPath = join(options.dataDir, 'pglite.lock');
  const { reuse } = await takeLock(lockPath, host, options.log);
  if (reuse) return reuse;

  try {
    const pgDataDir = join(options.dataDir, 'pglite');
    const started = Date.now();
    // Loaded only here: the wasm build is large and only the embedded path needs it.
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(pgDataDir);
    let port = options.port;
    if (port === undefined) port = (await isPortFree(preferredPort, host)) ? preferredPort : 0;
    let server;
    try {
      server = await servePglite(db, { host, port, log: options.log, lockTimeoutMs: options.lockTimeoutMs });
    } catch (error) {
      await db.close();
      throw error;
    }
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, port: server.port } satisfies LockInfo));
    const databaseUrl = urlFor(host, server.port);
    options.log(`embedded Postgres (PGlite, data in ${pgDataDir}) listening on ${host}:${server.port} after ${Date.now() - started} ms`);

    let stopping: Promise<void> | undefined;
    return {
      databaseUrl,
      port: server.port,
      owned: true,
      stop() {
        stopping ??= (async () => {
          try {
            await server.close();
            await db.close();
          } finally {
            await rm(lockPath, { force: true });
          }
        })();
        return stopping;
      },
    };
  } catch (error) {
    await rm(lockPath, { force: true });
    throw error;
  }
}
