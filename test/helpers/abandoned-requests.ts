import { connect } from 'node:net';

/**
 * Writes a raw HTTP request to `base` (its head and the first part of its body), then cuts the
 * connection: at once (mid-body), or once the first bytes of the answer arrived (mid-response).
 */
export function abandonRequest(
  base: string,
  path: string,
  options: { method: string; headers?: Record<string, string>; body?: string | Buffer; readFirstChunk?: boolean },
): Promise<void> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve();
    };
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => {
      const headers = Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
      socket.write([`${options.method} ${path} HTTP/1.1`, `Host: ${url.host}`, ...headers, '', ''].join('\r\n'));
      socket.write(options.body ?? '', () => {
        if (options.readFirstChunk) socket.once('data', finish);
        else setTimeout(finish, 20);
      });
      setTimeout(finish, 5_000);
    });
  });
}

const boundary = '----spotifysyncabandoned';

/** A multipart upload that announces 10 MB and carries 200 bytes of a history file: send it with abandonRequest. */
export function partialUpload(): { method: string; headers: Record<string, string>; body: string } {
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="Streaming_History_Audio_2024.json"\r\n` +
    `Content-Type: application/json\r\n\r\n[{"ts":"2024-01-01T00:00:00Z","ms_played":1000,`.padEnd(200, ' ');
  return { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(10 * 1024 * 1024) }, body };
}
