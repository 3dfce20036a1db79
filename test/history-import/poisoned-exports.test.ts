import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { historyImportWorkflowId } from '../../src/ids.js';
import { zipFiles } from '../../src/simulator/zip-files.js';
import type { HistoryImportStatus } from '../../workflows/contract.js';
import { syncedAccount } from '../helpers/history-import.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

/**
 * Exports that once made an import retry every 5 minutes for ever ("running" indefinitely): values no
 * play can have. Each such entry is refused and counted with its reason while the import goes on; what
 * no attempt can store ends the import with the reason; a damaged zip name is a 400, not a 500.
 */

let h: Harness;
let accountId: string;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  h = await createHarness({ sim: { seed: 11, tracks: 40, playlists: 1, appMode: 'development' } });
  await h.startWorker();
  accountId = await syncedAccount(h);
  const historyImportDir = await mkdtemp(join(tmpdir(), 'spotify-poisoned-uploads-'));
  app = createApp({ db: h.db.db, config: { ...h.config, historyImportDir }, temporal: async () => h.client });
});
afterAll(async () => h?.close());

const play = (ts: string, extra: Record<string, unknown> = {}) => ({
  ts,
  platform: 'android',
  ms_played: 200_000,
  conn_country: 'SE',
  master_metadata_track_name: 'Somewhere',
  master_metadata_album_artist_name: 'Someone',
  master_metadata_album_album_name: 'Something',
  spotify_track_uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
  reason_start: 'trackdone',
  reason_end: 'trackdone',
  shuffle: false,
  skipped: false,
  offline: false,
  offline_timestamp: 0,
  incognito_mode: false,
  ...extra,
});

async function upload(files: { name: string; content: string | Buffer }[]) {
  const form = new FormData();
  for (const f of files) form.append('file', new File([typeof f.content === 'string' ? f.content : new Uint8Array(f.content)], f.name));
  const res = await app.request('/api/history/imports', { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { importId?: string; error?: { code: string; message: string } } };
}

/** The import's end, as the workflow returns it: a test that retried for ever would time out here. */
const ended = (importId: string) => h.client.workflow.getHandle(historyImportWorkflowId(accountId, importId)).result() as Promise<HistoryImportStatus>;

async function playsOf(importId: string): Promise<string[]> {
  const rows = await h.db.db('play_history').where({ import_id: importId }).orderBy('played_at').select('played_at');
  return rows.map((r: { played_at: Date }) => r.played_at.toISOString());
}

describe('poisoned exports', () => {
  it('an entry with a NUL byte in a name, a length or an offline time out of range is refused with its reason; the rest is imported', async () => {
    const entries = [
      play('2021-05-01T10:00:00Z'),
      play('2021-05-01T10:05:00Z', { master_metadata_track_name: 'Some\u0000where' }),
      play('2021-05-01T10:10:00Z', { ms_played: 1.5e10 }),
      play('2021-05-01T10:15:00Z', { offline_timestamp: 1e300 }),
      play('2021-05-01T10:20:00Z', { ms_played: 1.5 }),
      play('2021-05-01T10:25:00Z', { platform: 'web\u0000player' }),
      play('2021-05-01T10:30:00Z', { offline: true, offline_timestamp: 1620000000 }),
    ];
    const res = await upload([{ name: 'Streaming_History_Audio_2021_0.json', content: JSON.stringify(entries) }]);
    expect(res.status).toBe(202);
    const importId = res.body.importId!;
    const result = await ended(importId);
    expect(result.state).toBe('complete');
    expect(await playsOf(importId)).toEqual(['2021-05-01T10:00:00.000Z', '2021-05-01T10:30:00.000Z']);

    const followed = await app.request(`/api/history/imports/${importId}`);
    const summary = (await followed.json()) as { state: string; plays: number; refused: number; refusedReasons: string[] };
    expect(summary).toMatchObject({ state: 'complete', plays: 2, refused: 5 });
    expect(summary.refusedReasons).toEqual([
      'Streaming_History_Audio_2021_0.json, entry 2: its trackName holds a NUL byte',
      'Streaming_History_Audio_2021_0.json, entry 3: ms_played 15000000000 is not a length of play in milliseconds',
      'Streaming_History_Audio_2021_0.json, entry 4: offline_timestamp 1e+300 is out of range',
      'Streaming_History_Audio_2021_0.json, entry 5: ms_played 1.5 is not a length of play in milliseconds',
      'Streaming_History_Audio_2021_0.json, entry 6: its platform holds a NUL byte',
    ]);
    const page = await (await app.request(`/history/import/${importId}`)).text();
    expect(page).toContain('entry 3: ms_played 15000000000 is not a length of play');
  });

  it('a ts nested 100,000 levels deep ends the import with the reason, once, and stores nothing', async () => {
    const depth = 100_000;
    const deep = `[{"ts": ${'['.repeat(depth)}${']'.repeat(depth)}, "ms_played": 1000, "master_metadata_track_name": "Deep"}]`;
    const before = await h.db.db('play_history').count({ n: '*' }).first();
    const res = await upload([
      { name: 'Streaming_History_Audio_2021_1.json', content: JSON.stringify([play('2021-06-01T10:00:00Z')]) },
      { name: 'Streaming_History_Audio_2021_2.json', content: deep },
    ]);
    expect(res.status).toBe(202);
    const importId = res.body.importId!;
    const result = await ended(importId);
    expect(result.state).toBe('failed');
    expect(result.error).toMatch(/Streaming_History_Audio_2021_2\.json, entry 1: ts a list is not a time/);
    expect(await h.db.db('play_history').count({ n: '*' }).first()).toEqual(before);
    const followed = (await (await app.request(`/api/history/imports/${importId}`)).json()) as { state: string };
    expect(followed.state).toBe('failed');
  });

  it('a zip whose entry name holds a NUL byte answers 400, and nothing is recorded', async () => {
    const zip = await zipFiles([{ name: 'Streaming_History_Audio_2021_X.json', content: JSON.stringify([play('2021-07-01T10:00:00Z')]) }]);
    // yazl refuses to write such a name; a damaged zip has one. Rename the entry in place (same length).
    const damaged = Buffer.from(zip.toString('latin1').split('_X.json').join('_\u0000.json'), 'latin1');
    const imports = await h.db.db('history_imports').count({ n: '*' }).first();
    const res = await upload([{ name: 'my_spotify_data.zip', content: damaged }]);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('invalid_export');
    expect(res.body.error?.message).toMatch(/control character/);
    expect(await h.db.db('history_imports').count({ n: '*' }).first()).toEqual(imports);
  });
});
