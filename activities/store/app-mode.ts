import type { Db } from '../../src/db/connect.js';
import type { Config } from '../../src/config/load-config.js';

/** What the Spotify app may call: `unknown` until a batch endpoint answers (auto mode). */
export type EffectiveAppMode = 'development' | 'extended' | 'unknown';

export async function resolveAppMode(db: Db, config: Config, accountId: string): Promise<EffectiveAppMode> {
  if (config.spotify.appMode !== 'auto') return config.spotify.appMode;
  const row = await db('accounts').where({ id: accountId }).first('app_mode');
  return (row?.app_mode as EffectiveAppMode | null) ?? 'unknown';
}

/** Remembers, per account, that Spotify refused a batch endpoint (development-mode app). */
export async function rememberAppMode(db: Db, accountId: string, mode: 'development' | 'extended'): Promise<void> {
  await db('accounts').where({ id: accountId }).update({ app_mode: mode, updated_at: new Date() });
}
