import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { prebuiltWorkflowBundlePath, workflowsPath } from '../worker/create-worker.js';
import { slimWorkflowBundle } from '../worker/slim-workflow-bundle.js';

/**
 * `npm run build`'s last step: bundles the compiled workflows once, so a production worker loads
 * the bundle (`workflowBundle: {codePath}`) instead of running webpack when it starts. The bundle is
 * slimmed first (slimWorkflowBundle): the worker keeps it in memory as long as it runs.
 */
const path = prebuiltWorkflowBundlePath();
const code = slimWorkflowBundle((await bundleWorkflowCode({ workflowsPath: workflowsPath() })).code);
await writeFile(path, code);
console.log(`workflow bundle: ${path} (${Math.round(code.length / 1024)} KiB)`);
