import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canConnect, findFreePort } from '../../src/dev/ports.js';
import { projectRoot } from '../../src/project-root.js';
import { abandonRequest, partialUpload } from '../helpers/abandoned-requests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';

/**
 * `npm run dev` as a user runs it: a child process with nothing but a Postgres URL and a data folder.
 * It starts its own Temporal dev server, the simulator with the demo account, the worker and the API;
 * Ctrl-C (SIGINT) stops it all; a second start resumes the same sync from its checkpoint.
 */

interface PhaseStatus {
  entity: string;
  synced: number;
  total: number | null;
  complete: boolean;
}
interface AccountStatus {
  accountId: string;
  state: string;
  phases: PhaseStatus[];
}

const demoTracks = 3_000;
const pageSize = 50; // saved-track pages the sync reads (GET /v1/me/tracks?limit=50)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class DevProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string | undefined>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/main.ts', 'dev'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => this.output.push(...String(chunk).split('\n').filter(Boolean));
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get log(): string {
    return this.output.join('\n');
  }

  /** The value printed on the startup summary's line for `label` ("  status page  http://…"). */
  async summaryValue(label: string, timeoutMs = 120_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.output.find((l) => l.startsWith(`  ${label.padEnd(12)} `));
      if (line) return line.slice(label.length + 3).trim();
      if (this.child.exitCode !== null) throw new Error(`npm run dev exited (${this.child.exitCode}) before it was ready:\n${this.log}`);
      if (Date.now() > deadline) throw new Error(`npm run dev printed no "${label}" line within ${timeoutMs} ms:\n${this.log}`);
      await sleep(100);
    }
  }

  interrupt(): void {
    this.child.kill('SIGINT');
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

let database: TestDatabase;
let dataDir: string;
let env: Record<string, string | undefined>;
const running: DevProcess[] = [];

beforeAll(async () => {
  // An empty database: `npm run dev` applies the migrations itself.
  database = await createTestDatabase({ migrate: false });
  dataDir = await mkdtemp(join(tmpdir(), 'spotify-sync-dev-'));
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: database.url,
    SPOTIFY_SYNC_DATA_DIR: dataDir,
    PORT: String(await findFreePort()),
    SIM_PORT: String(await findFreePort()),
    DEMO_TRACKS: String(demoTracks),
    DEMO_ACCOUNT_ID: `dev-${randomBytes(4).toString('hex')}`,
    // A Temporal server already on 127.0.0.1:7233 is used as it is, and other workers may poll the
    // default task queue there: this run's tasks go to its own worker only.
    TEMPORAL_TASK_QUEUE: `dev-test-${randomBytes(4).toString('hex')}`,
  };
});

afterAll(async () => {
  for (const dev of running) dev.kill();
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function startDev(): DevProcess {
  const dev = new DevProcess(env);
  running.push(dev);
  return dev;
}

async function status(apiUrl: string): Promise<AccountStatus> {
  const res = await fetch(`${apiUrl}/api/sync/status?accountId=${env.DEMO_ACCOUNT_ID}`);
  expect(res.status).toBe(200);
  return (await res.json()) as AccountStatus;
}

const tracksSynced = (s: AccountStatus) => s.phases.find((p) => p.entity === 'tracks')?.synced ?? 0;

async function stopWithCtrlC(dev: DevProcess, apiPort: number, withinMs = 60_000): Promise<void> {
  dev.interrupt();
  const exit = await Promise.race([dev.exited, sleep(withinMs).then(() => 'still running' as const)]);
  expect(exit, dev.log).toEqual({ code: 0, signal: null });
  expect(dev.log).toMatch(/^dev +\| stopped$/m);
  // Nothing left listening: the API and the Temporal dev server it started are gone.
  expect(await canConnect('127.0.0.1', apiPort)).toBe(false);
  if (/starting a dev server/.test(dev.log)) expect(await canConnect('127.0.0.1', 7233)).toBe(false);
}

describe('npm run dev', () => {
  it('syncs the demo account, stops cleanly on Ctrl-C, and resumes from its checkpoint on the next start', async () => {
    const apiPort = Number(env.PORT);

    // First start: everything comes up and the demo sync starts.
    const first = startDev();
    const statusPage = await first.summaryValue('status page');
    expect(statusPage).toBe(`http://127.0.0.1:${apiPort}/sync-status`);
    const apiUrl = new URL(statusPage).origin;
    expect(first.log).toMatch(/applied \d+ migration\(s\)/);
    expect(first.log).toContain(`demo account ${env.DEMO_ACCOUNT_ID} connected: initial sync started`);
    expect(await first.summaryValue('Temporal UI')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows$/);
    const page = await fetch(statusPage);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Spotify sync status</title>');

    // Ctrl-C in the middle of the sync, once the first tracks are in.
    let atStop: AccountStatus | undefined;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(50)) {
      const s = await status(apiUrl);
      if (tracksSynced(s) >= 200) {
        atStop = s;
        break;
      }
    }
    expect(atStop, 'the first tracks never showed in /api/sync/status').toBeDefined();
    expect(atStop!.state, 'the demo sync finished before Ctrl-C; make DEMO_TRACKS bigger').toBe('running');
    await stopWithCtrlC(first, apiPort);
    // Its own Temporal dev server keeps its data in the data folder (a server already on 7233 is used instead).
    if (/starting a dev server/.test(first.log)) expect(existsSync(join(dataDir, 'temporal', 'temporal.db'))).toBe(true);
    const savedAtStop = Number((await database.db('saved_tracks').count({ n: '*' }).first())?.n);
    expect(savedAtStop).toBeGreaterThanOrEqual(200);

    // Second start: the same account, the same workflow, carried on to the end.
    const second = startDev();
    await second.summaryValue('status page');
    expect(second.log).toMatch(/schema up to date/);
    expect(second.log).toContain(`demo account ${env.DEMO_ACCOUNT_ID} already connected`);
    let done: AccountStatus | undefined;
    for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(250)) {
      const s = await status(apiUrl);
      if (s.state === 'complete') {
        done = s;
        break;
      }
    }
    expect(done, `the demo sync did not complete:\n${second.log}`).toBeDefined();
    for (const phase of done!.phases) expect(phase, phase.entity).toMatchObject({ complete: true, synced: phase.total });
    expect(tracksSynced(done!)).toBe(demoTracks);

    // The mirror equals the simulator's library, and the saved tracks stored before Ctrl-C were not
    // fetched again: the second run read only the pages after the checkpoint.
    const simUrl = await second.summaryValue('simulator');
    const truth = (await (await fetch(`${simUrl}/_sim/truth`)).json()) as Truth;
    const { mirror, expected, stubs } = await mirrorMatchesTruth(database.db, env.DEMO_ACCOUNT_ID!, truth);
    expect(mirror).toEqual(expected);
    expect(stubs).toEqual({ artists: [], albums: [] });
    const stats = (await (await fetch(`${simUrl}/_sim/stats`)).json()) as { requests: { byEndpoint: Record<string, { total: number }> } };
    const pagesRead = stats.requests.byEndpoint['GET /v1/me/tracks']?.total ?? 0;
    expect(pagesRead).toBeLessThanOrEqual(demoTracks / pageSize - Math.floor(savedAtStop / pageSize));

    // Requests that once held connections or ended the process: HEADs on the streamed exports, and
    // uploads abandoned halfway. The instance answers after them, and Ctrl-C still stops it all in seconds.
    for (let i = 0; i < 20; i++) {
      for (const path of ['/api/export/saved.csv', '/api/export/backup.json']) expect((await fetch(`${apiUrl}${path}`, { method: 'HEAD' })).status).toBe(200);
      await abandonRequest(apiUrl, '/api/history/imports', partialUpload());
    }
    expect((await fetch(`${apiUrl}/library`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
    await stopWithCtrlC(second, apiPort, 15_000);
  });
});
