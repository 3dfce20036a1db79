import { connectAccount } from '../accounts/connect-account.js';
import { signalAccountWorkflows, type AccountSignal } from '../accounts/account-workflows.js';
import type { Config } from '../config/load-config.js';
import { connectDb, type Db } from '../db/connect.js';
import { connectTemporalClient } from '../temporal/client.js';
import { loadCipher, loadRuntimeConfig } from './runtime.js';

export class UsageError extends Error {}

/** The account a command means: `--account <id>`, else the only one connected. */
export async function resolveAccountId(db: Db, requested: string | undefined): Promise<string> {
  if (requested) {
    const row = await db('accounts').where({ id: requested }).first('id');
    if (!row) throw new UsageError(`No account "${requested}" (see: npm run cli -- accounts)`);
    return requested;
  }
  const ids = (await db('accounts').orderBy('connected_at').pluck('id')) as string[];
  if (ids.length === 0) throw new UsageError('No account connected yet: npm run cli -- connect --refresh-token <token>');
  if (ids.length > 1) throw new UsageError(`Several accounts are connected (${ids.join(', ')}): pass --account <id>`);
  return ids[0] as string;
}

async function withDeps<T>(fn: (deps: { config: Config; db: Db }) => Promise<T>): Promise<T> {
  const config = loadRuntimeConfig();
  const db = connectDb(config.databaseUrl, { poolMax: 2 });
  try {
    return await fn({ config, db });
  } finally {
    await db.destroy();
  }
}

export function connectCommand(refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) throw new UsageError('connect needs --refresh-token <token> (or log in at /auth/login)');
  return withDeps(async ({ config, db }) => {
    const client = await connectTemporalClient(config);
    try {
      const result = await connectAccount({ db, config, cipher: loadCipher(config), workflows: async () => ({ client, config }) }, { refreshToken });
      console.log(result.accountId);
      console.error(
        `${result.created ? 'connected' : 'reconnected'} ${result.displayName ?? result.accountId}: ` +
          `initial sync ${result.initialSyncStarted ? 'started' : 'already running or done'}, ` +
          `playback ${result.playbackStarted ? 'started' : 'already running'}, ` +
          `incremental schedule ${result.scheduleCreated ? 'created' : 'in place'}`,
      );
    } finally {
      await client.connection.close();
    }
  });
}

export function accountsCommand(): Promise<void> {
  return withDeps(async ({ db }) => {
    const rows = await db('accounts').orderBy('connected_at').select('id', 'display_name', 'sync_state', 'sync_phase', 'connected_at');
    if (rows.length === 0) {
      console.log('No account connected yet.');
      return;
    }
    for (const r of rows) console.log(`${r.id}\t${r.display_name ?? ''}\t${r.sync_state}\t${r.sync_phase}\tconnected ${new Date(r.connected_at).toISOString()}`);
  });
}

export function signalCommand(signal: AccountSignal, accountFlag: string | undefined): Promise<void> {
  return withDeps(async ({ config, db }) => {
    const accountId = await resolveAccountId(db, accountFlag);
    const client = await connectTemporalClient(config);
    try {
      const delivered = await signalAccountWorkflows({ client, config }, accountId, signal);
      console.log(delivered.length > 0 ? `${signal} sent to ${delivered.join(', ')}` : `no running workflow for ${accountId}`);
    } finally {
      await client.connection.close();
    }
  });
}
