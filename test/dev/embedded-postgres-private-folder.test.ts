import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/dev/embedded-postgres.js';
import { packageBinaryDir } from '../../src/dev/postgres-binaries.js';

/**
 * A repository cloned into a private folder (mode 700, as /root is) with the PostgreSQL binaries in
 * its node_modules: as root, the server runs as the `postgres` user, which can enter neither; the
 * binaries are copied to, and the cluster kept in, a root-owned folder it can reach (here a stand-in
 * for /var/lib/spotify-sync). As another user the server runs as that user, from the repository.
 */

const asRoot = process.getuid?.() === 0;
const logs: string[] = [];
const log = (line: string) => logs.push(line);

let privateDir: string;
let sharedParent: string;
let sharedDir: string;
let dataDir: string;
let binaryDir: string;
const servers: EmbeddedPostgres[] = [];

beforeAll(async () => {
  privateDir = await mkdtemp(join(tmpdir(), 'spotify-sync-private-'));
  await chmod(privateDir, 0o700);
  const repo = join(privateDir, 'spotify-sync');
  dataDir = join(repo, '.data');
  // The package's binaries, as the repository's node_modules holds them: behind the private folder.
  binaryDir = join(repo, 'node_modules', 'native');
  await mkdir(join(repo, 'node_modules'), { recursive: true });
  await symlink(await packageBinaryDir(), binaryDir);
  sharedParent = await mkdtemp(join(tmpdir(), 'spotify-sync-shared-'));
  await chmod(sharedParent, 0o755);
  sharedDir = join(sharedParent, 'var-lib-spotify-sync');
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await rm(privateDir, { recursive: true, force: true });
  await rm(sharedParent, { recursive: true, force: true });
});

async function start(): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dataDir, binaryDir, sharedDir, port: 0, log });
  servers.push(server);
  return server;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The executable of the server's postmaster (Linux: its /proc entry; elsewhere undefined). */
async function serverExecutable(dataPath: string): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  const pid = Number((await readFile(join(dataPath, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  return readlink(`/proc/${pid}/exe`);
}

describe('embedded PostgreSQL started from a repository in a private folder', () => {
  it('starts, keeps its data across a restart, and says where that data lives', async () => {
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    // What a start of an earlier version left behind: an empty cluster folder the server could not use.
    await mkdir(join(dataDir, 'postgres'), { recursive: true });

    const first = await start();
    const [row] = await query<{ dir: string; who: string }>(first.databaseUrl, "select current_setting('data_directory') as dir, current_user as who");
    expect(row).toEqual({ dir: first.dataPath, who: 'postgres' });
    await query(first.databaseUrl, 'create table kept (id int primary key)');
    await query(first.databaseUrl, 'insert into kept values (1), (2)');

    if (asRoot) {
      // The cluster is outside the private folder, owned by the server's user, and linked from .data/postgres.
      expect(first.dataPath.startsWith(join(sharedDir, 'postgres-'))).toBe(true);
      expect(await readlink(join(dataDir, 'postgres'))).toBe(first.dataPath);
      expect((await stat(first.dataPath)).uid).not.toBe(0);
      expect(logs).toContain(
        `the postgres user cannot enter ${dataDir} (a folder on the way is private): the cluster lives in ${first.dataPath}, linked from ${join(dataDir, 'postgres')}`,
      );
      // The server runs from the copy of the binaries in the shared folder, readable by all and writable by root only.
      const [copy] = (await readdir(sharedDir)).filter((name) => name.startsWith('embedded-postgres-'));
      expect(copy).toMatch(new RegExp(`^embedded-postgres-[\\w.-]+-${process.platform}-${process.arch}$`));
      const postgresCopy = join(sharedDir, copy!, 'bin', 'postgres');
      expect((await stat(postgresCopy)).mode & 0o777).toBe(0o755);
      expect((await stat(sharedDir)).mode & 0o777).toBe(0o755);
      const executable = await serverExecutable(first.dataPath);
      if (executable !== undefined) expect(executable).toBe(await realpath(postgresCopy));
    } else {
      // Our own user reaches its own folders: the cluster and the binaries stay where they are.
      expect(first.dataPath).toBe(join(dataDir, 'postgres'));
      expect(existsSync(sharedDir)).toBe(false);
      const executable = await serverExecutable(first.dataPath);
      if (executable !== undefined) expect(executable).toBe(await realpath(join(binaryDir, 'bin', 'postgres')));
    }
    await first.stop();

    // A second start finds the same cluster (through the link as root) and copies nothing again.
    logs.length = 0;
    const second = await start();
    expect(second.owned).toBe(true);
    expect(second.dataPath).toBe(first.dataPath);
    expect(await query<{ id: number }>(second.databaseUrl, 'select id from kept order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(logs.filter((line) => /copying|creating a PostgreSQL cluster/.test(line))).toEqual([]);
    await second.stop();
  });

  it('refuses, saying what to do, when a cluster it cannot reach is already in the private folder', async () => {
    const otherData = join(privateDir, 'other', '.data');
    await mkdir(join(otherData, 'postgres'), { recursive: true });
    await writeFile(join(otherData, 'postgres', 'PG_VERSION'), '18\n');
    const starting = startEmbeddedPostgres({ dataDir: otherData, binaryDir, sharedDir, port: 0, log });
    if (asRoot) {
      await expect(starting).rejects.toThrow(
        `the postgres user cannot enter ${otherData} (a folder on the way is private), so the embedded PostgreSQL cannot use ${join(otherData, 'postgres')}: move it to ${sharedDir}/postgres-`,
      );
      expect(await readFile(join(otherData, 'postgres', 'PG_VERSION'), 'utf8')).toBe('18\n');
    } else {
      // Our own user can enter the folder: the server is started on it and reports the broken cluster.
      await expect(starting).rejects.toThrow(/embedded PostgreSQL server ended before it accepted connections/);
    }
  });
});
