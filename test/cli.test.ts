import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/project-root.js';
import { createHarness, type Harness } from './helpers/sync-harness.js';
import { initialSyncHandle } from '../src/accounts/account-workflows.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ sim: { seed: 23, tracks: 150, playlists: 3, appMode: 'development' } });
});
afterAll(async () => h?.close());

function cli(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/main.ts', ...args], {
      cwd: projectRoot,
      env: { ...h.processEnv(), ...env },
    });
    child.stdin.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the CLI', () => {
  it('connects an account once, lists it, shows its progress, and pauses and resumes it', async () => {
    // The token comes on standard input, never on the command line.
    const first = await cli(['connect'], {}, `${h.sim.demoRefreshToken}\n`);
    expect(first.code).toBe(0);
    const accountId = first.stdout.trim();
    expect(accountId).toMatch(/^acct-/);
    expect(first.stderr).toMatch(/connected .*initial sync started/);
    expect(first.stderr).not.toMatch(/warning/);

    const tokenFile = join(await mkdtemp(join(tmpdir(), 'spotify-sync-cli-')), 'token');
    await writeFile(tokenFile, `${h.sim.demoRefreshToken}\n`, { mode: 0o600 });
    const second = await cli(['connect', '--refresh-token-file', tokenFile]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/reconnected .*initial sync already running or done.*incremental schedule in place/);

    const flagged = await cli(['connect', '--refresh-token', h.sim.demoRefreshToken]);
    expect(flagged.code).toBe(0);
    expect(flagged.stderr).toMatch(/warning: --refresh-token puts the token in the process list/);

    const accounts = await cli(['accounts']);
    expect(accounts.stdout).toContain(accountId);

    await h.startWorker();
    await initialSyncHandle(h.client, accountId).result();
    const status = await cli(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/state: complete/);
    expect(status.stdout).toMatch(/tracks\s+█+\s+100%\s+150 \/ 150/);
    expect(status.stdout).toMatch(/playback: \d+ plays/);

    const paused = await cli(['pause']);
    expect(paused.stdout).toMatch(/pause sent to .*playback:/);
    const resumed = await cli(['resume', '--account', accountId]);
    expect(resumed.stdout).toMatch(/resume sent to/);
    await h.client.schedule.getHandle(`incremental-sync:${accountId}`).delete();
  });

  it('names the bad variable and the wrong command, with exit code 2', async () => {
    const badConfig = await cli(['accounts'], { PORT: 'abc', SYNC_INITIAL_BATCH_SIZE: '-5' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/PORT must be a port number/);
    expect(badConfig.stderr).toMatch(/SYNC_INITIAL_BATCH_SIZE/);

    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);

    const missing = await cli(['connect']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/connect needs a refresh token: --refresh-token-file/);
    const unreadable = await cli(['connect', '--refresh-token-file', '/nonexistent/token']);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/cannot read --refresh-token-file \/nonexistent\/token: ENOENT/);
    const garbage = await cli(['connect', '--refresh-token-file', '-'], {}, 'two words\u0000');
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/one line of printable ASCII/);

    const nobody = await cli(['status', '--account', 'no-such-account']);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/No account "no-such-account"/);
  });
});
