import knex, { type Knex } from 'knex';
import pg from 'pg';

// Postgres bigint (int8) and numeric come back as strings by default; counts here fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Knex;

export function connectDb(databaseUrl: string, options: { poolMax?: number } = {}): Db {
  return knex({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: 15_000,
  });
}

/** The connection pool's state (what /metrics reports): checked out, idle, and requests waiting for one. */
export function poolStats(db: Db): { used: number; free: number; pending: number; max: number } {
  const pool = db.client.pool as { numUsed(): number; numFree(): number; numPendingAcquires(): number; max: number } | undefined;
  if (!pool) return { used: 0, free: 0, pending: 0, max: 0 };
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
}

/** Human-readable location of a database (no password), for logs and errors. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the configured database';
  }
}
