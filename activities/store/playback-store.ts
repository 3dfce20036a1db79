import type { Db } from '../../src/db/connect.js';
import type { SpotifyCallEvent } from '../../src/spotify/client.js';
import { writeCatalog } from './catalog-writer.js';
import type { CatalogRows } from './normalize.js';
import type { PlayInput } from './play-input.js';
import { insertPlaysOnce } from './plays-once.js';
import { recordCalls } from './sync-state-store.js';

/** What one poll of recently played tracks stores. */
export interface PolledPlays {
  accountId: string;
  /** The playback checkpoint row (sync_state id). */
  stateId: number;
  rows: CatalogRows;
  plays: PlayInput[];
  /** Plays may have been lost between these two times (more than a page since the last poll). */
  gap: { from: string; to: string } | null;
  /** The checkpoint after this poll: the newest play stored, as epoch ms. */
  cursor: string | null;
  calls: SpotifyCallEvent[];
  now: Date;
}

/**
 * Stores a poll in one transaction: the catalog rows of its tracks, its plays (once each), the gap, the
 * checkpoint with its counters, and the calls. Returns how many plays were new.
 */
export function storePolledPlays(db: Db, poll: PolledPlays): Promise<number> {
  return db.transaction(async (trx) => {
    await writeCatalog(trx, poll.rows, poll.now);
    // The same stream may already be stored from a data export: insertPlaysOnce keeps one row.
    const { inserted } = await insertPlaysOnce(trx, poll.accountId, poll.plays);
    if (poll.gap) {
      await trx('playback_gaps')
        .insert({ account_id: poll.accountId, gap_start: new Date(poll.gap.from), gap_end: new Date(poll.gap.to), detected_at: poll.now })
        .onConflict(['account_id', 'gap_start'])
        .ignore();
    }
    await trx('sync_state')
      .where({ id: poll.stateId })
      .update({
        cursor: poll.cursor,
        synced_count: trx.raw('synced_count + ?', [inserted]),
        batches: trx.raw('batches + 1'),
        api_calls: trx.raw('api_calls + ?', [poll.calls.length]),
        last_updated_at: poll.now,
        error_message: null,
      });
    await recordCalls(trx, poll.accountId, poll.calls);
    return inserted;
  });
}
