import { join } from 'node:path';
import { projectRoot } from '../project-root.js';

type Env = Record<string, string | undefined>;

/** Where `npm run dev` and single-machine installs keep generated state (git-ignored): SPOTIFY_SYNC_DATA_DIR. */
export function dataDirOf(env: Env): string {
  return env.SPOTIFY_SYNC_DATA_DIR?.trim() || join(projectRoot, '.data');
}

/**
 * What `npm run dev` takes as given when it is set, and otherwise provides itself (a Postgres, a
 * Temporal dev server, the simulator's redirect and app mode). loadConfig fills in defaults, so it
 * cannot tell "set" from "default": this is the one other place the environment is read.
 */
export interface DevSettings {
  dataDir: string;
  databaseUrl?: string;
  /**
   * DEV_LOCAL_DATABASE_URL: the local server tried when DATABASE_URL is unset (default
   * postgres://postgres@127.0.0.1:5432/spotify_sync). Pointed at a port where nothing listens, dev
   * starts its embedded PostgreSQL even on a machine that has a local server (CI's private-folder check).
   */
  localDatabaseUrl?: string;
  temporalAddress?: string;
  temporalUiUrl?: string;
  redirectUri?: string;
  appMode?: string;
}

export function readDevSettings(env: Env): DevSettings {
  const set = (name: string) => env[name]?.trim() || undefined;
  return {
    dataDir: dataDirOf(env),
    databaseUrl: set('DATABASE_URL'),
    localDatabaseUrl: set('DEV_LOCAL_DATABASE_URL'),
    temporalAddress: set('TEMPORAL_ADDRESS'),
    temporalUiUrl: set('TEMPORAL_UI_URL'),
    redirectUri: set('SPOTIFY_REDIRECT_URI'),
    appMode: set('SPOTIFY_APP_MODE'),
  };
}
