import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { incrementalSyncScheduleId, restoreWorkflowId } from '../../src/ids.js';
import { readPlaylistVersion } from '../../src/versions/version-store.js';
import { ScopeRequiredError, startRestore, type RestoreTarget } from '../../src/restores/restores.js';
import { openSpotifySession } from '../../activities/shared/spotify-session.js';
import { accountTokenStore } from '../../activities/store/account-token-store.js';
import type { RestoreStatus } from '../../workflows/contract.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { createApp } from '../../src/api/create-app.js';
import { artifactPath, launchChromium, startHarnessApi } from '../helpers/browser.js';

interface TruthPlaylist {
  id: string;
  name: string;
  ownerId: string;
  itemsAccessible: boolean;
  items: string[];
  entryUris: (string | null)[];
}
interface Truth {
  savedTracks: string[];
  playlists: TruthPlaylist[];
}

let h: Harness;
let accountId: string;
let demoUserId: string;
let worker: { stop(): Promise<void> };
let initialIds: Set<string>;

beforeAll(async () => {
  h = await createHarness({ sim: { seed: 24, tracks: 150, playlists: 8, appMode: 'development' } });
  worker = await h.startWorker();
  ({ accountId } = await h.connect());
  await initialSyncHandle(h.client, accountId).result();
  initialIds = new Set((await truth()).playlists.map((p) => p.id));
  demoUserId = (await h.db.db('accounts').where({ id: accountId }).first('spotify_user_id'))!.spotify_user_id;
}, 120_000);

afterAll(async () => {
  await h?.client.schedule
    .getHandle(incrementalSyncScheduleId(accountId))
    .delete()
    .catch(() => undefined);
  await h?.close();
});

let runs = 0;
async function runIncremental(): Promise<void> {
  runs += 1;
  await h.client.workflow.execute('incrementalSyncWorkflow', {
    taskQueue: h.config.temporal.taskQueue,
    workflowId: `incremental-sync:${accountId}:tm-${runs}`,
    args: [{ accountId }],
  });
}

const truth = () => h.simRequest<Truth>('/_sim/truth');
/** The user's own Spotify client (the account's tokens), to edit playlists as the user would. */
const userClient = () => openSpotifySession({ db: h.db.db, config: h.config, cipher: h.cipher }, accountId).client;
const trackUris = (p: TruthPlaylist) => p.items.map((id) => `spotify:track:${id}`);

async function deletePlaylistAsUser(playlistId: string): Promise<void> {
  await userClient().getMe(); // a fresh access token
  const { accessToken } = await accountTokenStore(h.db.db, h.cipher, accountId).load();
  const answer = await fetch(`${h.sim.url}/v1/me/library?uris=spotify:playlist:${playlistId}`, { method: 'DELETE', headers: { authorization: `Bearer ${accessToken}` } });
  expect(answer.status).toBe(200);
}

async function restore(target: RestoreTarget, idempotencyKey?: string) {
  const started = await startRestore({ db: h.db.db, workflows: async () => ({ client: h.client, config: h.config }) }, { accountId, target, idempotencyKey, actor: 'cli' });
  const status = (await h.client.workflow.getHandle(restoreWorkflowId(accountId, started.restoreId)).result()) as RestoreStatus;
  const row = await h.db.db('restores').where({ id: started.restoreId }).first();
  return { started, status, row };
}

const api = () => createApp({ db: h.db.db, config: h.config, temporal: async () => h.client });
async function apiJson<T = Record<string, unknown>>(
  path: string,
  init?: { method?: string; body?: unknown; headers?: Record<string, string> },
): Promise<{ status: number; body: T }> {
  const res = await api().request(`http://127.0.0.1:3000${path}`, {
    method: init?.method ?? 'GET',
    headers: { host: '127.0.0.1:3000', ...(init?.body === undefined ? {} : { 'content-type': 'application/json' }), ...init?.headers },
    ...(init?.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const owned = async () => (await truth()).playlists.filter((p) => p.ownerId === demoUserId && p.items.length > 3);
/** An entry the Web API can add again (not a local file, not unavailable). */
const restorableUri = (u: string | null): u is string => u !== null && !u.startsWith('spotify:local:');
/** The owned playlists, those holding entries other than tracks (episodes, local files, unavailable) first. */
const ownedMixedFirst = async () => (await owned()).sort((x, y) => Number(y.entryUris.length > y.items.length) - Number(x.entryUris.length > x.items.length));

describe('time machine', () => {
  let historyPlaylist: TruthPlaylist;
  const seen: { name: string; uris: (string | null)[] }[] = [];

  it('a playlist edited, emptied, renamed and deleted over incremental runs has every version, each equal to what Spotify held then', async () => {
    historyPlaylist = (await ownedMixedFirst())[0]!;
    // It holds more than tracks (an episode, a local file or an unavailable entry), and every version keeps those too.
    expect(historyPlaylist.entryUris.length).toBeGreaterThan(historyPlaylist.items.length);
    const id = historyPlaylist.id;
    seen.push({ name: historyPlaylist.name, uris: historyPlaylist.entryUris });
    const client = userClient();
    const savedUris = (await truth()).savedTracks.slice(0, 3).map((t) => `spotify:track:${t}`);

    await client.addPlaylistItems(id, savedUris);
    await runIncremental();
    let now = (await truth()).playlists.find((p) => p.id === id)!;
    seen.push({ name: now.name, uris: now.entryUris });

    await client.replacePlaylistItems(id, []);
    await runIncremental();
    now = (await truth()).playlists.find((p) => p.id === id)!;
    expect(now.items).toEqual([]);
    seen.push({ name: now.name, uris: [] });

    await client.updatePlaylist(id, { name: 'Renamed by a slip' });
    await runIncremental();
    seen.push({ name: 'Renamed by a slip', uris: [] });

    await deletePlaylistAsUser(id);
    await runIncremental();

    for (const [i, expected] of seen.entries()) {
      const version = await readPlaylistVersion(h.db.db, accountId, id, i + 1);
      expect(version?.event).toBe('version');
      expect(version?.name).toBe(expected.name);
      expect(version?.entries.map((e) => e.u)).toEqual(expected.uris);
    }
    const last = await readPlaylistVersion(h.db.db, accountId, id, seen.length + 1);
    expect(last?.event).toBe('deleted');
    expect(await readPlaylistVersion(h.db.db, accountId, id, seen.length + 2)).toBeUndefined();
    // The second version is stored as changes against the first, not as a copy.
    const stored = await h.db.db('playlist_versions').where({ account_id: accountId, playlist_id: id, version: 2 }).first('base_version');
    expect(stored.base_version).toBe(1);
    const log = await h.db.db('library_changes').where({ account_id: accountId, kind: 'playlist', item_id: id }).orderBy('id').pluck('change');
    expect(log).toEqual(['added', 'edited', 'edited', 'edited', 'deleted']);
  }, 180_000);

  it('the API lists the versions, reads one as it was, diffs two, and shows the change log', async () => {
    const id = historyPlaylist.id;
    const versions = await apiJson<{ items: { version: number; name: string; added: number; removed: number }[] }>(`/api/library/playlists/${id}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.items.map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
    expect(versions.body.items[3]).toMatchObject({ version: 2, added: 3, removed: 0 });
    const page = await apiJson<{ entries: { position: number; uri: string }[]; total: number; nextCursor: string | null }>(`/api/library/playlists/${id}/versions/2?limit=2`);
    expect(page.body.total).toBe(seen[1]!.uris.length);
    expect(page.body.entries.map((e) => e.uri)).toEqual(seen[1]!.uris.slice(0, 2));
    const next = await apiJson<{ entries: { position: number; uri: string }[] }>(`/api/library/playlists/${id}/versions/2?limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body.entries.map((e) => e.position)).toEqual([2, 3]);
    const diff = await apiJson<{ added: { uri: string }[]; removed: { uri: string }[]; details: Record<string, unknown> }>(`/api/library/playlists/${id}/diff?from=2&to=4`);
    expect(diff.body.added).toEqual([]);
    expect(diff.body.removed.map((r) => r.uri)).toEqual(seen[1]!.uris);
    expect(diff.body.details).toEqual({ name: { from: seen[1]!.name, to: 'Renamed by a slip' } });
    const changes = await apiJson<{ items: { kind: string; change: string; itemId: string }[] }>('/api/library/changes?kind=playlist&change=deleted');
    expect(changes.body.items).toEqual([expect.objectContaining({ kind: 'playlist', change: 'deleted', itemId: id })]);
    expect((await apiJson('/api/library/playlists/nope/versions/99')).status).toBe(404);
    // The dry run shows the plan first: what is added, and how many calls.
    const plan = await apiJson<{ plan: { action: string; add: unknown[]; calls: number; notRestorable: { uri: string | null; reason: string }[] } }>('/api/restores', {
      method: 'POST',
      body: { target: { kind: 'playlist', playlistId: id, version: 2 }, dryRun: true },
    });
    expect(plan.status).toBe(200);
    expect(plan.body.plan).toMatchObject({ action: 'recreate', add: expect.any(Array) });
    const restorable = seen[1]!.uris.filter(restorableUri);
    expect(plan.body.plan.add).toHaveLength(restorable.length);
    // Local files and unavailable entries are listed as not restorable, each with why.
    expect(plan.body.plan.notRestorable.map((n) => n.uri)).toEqual(seen[1]!.uris.filter((u) => !restorableUri(u)));
    for (const n of plan.body.plan.notRestorable) expect(n.reason).toMatch(n.uri === null ? /^unavailable/ : /^local file/);
    // The pages: the timeline, a diff, the playlist as it was with the restore plan; the change log.
    const history = await api().request(`http://127.0.0.1:3000/playlists/${id}/history?from=2&to=4&version=2`, { headers: { host: '127.0.0.1:3000' } });
    expect(history.status).toBe(200);
    const html = await history.text();
    expect(html.match(/data-testid="version"/g)).toHaveLength(5);
    expect(html).toContain('data-testid="diff"');
    // The diff names entries by title, as the versions stored them, not by their Spotify uri.
    const removedItems = [...html.matchAll(/data-testid="diff-removed">([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
    expect(removedItems).toHaveLength(seen[1]!.uris.length);
    const v2 = await apiJson<{ entries: { uri: string | null; name: string | null }[] }>(`/api/library/playlists/${id}/versions/2?limit=100`);
    const firstTrack = v2.body.entries.find((e) => e.uri?.startsWith('spotify:track:') && e.name)!;
    expect(removedItems.some((item) => item.includes(firstTrack.name!))).toBe(true);
    expect(removedItems.filter((item) => item.includes('spotify:track:'))).toEqual([]);
    expect(html).toContain('data-testid="restore-plan"');
    expect(html).toContain('<strong>recreate</strong>');
    const changesPage = await (await api().request('http://127.0.0.1:3000/library/changes?kind=playlist', { headers: { host: '127.0.0.1:3000' } })).text();
    expect(changesPage.match(/data-testid="change"/g)?.length).toBeGreaterThanOrEqual(5);
    // A create, the writes of 100, a read of the playlist before each step of up to 10 writes, then the playlist and its pages read back.
    const writes = Math.ceil(restorable.length / 100);
    expect(plan.body.plan.calls).toBe(1 + writes + Math.max(1, Math.ceil(writes / 10)) + 1 + Math.max(1, Math.ceil(restorable.length / 50)));
  }, 60_000);

  it('the history page with its diff and restore plan fits a phone and a desktop (screenshots)', async () => {
    const running = await startHarnessApi(h);
    const browser = await launchChromium();
    try {
      for (const [name, width, height] of [
        ['phone', 390, 844],
        ['desktop', 1280, 900],
      ] as const) {
        const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
        await page.goto(`${running.url}/playlists/${historyPlaylist.id}/history?from=2&to=4&version=2`);
        await page.locator('[data-testid="restore-plan"]').waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await page.screenshot({ path: await artifactPath(`time-machine-history-${name}.png`), fullPage: true });
        await page.goto(`${running.url}/library/changes`);
        await page.screenshot({ path: await artifactPath(`time-machine-changes-${name}.png`) });
      }
    } finally {
      await browser.close();
      await running.close();
    }
  }, 90_000);

  it('a restore without the write scopes answers scope_required and changes nothing', async () => {
    await h.db.db('accounts').where({ id: accountId }).update({ granted_scopes: 'user-library-read playlist-read-private' });
    const before = await truth();
    await expect(
      startRestore(
        { db: h.db.db, workflows: async () => ({ client: h.client, config: h.config }) },
        { accountId, target: { kind: 'playlist', playlistId: historyPlaylist.id }, actor: 'cli' },
      ),
    ).rejects.toBeInstanceOf(ScopeRequiredError);
    const refused = await apiJson<{ error: { code: string }; loginUrl: string }>('/api/restores', {
      method: 'POST',
      body: { target: { kind: 'playlist', playlistId: historyPlaylist.id } },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('scope_required');
    expect(refused.body.loginUrl).toBe('/auth/login?scopes=restore');
    expect(await h.db.db('restores').where({ account_id: accountId })).toHaveLength(0);
    expect(await truth()).toEqual(before);
    // The demo login grants them (incremental consent is for real logins).
    await h.connect();
    expect((await h.db.db('accounts').where({ id: accountId }).first('granted_scopes'))!.granted_scopes).toContain('playlist-modify-private');
  }, 60_000);

  it('the deleted playlist is recreated as it was at a version, verified; the Idempotency-Key makes a repeat the same restore', async () => {
    const { started, status, row } = await restore({ kind: 'playlist', playlistId: historyPlaylist.id, version: 2 }, 'restore-deleted-once');
    expect(status.state).toBe('complete');
    expect(status.verified).toBe(true);
    expect(row.result.created).toBe(true);
    // The plan shown first counted the calls the restore made.
    expect(row.api_calls).toBe(row.plan.calls);
    const recreated = (await truth()).playlists.find((p) => p.id === row.result.playlistId)!;
    expect(recreated.name).toBe(seen[1]!.name);
    expect(recreated.entryUris).toEqual(seen[1]!.uris.filter(restorableUri));
    const again = await startRestore(
      { db: h.db.db, workflows: async () => ({ client: h.client, config: h.config }) },
      {
        accountId,
        target: { kind: 'playlist', playlistId: historyPlaylist.id, version: 2 },
        idempotencyKey: 'restore-deleted-once',
        actor: 'cli',
      },
    );
    expect(again).toEqual({ restoreId: started.restoreId, repeated: true });
    // The start is in the household's security log, once: the repeat started nothing.
    const logged = await h.db.db('audit_events').where({ account_id: accountId, event: 'restore' }).select('actor', 'detail');
    expect(logged).toEqual([{ actor: 'cli', detail: `playlist ${historyPlaylist.id} version 2: recreate` }]);
  }, 120_000);

  it('an edited playlist is rolled back, and a write whose answer was lost is not made twice', async () => {
    // One the initial sync saw (its first version is from then), other than the one above.
    const target = (await owned()).find((p) => p.id !== historyPlaylist.id && initialIds.has(p.id))!;
    const client = userClient();
    await client.addPlaylistItems(
      target.id,
      (await truth()).savedTracks.slice(5, 8).map((t) => `spotify:track:${t}`),
    );
    await client.replacePlaylistItems(target.id, trackUris(target).slice(2, 4));
    await runIncremental();
    // The worker's second playlist write reaches Spotify but its answer is lost (a crash between the write and its checkpoint).
    let posts = 0;
    const lossy: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (init?.method === 'PUT' && String(input).includes('/items')) {
        posts += 1;
        if (posts === 1) throw new TypeError('fetch failed');
      }
      return answer;
    };
    await worker.stop();
    const lossyWorker = await h.startWorker({}, { fetch: lossy });
    try {
      const { status } = await restore({ kind: 'playlist', playlistId: target.id, version: 1 });
      expect(status.state).toBe('complete');
      expect(status.verified).toBe(true);
      expect(posts).toBe(1);
    } finally {
      await lossyWorker.stop();
      worker = await h.startWorker();
    }
    const now = (await truth()).playlists.find((p) => p.id === target.id)!;
    expect(now.items).toEqual(target.items);
  }, 120_000);

  it('saved tracks removed since a date are saved again', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const removed = (await h.simRequest<{ removedTracks: string[] }>('/_sim/mutate', { body: { removeTracks: 4 } })).removedTracks;
    await runIncremental();
    const { status, row } = await restore({ kind: 'saved', since, kinds: ['track'] });
    expect(status.verified).toBe(true);
    expect([...row.target_uris].sort()).toEqual(removed.map((t) => `spotify:track:${t}`).sort());
    const saved = new Set((await truth()).savedTracks);
    expect(removed.every((t) => saved.has(t))).toBe(true);
  }, 120_000);

  it('a followed playlist that was deleted from the library is followed again, verified', async () => {
    const followed = (await truth()).playlists.find((p) => p.ownerId !== demoUserId && initialIds.has(p.id))!;
    await deletePlaylistAsUser(followed.id);
    await runIncremental();
    expect((await truth()).playlists.map((p) => p.id)).not.toContain(followed.id);
    const { status, row } = await restore({ kind: 'playlist', playlistId: followed.id });
    expect(row.plan.action).toBe('follow');
    expect(status).toMatchObject({ state: 'complete', verified: true });
    expect((await truth()).playlists.map((p) => p.id)).toContain(followed.id);
  }, 120_000);

  it('the pages restore: the plan first, a same-origin form starts it, its page shows it verified; a cross-site form is refused', async () => {
    const page = (path: string, init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {}) =>
      api().request(`http://127.0.0.1:3000${path}`, {
        method: init.method ?? 'GET',
        headers: { host: '127.0.0.1:3000', ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers },
        ...(init.body ? { body: init.body } : {}),
      });
    // The history page of a playlist's version carries the form that starts its restore.
    const history = await (await page(`/playlists/${historyPlaylist.id}/history?version=2`)).text();
    expect(history).toContain('data-testid="restore-form"');
    expect(history).toContain('name="version" value="2"');
    // The change log offers saving again what was removed since a date: the plan first.
    expect(await (await page('/library/changes')).text()).toContain('data-testid="restore-saved-form"');
    const since = new Date(Date.now() - 1000).toISOString();
    const removed = (await h.simRequest<{ removedTracks: string[] }>('/_sim/mutate', { body: { removeTracks: 2 } })).removedTracks;
    await runIncremental();
    const plan = await page(`/restores/saved?since=${encodeURIComponent(since)}`);
    expect(plan.status).toBe(200);
    const planHtml = await plan.text();
    for (const t of removed) expect(planHtml).toContain(`spotify:track:${t}`);
    const body = new URLSearchParams({ kind: 'saved', since });
    const restoresBefore = await h.db.db('restores').where({ account_id: accountId }).count<{ count: string }[]>('* as count');
    // A form posted from another site starts nothing.
    expect((await page('/restores', { method: 'POST', body, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect(await h.db.db('restores').where({ account_id: accountId }).count<{ count: string }[]>('* as count')).toEqual(restoresBefore);
    const started = await page('/restores', { method: 'POST', body, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(started.status).toBe(303);
    const location = started.headers.get('location')!;
    expect(location).toMatch(/^\/restores\/[0-9a-f-]{36}/);
    await expect.poll(async () => (await (await page(location)).text()).includes('data-state="complete"'), { timeout: 60_000, interval: 300 }).toBe(true);
    const done = await (await page(location)).text();
    expect(done).toContain('Verified: read back from Spotify');
    const saved = new Set((await truth()).savedTracks);
    expect(removed.every((t) => saved.has(t))).toBe(true);
  }, 120_000);

  it('a quota 429 mid-restore is waited out durably, then the restore ends verified', async () => {
    const target = (await owned()).find((p) => p.id !== historyPlaylist.id && initialIds.has(p.id) && p.items.length > 2)!;
    const original = await readPlaylistVersion(h.db.db, accountId, target.id);
    await userClient().replacePlaylistItems(target.id, []);
    await runIncremental();
    await h.simRequest('/_sim/config', { method: 'POST', body: { quota: { perDay: 2, retryAfterSeconds: 2 } } });
    const started = await apiJson<{ restoreId: string }>('/api/restores', {
      method: 'POST',
      body: { target: { kind: 'playlist', playlistId: target.id, version: original!.version } },
    });
    expect(started.status).toBe(202);
    // Started through the API: the security log names who (the open instance here), what and from where.
    const line = await h.db.db('audit_events').where({ account_id: accountId, event: 'restore' }).orderBy('id', 'desc').first('actor', 'detail', 'client');
    expect(line).toEqual({ actor: 'open instance', detail: `playlist ${target.id} version ${original!.version}: rollback`, client: expect.any(String) });
    await expect.poll(async () => (await h.db.db('restores').where({ id: started.body.restoreId }).first('state'))!.state, { timeout: 30_000, interval: 200 }).toBe('rate_limited');
    await h.simRequest('/_sim/config', { method: 'POST', body: { quota: null } });
    const status = (await h.client.workflow.getHandle(restoreWorkflowId(accountId, started.body.restoreId)).result()) as RestoreStatus;
    expect(status).toMatchObject({ state: 'complete', verified: true });
    const shown = await apiJson<{ state: string; result: { verified: boolean } }>(`/api/restores/${started.body.restoreId}`);
    expect(shown.body).toMatchObject({ state: 'complete', result: { verified: true } });
    expect((await truth()).playlists.find((p) => p.id === target.id)!.items).toEqual(target.items);
  }, 120_000);
});
