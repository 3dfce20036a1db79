import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoSimulator, type DemoSimulator } from '../../src/dev/dev-services.js';
import type { DataExportTruth } from '../../src/simulator/data-export.js';

const settings = { port: 0, tracks: 40, playlists: 2, accountId: undefined };
const running: DemoSimulator[] = [];
const dirs: string[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.stop();
  while (dirs.length > 0) await rm(dirs.pop()!, { recursive: true, force: true });
});

async function start(dataDir: string, log: string[] = []): Promise<DemoSimulator> {
  const sim = await startDemoSimulator(settings, (line) => log.push(line), dataDir);
  running.push(sim);
  return sim;
}

/** When each play of the demo user's export ended: the polled ones are recently-played's. */
async function playEnds(sim: DemoSimulator): Promise<string[]> {
  const truth = (await (await fetch(`${sim.url}/_sim/export/truth`)).json()) as DataExportTruth;
  return truth.plays.map((p) => `${p.endedAt} ${p.polled ? 'polled' : ''}`);
}

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'demo-sim-'));
  dirs.push(dir);
  return dir;
}

describe('the demo simulator of npm run dev', () => {
  it('serves the same plays and the same export after a restart on the same data folder, and other ones on a new folder', async () => {
    const dir = await dataDir();
    const first = await start(dir);
    const before = await playEnds(first);
    expect(before.filter((p) => p.endsWith('polled')).length).toBeGreaterThan(0);
    await running.pop()!.stop();

    // A restart seconds later: a simulator anchored at its own start would end every play later.
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await playEnds(await start(dir))).toEqual(before);
    await running.pop()!.stop();

    expect(await playEnds(await start(await dataDir()))).not.toEqual(before);
  });

  it('starts afresh, saying so, when its file in the data folder is not what it wrote', async () => {
    const dir = await dataDir();
    await writeFile(join(dir, 'simulator.json'), '{"anchoredAt": "yesterday"}');
    const log: string[] = [];
    await start(dir, log);
    expect(log.join('\n')).toMatch(/simulator\.json is not what the simulator wrote/);
    expect(JSON.parse(await readFile(join(dir, 'simulator.json'), 'utf8'))).toEqual({ anchoredAt: expect.any(Number) });
  });
});
