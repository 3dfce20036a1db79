import { z } from 'zod';
import { NotifyTargetError, parseNotifyUrls, type NotifyTarget } from './notify-targets.js';

/** Every environment variable the product reads is read here, once. */
const appModes = ['auto', 'development', 'extended'] as const;
export type SpotifyAppMode = (typeof appModes)[number];

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n > 0, 'must be greater than 0')
    .optional()
    .transform((n) => n ?? fallback);

const positiveNumber = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a number')
    .transform(Number)
    .refine((n) => n > 0, 'must be greater than 0')
    .optional()
    .transform((n) => n ?? fallback);

const url = (fallback: string) =>
  z
    .string()
    .trim()
    .url('must be a URL such as http://127.0.0.1:3000')
    .optional()
    .transform((u) => (u ?? fallback).replace(/\/+$/, ''));

const optionalString = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() !== '' ? s.trim() : undefined));

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
    .optional()
    .transform((u) => u ?? 'postgres://postgres@127.0.0.1:5432/spotify_sync'),
  TEMPORAL_ADDRESS: z
    .string()
    .trim()
    .regex(/^[^\s:/]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:7233')
    .optional()
    .transform((a) => a ?? '127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z
    .string()
    .trim()
    .min(1)
    .optional()
    .transform((n) => n ?? 'default'),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TASK_QUEUE: z
    .string()
    .trim()
    .min(1)
    .optional()
    .transform((q) => q ?? 'spotify-sync'),
  SPOTIFY_CLIENT_ID: optionalString,
  SPOTIFY_CLIENT_SECRET: optionalString,
  SPOTIFY_REDIRECT_URI: url('http://127.0.0.1:3000/auth/callback'),
  SPOTIFY_API_URL: url('https://api.spotify.com'),
  SPOTIFY_ACCOUNTS_URL: url('https://accounts.spotify.com'),
  SPOTIFY_APP_MODE: z
    .enum(appModes, { message: `must be one of ${appModes.join(', ')}` })
    .optional()
    .transform((m) => m ?? 'auto'),
  API_TOKEN: optionalString.refine(
    (t) => t === undefined || t.length >= 32,
    'must be at least 32 characters, so that it cannot be guessed (generate one with: openssl rand -hex 32)',
  ),
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .trim()
    .optional()
    .refine(
      (k) => k === undefined || k === '' || /^[0-9a-fA-F]{64}$/.test(k) || Buffer.from(k, 'base64').length === 32,
      'must be 32 bytes as 64 hex characters or base64 (generate one with: openssl rand -hex 32)',
    )
    .transform((k) => (k && k !== '' ? k : undefined)),
  HOST: z
    .string()
    .trim()
    .min(1)
    .optional()
    .transform((h) => h ?? '127.0.0.1'),
  PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .refine((p) => p > 0 && p < 65536, 'must be between 1 and 65535')
    .optional()
    .transform((p) => p ?? 3000),
  SYNC_INITIAL_BATCH_SIZE: positiveInt(200),
  SYNC_INCREMENTAL_BATCH_SIZE: positiveInt(50),
  SYNC_INCREMENTAL_INTERVAL_HOURS: positiveNumber(6),
  PLAYBACK_POLL_MINUTES: positiveNumber(30),
  RATE_LIMIT_FALLBACK_HOURS: positiveNumber(24),
  SYNC_MAX_BATCHES_PER_RUN: positiveInt(500),
  HISTORY_IMPORT_DIR: z
    .string()
    .trim()
    .min(1)
    .optional()
    .transform((d) => d ?? '.data/imports'),
  SPOTIFY_MAX_CONCURRENCY: positiveInt(8),
  TEMPORAL_UI_URL: url('http://127.0.0.1:8233'),
  WORKER_METRICS_ADDRESS: z
    .string()
    .trim()
    .regex(/^(off|[^\s/]+:\d+)$/, 'must be host:port (e.g. 0.0.0.0:9464) or off')
    .optional()
    .transform((a) => (a === 'off' ? undefined : (a ?? '127.0.0.1:9464'))),
  NOTIFY_URLS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseNotifyUrls(value);
      } catch (error) {
        if (!(error instanceof NotifyTargetError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
  NOTIFY_STALL_HOURS: positiveNumber(6),
  PUBLIC_URL: z
    .string()
    .trim()
    .url('must be the URL people open, such as https://music.example.com')
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL')
    .optional()
    .transform((u) => (u ? new URL(u).origin : undefined)),
  ALLOWED_ACCOUNTS: z
    .string()
    .optional()
    .transform((v) =>
      v === undefined
        ? undefined
        : v
            .split(',')
            .map((id) => id.trim())
            .filter((id) => id !== ''),
    )
    .refine((ids) => ids === undefined || ids.every((id) => /^[A-Za-z0-9._-]{1,128}$/.test(id)), 'must be Spotify account ids separated by commas')
    .transform((ids) => (ids && ids.length > 0 ? ids : undefined)),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
});

export interface Config {
  databaseUrl: string;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    uiUrl: string;
    /** Temporal Cloud: an API key (implies TLS), or a client certificate and key for mTLS. */
    apiKey: string | undefined;
    tls: { certPath: string; keyPath: string } | undefined;
  };
  spotify: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    redirectUri: string;
    apiUrl: string;
    accountsUrl: string;
    appMode: SpotifyAppMode;
    /** Calls of one batch in flight at most (the limiter adapts below it); 1 = one at a time. */
    maxConcurrency: number;
  };
  apiToken: string | undefined;
  /** 32-byte key for AES-256-GCM; undefined means none was configured (see resolveEncryptionKey). */
  tokenEncryptionKey: string | undefined;
  /** Interface the API listens on: loopback by default; 0.0.0.0 in a container. */
  host: string;
  port: number;
  /** Where the worker serves the Temporal SDK's Prometheus metrics; undefined: not served. */
  workerMetricsAddress: string | undefined;
  sync: {
    initialBatchSize: number;
    incrementalBatchSize: number;
    incrementalIntervalHours: number;
    playbackPollMinutes: number;
    rateLimitFallbackHours: number;
    /** Batches one workflow run executes before it continues as new (bounds history size). */
    maxBatchesPerRun: number;
  };
  /** Where uploaded data exports are kept for the worker to read (shared by the API and the worker). */
  historyImportDir: string;
  /** Notifications (src/config/notify-targets.ts): NOTIFY_URLS, none by default; `stalled` after NOTIFY_STALL_HOURS without progress. */
  notify: { targets: NotifyTarget[]; stallHours: number };
  /** The origin people open the API at behind a reverse proxy (PUBLIC_URL); loopback hosts are always answered. */
  publicUrl: string | undefined;
  /** Whether X-Forwarded-Proto and X-Forwarded-For come from a proxy of the operator's (TRUST_PROXY). */
  trustProxy: boolean;
  /** The Spotify account ids that may join the household by signing in (ALLOWED_ACCOUNTS); undefined: the owner's invitations decide. */
  allowedAccounts: string[] | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment and returns the typed configuration. Throws a ConfigError naming every
 * bad variable (never its value: some are secrets).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(Object.keys(envSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`));
  }
  const e = parsed.data;
  if (Boolean(e.TEMPORAL_TLS_CERT_PATH) !== Boolean(e.TEMPORAL_TLS_KEY_PATH)) {
    throw new ConfigError(['TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together']);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiUrl: e.TEMPORAL_UI_URL,
      apiKey: e.TEMPORAL_API_KEY,
      tls: e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH ? { certPath: e.TEMPORAL_TLS_CERT_PATH, keyPath: e.TEMPORAL_TLS_KEY_PATH } : undefined,
    },
    spotify: {
      clientId: e.SPOTIFY_CLIENT_ID,
      clientSecret: e.SPOTIFY_CLIENT_SECRET,
      redirectUri: e.SPOTIFY_REDIRECT_URI,
      apiUrl: e.SPOTIFY_API_URL,
      accountsUrl: e.SPOTIFY_ACCOUNTS_URL,
      appMode: e.SPOTIFY_APP_MODE,
      maxConcurrency: e.SPOTIFY_MAX_CONCURRENCY,
    },
    apiToken: e.API_TOKEN,
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY,
    host: e.HOST,
    port: e.PORT,
    workerMetricsAddress: e.WORKER_METRICS_ADDRESS,
    sync: {
      initialBatchSize: e.SYNC_INITIAL_BATCH_SIZE,
      incrementalBatchSize: e.SYNC_INCREMENTAL_BATCH_SIZE,
      incrementalIntervalHours: e.SYNC_INCREMENTAL_INTERVAL_HOURS,
      playbackPollMinutes: e.PLAYBACK_POLL_MINUTES,
      rateLimitFallbackHours: e.RATE_LIMIT_FALLBACK_HOURS,
      maxBatchesPerRun: e.SYNC_MAX_BATCHES_PER_RUN,
    },
    historyImportDir: e.HISTORY_IMPORT_DIR,
    notify: { targets: e.NOTIFY_URLS, stallHours: e.NOTIFY_STALL_HOURS },
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    allowedAccounts: e.ALLOWED_ACCOUNTS,
  };
}
