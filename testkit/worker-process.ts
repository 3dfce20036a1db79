import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../src/project-root.js';
import { imageRuntimeEnv } from './image-env.js';

/** How the worker process runs: through tsx as `npm run worker`, or the build as `npm run start:worker` (`npm run build` first). */
export type WorkerBuild = 'tsx' | 'production';

/** A running worker process; its pid names it in Temporal (the SDK's identity is `<pid>@<hostname>`). */
export type WorkerProcess = ChildProcess & { readonly pid: number };

/**
 * `npm run worker` (or the built `npm run start:worker`) in a process of its own, with `env` for its
 * whole environment (and PATH; the build also gets the production image's environment,
 * `imageRuntimeEnv`); resolves once it polls its task queue. It is SIGKILLed if this
 * process exits first, so an interrupted test or benchmark never leaves it behind.
 */
export async function spawnWorker(env: Record<string, string | undefined>, build: WorkerBuild = 'tsx'): Promise<WorkerProcess> {
  const args = build === 'production' ? ['dist/src/bin/main.js', 'worker'] : ['--import', 'tsx', 'src/bin/main.ts', 'worker'];
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', ...(build === 'production' ? imageRuntimeEnv() : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  let onData = (_chunk: Buffer): void => undefined;
  await new Promise<void>((resolve, reject) => {
    onData = (chunk) => {
      output += chunk.toString();
      if (output.includes('worker: polling task queue')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before polling:\n${output.slice(-2000)}`)));
  });
  // From now on only drain its output (a full pipe would block the worker).
  child.stdout?.off('data', onData).resume();
  child.stderr?.off('data', onData).resume();
  return child as WorkerProcess;
}

/** SIGKILLs a worker process (a crashed container) and resolves once it is gone. */
export async function killWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
