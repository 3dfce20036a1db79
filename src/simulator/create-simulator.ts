import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { mountAccountsService } from './accounts-service.js';
import { jsonResponse } from './api-route.js';
import { type Clock, SimulatorClock } from './clock.js';
import { defaultConfig, describeIssues, parseConfigUpdate, type SimulatorConfig } from './config.js';
import { mountControl } from './control.js';
import { anchorLibrary, generateLibrary } from './library.js';
import { applyMutation, parseMutation } from './mutations.js';
import { createPrng } from './prng.js';
import { RateLimiter } from './rate-limits.js';
import { RequestCounter } from './request-stats.js';
import { type SimulatorState } from './simulator-state.js';
import { TokenStore } from './tokens.js';
import { householdSize, householdUsers, userRefreshToken } from './listeners.js';
import { computeLibraryStats, computeTruth, type LibraryStats } from './truth.js';
import { mountWebApi } from './web-api.js';
import { mountWebApiWrites } from './web-api-writes.js';
import { buildDataExport, generateExportHistory, type ExportHistory } from './data-export.js';
import type { Simulator } from './simulator.js';

export type { Simulator, SimulatorStats } from './simulator.js';

export interface SimulatorOptions {
  /** Everything generated and every injected fault follows from it. Default 42. */
  seed?: number;
  /** Saved tracks. Default 3500. */
  tracks?: number;
  /** Playlists in the user's list. Default 40. */
  playlists?: number;
  /** Unix ms, possibly asynchronous (e.g. a Temporal test environment's time). Default Date.now. */
  clock?: Clock;
  /** The initial run-time config (the same fields as POST /_sim/config). */
  config?: Partial<SimulatorConfig>;
  /** Shorthand for config.appMode. */
  appMode?: SimulatorConfig['appMode'];
  /**
   * The app's rolling window and daily quota. Simulators standing for several users of one app share
   * one (Spotify limits the app, not the user); by default each has its own.
   */
  limiter?: RateLimiter;
  /** The demo user's id (default "demo-user") and account id (default "<userId>-<seed>"). */
  userId?: string;
  accountId?: string;
  /** The data export: plays older than recently-played's (default 400), and how many audio files hold them (default 2). */
  dataExport?: { olderPlays?: number; audioFiles?: number };
  /**
   * Unix ms the generated library's times count back from: when the saves were added and the plays
   * ended. Default: the clock's first reading. A simulator started again with the same instant serves
   * the same plays and the same export (`npm run dev` keeps it in its data folder).
   */
  anchoredAt?: number;
  /**
   * What the demo user's standing refresh token grants, a space-separated scope list (default
   * `demoScope`: every read and write scope). A login made before the whole library, without
   * `user-follow-read`, is `demoScope` less that one; a /v1 call needing a scope it lacks answers 403
   * "Insufficient client scope".
   */
  demoScope?: string;
}

const maxRequestBodyBytes = 64 * 1024;

const optionsSchema = z.object({
  seed: z.number().int().optional(),
  tracks: z.number().int().min(0).max(1_000_000).optional(),
  playlists: z.number().int().min(0).max(100_000).optional(),
});

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const checked = optionsSchema.safeParse({ seed: options.seed, tracks: options.tracks, playlists: options.playlists });
  if (!checked.success) throw new Error(`invalid simulator options: ${describeIssues(checked.error)}`);
  const seed = options.seed ?? 42;
  const library = generateLibrary({
    seed,
    tracks: options.tracks ?? 3500,
    playlists: options.playlists ?? 40,
    userId: options.userId,
    accountId: options.accountId,
  });
  const clock = new SimulatorClock(options.clock);
  const tokens = new TokenStore(createPrng(seed, 'tokens'), `demo-refresh-${seed}`, options.demoScope);
  for (let number = 2; number <= householdSize; number++) tokens.addUserToken(userRefreshToken(tokens.demoRefreshToken, number), number);
  const config: SimulatorConfig = { ...defaultConfig };
  const initial = parseConfigUpdate({ ...options.config, ...(options.appMode ? { appMode: options.appMode } : {}) });
  Object.assign(config, initial);

  let anchored = false;
  const now = async (): Promise<number> => {
    const time = await clock.now();
    if (!anchored) {
      anchored = true;
      anchorLibrary(library, options.anchoredAt ?? time);
      tokens.anchor(time);
    }
    return time;
  };

  const state: SimulatorState = {
    library,
    config,
    clock,
    limiter: options.limiter ?? new RateLimiter(),
    counter: new RequestCounter(),
    tokens,
    faults: createPrng(seed, 'faults'),
    snapshotChurn: createPrng(seed, 'snapshot-churn'),
    mutations: createPrng(seed, 'mutations'),
    latency: createPrng(seed, 'latency'),
    now,
  };

  let libraryStats: { key: string; stats: LibraryStats } | undefined;
  let exportHistory: ExportHistory | undefined;
  const demoUser = library.users[0] ?? { id: 'demo-user', displayName: 'Demo Listener' };
  const controls: Omit<Simulator, 'app'> = {
    demoRefreshToken: tokens.demoRefreshToken,
    user: { id: demoUser.id, accountId: library.accountId, displayName: demoUser.displayName },
    users: () => householdUsers(library, tokens.demoRefreshToken),
    stats: () => {
      // Benchmarks poll stats; counting a 100k-track library each time would dominate them.
      const key = `${library.version}:${config.appMode}`;
      if (libraryStats?.key !== key) libraryStats = { key, stats: computeLibraryStats(library, config.appMode) };
      return { library: { ...libraryStats.stats }, requests: state.counter.snapshot() };
    },
    resetStats: () => state.counter.reset(),
    truth: () => computeTruth(library, config.appMode),
    config: () => ({ ...config }),
    setConfig: (input) => {
      const { revokeRefreshTokens, ...settings } = parseConfigUpdate(input);
      Object.assign(config, settings);
      // A new limit starts from an empty window: what was sent before it was set does not count.
      if ('rateLimit' in settings) state.limiter.resetWindow();
      if ('quota' in settings) state.limiter.resetQuota();
      const revoked = revokeRefreshTokens ? tokens.revokeAll() : undefined;
      return revoked ? { ...config, revoked } : { ...config };
    },
    now,
    advanceClock: async (seconds) => {
      await now();
      clock.advance(seconds);
      return now();
    },
    clockOffsetSeconds: () => clock.offset / 1000,
    mutate: async (input) => applyMutation(library, state.mutations, parseMutation(input), await now(), config.appMode),
    dataExport: async () => {
      const time = await now();
      exportHistory ??= generateExportHistory(library, Math.min(time, ...library.plays.map((p) => p.playedAt)), options.dataExport?.olderPlays ?? 400);
      const truth = computeTruth(library, config.appMode);
      const mirrored = new Set([...truth.savedTracks, ...truth.playlists.flatMap((p) => p.items), ...library.plays.map((p) => library.catalog.tracks[p.track]?.id ?? '')]);
      return buildDataExport(library, exportHistory, time, demoUser.id, mirrored, options.dataExport?.audioFiles ?? 2);
    },
  };

  const app = new Hono();
  // No request to Spotify or to the controls carries more than a few KB.
  app.use('*', bodyLimit({ maxSize: maxRequestBodyBytes, onError: () => jsonResponse(413, { error: { status: 413, message: 'Request entity too large' } }) }));
  app.get('/', (c) =>
    c.json({
      service: 'spotify-sync simulator',
      webApi: '/v1',
      accounts: ['/authorize', '/api/token'],
      control: [
        '/_sim/stats',
        '/_sim/truth',
        '/_sim/config',
        '/_sim/clock',
        '/_sim/mutate',
        '/_sim/demo',
        '/_sim/export/extended.zip',
        '/_sim/export/account.zip',
        '/_sim/export/endsong.zip',
        '/_sim/export/truth',
      ],
    }),
  );
  mountAccountsService(app, state);
  mountWebApi(app, state);
  mountWebApiWrites(app, state);
  mountControl(app, controls);
  app.notFound((c) => {
    if (c.req.path.startsWith('/v1/')) {
      state.counter.record({ endpoint: `${c.req.method} /v1 (unknown route)`, status: 404, webApi: true });
      return jsonResponse(404, { error: { status: 404, message: 'Service not found' } });
    }
    return jsonResponse(404, { error: { status: 404, message: `No route ${c.req.method} ${c.req.path}` } });
  });
  app.onError((error) => jsonResponse(500, { error: { status: 500, message: `simulator bug: ${error.message}` } }));

  return { app, ...controls };
}
