import { copyFile, mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/api/logger.js';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { parseNotifyUrls } from '../../src/config/notify-targets.js';
import { deliverOnce, recordNotification } from '../../src/notify/notification-store.js';
import { insertAccount, testConfig, unreachableTemporal } from '../api/fixtures.js';
import { artifactPath, launchChromium } from '../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const notifyUrls =
  'ntfys://bob:s3cret@ntfy.example.org/household-sync-alerts,jsons://hooks.example.org/api/webhooks/1234567890/long-secret-token,apprises://apprise.example.org/family';

let t: TestDatabase;
let api: RunningApi;
let browser: Browser;
beforeAll(async () => {
  t = await createTestDatabase();
  await insertAccount(t.db, 'acct-browser', { display_name: 'Alice', sync_state: 'complete', sync_phase: 'complete' });
  const [ntfy, json, apprise] = parseNotifyUrls(notifyUrls);
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
  const events = [
    { event: 'sync_complete' as const, occasion: 'run-1', at: at(180), result: [true, true, true] },
    { event: 'login_expiring' as const, occasion: '14d', at: at(60), result: [true, false, true] },
  ];
  for (const e of events) {
    const row = await recordNotification(t.db, { accountId: 'acct-browser', event: e.event, occasion: e.occasion, message: 'words', url: null, at: e.at });
    await deliverOnce(
      t.db,
      row.id,
      [ntfy!.key, json!.key, apprise!.key],
      async () =>
        [ntfy!, json!, apprise!].map((target, i) => ({
          targetKey: target.key,
          targetLabel: target.label,
          ok: e.result[i] as boolean,
          detail: e.result[i] ? null : 'answered HTTP 502',
        })),
      () => e.at,
    );
  }
  api = await startApi({ db: t.db, config: testConfig({ NOTIFY_URLS: notifyUrls }), temporal: unreachableTemporal, port: 0, logger: silentLogger });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await t?.drop();
});

describe('the notifications settings page', () => {
  it.each([390, 1280])('shows the targets and their last delivery at %i px, without sideways scrolling and without secrets', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${api.url}/settings/notifications`);
    const rows = page.locator('[data-testid="notify-target"]');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(1).innerText()).toMatch(/failed: answered HTTP 502/);
    const text = await page.content();
    for (const secret of ['bob', 's3cret', 'household-sync-alerts', 'long-secret-token', 'family']) expect(text).not.toContain(secret);
    const file = await artifactPath(`settings-notifications-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.SHOTS_DIR) {
      await mkdir(process.env.SHOTS_DIR, { recursive: true });
      await copyFile(file, `${process.env.SHOTS_DIR}/settings-notifications-${width}.png`);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.close();
  });
});
