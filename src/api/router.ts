import { OpenAPIHono } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { ConnectFn } from '../accounts/connect-account.js';
import type { Config } from '../config/load-config.js';
import type { Db } from '../db/connect.js';
import { validationHook } from './errors.js';
import type { Logger } from './logger.js';
import type { SpotifyLogin } from './spotify-login.js';
import type { TemporalAccess } from './temporal-access.js';

export interface AppDeps {
  db: Db;
  config: Config;
  /** Lazy: called on first use (and again after a failure), so the app starts while Temporal is down. */
  temporal: () => Promise<Client>;
  /** Stores the tokens of a login and starts the account's workflows (connectAccount); without it /auth/login answers 503. */
  connect?: ConnectFn;
  now?: () => Date;
  logger?: Logger;
  /** The Spotify Accounts calls of the login flow; by default src/spotify/accounts.ts. */
  spotifyLogin?: SpotifyLogin;
}

/** What the routers get: the deps with defaults filled in. */
export interface RouteDeps {
  db: Db;
  config: Config;
  temporal: TemporalAccess;
  connect: ConnectFn | undefined;
  now: () => Date;
  logger: Logger;
  spotifyLogin: SpotifyLogin;
  /** Whether a household signed in (from then on everything but the public routes needs a session or token). */
  householdFormed: () => Promise<boolean>;
}

/** Every router validates with the same hook: a 400 naming the field. */
export const newRouter = () => new OpenAPIHono({ defaultHook: validationHook });
