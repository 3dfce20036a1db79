import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { zipFiles } from '../../src/simulator/zip-files.js';
import { historyImportWorkflowId } from '../../src/ids.js';
import type { HistoryImportStatus } from '../../workflows/contract.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { syncedAccount } from '../helpers/history-import.js';

let h: Harness;
let accountId: string;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  h = await createHarness({ sim: { seed: 7, tracks: 120, playlists: 3, appMode: 'development' } });
  await h.startWorker();
  accountId = await syncedAccount(h);
  const historyImportDir = await mkdtemp(join(tmpdir(), 'spotify-uploads-'));
  app = createApp({ db: h.db.db, config: { ...h.config, historyImportDir }, temporal: async () => h.client });
});
afterAll(async () => h?.close());

const play = (ts: string, extra: Record<string, unknown> = {}) => ({
  ts,
  platform: 'android',
  ms_played: 200_000,
  conn_country: 'SE',
  ip_addr: '192.0.2.1',
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
const goodHistory = JSON.stringify([play('2021-03-04T10:00:00Z'), play('2021-03-04T10:04:00Z')]);

async function zipSlip(): Promise<Buffer> {
  const zip = await zipFiles([{ name: 'XX/Streaming_History_Audio_2021_0.json', content: goodHistory }]);
  // yazl refuses to write such a path; real tools do not. Rename the entry in place (same length).
  return Buffer.from(zip.toString('latin1').split('XX/Streaming').join('../Streaming'), 'latin1');
}

async function zipBomb(): Promise<Buffer> {
  return zipFiles([{ name: 'Streaming_History_Audio_2021_0.json', content: `[${' '.repeat(40 * 1024 * 1024)}]` }]);
}

type Upload = { name: string; content: string | Buffer };

async function upload(files: Upload[]) {
  const form = new FormData();
  for (const f of files) form.append('file', new File([typeof f.content === 'string' ? f.content : new Uint8Array(f.content)], f.name));
  const res = await app.request('/api/history/imports', { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { importId?: string; error?: { code: string; message: string } } };
}

async function snapshot() {
  const count = async (table: string) => Number((await h.db.db(table).count({ n: '*' }).first())?.n);
  return { plays: await count('play_history'), tracks: await count('tracks'), artists: await count('artists'), albums: await count('albums') };
}

describe('bad input: a clear message, and nothing changed', () => {
  it.each([
    { label: 'not a zip or JSON', files: async () => [{ name: 'notes.txt', content: 'my listening notes' }], message: /neither a zip nor a JSON file/ },
    { label: 'a zip with a path outside its root', files: async () => [{ name: 'export.zip', content: await zipSlip() }], message: /points outside the zip/ },
    { label: 'a zip expanding far beyond its size', files: async () => [{ name: 'export.zip', content: await zipBomb() }], message: /far beyond any real export/ },
    {
      label: 'a zip without streaming history',
      files: async () => [{ name: 'export.zip', content: await zipFiles([{ name: 'Spotify Account Data/Playlist1.json', content: '{}' }]) }],
      message: /no streaming history in the input \(found only: Spotify Account Data\/Playlist1\.json\)/,
    },
    {
      label: "another account's export (Userdata.json)",
      files: async () => [
        { name: 'Userdata.json', content: JSON.stringify({ username: 'someone-else' }) },
        { name: 'Streaming_History_Audio_2021_0.json', content: goodHistory },
      ],
      message: /another Spotify account/,
    },
  ])('$label is refused at once (422)', async ({ files, message }) => {
    const before = await snapshot();
    const imports = await h.db.db('history_imports').count({ n: '*' }).first();
    const res = await upload(await files());
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe('invalid_export');
    expect(res.body.error?.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
    expect(await h.db.db('history_imports').count({ n: '*' }).first()).toEqual(imports);
  });

  it.each([
    { label: 'a truncated file', content: goodHistory.slice(0, goodHistory.length - 40), message: /is not valid JSON \(truncated or damaged/ },
    { label: 'a file that is not a list of plays', content: JSON.stringify({ plays: [] }), message: /not a streaming history file: expected a list of plays/ },
    { label: 'an entry without a time', content: JSON.stringify([play('2021-03-04T10:00:00Z'), play('yesterday')]), message: /entry 2: ts "yesterday" is not a time/ },
    {
      label: "another account's endsong file",
      name: 'endsong_0.json',
      content: JSON.stringify([play('2019-03-04T10:00:00Z', { username: 'someone-else' })]),
      message: /another Spotify account/,
    },
  ])('$label is found before anything is stored: the import fails with the reason', async ({ name, content, message }) => {
    const before = await snapshot();
    const res = await upload([
      { name: 'Streaming_History_Audio_2021_1.json', content: goodHistory },
      { name: name ?? 'Streaming_History_Audio_2021_0.json', content },
    ]);
    expect(res.status).toBe(202);
    const importId = res.body.importId as string;
    const result = (await h.client.workflow.getHandle(historyImportWorkflowId(accountId, importId)).result()) as HistoryImportStatus;
    expect(result.state).toBe('failed');
    expect(result.error).toMatch(message);
    expect(result.error).toMatch(/nothing was imported/);
    expect(await snapshot()).toEqual(before);
    const followed = await app.request(`/api/history/imports/${importId}`);
    expect(followed.status).toBe(200);
    expect(await followed.json()).toMatchObject({ state: 'failed', plays: 0, error: expect.stringMatching(message) });
    const page = await app.request(`/history/import/${importId}`);
    expect(await page.text()).toMatch(/Refused/);
  });

  it('answers 415 for a body that is not an upload, 400 for an upload without files, 404 for an unknown import', async () => {
    const json = await app.request('/api/history/imports', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    const form = new FormData();
    form.append('accountId', accountId);
    const empty = await app.request('/api/history/imports', { method: 'POST', body: form });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(/No file in the upload/);
    const unknown = await app.request('/api/history/imports/6f1c3e0a-1111-4222-8333-944455556666');
    expect(unknown.status).toBe(404);
    const malformed = await app.request('/api/history/imports/nope');
    expect(malformed.status).toBe(400);
  });
});
