/** A play as a source gives it, before it is stored once in play_history (see insertPlaysOnce). */
export interface PlayInput {
  /** When the stream ended (export `ts`, recently-played `played_at`, account data `endTime`). */
  playedAt: Date;
  source: 'poll' | 'extended_export' | 'account_export';
  contentType: 'track' | 'episode' | 'audiobook';
  /** Heard or watched: plays of the extended history's video files are `video`, every other play `audio`. */
  medium: 'audio' | 'video';
  msPlayed: number | null;
  /** A catalog track id known to exist (polled plays); export plays get theirs on insert or on resolution. */
  trackId: string | null;
  /** The track id an export URI names, whether or not the catalog has it yet. */
  trackKey: string | null;
  spotifyUri: string | null;
  trackName: string | null;
  artistName: string | null;
  albumName: string | null;
  showName: string | null;
  reasonStart: string | null;
  reasonEnd: string | null;
  shuffle: boolean | null;
  skipped: boolean | null;
  offline: boolean | null;
  offlineAt: Date | null;
  incognito: boolean | null;
  platform: string | null;
  connCountry: string | null;
  contextType: string | null;
  contextUri: string | null;
  importId: string | null;
}

export const emptyPlayFields = {
  medium: 'audio',
  msPlayed: null,
  trackId: null,
  trackKey: null,
  spotifyUri: null,
  trackName: null,
  artistName: null,
  albumName: null,
  showName: null,
  reasonStart: null,
  reasonEnd: null,
  shuffle: null,
  skipped: null,
  offline: null,
  offlineAt: null,
  incognito: null,
  platform: null,
  connCountry: null,
  contextType: null,
  contextUri: null,
  importId: null,
} satisfies Partial<PlayInput>;

/** `spotify:track:<id>` → `<id>`. */
export function trackIdOfUri(uri: string | null): string | null {
  const match = uri === null ? null : /^spotify:track:([A-Za-z0-9]+)$/.exec(uri);
  return match?.[1] ?? null;
}
