import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * AES-256-GCM for tokens at rest. Stored form: `v1:<iv b64>:<tag b64>:<ciphertext b64>`.
 * Errors never include the plaintext or the key.
 */
export interface TokenCipher {
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
}

export function parseEncryptionKey(key: string): Buffer {
  const buf = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
  if (buf.length !== 32) throw new Error('TOKEN_ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)');
  return buf;
}

export function createTokenCipher(key: string): TokenCipher {
  const keyBytes = parseEncryptionKey(key);
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyBytes, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
    },
    decrypt(stored) {
      const [version, iv, tag, ciphertext] = stored.split(':');
      if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('stored token has an unknown format');
      try {
        const decipher = createDecipheriv('aes-256-gcm', keyBytes, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('stored token could not be decrypted: TOKEN_ENCRYPTION_KEY differs from the one it was saved with');
      }
    },
  };
}

/**
 * The configured key, or for single-machine installs without one, a key generated once and kept in
 * `keyFile` (mode 0600) so the worker and the server on this machine share it.
 */
export function resolveEncryptionKey(configured: string | undefined, keyFile: string): { key: string; generated: boolean } {
  if (configured) return { key: configured, generated: false };
  if (existsSync(keyFile)) return { key: readFileSync(keyFile, 'utf8').trim(), generated: false };
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  return { key, generated: true };
}
