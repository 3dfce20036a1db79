import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type AppDeps, createApp } from './create-app.js';
import { createStderrLogger } from './logger.js';

export interface StartApiOptions extends AppDeps {
  port: number;
  /** Interface to listen on; loopback by default (Spotify accepts only loopback redirects over plain http). Use 0.0.0.0 in a container. */
  host?: string;
}

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** Serves createApp(deps) over HTTP; port 0 picks a free port (see `url`). */
export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const { port, host = '127.0.0.1', ...deps } = options;
  const logger = deps.logger ?? createStderrLogger('api');
  const app = createApp({ ...deps, logger });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    // Node's default 16 KiB header limit answers 431 before the app sees a long query string; with
    // 64 KiB every query the OpenAPI description allows reaches its validation and gets a JSON 400.
    const s = serve({ fetch: app.fetch, port, hostname: host, serverOptions: { maxHeaderSize: 64 * 1024 } }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  logger.info(`API listening on ${url} (status page ${url}/sync-status)`);
  if (!deps.config.apiToken && !/^(127\.|::1$|localhost$)/.test(host)) {
    logger.warn('API_TOKEN is not set: anyone who can reach this address can read the library and history, export it, and pause, resume and reset the sync');
  }
  if (!deps.config.publicUrl && !/^(127\.|::1$|localhost$)/.test(host)) {
    logger.warn(
      'PUBLIC_URL is not set: only requests naming a loopback host (127.0.0.1, localhost, [::1]) or the redirect URI’s host are answered; set PUBLIC_URL to the URL people open this at',
    );
  }
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
