import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncProgressFacts } from '../../activities/store/notification-facts.js';
import { DEMO_CLIENT_ID } from '../../src/spotify/accounts.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const app = { clientId: undefined, fallbackMs: dayMs };

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('stalled: not while the sync waits at its app’s known quota wall', () => {
  it('is a known wait while the quota is spent for the window, and a stall again once the window is free', async () => {
    const now = Date.now();
    const tenHoursAgo = new Date(now - 10 * hourMs);
    // A sync that says it runs, with no progress for 10 hours and no reset time recorded on its rows.
    await t.db('accounts').insert({ id: 'acct-wall', spotify_user_id: 'wall', refresh_token_encrypted: 'x', sync_state: 'running', sync_state_changed_at: tenHoursAgo });
    // The demo app's quota: 1,500 calls a day, all spent by calls that ended 10 hours ago (free again in 14 hours).
    await t.db('spotify_app_quota').insert({
      client_id: DEMO_CLIENT_ID,
      calls_per_window: 1_500,
      window_seconds: 86_400,
      window_started_at: new Date(now - 11 * hourMs),
      window_calls: 1_500,
      last_call_at: tenHoursAgo,
      updated_at: tenHoursAgo,
    });
    const atWall = await syncProgressFacts(t.db, 'acct-wall', new Date(now), app);
    expect(atWall).toEqual({ busy: true, waitingOnLimit: true, lastProgressAt: tenHoursAgo });

    // The same sync a day later, the window free again and still no progress: a stall.
    const later = await syncProgressFacts(t.db, 'acct-wall', new Date(now + 15 * hourMs), app);
    expect(later.waitingOnLimit).toBe(false);
    expect(later.busy).toBe(true);
  });
});
