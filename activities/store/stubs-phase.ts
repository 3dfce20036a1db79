import type { Db } from '../../src/db/connect.js';
import type { SyncStateRow } from '../../src/db/rows.js';
import { countStubs, type StaleBefore, type StubEntity } from './stub-queries.js';

/**
 * An artists or albums phase (re)starts by counting what is left, so progress has a total. Playlists
 * can add stubs after the phase completed once; then it opens again. `null`: the phase is complete and
 * nothing is left.
 */
export async function openStubsPhase(db: Db, state: SyncStateRow, stubs: { entity: StubEntity; accountId: string; staleBefore: StaleBefore }): Promise<SyncStateRow | null> {
  if (!state.is_complete && state.total_estimated !== null) return state;
  const remaining = await countStubs(db, stubs.entity, stubs.accountId, stubs.staleBefore);
  if (remaining === 0 && state.is_complete) return null;
  const [opened] = await db('sync_state')
    .where({ id: state.id })
    .update({ total_estimated: state.synced_count + remaining, is_complete: false, completed_at: null })
    .returning('*');
  return opened!;
}
