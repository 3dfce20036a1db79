import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with. */
  status: number;
}

export interface NotifyReceiver {
  /** `127.0.0.1:<port>` */
  host: string;
  received: ReceivedRequest[];
  /** Requests answered 2xx. */
  delivered(): ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A notification receiver on 127.0.0.1 speaking what ntfy, a JSON webhook and an Apprise API server
 * take (any path, POST). `failFirst(request)` says whether a request is the first of its kind, to be
 * answered 500 so that the sender must retry.
 */
export async function startNotifyReceiver(options: { failFirstOf?: (request: Omit<ReceivedRequest, 'status'>) => string | null } = {}): Promise<NotifyReceiver> {
  const received: ReceivedRequest[] = [];
  const failedOnce = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      const kind = options.failFirstOf?.(request) ?? null;
      const fail = kind !== null && !failedOnce.has(kind);
      if (fail) failedOnce.add(kind);
      const status = fail ? 500 : 200;
      received.push({ ...request, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(fail ? '{"error":"try again"}' : '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    received,
    delivered: () => received.filter((r) => r.status < 300),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
