import { describe, expect, it } from 'vitest';
import { failsEveryTime } from '../../../activities/history-import/unretryable.js';
import { exportEntryToPlay } from '../../../activities/history-import/export-entry.js';

const now = Date.parse('2026-12-06T12:00:00Z');
const entry = (extra: Record<string, unknown>) => ({ ts: '2021-05-01T10:00:00Z', ms_played: 1000, master_metadata_track_name: 'A', ...extra });

describe('what an import does not retry', () => {
  it('a value Postgres refuses (SQLSTATE class 22) or one too deep for the stack fails every time; an outage does not', () => {
    expect(failsEveryTime(Object.assign(new Error('integer out of range'), { code: '22003' }))).toBe(true);
    expect(failsEveryTime(Object.assign(new Error('invalid byte sequence'), { code: '22021' }))).toBe(true);
    expect(failsEveryTime(new RangeError('Maximum call stack size exceeded'))).toBe(true);
    expect(failsEveryTime(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(false);
    expect(failsEveryTime(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(failsEveryTime(new Error('anything else'))).toBe(false);
  });

  it('an entry holding a value no play can have is refused alone, named by its field, never quoting the value', () => {
    expect(exportEntryToPlay('extended_audio', entry({ master_metadata_album_artist_name: 'Secret\u0000Name' }), now)).toEqual({ refused: 'its artistName holds a NUL byte' });
    expect(exportEntryToPlay('extended_audio', entry({ ms_played: -1 }), now)).toEqual({ refused: 'ms_played -1 is not a length of play in milliseconds' });
    expect(exportEntryToPlay('extended_audio', entry({ offline_timestamp: 9e15 }), now)).toEqual({ refused: 'offline_timestamp 9000000000000000 is out of range' });
    expect(exportEntryToPlay('account_music', { endTime: '2021-05-01 10:00', msPlayed: 3e9, trackName: 'A', artistName: 'B' }, now)).toEqual({
      refused: 'msPlayed 3000000000 is not a length of play in milliseconds',
    });
    // An offline time before 1990 is unknown, as before; a sane one is kept.
    expect(exportEntryToPlay('extended_audio', entry({ offline_timestamp: 5 }), now)).toMatchObject({ play: { offlineAt: null } });
    expect(exportEntryToPlay('extended_audio', entry({ offline_timestamp: 1620000000 }), now)).toMatchObject({ play: { offlineAt: new Date(1620000000 * 1000) } });
  });
});
