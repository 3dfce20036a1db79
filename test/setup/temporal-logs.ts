import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

/**
 * Workers in tests log at WARN (TEST_LOG_LEVEL=INFO or DEBUG shows the workflows' progress lines):
 * the sync tests run thousands of batches, and INFO would bury a failure's output. Runs before each
 * test file; the Runtime is per process, so a file sharing a process with an earlier one keeps it.
 */
const level = (process.env.TEST_LOG_LEVEL ?? 'WARN').toUpperCase() as LogLevel;
try {
  Runtime.install({ logger: new DefaultLogger(level) });
} catch {
  // Already installed in this process.
}
