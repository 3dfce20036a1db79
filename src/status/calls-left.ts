import type { BatchEntity } from '../../workflows/contract.js';
import type { PhaseStatus } from './account-status.js';

/** What is known of the work left, for counting the calls it needs (read from Postgres by read-status). */
export interface CallsLeftFacts {
  phases: PhaseStatus[];
  /** Artists and albums of the account still without details (stubs): each phase's work, and what playlists brought. */
  stubs: { artists: number; albums: number };
  /**
   * What the estimate of the artists not found yet starts from: the saved albums read, the artists only
   * they credit (none of the account's tracks, their albums or its follows does); else the albums of its
   * tracks and the artists only those albums credit.
   */
  savedAlbumArtists: { savedAlbumsRead: number; newArtists: number; trackAlbums: number; trackAlbumOnlyArtists: number };
  /** Item pages (50 entries) of the playlists whose items are not read yet. */
  playlistItemPages: number;
  /**
   * While the playlists' items are not all read: whether the listing is read, the entries of the playlists
   * still to read, and the entries read so far with the artists and albums only they credit.
   */
  playlistEntries?: { listed: boolean; left: number; read: number; readArtists: number; readAlbums: number };
  /**
   * The saved tracks, the distinct artists (of the tracks and their albums) and albums they credit, and
   * those of every other saved track: how many new ones a further track still brings.
   */
  savedTrackNovelty?: { tracks: number; artists: number; albums: number; halfArtists: number; halfAlbums: number };
  /** Entities per call measured in this sync's batches, where there were some. */
  measuredPerCall: Partial<Record<BatchEntity, number>>;
  /** What the app may call: batch endpoints (`extended`) or one entity a call (`development`, and `unknown`). */
  appMode: 'development' | 'extended' | 'unknown';
}

/** Entities one call brings, as Spotify serves them (DESIGN.md, "Sync semantics"). */
const nominalPerCall: Record<BatchEntity, { development: number; extended: number }> = {
  tracks: { development: 50, extended: 50 },
  artists: { development: 1, extended: 50 },
  albums: { development: 1, extended: 20 },
  playlists: { development: 50, extended: 50 },
  // The collections: one page of 50 a call (followed artists too), in both modes.
  savedAlbums: { development: 50, extended: 50 },
  followedArtists: { development: 50, extended: 50 },
  savedShows: { development: 50, extended: 50 },
  savedEpisodes: { development: 50, extended: 50 },
  savedAudiobooks: { development: 50, extended: 50 },
};

const perCall = (facts: CallsLeftFacts, entity: BatchEntity): number => {
  const measured = facts.measuredPerCall[entity];
  // A call that brings anything brings one entity at least: the calls a batch counts include those
  // refused (a 429), which bring none.
  if (measured !== undefined && measured > 0) return Math.max(1, measured);
  return nominalPerCall[entity][facts.appMode === 'extended' ? 'extended' : 'development'];
};

const phaseOf = (facts: CallsLeftFacts, entity: BatchEntity): PhaseStatus | undefined => facts.phases.find((p) => p.entity === entity);

/** Pages of a listing still to read: what its total leaves, at least one while the total is unknown. */
function pagesLeft(phase: PhaseStatus | undefined, entitiesPerPage: number): number {
  if (phase?.complete) return 0;
  if (!phase || phase.total === null) return 1;
  return Math.ceil(Math.max(0, phase.total - phase.synced) / entitiesPerPage);
}

/**
 * The calls each phase of the initial sync still needs, one row per phase (a new phase is one more
 * row). Enrichment counts every stub the account has, whichever phase brought it.
 */
export const callsLeftByPhase: Record<BatchEntity, (facts: CallsLeftFacts) => number> = {
  tracks: (facts) => pagesLeft(phaseOf(facts, 'tracks'), perCall(facts, 'tracks')),
  artists: (facts) => Math.ceil(facts.stubs.artists / perCall(facts, 'artists')),
  albums: (facts) => Math.ceil(facts.stubs.albums / perCall(facts, 'albums')),
  playlists: (facts) => (facts.playlistEntries?.listed ? 0 : pagesLeft(phaseOf(facts, 'playlists'), nominalPerCall.playlists.development)) + facts.playlistItemPages,
  savedAlbums: (facts) => pagesLeft(phaseOf(facts, 'savedAlbums'), perCall(facts, 'savedAlbums')),
  followedArtists: (facts) => pagesLeft(phaseOf(facts, 'followedArtists'), perCall(facts, 'followedArtists')),
  savedShows: (facts) => pagesLeft(phaseOf(facts, 'savedShows'), perCall(facts, 'savedShows')),
  savedEpisodes: (facts) => pagesLeft(phaseOf(facts, 'savedEpisodes'), perCall(facts, 'savedEpisodes')),
  savedAudiobooks: (facts) => pagesLeft(phaseOf(facts, 'savedAudiobooks'), perCall(facts, 'savedAudiobooks')),
};

/**
 * Artists that saved albums not read yet will bring (found late: only once their page is read), at the
 * rate of new artists per saved album read so far; before any, at the rate of artists that only the
 * albums of the account's tracks credit. Nothing while the number of saved albums is unknown.
 */
export function unseenSavedAlbumArtists(facts: CallsLeftFacts): number {
  const phase = phaseOf(facts, 'savedAlbums');
  if (!phase || phase.complete || phase.total === null) return 0;
  const left = Math.max(0, phase.total - phase.synced);
  const { savedAlbumsRead, newArtists, trackAlbums, trackAlbumOnlyArtists } = facts.savedAlbumArtists;
  const rate = savedAlbumsRead > 0 ? newArtists / savedAlbumsRead : trackAlbums > 0 ? trackAlbumOnlyArtists / trackAlbums : 0;
  return Math.round(left * rate);
}

/**
 * Of a playlist's entries, the share taken to be tracks the library does not hold yet, until entries read
 * say otherwise: nothing is known of it before, and a half is never more than half of the whole wrong.
 */
export const PLAYLIST_NEW_TRACK_SHARE = 0.5;
/** How many entries read the guess weighs as: after a page or two of items, the measured rate leads. */
const PLAYLIST_PRIOR_ENTRIES = 100;

/**
 * Artists and albums that the playlist entries not read yet will bring (found late: only once their items
 * are read). Per entry: what the entries read so far brought, weighed with a guess made before any, a
 * further saved track's new artists and albums (what the second half of the saved tracks added to the
 * first, per track) for the share of entries taken to be new tracks (PLAYLIST_NEW_TRACK_SHARE). Nothing
 * while the listing is not read (the entries are unknown).
 */
export function unseenPlaylistStubs(facts: CallsLeftFacts): { artists: number; albums: number } {
  const entries = facts.playlistEntries;
  if (!entries || entries.left <= 0) return { artists: 0, albums: 0 };
  const novelty = facts.savedTrackNovelty;
  const others = novelty ? novelty.tracks - Math.floor(novelty.tracks / 2) : 0;
  const guess = (all: number, half: number): number | null => (others > 0 ? (PLAYLIST_NEW_TRACK_SHARE * Math.max(0, all - half)) / others : null);
  const rate = (read: number, guessed: number | null): number => {
    if (guessed === null) return entries.read > 0 ? read / entries.read : 0;
    return (guessed * PLAYLIST_PRIOR_ENTRIES + read) / (PLAYLIST_PRIOR_ENTRIES + entries.read);
  };
  return {
    artists: Math.round(entries.left * rate(entries.readArtists, novelty ? guess(novelty.artists, novelty.halfArtists) : null)),
    albums: Math.round(entries.left * rate(entries.readAlbums, novelty ? guess(novelty.albums, novelty.halfAlbums) : null)),
  };
}

/** Calls for work not found yet, estimated from what was read (unseenSavedAlbumArtists, unseenPlaylistStubs). */
export function callsEstimated(facts: CallsLeftFacts): number {
  const playlists = unseenPlaylistStubs(facts);
  return (
    Math.ceil(unseenSavedAlbumArtists(facts) / perCall(facts, 'artists')) +
    Math.ceil(playlists.artists / perCall(facts, 'artists')) +
    Math.ceil(playlists.albums / perCall(facts, 'albums'))
  );
}

/** The calls the initial sync still needs: from what is known, and the estimate of what is not found yet. */
export function callsLeft(facts: CallsLeftFacts): number {
  return Object.values(callsLeftByPhase).reduce((sum, phaseCalls) => sum + phaseCalls(facts), 0) + callsEstimated(facts);
}

/** Entities one call brings for an entity of the sync (measured, else nominal). */
export function entitiesPerCall(facts: CallsLeftFacts, entity: BatchEntity): number {
  return perCall(facts, entity);
}

/** Listing entities: one page a call, each page a batch of its own. */
const listings: BatchEntity[] = ['tracks', 'playlists', 'savedAlbums', 'followedArtists', 'savedShows', 'savedEpisodes', 'savedAudiobooks'];

/**
 * The batches the initial sync still runs, each paying the step from one activity to the next: a page
 * of a listing each, and a batch for each enrichment with stubs to fetch (its calls run several at once).
 */
export function batchesLeft(facts: CallsLeftFacts): number {
  const pages = listings.reduce((n, entity) => n + callsLeftByPhase[entity](facts), 0);
  const enrichments = (facts.stubs.artists > 0 ? 1 : 0) + (facts.stubs.albums > 0 ? 1 : 0) + (callsEstimated(facts) > 0 ? 1 : 0);
  return pages + enrichments;
}
