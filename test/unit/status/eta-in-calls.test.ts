import { describe, expect, it } from 'vitest';
import { callsLeft, type CallsLeftFacts } from '../../../src/status/calls-left.js';
import { etaInCalls } from '../../../src/status/eta-in-calls.js';
import { emptyQuotaWindow, type QuotaWindow } from '../../../src/quota/quota-window.js';
import { aboutDuration, etaWords } from '../../../src/api/pages/status-text.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.parse('2026-12-06T08:00:00Z');

describe('callsLeft: the calls each phase still needs', () => {
  const facts: CallsLeftFacts = {
    phases: [
      { entity: 'tracks', synced: 1_000, total: 3_500, percent: 0, complete: false },
      { entity: 'artists', synced: 0, total: null, percent: 0, complete: false },
      { entity: 'albums', synced: 0, total: null, percent: 0, complete: false },
      { entity: 'playlists', synced: 0, total: null, percent: 0, complete: false },
    ],
    stubs: { artists: 700, albums: 400 },
    playlistItemPages: 0,
    measuredPerCall: {},
    appMode: 'development',
  };

  it('counts pages of tracks, one call per stub in development mode, at least a page of playlists and of each collection', () => {
    expect(callsLeft(facts)).toBe(50 + 700 + 400 + 1 + 5);
  });

  it('uses the batch endpoints of an extended app, and what the batches measured', () => {
    expect(callsLeft({ ...facts, appMode: 'extended' })).toBe(50 + 14 + 20 + 1 + 5);
    expect(callsLeft({ ...facts, measuredPerCall: { artists: 2 } })).toBe(50 + 350 + 400 + 1 + 5);
  });

  it('adds the item pages of playlists not read yet', () => {
    expect(callsLeft({ ...facts, playlistItemPages: 12 })).toBe(50 + 700 + 400 + 1 + 12 + 5);
  });
});

describe('etaInCalls: when the initial sync ends', () => {
  const known: QuotaWindow = { callsPerWindow: 1_500, windowMs: DAY, windowStartedAt: now - HOUR, windowCalls: 500, lastCallAt: now - 1_000, resetLagMs: null };

  it('on the pace alone while no quota is known, after the wait ahead', () => {
    const r = etaInCalls({ callsLeft: 600, callPace: 10, quota: emptyQuotaWindow, fallbackMs: DAY, waitUntil: now + HOUR, now });
    expect(r).toEqual({ eta: now + HOUR + 60_000, detail: { callsLeft: 600, callsPerWindow: null, windowsLeft: 0, basis: 'pace' } });
  });

  it('spans as many windows as the calls left need (1,500 albums under 1,500 calls a day are two days, not tomorrow morning)', () => {
    const r = etaInCalls({ callsLeft: 3_000, callPace: 10, quota: known, fallbackMs: DAY, waitUntil: null, now });
    // 1,000 calls left in this window, then two more windows.
    expect(r?.detail).toEqual({ callsLeft: 3_000, callsPerWindow: 1_500, windowsLeft: 2, basis: 'quota' });
    expect(r?.eta).toBe(now + 300_000 + 2 * DAY);
  });

  it('at the wall: from when the window is free again', () => {
    const full = { ...known, windowCalls: 1_500 };
    const r = etaInCalls({ callsLeft: 1_500, callPace: 10, quota: full, fallbackMs: DAY, waitUntil: null, now });
    expect(r?.eta).toBe(now - 1_000 + DAY + 150_000);
    expect(r?.detail.windowsLeft).toBe(1);
  });

  it('adds the lag seen after the last reset (timers, the probe) to every window ahead', () => {
    const r = etaInCalls({ callsLeft: 3_000, callPace: 10, quota: { ...known, resetLagMs: 2_000 }, fallbackMs: DAY, waitUntil: null, now });
    expect(r?.eta).toBe(now + 300_000 + 2 * (DAY + 2_000));
  });

  it('within the window: the pace alone', () => {
    expect(etaInCalls({ callsLeft: 100, callPace: 10, quota: known, fallbackMs: DAY, waitUntil: null, now })?.eta).toBe(now + 10_000);
  });

  it('is null until a pace is measured', () => {
    expect(etaInCalls({ callsLeft: 100, callPace: null, quota: known, fallbackMs: DAY, waitUntil: null, now })).toBeNull();
  });
});

describe('the ETA in words', () => {
  it('says how long, and how many more quota windows', () => {
    const eta = new Date(now + 3 * DAY).toISOString();
    expect(etaWords({ eta, etaDetail: { callsLeft: 4_000, callsPerWindow: 1_500, windowsLeft: 2, basis: 'quota' } }, new Date(now))).toBe('about 3 days (2 more quota windows)');
    expect(etaWords({ eta, etaDetail: { callsLeft: 10, callsPerWindow: null, windowsLeft: 0, basis: 'pace' } }, new Date(now))).toBe('about 3 days');
    expect(aboutDuration(20 * 60_000)).toBe('about 20 minutes');
    expect(aboutDuration(5 * HOUR)).toBe('about 5 hours');
    expect(etaWords({ eta: null, etaDetail: null }, new Date(now))).toBeNull();
  });
});
