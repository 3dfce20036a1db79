import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenCipher, parseEncryptionKey, resolveEncryptionKey } from '../../../src/crypto/token-cipher.js';

const hexKey = '0123456789abcdef'.repeat(4);

describe('token encryption at rest', () => {
  it('takes a 32-byte key as 64 hex characters or as base64, and refuses other lengths without echoing the key', () => {
    expect(parseEncryptionKey(hexKey)).toEqual(Buffer.from(hexKey, 'hex'));
    const base64 = Buffer.alloc(32, 7).toString('base64');
    expect(parseEncryptionKey(base64)).toEqual(Buffer.alloc(32, 7));
    // The same key in either spelling decrypts the other's tokens.
    expect(createTokenCipher(Buffer.from(hexKey, 'hex').toString('base64')).decrypt(createTokenCipher(hexKey).encrypt('rt-1'))).toBe('rt-1');
    for (const bad of ['abc123', hexKey.slice(2), Buffer.alloc(16).toString('base64')]) {
      expect(() => parseEncryptionKey(bad)).toThrow('TOKEN_ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)');
    }
  });

  it('stores v1:<iv>:<tag>:<ciphertext>, and refuses any other form without naming the token', () => {
    const cipher = createTokenCipher(hexKey);
    const stored = cipher.encrypt('rt-SECRET-0001');
    const [version, iv, tag, body] = stored.split(':');
    expect(version).toBe('v1');
    expect(Buffer.from(iv!, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64')).toHaveLength(16);
    expect(Buffer.from(body!, 'base64')).toHaveLength('rt-SECRET-0001'.length);
    expect(() => cipher.decrypt('rt-SECRET-0001')).toThrow('stored token has an unknown format');
    expect(() => cipher.decrypt(`v2:${iv}:${tag}:${body}`)).toThrow('stored token has an unknown format');
  });

  it('keeps text of any kind intact', () => {
    const cipher = createTokenCipher(hexKey);
    for (const text of ['', 'AQD-…-ünïcødé 🚀', 'x'.repeat(4_096)]) expect(cipher.decrypt(cipher.encrypt(text))).toBe(text);
  });
});

describe('resolveEncryptionKey: a key for single-machine installs', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    while (dirs.length > 0) await rm(dirs.pop()!, { recursive: true, force: true });
  });
  const keyFile = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'token-key-'));
    dirs.push(dir);
    return join(dir, 'nested', 'token-key');
  };

  it('uses the configured key and writes nothing', async () => {
    const file = await keyFile();
    expect(resolveEncryptionKey(hexKey, file)).toEqual({ key: hexKey, generated: false });
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it('generates one once, readable by its owner only, and the next process finds the same', async () => {
    const file = await keyFile();
    const first = resolveEncryptionKey(undefined, file);
    expect(first.generated).toBe(true);
    expect(first.key).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.key);
    expect(resolveEncryptionKey(undefined, file)).toEqual({ key: first.key, generated: false });
    expect(createTokenCipher(first.key).decrypt(createTokenCipher(resolveEncryptionKey(undefined, file).key).encrypt('rt'))).toBe('rt');
  });
});
