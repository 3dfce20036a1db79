import { execFile } from 'node:child_process';
import type { Stats } from 'node:fs';
import { chmod, lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * PostgreSQL refuses to run as root: started by root, the embedded server runs as the `postgres` user
 * instead, which must be able to reach its binaries and its data folder. A repository in a private
 * folder (`/root/…`, mode 700) offers neither: what the server needs then lives in a root-owned,
 * world-readable folder outside it (defaultSharedDir).
 */

export interface ServerIds {
  uid: number;
  gid: number;
}

export const serverUser = 'postgres';

/** Where root keeps the embedded server's binaries and clusters the `postgres` user cannot reach in the repository. */
export const defaultSharedDir = '/var/lib/spotify-sync';

const run = promisify(execFile);

/** The `postgres` user's ids when we run as root (the user is created when missing); undefined otherwise. */
export async function serverIds(): Promise<ServerIds | undefined> {
  if (process.platform === 'win32' || userInfo().uid !== 0) return undefined;
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

/** Whether the folder's permission bits let the user with these ids through it. */
function lets(info: Stats, ids: ServerIds): boolean {
  if (info.uid === ids.uid) return (info.mode & 0o100) !== 0;
  if (info.gid === ids.gid) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}

/**
 * Whether the server user can enter `dir`: every folder on the way, as written and once links are
 * resolved, must let it through. Read from the permission bits (a child process started as that
 * user has no supplementary groups; access control lists are not consulted).
 */
export async function serverCanEnter(ids: ServerIds, dir: string): Promise<boolean> {
  const ancestors = (path: string) => {
    const all = [path];
    while (dirname(all[all.length - 1]!) !== all[all.length - 1]) all.push(dirname(all[all.length - 1]!));
    return all;
  };
  try {
    const folders = new Set([...ancestors(resolve(dir)), ...ancestors(await realpath(dir))]);
    for (const folder of folders) if (!lets(await stat(folder), ids)) return false;
    return true;
  } catch {
    return false;
  }
}

/** Whether the server user can run the PostgreSQL executable `binary` (with the libraries it loads). */
export async function serverCanRun(ids: ServerIds, binary: string): Promise<boolean> {
  try {
    // From a folder it can enter: our working directory may be private.
    await run(binary, ['--version'], { uid: ids.uid, gid: ids.gid, cwd: '/', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates `dir` (and its parents) readable and enterable by everyone, and checks that only root can
 * write to it: what the server runs from there must be what root put there.
 */
export async function ensureSharedDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: 0o755 });
  if (created !== undefined) await chmod(dir, 0o755); // against a restrictive umask
  const info = await lstat(dir);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) {
    throw new Error(`${dir} must be a folder owned by root and writable by root only (it holds what the embedded PostgreSQL runs as the ${serverUser} user)`);
  }
  if ((info.mode & 0o005) !== 0o005) await chmod(dir, info.mode | 0o755);
}
