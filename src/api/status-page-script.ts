import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The status page's browser module (src/api/client/status-page.ts) as one script. `npm run build`
 * bundles it into dist/assets/ (see src/bin/bundle-client.ts) and the compiled server serves that file;
 * run from the sources (tsx: dev, tests) there is no such file, and esbuild bundles it on first use.
 */

export interface BrowserScript {
  code: string;
  /** Subresource Integrity of the code: the page's script tag carries it. */
  integrity: string;
  /** Where the page loads it from: the digest in the query makes a new build a new URL for caches. */
  src: string;
}

export const statusPageScriptPath = '/assets/status-page.js';

/** Where `npm run build` writes the bundle, next to the compiled server (dist/assets/). */
export const prebuiltStatusPageScript = fileURLToPath(new URL('../../assets/status-page.js', import.meta.url));
/** The entry point in the sources. */
export const statusPageScriptSource = fileURLToPath(new URL('./client/status-page.ts', import.meta.url));

/** Bundles a browser module and what it imports into one classic script (esbuild, ES2022, minified). */
export async function bundleBrowserScript(entryPoint: string): Promise<string> {
  // Imported here only: the compiled server serves the prebuilt file and does not need esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

function describeScript(code: string): BrowserScript {
  const digest = createHash('sha384').update(code, 'utf8').digest();
  return {
    code,
    integrity: `sha384-${digest.toString('base64')}`,
    src: `${statusPageScriptPath}?v=${digest.toString('base64url').slice(0, 12)}`,
  };
}

async function loadStatusPageScript(): Promise<BrowserScript> {
  const prebuilt = await readFile(prebuiltStatusPageScript, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return describeScript(prebuilt ?? (await bundleBrowserScript(statusPageScriptSource)));
}

let loaded: Promise<BrowserScript> | undefined;

/** The script, read or bundled once per process (a failed bundling is tried again on the next request). */
export function statusPageScript(): Promise<BrowserScript> {
  loaded ??= loadStatusPageScript().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}
