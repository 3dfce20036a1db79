import type { FC } from 'hono/jsx';
import type { RestoreView } from '../../restores/restores.js';
import type { RestorePlan } from '../../versions/restore-plan.js';
import { count } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';

/** The restore pages: the form that starts a planned restore, the plan of saving removed items again, and a restore's progress. */

/** The fields of POST /restores (a form of this server's own pages: the doors check its Origin). */
export type RestoreFormTarget = { kind: 'playlist'; playlistId: string; version: number } | { kind: 'saved'; since: string };

export const RestoreForm: FC<{ ctx: PageContext; target: RestoreFormTarget }> = ({ ctx, target }) => (
  <form method="post" action={withAccount('/restores', ctx)} data-testid="restore-form">
    <input type="hidden" name="kind" value={target.kind} />
    {target.kind === 'playlist' ? (
      <>
        <input type="hidden" name="playlistId" value={target.playlistId} />
        <input type="hidden" name="version" value={String(target.version)} />
      </>
    ) : (
      <input type="hidden" name="since" value={target.since} />
    )}
    <button type="submit">Start this restore</button>
  </form>
);

export const SavedRestorePlanPage: FC<{ ctx: PageContext; since: string; plan: RestorePlan }> = ({ ctx, since, plan }) => (
  <Layout title="Save removed items again" ctx={ctx} active="library">
    <h1>Save again what was removed since {since.slice(0, 10)}</h1>
    <section class="card" data-testid="restore-plan">
      <h2>The plan</h2>
      <p>
        Action: <strong>{plan.action}</strong> · {count(plan.add.length)} to save again · about {count(plan.calls)} Spotify calls
      </p>
      <ul class="changes">
        {plan.add.map((a) => (
          <li>{a.uri}</li>
        ))}
      </ul>
      {plan.add.length > 0 ? <RestoreForm ctx={ctx} target={{ kind: 'saved', since }} /> : <p class="muted">Nothing was removed since then.</p>}
    </section>
  </Layout>
);

const finished = new Set(['complete', 'failed', 'needs_scope', 'needs_reauth', 'cancelled']);

export const RestoreProgressPage: FC<{ ctx: PageContext; restore: RestoreView }> = ({ ctx, restore }) => {
  const done = finished.has(restore.state);
  return (
    <Layout title="Restore" ctx={ctx} active="library">
      {done ? null : <meta http-equiv="refresh" content="2" />}
      <h1>Restore</h1>
      <section class="card" data-testid="restore-progress" data-state={restore.state}>
        <p>
          State: <strong data-testid="restore-state">{restore.state}</strong> · {count(restore.progress.done)} of {count(restore.progress.total)} written · action{' '}
          {restore.plan.action}
        </p>
        {restore.result ? (
          <p data-testid="restore-result">
            {restore.result.verified ? 'Verified: read back from Spotify, it equals the target.' : 'Not verified: what Spotify holds differs from the target.'}{' '}
            {count(restore.result.added)} added · {count(restore.result.removed)} removed · {count(restore.result.notRestorable)} not restorable
          </p>
        ) : (
          <p class="muted">This page reloads every 2 seconds until the restore ends.</p>
        )}
        {restore.state === 'needs_scope' ? (
          <p>
            The login did not grant the write scopes: <a href="/auth/login?scopes=restore">log in for restores</a>.
          </p>
        ) : null}
      </section>
    </Layout>
  );
};
