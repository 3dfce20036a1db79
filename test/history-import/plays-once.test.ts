import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlaysOnce } from '../../activities/store/plays-once.js';
import { emptyPlayFields, type PlayInput } from '../../activities/store/play-input.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import * as extendedStreamKeyReasons from '../../migrations/20261206050000_extended_stream_key_reasons.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db('accounts').insert({ id: 'acc', spotify_user_id: 'u', refresh_token_encrypted: 'x' });
});
afterAll(async () => t?.drop());

const TRACK = '4uLU6hMCjMI75M1A2tKUQC';
const play = (source: PlayInput['source'], endsAt: string, msPlayed: number | null): PlayInput => ({
  ...emptyPlayFields,
  playedAt: new Date(endsAt),
  source,
  contentType: 'track',
  msPlayed,
  trackKey: source === 'account_export' ? null : TRACK,
  spotifyUri: source === 'account_export' ? null : `spotify:track:${TRACK}`,
  trackName: 'Somewhere',
  artistName: 'Someone',
});
const stored = async () => t.db('play_history').where({ account_id: 'acc' }).orderBy('played_at').select('played_at', 'source', 'ms_played');

describe('one history, no duplicates', () => {
  it('keeps two streams of one export that end seconds apart with the same duration, whichever statement brings each', async () => {
    // A track skipped twice in a row after 2 s: two streams, in two chunks of the import.
    const first = await insertPlaysOnce(t.db, 'acc', [play('extended_export', '2021-03-04T10:00:00Z', 2_000)]);
    const second = await insertPlaysOnce(t.db, 'acc', [play('extended_export', '2021-03-04T10:00:03Z', 2_000)]);
    expect([first.inserted, second.inserted]).toEqual([1, 1]);
    expect(await stored()).toHaveLength(2);
  });

  it('pairs the account data of a stream with its extended history entry, and a re-import adds nothing', async () => {
    await t.db('play_history').where({ account_id: 'acc' }).delete();
    await insertPlaysOnce(t.db, 'acc', [play('extended_export', '2021-03-04T11:00:42Z', 200_000)]);
    // Account data: the same stream's end, truncated to the minute, with the same duration.
    const account = await insertPlaysOnce(t.db, 'acc', [play('account_export', '2021-03-04T11:00:00Z', 200_000)]);
    expect(account).toEqual({ inserted: 0, duplicates: 1 });
    const again = await insertPlaysOnce(t.db, 'acc', [play('extended_export', '2021-03-04T11:00:42Z', 200_000)]);
    expect(again).toEqual({ inserted: 0, duplicates: 1 });
    expect(await stored()).toHaveLength(1);
  });

  it('keeps a track restarted within one minute of account data as two streams, and a re-import adds nothing', async () => {
    await t.db('play_history').where({ account_id: 'acc' }).delete();
    // Names only, one endTime: played 9 s, restarted, skipped after 14 s.
    const rows = [play('account_export', '2021-03-04T13:07:00Z', 9_000), play('account_export', '2021-03-04T13:07:00Z', 14_000)];
    expect(await insertPlaysOnce(t.db, 'acc', rows)).toEqual({ inserted: 2, duplicates: 0 });
    expect(await insertPlaysOnce(t.db, 'acc', rows)).toEqual({ inserted: 0, duplicates: 2 });
    expect((await stored()).map((r) => r.ms_played).sort((a, b) => a! - b!)).toEqual([9_000, 14_000]);
  });

  it('keeps a 0 ms skip and a full play of one track ending in the same second as two streams, whichever comes first', async () => {
    await t.db('play_history').where({ account_id: 'acc' }).delete();
    const skipped = { ...play('extended_export', '2021-03-04T14:00:42Z', 0), reasonStart: 'clickrow', reasonEnd: 'fwdbtn' };
    const full = { ...play('extended_export', '2021-03-04T14:00:42Z', 200_000), reasonStart: 'trackdone', reasonEnd: 'trackdone' };
    expect(await insertPlaysOnce(t.db, 'acc', [skipped, full, full])).toEqual({ inserted: 2, duplicates: 1 });
    expect(await insertPlaysOnce(t.db, 'acc', [full, skipped])).toEqual({ inserted: 0, duplicates: 2 });
    // Account data of the full play pairs with it, not with the skip.
    expect(await insertPlaysOnce(t.db, 'acc', [play('account_export', '2021-03-04T14:00:00Z', 200_000)])).toEqual({ inserted: 0, duplicates: 1 });
    expect((await stored()).map((r) => r.ms_played!).sort((a, b) => a - b)).toEqual([0, 200_000]);
  });

  it('finds the extended-history plays stored under the previous key after the migration: a re-import adds nothing', async () => {
    await t.db('play_history').where({ account_id: 'acc' }).delete();
    const full = { ...play('extended_export', '2021-03-04T15:00:42Z', 200_000), reasonStart: 'trackdone', reasonEnd: 'trackdone' };
    const named = { ...play('extended_export', '2021-03-04T15:10:00Z', 90_000), trackKey: null, spotifyUri: null, reasonStart: 'fwdbtn', reasonEnd: 'endplay' };
    await insertPlaysOnce(t.db, 'acc', [full, named]);
    // The keys as the previous release stored them, then this release's migration.
    await extendedStreamKeyReasons.down(t.db);
    expect(await t.db('play_history').where({ account_id: 'acc' }).orderBy('played_at').pluck('stream_key')).toEqual([`track:${TRACK}`, 'names:somewhere|someone|90000']);
    await extendedStreamKeyReasons.up(t.db);
    expect(await insertPlaysOnce(t.db, 'acc', [full, named])).toEqual({ inserted: 0, duplicates: 2 });
    expect(await stored()).toHaveLength(2);
  });

  it('pairs a polled play with its exported stream, ending within the tolerance', async () => {
    await t.db('play_history').where({ account_id: 'acc' }).delete();
    await insertPlaysOnce(t.db, 'acc', [{ ...play('poll', '2021-03-04T12:00:00.500Z', null), trackId: null }]);
    const exported = await insertPlaysOnce(t.db, 'acc', [play('extended_export', '2021-03-04T12:00:02Z', 190_000)]);
    expect(exported).toEqual({ inserted: 0, duplicates: 1 });
    expect(await stored()).toMatchObject([{ source: 'poll', ms_played: 190_000 }]);
  });
});
