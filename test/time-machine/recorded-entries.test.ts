import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordPlaylistVersions } from '../../activities/store/playlist-versions-store.js';
import { readPlaylistVersion } from '../../src/versions/version-store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * A version keeps every entry of the playlist as the mirror held it: a track with its artists in their
 * order (the same track twice stays twice), a track with no artist known yet, an episode with its show,
 * a local file, an unavailable entry; added at in UTC to the millisecond, as Spotify's time was stored.
 */
let t: TestDatabase;
const accountId = 'acc';

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  await db('accounts').insert({
    id: accountId,
    spotify_user_id: accountId,
    display_name: 'Versions',
    refresh_token_encrypted: 'x',
    sync_state: 'complete',
    sync_phase: 'complete',
  });
  await db('artists').insert([
    { id: 'ar1', name: 'Ada' },
    { id: 'ar2', name: 'Ben' },
  ]);
  await db('albums').insert({ id: 'al1', name: 'Album' });
  await db('tracks').insert([
    { id: 't1', name: 'Song One', album_id: 'al1' },
    { id: 't2', name: 'Song Two', album_id: 'al1' },
  ]);
  // Written in the other order than their positions: the version lists them by position.
  await db('track_artists').insert([
    { track_id: 't1', artist_id: 'ar2', position: 1 },
    { track_id: 't1', artist_id: 'ar1', position: 0 },
  ]);
  await db('shows').insert({ id: 'sh1', name: 'The Show' });
  await db('episodes').insert({ id: 'e1', name: 'Episode One', show_id: 'sh1' });
  await db('playlists').insert({ account_id: accountId, id: 'pl1', name: 'Mixed', owner_id: accountId, snapshot_id: 's1', total_items: 6 });
  const item = { account_id: accountId, playlist_id: 'pl1' };
  // Spotify's times as Postgres keeps them, to the microsecond.
  const at = (iso: string) => db.raw('?::timestamptz', [iso]);
  await db('playlist_items').insert([
    { ...item, position: 0, kind: 'track', track_id: 't1', uri: 'spotify:track:t1', added_at: at('2026-03-04T05:06:07.891999+02:00'), added_by: accountId },
    { ...item, position: 1, kind: 'episode', episode_id: 'e1', uri: 'spotify:episode:e1', added_at: at('2020-01-01T00:00:00Z'), added_by: 'friend' },
    {
      ...item,
      position: 2,
      kind: 'local',
      uri: 'spotify:local:Local+Artist::Local+Song:200',
      local_name: 'Local Song',
      local_artist: 'Local Artist',
      added_at: at('2021-06-30T12:00:00Z'),
      added_by: accountId,
    },
    { ...item, position: 3, kind: 'unavailable', added_at: null, added_by: null },
    { ...item, position: 4, kind: 'track', track_id: 't1', uri: 'spotify:track:t1', added_at: at('1999-12-31T23:59:59.999999Z'), added_by: accountId },
    { ...item, position: 5, kind: 'track', track_id: 't2', added_at: at('2026-12-06T00:00:00.5Z'), added_by: accountId },
  ]);
});

afterAll(async () => {
  await t?.drop();
});

it('a recorded version holds every entry as the mirror held it, in order, with its names, artists and added at', async () => {
  await t.db.transaction((trx) => recordPlaylistVersions(trx, accountId, ['pl1'], new Date('2026-12-06T06:00:00Z')));
  const version = await readPlaylistVersion(t.db, accountId, 'pl1');
  expect(version?.version).toBe(1);
  expect(version?.entries).toEqual([
    { u: 'spotify:track:t1', k: 'track', n: 'Song One', a: 'Ada, Ben', t: '2026-03-04T03:06:07.891Z', b: accountId },
    { u: 'spotify:episode:e1', k: 'episode', n: 'Episode One', a: 'The Show', t: '2020-01-01T00:00:00.000Z', b: 'friend' },
    { u: 'spotify:local:Local+Artist::Local+Song:200', k: 'local', n: 'Local Song', a: 'Local Artist', t: '2021-06-30T12:00:00.000Z', b: accountId },
    { u: null, k: 'unavailable', n: null, a: null, t: null, b: null },
    { u: 'spotify:track:t1', k: 'track', n: 'Song One', a: 'Ada, Ben', t: '1999-12-31T23:59:59.999Z', b: accountId },
    { u: 'spotify:track:t2', k: 'track', n: 'Song Two', a: null, t: '2026-12-06T00:00:00.500Z', b: accountId },
  ]);
});
