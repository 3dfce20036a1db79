import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { dataDirOf } from '../config/dev-settings.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { createTokenCipher, resolveEncryptionKey, type TokenCipher } from '../crypto/token-cipher.js';

/**
 * The process environment with `.env` read in (without overriding what is set): the one place the
 * commands take their environment from; src/config/ reads it.
 */
export function runtimeEnv(): NodeJS.ProcessEnv {
  loadDotenv({ path: join(process.cwd(), '.env'), quiet: true });
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
