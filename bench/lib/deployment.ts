import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { ConnectResult } from '../../src/accounts/connect-account.js';
import type { RunningSimulator, StartSimulatorOptions } from '../../src/simulator/start-simulator.js';
import type { InitialSyncInput } from '../../workflows/initial-sync.js';
import { startDeploymentCore, uniqueId, type DeploymentCore } from '../../testkit/deployment.js';
import type { BenchDatabase, DatabaseFactory } from './infra.js';

export interface TemporalParts {
  client: Client;
  nativeConnection: NativeConnection;
  address: string;
}

/**
 * Where the worker runs: in this process (the usual case: no IPC between bench and worker), in a
 * child process started as `npm run worker` starts it (to measure the worker's own memory), in a
 * child process of the production build (`node dist/src/bin/main.js worker`, as the image runs it;
 * `npm run build` first), or nowhere (the plain-loop baseline, which calls the activities itself).
 */
export type WorkerPlacement = 'in-process' | 'child-process' | 'production-child' | 'none';

export interface DeploymentOptions {
  databases: DatabaseFactory;
  temporal: TemporalParts;
  /** One simulator per account; several sit behind one router. */
  sims: StartSimulatorOptions[];
  worker: WorkerPlacement;
  env?: Record<string, string>;
  /** Temporal Schedules exist on the dev server, not on the time-skipping one. Off by default: no run should start on its own. */
  schedules?: boolean;
}

/** The shared deployment (testkit/deployment.ts) with the benchmark's database, its worker placement and its connects. */
export interface Deployment extends Pick<DeploymentCore, 'sims' | 'config' | 'deps' | 'env' | 'startApi' | 'close'> {
  db: BenchDatabase;
  /** The worker's pid when it runs in a child process (for its memory figures). */
  workerPid: number | null;
  /** The product's connect for the account of `sim` (default: the first): /v1/me, the account row, its workflows. */
  connect(sim?: RunningSimulator, initialSync?: Partial<InitialSyncInput>): Promise<ConnectResult>;
  /** The same connect with a Temporal client that starts nothing (the plain-loop baseline). */
  connectWithoutWorkflows(sim?: RunningSimulator): Promise<ConnectResult>;
}

/** A Temporal client whose workflow starts succeed without doing anything. */
const noWorkflows = { workflow: { start: async () => undefined, getHandle: () => ({}) } } as unknown as Client;

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const db = await options.databases.create();
  const core = await startDeploymentCore({
    name: 'bench',
    database: db,
    temporal: options.temporal,
    sims: options.sims.map((sim) => {
      const accountId = sim.accountId ?? uniqueId('bench');
      return { ...sim, accountId, userId: accountId };
    }),
    env: { SPOTIFY_APP_MODE: 'auto', ...options.env },
    schedules: options.schedules ?? false,
  });
  let workerPid: number | null = null;
  try {
    if (options.worker === 'in-process') await core.startWorker();
    else if (options.worker !== 'none') workerPid = (await core.spawnWorker(options.worker === 'production-child' ? 'production' : 'tsx')).pid;
  } catch (error) {
    await core.close();
    throw error;
  }
  const first = core.sims[0] as RunningSimulator;
  return {
    db,
    sims: core.sims,
    config: core.config,
    deps: core.deps,
    env: core.env,
    workerPid,
    connect: (sim = first, initialSync) => core.connect({ refreshToken: sim.demoRefreshToken, initialSync }),
    connectWithoutWorkflows: (sim = first) => core.connect({ refreshToken: sim.demoRefreshToken, client: noWorkflows }),
    startApi: () => core.startApi(),
    close: () => core.close(),
  };
}
