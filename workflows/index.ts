export { initialSyncWorkflow } from './initial-sync.js';
export { incrementalSyncWorkflow } from './incremental-sync.js';
export { playbackWorkflow } from './playback.js';
export { historyImportWorkflow } from './history-import.js';
export { restoreWorkflow } from './restore.js';
