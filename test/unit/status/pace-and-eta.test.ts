import { describe, expect, it } from 'vitest';
import type { SyncHistoryRow } from '../../../src/db/rows.js';
import { etaOf, measurePace, type AccountStatus } from '../../../src/status/read-status.js';
import type { SyncStateName } from '../../../workflows/contract.js';

const start = Date.parse('2026-01-07T08:00:00Z');

/** One batch of the initial sync, recorded `atMs` after the start. */
function batch(atMs: number, items: number, durationMs: number, rateLimited = false): SyncHistoryRow {
  return {
    id: atMs,
    account_id: 'acct',
    phase: 'initial',
    entity_type: 'tracks',
    batch_number: 0,
    checkpoint_offset: null,
    checkpoint_cursor: null,
    rate_limited: rateLimited,
    items,
    skipped: 0,
    api_calls: 1,
    duration_ms: durationMs,
    created_at: new Date(start + atMs),
  };
}

describe('measurePace: items per second of the recent batches', () => {
  it('is null until a batch brought something', () => {
    expect(measurePace([])).toBeNull();
    expect(measurePace([batch(0, 0, 2_000), batch(4_000, 0, 2_000)])).toBeNull();
  });

  it('counts the time between batches (Spotify latency, the worker overhead), not only their durations', () => {
    // 600 items over 2 s + 4 s + 4 s.
    expect(measurePace([batch(0, 200, 2_000), batch(4_000, 200, 2_000), batch(8_000, 200, 2_000)])).toBe(60);
  });

  it('reads the batches in time order, whatever order the rows come in', () => {
    const rows = [batch(8_000, 200, 2_000), batch(0, 200, 2_000), batch(4_000, 200, 2_000)];
    expect(measurePace(rows)).toBe(60);
  });

  it('leaves out a pause or a stopped worker: a gap of over ten minutes counts only the batch itself', () => {
    const rows = [batch(0, 200, 2_000), batch(4_000, 200, 2_000), batch(2 * 3_600_000, 200, 2_000)];
    // 600 items over 2 s + 4 s + 2 s.
    expect(measurePace(rows)).toBe(75);
  });

  it('leaves out the wait after a rate-limited batch, however short', () => {
    const rows = [batch(0, 200, 2_000, true), batch(5 * 60_000, 200, 2_000)];
    expect(measurePace(rows)).toBe(100);
  });

  it('counts a slow batch by its duration when it took longer than the gap before it', () => {
    // Batches of 30 s, 20 s apart (they overlap): 2 × 30 s for 300 items.
    expect(measurePace([batch(0, 150, 30_000), batch(20_000, 150, 30_000)])).toBe(5);
  });
});

type Phase = AccountStatus['phases'][number];
type RateLimit = AccountStatus['rateLimit'];

const now = new Date('2026-01-07T12:00:00Z');
const notLimited: RateLimit = { limited: false, kind: null, hitAt: null, resetAt: null };
const phase = (entity: Phase['entity'], synced: number, total: number | null, complete = false): Phase => ({ entity, synced, total, percent: 0, complete });
const phases: Phase[] = [phase('tracks', 1_000, 1_000, true), phase('artists', 100, 700), phase('albums', 0, 300), phase('playlists', 0, null)];
const inSeconds = (s: number) => new Date(now.getTime() + s * 1000).toISOString();

describe('etaOf: when the initial sync should end', () => {
  it('is what the unfinished phases with a known total have left, at the measured pace', () => {
    // 600 artists + 300 albums left at 10 items/s; tracks are done and playlists not counted yet.
    expect(etaOf('running', phases, 10, notLimited, now)).toBe(inSeconds(90));
  });

  it('adds the rate-limit wait still ahead, and only when one is', () => {
    const waiting: RateLimit = { limited: true, kind: 'quota', hitAt: now.toISOString(), resetAt: inSeconds(3_600) };
    expect(etaOf('rate_limited', phases, 10, waiting, now)).toBe(inSeconds(3_690));
    const over: RateLimit = { ...waiting, resetAt: inSeconds(-60) };
    expect(etaOf('rate_limited', phases, 10, over, now)).toBe(inSeconds(90));
    expect(etaOf('running', phases, 10, { ...notLimited, resetAt: inSeconds(3_600) }, now)).toBe(inSeconds(90));
  });

  it('is null until a pace is measured', () => {
    expect(etaOf('running', phases, null, notLimited, now)).toBeNull();
  });

  it.each<SyncStateName>(['complete', 'paused', 'needs_reauth', 'failed'])('is null while the sync is %s (done, or waiting for a person)', (state) => {
    expect(etaOf(state, phases, 10, notLimited, now)).toBeNull();
  });
});
