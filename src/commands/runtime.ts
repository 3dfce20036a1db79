import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { dataDirOf } from '../config/dev-settings.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { createTokenCipher, resolveEncryptionKey, type TokenCipher } from '../crypto/token-cipher.js';
import { connectDb, type Db } from '../db/connect.js';
import { connectTemporalClient } from '../temporal/client.js';

/**
 * The process environment with `.env` read in (without overriding what is set): the one place the
 * commands take their environment from; src/config/ reads it.
 */
export function runtimeEnv(): NodeJS.ProcessEnv {
  try {
    process.loadEnvFile(join(process.cwd(), '.env'));
  } catch (error) {
    // No .env is fine: the environment alone configures the process.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return process.env;
}

/** Where `npm run dev` and single-machine installs keep generated state (git-ignored). */
export const dataDir = dataDirOf(runtimeEnv());

/** Reads `.env` (without overriding the environment) and validates the configuration. */
export function loadRuntimeConfig(): Config {
  return loadConfig(runtimeEnv());
}

/**
 * The token cipher from TOKEN_ENCRYPTION_KEY, or on a single machine without one, from a key generated
 * once into the data folder (the worker and the server there share it).
 */
export function loadCipher(config: Config, log: (line: string) => void = (l) => console.error(l)): TokenCipher {
  const { key, generated } = resolveEncryptionKey(config.tokenEncryptionKey, join(dataDir, 'token-encryption.key'));
  if (generated) log(`No TOKEN_ENCRYPTION_KEY set: generated one in ${join(dataDir, 'token-encryption.key')} (set TOKEN_ENCRYPTION_KEY in production).`);
  return createTokenCipher(key);
}

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/** A mistake in how a command was called: printed without a stack trace. */
export class UsageError extends Error {}

/** The account a command means: `--account <id>`, else the only one connected. */
export async function resolveAccountId(db: Db, requested: string | undefined): Promise<string> {
  if (requested) {
    const row = await db('accounts').where({ id: requested }).first('id');
    if (!row) throw new UsageError(`No account "${requested}" (see: npm run cli -- accounts)`);
    return requested;
  }
  const ids = await db('accounts').orderBy('connected_at').pluck('id');
  if (ids.length === 0) throw new UsageError('No account connected yet: npm run cli -- connect --refresh-token-file <file> (or log in at /auth/login)');
  if (ids.length > 1) throw new UsageError(`Several accounts are connected (${ids.join(', ')}): pass --account <id>`);
  return ids[0] as string;
}

/** What a command works with; everything it opens is closed when the command ends. */
export interface CommandRuntime {
  config: Config;
  db: Db;
  /** The account the command means (see resolveAccountId), from the `--account` flag it was given. */
  account(): Promise<string>;
  /** A Temporal client, connected on first use: commands that read Postgres only never need Temporal. */
  temporal(): Promise<Client>;
  /** The token cipher (see loadCipher). */
  cipher(): TokenCipher;
}

export interface CommandRuntimeOptions {
  /** The value of `--account`, if the command takes one. */
  account?: string;
  /** Postgres connections: a one-shot command needs few (default 2); a server passes more. */
  poolMax?: number;
}

/**
 * The plumbing every command shares: reads the configuration, opens the database, resolves the
 * account and connects to Temporal when asked, and closes what was opened however the command ends.
 */
export async function withCommandRuntime<T>(options: CommandRuntimeOptions, command: (runtime: CommandRuntime) => Promise<T>): Promise<T> {
  const config = loadRuntimeConfig();
  const db = connectDb(config.databaseUrl, { poolMax: options.poolMax ?? 2 });
  let client: Promise<Client> | undefined;
  let account: Promise<string> | undefined;
  let cipher: TokenCipher | undefined;
  const runtime: CommandRuntime = {
    config,
    db,
    account: () => (account ??= resolveAccountId(db, options.account)),
    temporal: () =>
      (client ??= connectTemporalClient(config).catch((error: unknown) => {
        // Not remembered: the next call tries again (a server outlives a Temporal restart).
        client = undefined;
        throw error;
      })),
    cipher: () => (cipher ??= loadCipher(config)),
  };
  try {
    return await command(runtime);
  } finally {
    const connected = await client?.catch(() => undefined);
    await connected?.connection.close();
    await db.destroy();
  }
}
