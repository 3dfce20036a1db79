import { performance } from 'node:perf_hooks';
import { initialSyncWorkflowId } from '../../src/ids.js';
import type { InitialSyncInput } from '../../workflows/initial-sync.js';
import type { AppMode, BenchContext } from './context.js';
import { CpuMeter, type CpuParts } from './cpu.js';
import { startDeployment, type Deployment } from './deployment.js';
import { collectionSizes, historyStats, procMemory, simSyncCalls, verifyMirror, type HistoryStats } from './measure.js';
import type { CollectionName } from '../../testkit/mirror.js';
import { plainInitialSync } from './plain-loop.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

export interface LibraryShape {
  tracks: number;
  playlists: number;
  appMode: AppMode;
  seed?: number;
}

export interface InitialSyncRunOptions extends LibraryShape {
  /** Through Temporal (a worker in this process, in a child process under tsx or of the production build), or the plain loop. */
  via: 'temporal' | 'temporal-child' | 'temporal-production' | 'plain';
  initialSync?: Partial<InitialSyncInput>;
}

export interface InitialSyncRunResult {
  via: InitialSyncRunOptions['via'];
  wallMs: number;
  calls: number;
  batches: number;
  /** Active saves of each collection in the library (all of them checked in the mirror). */
  collections: Record<CollectionName, number>;
  entities: number;
  cpu: CpuParts & { wall: number };
  history?: HistoryStats;
  /** Resident memory of the worker process when it started polling, at the end of the sync, and its peak (child-process runs only). */
  workerIdleRssMiB?: number;
  workerEndRssMiB?: number;
  workerPeakRssMiB?: number;
}

/**
 * Entities an initial sync stores: saved tracks, artists, albums, playlists and playlist entries, and
 * the collections (saved albums, followed artists, saved shows, episodes, audiobooks) with the shows,
 * episodes and audiobooks of the catalog.
 */
export async function storedEntities(deployment: Deployment, accountId: string): Promise<number> {
  const db = deployment.db.db;
  const count = async (q: Promise<unknown>) => Number(((await q) as { n: number | string } | undefined)?.n ?? 0);
  const perAccount = ['saved_tracks', 'playlist_items', 'playlists', 'saved_albums', 'followed_artists', 'saved_shows', 'saved_episodes', 'saved_audiobooks'];
  const catalog = ['artists', 'albums', 'shows', 'episodes', 'audiobooks'];
  const counts = await Promise.all([
    ...perAccount.map((table) => count(db(table).where({ account_id: accountId }).count({ n: '*' }).first())),
    ...catalog.map((table) => count(db(table).count({ n: '*' }).first())),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * One initial sync of a fresh account, from connect to completion: wall time, Spotify calls (the
 * simulator's count), CPU by component, and for Temporal runs the history lengths. The mirror is
 * checked against the simulator's truth before any figure is returned.
 */
export async function runInitialSync(ctx: BenchContext, options: InitialSyncRunOptions): Promise<InitialSyncRunResult> {
  const deployment = await startDeployment({
    databases: ctx.databases,
    temporal: ctx.temporal,
    sims: [{ seed: options.seed ?? 42, tracks: options.tracks, playlists: options.playlists, appMode: options.appMode }],
    worker: ({ plain: 'none', temporal: 'in-process', 'temporal-child': 'child-process', 'temporal-production': 'production-child' } as const)[options.via],
  });
  const sim = deployment.sims[0];
  if (!sim) throw new Error('no simulator');
  ctx.cpu.workerPid = deployment.workerPid;
  try {
    const idle = deployment.workerPid ? await procMemory(deployment.workerPid) : null;
    const cpu0 = await ctx.cpu.sample();
    const t0 = performance.now();
    let accountId: string;
    let batches: number;
    let apiCalls: number;
    if (options.via === 'plain') {
      ({ accountId } = await deployment.connectWithoutWorkflows());
      ({ batches, apiCalls } = await plainInitialSync(deployment.deps, accountId, options.initialSync?.batchSize, options.initialSync?.activityBudgetMs));
    } else {
      ({ accountId } = await deployment.connect(sim, options.initialSync));
      const result = await initialSyncHandle(ctx.temporal.client, accountId).result();
      if (result.state !== 'complete') throw new Error(`initial sync ended ${result.state}`);
      ({ batches, apiCalls } = result);
    }
    const wallMs = performance.now() - t0;
    const cpu = CpuMeter.diff(cpu0, await ctx.cpu.sample());
    const memory = deployment.workerPid ? await procMemory(deployment.workerPid) : null;
    const calls = simSyncCalls(sim);
    if (calls !== apiCalls) ctx.log(`  note: the sync counted ${apiCalls} calls, the simulator ${calls}`);
    await verifyMirror(deployment.db.db, sim, accountId);
    const history = options.via === 'plain' ? undefined : await historyStats(ctx.temporal.client, initialSyncWorkflowId(accountId));
    return {
      via: options.via,
      wallMs,
      calls,
      batches,
      collections: collectionSizes(sim),
      entities: await storedEntities(deployment, accountId),
      cpu,
      history,
      ...(idle && memory ? { workerIdleRssMiB: Math.round(idle.rssMiB), workerEndRssMiB: Math.round(memory.rssMiB), workerPeakRssMiB: Math.round(memory.peakRssMiB) } : {}),
    };
  } finally {
    ctx.cpu.workerPid = null;
    await deployment.close();
  }
}
