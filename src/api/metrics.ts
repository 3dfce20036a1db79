import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { loginExpiresAt } from '../accounts/login-status.js';
import type { Db } from '../db/connect.js';
import type { AccountRow } from '../db/rows.js';

/** What /metrics reports, read from Postgres at scrape time (the worker's counters live there). */
export interface MetricsSnapshot {
  entitiesSynced: { account: string; entity: string; count: number }[];
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

export async function readMetricsSnapshot(db: Db): Promise<MetricsSnapshot> {
  const [entitiesSynced, spotifyCalls, rateLimitWaits, playbackPolls, playbackGaps, plays, logins] = await Promise.all([
    db('sync_state')
      .where({ phase: 'initial' })
      .whereIn('entity_type', ['tracks', 'artists', 'albums', 'playlists'])
      .select({ account: 'account_id', entity: 'entity_type', count: 'synced_count' }) as Promise<MetricsSnapshot['entitiesSynced']>,
    db('spotify_calls').select('endpoint', 'outcome').sum({ calls: 'calls' }).groupBy('endpoint', 'outcome') as Promise<
      { endpoint: string; outcome: string; calls: number | string }[]
    >,
    scalar(db('sync_history').where({ rate_limited: true }).count({ n: '*' }).first()),
    scalar(db('sync_state').where({ entity_type: 'playback', phase: 'playback' }).sum({ n: 'batches' }).first()),
    scalar(db('playback_gaps').count({ n: '*' }).first()),
    scalar(db('play_history').count({ n: '*' }).first()),
    db('accounts').select('id', 'authorized_at') as Promise<Pick<AccountRow, 'id' | 'authorized_at'>[]>,
  ]);
  return {
    entitiesSynced,
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
  const entitiesSynced = new Gauge({
    name: 'spotify_sync_entities_synced',
    help: 'Entities stored by the initial sync, per account and phase (tracks, artists, albums, playlists)',
    labelNames: ['account', 'entity'] as const,
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

  return {
    contentType: registry.contentType,
    async render(): Promise<string> {
      const snapshot = await readMetricsSnapshot(db);
      entitiesSynced.reset();
      for (const row of snapshot.entitiesSynced) entitiesSynced.set({ account: row.account, entity: row.entity }, row.count);
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
      for (const row of snapshot.loginExpiry) loginExpiry.set({ account: row.account }, Math.floor(row.expiresAt.getTime() / 1000));
      return registry.metrics();
    },
  };
}
