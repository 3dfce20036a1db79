import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/dev/ports.js';
import { initialSyncWorkflowId } from '../../src/ids.js';
import { projectRoot } from '../../src/project-root.js';
import type { InitialSyncStatus } from '../../workflows/contract.js';
import { startHarnessApi } from '../helpers/browser.js';
import { startNotifyReceiver, type NotifyReceiver } from '../helpers/notify-receiver.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** Every metric name a panel's query reads, per dashboard file in ops/grafana/. */
async function dashboardMetrics(): Promise<Map<string, string>> {
  const dir = join(projectRoot, 'ops', 'grafana');
  const used = new Map<string, string>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(await readFile(join(dir, file), 'utf8')) as { panels: Panel[] };
    const visit = (panels: Panel[]) => {
      for (const panel of panels) {
        for (const target of panel.targets ?? []) {
          for (const [name] of (target.expr ?? '').matchAll(/\b(?:spotify_sync|temporal)_[a-z0-9_]+\b/g)) used.set(name, `${file}: ${panel.title}`);
        }
        visit(panel.panels ?? []);
      }
    };
    visit(dashboard.panels);
  }
  return used;
}

let harness: Harness | undefined;
let worker: ChildProcess | undefined;
let notifyReceiver: NotifyReceiver | undefined;
afterAll(async () => {
  worker?.kill('SIGKILL');
  await notifyReceiver?.close();
  await harness?.close();
});

describe('the Grafana dashboard', () => {
  it('queries only metrics that the API and a worker actually export', async () => {
    const used = await dashboardMetrics();
    expect(used.size).toBeGreaterThan(10);

    // A notification target that fails its first request: the notify activity fails once and is retried, so the
    // worker has an activity failure to count (the dashboard's failures panel).
    const receiver = (notifyReceiver = await startNotifyReceiver({ failFirstOf: () => 'first' }));
    const h = (harness = await createHarness({ sim: { seed: 77, tracks: 40, playlists: 2, appMode: 'development' }, env: { NOTIFY_URLS: `json://${receiver.host}/hook` } }));
    const metricsPort = await findFreePort();
    const child = (worker = spawn(process.execPath, ['--import', 'tsx', 'src/bin/main.ts', 'worker'], {
      cwd: projectRoot,
      env: { ...h.processEnv(), WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    }));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('worker: polling task queue')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`worker exited (${code}):\n${output.slice(-2000)}`)));
    });

    // A real sync, so that the worker's task latencies and outcomes exist, and the API has rows to report.
    const { accountId } = await h.connect();
    const result = (await h.client.workflow.getHandle(initialSyncWorkflowId(accountId)).result()) as InitialSyncStatus;
    expect(result.state).toBe('complete');
    await expect
      .poll(async () => (await h.db.db('sync_state').where({ account_id: accountId, phase: 'playback' }).where('batches', '>', 0).first()) !== undefined, { timeout: 60_000 })
      .toBe(true);

    const api = await startHarnessApi(h);
    try {
      const apiText = await (await fetch(`${api.url}/metrics`)).text();
      const workerText = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      // The SDK's own metrics, beside ours: task latencies, schedule-to-start, and the failed notify attempt.
      for (const name of ['temporal_workflow_task_execution_latency_seconds_bucket', 'temporal_activity_schedule_to_start_latency_seconds_bucket']) {
        expect(workerText).toContain(`${name}{`);
      }
      expect(workerText).toMatch(/^temporal_activity_execution_failed_total\{[^}]*activity_type="notifyEvent"[^}]*\} [1-9]/m);
      const exported = new Set([...`${apiText}\n${workerText}`.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )/gm)].map((m) => m[1]));
      const missing = [...used].filter(([name]) => !exported.has(name)).map(([name, where]) => `${name} (${where})`);
      expect(missing).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
