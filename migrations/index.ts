import type { Knex } from 'knex';
import * as createAccounts from './20261125000000_create_accounts.js';
import * as createCatalog from './20261125000100_create_catalog.js';
import * as createLibrary from './20261125000200_create_library.js';
import * as createPlayback from './20261125000300_create_playback.js';
import * as createSyncTracking from './20261125000400_create_sync_tracking.js';
import * as createSpotifyCalls from './20261125000500_create_spotify_calls.js';
import * as extendPlayHistory from './20261201000000_extend_play_history.js';
import * as createLibrarySearch from './20261201000100_create_library_search.js';
import * as createHistoryImports from './20261201000200_create_history_imports.js';
import * as addAccountLogin from './20261201000300_add_account_login.js';
import * as createSpotifyAppLimits from './20261201000400_create_spotify_app_limits.js';
import * as addRateLimitStreak from './20261201000500_add_rate_limit_streak.js';
import * as createPlayRollup from './20261202000000_create_play_rollup.js';
import * as addLibrarySortIndexes from './20261202000050_add_library_sort_indexes.js';
import * as commentHistoryImportEnriching from './20261202000100_comment_history_import_enriching.js';
import * as nameStreamKeyDuration from './20261202000200_name_stream_key_duration.js';
import * as rollupTracksOnly from './20261202000300_rollup_tracks_only.js';
import * as extendedStreamKeyReasons from './20261206050000_extended_stream_key_reasons.js';
import * as addPlayMedium from './20261206050100_add_play_medium.js';
import * as addAccountAudiobookFiles from './20261206050200_add_account_audiobook_files.js';
import * as addHistoryImportUploads from './20261206050300_add_history_import_uploads.js';
import * as createUnknownTracks from './20261206050400_create_unknown_tracks.js';
import * as createNotifications from './20261206400000_create_notifications.js';
import * as addImportRefusedEntries from './20261206700000_add_import_refused_entries.js';
import * as createCollections from './20261207100000_create_collections.js';
import * as keepEveryPlaylistEntry from './20261207100100_keep_every_playlist_entry.js';
import * as logCollectionChanges from './20261207110000_log_collection_changes.js';
import * as createPlaylistVersions from './20261207200000_create_playlist_versions.js';
import * as createLibraryChanges from './20261207200100_create_library_changes.js';
import * as createRestores from './20261207200200_create_restores.js';
import * as createSpotifyAppQuota from './20261207300000_create_spotify_app_quota.js';
import * as addPlaybackPausedAt from './20261207400000_add_playback_paused_at.js';
import * as createPlayStatsRollups from './20261207500000_create_play_stats_rollups.js';
import * as createPlayHistoryGenerations from './20261207510000_create_play_history_generations.js';
import * as createHousehold from './20261207600000_create_household.js';
import * as addSyncStateMissingScope from './20261208100000_add_sync_state_missing_scope.js';
import * as playlistVersionsEntriesAsJson from './20261208300000_playlist_versions_entries_as_json.js';
import * as addQuotaRecovery from './20261208400000_add_quota_recovery.js';

/**
 * Every migration in order. Listed explicitly (rather than read from the folder) so they load the same
 * way under tsx, the test runner and the compiled build. Add new ones at the end.
 */
export const migrations: Record<string, Knex.Migration> = {
  '20261125000000_create_accounts': createAccounts,
  '20261125000100_create_catalog': createCatalog,
  '20261125000200_create_library': createLibrary,
  '20261125000300_create_playback': createPlayback,
  '20261125000400_create_sync_tracking': createSyncTracking,
  '20261125000500_create_spotify_calls': createSpotifyCalls,
  '20261201000000_extend_play_history': extendPlayHistory,
  '20261201000100_create_library_search': createLibrarySearch,
  '20261201000200_create_history_imports': createHistoryImports,
  '20261201000300_add_account_login': addAccountLogin,
  '20261201000400_create_spotify_app_limits': createSpotifyAppLimits,
  '20261201000500_add_rate_limit_streak': addRateLimitStreak,
  '20261202000000_create_play_rollup': createPlayRollup,
  '20261202000050_add_library_sort_indexes': addLibrarySortIndexes,
  '20261202000100_comment_history_import_enriching': commentHistoryImportEnriching,
  '20261202000200_name_stream_key_duration': nameStreamKeyDuration,
  '20261202000300_rollup_tracks_only': rollupTracksOnly,
  '20261206050000_extended_stream_key_reasons': extendedStreamKeyReasons,
  '20261206050100_add_play_medium': addPlayMedium,
  '20261206050200_add_account_audiobook_files': addAccountAudiobookFiles,
  '20261206050300_add_history_import_uploads': addHistoryImportUploads,
  '20261206050400_create_unknown_tracks': createUnknownTracks,
  '20261206400000_create_notifications': createNotifications,
  '20261206700000_add_import_refused_entries': addImportRefusedEntries,
  '20261207100000_create_collections': createCollections,
  '20261207100100_keep_every_playlist_entry': keepEveryPlaylistEntry,
  '20261207110000_log_collection_changes': logCollectionChanges,
  '20261207200000_create_playlist_versions': createPlaylistVersions,
  '20261207200100_create_library_changes': createLibraryChanges,
  '20261207200200_create_restores': createRestores,
  '20261207300000_create_spotify_app_quota': createSpotifyAppQuota,
  '20261207400000_add_playback_paused_at': addPlaybackPausedAt,
  '20261207500000_create_play_stats_rollups': createPlayStatsRollups,
  '20261207510000_create_play_history_generations': createPlayHistoryGenerations,
  '20261207600000_create_household': createHousehold,
  '20261208100000_add_sync_state_missing_scope': addSyncStateMissingScope,
  '20261208300000_playlist_versions_entries_as_json': playlistVersionsEntriesAsJson,
  '20261208400000_add_quota_recovery': addQuotaRecovery,
};
