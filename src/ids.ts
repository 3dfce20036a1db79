/** The one place workflow and schedule ids are built (contract: DESIGN.md, Temporal contract). */
export const initialSyncWorkflowId = (accountId: string): string => `initial-sync:${accountId}`;
export const playbackWorkflowId = (accountId: string): string => `playback:${accountId}`;
export const incrementalSyncScheduleId = (accountId: string): string => `incremental-sync:${accountId}`;
/** Runs started by the schedule get the schedule id plus the scheduled time as their workflow id. */
/** One workflow per import of a data export (contract: DESIGN.md, History import). */
export const historyImportWorkflowId = (accountId: string, importId: string): string => `history-import:${accountId}:${importId}`;
/** One restore of the time machine: `restore:<accountId>:<restoreId>` (contract: DESIGN.md, Time machine). */
export const restoreWorkflowId = (accountId: string, restoreId: string): string => `restore:${accountId}:${restoreId}`;
