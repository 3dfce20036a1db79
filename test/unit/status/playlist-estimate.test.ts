import { describe, expect, it } from 'vitest';
import { callsEstimated, callsLeft, PLAYLIST_NEW_TRACK_SHARE, unseenPlaylistStubs, type CallsLeftFacts } from '../../../src/status/calls-left.js';

/**
 * After the saved tracks: their artists and albums are stubs, the playlists listed (or not yet), none of
 * their items read. 1,000 saved tracks credit 400 artists and 600 albums; every other one of them 300 and
 * 400: the second half brought 100 artists and 200 albums in 500 tracks, 0.2 and 0.4 a track.
 */
const afterTracks: CallsLeftFacts = {
  phases: [
    { entity: 'tracks', synced: 1_000, total: 1_000, percent: 100, complete: true },
    { entity: 'playlists', synced: 0, total: 30, percent: 0, complete: false },
  ],
  stubs: { artists: 400, albums: 600 },
  savedAlbumArtists: { savedAlbumsRead: 0, newArtists: 0, trackAlbums: 0, trackAlbumOnlyArtists: 0 },
  playlistItemPages: 24,
  playlistEntries: { listed: true, left: 1_000, read: 0, readArtists: 0, readAlbums: 0 },
  savedTrackNovelty: { tracks: 1_000, artists: 400, albums: 600, halfArtists: 300, halfAlbums: 400 },
  measuredPerCall: {},
  appMode: 'development',
};

/** A page for each of the five collections, whose size is not known yet. */
const collections = 5;

describe('work found late: the artists and albums that playlist entries not read yet bring', () => {
  it('before any entry is read: a further saved track’s new artists and albums, for the share of entries taken to be new tracks', () => {
    expect(PLAYLIST_NEW_TRACK_SHARE).toBe(0.5);
    // 1,000 entries × 0.5 × 0.2 artists, × 0.5 × 0.4 albums; a call each in development mode.
    expect(unseenPlaylistStubs(afterTracks)).toEqual({ artists: 100, albums: 200 });
    expect(callsEstimated(afterTracks)).toBe(300);
    // The stubs known, the item pages, and the estimate; the listing is read, so no page of it.
    expect(callsLeft(afterTracks)).toBe(400 + 600 + 24 + 300 + collections);
  });

  it('counts the estimate in calls as the enrichment makes them: the batch endpoints of an extended app', () => {
    expect(callsEstimated({ ...afterTracks, appMode: 'extended' })).toBe(Math.ceil(100 / 50) + Math.ceil(200 / 20));
  });

  it('once entries are read, what they brought leads: the guess weighs as 100 entries', () => {
    // 900 entries read brought 9 artists and 18 albums that nothing else credits (most were saved tracks).
    const read = { ...afterTracks, playlistEntries: { listed: true, left: 100, read: 900, readArtists: 9, readAlbums: 18 } };
    // Artists: (0.1 × 100 + 9) / 1,000 = 0.019 an entry; albums: (0.2 × 100 + 18) / 1,000 = 0.038.
    expect(unseenPlaylistStubs(read)).toEqual({ artists: 2, albums: 4 });
  });

  it('with no saved track to measure on, the entries read alone', () => {
    const noSaved = {
      ...afterTracks,
      savedTrackNovelty: { tracks: 0, artists: 0, albums: 0, halfArtists: 0, halfAlbums: 0 },
      playlistEntries: { listed: true, left: 400, read: 100, readArtists: 50, readAlbums: 60 },
    };
    expect(unseenPlaylistStubs(noSaved)).toEqual({ artists: 200, albums: 240 });
  });

  it('estimates nothing before the listing says how many entries there are, and counts a page for the listing', () => {
    const unlisted: CallsLeftFacts = { ...afterTracks, playlistItemPages: 0, playlistEntries: { listed: false, left: 0, read: 0, readArtists: 0, readAlbums: 0 } };
    expect(callsEstimated(unlisted)).toBe(0);
    expect(callsLeft(unlisted)).toBe(400 + 600 + 1 + collections);
  });

  it('stays exact once every entry is read: the stubs they brought are counted, nothing is estimated', () => {
    const allRead = {
      ...afterTracks,
      playlistItemPages: 0,
      stubs: { artists: 90, albums: 110 },
      playlistEntries: { listed: true, left: 0, read: 1_000, readArtists: 90, readAlbums: 110 },
    };
    expect(callsEstimated(allRead)).toBe(0);
    expect(callsLeft(allRead)).toBe(90 + 110 + collections);
  });
});
