import { describe, expect, it } from 'vitest';
import type { SyncHistoryRow } from '../../../src/db/rows.js';
import { measurePace } from '../../../src/status/read-status.js';

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

describe('measurePace per call', () => {
  it('counts calls instead of items when asked', () => {
    expect(measurePace([batch(0, 200, 2_000), batch(4_000, 200, 2_000)], 'api_calls')).toBeCloseTo(2 / 6);
  });
});
