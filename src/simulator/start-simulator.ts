import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createSimulator, type Simulator, type SimulatorOptions } from './create-simulator.js';

export interface StartSimulatorOptions extends SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: Spotify-style loopback redirects and no exposure beyond this machine. */
  host?: string;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:4010 (the Web API is under /v1, the Accounts service at the root). */
  url: string;
  port: number;
  demoRefreshToken: string;
  sim: Simulator;
  close(): Promise<void>;
}

export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = createSimulator(options);
  const host = options.host ?? '127.0.0.1';
  const server = createAdaptorServer({ fetch: sim.app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    demoRefreshToken: sim.demoRefreshToken,
    sim,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
