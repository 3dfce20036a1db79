import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { loginExpiresAt } from '../accounts/login-status.js';
import { type Db, poolStats } from '../db/connect.js';

/** What /metrics reports, read from Postgres at scrape time (the worker's counters live there). */
export interface MetricsSnapshot {
  /** Summed over accounts: entities stored by the initial sync, and the totals Spotify reported. */
  initialSyncEntities: { entity: string; synced: number; expected: number }[];
  accountsByState: { state: string; accounts: number }[];
  /** The longest any rate-limited account has been waiting past its reset time (0 when none). */
  rateLimitOverdueSeconds: number;
  /** The least recent of the accounts' last successful playback polls (Unix seconds), null before any. */
  playbackOldestLastPollSeconds: number | null;
  spotifyCalls: { endpoint: string; outcome: string; calls: number }[];
  rateLimitWaits: number;
  playbackPolls: number;
  playbackGaps: number;
  plays: number;
  loginExpiry: { account: string; expiresAt: Date }[];
}

const rateLimitKinds = { rate_limited_short: 'short', rate_limited_quota: 'quota', rate_limited_headerless: 'headerless' } as const;

async function scalar(query: PromiseLike<unknown>): Promise<number> {
  const row = (await query) as { n: number | string | null } | undefined;
  return Number(row?.n ?? 0);
}

const epochSeconds = (d: Date | string | null | undefined): number | null => (d ? new Date(d).getTime() / 1000 : null);

export async function readMetricsSnapshot(db: Db, now: Date = new Date()): Promise<MetricsSnapshot> {
  const [initialSyncEntities, accountsByState, rateLimitResets, playbackPolled, spotifyCalls, rateLimitWaits, playbackPolls, playbackGaps, plays, logins] = await Promise.all([
    db('sync_state')
      .where({ phase: 'initial' })
      .whereIn('entity_type', ['tracks', 'artists', 'albums', 'playlists'])
      .select({ entity: 'entity_type' })
      .sum({ synced: 'synced_count' })
      .sum({ expected: db.raw('coalesce(total_estimated, synced_count)') })
      .groupBy('entity_type') as Promise<{ entity: string; synced: number | string; expected: number | string }[]>,
    db('accounts').select({ state: 'sync_state' }).count({ accounts: '*' }).groupBy('sync_state') as Promise<{ state: string; accounts: number | string }[]>,
    db('accounts as a')
      .join('sync_state as s', 's.account_id', 'a.id')
      .where('a.sync_state', 'rate_limited')
      .whereNotNull('s.rate_limit_reset_at')
      .groupBy('a.id')
      .select({ resetAt: db.raw('max(s.rate_limit_reset_at)') }) as Promise<{ resetAt: Date | null }[]>,
    db('sync_state').where({ entity_type: 'playback', phase: 'playback' }).where('batches', '>', 0).min({ n: 'last_updated_at' }).first() as Promise<
      { n: Date | null } | undefined
    >,
    db('spotify_calls').select('endpoint', 'outcome').sum({ calls: 'calls' }).groupBy('endpoint', 'outcome') as Promise<
      { endpoint: string; outcome: string; calls: number | string }[]
    >,
    scalar(db('sync_history').where({ rate_limited: true }).count({ n: '*' }).first()),
    scalar(db('sync_state').where({ entity_type: 'playback', phase: 'playback' }).sum({ n: 'batches' }).first()),
    scalar(db('playback_gaps').count({ n: '*' }).first()),
    scalar(db('play_history').count({ n: '*' }).first()),
    db('accounts').select('id', 'authorized_at'),
  ]);
  const overdue = rateLimitResets.map((r) => now.getTime() / 1000 - (epochSeconds(r.resetAt) ?? Infinity));
  return {
    initialSyncEntities: initialSyncEntities.map((r) => ({ entity: r.entity, synced: Number(r.synced), expected: Number(r.expected) })),
    accountsByState: accountsByState.map((r) => ({ state: r.state, accounts: Number(r.accounts) })),
    rateLimitOverdueSeconds: Math.max(0, ...overdue),
    playbackOldestLastPollSeconds: epochSeconds(playbackPolled?.n),
    spotifyCalls: spotifyCalls.map((r) => ({ endpoint: r.endpoint, outcome: r.outcome, calls: Number(r.calls) })),
    rateLimitWaits,
    playbackPolls,
    playbackGaps,
    plays,
    loginExpiry: logins.map((row) => ({ account: row.id, expiresAt: loginExpiresAt(row.authorized_at) })),
  };
}

/** A registry of its own per app (no global state), filled from a snapshot on every scrape. */
export function createMetrics(db: Db) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // No account ids as labels (but on the login expiry: a development-mode app has at most five users).
  const initialSyncEntities = new Gauge({
    name: 'spotify_sync_initial_sync_entities',
    help: 'Entities stored by the initial syncs of all accounts, per phase (tracks, artists, albums, playlists)',
    labelNames: ['entity'] as const,
    registers: [registry],
  });
  const initialSyncExpected = new Gauge({
    name: 'spotify_sync_initial_sync_entities_expected',
    help: 'Entities the initial syncs of all accounts expect per phase (the totals Spotify reports; the stored count where none is known)',
    labelNames: ['entity'] as const,
    registers: [registry],
  });
  const accounts = new Gauge({
    name: 'spotify_sync_accounts',
    help: 'Connected accounts by sync state (running, paused, rate_limited, needs_reauth, failed, complete, not_started)',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const rateLimitOverdue = new Gauge({
    name: 'spotify_sync_rate_limit_overdue_seconds',
    help: 'How long past its rate-limit reset time the longest-waiting rate-limited account still waits (0 when none)',
    registers: [registry],
  });
  const playbackOldestLastPoll = new Gauge({
    name: 'spotify_sync_playback_oldest_last_poll_timestamp_seconds',
    help: "The least recent of the accounts' last successful recently-played polls, in Unix seconds (absent before the first poll)",
    registers: [registry],
  });
  const spotifyCalls = new Counter({
    name: 'spotify_sync_spotify_calls_total',
    help: 'Spotify Web API calls by endpoint and outcome',
    labelNames: ['endpoint', 'outcome'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'spotify_sync_rate_limited_total',
    help: 'Spotify 429 answers by kind: short (rolling 30 s window) or quota (daily quota of development-mode apps)',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const rateLimitWaits = new Counter({
    name: 'spotify_sync_rate_limit_waits_total',
    help: 'Batches that ended in a rate-limit wait on a durable timer',
    registers: [registry],
  });
  const playbackPolls = new Counter({ name: 'spotify_sync_playback_polls_total', help: 'Recently-played polls done', registers: [registry] });
  const playbackGaps = new Counter({
    name: 'spotify_sync_playback_gaps_total',
    help: 'Spans in which plays may have been lost (a poll found no overlap with stored plays)',
    registers: [registry],
  });
  const plays = new Counter({ name: 'spotify_sync_plays_total', help: 'Plays recorded in the play history', registers: [registry] });
  // One series per account: a development-mode app serves at most five users.
  const loginExpiry = new Gauge({
    name: 'spotify_sync_login_expiry_timestamp_seconds',
    help: 'When Spotify stops accepting the account’s login (six months after it was made), in Unix seconds',
    labelNames: ['account'],
    registers: [registry],
  });

  // This process's own pool, read after the scrape's queries have handed their connections back.
  const pool = new Gauge({
    name: 'spotify_sync_db_pool_connections',
    help: "The API process's Postgres connections: used (checked out), free (idle), pending (requests waiting for one), max",
    labelNames: ['state'] as const,
    registers: [registry],
  });

  return {
    contentType: registry.contentType,
    /** `loginExpiryOf`: which accounts' login expiry the scraper may see (the per-account labels): every one, or these. */
    async render(loginExpiryOf: 'every' | string[] = 'every'): Promise<string> {
      const snapshot = await readMetricsSnapshot(db);
      initialSyncEntities.reset();
      initialSyncExpected.reset();
      for (const row of snapshot.initialSyncEntities) {
        initialSyncEntities.set({ entity: row.entity }, row.synced);
        initialSyncExpected.set({ entity: row.entity }, row.expected);
      }
      accounts.reset();
      for (const row of snapshot.accountsByState) accounts.set({ state: row.state }, row.accounts);
      rateLimitOverdue.set(snapshot.rateLimitOverdueSeconds);
      playbackOldestLastPoll.reset();
      if (snapshot.playbackOldestLastPollSeconds !== null) playbackOldestLastPoll.set(snapshot.playbackOldestLastPollSeconds);
      spotifyCalls.reset();
      rateLimited.reset();
      rateLimited.inc({ kind: 'short' }, 0);
      rateLimited.inc({ kind: 'quota' }, 0);
      for (const row of snapshot.spotifyCalls) {
        spotifyCalls.inc({ endpoint: row.endpoint, outcome: row.outcome }, row.calls);
        const kind = rateLimitKinds[row.outcome as keyof typeof rateLimitKinds];
        if (kind) rateLimited.inc({ kind }, row.calls);
      }
      for (const [counter, value] of [
        [rateLimitWaits, snapshot.rateLimitWaits],
        [playbackPolls, snapshot.playbackPolls],
        [playbackGaps, snapshot.playbackGaps],
        [plays, snapshot.plays],
      ] as const) {
        counter.reset();
        counter.inc(value);
      }
      loginExpiry.reset();
      for (const row of snapshot.loginExpiry.filter((r) => loginExpiryOf === 'every' || loginExpiryOf.includes(r.account)))
        loginExpiry.set({ account: row.account }, Math.floor(row.expiresAt.getTime() / 1000));
      for (const [state, value] of Object.entries(poolStats(db))) pool.set({ state }, value);
      return registry.metrics();
    },
  };
}
