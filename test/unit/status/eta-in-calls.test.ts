import { describe, expect, it } from 'vitest';
import { callsEstimated, callsLeft, unseenSavedAlbumArtists, type CallsLeftFacts } from '../../../src/status/calls-left.js';
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
      { entity: 'savedAlbums', synced: 0, total: 120, percent: 0, complete: false },
      { entity: 'followedArtists', synced: 0, total: null, percent: 0, complete: false },
      { entity: 'savedShows', synced: 4, total: 4, percent: 100, complete: true },
    ],
    stubs: { artists: 700, albums: 400 },
    savedAlbumArtists: { savedAlbumsRead: 0, newArtists: 0, trackAlbums: 0, trackAlbumOnlyArtists: 0 },
    playlistItemPages: 0,
    measuredPerCall: {},
    appMode: 'development',
  };

  // The collections: 3 pages of saved albums, a page for each collection of unknown size (followed artists,
  // episodes, audiobooks), none for the shows read already.
  const collections = 3 + 1 + 1 + 1;

  it('counts pages of tracks, one call per stub in development mode, at least a page of playlists, and the collections’ pages', () => {
    expect(callsLeft(facts)).toBe(50 + 700 + 400 + 1 + collections);
  });

  it('uses the batch endpoints of an extended app, and what the batches measured', () => {
    expect(callsLeft({ ...facts, appMode: 'extended' })).toBe(50 + 14 + 20 + 1 + collections);
    expect(callsLeft({ ...facts, measuredPerCall: { artists: 2 } })).toBe(50 + 350 + 400 + 1 + collections);
  });

  it('adds the item pages of playlists not read yet', () => {
    expect(callsLeft({ ...facts, playlistItemPages: 12 })).toBe(50 + 700 + 400 + 1 + 12 + collections);
  });
});

describe('work found late: the artists of saved albums not read yet', () => {
  const base: CallsLeftFacts = {
    phases: [{ entity: 'savedAlbums', synced: 50, total: 250, percent: 20, complete: false }],
    stubs: { artists: 0, albums: 0 },
    savedAlbumArtists: { savedAlbumsRead: 50, newArtists: 30, trackAlbums: 400, trackAlbumOnlyArtists: 40 },
    playlistItemPages: 0,
    measuredPerCall: {},
    appMode: 'development',
  };

  it('estimates them at the rate of new artists per saved album read so far, and counts their calls', () => {
    // 200 albums left at 0.6 new artists each: 120 artists, a call each in development mode.
    expect(unseenSavedAlbumArtists(base)).toBe(120);
    expect(callsEstimated(base)).toBe(120);
    expect(callsEstimated({ ...base, appMode: 'extended' })).toBe(3);
    // 4 more pages of saved albums, the 120 estimated calls, a page for each listing not started (tracks,
    // playlists and the four other collections).
    expect(callsLeft(base)).toBe(4 + 120 + 6);
  });

  it('before any saved album is read, at the rate of artists only the albums of the tracks credit', () => {
    const before = { ...base, phases: [{ entity: 'savedAlbums' as const, synced: 0, total: 250, percent: 0, complete: false }] };
    const none = { ...before, savedAlbumArtists: { ...base.savedAlbumArtists, savedAlbumsRead: 0 } };
    expect(unseenSavedAlbumArtists(none)).toBe(25);
  });

  it('estimates nothing once the saved albums are read, or while their number is unknown', () => {
    expect(callsEstimated({ ...base, phases: [{ entity: 'savedAlbums', synced: 250, total: 250, percent: 100, complete: true }] })).toBe(0);
    expect(callsEstimated({ ...base, phases: [{ entity: 'savedAlbums', synced: 0, total: null, percent: 0, complete: false }] })).toBe(0);
  });

  it('says so in the ETA’s detail', () => {
    const r = etaInCalls({ callsLeft: callsLeft(base), callsEstimated: callsEstimated(base), callPace: 10, quota: emptyQuotaWindow, fallbackMs: DAY, waitUntil: null, now });
    expect(r?.detail).toEqual({ callsLeft: 130, callsPerWindow: null, windowsLeft: 0, basis: 'pace', callsEstimated: 120 });
  });
});

describe('etaInCalls: when the initial sync ends', () => {
  const known: QuotaWindow = { ...emptyQuotaWindow, callsPerWindow: 1_500, windowMs: DAY, windowStartedAt: now - HOUR, windowCalls: 500, lastCallAt: now - 1_000, confirmed: true };

  it('on the pace alone while no quota is known, after the wait ahead', () => {
    const r = etaInCalls({ callsLeft: 600, callPace: 10, quota: emptyQuotaWindow, fallbackMs: DAY, waitUntil: now + HOUR, now });
    expect(r).toEqual({ eta: now + HOUR + 60_000, detail: { callsLeft: 600, callsPerWindow: null, windowsLeft: 0, basis: 'pace', callsEstimated: 0 } });
  });

  it('spans as many windows as the calls left need (1,500 albums under 1,500 calls a day are two days, not tomorrow morning)', () => {
    const r = etaInCalls({ callsLeft: 3_000, callPace: 10, quota: known, fallbackMs: DAY, waitUntil: null, now });
    // 1,000 calls left in this window, then two more windows (no full window measured yet: the calls at the pace).
    expect(r?.detail).toEqual({ callsLeft: 3_000, callsPerWindow: 1_500, windowsLeft: 2, basis: 'quota', callsEstimated: 0 });
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

  it('a full window ahead takes what the last full one took; a partial one its start-up and its calls at that speed', () => {
    // The last full window: 1,500 calls in 62 s, 2 s of it start-up (8 calls at once: four rounds of the
    // quota gate's 500 ms): 40 ms a call past it.
    const measured = { ...known, windowCalls: 1_500, windowSpanMs: 62_000 };
    const r = etaInCalls({ callsLeft: 2_000, callPace: 10, quota: measured, fallbackMs: DAY, waitUntil: null, now });
    expect(r?.detail.windowsLeft).toBe(2);
    expect(r?.eta).toBe(now - 1_000 + DAY + 62_000 + DAY + (2_000 + 500 * 40));
  });

  it('counts the calls of the window whose work is not committed yet once, and the steps between the batches left', () => {
    // 1,000 calls left in the window: 1,100 calls left less 150 fetched but not committed fit in it.
    const r = etaInCalls({ callsLeft: 1_100, uncommittedCalls: 150, callPace: 10, quota: known, fallbackMs: DAY, waitUntil: null, now });
    expect(r?.detail).toMatchObject({ callsLeft: 950, windowsLeft: 0 });
    expect(r?.eta).toBe(now + 95_000);
    const steps = etaInCalls({ callsLeft: 100, batchesLeft: 6, batchOverheadMs: 300, callPace: 10, quota: known, fallbackMs: DAY, waitUntil: null, now });
    expect(steps?.eta).toBe(now + 10_000 + 1_800);
  });

  it('is null until a pace is measured', () => {
    expect(etaInCalls({ callsLeft: 100, callPace: null, quota: known, fallbackMs: DAY, waitUntil: null, now })).toBeNull();
  });
});

describe('the ETA in words', () => {
  it('says how long, and how many more quota windows', () => {
    const eta = new Date(now + 3 * DAY).toISOString();
    expect(etaWords({ eta, etaDetail: { callsLeft: 4_000, callsPerWindow: 1_500, windowsLeft: 2, basis: 'quota', callsEstimated: 0 } }, new Date(now))).toBe(
      'about 3 days (2 more quota windows)',
    );
    expect(etaWords({ eta, etaDetail: { callsLeft: 10, callsPerWindow: null, windowsLeft: 0, basis: 'pace', callsEstimated: 0 } }, new Date(now))).toBe('about 3 days');
    expect(aboutDuration(20 * 60_000)).toBe('about 20 minutes');
    expect(aboutDuration(5 * HOUR)).toBe('about 5 hours');
    expect(etaWords({ eta: null, etaDetail: null }, new Date(now))).toBeNull();
  });
});
