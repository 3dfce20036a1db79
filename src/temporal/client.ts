import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config/load-config.js';

/** Connection settings shared by clients and workers: plain for local servers, TLS for Temporal Cloud. */
export function temporalConnectionOptions(config: Config): ConnectionOptions & NativeConnectionOptions {
  const { address, apiKey, tls } = config.temporal;
  if (tls) {
    return {
      address,
      tls: { clientCertPair: { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } },
      ...(apiKey ? { apiKey } : {}),
    };
  }
  if (apiKey) return { address, tls: true, apiKey };
  return { address };
}

export async function connectTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace });
}

export function connectTemporalWorker(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config));
}
