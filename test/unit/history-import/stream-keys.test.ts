import { describe, expect, it } from 'vitest';
import { entryUsername, exportEntryToPlay } from '../../../activities/history-import/export-entry.js';
import { emptyPlayFields, type PlayInput } from '../../../activities/store/play-input.js';
import { streamKey } from '../../../activities/store/plays-once.js';
import { exportFileKind } from '../../../src/history-import/export-files.js';

const now = Date.parse('2026-01-07T12:00:00Z');
const play = (fields: Partial<PlayInput>): PlayInput => ({
  ...emptyPlayFields,
  playedAt: new Date('2025-12-01T10:00:00Z'),
  source: 'extended_export',
  contentType: 'track',
  ...fields,
});
const TRACK = '4uLU6hMCjMI75M1A2tKUQC';

describe('streamKey: what a play is of, in the primary key of play_history', () => {
  it('is the track id for a track, whether a poll knows it from the catalog or an export from its URI', () => {
    const polled = play({ source: 'poll', trackId: TRACK });
    const exported = play({ trackKey: TRACK, spotifyUri: `spotify:track:${TRACK}`, trackName: 'Never Gonna Give You Up', msPlayed: 215_000 });
    expect(streamKey(polled)).toBe(`track:${TRACK}`);
    // The extended history's key starts the same, then says which of the second's streams it is.
    expect(streamKey(exported).startsWith(`${streamKey(polled)}|`)).toBe(true);
  });

  it('tells apart streams of one track ending in the same second (a 0 ms skip and a full play), not an entry repeated word for word', () => {
    const full = play({ trackKey: TRACK, spotifyUri: `spotify:track:${TRACK}`, msPlayed: 215_000, reasonStart: 'trackdone', reasonEnd: 'trackdone' });
    const skip = { ...full, msPlayed: 0, reasonStart: 'clickrow', reasonEnd: 'fwdbtn' };
    expect(streamKey(skip)).not.toBe(streamKey(full));
    expect(streamKey({ ...full, reasonEnd: 'endplay' })).not.toBe(streamKey(full));
    expect(streamKey({ ...full })).toBe(streamKey(full));
  });

  it('is the URI for an episode or an audiobook', () => {
    const episode = 'spotify:episode:0Q86acNRm6V9GYx55SXKwf';
    expect(streamKey(play({ source: 'poll', contentType: 'episode', spotifyUri: episode }))).toBe(episode);
    expect(streamKey(play({ contentType: 'episode', spotifyUri: episode, msPlayed: 60_000 })).startsWith(`${episode}|60000|`)).toBe(true);
  });

  it('is the names, in any case, and the duration for a play known by its names only (account data)', () => {
    const a = play({ source: 'account_export', trackName: 'Harbor Lights', artistName: 'The Velvet Echoes', msPlayed: 200_000 });
    expect(streamKey(a)).toBe('names:harbor lights|the velvet echoes|200000');
    expect(streamKey({ ...a, trackName: 'HARBOR LIGHTS', artistName: 'the velvet echoes' })).toBe(streamKey(a));
    // The same track restarted within the minute is another stream: another duration, another key.
    expect(streamKey({ ...a, msPlayed: 3_000 })).not.toBe(streamKey(a));
    // An episode known by its names keys on its show.
    expect(streamKey(play({ source: 'account_export', contentType: 'episode', trackName: 'Ep 1', showName: 'The Quiet Harbor Podcast', msPlayed: 60_000 }))).toBe(
      'names:ep 1|the quiet harbor podcast|60000',
    );
  });
});

describe('exportEntryToPlay: one entry of a Spotify data export', () => {
  it('reads an extended-history track: end time, duration, URI → track key, names and flags', () => {
    const outcome = exportEntryToPlay(
      'extended_audio',
      {
        ts: '2025-12-01T10:00:00Z',
        ms_played: 215_000,
        spotify_track_uri: `spotify:track:${TRACK}`,
        master_metadata_track_name: 'Never Gonna Give You Up',
        master_metadata_album_artist_name: 'Rick Astley',
        master_metadata_album_album_name: 'Whenever You Need Somebody',
        reason_start: 'trackdone',
        reason_end: 'endplay',
        shuffle: false,
        skipped: null,
        offline: true,
        offline_timestamp: 1_764_583_000,
        platform: 'android',
        conn_country: 'SE',
        incognito_mode: false,
      },
      now,
    );
    expect(outcome).toEqual({
      play: expect.objectContaining({
        playedAt: new Date('2025-12-01T10:00:00Z'),
        source: 'extended_export',
        contentType: 'track',
        msPlayed: 215_000,
        trackKey: TRACK,
        trackName: 'Never Gonna Give You Up',
        artistName: 'Rick Astley',
        albumName: 'Whenever You Need Somebody',
        shuffle: false,
        skipped: null,
        offline: true,
        offlineAt: new Date(1_764_583_000 * 1000),
        platform: 'android',
        connCountry: 'SE',
      }),
    });
  });

  it('reads offline_timestamp in seconds (older exports) or milliseconds (newer ones), and 0 as unknown', () => {
    const at = (offline_timestamp: number) => {
      const outcome = exportEntryToPlay('extended_audio', { ts: '2025-12-01T10:00:00Z', ms_played: 1, master_metadata_track_name: 'x', offline_timestamp }, now);
      return 'play' in outcome ? outcome.play.offlineAt : 'not a play';
    };
    expect(at(1_764_583_000)).toEqual(new Date(1_764_583_000_000));
    expect(at(1_764_583_000_123)).toEqual(new Date(1_764_583_000_123));
    expect(at(0)).toBeNull();
  });

  it('tells episodes and audiobooks from tracks, and skips an entry that names none', () => {
    const base = { ts: '2025-12-01T10:00:00Z', ms_played: 60_000 };
    expect(exportEntryToPlay('extended_audio', { ...base, spotify_episode_uri: 'spotify:episode:abc', episode_name: 'Ep 1', episode_show_name: 'Show' }, now)).toMatchObject({
      play: { contentType: 'episode', spotifyUri: 'spotify:episode:abc', trackName: 'Ep 1', showName: 'Show' },
    });
    expect(exportEntryToPlay('extended_audio', { ...base, audiobook_title: 'Book', audiobook_chapter_title: 'Chapter 2' }, now)).toMatchObject({
      play: { contentType: 'audiobook', trackName: 'Chapter 2', showName: 'Book' },
    });
    expect(exportEntryToPlay('extended_audio', base, now)).toEqual({ skip: 'no track, episode or audiobook named' });
  });

  it('refuses entries with a damaged clock (before 1990, or after the import) and entries that are not of the kind', () => {
    expect(exportEntryToPlay('extended_audio', { ts: '1900-01-01T00:00:00Z', ms_played: 1, master_metadata_track_name: 'x' }, now)).toMatchObject({
      invalid: expect.stringMatching(/^ts /),
    });
    expect(exportEntryToPlay('extended_audio', { ts: '2026-03-01T00:00:00Z', ms_played: 1, master_metadata_track_name: 'x' }, now)).toMatchObject({
      invalid: expect.stringMatching(/^ts /),
    });
    expect(exportEntryToPlay('extended_audio', { ts: '2025-12-01T10:00:00Z', master_metadata_track_name: 'x' }, now)).toEqual({ invalid: 'an entry has no ms_played' });
    expect(exportEntryToPlay('extended_audio', ['not', 'an', 'object'], now)).toEqual({ invalid: 'an entry is not an object' });
    // An account-data file handed as extended history (and the other way round) is refused, not read as skips.
    expect(exportEntryToPlay('account_music', { ts: '2025-12-01T10:00:00Z', ms_played: 1 }, now)).toMatchObject({ invalid: expect.stringMatching(/^endTime /) });
  });

  it('reads account data’s minute end time as UTC, and leaves out Spotify’s placeholder names', () => {
    expect(exportEntryToPlay('account_music', { endTime: '2025-12-01 10:07', artistName: 'Unknown Artist', trackName: 'Harbor Lights', msPlayed: 1_000 }, now)).toEqual({
      play: expect.objectContaining({ playedAt: new Date('2025-12-01T10:07:00Z'), source: 'account_export', trackName: 'Harbor Lights', artistName: null, msPlayed: 1_000 }),
    });
    expect(exportEntryToPlay('account_music', { endTime: '2025-12-01 10:07', artistName: 'X', trackName: 'Unknown Track', msPlayed: 1 }, now)).toEqual({ skip: 'no track named' });
    expect(exportEntryToPlay('account_podcast', { endTime: '2025-12-01 10:07', podcastName: 'Show', episodeName: 'Ep 3', msPlayed: 5 }, now)).toMatchObject({
      play: { contentType: 'episode', trackName: 'Ep 3', showName: 'Show' },
    });
  });

  it('finds the export’s owner in older entries', () => {
    expect(entryUsername({ username: 'listener-1', ts: '2025-12-01T10:00:00Z' })).toBe('listener-1');
    expect(entryUsername({ ts: '2025-12-01T10:00:00Z' })).toBeNull();
    expect(entryUsername(null)).toBeNull();
  });
});

describe('exportFileKind: which files of an export hold plays', () => {
  it.each([
    ['Spotify Extended Streaming History/Streaming_History_Audio_2023-2024_3.json', 'extended_audio'],
    ['MyData/endsong_0.json', 'extended_audio'],
    ['Streaming_History_Video_2024.json', 'extended_video'],
    ['MyData\\StreamingHistory_music_0.json', 'account_music'],
    ['StreamingHistory0.json', 'account_music'],
    ['StreamingHistory_podcast_1.json', 'account_podcast'],
    ['MyData/Userdata.json', null],
    ['ReadMeFirst_ExtendedStreamingHistory.pdf', null],
  ])('%s → %s', (name, kind) => {
    expect(exportFileKind(name)).toBe(kind);
  });
});
