import { sendTestNotification } from '../notify/send-test.js';
import { UsageError, withCommandRuntime } from './runtime.js';

/** A target did not take the test message (the lines printed say which and why). */
export class NotifyTestFailed extends Error {}

/**
 * `notify-test`: sends a test message to every target of NOTIFY_URLS and prints one line per target,
 * `ok` or `failed` with why (targets by their label: never a URL, which may hold a secret).
 */
export async function notifyTestCommand(print: (line: string) => void = (l) => console.log(l)): Promise<void> {
  await withCommandRuntime({}, async ({ config, db }) => {
    const { targets } = config.notify;
    if (targets.length === 0) throw new UsageError('NOTIFY_URLS is not set: nothing to test (e.g. NOTIFY_URLS=ntfys://ntfy.sh/<your-topic>)');
    const attempts = await sendTestNotification({ db, targets, now: () => new Date() });
    for (const a of attempts) print(`${a.ok ? 'ok' : 'failed'}  ${a.targetLabel}${a.ok ? '' : `: ${a.detail ?? 'failed'}`}`);
    const failed = attempts.filter((a) => !a.ok).length;
    if (failed > 0) throw new NotifyTestFailed(`${failed} of ${targets.length} notification targets did not take the test message`);
  });
}
