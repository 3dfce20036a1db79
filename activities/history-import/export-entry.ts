import { emptyPlayFields, trackIdOfUri, type PlayInput } from '../store/play-input.js';
import type { ExportFileKind } from '../../src/history-import/export-files.js';

export type EntryOutcome =
  | { play: Omit<PlayInput, 'importId'> }
  /** Not a play (an entry naming no track, episode or audiobook): counted as skipped. */
  | { skip: string }
  /** Not an entry of this kind of file at all: the file is refused. */
  | { invalid: string }
  /** An entry of the right shape holding a value no play can have (a NUL byte, a length or time out of range): refused alone, counted with its reason. */
  | { refused: string };

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** A value named in a message: its type, or a short quote of a string (never a whole nested value: one 100k levels deep cannot be printed). */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'missing';
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

/** The longest stream play_history can hold (an integer column): about 24 days, far beyond any real one. */
const MAX_MS_PLAYED = 2_147_483_647;

/** Why a length of play cannot be stored, or null when it can. */
function msPlayedProblem(name: string, ms: number): string | null {
  return Number.isInteger(ms) && ms >= 0 && ms <= MAX_MS_PLAYED ? null : `${name} ${ms} is not a length of play in milliseconds`;
}

/** Why a play cannot be stored as it is: a text field holding a NUL byte (Postgres text cannot), named by its field only. */
function nulByteProblem(play: Omit<PlayInput, 'importId'>): string | null {
  const field = Object.entries(play).find(([, v]) => typeof v === 'string' && v.includes('\u0000'));
  return field ? `its ${field[0]} holds a NUL byte` : null;
}

/** Exports from before 1990 or after the import are damaged clocks, not plays (maloja#104 saw 1900s dates). */
const EARLIEST_PLAY = Date.UTC(1990, 0, 1);

function endTime(value: unknown, now: number): Date | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < EARLIEST_PLAY || ms > now + 86_400_000) return null;
  return new Date(ms);
}

/** Account data's `endTime` is "YYYY-MM-DD HH:MM" with no zone; Spotify writes it in UTC. */
function accountEndTime(value: unknown, now: number): Date | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(value)) return null;
  return endTime(`${value.replace(' ', 'T')}:00Z`, now);
}

/**
 * `offline_timestamp` is the Unix time (seconds in older exports, milliseconds in newer ones) at which an
 * offline stream was played; 0 means unknown.
 */
function offlineAt(value: unknown, now: number): Date | null | { refused: string } {
  const n = num(value);
  if (n === null || n <= 0) return null;
  const ms = n < 1e11 ? n * 1000 : n;
  if (ms < EARLIEST_PLAY) return null;
  // Beyond a day from now (or beyond what a date can hold): a damaged value, not a time a play was made.
  return ms > now + 86_400_000 ? { refused: `offline_timestamp ${n} is out of range` } : new Date(ms);
}

/**
 * One entry of an export file → the play to store, a skip, the reason the file is not of its kind, or
 * the reason this entry alone is refused (a value no play can hold).
 */
export function exportEntryToPlay(kind: ExportFileKind, entry: unknown, now: number): EntryOutcome {
  const outcome = readEntry(kind, entry, now);
  if (!('play' in outcome)) return outcome;
  const problem = nulByteProblem(outcome.play) ?? (outcome.play.msPlayed === null ? null : msPlayedProblem(msPlayedName(kind), outcome.play.msPlayed));
  return problem === null ? outcome : { refused: problem };
}

const msPlayedName = (kind: ExportFileKind) => (kind.startsWith('account_') ? 'msPlayed' : 'ms_played');

function readEntry(kind: ExportFileKind, entry: unknown, now: number): EntryOutcome {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { invalid: 'an entry is not an object' };
  const e = entry as Record<string, unknown>;
  if (kind === 'account_music' || kind === 'account_podcast' || kind === 'account_audiobook') {
    const playedAt = accountEndTime(e.endTime, now);
    if (playedAt === null) return { invalid: `endTime ${describe(e.endTime)} is not "YYYY-MM-DD HH:MM"` };
    const msPlayed = num(e.msPlayed);
    if (msPlayed === null) return { invalid: 'an entry has no msPlayed' };
    if (kind === 'account_audiobook') {
      // Named as the extended history names a chapter (title, book), so the two pair as one stream.
      const chapter = str(e.chapterName);
      const book = str(e.audiobookName);
      if (!chapter && !book) return { skip: 'no audiobook named' };
      return { play: { ...emptyPlayFields, playedAt, source: 'account_export', contentType: 'audiobook', msPlayed, trackName: chapter, showName: book } };
    }
    if (kind === 'account_podcast') {
      const episode = str(e.episodeName);
      if (!episode) return { skip: 'no episode named' };
      return { play: { ...emptyPlayFields, playedAt, source: 'account_export', contentType: 'episode', msPlayed, trackName: episode, showName: str(e.podcastName) } };
    }
    const trackName = str(e.trackName);
    const artistName = str(e.artistName);
    if (!trackName || trackName === 'Unknown Track') return { skip: 'no track named' };
    return {
      play: { ...emptyPlayFields, playedAt, source: 'account_export', contentType: 'track', msPlayed, trackName, artistName: artistName === 'Unknown Artist' ? null : artistName },
    };
  }

  const playedAt = endTime(e.ts, now);
  if (playedAt === null) return { invalid: `ts ${describe(e.ts)} is not a time` };
  const msPlayed = num(e.ms_played);
  if (msPlayed === null) return { invalid: 'an entry has no ms_played' };
  const offline = offlineAt(e.offline_timestamp, now);
  if (offline !== null && 'refused' in offline) return offline;
  const common = {
    ...emptyPlayFields,
    playedAt,
    source: 'extended_export' as const,
    medium: kind === 'extended_video' ? ('video' as const) : ('audio' as const),
    msPlayed,
    reasonStart: str(e.reason_start),
    reasonEnd: str(e.reason_end),
    shuffle: bool(e.shuffle),
    skipped: bool(e.skipped),
    offline: bool(e.offline),
    offlineAt: offline,
    incognito: bool(e.incognito_mode),
    platform: str(e.platform),
    connCountry: str(e.conn_country),
  };
  const trackUri = str(e.spotify_track_uri);
  const trackName = str(e.master_metadata_track_name);
  if (trackUri || trackName) {
    return {
      play: {
        ...common,
        contentType: 'track',
        spotifyUri: trackUri,
        trackKey: trackIdOfUri(trackUri),
        trackName,
        artistName: str(e.master_metadata_album_artist_name),
        albumName: str(e.master_metadata_album_album_name),
      },
    };
  }
  const episodeUri = str(e.spotify_episode_uri);
  const episodeName = str(e.episode_name);
  if (episodeUri || episodeName) {
    return { play: { ...common, contentType: 'episode', spotifyUri: episodeUri, trackName: episodeName, showName: str(e.episode_show_name) } };
  }
  const chapterUri = str(e.audiobook_chapter_uri) ?? str(e.audiobook_uri);
  const book = str(e.audiobook_title);
  if (chapterUri || book) {
    return { play: { ...common, contentType: 'audiobook', spotifyUri: chapterUri, trackName: str(e.audiobook_chapter_title), showName: book } };
  }
  return { skip: 'no track, episode or audiobook named' };
}

/** The export's owner, when its entries say (`username` of older extended-history files). */
export function entryUsername(entry: unknown): string | null {
  return typeof entry === 'object' && entry !== null ? str((entry as Record<string, unknown>).username) : null;
}
