import { allHandlersFinished, condition, continueAsNew, log, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { playbackActivityTaskQueue, playbackStatusQuery, type PlaybackStatus, type SyncStateName } from './contract.js';
import { useControl } from './control.js';
import { summarized } from './summaries.js';
import { formatCount, formatUtc } from './format.js';
import { showState } from './show-state.js';
import { checkNotifications, notify } from './notify.js';

/** Polls go to a task queue of their own (runs recorded before it polled on the workflows' queue). */
export const PLAYBACK_QUEUE_PATCH = 'playback-own-task-queue';

export interface PlaybackCarried {
  polls: number;
  recorded: number;
  gaps: number;
  paused: boolean;
  runNumber: number;
  pollMinutes: number;
}

export interface PlaybackInput {
  accountId: string;
  /** Polls per workflow run before continuing as new (default 200). */
  maxPollsPerRun?: number;
  carried?: PlaybackCarried;
}

/**
 * Records recently played tracks every PLAYBACK_POLL_MINUTES, independently of the syncs: it keeps
 * polling while they are paused or wait out a rate limit, and never waits long itself (a 429 skips one
 * poll). Runs for years by continuing as new.
 */
export async function playbackWorkflow(input: PlaybackInput): Promise<void> {
  const { accountId } = input;
  const carried: PlaybackCarried = input.carried ?? { polls: 0, recorded: 0, gaps: 0, paused: false, runNumber: 1, pollMinutes: 30 };
  const { pollRecentlyPlayed } = proxyActivities<Activities>({
    ...(patched(PLAYBACK_QUEUE_PATCH) ? { taskQueue: playbackActivityTaskQueue(workflowInfo().taskQueue) } : {}),
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
  });
  let state: SyncStateName = carried.paused ? 'paused' : 'running';
  let lastPollAt: number | null = null;
  let pollsThisRun = 0;

  const control = useControl<SyncStateName>({
    name: 'playback',
    ids: { accountId },
    paused: carried.paused,
    enter: (next) => show(next),
    loginLost: () => notify({ accountId, event: 'needs_reauth' }),
  });
  setHandler(playbackStatusQuery, (): PlaybackStatus => ({
    workflow: 'playbackWorkflow',
    accountId,
    state: control.paused ? 'paused' : state,
    paused: control.paused,
    polls: carried.polls,
    playsRecorded: carried.recorded,
    gaps: carried.gaps,
    lastPollAt: lastPollAt === null ? null : new Date(lastPollAt).toISOString(),
    pollMinutes: carried.pollMinutes,
    runNumber: carried.runNumber,
  }));

  const show = (next: SyncStateName) => {
    state = next;
    showState(
      'playback',
      next,
      `playback: ${formatCount(carried.recorded)} plays recorded · ${formatCount(carried.gaps)} gaps` +
        (lastPollAt === null ? '' : ` · last poll ${formatUtc(lastPollAt)}`) +
        (next === 'running' ? '' : ` · ${next.replace('_', ' ')}`),
    );
  };

  show(state);
  for (;;) {
    await control.waitWhilePaused();
    let result;
    try {
      result = await summarized(pollRecentlyPlayed, `recently played: poll ${formatCount(carried.polls + 1)}`)({ accountId });
    } catch (error) {
      // Transient trouble that outlived the retries: this poll is lost, the next one still sees the last 50 plays.
      log.warn('recently-played poll failed; trying again next interval', { accountId, error: String(error) });
      result = null;
    }
    lastPollAt = Date.now();
    if (result?.outcome === 'needs_reauth') {
      await control.waitForLogin();
      continue;
    }
    if (result) {
      carried.polls += 1;
      carried.recorded += result.recorded;
      if (result.gap) carried.gaps += 1;
      carried.pollMinutes = result.pollMinutes;
    }
    pollsThisRun += 1;
    show(result?.outcome === 'rate_limited' ? 'rate_limited' : 'running');
    // The periodic notification check rides on the poll: this workflow runs for every account, always,
    // every PLAYBACK_POLL_MINUTES, and keeps running while the syncs are paused, waiting or stuck.
    await checkNotifications(accountId);

    // Sleep until the next poll; a pause during the sleep takes effect at once.
    await condition(() => control.paused, `${carried.pollMinutes} minutes`, { summary: `next poll in ${formatCount(carried.pollMinutes)} minutes` });

    if (pollsThisRun >= (input.maxPollsPerRun ?? 200) || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof playbackWorkflow>({ ...input, carried: { ...carried, paused: control.paused, runNumber: carried.runNumber + 1 } });
    }
  }
}
