import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tiny scripted HTTP server on 127.0.0.1 for unit tests of the Spotify clients (real HTTP, no fetch mocks). */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string (sent as is). */
  body?: unknown;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

export type Handler = (request: RecordedRequest, count: number) => FakeResponse | Promise<FakeResponse>;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers `METHOD /path` (path without query) with `handler`; `count` is 1 for the first request. */
  on(method: string, path: string, handler: Handler | FakeResponse): void;
  /** Requests to `METHOD /path` so far. */
  requestsTo(method: string, path: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(): Promise<FakeServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const key = `${recorded.method} ${recorded.path}`;
      const handler = routes.get(key);
      const count = requests.filter((r) => `${r.method} ${r.path}` === key).length;
      void Promise.resolve(handler ? handler(recorded, count) : { status: 404, body: { error: { status: 404, message: `no route ${key}` } } }).then((response) => {
        const send = () => {
          if (res.destroyed) return;
          const body = response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
          const headers: Record<string, string> = { ...(typeof response.body === 'string' ? {} : { 'content-type': 'application/json' }), ...response.headers };
          res.writeHead(response.status ?? 200, headers);
          res.end(body);
        };
        if (response.delayMs) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            send();
          }, response.delayMs);
          timers.add(timer);
        } else send();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, path, handler) {
      routes.set(`${method} ${path}`, typeof handler === 'function' ? handler : () => handler);
    },
    requestsTo(method, path) {
      return requests.filter((r) => r.method === method && r.path === path);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on which nothing listens (ECONNREFUSED). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
