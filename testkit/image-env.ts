import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, Env } from 'dockerfile-ast';
import { projectRoot } from '../src/project-root.js';

/**
 * The environment the production image gives its processes: the `ENV` instructions of the
 * Dockerfile's `runtime` stage (NODE_ENV, and the memory settings of the Node runtime and the C
 * allocator). A production worker started by the tests or the benchmark runs with exactly these, so
 * what the benchmark measures is what the image runs; the Dockerfile stays their one home.
 */
export function imageRuntimeEnv(): Record<string, string> {
  const dockerfile = DockerfileParser.parse(readFileSync(join(projectRoot, 'Dockerfile'), 'utf8'));
  const stages = dockerfile.getFROMs();
  const runtime = stages.find((from) => from.getBuildStage() === 'runtime');
  if (!runtime) throw new Error('the Dockerfile has no stage named runtime');
  const start = runtime.getRange().start.line;
  const next = stages.find((from) => from.getRange().start.line > start);
  const end = next ? next.getRange().start.line : Number.POSITIVE_INFINITY;
  const env: Record<string, string> = {};
  for (const instruction of dockerfile.getInstructions()) {
    const line = instruction.getRange().start.line;
    if (!(instruction instanceof Env) || line < start || line >= end) continue;
    for (const property of instruction.getProperties()) {
      env[property.getName()] = property.getValue() ?? '';
    }
  }
  return env;
}
