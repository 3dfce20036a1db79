import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/dev/embedded-postgres.js';
import { temporalExecutable } from '../../src/temporal/binaries.js';
import { searchAttributeKeys } from '../../workflows/contract.js';
import { chromiumExecutable } from '../helpers/chromium-path.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseAdminUrl: string;
  }
}

async function answers(url: string): Promise<Error | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Postgres for the run: the server at TEST_DATABASE_ADMIN_URL (default the local one on 5432), or,
 * when none answers there, an embedded PostgreSQL in a temporary folder, so that `npm install` and
 * `npm test` are enough on a bare machine. The test files find it in TEST_DATABASE_ADMIN_URL.
 */
async function testPostgres(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  const configured = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const problem = await answers(configured);
  if (!problem) return { adminUrl: configured, stop: async () => undefined };

  const where = new URL(configured);
  process.stderr.write(`No Postgres answers at ${where.host} (${problem.message}); starting an embedded PostgreSQL for the tests\n`);
  const dataDir = await mkdtemp(join(tmpdir(), 'spotify-sync-test-pg-'));
  const lines: string[] = [];
  try {
    const server = await startEmbeddedPostgres({ dataDir, port: 0, log: (line) => lines.push(line) });
    process.env.TEST_DATABASE_ADMIN_URL = server.databaseUrl;
    return {
      adminUrl: server.databaseUrl,
      stop: async () => {
        await server.stop();
        // As root with a private temporary folder, the cluster lives outside it (see clusterFolder).
        await rm(server.dataPath, { recursive: true, force: true });
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`Tests need Postgres: none answers at ${where.host} and the embedded one did not start: ${(error as Error).message}\n${lines.slice(-20).join('\n')}`);
  }
}

/**
 * Postgres and one Temporal dev server for the whole run (the dev server has Schedules; each test
 * file that needs timers to skip starts its own time-skipping server), and the Chromium the browser
 * tests launch, found (or unpacked) once and handed to the test files in CHROMIUM_PATH.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.CHROMIUM_PATH = await chromiumExecutable();
  const postgres = await testPostgres();
  project.provide('databaseAdminUrl', postgres.adminUrl);

  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: temporalExecutable('cli'),
        searchAttributes: searchAttributeKeys,
        ip: '127.0.0.1',
        extraArgs: ['--headless', '--log-level', 'error'],
      },
    });
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  const address = env.connection.options.address;
  project.provide('temporalAddress', address);
  return async () => {
    await env.teardown();
    await postgres.stop();
  };
}
