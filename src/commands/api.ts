import type { Client } from '@temporalio/client';
import { connectAccount } from '../accounts/connect-account.js';
import { startApi } from '../api/start-api.js';
import { connectDb } from '../db/connect.js';
import { connectTemporalClient } from '../temporal/client.js';
import { loadCipher, loadRuntimeConfig, untilStopSignal } from './runtime.js';

/** `npm run api`: the HTTP API, status page and login, until SIGINT/SIGTERM. */
export async function apiCommand(): Promise<void> {
  const config = loadRuntimeConfig();
  const cipher = loadCipher(config);
  const db = connectDb(config.databaseUrl);
  // Temporal is connected on first use, so status keeps answering from Postgres while it is down.
  let client: Promise<Client> | undefined;
  const temporal = () => {
    client ??= connectTemporalClient(config).catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
  const api = await startApi({
    db,
    config,
    temporal,
    connect: (tokens) => connectAccount({ db, config, cipher, workflows: async () => ({ client: await temporal(), config }) }, tokens),
    port: config.port,
    host: config.host,
  });
  await untilStopSignal();
  await api.close();
  if (client) await (await client.catch(() => undefined))?.connection.close();
  await db.destroy();
}
