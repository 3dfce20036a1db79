import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { bundleBrowserScript, prebuiltStatusPageScript } from '../api/status-page-script.js';

/**
 * A step of `npm run build`: bundles the status page's browser module (from the sources, in the
 * project folder) into dist/assets/, which the compiled server serves as /assets/status-page.js.
 */
const code = await bundleBrowserScript(resolve('src/api/client/status-page.ts'));
await mkdir(dirname(prebuiltStatusPageScript), { recursive: true });
await writeFile(prebuiltStatusPageScript, code);
console.log(`status page script: ${prebuiltStatusPageScript} (${Math.round(code.length / 1024)} KiB)`);
