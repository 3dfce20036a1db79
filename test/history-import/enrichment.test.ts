import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStubs } from '../../activities/store/stub-queries.js';
import { historyImportWorkflowId } from '../../src/ids.js';
import { historyImportStatusQuery, pauseSignal, resumeSignal } from '../../workflows/contract.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { downloadExport, importResult, startImport, syncedAccount, type DownloadedExport } from '../helpers/history-import.js';

let h: Harness;
let accountId: string;
let exported: DownloadedExport;
beforeAll(async () => {
  h = await createHarness({ sim: { seed: 42, tracks: 300, playlists: 8, appMode: 'extended' } });
  await h.startWorker();
  accountId = await syncedAccount(h);
  exported = await downloadExport(h);
});
afterAll(async () => h?.close());

interface Stats {
  requests: { total: number; byEndpoint: Record<string, { ok: number; total: number }> };
}

describe('an import in extended mode enriches what its tracks brought in, batched', () => {
  it('pauses and resumes, ends complete with no stub left, and spends the fewest calls: 50 tracks, 50 artists, 20 albums a call', async () => {
    const { truth } = exported;
    const detailed = async (table: 'artists' | 'albums') => new Set(await h.db.db(table).whereNotNull('details_synced_at').pluck('id'));
    const [artistsBefore, albumsBefore] = [await detailed('artists'), await detailed('albums')];
    const newArtists = truth.unknownTrackCatalog.artists.filter((id) => !artistsBefore.has(id));
    const newAlbums = truth.unknownTrackCatalog.albums.filter((id) => !albumsBefore.has(id));
    expect(newArtists.length + newAlbums.length).toBeGreaterThan(0);
    const statsBefore = await h.simRequest<Stats>('/_sim/stats');

    const started = await startImport(h, accountId, [exported.extended, exported.account]);
    const handle = h.client.workflow.getHandle(historyImportWorkflowId(accountId, started.importId));
    // A pause holds the import wherever it is; resume carries it to the end.
    await handle.signal(pauseSignal);
    await expect.poll(async () => (await handle.query(historyImportStatusQuery)).state, { timeout: 30_000 }).toBe('paused');
    await handle.signal(resumeSignal);
    const result = await importResult(h, accountId, started.importId);
    expect(result).toMatchObject({ state: 'complete', phase: 'complete' });

    expect(await h.db.db('artists').whereIn('id', truth.unknownTrackCatalog.artists).whereNull('details_synced_at').pluck('id')).toEqual([]);
    expect(await h.db.db('albums').whereIn('id', truth.unknownTrackCatalog.albums).whereNull('details_synced_at').pluck('id')).toEqual([]);
    expect(await countStubs(h.db.db, 'artists', accountId)).toBe(0);
    expect(await countStubs(h.db.db, 'albums', accountId)).toBe(0);

    const lookups = truth.unknownTrackIds.length + truth.goneTrackIds.length;
    const minimum = Math.ceil(lookups / 50) + Math.ceil(newArtists.length / 50) + Math.ceil(newAlbums.length / 20);
    expect(result.counts.apiCalls).toBe(minimum);
    const stats = await h.simRequest<Stats>('/_sim/stats');
    const spent = (endpoint: string) => (stats.requests.byEndpoint[endpoint]?.ok ?? 0) - (statsBefore.requests.byEndpoint[endpoint]?.ok ?? 0);
    expect(spent('GET /v1/artists')).toBe(Math.ceil(newArtists.length / 50));
    expect(spent('GET /v1/albums')).toBe(Math.ceil(newAlbums.length / 20));
    expect(spent('GET /v1/artists/{id}') + spent('GET /v1/albums/{id}')).toBe(0);

    // The Temporal UI and the status saw the enrichment as a phase of its own.
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(scheduled).toContain('enrichHistoryImportBatch');
    expect(scheduled.lastIndexOf('resolveHistoryImportBatch')).toBeLessThan(scheduled.indexOf('enrichHistoryImportBatch'));
    const states = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a) => a?.activityType?.name === 'recordHistoryImportState')
      .map((a) => JSON.stringify(a?.input?.payloads?.[0]?.data ? Buffer.from(a.input.payloads[0].data).toString() : ''));
    expect(states.some((s) => s.includes('enriching'))).toBe(true);
  });
});
