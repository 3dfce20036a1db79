import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePglite, type PgliteServer } from '../../src/dev/pglite-server.js';

describe('PGlite wire server', () => {
  let db: PGlite;
  let server: PgliteServer;
  let url: string;

  beforeAll(async () => {
    db = await PGlite.create();
    server = await servePglite(db, { port: 0, lockTimeoutMs: 400 });
    url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    await db.exec('create table items (id int primary key, note text)');
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  const client = async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };

  it("makes other connections wait for a transaction, then fails them with 55P03 instead of waiting for ever", async () => {
    const holder = await client();
    const waiter = await client();
    try {
      await holder.query('begin');
      await holder.query('insert into items values ($1, $2)', [1, 'in transaction']);
      await expect(waiter.query('select $1::int as x', [1])).rejects.toMatchObject({ code: '55P03' });
      await expect(waiter.query('select 1')).rejects.toMatchObject({ code: '55P03' });
      // A waiter that is let in before its timeout sees the committed row.
      const pending = waiter.query('select note from items where id = $1', [1]);
      await holder.query('commit');
      expect((await pending).rows).toEqual([{ note: 'in transaction' }]);
    } finally {
      await holder.end();
      await waiter.end();
    }
  });

  it('rolls back the open transaction of a connection that goes away', async () => {
    const dying = await client();
    await dying.query('begin');
    await dying.query('insert into items values ($1, $2)', [2, 'never committed']);
    (dying as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const other = await client();
    try {
      expect((await other.query('select count(*)::int as n from items where id = 2')).rows).toEqual([{ n: 0 }]);
      expect(db.isInTransaction()).toBe(false);
    } finally {
      await other.end();
    }
  });

  it('answers an SSL request with N, so clients that try TLS first fall back to plain', async () => {
    const { createConnection } = await import('node:net');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: server.port }, () => {
        const request = Buffer.alloc(8);
        request.writeInt32BE(8, 0);
        request.writeInt32BE(80877103, 4);
        socket.write(request);
      });
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString('latin1'));
      });
      socket.once('error', reject);
    });
    expect(answer).toBe('N');
  });
});
