import type { TokenCipher } from '../../src/crypto/token-cipher.js';
import type { Db } from '../../src/db/connect.js';
import type { TokenStore } from '../../src/spotify/client.js';

/** Tokens of one account, decrypted on load and encrypted on save; they never leave the activity. */
export function accountTokenStore(db: Db, cipher: TokenCipher, accountId: string): TokenStore {
  return {
    async load() {
      const row = await db('accounts').where({ id: accountId }).first();
      if (!row) throw new Error(`account ${accountId} is not connected`);
      return {
        refreshToken: cipher.decrypt(row.refresh_token_encrypted),
        accessToken: row.access_token_encrypted ? cipher.decrypt(row.access_token_encrypted) : null,
        accessTokenExpiresAt: row.access_token_expires_at,
      };
    },
    async save(tokens) {
      await db('accounts')
        .where({ id: accountId })
        .update({
          refresh_token_encrypted: cipher.encrypt(tokens.refreshToken),
          access_token_encrypted: cipher.encrypt(tokens.accessToken),
          access_token_expires_at: tokens.accessTokenExpiresAt,
          updated_at: new Date(),
        });
    },
  };
}
