import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** Where a service's log lines go: one call per line, without the trailing newline. */
export type LogFn = (line: string) => void;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started or signalled. */
  error?: Error;
}

/** Anything `npm run dev` starts: a child process or something running in this process. */
export interface RunningService {
  readonly name: string;
  /** Resolves when the service has ended, whether it was stopped or ended by itself. Never rejects. */
  readonly exited: Promise<ExitInfo>;
  /** Ends the service and resolves when it has ended. Safe to call more than once. */
  stop(): Promise<void>;
}

const colors = [36, 33, 35, 32, 34, 91, 96, 93];

/**
 * A logger that writes `name | line` to stdout, with the name padded to `width` and coloured per name
 * when stdout is a terminal (and NO_COLOR is unset).
 */
export function prefixedLogger(name: string, options: { width?: number; color?: boolean; write?: (text: string) => void } = {}): LogFn {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const useColor = options.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const label = name.padEnd(options.width ?? 0);
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const prefix = useColor ? `\u001b[${colors[hash % colors.length]}m${label} |\u001b[0m ` : `${label} | `;
  return (line) => write(`${prefix}${line}\n`);
}

/** Calls `log` once per line of `stream` (a last line without newline is flushed at the end). */
export function pipeLines(stream: Readable, log: LogFn): void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = (text: string, final: boolean) => {
    pending += text;
    const lines = pending.split(/\r?\n/);
    pending = final ? '' : (lines.pop() ?? '');
    for (const line of lines) if (!final || line !== '') log(line);
  };
  stream.on('data', (chunk: Buffer | string) => emit(typeof chunk === 'string' ? chunk : decoder.write(chunk), false));
  stream.on('end', () => emit(decoder.end(), true));
}

export interface SpawnServiceOptions {
  name: string;
  command: string;
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives every stdout and stderr line of the child. */
  log: LogFn;
  /** Signal for a clean stop (default SIGTERM); SIGKILL follows after `stopTimeoutMs` (default 10 s). */
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
  /**
   * Run the child in a process group of its own (default true on POSIX): a Ctrl-C in the terminal then
   * reaches only this process, which stops the services in order, and a stop signals the child's whole
   * tree (npm → sh → node). The cost: a child outlives a parent that is SIGKILLed.
   */
  ownProcessGroup?: boolean;
  /** Run the child as this user and group (a root parent starting a server that refuses root). */
  uid?: number;
  gid?: number;
}

export interface SpawnedService extends RunningService {
  readonly child: ChildProcess;
  readonly pid: number;
}

/** Starts a child process with prefixed logs; resolves once it has started, rejects if it cannot. */
export async function spawnService(options: SpawnServiceOptions): Promise<SpawnedService> {
  const ownGroup = (options.ownProcessGroup ?? true) && process.platform !== 'win32';
  const child = spawn(options.command, options.args ?? [], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup,
    uid: options.uid,
    gid: options.gid,
  });
  pipeLines(child.stdout!, options.log);
  pipeLines(child.stderr!, options.log);

  const exited = new Promise<ExitInfo>((resolve) => {
    // 'close' (not 'exit'): by then every line the child printed has been logged.
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      // 'error' without 'exit' means the process never ran.
      if (child.pid === undefined || child.exitCode !== null) resolve({ code: null, signal: null, error });
    });
  });

  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error) => reject(new Error(`${options.name}: could not start ${options.command}: ${error.message}`, { cause: error })));
  });
  const pid = child.pid!;
  untrackOnExit(exited, trackForExit(pid, ownGroup));

  const signal = (sig: NodeJS.Signals) => {
    try {
      if (ownGroup) process.kill(-pid, sig);
      else child.kill(sig);
    } catch {
      // Already gone.
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal(options.stopSignal ?? 'SIGTERM');
      const timeoutMs = options.stopTimeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const first = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (first === 'timeout') {
        options.log(`did not stop within ${timeoutMs} ms; killing it`);
        signal('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };

  return { name: options.name, child, pid, exited, stop };
}

// Children still running when this process exits (even through process.exit) are killed, so a crash of
// the orchestrator does not leave a Temporal server holding its port.
const liveChildren = new Map<number, boolean>();
let exitHookInstalled = false;
function trackForExit(pid: number, ownGroup: boolean): number {
  liveChildren.set(pid, ownGroup);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const [childPid, group] of liveChildren) {
        try {
          process.kill(group ? -childPid : childPid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    });
  }
  return pid;
}
function untrackOnExit(exited: Promise<ExitInfo>, pid: number): void {
  void exited.then(() => liveChildren.delete(pid));
}

/** Wraps something running in this process (a server, a worker) as a RunningService. */
export function inProcessService(name: string, stopFn: () => Promise<void>): RunningService {
  let resolveExited!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => (resolveExited = resolve));
  let stopping: Promise<void> | undefined;
  return {
    name,
    exited,
    stop() {
      stopping ??= stopFn().then(
        () => resolveExited({ code: 0, signal: null }),
        (error: unknown) => {
          resolveExited({ code: 1, signal: null, error: error instanceof Error ? error : new Error(String(error)) });
          throw error;
        },
      );
      return stopping;
    },
  };
}

/**
 * Services started in order and stopped in reverse order (the worker before Temporal, Temporal before
 * nothing else depends on it). When a service ends on its own, the whole stack stops.
 */
export class ServiceStack {
  readonly #services: RunningService[] = [];
  readonly #log: LogFn;
  #stopping: Promise<void> | undefined;
  #resolveStopped!: () => void;
  /** Resolves once every service has been stopped. */
  readonly stopped = new Promise<void>((resolve) => (this.#resolveStopped = resolve));
  /** Non-zero when a service ended by itself or failed to stop. */
  exitCode = 0;

  constructor(log: LogFn) {
    this.#log = log;
  }

  get services(): readonly RunningService[] {
    return this.#services;
  }

  get isStopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** Registers a started service; if it ends before the stack is stopped, the stack stops. */
  add<T extends RunningService>(service: T): T {
    if (this.#stopping) {
      // Started while shutting down (a slow start that finished late): stop it right away.
      void service.stop().catch(() => undefined);
      return service;
    }
    this.#services.push(service);
    void service.exited.then((info) => {
      if (this.#stopping) return;
      this.exitCode = 1;
      this.#log(`${service.name} ended unexpectedly (${describeExit(info)}); stopping everything`);
      void this.stopAll();
    });
    return service;
  }

  /** Runs `start` and registers the service it returns; a failure stops what was already started. */
  async start<T extends RunningService>(name: string, start: () => Promise<T>): Promise<T> {
    try {
      return this.add(await start());
    } catch (error) {
      this.exitCode = 1;
      this.#log(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
      await this.stopAll();
      throw error;
    }
  }

  /** Stops every service, newest first, each after the previous one has ended. Idempotent. */
  stopAll(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const service of [...this.#services].reverse()) {
        try {
          await service.stop();
        } catch (error) {
          this.exitCode = 1;
          this.#log(`${service.name} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      this.#resolveStopped();
    })();
    return this.#stopping;
  }

  /**
   * SIGINT/SIGTERM/SIGHUP stop the stack in order; a second signal exits at once (children are then
   * killed by the exit hook). Returns a function that removes the handlers.
   *
   * Signals within `repeatWindowMs` (default 1 s) of the first count as the same one: under
   * `npm run dev` one Ctrl-C reaches this process more than once (from the terminal, and relayed by
   * npm), which must not look like an impatient second Ctrl-C. (The long-running scripts run
   * `node --import tsx`, not tsx's CLI: that one SIGKILLs its child when the child is too busy to
   * acknowledge a relayed signal within 60 ms, which on a loaded machine cut the orderly stop short.)
   */
  handleSignals(options: { exit?: boolean; repeatWindowMs?: number } = {}): () => void {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const repeatWindowMs = options.repeatWindowMs ?? 1_000;
    let firstAt: number | undefined;
    const handler = (signal: NodeJS.Signals) => {
      if (firstAt !== undefined) {
        if (Date.now() - firstAt < repeatWindowMs) return;
        this.#log(`${signal} again: exiting now`);
        process.exit(130);
      }
      firstAt = Date.now();
      this.#log(`${signal}: stopping (press Ctrl-C again to force)`);
      void this.stopAll().then(() => {
        if (options.exit ?? true) process.exit(this.exitCode);
      });
    };
    for (const signal of signals) process.on(signal, handler);
    return () => {
      for (const signal of signals) process.off(signal, handler);
    };
  }
}

export function describeExit(info: ExitInfo): string {
  if (info.error) return info.error.message;
  if (info.signal) return `signal ${info.signal}`;
  return `exit code ${info.code}`;
}
