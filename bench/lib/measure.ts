import { readFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { startSimulator, type StartSimulatorOptions } from '../../src/simulator/start-simulator.js';
import { minimumInitialSyncCalls, syncCalls } from '../../testkit/minimum-calls.js';
import { mirrorMatchesTruth, readCollections, truthCollections, type CollectionName, type Truth } from '../../testkit/mirror.js';
import type { Db } from '../../src/db/connect.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Spread {
  n: number;
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? NaN : n % 2 === 1 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
  return { n, min: sorted[0] ?? NaN, median, max: sorted[n - 1] ?? NaN };
}

const minimumCache = new Map<string, Promise<number>>();

/**
 * The fewest calls an initial sync of this library can make (testkit/minimum-calls.ts: computed
 * from the simulator's own answers, not from our code), on a throwaway simulator with the same seed
 * and size, so the measured simulator's counters and quota stay untouched.
 */
export function minimumCalls(
  sim: Pick<StartSimulatorOptions, 'seed' | 'tracks' | 'playlists' | 'appMode'>,
  configuredMode: 'auto' | 'development' | 'extended' = 'auto',
): Promise<number> {
  const key = JSON.stringify([sim.seed, sim.tracks, sim.playlists, sim.appMode, configuredMode]);
  let cached = minimumCache.get(key);
  if (!cached) {
    cached = (async () => {
      const probe = await startSimulator({ port: 0, seed: sim.seed, tracks: sim.tracks, playlists: sim.playlists, appMode: sim.appMode });
      try {
        const truth = probe.sim.truth() as unknown as Truth;
        return await minimumInitialSyncCalls(probe.url, probe.demoRefreshToken, { appMode: sim.appMode ?? 'development', configuredMode, truth });
      } finally {
        await probe.close();
      }
    })();
    minimumCache.set(key, cached);
  }
  return cached;
}

/**
 * Web API calls of the sync so far (everything but /v1/me and recently-played), from the simulator's
 * counters; without the 429s, which Spotify refuses before doing anything and which use no quota.
 */
export function simSyncCalls(sim: RunningSimulator): number {
  return syncCalls(Object.fromEntries(Object.entries(sim.sim.stats().requests.byEndpoint).map(([endpoint, v]) => [endpoint, v.total - v.rateLimited])));
}

export function recentlyPlayedCalls(sim: RunningSimulator): number {
  return Object.entries(sim.sim.stats().requests.byEndpoint)
    .filter(([endpoint]) => endpoint.includes('recently-played'))
    .reduce((sum, [, v]) => sum + v.total, 0);
}

/** The 429s the sync met: every one but the playback poll's (which asks even at the sync's quota wall). */
export function syncRateLimited(sim: RunningSimulator): number {
  return Object.entries(sim.sim.stats().requests.byEndpoint)
    .filter(([endpoint]) => !endpoint.includes('recently-played'))
    .reduce((sum, [, v]) => sum + v.rateLimited, 0);
}

/** Active saves of each collection as the simulator holds them (saved albums, followed artists, shows, episodes, audiobooks). */
export function collectionSizes(sim: RunningSimulator): Record<CollectionName, number> {
  const truth = truthCollections(sim.sim.truth() as unknown as Truth);
  return Object.fromEntries(Object.entries(truth).map(([name, ids]) => [name, ids.length])) as Record<CollectionName, number>;
}

/** "5,000 saved albums, 2,000 followed artists, 160 shows, 402 episodes, 50 audiobooks". */
export function describeCollections(sizes: Record<CollectionName, number>): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${n(sizes.savedAlbums)} saved albums, ${n(sizes.followedArtists)} followed artists, ${n(sizes.savedShows)} shows, ${n(sizes.savedEpisodes)} episodes, ${n(sizes.savedAudiobooks)} audiobooks`;
}

/**
 * Checks that the mirror equals the simulator's truth with no stub left: saved tracks, their artists
 * and albums, every playlist entry, and every collection (saved albums, followed artists, saved shows,
 * episodes and audiobooks); throws otherwise.
 */
export async function verifyMirror(db: Db, sim: RunningSimulator, accountId: string): Promise<void> {
  const truth = sim.sim.truth() as unknown as Truth;
  const { mirror, expected, stubs } = await mirrorMatchesTruth(db, accountId, truth);
  const problems: string[] = [];
  const storedCollections = await readCollections(db, accountId);
  const expectedCollections = truthCollections(truth);
  for (const k of Object.keys(expectedCollections) as CollectionName[]) {
    if (JSON.stringify(storedCollections[k]) !== JSON.stringify(expectedCollections[k]))
      problems.push(`${k}: ${storedCollections[k].length} stored, ${expectedCollections[k].length} expected`);
  }
  for (const k of ['savedTracks', 'artists', 'albums'] as const) {
    if (JSON.stringify(mirror[k]) !== JSON.stringify(expected[k])) problems.push(`${k}: ${mirror[k].length} stored, ${expected[k].length} expected`);
  }
  if (JSON.stringify(mirror.playlists) !== JSON.stringify(expected.playlists)) problems.push('playlists differ');
  if (stubs.artists.length + stubs.albums.length > 0) problems.push(`${stubs.artists.length} artist and ${stubs.albums.length} album stubs left`);
  // Nor anywhere else: the artists of saved albums and the followed artists come with their details too.
  for (const table of ['artists', 'albums']) {
    const left = Number(((await db(table).whereNull('details_synced_at').count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
    if (left > 0) problems.push(`${left} ${table} without details`);
  }
  if (problems.length > 0) throw new Error(`mirror differs from the library: ${problems.join('; ')}`);
}

export interface HistoryStats {
  runs: number;
  /** Events of the longest run. */
  maxEvents: number;
  totalEvents: number;
  /** Activities scheduled over all runs (each one an activity task and a workflow task). */
  activities: number;
}

/**
 * Event counts of every run of a workflow: from the latest run back through continue-as-new (each
 * run's first event names the run it continued).
 */
export async function historyStats(client: Client, workflowId: string): Promise<HistoryStats> {
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  const counts: number[] = [];
  let activities = 0;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    counts.push(events.length);
    activities += events.filter((e) => e.activityTaskScheduledEventAttributes).length;
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return { runs: counts.length, maxEvents: Math.max(...counts), totalEvents: counts.reduce((a, b) => a + b, 0), activities };
}

/** Peak and current RSS of a process from /proc (Linux), in MiB. */
export async function procMemory(pid: number): Promise<{ rssMiB: number; peakRssMiB: number } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, peakRssMiB: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}
