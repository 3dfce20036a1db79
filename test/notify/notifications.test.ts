import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { notificationTitle, notifyEvents, type NotifyEvent } from '../../src/notify/events.js';
import { downloadExport, importResult, startImport } from '../helpers/history-import.js';
import { startNotifyReceiver, type NotifyReceiver, type ReceivedRequest } from '../helpers/notify-receiver.js';
import { scriptedLogin } from '../helpers/scripted-login.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { historyImportWorkflowId, initialSyncWorkflowId, playbackWorkflowId } from '../../src/ids.js';

let harness: Harness | undefined;
let receiver: NotifyReceiver | undefined;
afterEach(async () => {
  await harness?.close();
  await receiver?.close();
  harness = receiver = undefined;
});

const targets = { ntfy: '/spotify-alerts', json: '/hooks/sync', apprise: '/notify/family' } as const;
type TargetName = keyof typeof targets;
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

const eventByTitle = new Map<string, string>([...notifyEvents, 'test' as const].map((e) => [notificationTitle(e), e]));

/** Which event a request carries, as each kind of target shows it: ntfy's Title header, the JSON body's event, Apprise's title. */
function eventOf(request: Pick<ReceivedRequest, 'path' | 'headers' | 'body'>): string | undefined {
  if (request.path === targets.ntfy) return eventByTitle.get(String(request.headers.title));
  const body = JSON.parse(request.body) as { event?: string; title?: string };
  return request.path === targets.json ? body.event : eventByTitle.get(String(body.title));
}

const targetOf = (request: ReceivedRequest): TargetName | undefined => (Object.keys(targets) as TargetName[]).find((t) => targets[t] === request.path);

/** Deliveries (2xx answers) of an event per target. */
function deliveries(r: NotifyReceiver, event: NotifyEvent): Record<TargetName, number> {
  const counts = { ntfy: 0, json: 0, apprise: 0 };
  for (const request of r.delivered()) {
    const target = targetOf(request);
    if (target && eventOf(request) === event) counts[target] += 1;
  }
  return counts;
}

const once = { ntfy: 1, json: 1, apprise: 1 };
const untilDelivered = async (r: NotifyReceiver, event: NotifyEvent, count = once) => expect.poll(() => deliveries(r, event), { timeout: 90_000, interval: 250 }).toEqual(count);

describe('notifications', () => {
  it('sends each event once to ntfy, JSON and Apprise targets, retrying a target that failed, with no token in any of them', async () => {
    // Each target answers 500 to the first request of each event: every delivery below needed a retry.
    const r = (receiver = await startNotifyReceiver({ failFirstOf: (request) => `${request.path} ${eventOf(request)}` }));
    const notifyUrls = `ntfy://${r.host}${targets.ntfy},json://${r.host}${targets.json},apprise://${r.host}/family`;
    const h = (harness = await createHarness({
      sim: { seed: 31, tracks: 150, playlists: 3, appMode: 'development', config: { latencyMs: 5 } },
      // The periodic check rides on the playback poll: every 3 s here.
      env: { NOTIFY_URLS: notifyUrls, PLAYBACK_POLL_MINUTES: '0.05', NOTIFY_STALL_HOURS: '6' },
    }));
    await h.startWorker();
    const { accountId } = await h.connect();
    const tokens = new Set<string>([h.sim.demoRefreshToken]);
    const rememberTokens = async () => {
      const row = (await h.db.db('accounts').where({ id: accountId }).first())!;
      tokens.add(h.cipher.decrypt(row.refresh_token_encrypted));
      if (row.access_token_encrypted) tokens.add(h.cipher.decrypt(row.access_token_encrypted));
    };

    // needs_reauth: the initial sync and the playback both meet the revoked login; one message per target.
    await expect
      .poll(async () => Number((await h.db.db('saved_tracks').where({ account_id: accountId }).count({ n: '*' }).first())?.n), { timeout: 60_000, interval: 100 })
      .toBeGreaterThan(0);
    await rememberTokens();
    await h.simRequest('/_sim/config', { body: { revokeRefreshTokens: true } });
    await untilDelivered(r, 'needs_reauth');
    const login = await scriptedLogin(h.sim.url);
    tokens.add(login.refreshToken).add(login.accessToken);
    await h.connect(login.refreshToken);

    // sync_complete, once the initial sync is.
    expect((await initialSyncHandle(h.client, accountId).result()).state).toBe('complete');
    await untilDelivered(r, 'sync_complete');
    await rememberTokens();
    await recordHistoryFixture(h.client, 'initialSyncWorkflow--notified', initialSyncWorkflowId(accountId));

    // login_expiring: 14 days before Spotify's six months (182 days), then 3 days before.
    await h.db
      .db('accounts')
      .where({ id: accountId })
      .update({ authorized_at: new Date(Date.now() - 170 * dayMs) });
    await untilDelivered(r, 'login_expiring');
    await h.db
      .db('accounts')
      .where({ id: accountId })
      .update({ authorized_at: new Date(Date.now() - 180 * dayMs) });
    await untilDelivered(r, 'login_expiring', { ntfy: 2, json: 2, apprise: 2 });

    // stalled: a sync that says it runs, with no progress for 7 hours; not while it waits out a known limit.
    const sevenHoursAgo = new Date(Date.now() - 7 * hourMs);
    await h.db.db('accounts').where({ id: accountId }).update({ sync_state: 'running', sync_state_changed_at: sevenHoursAgo });
    await h.db.db('sync_state').where({ account_id: accountId, phase: 'initial' }).update({ last_updated_at: sevenHoursAgo, rate_limit_reset_at: null });
    const [limited] = await h.db.db('sync_state').where({ account_id: accountId, phase: 'initial' }).pluck('id');
    await h.db
      .db('sync_state')
      .where({ id: limited })
      .update({ rate_limit_reset_at: new Date(Date.now() + hourMs) });
    const checksBefore = r.received.length;
    await new Promise((resolve) => setTimeout(resolve, 8_000)); // two checks or more
    expect(deliveries(r, 'stalled')).toEqual({ ntfy: 0, json: 0, apprise: 0 });
    expect(r.received.length).toBe(checksBefore);
    await h.db.db('sync_state').where({ id: limited }).update({ rate_limit_reset_at: null });
    await untilDelivered(r, 'stalled');
    await h.db.db('accounts').where({ id: accountId }).update({ sync_state: 'complete', sync_state_changed_at: new Date() });

    // import_complete, and failed for an import whose file is refused.
    const exported = await downloadExport(h);
    const { importId } = await startImport(h, accountId, [exported.extended]);
    expect((await importResult(h, accountId, importId)).state).toBe('complete');
    await untilDelivered(r, 'import_complete');
    await recordHistoryFixture(h.client, 'historyImportWorkflow--notified', historyImportWorkflowId(accountId, importId));
    const damaged = join(exported.dir, 'Streaming_History_Audio_2021_0.json');
    await writeFile(damaged, '[{"ts": "2021-03-04T10:00:00Z", "ms_pla');
    const refused = await startImport(h, accountId, [damaged]);
    expect((await importResult(h, accountId, refused.importId)).state).toBe('failed');
    await untilDelivered(r, 'failed');

    // restore_complete: the restore workflow calls the same activity (workflows/notify.ts); twice is still once.
    const activities = createActivities({ db: h.db.db, config: h.config, cipher: h.cipher });
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    const restore = { accountId, event: 'restore_complete' as const, restoreId: 'restore-1' };
    await expect(env.run(activities.notifyEvent, restore)).rejects.toThrow(/restore_complete not delivered to ntfy:\/\/127\.0\.0\.1:\d+\/sp… answered HTTP 500/);
    await env.run(activities.notifyEvent, restore);
    await env.run(activities.notifyEvent, restore);
    await untilDelivered(r, 'restore_complete');
    await recordHistoryFixture(h.client, 'playbackWorkflow--notification-checks', playbackWorkflowId(accountId));

    // Nothing more arrives: every event was delivered once (login_expiring once per threshold), after a failed first try.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    for (const event of notifyEvents) {
      expect(deliveries(r, event), event).toEqual(event === 'login_expiring' ? { ntfy: 2, json: 2, apprise: 2 } : once);
      for (const path of Object.values(targets)) expect(r.received.some((q) => q.path === path && q.status === 500 && eventOf(q) === event)).toBe(true);
    }

    // What each kind of target received.
    const jsonBodies = r
      .delivered()
      .filter((q) => q.path === targets.json)
      .map((q) => JSON.parse(q.body) as Record<string, unknown>);
    for (const body of jsonBodies) {
      expect(Object.keys(body).sort()).toEqual(['accountId', 'at', 'displayName', 'event', 'message', 'url']);
      expect(body).toMatchObject({ accountId, displayName: expect.any(String), message: expect.any(String), url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:3000\//) });
    }
    const ntfyLogin = r.delivered().find((q) => q.path === targets.ntfy && eventOf(q) === 'needs_reauth')!;
    expect(ntfyLogin.headers).toMatchObject({ title: 'spotify-sync: log in again', tags: 'warning', click: 'http://127.0.0.1:3000/auth/login' });
    expect(ntfyLogin.body).toMatch(/^Spotify refused the login of /);
    const appriseDone = JSON.parse(r.delivered().find((q) => q.path === targets.apprise && eventOf(q) === 'sync_complete')!.body) as Record<string, unknown>;
    expect(appriseDone).toMatchObject({ title: 'spotify-sync: sync complete', type: 'success', body: expect.stringContaining('is complete') });
    const expiring = jsonBodies.filter((b) => b.event === 'login_expiring').map((b) => b.message);
    expect(expiring).toEqual([expect.stringMatching(/\(in 12 days\)/), expect.stringMatching(/\(in 2 days\)/)]);

    // No token anywhere: not in a body, not in a header.
    expect(tokens.size).toBeGreaterThanOrEqual(4);
    const everything = JSON.stringify(r.received.map((q) => [q.headers, q.body]));
    for (const token of tokens) expect(everything).not.toContain(token);

    // Each attempt is in the delivery log, by the target's label.
    const log = await h.db.db('notification_deliveries').select('target_label', 'ok');
    expect(new Set(log.map((d) => d.target_label))).toEqual(new Set([`ntfy://${r.host}/sp…`, `json://${r.host}/ho…/sy…`, `apprise://${r.host}/fa…`]));
    expect(log.filter((d) => d.ok)).toHaveLength((notifyEvents.length + 1) * 3);
  });
});
