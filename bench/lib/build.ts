import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { projectRoot } from '../../src/project-root.js';
import type { BenchContext } from './context.js';

/** `npm run build`: the compiled JavaScript and the prebuilt workflow bundle, from the current sources, for a production worker. */
export async function buildProduction(ctx: BenchContext): Promise<void> {
  const t0 = Date.now();
  const child = spawn('npm', ['run', 'build'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${output.slice(-3000)}`);
  ctx.log(`  npm run build: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
