import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type LogEntry } from '@temporalio/worker';
import { connectAccount } from '../accounts/connect-account.js';
import type { Logger } from '../api/logger.js';
import { startUploadSweeper } from '../history-import/upload-retention.js';
import { startApi } from '../api/start-api.js';
import { ConfigError, type Config } from '../config/load-config.js';
import type { TokenCipher } from '../crypto/token-cipher.js';
import type { Db } from '../db/connect.js';
import { startSimulator } from '../simulator/start-simulator.js';
import { playbackActivityTaskQueue } from '../../workflows/contract.js';
import { createSyncWorker, workflowsPath } from '../worker/create-worker.js';
import { canConnect, findFreePort, isPortFree } from './ports.js';
import { inProcessService, type ExitInfo, type LogFn, type RunningService } from './processes.js';
import { isTemporalServing, startTemporalDevServer, waitForTemporal } from './temporal-dev-server.js';

/** The pieces `npm run dev` (src/commands/dev.ts) starts, each as a RunningService for a ServiceStack. */

export const localTemporalAddress = '127.0.0.1:7233';
const localTemporalUiPort = 8233;

const isAddressInUse = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
const isLoopback = (host: string) => /^(127\.|localhost$|\[?::1\]?$)/.test(host);
const noop = async () => undefined;

/** Fails early, naming the variable, when a port we must listen on is taken. */
export async function assertPortFree(port: number, host: string, variable: string): Promise<void> {
  if (!(await isPortFree(port, host))) throw portInUse(port, host, variable);
}

function portInUse(port: number, host: string, variable: string): Error {
  return new Error(`${variable} ${port} is already in use on ${host}: stop what listens there or set ${variable} to a free port`);
}

// ---------------------------------------------------------------------------------------------- Temporal

export interface DevTemporal extends RunningService {
  address: string;
  /** The Web UI, when it runs on this machine (or TEMPORAL_UI_URL says where). */
  uiUrl: string | undefined;
  kind: 'configured' | 'local' | 'started';
}

/**
 * TEMPORAL_ADDRESS when set; else a server already answering on 127.0.0.1:7233; else a dev server we
 * start, with its state in `<dataDir>/temporal/temporal.db`. Either way the namespace must exist and
 * this project's search attributes are registered when missing.
 */
export async function ensureTemporal(options: {
  configuredAddress: string | undefined;
  configuredUiUrl: string | undefined;
  namespace: string;
  dataDir: string;
  log: LogFn;
}): Promise<DevTemporal> {
  const { configuredAddress, namespace, log } = options;
  if (configuredAddress && !(await isTemporalServing(configuredAddress, 5_000))) {
    throw new Error(`TEMPORAL_ADDRESS ${configuredAddress} does not answer: start that Temporal server, or unset TEMPORAL_ADDRESS to have one started here`);
  }
  const kind = configuredAddress ? 'configured' : (await isTemporalServing(localTemporalAddress)) ? 'local' : 'started';
  if (kind !== 'started') {
    const address = configuredAddress ?? localTemporalAddress;
    await waitForTemporal(address, { namespace, timeoutMs: 15_000, registerAfterMs: 0 });
    const host = address.slice(0, address.lastIndexOf(':'));
    const localUi = isLoopback(host) && (await canConnect('127.0.0.1', localTemporalUiPort));
    const uiUrl = options.configuredUiUrl ?? (localUi ? `http://127.0.0.1:${localTemporalUiPort}` : undefined);
    log(`using the Temporal server at ${address}${kind === 'configured' ? ' (TEMPORAL_ADDRESS)' : ''}`);
    return { ...inProcessService('temporal', noop), address, uiUrl, kind };
  }
  const uiPort = (await isPortFree(localTemporalUiPort)) ? localTemporalUiPort : await findFreePort();
  log(`no Temporal server at ${localTemporalAddress}: starting a dev server`);
  // The CLI's start banner (block-buffered, so it arrives late) says what our "ready" line says.
  const banner = /^(Temporal (CLI|Server|Persistence|UI|Metrics)\b.*)?$/;
  const serverLog: LogFn = (line) => void (banner.test(line.trim()) || log(line));
  const server = await startTemporalDevServer({ dataDir: join(options.dataDir, 'temporal'), namespace, uiPort, log: serverLog });
  return { name: server.name, exited: server.exited, stop: () => server.stop(), address: server.address, uiUrl: server.uiUrl, kind };
}

// ---------------------------------------------------------------------------------------------- simulator

export interface DemoSettings {
  /** SIM_PORT; undefined means 4010 when free, else any free port. */
  port: number | undefined;
  tracks: number;
  playlists: number;
  /** DEMO_ACCOUNT_ID; undefined keeps the simulator's default (demo-user-42). */
  accountId: string | undefined;
}

/** SIM_PORT, DEMO_TRACKS (600), DEMO_PLAYLISTS (12), DEMO_ACCOUNT_ID; throws a ConfigError naming bad ones. */
export function readDemoSettings(env: NodeJS.ProcessEnv): DemoSettings {
  const problems: string[] = [];
  const int = (name: string, fallback: number | undefined, min: number, max: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  const accountId = env.DEMO_ACCOUNT_ID?.trim() || undefined;
  if (accountId !== undefined && !/^[A-Za-z0-9._-]{1,100}$/.test(accountId)) {
    problems.push('DEMO_ACCOUNT_ID must be letters, digits, ".", "_" or "-" (at most 100)');
  }
  const settings = {
    port: int('SIM_PORT', undefined, 1, 65_535),
    tracks: int('DEMO_TRACKS', 600, 0, 1_000_000)!,
    playlists: int('DEMO_PLAYLISTS', 12, 0, 100_000)!,
    accountId,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

export interface DemoSimulator extends RunningService {
  url: string;
  demoRefreshToken: string;
  accountId: string;
}

const anchorFileSchema = z.object({ anchoredAt: z.number().int().positive() });

/**
 * The instant the demo library's times count back from, kept in the data folder from the first start:
 * a restart then serves the same plays (the poll finds them stored, not shifted copies) and the same
 * data export (a second import adds nothing).
 */
async function demoAnchor(dataDir: string, log: LogFn): Promise<number> {
  const path = join(dataDir, 'simulator.json');
  try {
    return anchorFileSchema.parse(JSON.parse(await readFile(path, 'utf8'))).anchoredAt;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`${path} is not what the simulator wrote (${(error as Error).message}): starting its library afresh`);
  }
  const anchoredAt = Date.now();
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, `${JSON.stringify({ anchoredAt }, null, 2)}\n`);
  return anchoredAt;
}

/** The offline Spotify (seed 42, development app mode) the demo account syncs from; its library's times are kept in `dataDir`. */
export async function startDemoSimulator(settings: DemoSettings, log: LogFn, dataDir: string): Promise<DemoSimulator> {
  const port = settings.port ?? ((await isPortFree(4010)) ? 4010 : 0);
  const sim = await startSimulator({
    port,
    seed: 42,
    tracks: settings.tracks,
    playlists: settings.playlists,
    appMode: 'development',
    accountId: settings.accountId,
    anchoredAt: await demoAnchor(dataDir, log),
  }).catch((error: unknown) => {
    throw isAddressInUse(error) ? portInUse(port, '127.0.0.1', 'SIM_PORT') : error;
  });
  const { user } = sim.sim;
  log(`Spotify simulator at ${sim.url}: ${user.displayName} (account ${user.accountId}), ${settings.tracks} saved tracks, ${settings.playlists} playlists, development app mode`);
  return { ...inProcessService('simulator', () => sim.close()), url: sim.url, demoRefreshToken: sim.demoRefreshToken, accountId: user.accountId };
}

// ---------------------------------------------------------------------------------------------- worker

// Context the SDK attaches to every workflow and activity log entry: too long for a dev terminal.
const sdkContextKeys = new Set(['namespace', 'taskQueue', 'workflowId', 'runId', 'workflowType', 'activityId', 'activityType', 'attempt', 'isLocal', 'taskToken', 'sdkComponent']);

function formatLogEntry(entry: LogEntry): string {
  const fields = Object.entries(entry.meta ?? {})
    .filter(([key, value]) => !sdkContextKeys.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${value instanceof Error ? value.message : typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  const level = entry.level === 'INFO' ? '' : `${entry.level.toLowerCase()}: `;
  return `${level}${entry.message}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`;
}

const sdkLogger = (level: 'INFO' | 'WARN', log: LogFn) =>
  new DefaultLogger(level, (entry) => {
    for (const line of formatLogEntry(entry).split('\n')) log(line);
  });

/** Routes the Temporal SDK's logs (worker, workflows, activities) to `log`. Once per process, before any worker. */
export function installWorkerLogger(log: LogFn): void {
  Runtime.install({ logger: sdkLogger('INFO', log) });
}

/**
 * The sync worker, running in this process. stop() is the graceful shutdown: in-flight activities get
 * a few seconds to finish (each batch is checkpointed; a cancelled one resumes from its heartbeat).
 */
export async function startWorkerService(options: { config: Config; db: Db; cipher: TokenCipher; log: LogFn }): Promise<RunningService> {
  const { config, log } = options;
  // Bundled here to keep webpack's report out of the log (its warnings and errors still show).
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: sdkLogger('WARN', log) });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createSyncWorker({ ...options, connection, workflowBundle, options: { shutdownGraceTime: '5s' } }).catch(async (error: unknown) => {
    await connection.close();
    throw error;
  });
  const running = worker.run();
  log(
    `polling task queue "${config.temporal.taskQueue}" (and "${playbackActivityTaskQueue(config.temporal.taskQueue)}" for playback polls) on ${config.temporal.address} (namespace ${config.temporal.namespace})`,
  );
  const exited = running.then(
    (): ExitInfo => ({ code: 0, signal: null }),
    (error: unknown): ExitInfo => ({ code: 1, signal: null, error: error instanceof Error ? error : new Error(String(error)) }),
  );
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      const { error } = await exited;
      await connection.close();
      if (error) throw error;
    })());
  return { name: 'worker', exited, stop };
}

// ---------------------------------------------------------------------------------------------- api

function apiLogger(log: LogFn): Logger {
  const write =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      log(`${level}${message}${Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`);
  return { info: write(''), warn: write('warn: '), error: write('error: ') };
}

/** The HTTP API and status page on config.host:config.port; its Temporal client is `client`. */
export async function startApiService(options: { config: Config; db: Db; cipher: TokenCipher; client: Client; log: LogFn }): Promise<RunningService> {
  const { config, db, cipher, client } = options;
  const api = await startApi({
    db,
    config,
    temporal: async () => client,
    connect: (tokens, options) => connectAccount({ db, config, cipher, workflows: async () => ({ client, config }) }, tokens, options),
    port: config.port,
    host: config.host,
    logger: apiLogger(options.log),
  }).catch((error: unknown) => {
    throw isAddressInUse(error) ? portInUse(config.port, config.host, 'PORT') : error;
  });
  const stopSweeper = startUploadSweeper(db, config.historyImportDir, (message) => options.log(`warn: ${message}`));
  return inProcessService('api', async () => {
    stopSweeper();
    await api.close();
  });
}
