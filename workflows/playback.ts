import { allHandlersFinished, condition, continueAsNew, log, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  pauseSignal,
  playbackStatusQuery,
  reauthorizedSignal,
  resumeSignal,
  syncPhaseKey,
  syncStateKey,
  type PlaybackStatus,
  type SyncStateName,
} from './contract.js';
import { formatCount, formatUtc } from './format.js';

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
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
  });
  let paused = carried.paused;
  let reauthorized = false;
  let state: SyncStateName = paused ? 'paused' : 'running';
  let lastPollAt: number | null = null;
  let pollsThisRun = 0;

  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => void (paused = false));
  setHandler(reauthorizedSignal, () => void (reauthorized = true));
  setHandler(playbackStatusQuery, (): PlaybackStatus => ({
    workflow: 'playbackWorkflow',
    accountId,
    state: paused ? 'paused' : state,
    paused,
    polls: carried.polls,
    playsRecorded: carried.recorded,
    gaps: carried.gaps,
    lastPollAt: lastPollAt === null ? null : new Date(lastPollAt).toISOString(),
    pollMinutes: carried.pollMinutes,
    runNumber: carried.runNumber,
  }));

  const show = (next: SyncStateName) => {
    state = next;
    upsertSearchAttributes([
      { key: syncPhaseKey, value: 'playback' },
      { key: syncStateKey, value: next },
    ]);
    setCurrentDetails(
      `playback: ${formatCount(carried.recorded)} plays recorded · ${formatCount(carried.gaps)} gaps` +
        (lastPollAt === null ? '' : ` · last poll ${formatUtc(lastPollAt)}`) +
        (next === 'running' ? '' : ` · ${next.replace('_', ' ')}`),
    );
  };

  show(state);
  for (;;) {
    if (paused) {
      show('paused');
      await condition(() => !paused);
      show('running');
    }
    let result;
    try {
      result = await pollRecentlyPlayed({ accountId });
    } catch (error) {
      // Transient trouble that outlived the retries: this poll is lost, the next one still sees the last 50 plays.
      log.warn('recently-played poll failed; trying again next interval', { accountId, error: String(error) });
      result = null;
    }
    lastPollAt = Date.now();
    if (result?.outcome === 'needs_reauth') {
      show('needs_reauth');
      reauthorized = false;
      await condition(() => reauthorized);
      show('running');
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

    // Sleep until the next poll; a pause during the sleep takes effect at once.
    await condition(() => paused, `${carried.pollMinutes} minutes`);

    if (pollsThisRun >= (input.maxPollsPerRun ?? 200) || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof playbackWorkflow>({ ...input, carried: { ...carried, paused, runNumber: carried.runNumber + 1 } });
    }
  }
}
