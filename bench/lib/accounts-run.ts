import { performance } from 'node:perf_hooks';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { initialSyncWorkflowId } from '../../src/ids.js';
import type { SimulatorConfig } from '../../src/simulator/config.js';
import { RateLimiter } from '../../src/simulator/rate-limits.js';
import type { InitialSyncStatus } from '../../workflows/contract.js';
import type { BenchContext } from './context.js';
import { startDeployment } from './deployment.js';
import { killWorker, spawnWorker } from '../../testkit/worker-process.js';
import { minimumCalls, simSyncCalls, verifyMirror } from './measure.js';
import type { LibraryShape } from './initial-sync-run.js';

export interface AccountsRunOptions {
  /** One account (and simulator) per library; give each its own seed, as the catalog is shared. */
  libraries: (LibraryShape & { seed: number })[];
  simConfig?: Partial<SimulatorConfig>;
  /** The accounts are users of one Spotify app: their calls fill one rolling window. */
  oneApp?: boolean;
  /** Worker environment on top of the deployment's (e.g. SPOTIFY_MAX_CONCURRENCY). */
  env?: Record<string, string>;
  /** SIGKILL the worker (a child process) this often, and start a new one at once. */
  killEveryMs?: number;
}

export interface AccountsRunResult {
  wallMs: number;
  /** Web API calls of the syncs that Spotify answered (429s left out), summed over the accounts. */
  calls: number;
  minimum: number;
  /** 429s of the rolling window. */
  shortRateLimited: number;
  requests: number;
  serverErrors: number;
  malformed: number;
  kills: number;
}

/**
 * Initial syncs of fresh accounts on one worker process (`npm run worker` in a child process), all
 * connected at the same moment, until each completes; the mirrors are checked against the
 * simulators' truth before any figure is returned.
 */
export async function runAccounts(ctx: BenchContext, options: AccountsRunOptions): Promise<AccountsRunResult> {
  const limiter = options.oneApp ? new RateLimiter() : undefined;
  const deployment = await startDeployment({
    databases: ctx.databases,
    temporal: ctx.temporal,
    sims: options.libraries.map((l) => ({ ...l, config: options.simConfig, ...(limiter ? { limiter } : {}) })),
    worker: 'none',
    env: options.env,
  });
  let worker: ChildProcess | null = await spawnWorker(deployment.env, 'tsx');
  let kills = 0;
  let stopped = false;
  const killer = options.killEveryMs
    ? (async () => {
        while (!stopped) {
          await new Promise((r) => setTimeout(r, options.killEveryMs));
          if (stopped) break;
          const dying = worker;
          worker = null;
          if (dying) await killWorker(dying);
          kills += 1;
          if (!stopped) worker = await spawnWorker(deployment.env, 'tsx');
        }
      })()
    : Promise.resolve();
  try {
    const minimum = (await Promise.all(options.libraries.map((l) => minimumCalls(l)))).reduce((a, b) => a + b, 0);
    for (const sim of deployment.sims) sim.sim.resetStats();
    const t0 = performance.now();
    const accounts = await Promise.all(
      deployment.sims.map(async (sim) => {
        const { accountId } = await deployment.connect(sim);
        const result = (await ctx.temporal.client.workflow.getHandle(initialSyncWorkflowId(accountId)).result()) as InitialSyncStatus;
        if (result.state !== 'complete') throw new Error(`initial sync ended ${result.state}`);
        return { accountId, sim };
      }),
    );
    const wallMs = performance.now() - t0;
    stopped = true;
    for (const { accountId, sim } of accounts) await verifyMirror(deployment.db.db, sim, accountId);
    const stats = deployment.sims.map((s) => s.sim.stats().requests);
    const sum = (f: (r: (typeof stats)[number]) => number) => stats.reduce((n, r) => n + f(r), 0);
    return {
      wallMs,
      calls: deployment.sims.reduce((n, s) => n + simSyncCalls(s), 0),
      minimum,
      shortRateLimited: sum((r) => r.rateLimited - r.quotaExceeded),
      requests: sum((r) => r.total),
      serverErrors: sum((r) => r.serverErrors),
      malformed: sum((r) => r.malformed),
      kills,
    };
  } finally {
    stopped = true;
    const last = worker as ChildProcess | null;
    last?.kill('SIGTERM');
    if (last && last.exitCode === null) await once(last, 'exit');
    await killer.catch(() => undefined);
    const after = worker as ChildProcess | null;
    if (after && after !== last) after.kill('SIGKILL');
    await deployment.close();
  }
}
