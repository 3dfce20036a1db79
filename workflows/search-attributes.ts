import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Contract: Keyword search attributes upserted on every transition. */
export const accountIdKey = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);
export const syncPhaseKey = defineSearchAttributeKey('SyncPhase', SearchAttributeType.KEYWORD);
export const syncStateKey = defineSearchAttributeKey('SyncState', SearchAttributeType.KEYWORD);
export const searchAttributeKeys = [accountIdKey, syncPhaseKey, syncStateKey];
/** For `temporal server start-dev --search-attribute ...`. */
export const searchAttributeCliArgs = searchAttributeKeys.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]);
