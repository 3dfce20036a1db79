import { describe, expect, it } from 'vitest';
import { forEachRetrying, type BatchCallRetry } from '../../../activities/shared/for-each-retrying.js';
import { retryDelayMs, type CallRetryPolicy } from '../../../src/spotify/call-retry.js';
import { SpotifyRequestError, SpotifyTransientError } from '../../../src/spotify/errors.js';

const transient = () => new SpotifyTransientError('GET /v1/artists/{id}', { reason: 'server_error', status: 503, detail: '503 Service Unavailable' });
const retry = (policy: Partial<CallRetryPolicy> = {}): BatchCallRetry => ({
  policy: { attempts: 4, baseDelayMs: 20, roundTrips: 2, minDelayMs: 1, jitter: 0, ...policy },
  roundTripMs: () => null,
});

/** A task that fails transiently the first `failures[item]` times it runs for an item. */
function flaky(failures: Record<string, number>) {
  const runs: string[] = [];
  return {
    runs,
    task: async (item: string) => {
      runs.push(item);
      await new Promise((r) => setTimeout(r, 2));
      if ((failures[item] ?? 0) >= runs.filter((r) => r === item).length) throw transient();
    },
  };
}

describe('forEachRetrying', () => {
  it('retries a transient failure until it succeeds, one run more per failure', async () => {
    const t = flaky({ b: 2 });
    const run = await forEachRetrying(['b'], 3, t.task, retry());
    expect(run.leftOver).toEqual([]);
    expect(t.runs).toEqual(['b', 'b', 'b']);
  });

  it('does not wait on a straggler in its backoff: it is left over once the rest is done', async () => {
    const t = flaky({ c: 1 });
    // A backoff of 10 minutes: the run returning at all shows it did not wait for it.
    const run = await forEachRetrying(['a', 'b', 'c', 'd'], 2, t.task, retry({ baseDelayMs: 600_000 }));
    expect(run.leftOver).toEqual(['c']);
    expect(t.runs.filter((r) => r === 'c')).toHaveLength(1);
    expect(t.runs.filter((r) => r !== 'c').sort()).toEqual(['a', 'b', 'd']);
  });

  it('waits out the backoff while nothing has succeeded yet, so that every run makes progress', async () => {
    const t = flaky({ a: 1, b: 1 });
    const run = await forEachRetrying(['a', 'b'], 2, t.task, retry());
    expect(run.leftOver).toEqual([]);
    expect(t.runs.sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  it('throws the last failure once an item has used every attempt', async () => {
    const t = flaky({ a: 99 });
    await expect(forEachRetrying(['a'], 2, t.task, retry({ attempts: 3 }))).rejects.toBeInstanceOf(SpotifyTransientError);
    expect(t.runs).toEqual(['a', 'a', 'a']);
  });

  it('stops starting tasks after a failure that is not retried, lets the running ones finish, then throws it', async () => {
    const finished: string[] = [];
    const items = ['a', 'b', 'c', 'd', 'e'];
    const task = async (item: string) => {
      await new Promise((r) => setTimeout(r, item === 'a' ? 1 : 20));
      if (item === 'a') throw new SpotifyRequestError('GET /v1/artists/{id}', 400, 'invalid id');
      finished.push(item);
    };
    await expect(forEachRetrying(items, 2, task, retry())).rejects.toBeInstanceOf(SpotifyRequestError);
    expect(finished).toEqual(['b']);
  });

  it('runs at most `width` tasks at once and nothing for no items', async () => {
    let running = 0;
    let most = 0;
    const task = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
    };
    await forEachRetrying(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      task,
      retry(),
    );
    expect(most).toBe(3);
    expect(await forEachRetrying([], 3, task, retry())).toEqual({ leftOver: [] });
  });
});

describe('retryDelayMs', () => {
  const policy: CallRetryPolicy = { attempts: 5, baseDelayMs: 200, roundTrips: 2, minDelayMs: 20, jitter: 0 };

  it('waits a few round trips of the service, within its bounds, doubling each retry', () => {
    expect(retryDelayMs(policy, 0, 30)).toBe(60);
    expect(retryDelayMs(policy, 2, 30)).toBe(240);
    expect(retryDelayMs(policy, 0, 300)).toBe(200); // the real service: the cap
    expect(retryDelayMs(policy, 0, 2)).toBe(20); // the floor
    expect(retryDelayMs(policy, 1, null)).toBe(400); // nothing known yet: the cap
  });

  it('spreads retries over the jitter', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(retryDelayMs(jittered, 0, 50, () => 0)).toBe(50);
    expect(retryDelayMs(jittered, 0, 50, () => 1)).toBe(150);
  });
});
