import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { findTemporalBinary, temporalExecutable } from '../temporal/binaries.js';
import { searchAttributeCliArgs, searchAttributeKeys } from '../../workflows/contract.js';
import { canConnect, isPortFree } from './ports.js';
import { describeExit, inProcessService, spawnService, type LogFn, type RunningService, type SpawnedService } from './processes.js';

export interface TemporalDevServerOptions {
  /** The server's SQLite state is kept in `<dataDir>/temporal.db`, so a restart keeps every workflow. */
  dataDir: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
  log: LogFn;
  ip?: string;
  /** Serve the Web UI on uiPort (default true). */
  ui?: boolean;
  /** Server log level (default 'error': the dev server is chatty at warn, especially while stopping). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * 'cli' runs the installed `temporal` binary, 'sdk' lets @temporalio/testing (a devDependency) run
   * it (downloading it when none is installed: needs internet), 'auto' (default) is 'cli' when a
   * binary is found.
   */
  launcher?: 'auto' | 'cli' | 'sdk';
  startTimeoutMs?: number;
}

export interface TemporalDevServer extends RunningService {
  /** host:port of the frontend gRPC service. */
  address: string;
  uiUrl: string;
  namespace: string;
  launcher: 'cli' | 'sdk';
  stop(): Promise<void>;
}

// temporal.api.enums.v1.IndexedValueType, as listSearchAttributes reports it.
const indexedValueTypes: Record<SearchAttributeType, number> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}

/** Whether a Temporal frontend answers at `address` (used to decide whether to start one). */
export async function isTemporalServing(address: string, timeoutMs = 2_000): Promise<boolean> {
  const { host, port } = splitAddress(address);
  if (!(await canConnect(host, port, timeoutMs))) return false;
  const connection = Connection.lazy({ address });
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * Waits until the server at `address` answers, has `namespace`, and has this project's search
 * attributes. The CLI registers `--search-attribute`s through the operator service just after it
 * starts listening, so "the port is open" is not enough; after `registerAfterMs` any still missing
 * are registered here (a server that kept them from an earlier start needs nothing).
 */
export async function waitForTemporal(
  address: string,
  options: { namespace: string; timeoutMs?: number; registerAfterMs?: number; failed?: () => Error | undefined },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const check = () => {
    const failure = options.failed?.();
    if (failure) throw failure;
    if (Date.now() > deadline) throw new Error(`Temporal at ${address} did not become ready in time`);
  };
  const { host, port } = splitAddress(address);
  while (!(await canConnect(host, port, 500))) {
    check();
    await sleep(200);
  }

  const connection = Connection.lazy({ address });
  try {
    const call = <T>(fn: () => Promise<T>) => connection.withDeadline(Date.now() + 5_000, fn);
    let lastError: unknown;
    for (;;) {
      check();
      try {
        await call(() => connection.workflowService.getSystemInfo({}));
        await call(() => connection.workflowService.describeNamespace({ namespace: options.namespace }));
        break;
      } catch (error) {
        lastError = error;
        await sleep(250);
        if (Date.now() > deadline) throw new Error(`Temporal at ${address} is not ready: ${(lastError as Error).message}`);
      }
    }

    const registerAt = Date.now() + (options.registerAfterMs ?? 5_000);
    for (;;) {
      check();
      const { customAttributes } = await call(() => connection.operatorService.listSearchAttributes({ namespace: options.namespace }));
      const missing = searchAttributeKeys.filter((key) => customAttributes?.[key.name] === undefined);
      const wrongType = searchAttributeKeys.filter((key) => customAttributes?.[key.name] !== undefined && customAttributes[key.name] !== indexedValueTypes[key.type]);
      if (wrongType.length > 0) {
        throw new Error(
          `Temporal namespace ${options.namespace} has search attribute(s) ${wrongType.map((k) => k.name).join(', ')} with a type other than ${wrongType.map((k) => k.type).join(', ')}`,
        );
      }
      if (missing.length === 0) return;
      if (Date.now() >= registerAt) {
        try {
          await call(() =>
            connection.operatorService.addSearchAttributes({
              namespace: options.namespace,
              searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueTypes[key.type]])),
            }),
          );
        } catch (error) {
          // ALREADY_EXISTS when a registration raced ours; the next listing tells.
          if ((error as { code?: number }).code !== 6) throw error;
        }
      }
      await sleep(250);
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * @temporalio/testing, which can start a dev server without the CLI, is a devDependency: an install
 * without them (the production image) has only the CLI launcher, and says so.
 */
async function loadTemporalTestingSdk() {
  try {
    return await import('@temporalio/testing');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      'no temporal CLI found, and @temporalio/testing (a devDependency) is not installed to start one: run npm install with the dev dependencies, set TEMPORAL_CLI_PATH, or point TEMPORAL_ADDRESS at a running server',
    );
  }
}

/**
 * Runs `temporal server start-dev` with its state in `<dataDir>/temporal.db` and this project's search
 * attributes, and resolves once it is ready to use. Without an installed binary it falls back to the
 * SDK's download (needs internet).
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const namespace = options.namespace ?? 'default';
  const ui = options.ui ?? true;
  const logLevel = options.logLevel ?? 'error';
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const launcher = options.launcher ?? 'auto';
  const dbFilename = join(options.dataDir, 'temporal.db');
  const address = `${ip}:${port}`;
  const uiUrl = ui ? `http://${ip}:${uiPort}` : '';

  // A server already on the port would answer our readiness checks while ours fails to bind.
  for (const [what, p] of [['gRPC', port], ...(ui ? [['UI', uiPort]] : [])] as [string, number][]) {
    if (!(await isPortFree(p, ip))) {
      throw new Error(`cannot start the Temporal dev server: ${what} port ${ip}:${p} is in use (a Temporal server already running there can be used through TEMPORAL_ADDRESS)`);
    }
  }

  await mkdir(options.dataDir, { recursive: true });
  const binary = launcher === 'sdk' ? undefined : findTemporalBinary('cli');
  if (launcher === 'cli' && !binary) {
    throw new Error('no temporal CLI found (set TEMPORAL_CLI_PATH, put temporal on PATH, or install it into .tools/python/bin)');
  }

  if (!binary) {
    options.log(launcher === 'sdk' ? 'starting the Temporal dev server through the SDK' : 'no temporal CLI installed; the SDK downloads one (needs internet)');
    const { TestWorkflowEnvironment } = await loadTemporalTestingSdk();
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: temporalExecutable('cli'),
        dbFilename,
        ip,
        port,
        ui,
        ...(ui ? { uiPort } : {}),
        namespace,
        searchAttributes: searchAttributeKeys,
        log: { format: 'pretty', level: logLevel },
      },
    });
    try {
      await waitForTemporal(env.address, { namespace, timeoutMs });
    } catch (error) {
      await env.teardown();
      throw error;
    }
    options.log(`Temporal dev server ready at ${env.address}${ui ? `, UI ${uiUrl}` : ''}`);
    const service = inProcessService('temporal', () => env.teardown());
    return { name: service.name, exited: service.exited, stop: service.stop, address: env.address, uiUrl, namespace, launcher: 'sdk' };
  }

  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    ...(ui ? ['--ui-port', String(uiPort)] : ['--headless']),
    '--db-filename',
    dbFilename,
    '--namespace',
    namespace,
    ...searchAttributeCliArgs,
    '--log-level',
    logLevel,
  ];
  const recent: string[] = [];
  let stopping = false;
  const log: LogFn = (line) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    // While stopping, the server logs "context canceled" errors and (its stdout being block-buffered
    // into a pipe) its start banner: noise at that point. Only our own kill notice still matters.
    if (stopping && !line.startsWith('did not stop')) return;
    options.log(line);
  };
  const service: SpawnedService = await spawnService({ name: 'temporal', command: binary, args, log, stopTimeoutMs: 15_000 });
  const stop = () => {
    stopping = true;
    return service.stop();
  };
  let exit: string | undefined;
  void service.exited.then((info) => (exit = describeExit(info)));
  try {
    await waitForTemporal(address, {
      namespace,
      timeoutMs,
      failed: () => (exit === undefined ? undefined : new Error(`temporal server start-dev ended (${exit}) before it was ready:\n${recent.join('\n')}`)),
    });
  } catch (error) {
    await service.stop();
    throw error;
  }
  options.log(`Temporal dev server ready at ${address}${ui ? `, UI ${uiUrl}` : ''} (state in ${dbFilename})`);
  return { name: service.name, exited: service.exited, stop, address, uiUrl, namespace, launcher: 'cli' };
}
