import { createHash, randomBytes } from 'node:crypto';

/** A new secret: 32 random bytes, base64url, after a prefix that says what it is (`sst_` for a personal token). */
export const newSecret = (prefix = ''): string => `${prefix}${randomBytes(32).toString('base64url')}`;

/** What is stored of a secret: its SHA-256 (a secret of 256 random bits needs no slow hash). */
export const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();
