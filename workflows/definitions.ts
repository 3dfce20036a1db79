import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Contract names (DESIGN.md): signals `pause`, `resume`, `reauthorized`; query `status`. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const reauthorizedSignal = defineSignal('reauthorized');

export type SyncStateName = 'not_started' | 'running' | 'paused' | 'rate_limited' | 'needs_reauth' | 'failed' | 'complete';
export type InitialSyncPhase = 'tracks' | 'artists' | 'albums' | 'playlists' | 'complete';
/** The entity a batch activity works on; `tracks`..`playlists` are also the phases of the initial sync. */
export type BatchEntity = 'tracks' | 'artists' | 'albums' | 'playlists';

export interface PhaseProgress {
  synced: number;
  total: number | null;
  complete: boolean;
}

/** Live state of an initial sync, as answered by the `status` query. */
export interface InitialSyncStatus {
  workflow: 'initialSyncWorkflow';
  accountId: string;
  state: SyncStateName;
  phase: InitialSyncPhase;
  paused: boolean;
  progress: Partial<Record<BatchEntity, PhaseProgress>>;
  batches: number;
  apiCalls: number;
  rateLimitedUntil: string | null;
  lastError: string | null;
  runNumber: number;
}

export const statusQuery = defineQuery<Record<string, unknown>>('status');
