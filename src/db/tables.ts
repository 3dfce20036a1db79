import type {
  AccountRow,
  AlbumArtistRow,
  AlbumRow,
  ArtistRow,
  HistoryImportFileRow,
  HistoryImportRow,
  IncrementalRunRow,
  PlaybackGapRow,
  PlayHistoryRow,
  PlaylistItemRow,
  PlaylistRow,
  SavedTrackRow,
  SpotifyAppLimitsRow,
  SpotifyAppQuotaRow,
  SpotifyCallsRow,
  SyncHistoryRow,
  SyncStateRow,
  TrackArtistRow,
  TrackRow,
  UnknownTrackRow,
  NotificationRow,
  NotificationDeliveryRow,
  SessionRow,
  PersonalTokenRow,
  InvitationRow,
  AuditEventRow,
  ShowRow,
  EpisodeRow,
  AudiobookRow,
  SavedAlbumRow,
  SavedShowRow,
  SavedEpisodeRow,
  SavedAudiobookRow,
  FollowedArtistRow,
} from './rows.js';

/**
 * The tables knex knows the rows of (src/db/rows.ts): `db('accounts')` is typed by AccountRow, so a
 * query's columns and results are checked without casts. The play rollups are read by src/library/
 * with their own result types (the triggers write them).
 */
declare module 'knex/types/tables.js' {
  interface Tables {
    accounts: AccountRow;
    artists: ArtistRow;
    albums: AlbumRow;
    tracks: TrackRow;
    track_artists: TrackArtistRow;
    album_artists: AlbumArtistRow;
    saved_tracks: SavedTrackRow;
    playlists: PlaylistRow;
    playlist_items: PlaylistItemRow;
    play_history: PlayHistoryRow;
    playback_gaps: PlaybackGapRow;
    sync_state: SyncStateRow;
    sync_history: SyncHistoryRow;
    incremental_runs: IncrementalRunRow;
    spotify_calls: SpotifyCallsRow;
    spotify_app_limits: SpotifyAppLimitsRow;
    spotify_app_quota: SpotifyAppQuotaRow;
    history_imports: HistoryImportRow;
    history_import_files: HistoryImportFileRow;
    unknown_tracks: UnknownTrackRow;
    notifications: NotificationRow;
    notification_deliveries: NotificationDeliveryRow;
    sessions: SessionRow;
    personal_tokens: PersonalTokenRow;
    invitations: InvitationRow;
    audit_events: AuditEventRow;
    shows: ShowRow;
    episodes: EpisodeRow;
    audiobooks: AudiobookRow;
    saved_albums: SavedAlbumRow;
    followed_artists: FollowedArtistRow;
    saved_shows: SavedShowRow;
    saved_episodes: SavedEpisodeRow;
    saved_audiobooks: SavedAudiobookRow;
  }
}
