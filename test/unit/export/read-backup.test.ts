import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { backupSections } from '../../../src/export/backup.js';
import { readBackup, type BackupPart } from '../../../src/export/read-backup.js';

const header = { formatVersion: 1, exportedAt: '2026-12-01T00:00:00.000Z', account: { id: 'acct-1', spotify_user_id: 'user-1', display_name: 'Ada' } };
const emptySections = Object.fromEntries(backupSections.map((s) => [s, [] as unknown[]]));

/** The parts of a backup given as text, fed in small chunks as a file stream would. */
async function parts(text: string): Promise<BackupPart[]> {
  const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
  const out: BackupPart[] = [];
  for await (const part of readBackup(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(part);
  return out;
}

describe('reading a backup as a stream', () => {
  it('gives the header first, then every table’s rows in chunks of at most 1,000, in order', async () => {
    const plays = Array.from({ length: 2_345 }, (_, i) => ({ account_id: 'acct-1', played_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), track_id: `t${i}` }));
    const text = JSON.stringify({
      ...header,
      ...emptySections,
      tracks: [{ id: 't1', name: 'Ünïcode "quoted"', explicit: false, duration_ms: 1, album_id: null }],
      play_history: plays,
    });
    const got = await parts(text);
    expect(got[0]).toEqual({ kind: 'header', header });
    const rows = got.slice(1) as Extract<BackupPart, { kind: 'rows' }>[];
    expect(rows.map((p) => [p.section, p.rows.length])).toEqual([
      ['tracks', 1],
      ['play_history', 1_000],
      ['play_history', 1_000],
      ['play_history', 345],
    ]);
    expect(rows[0]!.rows[0]).toMatchObject({ name: 'Ünïcode "quoted"', album_id: null });
    expect(rows.slice(1).flatMap((p) => p.rows)).toEqual(plays);
  });

  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['not an object', '[1,2]', /expected an object/],
    ['truncated in a table', JSON.stringify({ ...header, ...emptySections, tracks: [{ id: 't1' }, { id: 't2' }] }).slice(0, -60), /truncated/],
    ['another format version', JSON.stringify({ ...header, formatVersion: 3, ...emptySections }), /formatVersion must be one of 1, 2/],
    ['no account', JSON.stringify({ formatVersion: 1, exportedAt: 'x', ...emptySections }), /account/],
    ['a table missing', JSON.stringify({ ...header, ...emptySections, playback_gaps: undefined }), /playback_gaps: Required/],
    ['tables out of order', JSON.stringify({ ...header, tracks: [], artists: [] }), /artists: out of order/],
    ['the header after a table', `{"artists":[],${JSON.stringify(header).slice(1)}`, /formatVersion: must come before the tables|formatVersion/],
    ['a row that is not an object', JSON.stringify({ ...header, ...emptySections, tracks: [{ id: 't1' }, 42] }), /tracks\.1: a row must be an object/],
    ['a table that is not a list', JSON.stringify({ ...header, ...emptySections, tracks: { id: 't1' } }), /tracks: expected a list of rows/],
    ['an unknown part', JSON.stringify({ ...header, ...emptySections, extra: 1 }), /extra: not a part of a backup/],
  ])('refuses %s, with a message saying why', async (_case, text, message) => {
    await expect(parts(text)).rejects.toThrow(message);
  });
});
