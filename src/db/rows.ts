/** Row types that mirror the schema in migrations/ (one place). */

import type {
  EntityType,
  HistoryImportPhase,
  HistoryImportState,
  IncrementalOutcome,
  LoginProblem,
  RateLimitKind,
  SyncKind,
  SyncPhaseName,
  SyncStateName,
} from '../../workflows/contract.js';

export interface AccountRow {
  id: string;
  spotify_user_id: string;
  display_name: string | null;
  refresh_token_encrypted: string;
  access_token_encrypted: string | null;
  access_token_expires_at: Date | null;
  app_mode: 'development' | 'extended' | null;
  sync_state: SyncStateName;
  sync_phase: SyncPhaseName;
  sync_state_changed_at: Date;
  needs_reauth: boolean;
  connected_at: Date;
  /** When the user logged in: Spotify's six months run from here. */
  authorized_at: Date;
  login_problem: LoginProblem | null;
  /** The scopes the login granted, space-separated; null while unknown. */
  granted_scopes: string | null;
  updated_at: Date;
  /** The person's place in the household: the first account connected is the owner. */
  role: HouseholdRole;
  /** When this person first signed in with Spotify or got a personal token (the household formed). */
  joined_at: Date | null;
  /** When a control paused playback tracking; null while it polls. */
  playback_paused_at: Date | null;
}

export type HouseholdRole = 'owner' | 'member';

export type { LoginProblem };

export interface ArtistRow {
  id: string;
  name: string;
  genres: string[] | null;
  popularity: number | null;
  followers: number | null;
  images: unknown;
  details_synced_at: Date | null;
}

export interface AlbumRow {
  id: string;
  name: string;
  album_type: string | null;
  release_date: string | null;
  release_date_precision: string | null;
  total_tracks: number | null;
  images: unknown;
  label: string | null;
  popularity: number | null;
  genres: string[] | null;
  details_synced_at: Date | null;
  /** The first page of tracks Spotify embeds in an album, kept for saved albums (JSON of AlbumTrackEntry[]). */
  tracks_page?: unknown;
}

/** One track of an album's stored page (`albums.tracks_page`). */
export interface AlbumTrackEntry {
  id: string | null;
  name: string;
  artists: { id: string | null; name: string }[];
  discNumber: number | null;
  trackNumber: number | null;
  durationMs: number | null;
  explicit: boolean | null;
  uri: string | null;
}

export interface ShowRow {
  id: string;
  name: string;
  publisher: string | null;
  description: string | null;
  media_type: string | null;
  explicit: boolean | null;
  total_episodes: number | null;
  images: unknown;
  uri: string | null;
}

export interface EpisodeRow {
  id: string;
  show_id: string | null;
  name: string;
  description: string | null;
  duration_ms: number | null;
  explicit: boolean | null;
  release_date: string | null;
  images: unknown;
  uri: string | null;
}

export interface AudiobookRow {
  id: string;
  name: string;
  authors: string[] | null;
  narrators: string[] | null;
  publisher: string | null;
  description: string | null;
  edition: string | null;
  explicit: boolean | null;
  total_chapters: number | null;
  images: unknown;
  uri: string | null;
}

/** A row of saved_albums, saved_shows, saved_episodes or saved_audiobooks (the id column named after the table). */
export interface CollectionSaveRow {
  account_id: string;
  added_at: Date;
  removed_at: Date | null;
  synced_at: Date;
}
export interface SavedAlbumRow extends CollectionSaveRow {
  album_id: string;
}
export interface SavedShowRow extends CollectionSaveRow {
  show_id: string;
}
export interface SavedEpisodeRow extends CollectionSaveRow {
  episode_id: string;
}
export interface SavedAudiobookRow extends CollectionSaveRow {
  audiobook_id: string;
}
export interface FollowedArtistRow {
  account_id: string;
  artist_id: string;
  followed_at: Date;
  removed_at: Date | null;
  synced_at: Date;
}

export interface TrackRow {
  id: string;
  name: string;
  album_id: string;
  duration_ms: number | null;
  explicit: boolean | null;
  disc_number: number | null;
  track_number: number | null;
  popularity: number | null;
  isrc: string | null;
  uri: string | null;
}

/** A track's credited artists in order (album_artists the same for albums). */
export interface TrackArtistRow {
  track_id: string;
  artist_id: string;
  position: number;
}

export interface AlbumArtistRow {
  album_id: string;
  artist_id: string;
  position: number;
}

export interface SavedTrackRow {
  account_id: string;
  track_id: string;
  added_at: Date;
  removed_at: Date | null;
  synced_at: Date;
}

export interface PlaylistRow {
  account_id: string;
  id: string;
  name: string;
  description: string | null;
  owner_id: string | null;
  owner_name: string | null;
  collaborative: boolean;
  public: boolean | null;
  snapshot_id: string;
  total_items: number;
  images: unknown;
  list_position: number | null;
  items_snapshot_id: string | null;
  items_accessible: boolean | null;
  skipped_items: number;
  removed_at: Date | null;
  synced_at: Date;
}

/** What a playlist entry is (`playlist_items.kind`). */
export type PlaylistEntryKind = 'track' | 'episode' | 'local' | 'unavailable';

export interface PlaylistItemRow {
  account_id: string;
  playlist_id: string;
  position: number;
  kind: PlaylistEntryKind;
  /** Set for a track only. */
  track_id: string | null;
  /** Set for an episode only. */
  episode_id: string | null;
  uri: string | null;
  local_name: string | null;
  local_artist: string | null;
  local_album: string | null;
  local_duration_ms: number | null;
  added_at: Date | null;
  added_by: string | null;
}

export interface PlayHistoryRow {
  account_id: string;
  /** When the stream ended. */
  played_at: Date;
  /** Null until an export play is resolved to a catalog track (or when it cannot be). */
  track_id: string | null;
  context_type: string | null;
  context_uri: string | null;
  recorded_at: Date;
  source: 'poll' | 'extended_export' | 'account_export';
  content_type: 'track' | 'episode' | 'audiobook';
  /** audio or video (the extended history file a play came from); null when stored before this was kept. */
  medium: 'audio' | 'video' | null;
  ms_played: number | null;
  track_name: string | null;
  artist_name: string | null;
  album_name: string | null;
  /** Generated: under 30 s played. */
  is_short: boolean | null;
  spotify_uri: string | null;
  show_name: string | null;
  reason_start: string | null;
  reason_end: string | null;
  shuffle: boolean | null;
  skipped: boolean | null;
  offline: boolean | null;
  offline_at: Date | null;
  incognito: boolean | null;
  platform: string | null;
  conn_country: string | null;
  unresolved_reason: string | null;
  import_id: string | null;
  stream_key: string;
}

export interface PlaybackGapRow {
  id: number;
  account_id: string;
  gap_start: Date;
  gap_end: Date;
  detected_at: Date;
}

export interface SyncStateRow {
  id: number;
  account_id: string;
  entity_type: EntityType;
  phase: SyncKind;
  last_synced_offset: number;
  cursor: string | null;
  synced_count: number;
  total_estimated: number | null;
  skipped_count: number;
  api_calls: number;
  batches: number;
  is_complete: boolean;
  rate_limit_hit_at: Date | null;
  rate_limit_reset_at: Date | null;
  rate_limit_remaining: number | null;
  rate_limit_kind: RateLimitKind | null;
  rate_limit_streak: number;
  started_at: Date;
  last_updated_at: Date;
  completed_at: Date | null;
  error_message: string | null;
  /** The scope the login lacks for this entity, whose read was skipped (Spotify answered 403 "Insufficient client scope"); null once read. */
  missing_scope: string | null;
}

export interface SyncHistoryRow {
  id: number;
  account_id: string;
  phase: SyncKind;
  entity_type: EntityType;
  batch_number: number;
  checkpoint_offset: number | null;
  checkpoint_cursor: string | null;
  rate_limited: boolean;
  items: number;
  skipped: number;
  api_calls: number;
  duration_ms: number;
  created_at: Date;
}

export interface IncrementalRunRow {
  id: number;
  account_id: string;
  workflow_id: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: IncrementalOutcome;
  result: Record<string, unknown>;
}

export interface SpotifyCallsRow {
  account_id: string;
  endpoint: string;
  outcome: string;
  calls: number;
}

export interface SpotifyAppLimitsRow {
  client_id: string;
  concurrency: number;
  window_limit: number | null;
  updated_at: Date;
}

/** spotify_app_quota: an app's learned quota and the calls of its current window. */
export interface SpotifyAppQuotaRow {
  client_id: string;
  calls_per_window: number | null;
  window_seconds: number | null;
  window_started_at: Date | null;
  window_calls: number;
  last_call_at: Date | null;
  reset_lag_ms: number | null;
  quota_confirmed: boolean;
  wall_probe_at: Date | null;
  window_span_ms: number | null;
  learned_at: Date | null;
  updated_at: Date;
}

export interface HistoryImportRow {
  id: string;
  account_id: string;
  state: HistoryImportState;
  phase: HistoryImportPhase;
  source_dir: string;
  ignored_files: string[];
  plays: number;
  duplicates: number;
  skipped: number;
  unresolved: number;
  resolved: number;
  api_calls: number;
  error_message: string | null;
  uploaded: boolean;
  /** Entries that cannot be stored, and the first 20 reasons (migrations/20261206700000_add_import_refused_entries.ts). */
  refused: number;
  refused_reasons: string[];
  files_deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

export interface HistoryImportFileRow {
  import_id: string;
  position: number;
  name: string;
  kind: 'extended_audio' | 'extended_video' | 'account_music' | 'account_podcast' | 'account_audiobook';
  path: string;
  zip_entry: string | null;
  size_bytes: string | number;
  entries_total: number | null;
  entries_done: number;
  plays: number;
  duplicates: number;
  skipped: number;
  refused: number;
  is_complete: boolean;
}

/** A track id Spotify answered 404 for (imports do not ask again for a while). */
export interface UnknownTrackRow {
  id: string;
  answered_at: Date;
}

/** Each notification event once (migrations/20261206400000_create_notifications.ts). */
export interface NotificationRow {
  id: number;
  account_id: string | null;
  event: string;
  occasion: string;
  message: string;
  url: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** One attempt to deliver a notification to one target. */
export interface NotificationDeliveryRow {
  id: number;
  notification_id: number;
  target_key: string;
  target_label: string;
  attempted_at: Date;
  ok: boolean;
  detail: string | null;
}

/** A signed-in browser: a person's, or the operator's (account_id null). */
export interface SessionRow {
  id: string;
  token_hash: Buffer;
  account_id: string | null;
  device: string;
  created_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
}

export type TokenScope = 'read' | 'control';

/** A personal API token of one person's account. */
export interface PersonalTokenRow {
  id: string;
  account_id: string;
  name: string;
  scope: TokenScope;
  token_hash: Buffer;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** An owner's invitation link. */
export interface InvitationRow {
  id: string;
  token_hash: Buffer;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  used_by: string | null;
}

/** One line of the security log. */
export interface AuditEventRow {
  id: string;
  at: Date;
  account_id: string | null;
  event: string;
  actor: string;
  detail: string;
  client: string | null;
}
