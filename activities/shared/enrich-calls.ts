import { log } from '@temporalio/activity';
import type { Db } from '../../src/db/connect.js';
import type { SpotifyClient } from '../../src/spotify/client.js';
import { SpotifyForbiddenError, SpotifyNotFoundError } from '../../src/spotify/errors.js';
import { rememberAppMode } from '../store/app-mode.js';
import type { StubEntity } from '../store/stub-queries.js';
import type { EnrichedObject } from './enrich-steps.js';

/**
 * Artists or albums by the several-at-once endpoint, in the order of `ids` (null: unknown to Spotify).
 * `null` when the endpoint refused (403/404): the account is switched to single-entity calls for good.
 */
export async function fetchSeveral(db: Db, client: SpotifyClient, target: { accountId: string; entity: StubEntity }, ids: string[]): Promise<(EnrichedObject | null)[] | null> {
  const { accountId, entity } = target;
  try {
    const objects = entity === 'artists' ? await client.getArtists(ids) : await client.getAlbums(ids);
    return ids.map((_, i) => (objects[i] as EnrichedObject | null) ?? null);
  } catch (error) {
    if (!(error instanceof SpotifyForbiddenError || error instanceof SpotifyNotFoundError)) throw error;
    log.info('batch endpoint refused: switching this account to single-entity calls', { entity, endpoint: error.endpoint });
    await rememberAppMode(db, accountId, 'development');
    return null;
  }
}

/** One artist or album (null: unknown to Spotify). */
export async function fetchSingle(client: SpotifyClient, entity: StubEntity, id: string): Promise<EnrichedObject | null> {
  try {
    return entity === 'artists' ? await client.getArtist(id) : await client.getAlbum(id);
  } catch (error) {
    if (!(error instanceof SpotifyNotFoundError)) throw error;
    return null;
  }
}
