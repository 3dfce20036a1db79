import { artistTitle, albumInfo, playlistTrackProfile, trackTitle } from './catalog.js';
import type { Library } from './library.js';
import { trackName, artistName } from './names.js';
import { isoSeconds, trackDurationMs } from './objects.js';
import { createPrng, type Prng } from './prng.js';

/**
 * The demo user's data exports, as Spotify's privacy page delivers them: Extended streaming history
 * (`Streaming_History_Audio_*.json`, `Streaming_History_Video_*.json`, a PDF readme) and Account data
 * (`StreamingHistory_music_*.json`, `StreamingHistory_podcast_*.json`, `Userdata.json`, ...).
 *
 * Consistent with the simulated service: the plays recently-played serves are in the export too, their
 * `ts` the same end of stream (up to 2 s later, as the client reports it) at second precision; older
 * plays are of the user's saved and playlist tracks. With the awkward cases real exports have: podcast
 * episodes and a video file, an audiobook, short streams (skips), incognito plays and short streams
 * among the recent ones (recently-played never showed them), offline plays with `offline_timestamp` 0,
 * the same track played back to back, tracks the library does not hold (found by GET /v1/tracks/{id}),
 * tracks Spotify no longer knows (404; only their names remain), and account-data rows the extended
 * history lacks (names only; some match a library track, some match nothing; one track restarted and
 * skipped twice within a minute, so two rows share their names and endTime), pairs of streams of one
 * track or episode ending in the same second (a 0 ms skip beside a full play, told apart by duration and
 * reasons), an entry the file repeats word for word (one stream), track and episode plays in the video
 * file, and audiobook chapters in account data (`StreamingHistory_audiobook_0.json`). The older shape of
 * the extended history, one unnumbered `endsong.json` whose entries carry `username`, is served as a
 * variant (`endsong`): the same audio plays, no video file.
 */

export interface ExportedPlay {
  /** The stream's end at second precision, as the extended history's `ts`; account-data-only plays: the minute. */
  endedAt: string;
  contentType: 'track' | 'episode' | 'audiobook';
  /** The track id the play should resolve to; null when nothing can resolve it. */
  trackId: string | null;
  uri: string | null;
  trackName: string | null;
  artistName: string | null;
  msPlayed: number;
  short: boolean;
  /** Also served by recently-played (the poll stores it first). */
  polled: boolean;
  incognito: boolean;
  /** Which export holds it. */
  in: 'extended' | 'account' | 'both';
  /** From the extended history's video file (`video`), or heard (`audio`); the endsong variant holds only audio. */
  medium: 'audio' | 'video';
}

export interface DataExportTruth {
  username: string;
  /** Every distinct stream once. */
  plays: ExportedPlay[];
  /** Tracks the export names by URI that a complete sync does not store (each costs a lookup). */
  unknownTrackIds: string[];
  /** Ids Spotify answers 404 for. */
  goneTrackIds: string[];
  /**
   * Sorted ids of the artists (track and album artists) and albums of `unknownTrackIds`: what the mirror
   * holds of them, with details, once the import is complete.
   */
  unknownTrackCatalog: { artists: string[]; albums: string[] };
}

export interface DataExportFile {
  /** Path inside the zip. */
  name: string;
  content: string;
}

export interface DataExport {
  extended: DataExportFile[];
  account: DataExportFile[];
  /** The extended history as older exports shaped it: every audio entry in one `endsong.json`. */
  endsong: DataExportFile[];
  truth: DataExportTruth;
}

const YEAR = 365 * 86_400_000;

interface HistoryPlay {
  end: number;
  kind: 'track' | 'gone' | 'episode' | 'audiobook' | 'video';
  track?: number;
  goneId?: string;
  episode?: number;
  msPlayed: number;
  short: boolean;
  polled: boolean;
  incognito: boolean;
  /** A track played in the video file (music videos); episodes of kind `video` are video too. */
  video?: boolean;
  /** The file lists this entry twice, word for word. */
  repeated?: boolean;
  offline: boolean;
  offlineZero: boolean;
  shuffle: boolean;
  platform: string;
}

/** The older part of the history, generated once per simulator (it may add tracks to the catalogue). */
export interface ExportHistory {
  older: HistoryPlay[];
  unknownTracks: number[];
  goneTracks: { id: string; name: string; artist: string; album: string }[];
  chapters: { uri: string; title: string; book: string }[];
}

const platforms = ['android', 'ios', 'windows', 'osx', 'web_player', 'linux'];

export function generateExportHistory(library: Library, before: number, olderPlays: number): ExportHistory {
  const rng = createPrng(library.seed, 'data-export');
  const { catalog } = library;
  while (catalog.episodes.length < 3) catalog.newEpisode();
  const unknownTracks = Array.from({ length: 6 }, () => catalog.newTrack(playlistTrackProfile));
  const goneTracks = Array.from({ length: 3 }, () => ({ id: rng.base62(), name: trackName(rng), artist: artistName(rng), album: trackName(rng) }));
  const chapters = Array.from({ length: 2 }, (_, i) => ({ uri: `spotify:episode:${rng.base62()}`, title: `Chapter ${i + 1}`, book: 'The Long Afternoon' }));
  const known = [...library.saved.map((s) => s.track), ...library.playlistOnlyTracks];
  const older: HistoryPlay[] = [];
  let end = before - rng.int(10, 120) * 60_000;
  let previousTrack: number | null = null;
  const longPauseChance = 0.05 * Math.min(1, 400 / Math.max(1, olderPlays));
  for (let i = 0; i < olderPlays; i++) {
    const base = {
      end,
      polled: false,
      incognito: rng.chance(0.03),
      offline: false,
      offlineZero: false,
      shuffle: rng.chance(0.4),
      platform: rng.pick(platforms),
    };
    if (rng.chance(0.06)) base.offline = true;
    if (base.offline) base.offlineZero = rng.chance(0.5);
    const roll = rng.next();
    let play: HistoryPlay;
    if (roll < 0.06) play = { ...base, kind: 'episode', episode: rng.int(0, catalog.episodes.length - 1), msPlayed: rng.int(300_000, 2_400_000), short: false };
    else if (roll < 0.075) play = { ...base, kind: 'audiobook', episode: rng.int(0, chapters.length - 1), msPlayed: rng.int(600_000, 1_800_000), short: false };
    else if (roll < 0.09) play = { ...base, kind: 'gone', goneId: rng.pick(goneTracks).id, msPlayed: rng.int(60_000, 200_000), short: false };
    else {
      const repeat = previousTrack !== null && rng.chance(0.04);
      const track: number = repeat && previousTrack !== null ? previousTrack : rng.chance(0.05) ? rng.pick(unknownTracks) : rng.pick(known.length > 0 ? known : [0]);
      const full = trackDurationMs(catalog.tracks[track]?.id ?? '');
      const short = !repeat && rng.chance(0.08);
      play = { ...base, kind: 'track', track, msPlayed: short ? rng.int(0, 29_000) : full, short };
    }
    older.push(play);
    previousTrack = play.kind === 'track' ? (play.track ?? null) : null;
    // The previous (older) stream ended before this one started, with a pause of up to an hour, often none.
    // Now and then days go by without music: a few hundred plays span more than the year account data
    // covers, and a heavy listener's 300k span about ten years.
    const pause = rng.chance(longPauseChance) ? rng.int(1, 40) * 86_400_000 : rng.chance(0.5) ? rng.int(0, 3) * 1000 : rng.int(1, 3_600) * 1000;
    end -= play.msPlayed + pause;
  }
  const quiet = { polled: false, incognito: false, offline: false, offlineZero: false, shuffle: false, platform: 'android' };
  // A couple of videos (video podcasts) and music videos, in their own file.
  for (let i = 0; i < 2; i++) {
    const at = before - rng.int(30, 300) * 86_400_000;
    older.push({ ...quiet, end: at, kind: 'video', episode: rng.int(0, catalog.episodes.length - 1), msPlayed: rng.int(120_000, 900_000), short: false });
    const track = rng.pick(known.length > 0 ? known : [0]);
    older.push({ ...quiet, end: at - rng.int(2, 20) * 3_600_000, kind: 'track', track, video: true, msPlayed: trackDurationMs(catalog.tracks[track]?.id ?? ''), short: false });
  }
  // Streams ending in the same second as another of the same track or episode (a 0 ms skip beside the
  // full play), some within the year account data covers, some before it; and an entry the file repeats.
  const tracks = older.filter((p) => p.kind === 'track' && !p.short && !p.video);
  const episodes = older.filter((p) => p.kind === 'episode');
  const twins = [tracks[1], tracks[Math.floor(tracks.length / 2)], tracks.at(-2), episodes[0]].filter((p): p is HistoryPlay => p !== undefined);
  for (const p of [...new Set(twins)]) older.push({ ...p, msPlayed: 0, short: true, incognito: false });
  const repeated = tracks[Math.floor(tracks.length / 3)];
  if (repeated) repeated.repeated = true;
  return { older: older.reverse(), unknownTracks, goneTracks, chapters };
}

/**
 * The plays of the export: the older history, then the recent plays recently-played serves, with a few
 * short and incognito streams between them that recently-played never listed.
 */
function allPlays(library: Library, history: ExportHistory, rng: Prng): HistoryPlay[] {
  const recent: HistoryPlay[] = [];
  const plays = [...library.plays].sort((a, b) => a.playedAt - b.playedAt);
  plays.forEach((p, i) => {
    const id = library.catalog.tracks[p.track]?.id ?? '';
    // The client reports the end a moment after recently-played's played_at.
    recent.push({
      end: p.playedAt + rng.int(0, 2_000),
      kind: 'track',
      track: p.track,
      msPlayed: trackDurationMs(id),
      short: false,
      polled: true,
      incognito: false,
      offline: false,
      offlineZero: false,
      shuffle: rng.chance(0.4),
      platform: 'android',
    });
    const next = plays[i + 1];
    if (next && i % 7 === 3 && next.playedAt - p.playedAt > 4 * 60_000) {
      const between = p.playedAt + 60_000;
      const incognito = i % 14 === 3;
      const track = rng.pick(library.saved).track;
      recent.push({
        end: between,
        kind: 'track',
        track,
        msPlayed: incognito ? trackDurationMs(library.catalog.tracks[track]?.id ?? '') : rng.int(1_000, 25_000),
        short: !incognito,
        polled: false,
        incognito,
        offline: false,
        offlineZero: false,
        shuffle: false,
        platform: 'android',
      });
    }
  });
  return [...history.older, ...recent].sort((a, b) => a.end - b.end);
}

function trackNames(library: Library, track: number) {
  const t = library.catalog.tracks[track];
  const artist = library.catalog.artists[t?.artists[0] ?? 0];
  const album = library.catalog.albums[t?.album ?? 0];
  return { id: t?.id ?? '', name: t ? trackTitle(t) : '', artist: artist ? artistTitle(artist) : '', album: album ? albumInfo(album).name : '' };
}

const minute = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The artists (of the tracks and of their albums) and albums of the given tracks, as sorted ids. */
function catalogOf(library: Library, trackIds: readonly string[]): { artists: string[]; albums: string[] } {
  const { catalog } = library;
  const wanted = new Set(trackIds);
  const artists = new Set<string>();
  const albums = new Set<string>();
  for (const track of catalog.tracks) {
    if (!wanted.has(track.id)) continue;
    const album = catalog.albums[track.album];
    if (album) albums.add(album.id);
    for (const a of [...track.artists, ...(album?.artists ?? [])]) artists.add(catalog.artists[a]?.id ?? '');
  }
  return { artists: [...artists].sort(), albums: [...albums].sort() };
}

/**
 * The exports as of `now` (the simulator's clock). `mirrored` holds the track ids a complete sync (and
 * the polls) store, so the truth can say which tracks the import must look up.
 */
export function buildDataExport(library: Library, history: ExportHistory, now: number, username: string, mirrored: ReadonlySet<string>, audioFiles = 2): DataExport {
  const rng = createPrng(library.seed, 'data-export-recent');
  const plays = allPlays(library, history, rng);
  const { catalog } = library;
  const audio: Record<string, unknown>[] = [];
  const videoEntries: Record<string, unknown>[] = [];
  const music: Record<string, unknown>[] = [];
  const podcast: Record<string, unknown>[] = [];
  const audiobook: Record<string, unknown>[] = [];
  const truth: ExportedPlay[] = [];
  const accountSince = now - YEAR;

  for (const p of plays) {
    const ts = isoSeconds(p.end);
    const entry: Record<string, unknown> = {
      ts,
      platform: p.platform,
      ms_played: p.msPlayed,
      conn_country: 'SE',
      ip_addr: '192.0.2.44',
      master_metadata_track_name: null,
      master_metadata_album_artist_name: null,
      master_metadata_album_album_name: null,
      spotify_track_uri: null,
      episode_name: null,
      episode_show_name: null,
      spotify_episode_uri: null,
      audiobook_title: null,
      audiobook_uri: null,
      audiobook_chapter_uri: null,
      audiobook_chapter_title: null,
      reason_start: p.short ? 'clickrow' : 'trackdone',
      reason_end: p.short ? 'fwdbtn' : 'trackdone',
      shuffle: p.shuffle,
      skipped: p.short,
      offline: p.offline,
      offline_timestamp: p.offline ? (p.offlineZero ? 0 : Math.floor((p.end - p.msPlayed) / 1000)) : Math.floor((p.end - p.msPlayed) / 1000),
      incognito_mode: p.incognito,
    };
    const video = p.kind === 'video' || p.video === true;
    const inAccount = p.end >= accountSince && !video;
    const where = inAccount ? 'both' : 'extended';
    const base = { endedAt: ts, msPlayed: p.msPlayed, short: p.short, polled: p.polled, incognito: p.incognito, in: where, medium: video ? 'video' : 'audio' } as const;
    const file = video ? videoEntries : audio;
    // An entry the file repeats word for word is still one stream.
    const push = () => (p.repeated ? file.push(entry, entry) : file.push(entry));
    if (p.kind === 'track' || p.kind === 'gone') {
      const names =
        p.kind === 'track'
          ? trackNames(library, p.track ?? 0)
          : (() => {
              const g = history.goneTracks.find((x) => x.id === p.goneId);
              return { id: g?.id ?? '', name: g?.name ?? '', artist: g?.artist ?? '', album: g?.album ?? '' };
            })();
      Object.assign(entry, {
        master_metadata_track_name: names.name,
        master_metadata_album_artist_name: names.artist,
        master_metadata_album_album_name: names.album,
        spotify_track_uri: `spotify:track:${names.id}`,
      });
      push();
      if (inAccount) music.push({ endTime: minute(p.end), artistName: names.artist, trackName: names.name, msPlayed: p.msPlayed });
      truth.push({
        ...base,
        contentType: 'track',
        trackId: p.kind === 'track' ? names.id : null,
        uri: `spotify:track:${names.id}`,
        trackName: names.name,
        artistName: names.artist,
      });
    } else if (p.kind === 'episode' || p.kind === 'video') {
      const episode = catalog.episodes[p.episode ?? 0];
      const show = catalog.shows[episode?.show ?? 0];
      Object.assign(entry, { episode_name: episode?.name, episode_show_name: show?.name, spotify_episode_uri: `spotify:episode:${episode?.id}` });
      push();
      if (inAccount) podcast.push({ endTime: minute(p.end), podcastName: show?.name, episodeName: episode?.name, msPlayed: p.msPlayed });
      truth.push({ ...base, contentType: 'episode', trackId: null, uri: `spotify:episode:${episode?.id}`, trackName: episode?.name ?? null, artistName: null });
    } else {
      const chapter = history.chapters[p.episode ?? 0];
      Object.assign(entry, {
        audiobook_title: chapter?.book,
        audiobook_uri: 'spotify:audiobook:3Lq1lkxwI8UW3Hmyk7X6Vu',
        audiobook_chapter_uri: chapter?.uri,
        audiobook_chapter_title: chapter?.title,
      });
      push();
      if (inAccount) audiobook.push({ endTime: minute(p.end), audiobookName: chapter?.book, authorName: 'Ada Lindqvist', chapterName: chapter?.title, msPlayed: p.msPlayed });
      truth.push({ ...base, contentType: 'audiobook', trackId: null, uri: chapter?.uri ?? null, trackName: chapter?.title ?? null, artistName: null });
    }
  }

  // Account-data rows the extended history lacks (it was requested earlier): names only.
  const lastYear = plays.filter((p) => p.end >= accountSince && p.kind === 'track');
  const spare = lastYear.length > 0 ? lastYear[0] : undefined;
  const extraBase = (spare?.end ?? now - 30 * 86_400_000) - 3 * 3_600_000;
  const extras = [
    ...library.saved.slice(0, 2).map((s) => ({ ...trackNames(library, s.track), resolvable: true })),
    { id: '', name: trackName(rng), artist: artistName(rng), album: '', resolvable: false },
    { id: '', name: trackName(rng), artist: artistName(rng), album: '', resolvable: false },
  ];
  extras.forEach((x, i) => {
    const end = Math.floor((extraBase - i * 600_000) / 60_000) * 60_000;
    const msPlayed = 120_000 + i * 1_000;
    music.push({ endTime: minute(end), artistName: x.artist, trackName: x.name, msPlayed });
    truth.push({
      endedAt: isoSeconds(end),
      contentType: 'track',
      trackId: x.resolvable ? x.id : null,
      uri: null,
      trackName: x.name,
      artistName: x.artist,
      msPlayed,
      short: false,
      polled: false,
      incognito: false,
      in: 'account',
      medium: 'audio',
    });
  });
  // A track started, restarted and skipped within one minute: two rows of the same names and the same
  // endTime, two streams.
  const restarted = extras[0];
  if (restarted?.resolvable) {
    const end = Math.floor((extraBase + 1_800_000) / 60_000) * 60_000;
    for (const msPlayed of [9_000, 14_000]) {
      music.push({ endTime: minute(end), artistName: restarted.artist, trackName: restarted.name, msPlayed });
      truth.push({
        endedAt: isoSeconds(end),
        contentType: 'track',
        trackId: restarted.id,
        uri: null,
        trackName: restarted.name,
        artistName: restarted.artist,
        msPlayed,
        short: true,
        polled: false,
        incognito: false,
        in: 'account',
        medium: 'audio',
      });
    }
  }
  for (const rows of [music, podcast, audiobook]) rows.sort((a, b) => String(a.endTime).localeCompare(String(b.endTime)));
  const unknownTrackIds = [...new Set(truth.map((t) => t.trackId).filter((id): id is string => id !== null && !mirrored.has(id)))].sort();

  const years = (rows: Record<string, unknown>[]) => {
    const first = String(rows[0]?.ts ?? '').slice(0, 4);
    const last = String(rows.at(-1)?.ts ?? '').slice(0, 4);
    return first === last ? first : `${first}-${last}`;
  };
  const per = Math.ceil(audio.length / Math.max(1, audioFiles));
  const audioParts = Array.from({ length: Math.max(1, audioFiles) }, (_, i) => audio.slice(i * per, (i + 1) * per));
  const extendedDir = 'Spotify Extended Streaming History';
  const accountDir = 'Spotify Account Data';
  const json = (rows: unknown): string => JSON.stringify(rows, null, 2);
  return {
    extended: [
      ...audioParts.map((rows, i) => ({ name: `${extendedDir}/Streaming_History_Audio_${years(rows)}_${i}.json`, content: json(rows) })),
      { name: `${extendedDir}/Streaming_History_Video_${years(videoEntries)}.json`, content: json(videoEntries) },
      { name: `${extendedDir}/ReadMeFirst_ExtendedStreamingHistory.pdf`, content: '%PDF-1.4\n% Read me first: what the files of your extended streaming history hold.\n' },
    ],
    account: [
      { name: `${accountDir}/StreamingHistory_music_0.json`, content: json(music) },
      { name: `${accountDir}/StreamingHistory_podcast_0.json`, content: json(podcast) },
      { name: `${accountDir}/StreamingHistory_audiobook_0.json`, content: json(audiobook) },
      { name: `${accountDir}/Userdata.json`, content: json({ username, country: 'SE', createdFromFacebook: false, creationTime: '2014-03-02' }) },
      { name: `${accountDir}/Playlist1.json`, content: json({ playlists: [] }) },
    ],
    endsong: [
      // Older exports: one file, unnumbered, each entry naming its account (and decrypted client fields).
      { name: 'MyData/endsong.json', content: json(audio.map((e) => ({ ...e, username, user_agent_decrypted: 'unknown', ip_addr_decrypted: e.ip_addr }))) },
      { name: 'MyData/ReadMeFirst_ExtendedStreamingHistory.pdf', content: '%PDF-1.4\n% Read me first.\n' },
    ],
    truth: {
      username,
      plays: truth,
      unknownTrackIds,
      goneTrackIds: history.goneTracks
        .map((g) => g.id)
        .filter((id) => truth.some((t) => t.uri === `spotify:track:${id}`))
        .sort(),
      unknownTrackCatalog: catalogOf(library, unknownTrackIds),
    },
  };
}
