import { etaWords } from '../api/pages/status-text.js';
import { DEMO_CLIENT_ID } from '../spotify/accounts.js';
import { resetInitialSync } from '../accounts/reset-account.js';
import type { Config } from '../config/load-config.js';
import type { Db } from '../db/connect.js';
import { readAccountStatus, type AccountStatus } from '../status/read-status.js';
import { untilStopSignal, withCommandRuntime } from './runtime.js';

const BAR_WIDTH = 28;
const number = (n: number | null | undefined) => (n === null || n === undefined ? '?' : n.toLocaleString('en-US'));

function bar(percent: number): string {
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

/** The terminal rendering of /api/sync/status (same data, read from Postgres). */
export function renderStatus(s: AccountStatus, now: Date = new Date()): string {
  const lines = [`${s.displayName ?? s.accountId} (${s.accountId})`, `state: ${s.state.replace('_', ' ')} · phase: ${s.phase} · ${s.overallPercent}% overall`];
  for (const p of s.phases) {
    lines.push(`  ${p.entity.padEnd(9)} ${bar(p.percent)} ${String(p.percent).padStart(5)}%  ${number(p.synced)} / ${number(p.total)}${p.complete ? '  ✓' : ''}`);
  }
  if (s.rateLimit.limited && s.rateLimit.resetAt) lines.push(`rate-limited by Spotify until ${new Date(s.rateLimit.resetAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  lines.push(`login: ${s.login.state.replace(/_/g, ' ')} · made ${s.login.authorizedAt.slice(0, 10)} · Spotify ends it ${s.login.expiresAt.slice(0, 10)}`);
  if (s.login.message) lines.push(`  ${s.login.message}`);
  if (s.eta) lines.push(`eta: ${etaWords(s, now)} · ${new Date(s.eta).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  const inc = s.incremental;
  lines.push(
    `incremental: last ${inc.lastRunAt ? new Date(inc.lastRunAt).toISOString().slice(0, 16).replace('T', ' ') : 'never'}` +
      `${inc.lastResult ? ` (${String((inc.lastResult as { outcome?: string }).outcome ?? '')})` : ''}` +
      ` · next ${inc.nextRunAt ? new Date(inc.nextRunAt).toISOString().slice(0, 16).replace('T', ' ') : '?'}`,
  );
  lines.push(
    `playback: ${number(s.playback.plays)} plays · ${number(s.playback.gaps)} gaps · last poll ${s.playback.lastPolledAt ? new Date(s.playback.lastPolledAt).toISOString().slice(0, 16).replace('T', ' ') : 'never'}`,
  );
  lines.push(`updated ${now.toISOString().slice(11, 19)} UTC`);
  return lines.join('\n');
}

async function readOrFail(db: Db, config: Config, accountId: string): Promise<AccountStatus> {
  const status = await readAccountStatus(db, accountId, {
    now: new Date(),
    incrementalIntervalHours: config.sync.incrementalIntervalHours,
    spotifyClientId: config.spotify.clientId ?? DEMO_CLIENT_ID,
    rateLimitFallbackHours: config.sync.rateLimitFallbackHours,
    temporalUi: { uiUrl: config.temporal.uiUrl, namespace: config.temporal.namespace },
  });
  if (!status) throw new Error(`No account "${accountId}"`);
  return status;
}

/** `status [--watch]`: progress bars in the terminal; with --watch, redrawn every 2 s until Ctrl-C. */
export function statusCommand(accountFlag: string | undefined, watch: boolean): Promise<void> {
  return withCommandRuntime({ account: accountFlag }, async ({ config, db, account }) => {
    const accountId = await account();
    if (!watch) {
      console.log(renderStatus(await readOrFail(db, config, accountId)));
      return;
    }
    const stop = untilStopSignal();
    let stopped = false;
    void stop.then(() => (stopped = true));
    while (!stopped) {
      const text = renderStatus(await readOrFail(db, config, accountId));
      process.stdout.write(`\x1b[2J\x1b[H${text}\n(Ctrl-C to stop)\n`);
      await Promise.race([stop, new Promise((r) => setTimeout(r, 2000))]);
    }
  });
}

/** `reset`: clears the initial sync's checkpoints and starts it afresh (play history is kept). */
export function resetCommand(accountFlag: string | undefined): Promise<void> {
  return withCommandRuntime({ account: accountFlag }, async ({ config, db, account, temporal }) => {
    const accountId = await account();
    await resetInitialSync({ client: await temporal(), config }, db, accountId);
    console.log(`initial sync of ${accountId} restarted from the beginning`);
  });
}
