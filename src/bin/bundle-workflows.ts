import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { prebuiltWorkflowBundlePath, workflowsPath } from '../worker/create-worker.js';

/**
 * `npm run build`'s last step: bundles the compiled workflows once, so a production worker loads
 * the bundle (`workflowBundle: {codePath}`) instead of running webpack when it starts.
 */
const path = prebuiltWorkflowBundlePath();
const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath() });
await writeFile(path, code);
console.log(`workflow bundle: ${path} (${Math.round(code.length / 1024)} KiB)`);
