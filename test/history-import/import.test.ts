import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/api/create-app.js';
import { DEMO_CLIENT_ID } from '../../src/spotify/accounts.js';
import { historyImportWorkflowId } from '../../src/ids.js';
import { countStubs } from '../../activities/store/stub-queries.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { downloadExport, importResult, pairPlays, startImport, storedPlays, syncedAccount, type DownloadedExport } from '../helpers/history-import.js';

let h: Harness;
let accountId: string;
let exported: DownloadedExport;
beforeAll(async () => {
  h = await createHarness({ sim: { seed: 42, tracks: 300, playlists: 8, appMode: 'development' } });
  await h.startWorker();
  accountId = await syncedAccount(h);
  exported = await downloadExport(h);
});
afterAll(async () => h?.close());

describe('importing the data exports of a synced, polled account', () => {
  it('stores every play once, as what it is, with what the export knows', async () => {
    const { truth } = exported;
    const polledBefore = await storedPlays(h, accountId);
    expect(polledBefore.length).toBe(truth.plays.filter((p) => p.polled).length);
    const callsBefore = (await h.simRequest<{ requests: { total: number } }>('/_sim/stats')).requests.total;
    // What the catalog already held with details: the unknown tracks' artists and albums among them cost no call.
    const detailedBefore = {
      artists: new Set(await h.db.db('artists').whereNotNull('details_synced_at').pluck('id')),
      albums: new Set(await h.db.db('albums').whereNotNull('details_synced_at').pluck('id')),
    };

    const started = await startImport(h, accountId, [exported.extended, exported.account]);
    expect(started.ignored.sort()).toEqual(['Spotify Account Data/Playlist1.json', 'Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf']);
    const result = await importResult(h, accountId, started.importId);
    expect(result.state).toBe('complete');
    await recordHistoryFixture(h.client, 'historyImportWorkflow--development-enriched', historyImportWorkflowId(accountId, started.importId));

    const rows = await storedPlays(h, accountId);
    // Every play the simulator says happened is stored exactly once, and nothing else is.
    const { missing, extra } = pairPlays(truth.plays, rows);
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
    expect(rows.length).toBe(truth.plays.length);

    // Polled plays were not stored twice: they are the same rows, now with the export's duration.
    const polled = rows.filter((r) => r.source === 'poll');
    expect(polled.length).toBe(polledBefore.length);
    expect(polled.every((r) => r.ms_played !== null && r.ms_played >= 30_000)).toBe(true);

    expect(rows.filter((r) => r.is_short).length).toBe(truth.plays.filter((p) => p.short).length);
    expect(rows.filter((r) => r.content_type === 'episode').length).toBe(truth.plays.filter((p) => p.contentType === 'episode').length);
    expect(rows.filter((r) => r.content_type === 'audiobook').length).toBe(truth.plays.filter((p) => p.contentType === 'audiobook').length);
    expect(rows.filter((r) => r.content_type !== 'track').every((r) => r.track_id === null && r.unresolved_reason === null)).toBe(true);
    expect(rows.filter((r) => r.incognito).length).toBe(truth.plays.filter((p) => p.incognito).length);
    // Plays of the video file are told apart; streams of one thing ending in the same second stay apart.
    expect(truth.plays.filter((p) => p.medium === 'video').length).toBeGreaterThan(0);
    // Account data's audiobook file repeats chapters the extended history holds: each is one row (counted above).
    expect(truth.plays.filter((p) => p.contentType === 'audiobook' && p.in === 'both').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.medium === 'video').length).toBe(truth.plays.filter((p) => p.medium === 'video').length);
    const sameSecond = (keys: string[]) => keys.length - new Set(keys).size;
    const truthTwins = sameSecond(truth.plays.filter((p) => p.uri !== null).map((p) => `${Date.parse(p.endedAt)} ${p.uri}`));
    expect(truthTwins).toBeGreaterThan(0);
    expect(sameSecond(rows.filter((r) => r.spotify_uri !== null && r.source !== 'poll').map((r) => `${r.played_at.getTime()} ${r.spotify_uri}`))).toBe(truthTwins);

    // Unresolved only where the simulator made it so: tracks Spotify no longer has, names matching nothing.
    const unresolved = rows.filter((r) => r.content_type === 'track' && r.track_id === null);
    expect(unresolved.every((r) => r.unresolved_reason !== null && r.track_name !== null)).toBe(true);
    expect(unresolved.length).toBe(truth.plays.filter((p) => p.contentType === 'track' && p.trackId === null).length);

    // The unknown tracks' artists and albums are in the catalog as the simulator has them, none a stub.
    const { unknownTrackCatalog } = truth;
    expect(truth.unknownTrackIds.length).toBeGreaterThan(0);
    const creditedArtists = [
      ...(await h.db.db('track_artists').whereIn('track_id', truth.unknownTrackIds).pluck('artist_id')),
      ...(await h.db.db('album_artists as aa').join('tracks as t', 't.album_id', 'aa.album_id').whereIn('t.id', truth.unknownTrackIds).pluck('aa.artist_id')),
    ];
    expect([...new Set(creditedArtists)].sort()).toEqual(unknownTrackCatalog.artists);
    expect((await h.db.db('tracks').whereIn('id', truth.unknownTrackIds).distinct('album_id').pluck('album_id')).sort()).toEqual(unknownTrackCatalog.albums);
    expect(await h.db.db('artists').whereIn('id', unknownTrackCatalog.artists).whereNull('details_synced_at').pluck('id')).toEqual([]);
    expect(await h.db.db('albums').whereIn('id', unknownTrackCatalog.albums).whereNull('details_synced_at').pluck('id')).toEqual([]);
    // No stub is left anywhere in the account's catalog: library, playlists and history alike.
    expect(await countStubs(h.db.db, 'artists', accountId)).toBe(0);
    expect(await countStubs(h.db.db, 'albums', accountId)).toBe(0);

    // One lookup per track the library lacked (development mode: one call each), plus one per artist and
    // album those tracks brought in, no more.
    const newArtists = unknownTrackCatalog.artists.filter((id) => !detailedBefore.artists.has(id));
    const newAlbums = unknownTrackCatalog.albums.filter((id) => !detailedBefore.albums.has(id));
    expect(newArtists.length + newAlbums.length).toBeGreaterThan(0);
    const imported = (await h.db.db('history_imports').where({ id: started.importId }).first())!;
    expect(imported.api_calls).toBe(truth.unknownTrackIds.length + truth.goneTrackIds.length + newArtists.length + newAlbums.length);
    expect(result.counts.apiCalls).toBe(imported.api_calls);
    const callsAfter = (await h.simRequest<{ requests: { total: number } }>('/_sim/stats')).requests.total;
    expect(callsAfter - callsBefore).toBeGreaterThanOrEqual(imported.api_calls);
    expect(imported).toMatchObject({ state: 'complete', plays: truth.plays.length - polled.length, unresolved: unresolved.length });
    expect(result.counts).toMatchObject({ plays: imported.plays, duplicates: imported.duplicates, unresolved: unresolved.length });

    // The export's IP addresses are never stored.
    const everything = await h.db.db('play_history').where({ account_id: accountId });
    expect(JSON.stringify(everything)).not.toContain('192.0.2.44');

    // The Temporal UI shows the import as such.
    const description = await h.client.workflow.getHandle(historyImportWorkflowId(accountId, started.importId)).describe();
    expect(description.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
      expect.arrayContaining([
        ['AccountId', accountId],
        ['SyncPhase', 'import'],
        ['SyncState', 'complete'],
      ]),
    );
  });

  it('adds nothing when the same files are imported again', async () => {
    const before = await storedPlays(h, accountId);
    const again = await startImport(h, accountId, [exported.extended, exported.account]);
    const result = await importResult(h, accountId, again.importId);
    expect(result.state).toBe('complete');
    expect(result.counts.plays).toBe(0);
    expect(result.counts.apiCalls).toBe(0);
    const after = await storedPlays(h, accountId);
    expect(after.length).toBe(before.length);
    const files = await h.db.db('history_import_files').where({ import_id: again.importId });
    const entries = files.reduce((sum, f) => sum + f.entries_total!, 0);
    expect(result.counts.duplicates + result.counts.skipped).toBe(entries);
  });

  it('in demo mode the page offers the simulator’s export, and shows the import’s progress until it is complete', async () => {
    const uploads = await mkdtemp(join(tmpdir(), 'uploads-'));
    // A real app (its own client id) is offered no demo export.
    const real = createApp({
      db: h.db.db,
      config: { ...h.config, historyImportDir: uploads, spotify: { ...h.config.spotify, clientId: 'a-real-app' } },
      temporal: async () => h.client,
    });
    expect(await (await real.request('/history/import')).text()).not.toContain('id="demo-form"');
    expect((await real.request('/history/import/demo', { method: 'POST' })).status).toBe(404);
    // Demo mode as `npm run dev` sets it up: the demo app's client id, the simulator as Spotify.
    const config = { ...h.config, historyImportDir: uploads, spotify: { ...h.config.spotify, clientId: DEMO_CLIENT_ID } };
    const app = createApp({ db: h.db.db, config, temporal: async () => h.client });
    const form = await app.request('/history/import');
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('id="upload-form"');
    expect(html).toContain('id="demo-form"');

    const started = await app.request('/history/import/demo', { method: 'POST' });
    expect(started.status).toBe(303);
    const location = started.headers.get('location') as string;
    const importId = location.split('/').at(-1) as string;
    await importResult(h, accountId, importId);
    const page = await (await app.request(location)).text();
    expect(page).toContain('data-state="complete"');
    expect(page).toContain('ReadMeFirst_ExtendedStreamingHistory.pdf');
    const status = (await (await app.request(`/api/sync/status?accountId=${accountId}`)).json()) as { import?: { importId: string; state: string; plays: number } };
    expect(status.import).toMatchObject({ importId, state: 'complete', plays: 0 });
  });
});
