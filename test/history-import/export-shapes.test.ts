import { mkdir, mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { historyImportWorkflowId } from '../../src/ids.js';
import type { HistoryImportStatus } from '../../workflows/contract.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { downloadExport, importResult, pairPlays, startImport, storedPlays, syncedAccount } from '../helpers/history-import.js';

/**
 * Shapes of real exports, each in a small hand-made export of its own time span (2012, long before the
 * simulator's history), counted here from the entries themselves: a stream is an entry, and entries equal
 * in every field are one stream.
 */
let h: Harness;
let accountId: string;
let username: string;
let track: { id: string; name: string };
let uploads: string;
beforeAll(async () => {
  uploads = await mkdtemp(join(tmpdir(), 'spotify-uploads-'));
  h = await createHarness({ sim: { seed: 9, tracks: 120, playlists: 3, appMode: 'development' }, env: { HISTORY_IMPORT_DIR: uploads } });
  await h.startWorker();
  accountId = await syncedAccount(h);
  username = (await h.db.db('accounts').where({ id: accountId }).first('spotify_user_id'))!.spotify_user_id;
  track = await h.db.db('tracks').orderBy('id').first('id', 'name');
});
afterAll(async () => h?.close());

const TRACK_NAME = 'Somewhere';
const ARTIST = 'Someone';
const EPISODE = 'spotify:episode:5ZG1ij0ub3ZLVB8KvcsGtS';

const entry = (ts: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ts,
  platform: 'android',
  ms_played: 200_000,
  conn_country: 'SE',
  ip_addr: '192.0.2.9',
  master_metadata_track_name: TRACK_NAME,
  master_metadata_album_artist_name: ARTIST,
  master_metadata_album_album_name: 'Something',
  spotify_track_uri: `spotify:track:${track.id}`,
  episode_name: null,
  episode_show_name: null,
  spotify_episode_uri: null,
  audiobook_title: null,
  audiobook_uri: null,
  audiobook_chapter_uri: null,
  audiobook_chapter_title: null,
  reason_start: 'trackdone',
  reason_end: 'trackdone',
  shuffle: false,
  skipped: false,
  offline: false,
  offline_timestamp: 0,
  incognito_mode: false,
  ...extra,
});
const episode = (ts: string, extra: Record<string, unknown> = {}) =>
  entry(ts, {
    master_metadata_track_name: null,
    master_metadata_album_artist_name: null,
    master_metadata_album_album_name: null,
    spotify_track_uri: null,
    episode_name: 'The First Hour',
    episode_show_name: 'Mornings',
    spotify_episode_uri: EPISODE,
    ms_played: 1_800_000,
    ...extra,
  });
const skip = { ms_played: 0, reason_start: 'clickrow', reason_end: 'fwdbtn', skipped: true };

/** Distinct streams of export files, counted from their entries: entries equal in every field are one. */
const distinct = (entries: unknown[]) => new Set(entries.map((e) => JSON.stringify(e))).size;

async function importFiles(files: Record<string, unknown>) {
  const dir = await mkdtemp(join(tmpdir(), 'export-shape-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  const started = await startImport(h, accountId, [dir]);
  const result = await importResult(h, accountId, started.importId);
  expect(result.error).toBeNull();
  expect(result.state).toBe('complete');
  return { started, result, dir };
}

const rowsIn = (from: string, to: string) => h.db.db('play_history').where({ account_id: accountId }).whereBetween('played_at', [from, to]).orderBy(['played_at', 'ms_played']);

describe('the shapes real exports have, each imported exactly', () => {
  it('reads an unnumbered endsong.json (older extended exports), and a re-import adds nothing', async () => {
    const entries = [entry('2012-01-05T10:00:00Z', { username }), entry('2012-01-05T10:04:00Z', { username })];
    const { result, started } = await importFiles({ 'endsong.json': entries });
    expect(started.files.map((f) => f.name)).toEqual(['endsong.json']);
    expect(result.counts.plays).toBe(distinct(entries));
    expect(await rowsIn('2012-01-01', '2012-01-31')).toHaveLength(distinct(entries));
    expect((await importFiles({ 'endsong.json': entries })).result.counts.plays).toBe(0);
  });

  it('imports the audiobook chapters of account data, with their minutes', async () => {
    const entries = [
      { endTime: '2012-02-03 21:10', audiobookName: 'The Long Afternoon', authorName: 'Ada Lindqvist', chapterName: 'Chapter 1', msPlayed: 1_200_000 },
      { endTime: '2012-02-03 21:40', audiobookName: 'The Long Afternoon', authorName: 'Ada Lindqvist', chapterName: 'Chapter 2', msPlayed: 1_500_000 },
      { endTime: '2012-02-04 07:02', audiobookName: 'The Long Afternoon', authorName: 'Ada Lindqvist', chapterName: 'Chapter 2', msPlayed: 300_000 },
    ];
    const { result, started } = await importFiles({ 'StreamingHistory_audiobook_0.json': entries });
    expect(started.ignored).toEqual([]);
    expect(result.counts.plays).toBe(distinct(entries));
    const rows = await rowsIn('2012-02-01', '2012-02-28');
    expect(rows.map((r) => [r.content_type, r.track_name, r.show_name])).toEqual(entries.map((e) => ['audiobook', e.chapterName, e.audiobookName]));
    expect(rows.reduce((sum, r) => sum + r.ms_played!, 0)).toBe(entries.reduce((sum, e) => sum + e.msPlayed, 0));
  });

  it('keeps streams ending in the same second apart, a repeated entry once, and account data pairs with the right stream', async () => {
    const full = entry('2012-03-04T10:00:42Z');
    const audio = [
      // A 0 ms skip listed before the full play of the same track, in the same second.
      entry('2012-03-04T10:00:42Z', skip),
      full,
      // An episode three times in one second: two skips of different lengths and the full play.
      episode('2012-03-04T11:30:07Z', skip),
      episode('2012-03-04T11:30:07Z', { ...skip, ms_played: 1_500, reason_start: 'fwdbtn' }),
      episode('2012-03-04T11:30:07Z'),
      // An entry the export repeats word for word.
      entry('2012-03-04T12:00:00Z'),
      entry('2012-03-04T12:00:00Z'),
    ];
    const extended = await importFiles({ 'Streaming_History_Audio_2012_0.json': audio });
    expect(extended.result.counts.plays).toBe(distinct(audio));
    const rows = await rowsIn('2012-03-01', '2012-03-31');
    expect(rows).toHaveLength(distinct(audio));
    expect(rows.filter((r) => r.spotify_uri === `spotify:track:${track.id}` && r.played_at.getTime() === Date.parse(full.ts as string)).map((r) => r.ms_played)).toEqual([
      0, 200_000,
    ]);

    // Account data of the same streams (the minute, the duration) and one stream the extended history lacks.
    const music = [
      { endTime: '2012-03-04 10:00', artistName: ARTIST, trackName: TRACK_NAME, msPlayed: 0 },
      { endTime: '2012-03-04 10:00', artistName: ARTIST, trackName: TRACK_NAME, msPlayed: 200_000 },
      { endTime: '2012-03-04 12:00', artistName: ARTIST, trackName: TRACK_NAME, msPlayed: 200_000 },
      { endTime: '2012-03-05 08:15', artistName: ARTIST, trackName: TRACK_NAME, msPlayed: 190_000 },
    ];
    const podcast = [{ endTime: '2012-03-04 11:30', podcastName: 'Mornings', episodeName: 'The First Hour', msPlayed: 1_800_000 }];
    const account = await importFiles({ 'StreamingHistory_music_0.json': music, 'StreamingHistory_podcast_0.json': podcast });
    expect(account.result.counts.plays).toBe(1);
    expect(account.result.counts.duplicates).toBe(music.length + podcast.length - 1);
    const after = await rowsIn('2012-03-01', '2012-03-31');
    expect(after).toHaveLength(distinct(audio) + 1);
    expect(after.filter((r) => r.source === 'account_export').map((r) => r.ms_played)).toEqual([190_000]);

    // Both again: nothing new.
    const again = await importFiles({ 'Streaming_History_Audio_2012_0.json': audio, 'StreamingHistory_music_0.json': music, 'StreamingHistory_podcast_0.json': podcast });
    expect(again.result.counts.plays).toBe(0);
    expect(await rowsIn('2012-03-01', '2012-03-31')).toHaveLength(distinct(audio) + 1);
  });

  it('imports the plays beside a damaged Userdata.json, listing it as ignored with its reason', async () => {
    const audio = [entry('2012-04-02T09:00:00Z'), entry('2012-04-02T09:05:00Z')];
    const { result, started } = await importFiles({ 'Userdata.json': `${JSON.stringify({ username })}\n}`, 'Streaming_History_Audio_2012_1.json': audio });
    expect(started.ignored).toEqual([expect.stringMatching(/^Userdata\.json \(not valid JSON: not used to check whose export this is\)$/)]);
    expect(result.counts.plays).toBe(distinct(audio));
    expect(await rowsIn('2012-04-01', '2012-04-30')).toHaveLength(distinct(audio));
  });

  it('keeps where a play came from: the video file’s track and episode plays are video', async () => {
    const video = [entry('2012-05-06T20:00:00Z'), episode('2012-05-06T21:00:00Z')];
    const audio = [entry('2012-05-07T08:00:00Z')];
    await importFiles({ 'Streaming_History_Video_2012.json': video, 'Streaming_History_Audio_2012_2.json': audio });
    const rows = await rowsIn('2012-05-01', '2012-05-31');
    expect(rows.map((r) => [r.content_type, r.medium])).toEqual([
      ['track', 'video'],
      ['episode', 'video'],
      ['track', 'audio'],
    ]);
    // The history API says so too.
    const app = createApp({ db: h.db.db, config: h.config, temporal: async () => h.client });
    const listed = (await (await app.request('/api/history/plays?from=2012-05-01&to=2012-05-31')).json()) as { items: { contentType: string; medium: string }[] };
    expect(listed.items.map((p) => [p.contentType, p.medium]).reverse()).toEqual([
      ['track', 'video'],
      ['episode', 'video'],
      ['track', 'audio'],
    ]);
  });

  it('asks Spotify about an unknown track id once: a later import remembers the answer', async () => {
    const gone = '0GoneTrack0000000000ab';
    const first = await importFiles({ 'Streaming_History_Audio_2012_3.json': [entry('2012-06-01T10:00:00Z', { spotify_track_uri: `spotify:track:${gone}` })] });
    expect(first.result.counts).toMatchObject({ plays: 1, unresolved: 1, apiCalls: 1 });
    const remembered = await h.db.db('unknown_tracks').where({ id: gone }).first();
    expect(remembered?.answered_at).toBeInstanceOf(Date);
    const second = await importFiles({ 'Streaming_History_Audio_2012_4.json': [entry('2012-06-02T10:00:00Z', { spotify_track_uri: `spotify:track:${gone}` })] });
    expect(second.result.counts).toMatchObject({ plays: 1, unresolved: 1, apiCalls: 0 });
  });

  it('reads the simulator’s export in its older shape (endsong.json) as exactly its audio plays', async () => {
    const exported = await downloadExport(h);
    const started = await startImport(h, accountId, [exported.endsong, exported.account]);
    expect(started.files.map((f) => f.name)).toContain('MyData/endsong.json');
    expect((await importResult(h, accountId, started.importId)).state).toBe('complete');
    const rows = (await storedPlays(h, accountId)).filter((r) => r.played_at.getTime() >= Date.parse('2013-01-01'));
    const audio = exported.truth.plays.filter((p) => p.medium === 'audio');
    expect(audio.length).toBeLessThan(exported.truth.plays.length);
    const { missing, extra } = pairPlays(audio, rows);
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
  });
});

describe('uploads are kept only while the import reads them', () => {
  const filesUnder = async (dir: string) => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

  async function upload(files: Record<string, unknown>): Promise<HistoryImportStatus & { workflowId: string }> {
    const app = createApp({ db: h.db.db, config: h.config, temporal: async () => h.client });
    const form = new FormData();
    for (const [name, content] of Object.entries(files)) form.append('file', new File([JSON.stringify(content)], name));
    const res = await app.request('/api/history/imports', { method: 'POST', body: form });
    expect(res.status).toBe(202);
    const { importId } = (await res.json()) as { importId: string };
    const workflowId = historyImportWorkflowId(accountId, importId);
    return { ...((await h.client.workflow.getHandle(workflowId).result()) as HistoryImportStatus), workflowId };
  }

  it('leaves no file of a completed or a refused upload under HISTORY_IMPORT_DIR, and deletes what a crash left once stale', async () => {
    expect(h.config.historyImportDir).toBe(uploads);
    const complete = await upload({
      'Userdata.json': { username },
      'Streaming_History_Audio_2012_5.json': [entry('2012-07-01T10:00:00Z')],
      'Payments.json': { payment_method: 'card' },
    });
    expect(complete.state).toBe('complete');
    expect(await filesUnder(uploads)).toEqual([]);
    await recordHistoryFixture(h.client, 'historyImportWorkflow--upload-deleted', complete.workflowId);

    const refused = await upload({ 'Streaming_History_Audio_2012_6.json': [entry('2012-07-02T10:00:00Z'), entry('yesterday')] });
    expect(refused.state).toBe('failed');
    expect(await filesUnder(uploads)).toEqual([]);

    // An upload a crash left behind two days ago goes with the next upload; a fresh one stays.
    const stale = join(uploads, 'left-by-a-crash');
    await mkdir(stale);
    await writeFile(join(stale, 'Streaming_History_Audio_2012_7.json'), '[]');
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await utimes(stale, twoDaysAgo, twoDaysAgo);
    const fresh = join(uploads, 'being-uploaded');
    await mkdir(fresh);
    await writeFile(join(fresh, 'part.json'), '[');
    await upload({ 'Streaming_History_Audio_2012_8.json': [entry('2012-07-03T10:00:00Z')] });
    expect(await filesUnder(uploads)).toEqual([join(fresh, 'part.json')]);
  });
});

describe('the pages after imports of years of history', () => {
  const app = () => createApp({ db: h.db.db, config: h.config, temporal: async () => h.client });
  const valueOf = (html: string, testId: string) => new RegExp(`value="([^"]*)"[^>]*data-testid="${testId}"`).exec(html)?.[1];

  it('opens the history on its whole span, picks bars that fit any range, and names the files of each import', async () => {
    const first = (await h.db.db('play_history').where({ account_id: accountId }).min({ at: 'played_at' }).first())?.at as Date;
    expect(first.getTime()).toBeLessThan(Date.now() - 2 * 365 * 86_400_000);
    const opened = await app().request('/history');
    expect(opened.status).toBe(200);
    const html = await opened.text();
    expect(valueOf(html, 'history-from')).toBe(first.toISOString().slice(0, 10));
    expect(html).toContain('Bars per month');

    // Daily bars asked over more than ten years: the page picks bars that fit instead of refusing.
    const daily = await app().request(`/history?from=2012-01-01&to=${new Date().toISOString().slice(0, 10)}&bucket=day`);
    expect(daily.status).toBe(200);
    expect(await daily.text()).toMatch(/Bars per month \(days would be too many bars for this range\)/);
    // The last year offers the whole history in one click.
    const year = await (await app().request(`/history?from=${new Date(Date.now() - 300 * 86_400_000).toISOString().slice(0, 10)}`)).text();
    expect(year).toContain('data-testid="history-all"');

    const form = await (await app().request('/history/import')).text();
    expect(form).toContain('deleted after 24 hours');
    const earlier = [...form.matchAll(/<li data-testid="earlier-import">([\s\S]*?)<\/li>/g)].map((m) => m[1] ?? '');
    expect(earlier.length).toBeGreaterThan(0);
    expect(earlier.some((li) => li.includes('StreamingHistory_audiobook_0.json'))).toBe(true);
    expect(earlier.some((li) => /\b1 play\b/.test(li))).toBe(true);
    expect(earlier.join('\n')).not.toMatch(/\b1 plays\b/);
  });
});
