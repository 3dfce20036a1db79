import type { LoginStatus } from '../accounts/login-status.js';
import type { BatchEntity, HistoryImportPhase, HistoryImportState, IncrementalOutcome, RateLimitKind, SyncPhaseName, SyncStateName } from '../../workflows/contract.js';

/**
 * What the status read model answers (readAccountStatus, listAccounts): the API's schemas
 * (src/api/schemas.ts) are checked against these types, not the other way round. Times are ISO 8601.
 */

export interface PhaseStatus {
  entity: BatchEntity;
  synced: number;
  /** Estimated total; null while unknown. */
  total: number | null;
  /** 0..100, one decimal; 100 only when complete. */
  percent: number;
  complete: boolean;
  /** A collection the login may not read: the scope it lacks (its read was skipped; log in again to grant it). Absent otherwise. */
  missingScope?: string;
}

/** Collections skipped because the login lacks their scope (an account connected before the whole library). */
export interface MissingScopes {
  scopes: string[];
  entities: BatchEntity[];
  /** What to do: log in again at `loginUrl`. */
  message: string;
  loginUrl: string;
}

export interface RateLimitStatus {
  limited: boolean;
  kind: RateLimitKind | null;
  hitAt: string | null;
  resetAt: string | null;
}

/** How the ETA was counted (DESIGN.md, "Knowing when it ends"). */
export interface EtaDetail {
  /** Calls the initial sync still needs, from what is known. */
  callsLeft: number;
  /** Calls a quota window of the app holds, once learned from a quota 429; null before. */
  callsPerWindow: number | null;
  /** Quota windows after the current one that the calls left need (0 on a `pace` basis). */
  windowsLeft: number;
  /** `quota`: the learned quota sets the ETA; `pace`: the measured pace alone (no quota met yet). */
  basis: 'pace' | 'quota';
  /**
   * Of `callsLeft`, the calls for work not found yet, estimated from what was read so far (the artists
   * that only saved albums not read yet credit, the artists and albums that only playlist entries not read
   * yet credit); 0 when every call left is counted from what is known.
   */
  callsEstimated: number;
}

export interface IncrementalStatus {
  lastRunAt: string | null;
  nextRunAt: string | null;
  /** The latest run's outcome and counts. */
  lastResult: { outcome: IncrementalOutcome; [field: string]: unknown } | null;
}

export interface PlaybackSummary {
  lastPolledAt: string | null;
  /** Every play stored, whatever its source (bySource tells them apart). */
  plays: number;
  gaps: number;
  /** Plays by where they came from: polled by playback tracking, or imported from Spotify's data exports. */
  bySource: { poll: number; extended_export: number; account_export: number };
  /** Playback tracking paused by a control (pause and resume reach it apart from the sync on the status page). */
  paused: boolean;
  pausedAt: string | null;
}

/** The account's latest history import, in brief (readHistoryImport has the details). */
export interface LatestImportStatus {
  importId: string;
  state: HistoryImportState;
  phase: HistoryImportPhase;
  files: { done: number; total: number };
  plays: number;
  duplicates: number;
  unresolved: number;
  skipped: number;
}

export interface AccountStatus {
  accountId: string;
  displayName: string | null;
  state: SyncStateName;
  phase: SyncPhaseName;
  stateChangedAt: string;
  /** Spotify refuses the account (see login): a person must act, then log in again. */
  needsLogin: boolean;
  login: LoginStatus;
  phases: PhaseStatus[];
  overallPercent: number;
  rateLimit: RateLimitStatus;
  /** Estimated completion of the initial sync; null when complete, waiting for a person, or not measured yet. */
  eta: string | null;
  /** How `eta` was counted; null with it. */
  etaDetail: EtaDetail | null;
  incremental: IncrementalStatus;
  playback: PlaybackSummary;
  /** The initial-sync workflow in the Temporal UI. */
  temporalUiUrl: string | null;
  import?: LatestImportStatus;
  /** Present while some collection is skipped for want of a scope. */
  missingScopes?: MissingScopes;
}

export interface AccountSummary {
  accountId: string;
  displayName: string | null;
  state: SyncStateName;
  phase: SyncPhaseName;
  overallPercent: number;
}
