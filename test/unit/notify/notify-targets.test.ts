import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { parseNotifyUrls } from '../../../src/config/notify-targets.js';
import { notificationMessage } from '../../../src/notify/events.js';

describe('NOTIFY_URLS', () => {
  it('reads ntfy, JSON and Apprise targets, http or https, with their credentials as an Authorization header', () => {
    const [ntfy, ntfys, json, jsons, apprise, apprises] = parseNotifyUrls(
      [
        'ntfy://127.0.0.1:8080/alerts',
        'ntfys://alice:s3cret@ntfy.example.org/my-topic',
        'json://hooks.local/api/spotify',
        'jsons://tk_abc123@hooks.example.org/incoming?token=xyz',
        'apprise://apprise.local:8000/family',
        'apprises://apprise.example.org/base/family',
      ].join(' , '),
    );
    expect(ntfy).toMatchObject({ kind: 'ntfy', endpoint: 'http://127.0.0.1:8080/alerts', authorization: undefined });
    expect(ntfys).toMatchObject({ kind: 'ntfy', endpoint: 'https://ntfy.example.org/my-topic', authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` });
    expect(json).toMatchObject({ kind: 'json', endpoint: 'http://hooks.local/api/spotify' });
    expect(jsons).toMatchObject({ kind: 'json', endpoint: 'https://hooks.example.org/incoming?token=xyz', authorization: 'Bearer tk_abc123' });
    expect(apprise).toMatchObject({ kind: 'apprise', endpoint: 'http://apprise.local:8000/notify/family' });
    expect(apprises).toMatchObject({ kind: 'apprise', endpoint: 'https://apprise.example.org/base/notify/family' });
  });

  it('shows a target without its secrets: no user info, no query, the topic or key masked', () => {
    const targets = parseNotifyUrls('ntfys://alice:s3cret@ntfy.example.org/my-secret-topic,jsons://tk_abc123@hooks.example.org/incoming?token=xyz');
    expect(targets.map((t) => t.label)).toEqual(['ntfys://***@ntfy.example.org/my…', 'jsons://***@hooks.example.org/in…?…']);
    for (const secret of ['alice', 's3cret', 'secret-topic', 'tk_abc123', 'xyz']) {
      expect(JSON.stringify(targets.map((t) => [t.label, t.key]))).not.toContain(secret);
    }
  });

  it('takes the same URL twice as one target, and nothing as none', () => {
    expect(parseNotifyUrls('ntfy://h/t,ntfy://h/t')).toHaveLength(1);
    expect(parseNotifyUrls(undefined)).toEqual([]);
    expect(loadConfig({}).notify).toEqual({ targets: [], stallHours: 6 });
  });

  it.each([
    ['https://ntfy.sh/topic', /NOTIFY_URLS entry 1 has an unknown scheme/],
    ['ntfy://h/t,not a url', /NOTIFY_URLS entry 2 is not a URL/],
    ['ntfy://ntfy.sh', /NOTIFY_URLS entry 1 names no topic/],
    ['apprise://apprise.local/', /NOTIFY_URLS entry 1 names no key/],
  ])('names the variable and the entry when a target is wrong (%s)', (value, message) => {
    expect(() => loadConfig({ NOTIFY_URLS: value })).toThrow(message);
  });

  it('never repeats a bad entry (it may hold a password)', () => {
    let message = '';
    try {
      loadConfig({ NOTIFY_URLS: 'ntfy://h/t,gotify://user:hunter2@host/x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('NOTIFY_URLS entry 2 has an unknown scheme');
    expect(message).not.toContain('hunter2');
  });

  it('checks NOTIFY_STALL_HOURS', () => {
    expect(loadConfig({ NOTIFY_STALL_HOURS: '2.5' }).notify.stallHours).toBe(2.5);
    expect(() => loadConfig({ NOTIFY_STALL_HOURS: 'soon' })).toThrow(/NOTIFY_STALL_HOURS must be a number/);
  });
});

describe('notification messages', () => {
  it('say when the login ends, in days', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    expect(notificationMessage({ event: 'login_expiring', name: 'Alice', expiresAt: new Date('2026-06-04T10:00:00Z'), now })).toBe(
      'Spotify ends the login of Alice on 2026-06-04 (in 3 days), six months after it was made. Log in again before then to keep syncing.',
    );
    expect(notificationMessage({ event: 'stalled', name: 'Alice', since: new Date('2026-06-01T04:00:00Z'), hours: 6 })).toContain(
      'no progress for 6 hours (since 2026-06-01T04:00:00.000Z)',
    );
  });
});
