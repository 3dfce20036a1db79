import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import type { LogFn } from './processes.js';

export interface PgliteServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  log?: LogFn;
  /** How long a connection waits for another's transaction before its statement fails (default 60 s). */
  lockTimeoutMs?: number;
}

export interface PgliteServer {
  readonly host: string;
  readonly port: number;
  /** Open client connections. */
  connectionCount(): number;
  /** Closes every connection (rolling back open transactions) and stops listening. Leaves PGlite open. */
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

class LockTimeoutError extends Error {}

interface Waiter {
  conn: Connection;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** FIFO ownership of the single backend. */
class BackendLock {
  owner: Connection | undefined;
  readonly #waiters: Waiter[] = [];

  acquire(conn: Connection, timeoutMs: number): Promise<void> {
    if (this.owner === conn) return Promise.resolve();
    if (!this.owner && this.#waiters.length === 0) {
      this.owner = conn;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        conn,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#remove(waiter);
          reject(new LockTimeoutError(`waited ${timeoutMs / 1000} s for another connection's transaction`));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  release(conn: Connection): void {
    if (this.owner !== conn) return;
    this.owner = undefined;
    const next = this.#waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      this.owner = next.conn;
      next.resolve();
    }
  }

  /** A connection that went away stops waiting. */
  forget(conn: Connection): void {
    for (const waiter of [...this.#waiters]) {
      if (waiter.conn === conn) {
        this.#remove(waiter);
        waiter.reject(new Error('connection closed'));
      }
    }
  }

  #remove(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const i = this.#waiters.indexOf(waiter);
    if (i >= 0) this.#waiters.splice(i, 1);
  }
}

function backendMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'ascii');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function errorResponse(code: string, message: string): Buffer {
  const field = (t: string, v: string) => Buffer.concat([Buffer.from(t, 'ascii'), Buffer.from(v, 'utf8'), Buffer.from([0])]);
  return backendMessage('E', Buffer.concat([field('S', 'ERROR'), field('V', 'ERROR'), field('C', code), field('M', message), Buffer.from([0])]));
}

const readyForQueryIdle = backendMessage('Z', Buffer.from('I', 'ascii'));
const syncMessage = Buffer.from([0x53, 0, 0, 0, 4]);
// Frontend messages have the same framing as backend ones.
const rollbackMessage = backendMessage('Q', Buffer.from('ROLLBACK\0', 'utf8'));

class Connection {
  #buffer: Buffer = Buffer.alloc(0);
  #startupDone = false;
  #queue: Buffer[] = [];
  #processing = false;
  #skipUntilSync = false;
  #closed = false;

  constructor(
    readonly socket: Socket,
    readonly db: PGlite,
    readonly lock: BackendLock,
    readonly lockTimeoutMs: number,
    readonly log: LogFn,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data) => this.#onData(data));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  #onData(data: Buffer): void {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, data]) : data;
    for (;;) {
      if (!this.#startupDone) {
        if (this.#buffer.length < 8) return;
        const length = this.#buffer.readInt32BE(0);
        if (this.#buffer.length < length) return;
        const code = this.#buffer.readInt32BE(4);
        const message = this.#buffer.subarray(0, length);
        this.#buffer = this.#buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          // There is no other backend to signal; a cancel request is answered by closing.
          this.socket.end();
          return;
        }
        if (code !== PROTOCOL_3) {
          this.socket.end(errorResponse('0A000', `unsupported frontend protocol ${code >> 16}.${code & 0xffff}`));
          return;
        }
        this.#startupDone = true;
        this.#enqueue(Buffer.from(message));
        continue;
      }
      if (this.#buffer.length < 5) return;
      const length = 1 + this.#buffer.readInt32BE(1);
      if (this.#buffer.length < length) return;
      this.#enqueue(Buffer.from(this.#buffer.subarray(0, length)));
      this.#buffer = this.#buffer.subarray(length);
    }
  }

  #enqueue(message: Buffer): void {
    this.#queue.push(message);
    if (!this.#processing) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#processing = true;
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        await this.#handle(this.#queue.shift()!);
      }
    } catch (error) {
      this.log(`embedded Postgres connection failed: ${error instanceof Error ? error.message : String(error)}`);
      this.socket.destroy();
      this.close();
    } finally {
      this.#processing = false;
      if (this.#closed) this.#releaseBackend();
    }
  }

  async #handle(message: Buffer): Promise<void> {
    const type = String.fromCharCode(message[0]!);
    if (type === 'X') {
      this.socket.end();
      this.close();
      return;
    }
    if (this.#skipUntilSync) {
      if (type === 'S') {
        this.#skipUntilSync = false;
        this.socket.write(readyForQueryIdle);
      }
      return;
    }
    try {
      await this.lock.acquire(this, this.lockTimeoutMs);
    } catch (error) {
      if (this.#closed) return;
      const text = `embedded Postgres (PGlite) runs one transaction at a time: ${(error as Error).message}`;
      if (message[0] === 0) {
        this.socket.end(errorResponse('55P03', text));
      } else if (type === 'Q' || type === 'S') {
        this.socket.write(Buffer.concat([errorResponse('55P03', text), readyForQueryIdle]));
      } else {
        // Extended protocol: like Postgres after an error, ignore everything up to the next Sync.
        this.socket.write(errorResponse('55P03', text));
        this.#skipUntilSync = true;
      }
      return;
    }
    if (this.#closed) return;
    const out: Buffer[] = [];
    await this.db.execProtocolRawStream(new Uint8Array(message.buffer, message.byteOffset, message.length), {
      // The bytes are a view into PGlite's buffer, reused by the next call: copy them.
      onRawData: (bytes) => out.push(Buffer.from(bytes)),
    });
    if (out.length && this.socket.writable) this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    const endsExchange = message[0] === 0 || type === 'S' || type === 'Q';
    if (endsExchange && !this.db.isInTransaction()) this.lock.release(this);
  }

  /** Leaves the backend as a new connection expects it: no half-done exchange, no open transaction. */
  #releaseBackend(): void {
    if (this.lock.owner !== this) return;
    try {
      if (!this.db.closed) {
        this.db.execProtocolRawSync(syncMessage);
        if (this.db.isInTransaction()) this.db.execProtocolRawSync(rollbackMessage);
      }
    } catch (error) {
      this.log(`embedded Postgres: cleaning up after a closed connection failed: ${(error as Error).message}`);
    } finally {
      this.lock.release(this);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.lock.forget(this);
    // A message being executed finishes first; #handle releases the backend afterwards.
    if (!this.#processing) this.#releaseBackend();
    if (!this.socket.destroyed) this.socket.destroy();
  }

  get closed(): boolean {
    return this.#closed;
  }
}

/**
 * Serves one PGlite database over the Postgres wire protocol to several client connections.
 *
 * PGlite is a single Postgres backend, so connections take turns: a connection owns the backend from
 * its first message until the backend is idle again (after a Sync or a simple Query that leaves no
 * transaction open). Others wait, first come first served. A whole transaction, or a whole
 * Parse/Bind/Execute/Sync exchange, therefore runs without anyone else's messages in between.
 *
 * Why not @electric-sql/pglite-socket's PGLiteSocketServer: with `maxConnections > 1` it queues single
 * protocol messages, and when a client's Parse/Bind/.../Sync arrives in more than one TCP chunk (any
 * large insert) another connection's Parse can land in between and replace the unnamed statement: the
 * query then runs someone else's SQL with its own parameters (reproduced with pg 8 and pglite-socket
 * 0.2.17). With its default of one connection, a second connection is refused.
 *
 * What still differs from a real server: session state (SET, temporary tables, named prepared
 * statements) is shared by all connections, and a connection that keeps a transaction open makes the
 * others wait; after `lockTimeoutMs` they get SQLSTATE 55P03 instead of waiting for ever (code that
 * holds a transaction and waits for a query on another connection would otherwise deadlock).
 */
export async function servePglite(db: PGlite, options: PgliteServerOptions): Promise<PgliteServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const lock = new BackendLock();
  const connections = new Set<Connection>();
  const server: Server = createServer((socket) => {
    const conn = new Connection(socket, db, lock, options.lockTimeoutMs ?? 60_000, log);
    connections.add(conn);
    socket.on('close', () => connections.delete(conn));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`embedded Postgres server error: ${error.message}`));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    connectionCount: () => connections.size,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const conn of connections) conn.close();
      });
      return closing;
    },
  };
}
