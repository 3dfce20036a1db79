import type { BatchEntity } from '../../workflows/contract.js';
import type { PhaseStatus } from './account-status.js';

/** What is known of the work left, for counting the calls it needs (read from Postgres by read-status). */
export interface CallsLeftFacts {
  phases: PhaseStatus[];
  /** Artists and albums of the account still without details (stubs): each phase's work, and what playlists brought. */
  stubs: { artists: number; albums: number };
  /** Item pages (50 entries) of the playlists whose items are not read yet. */
  playlistItemPages: number;
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
  if (measured !== undefined && measured > 0) return measured;
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
  playlists: (facts) => pagesLeft(phaseOf(facts, 'playlists'), nominalPerCall.playlists.development) + facts.playlistItemPages,
  savedAlbums: (facts) => pagesLeft(phaseOf(facts, 'savedAlbums'), perCall(facts, 'savedAlbums')),
  followedArtists: (facts) => pagesLeft(phaseOf(facts, 'followedArtists'), perCall(facts, 'followedArtists')),
  savedShows: (facts) => pagesLeft(phaseOf(facts, 'savedShows'), perCall(facts, 'savedShows')),
  savedEpisodes: (facts) => pagesLeft(phaseOf(facts, 'savedEpisodes'), perCall(facts, 'savedEpisodes')),
  savedAudiobooks: (facts) => pagesLeft(phaseOf(facts, 'savedAudiobooks'), perCall(facts, 'savedAudiobooks')),
};

/** The calls the initial sync still needs, from what is known. */
export function callsLeft(facts: CallsLeftFacts): number {
  return Object.values(callsLeftByPhase).reduce((sum, phaseCalls) => sum + phaseCalls(facts), 0);
}
