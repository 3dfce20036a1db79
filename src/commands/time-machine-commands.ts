import { listVersions } from '../library/time-machine.js';
import { planRestore, ScopeRequiredError, startRestore, type RestoreTarget } from '../restores/restores.js';
import type { RestorePlan } from '../versions/restore-plan.js';
import { restoreWorkflowId } from '../ids.js';
import { UsageError, withCommandRuntime } from './runtime.js';

/** `versions <playlistId> [--account <id>]`: the playlist's versions, newest first. */
export async function versionsCommand(playlistId: string | undefined, account: string | undefined): Promise<void> {
  if (!playlistId) throw new UsageError('versions needs a playlist id: npm run cli -- versions <playlistId>');
  await withCommandRuntime({ account }, async ({ db, account: accountOf }) => {
    const accountId = await accountOf();
    let cursor: string | undefined;
    do {
      const page = await listVersions(db, accountId, playlistId, { limit: 200, cursor });
      for (const v of page.items) {
        const what = v.event === 'deleted' ? 'deleted' : `${v.totalItems} entries, +${v.added} -${v.removed} ~${v.moved}`;
        console.log(`${String(v.version).padStart(4)}  ${v.observedAt}  ${what}  ${v.name}`);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  });
}

function printPlan(plan: RestorePlan): void {
  console.log(`action: ${plan.action}`);
  console.log(`add: ${plan.add.length}, remove: ${plan.remove.length}, move: ${plan.move.length}, Spotify calls: ${plan.calls}`);
  for (const n of plan.notRestorable) console.log(`not restorable: ${n.uri ?? '(unavailable entry)'}: ${n.reason}`);
}

/**
 * `restore playlist <id> [--version N] [--dry-run]`, `restore saved --since <date> [--dry-run]`: the plan
 * first; then the restore runs (restoreWorkflow) and this waits for its verified result.
 */
export async function restoreCommand(positionals: string[], flags: { version?: string; since?: string; 'dry-run'?: boolean; account?: string }): Promise<void> {
  const [what, id] = positionals;
  let target: RestoreTarget;
  if (what === 'playlist' && id) {
    const version = flags.version === undefined ? undefined : Number(flags.version);
    if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new UsageError('--version must be a version number (see: versions <playlistId>)');
    target = { kind: 'playlist', playlistId: id, ...(version === undefined ? {} : { version }) };
  } else if (what === 'saved' && flags.since) {
    if (Number.isNaN(new Date(flags.since).getTime())) throw new UsageError('--since must be a date, e.g. 2026-11-01');
    target = { kind: 'saved', since: flags.since };
  } else {
    throw new UsageError('usage: restore playlist <id> [--version N] [--dry-run] | restore saved --since <date> [--dry-run]');
  }
  await withCommandRuntime({ account: flags.account }, async ({ db, config, account, temporal }) => {
    const accountId = await account();
    const { plan } = await planRestore(db, accountId, target);
    printPlan(plan);
    if (flags['dry-run']) return;
    const client = await temporal();
    try {
      const { restoreId } = await startRestore({ db, workflows: async () => ({ client, config }) }, { accountId, target, actor: 'cli' });
      console.error(`restore ${restoreId} started; waiting for it to end (it survives this command: see GET /api/restores/${restoreId})`);
      const status = (await client.workflow.getHandle(restoreWorkflowId(accountId, restoreId)).result()) as { state: string; verified: boolean | null };
      console.log(`state: ${status.state}, verified: ${status.verified === true ? 'yes' : 'no'}`);
      if (status.state !== 'complete' || status.verified !== true) process.exitCode = 1;
    } catch (error) {
      if (error instanceof ScopeRequiredError) throw new UsageError(`${error.message} (open /auth/login?scopes=restore)`);
      throw error;
    }
  });
}
