import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readlink, realpath, rmdir, stat, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LogFn } from './processes.js';
import { ensureSharedDir, serverCanEnter, serverUser, type ServerIds } from './postgres-server-user.js';

/**
 * The folder of the embedded cluster: `<dataDir>/postgres`; but when we are root and the server user
 * cannot enter dataDir (a repository in a private folder such as /root), a folder of its own in
 * `sharedDir`, named after dataDir, and linked from `<dataDir>/postgres` so that it is found there
 * (also once the repository has moved). Returns the folder the server is started on.
 */
export async function clusterFolder(options: { dataDir: string; ids: ServerIds | undefined; sharedDir: string; log: LogFn }): Promise<string> {
  const { dataDir, ids, log } = options;
  const inDataDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  if (!ids) return inDataDir;

  const existing = await lstat(inDataDir).catch(() => undefined);
  // Reached through its link: the server is given the folder itself, as it cannot follow the link's path.
  if (existing?.isSymbolicLink()) return resolve(dataDir, await readlink(inDataDir));

  // The server's user must be able to reach its folder inside ours (a mkdtemp folder is 0700).
  await chmod(dataDir, (await stat(dataDir)).mode | 0o111);
  if (await serverCanEnter(ids, dataDir)) return inDataDir;

  const key = createHash('sha256')
    .update(await realpath(dataDir))
    .digest('hex')
    .slice(0, 12);
  const shared = join(options.sharedDir, `postgres-${key}`);
  if (existing) {
    // An empty folder left by a start that could not use it makes way for the link; a cluster does not.
    if (!existing.isDirectory() || (await readdir(inDataDir)).length > 0) {
      throw new Error(
        `the ${serverUser} user cannot enter ${dataDir} (a folder on the way is private), so the embedded PostgreSQL cannot use ${inDataDir}: ` +
          `move it to ${shared} and leave a link in its place (ln -s ${shared} ${inDataDir}), or let that user through to ${dataDir}`,
      );
    }
    await rmdir(inDataDir);
  }
  await ensureSharedDir(options.sharedDir);
  try {
    await symlink(shared, inDataDir);
  } catch (error) {
    // Another start on the same folder linked it first.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await lstat(inDataDir)).isSymbolicLink()) return resolve(dataDir, await readlink(inDataDir));
    throw error;
  }
  log(`the ${serverUser} user cannot enter ${dataDir} (a folder on the way is private): the cluster lives in ${shared}, linked from ${inDataDir}`);
  return shared;
}
