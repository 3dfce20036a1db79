import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../src/worker/create-worker.js';

let bundle: Promise<{ code: string }> | undefined;

/** The workflow bundle, built once per process (a test file, a benchmark run); the bundler reports errors only. */
export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('ERROR') });
  return bundle;
}
