import type { NotifyTarget } from '../config/notify-targets.js';
import { notificationSeverity, notificationTitle, type NotificationBody } from './events.js';

/** A target that did not take a notification; the message names the target by its label and says why, never the URL. */
export class DeliveryError extends Error {
  constructor(
    readonly target: NotifyTarget,
    readonly detail: string,
  ) {
    super(`${target.label}: ${detail}`);
    this.name = 'DeliveryError';
  }
}

const ntfyTags = { success: 'white_check_mark', info: 'information_source', warning: 'warning', failure: 'rotating_light' } as const;
const ntfyPriority = { success: '3', info: '3', warning: '4', failure: '4' } as const;

/** The request each kind of target takes. */
function requestFor(target: NotifyTarget, body: NotificationBody): { headers: Record<string, string>; payload: string } {
  const severity = notificationSeverity(body.event);
  const title = notificationTitle(body.event);
  switch (target.kind) {
    case 'ntfy':
      // ntfy: the message is the body; title, tags, priority and the link are headers (https://docs.ntfy.sh/publish/).
      return {
        headers: {
          'Content-Type': 'text/plain; charset=utf-8',
          Title: title,
          Tags: ntfyTags[severity],
          Priority: ntfyPriority[severity],
          ...(body.url ? { Click: body.url } : {}),
        },
        payload: body.message,
      };
    case 'apprise':
      // Apprise API: POST /notify/<key> with {body, title, type} (https://github.com/caronc/apprise-api).
      return {
        headers: { 'Content-Type': 'application/json' },
        payload: JSON.stringify({ title, body: body.url ? `${body.message}\n${body.url}` : body.message, type: severity }),
      };
    case 'json':
      return {
        headers: { 'Content-Type': 'application/json' },
        payload: JSON.stringify({ event: body.event, accountId: body.accountId, displayName: body.displayName, at: body.at, message: body.message, url: body.url }),
      };
  }
}

/** Why a request failed, in words that carry no URL (undici's network errors name their cause's code). */
function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? `could not be reached (${cause.code})` : 'could not be reached';
}

/** Sends one notification to one target; throws a DeliveryError when the target does not answer 2xx. */
export async function sendNotification(target: NotifyTarget, body: NotificationBody, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<void> {
  const { headers, payload } = requestFor(target, body);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(target.endpoint, {
      method: 'POST',
      headers: { ...headers, ...(target.authorization ? { Authorization: target.authorization } : {}) },
      body: payload,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (error) {
    throw new DeliveryError(target, describeFailure(error));
  }
  // Read the answer so the connection is freed; its text is not shown (a server may echo what it was sent).
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new DeliveryError(target, `answered HTTP ${response.status}`);
}
