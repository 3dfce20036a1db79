import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A quota of a few 10 s windows: the sync waits on it (durable timers) more than once. */
const QUOTA = { perDay: 40, windowSeconds: 10 };

let harness: Harness | undefined;
afterAll(async () => {
  await harness?.close();
});

function summaryOf(event: HistoryEvent): string | undefined {
  const payload = event.userMetadata?.summary;
  return payload ? defaultPayloadConverter.fromPayload<string>(payload) : undefined;
}

describe('summaries in the Temporal UI (user metadata)', () => {
  it('every activity and timer of an initial sync carries a summary that reads as progress, with no names from the library', async () => {
    const h = (harness = await createHarness({ sim: { seed: 41, tracks: 120, playlists: 3, appMode: 'development', config: { quota: QUOTA } } }));
    await h.startWorker();
    const { accountId } = await h.connect(undefined, { batchSize: 50, activityBudgetMs: 0 });
    const handle = initialSyncHandle(h.client, accountId);
    const result = await handle.result();
    expect(result.state).toBe('complete');

    const events = (await handle.fetchHistory()).events ?? [];
    const started = events.find((e) => e.workflowExecutionStartedEventAttributes);
    expect(summaryOf(started!)).toContain(`Initial sync of account ${accountId}`);

    const activities = events.filter((e) => e.activityTaskScheduledEventAttributes);
    const timers = events.filter((e) => e.timerStartedEventAttributes);
    expect(activities.length).toBeGreaterThan(5);
    expect(timers.length, 'the quota made the sync wait').toBeGreaterThan(0);
    const summaries = [...activities, ...timers].map((e) => ({
      type: e.activityTaskScheduledEventAttributes?.activityType?.name ?? 'timer',
      summary: summaryOf(e),
    }));
    for (const s of summaries) expect(s.summary, `${s.type} has a summary`).toMatch(/\S/);

    const byType = (type: string) => summaries.filter((s) => s.type === type).map((s) => s.summary as string);
    // The saved-track pages read as where they start, of how many, in batches of what size.
    expect(byType('syncSavedTracksBatch')[0]).toBe('tracks: first batch · 50 a batch');
    expect(byType('syncSavedTracksBatch').slice(1)).toContain('tracks from 50 of 120 · 50 a batch');
    expect(byType('recordSyncState')).toContain('record state: running · tracks');
    expect(byType('notifyEvent')).toContain('notify: sync_complete');
    for (const s of byType('timer')) expect(s).toMatch(/^(quota wait|rate-limit wait \(no Retry-After, probe \d+\)) until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC · then [a-zA-Z]+$/);

    // Nothing personal: no track, artist, album or playlist name, no display name, anywhere in the metadata.
    const names = new Set<string>();
    for (const table of ['tracks', 'artists', 'albums', 'playlists']) {
      for (const name of (await h.db.db(table).pluck('name')) as string[]) if (name.length >= 4) names.add(name);
    }
    const account = await h.db.db('accounts').where({ id: accountId }).first();
    if (account?.display_name) names.add(account.display_name as string);
    expect(names.size).toBeGreaterThan(50);
    const all = [summaryOf(started!), ...summaries.map((s) => s.summary)].join('\n');
    expect([...names].filter((name) => all.includes(name))).toEqual([]);
  }, 240_000);
});
