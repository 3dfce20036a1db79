import type { FC } from 'hono/jsx';
import type { LastDelivery, RecentNotification } from '../../notify/notification-store.js';
import { dateTime } from './format.js';
import { Layout, type PageContext } from './layout.js';

/**
 * The notifications section of the settings (`/settings/notifications`): the targets of NOTIFY_URLS as
 * their labels show them (no credentials, topics and keys masked), the last delivery to each, and the
 * latest events. Server-rendered, no script.
 */

export interface NotificationTargetView {
  kind: 'ntfy' | 'json' | 'apprise';
  label: string;
  last: LastDelivery | null;
}

export interface NotificationSettingsView {
  targets: NotificationTargetView[];
  stallHours: number;
  recent: RecentNotification[];
}

const kindNames: Record<NotificationTargetView['kind'], string> = { ntfy: 'ntfy', json: 'JSON webhook', apprise: 'Apprise API' };

const eventNames: Record<string, string> = {
  sync_complete: 'sync complete',
  needs_reauth: 'login needed',
  login_expiring: 'login ending soon',
  stalled: 'sync stalled',
  import_complete: 'import complete',
  restore_complete: 'restore complete',
  failed: 'failed',
  test: 'test message',
};

const iso = (d: Date): string => d.toISOString();

const LastDeliveryCell: FC<{ last: LastDelivery | null }> = ({ last }) =>
  last === null ? (
    <span class="muted">nothing sent yet</span>
  ) : (
    <span>
      {last.ok ? 'delivered' : `failed: ${last.detail ?? 'no answer'}`}
      <span class={last.ok ? 'badge' : 'badge removed'}>{eventNames[last.event] ?? last.event}</span>
      <br />
      <span class="muted">
        <time datetime={iso(last.attemptedAt)}>{dateTime(iso(last.attemptedAt))}</time>
      </span>
    </span>
  );

export const NotificationSettingsSection: FC<{ view: NotificationSettingsView }> = ({ view }) => (
  <section id="notifications" aria-labelledby="notifications-title">
    <h2 id="notifications-title">Notifications</h2>
    <p class="muted">
      A message when the first sync completes, when Spotify wants a new login (and 14 and 3 days before a login ends), when a sync has made no progress for {view.stallHours} hours
      while not waiting on a Spotify limit, when a history import or a restore completes, and when something fails. Each event is sent once; a target that fails is tried again.
    </p>
    {view.targets.length === 0 ? (
      <p class="banner warn" data-testid="no-targets">
        No targets: set NOTIFY_URLS to a comma-separated list of ntfy://host/topic, json://host/path or apprise://host/key (ntfys://, jsons://, apprises:// for https), restart,
        then try it with npm run cli -- notify-test.
      </p>
    ) : (
      <table class="files" data-testid="notify-targets">
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Last delivery</th>
          </tr>
        </thead>
        <tbody>
          {view.targets.map((t) => (
            <tr data-testid="notify-target">
              <td>
                <code>{t.label}</code>
                <br />
                <span class="muted">{kindNames[t.kind]}</span>
              </td>
              <td>
                <LastDeliveryCell last={t.last} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    {view.targets.length > 0 ? (
      <p class="muted">
        Send a test message to every target: <code>npm run cli -- notify-test</code>
      </p>
    ) : null}
    <h2>Latest events</h2>
    {view.recent.length === 0 ? (
      <p class="muted" data-testid="no-notifications">
        None yet.
      </p>
    ) : (
      <table data-testid="notify-recent">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Sent</th>
          </tr>
        </thead>
        <tbody>
          {view.recent.map((n) => (
            <tr>
              <td>
                <time datetime={iso(n.at)}>{dateTime(iso(n.at))}</time>
              </td>
              <td>
                {eventNames[n.event] ?? n.event}
                {n.accountId ? <span class="muted"> · {n.displayName ?? n.accountId}</span> : null}
              </td>
              <td>{n.deliveredAt ? 'to every target' : <span class="badge removed">not yet</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

export const NotificationSettingsPage: FC<{ ctx: PageContext; view: NotificationSettingsView }> = ({ ctx, view }) => (
  <Layout title="Notifications · Settings" ctx={ctx} active="settings">
    <h1>Settings</h1>
    <NotificationSettingsSection view={view} />
  </Layout>
);
