import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { temporalExecutable } from '../../src/temporal/binaries.js';
import { searchAttributeKeys } from '../../workflows/contract.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

/**
 * One Temporal dev server for the whole run (the dev server has Schedules; each test file that needs
 * timers to skip starts its own time-skipping server). Postgres must already be running: a missing
 * service fails the run loudly.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`Tests need Postgres at ${adminUrl} (set TEST_DATABASE_ADMIN_URL): ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalExecutable('cli'),
      searchAttributes: searchAttributeKeys,
      ip: '127.0.0.1',
      extraArgs: ['--headless', '--log-level', 'error'],
    },
  });
  const address = env.connection.options.address;
  project.provide('temporalAddress', address);
  return async () => {
    await env.teardown();
  };
}
