import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { downloadExport, storedPlays, syncedAccount, type DownloadedExport } from '../helpers/history-import.js';

let h: Harness;
let accountId: string;
let exported: DownloadedExport;
beforeAll(async () => {
  h = await createHarness({ sim: { seed: 42, tracks: 300, playlists: 8, appMode: 'development' } });
  await h.startWorker();
  accountId = await syncedAccount(h);
  exported = await downloadExport(h);
});
afterAll(async () => h?.close());

/** `npm run cli -- …` as a user runs it: a process of its own against the test's Postgres, Temporal and simulator. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/main.ts', ...args], { cwd: projectRoot, env: h.processEnv() });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function snapshot() {
  const count = async (table: string) =>
    Number(
      (
        await h.db
          .db(table)
          .where(table === 'play_history' ? { account_id: accountId } : {})
          .count({ n: '*' })
          .first()
      )?.n,
    );
  return { plays: await count('play_history'), tracks: await count('tracks'), artists: await count('artists'), albums: await count('albums') };
}

const number = (text: string) => Number(text.replaceAll(',', ''));

describe('npm run cli -- import-history', () => {
  it('imports the zips, printing its progress, and ends with the counts the import stored', async () => {
    const before = await storedPlays(h, accountId);
    const run = await cli(['import-history', exported.extended, exported.account, '--account', accountId]);
    expect(run.stderr).not.toMatch(/failed|error/i);
    expect(run.code).toBe(0);
    const importId = run.stdout.trim();
    expect(importId).toMatch(/^[0-9a-f-]{36}$/);

    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^importing \d+ file\(s\) for acct-.*Streaming_History_Audio_/);
    expect(run.stderr).toMatch(/^ignored \(no plays in them\): .*ReadMeFirst_ExtendedStreamingHistory\.pdf/m);
    // Progress lines as the import moves through its phases, then the counts.
    expect(run.stderr).toMatch(/^(checking|plays|resolving|enriching|complete) · files \d+\/\d+ · [\d,/]+ entries · [\d,]+ plays/m);
    expect(run.stderr).toMatch(/^complete · files (\d+)\/\1 · /m);
    const last = lines.at(-1) as string;
    const counts = last.match(/^import complete: ([\d,]+) plays stored, ([\d,]+) duplicates, ([\d,]+) skipped, ([\d,]+) resolved, ([\d,]+) unresolved, ([\d,]+) Spotify calls$/);
    expect(counts, last).not.toBeNull();
    const [plays, duplicates, skipped, resolved, unresolved, apiCalls] = (counts as RegExpMatchArray).slice(1).map(number);

    const row = await h.db.db('history_imports').where({ id: importId }).first();
    expect(row).toMatchObject({ account_id: accountId, state: 'complete', plays, duplicates, skipped, resolved, unresolved, api_calls: apiCalls });
    const after = await storedPlays(h, accountId);
    expect(after.length - before.length).toBe(plays);
    expect(plays).toBeGreaterThan(0);
    expect(apiCalls).toBeGreaterThan(0);
  });

  it('refuses a file that is not an export at once: the message, exit code 2, nothing changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spotify-cli-bad-'));
    await writeFile(join(dir, 'notes.txt'), 'my listening notes');
    const before = await snapshot();
    const imports = await h.db.db('history_imports').count({ n: '*' }).first();
    const run = await cli(['import-history', join(dir, 'notes.txt'), '--account', accountId]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/notes\.txt.*neither a zip nor a JSON file|neither a zip nor a JSON file.*notes\.txt/);
    expect(run.stdout).toBe('');
    expect(await snapshot()).toEqual(before);
    expect(await h.db.db('history_imports').count({ n: '*' }).first()).toEqual(imports);
  });

  it('a truncated file fails the import with the reason and a non-zero exit, storing nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spotify-cli-truncated-'));
    const file = join(dir, 'Streaming_History_Audio_2021_0.json');
    const good = JSON.stringify([
      { ts: '2021-03-04T10:00:00Z', ms_played: 200_000, spotify_track_uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC', master_metadata_track_name: 'Somewhere' },
    ]);
    await writeFile(file, good.slice(0, good.length - 20));
    const before = await snapshot();
    const run = await cli(['import-history', file, '--account', accountId]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^import failed: Streaming_History_Audio_2021_0\.json.*not valid JSON \(truncated or damaged.*nothing was imported/);
    expect(await snapshot()).toEqual(before);
  });

  it('says how to use it when given no file', async () => {
    const run = await cli(['import-history']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/import-history needs the zip, folder or JSON files of a Spotify data export/);
  });
});
