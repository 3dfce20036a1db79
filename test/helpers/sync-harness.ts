import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { createTokenCipher, type TokenCipher } from '../../src/crypto/token-cipher.js';
import { connectAccount, type ConnectResult } from '../../src/accounts/connect-account.js';
import { createSyncWorker, workflowsPath } from '../../src/worker/create-worker.js';
import { initialSyncWorkflowId, playbackWorkflowId } from '../../src/ids.js';
import { startSimulator } from '../../src/simulator/start-simulator.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import type { InitialSyncInput } from '../../workflows/initial-sync.js';
import type { ActivityDeps } from '../../activities/index.js';

export type StartedSimulator = Awaited<ReturnType<typeof startSimulator>>;
export type SimulatorOptions = Parameters<typeof startSimulator>[0];

let bundle: Promise<{ code: string }> | undefined;
/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: undefined });
  return bundle;
}

export interface Harness {
  db: TestDatabase;
  sim: StartedSimulator;
  config: Config;
  cipher: TokenCipher;
  client: Client;
  nativeConnection: NativeConnection;
  encryptionKey: string;
  /** Starts a worker on this harness's task queue; stop it with `stop()` or let `close()` do it. */
  startWorker(options?: Partial<WorkerOptions>, activityDeps?: Pick<ActivityDeps, 'fetch' | 'now'>): Promise<{ worker: Worker; stop(): Promise<void> }>;
  connect(refreshToken?: string, initialSync?: Partial<InitialSyncInput>): Promise<ConnectResult>;
  simRequest<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** The environment a spawned `npm run worker`/`cli` process needs to join this harness. */
  processEnv(): Record<string, string | undefined>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sim?: SimulatorOptions;
  env?: Record<string, string>;
  /** A Temporal server other than the shared dev server (the time-skipping one). */
  temporal?: { client: Client; nativeConnection: NativeConnection };
}

/**
 * Real parts for one test: a fresh Postgres database, the Spotify simulator on a free port, a Temporal
 * client and workers on a task queue of its own.
 */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase();
  // A distinct account id per harness: tests share one Temporal server, and workflow ids derive from it.
  const accountId = `acct-${randomBytes(4).toString('hex')}`;
  const sim = await startSimulator({ port: 0, seed: 42, tracks: 300, playlists: 8, appMode: 'development', accountId, ...options.sim });
  const encryptionKey = randomBytes(32).toString('hex');
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const address = inject('temporalAddress');
  const config = loadConfig({
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SPOTIFY_API_URL: sim.url,
    SPOTIFY_ACCOUNTS_URL: sim.url,
    TOKEN_ENCRYPTION_KEY: encryptionKey,
    ...options.env,
  });
  const cipher = createTokenCipher(encryptionKey);
  let client: Client;
  let nativeConnection: NativeConnection;
  let ownConnections: { close(): Promise<void> }[] = [];
  if (options.temporal) {
    ({ client, nativeConnection } = options.temporal);
  } else {
    const connection = await Connection.connect({ address });
    client = new Client({ connection });
    nativeConnection = await NativeConnection.connect({ address });
    ownConnections = [connection, nativeConnection];
  }
  const workers: { stop(): Promise<void> }[] = [];

  const harness: Harness = {
    db,
    sim,
    config,
    cipher,
    client,
    nativeConnection,
    encryptionKey,
    async startWorker(workerOptions, activityDeps) {
      const worker = await createSyncWorker({
        ...activityDeps,
        config,
        db: db.db,
        cipher,
        connection: nativeConnection,
        workflowBundle: await workflowBundle(),
        options: { shutdownGraceTime: '1 second', ...workerOptions },
      });
      const running = worker.run();
      const handle = {
        worker,
        async stop() {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running.catch(() => undefined);
        },
      };
      workers.push(handle);
      return handle;
    },
    connect(refreshToken = sim.demoRefreshToken, initialSync) {
      return connectAccount(
        { db: db.db, config, cipher, workflows: async () => ({ client, config, schedules: !options.temporal }) },
        { refreshToken },
        { initialSync },
      );
    },
    async simRequest(path, init = {}) {
      const res = await fetch(`${sim.url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      if (!res.ok) throw new Error(`simulator ${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as never;
    },
    processEnv() {
      return {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: config.temporal.address,
        TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
        SPOTIFY_API_URL: sim.url,
        SPOTIFY_ACCOUNTS_URL: sim.url,
        TOKEN_ENCRYPTION_KEY: encryptionKey,
        // Port 0: each worker process serves its SDK metrics on a port of its own, so parallel runs never collide.
        WORKER_METRICS_ADDRESS: '127.0.0.1:0',
      };
    },
    async close() {
      // Workflows left running would keep timers firing with no worker to serve them (and, on the
      // time-skipping server, stop time from skipping for the next test).
      const accountIds = (await db.db('accounts').pluck('id').catch(() => [])) as string[];
      for (const id of accountIds) {
        for (const workflowId of [initialSyncWorkflowId(id), playbackWorkflowId(id)]) {
          await client.workflow.getHandle(workflowId).terminate('test finished').catch(() => undefined);
        }
      }
      for (const w of workers) await w.stop();
      for (const c of ownConnections) await c.close().catch(() => undefined);
      await sim.close();
      await db.drop();
    },
  };
  return harness;
}
