import type { Client } from '@temporalio/client';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import type { SyncWorker } from '../../src/worker/create-worker.js';
import { inject } from 'vitest';
import type { Config } from '../../src/config/load-config.js';
import type { TokenCipher } from '../../src/crypto/token-cipher.js';
import type { ConnectResult } from '../../src/accounts/connect-account.js';
import type { RunningSimulator, StartSimulatorOptions } from '../../src/simulator/start-simulator.js';
import type { InitialSyncInput } from '../../workflows/initial-sync.js';
import type { ActivityDeps } from '../../activities/index.js';
import { simRequest, startDeploymentCore, uniqueId } from '../../testkit/deployment.js';
import { incrementalSyncScheduleId } from '../../src/ids.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface Harness {
  db: TestDatabase;
  sim: RunningSimulator;
  config: Config;
  cipher: TokenCipher;
  client: Client;
  nativeConnection: NativeConnection;
  encryptionKey: string;
  /** Starts a worker on this harness's task queue; stop it with `stop()` or let `close()` do it. */
  startWorker(options?: Partial<WorkerOptions>, activityDeps?: Pick<ActivityDeps, 'fetch' | 'now'>): Promise<{ worker: SyncWorker; stop(): Promise<void> }>;
  connect(refreshToken?: string, initialSync?: Partial<InitialSyncInput>): Promise<ConnectResult>;
  simRequest<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** The environment a spawned `npm run worker`/`cli` process needs to join this harness. */
  processEnv(): Record<string, string | undefined>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sim?: StartSimulatorOptions;
  env?: Record<string, string>;
  /** A Temporal server other than the shared dev server (the time-skipping one). */
  temporal?: { client: Client; nativeConnection: NativeConnection };
}

/**
 * Real parts for one test (the shared deployment of testkit/deployment.ts): a fresh Postgres database,
 * the Spotify simulator on a free port, a Temporal client and workers on a task queue of its own.
 */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const core = await startDeploymentCore({
    name: 'test',
    database: db,
    // Time-skipping tests keep the dev server's address in the configuration: their workers run in this process.
    temporal: { address: inject('temporalAddress'), ...options.temporal },
    // A distinct account id per harness: tests share one Temporal server, and workflow ids derive from it.
    sims: [{ tracks: 300, playlists: 8, appMode: 'development', accountId: uniqueId('acct'), ...options.sim }],
    env: options.env,
    schedules: !options.temporal,
  });
  const sim = core.sims[0] as RunningSimulator;
  return {
    db,
    sim,
    config: core.config,
    cipher: core.cipher,
    client: core.client,
    nativeConnection: core.nativeConnection,
    encryptionKey: core.encryptionKey,
    startWorker: (workerOptions, activityDeps) => core.startWorker(workerOptions, activityDeps),
    connect: (refreshToken, initialSync) => core.connect({ refreshToken, initialSync }),
    simRequest: (path, init) => simRequest(sim, path, init),
    processEnv: () => ({ PATH: process.env.PATH, ...core.env }),
    close: () => core.close(),
  };
}

/**
 * Deletes the incremental-sync Schedule of every account the harness connected (Schedules outlive a
 * test on the shared Temporal server), then closes the harness. Nothing to do without one.
 */
export async function closeHarnessAndSchedules(harness: Harness | undefined): Promise<void> {
  if (!harness) return;
  const ids = (await harness.db
    .db('accounts')
    .pluck('id')
    .catch(() => [])) as string[];
  for (const id of ids)
    await harness.client.schedule
      .getHandle(incrementalSyncScheduleId(id))
      .delete()
      .catch(() => undefined);
  await harness.close();
}
