import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTemporalBinary } from '../../src/temporal/binaries.js';
import { canConnect, findFreePort } from '../../src/dev/ports.js';
import { isTemporalServing, startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-dev-server.js';
import { searchAttributeKeys } from '../../workflows/contract.js';

const namespace = 'spotify-sync-dev-test';
const workflowId = 'dev-server-persistence-check';
const logs: string[] = [];
const log = (line: string) => logs.push(line);
const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

async function withClient<T>(server: TemporalDevServer, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: server.address });
  try {
    return await fn(new Client({ connection, namespace }));
  } finally {
    await connection.close();
  }
}

async function expectSearchAttributes(client: Client): Promise<void> {
  const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace });
  for (const key of searchAttributeKeys) expect(customAttributes?.[key.name], key.name).toBe(KEYWORD);
}

describe('Temporal dev server helper', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'spotify-sync-temporal-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts the installed CLI with the search attributes, and a restart on the same data dir keeps workflows', async () => {
    // Fail, never skip, when the binary is missing: .ci/run installs it.
    expect(findTemporalBinary('cli'), 'temporal CLI not installed (TEMPORAL_CLI_PATH, PATH or .tools/python/bin)').toBeDefined();
    const [port, uiPort] = [await findFreePort(), await findFreePort()];

    const first = await startTemporalDevServer({ dataDir, port, uiPort, namespace, log, launcher: 'cli' });
    try {
      expect(first.launcher).toBe('cli');
      expect(first.address).toBe(`127.0.0.1:${port}`);
      expect(first.uiUrl).toBe(`http://127.0.0.1:${uiPort}`);
      expect(await canConnect('127.0.0.1', uiPort)).toBe(true);
      await withClient(first, async (client) => {
        await expectSearchAttributes(client);
        // No worker polls this queue: the workflow only has to exist, then be terminated.
        const handle = await client.workflow.start('persistenceCheckWorkflow', { taskQueue: 'no-worker', workflowId, args: [] });
        await handle.terminate('persistence check');
      });
    } finally {
      await first.stop();
    }
    expect(await isTemporalServing(first.address)).toBe(false);

    const second = await startTemporalDevServer({ dataDir, port, uiPort, namespace, log, launcher: 'cli', ui: false });
    try {
      await withClient(second, async (client) => {
        await expectSearchAttributes(client);
        const description = await client.workflow.getHandle(workflowId).describe();
        expect(description.status.name).toBe('TERMINATED');
      });
    } finally {
      await second.stop();
    }
  });

  it('starts through the SDK launcher (the fallback when no CLI is installed) on the same state', async () => {
    const port = await findFreePort();
    const server = await startTemporalDevServer({ dataDir, port, namespace, log, launcher: 'sdk', ui: false });
    try {
      expect(server.launcher).toBe('sdk');
      await withClient(server, async (client) => {
        await expectSearchAttributes(client);
        expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('TERMINATED');
      });
    } finally {
      await server.stop();
    }
    expect(await isTemporalServing(server.address)).toBe(false);
  });
});

describe('Temporal dev server helper, port in use', () => {
  it('refuses to start on a port something else holds', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startTemporalDevServer({ dataDir: join(tmpdir(), 'unused'), port, ui: false, log })).rejects.toThrow(`gRPC port 127.0.0.1:${port} is in use`);
    } finally {
      blocker.close();
    }
  });
});
