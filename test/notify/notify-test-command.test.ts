import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { projectRoot } from '../../src/project-root.js';
import { closedPort, testConfig, unreachableTemporal } from '../api/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startNotifyReceiver, type NotifyReceiver } from '../helpers/notify-receiver.js';

let t: TestDatabase;
let receiver: NotifyReceiver;
beforeAll(async () => {
  t = await createTestDatabase();
  receiver = await startNotifyReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await t?.drop();
});

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/main.ts', ...args], { cwd: projectRoot, env: { PATH: process.env.PATH, DATABASE_URL: t.url, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('notify-test and the settings page', () => {
  it('sends a test message to every target, and the settings page shows each target without its secrets, with its last delivery', async () => {
    const down = await closedPort();
    const notifyUrls = [
      `ntfy://alice:s3cret-pass@${receiver.host}/family-topic`,
      `json://${receiver.host}/hooks/spotify?token=hook-secret`,
      `apprise://${receiver.host}/apprise-key`,
      `ntfy://127.0.0.1:${down}/nobody-listens`,
    ].join(',');

    const run = await cli(['notify-test'], { NOTIFY_URLS: notifyUrls });
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      `ok  ntfy://***@${receiver.host}/fa…`,
      `ok  json://${receiver.host}/ho…/sp…?…`,
      `ok  apprise://${receiver.host}/ap…`,
      `failed  ntfy://127.0.0.1:${down}/no…: could not be reached (ECONNREFUSED)`,
    ]);
    expect(run.stderr).toContain('1 of 4 notification targets did not take the test message');

    // Every reachable target got the test message, each in its own protocol.
    const byPath = new Map(receiver.delivered().map((r) => [r.path, r]));
    expect(byPath.get('/family-topic')).toMatchObject({
      method: 'POST',
      headers: { title: 'spotify-sync: test message', authorization: `Basic ${Buffer.from('alice:s3cret-pass').toString('base64')}` },
      body: expect.stringContaining('A test message from spotify-sync'),
    });
    expect(JSON.parse(byPath.get('/hooks/spotify?token=hook-secret')!.body)).toEqual({
      event: 'test',
      accountId: null,
      displayName: null,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      message: expect.stringContaining('A test message'),
      url: null,
    });
    expect(JSON.parse(byPath.get('/notify/apprise-key')!.body)).toEqual({ title: 'spotify-sync: test message', body: expect.stringContaining('A test message'), type: 'info' });
    expect(receiver.received).toHaveLength(3);

    const app = createApp({ db: t.db, config: testConfig({ NOTIFY_URLS: notifyUrls }), temporal: unreachableTemporal });
    const res = await app.request('/settings/notifications');
    expect(res.status).toBe(200);
    const page = await res.text();
    for (const label of [`ntfy://***@${receiver.host}/fa…`, `json://${receiver.host}/ho…/sp…?…`, `apprise://${receiver.host}/ap…`, `ntfy://127.0.0.1:${down}/no…`]) {
      expect(page).toContain(label);
    }
    expect(page.match(/>delivered</g)).toHaveLength(3);
    expect(page).toContain('failed: could not be reached (ECONNREFUSED)');
    for (const secret of ['alice', 's3cret-pass', 'family-topic', 'hook-secret', 'apprise-key', 'nobody-listens']) expect(page).not.toContain(secret);
    expect(page).toContain('href="/settings/notifications"');
  });

  it('refuses a bad NOTIFY_URLS at start, naming the variable and not its value; and says when there is nothing to test', async () => {
    const bad = await cli(['notify-test'], { NOTIFY_URLS: 'gotify://admin:hunter2@push.example.org/message' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('NOTIFY_URLS entry 1 has an unknown scheme');
    expect(bad.stderr).not.toContain('hunter2');

    const none = await cli(['notify-test'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('NOTIFY_URLS is not set');
  });

  it('the settings page says how to add targets when there are none', async () => {
    const app = createApp({ db: t.db, config: testConfig(), temporal: unreachableTemporal });
    const page = await (await app.request('/settings/notifications')).text();
    expect(page).toContain('No targets: set NOTIFY_URLS');
  });

  it('is behind API_TOKEN like every page: a person without it goes to the sign-in form', async () => {
    const app = createApp({ db: t.db, config: testConfig({ API_TOKEN: 'a-long-enough-api-token-for-tests' }), temporal: unreachableTemporal });
    const res = await app.request('/settings/notifications', { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?next=%2Fsettings%2Fnotifications');
    const allowed = await app.request('/settings/notifications', { headers: { Authorization: 'Bearer a-long-enough-api-token-for-tests' } });
    expect(allowed.status).toBe(200);
  });
});
