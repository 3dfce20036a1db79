import { createHash } from 'node:crypto';

/**
 * The notification targets of NOTIFY_URLS (DESIGN.md, notifications): `ntfy://host/topic`,
 * `json://host/path`, `apprise://host/key`, each with an `s` for https (`ntfys://`, ...). A target's
 * user info becomes its Authorization header (user and password: Basic; a user alone: a Bearer token,
 * as ntfy's access tokens are given). Its topic, path or key may be a secret too (an ntfy topic on a
 * public server is one), so what is shown or logged of a target is its `label`, never the URL.
 */

export type NotifyKind = 'ntfy' | 'json' | 'apprise';

export interface NotifyTarget {
  kind: NotifyKind;
  /** The http(s) URL the request goes to, without user info (ntfy: the topic's URL; apprise: `.../notify/<key>`). */
  endpoint: string;
  /** The Authorization header from the URL's user info, if it had any. */
  authorization: string | undefined;
  /** The target as the settings page and the logs show it: no user info, path segments masked, no query. */
  label: string;
  /** A stable name of the target for the delivery log: a digest of the whole URL (changing the URL makes a new target). */
  key: string;
}

const schemes: Record<string, { kind: NotifyKind; protocol: 'http:' | 'https:' }> = {
  'ntfy:': { kind: 'ntfy', protocol: 'http:' },
  'ntfys:': { kind: 'ntfy', protocol: 'https:' },
  'json:': { kind: 'json', protocol: 'http:' },
  'jsons:': { kind: 'json', protocol: 'https:' },
  'apprise:': { kind: 'apprise', protocol: 'http:' },
  'apprises:': { kind: 'apprise', protocol: 'https:' },
};

const schemeList = 'ntfy://host/topic, ntfys://, json://host/path, jsons://, apprise://host/key or apprises://';

/** A target NOTIFY_URLS cannot hold: the message names the entry by position, never by its text (it may hold a secret). */
export class NotifyTargetError extends Error {}

const mask = (segment: string): string => (segment.length <= 2 ? '…' : `${segment.slice(0, 2)}…`);

/** Reads one target; `position` (from 1) names it in errors. */
export function parseNotifyTarget(text: string, position: number): NotifyTarget {
  const entry = `entry ${position}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new NotifyTargetError(`${entry} is not a URL (expected ${schemeList})`);
  }
  const scheme = schemes[url.protocol];
  if (!scheme) throw new NotifyTargetError(`${entry} has an unknown scheme (expected ${schemeList})`);
  if (!url.hostname) throw new NotifyTargetError(`${entry} has no host`);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (scheme.kind !== 'json' && segments.length === 0) {
    throw new NotifyTargetError(`${entry} names no ${scheme.kind === 'ntfy' ? 'topic' : 'key'} (${scheme.kind === 'ntfy' ? 'ntfy://host/topic' : 'apprise://host/key'})`);
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const authorization = user === '' ? undefined : password === '' ? `Bearer ${user}` : `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  // An Apprise API server takes a stateful notification at /notify/<key> (under any base path it is served from).
  const path = scheme.kind === 'apprise' ? [...segments.slice(0, -1), 'notify', segments.at(-1) as string].join('/') : segments.join('/');
  const endpoint = `${scheme.protocol}//${host}/${path}${url.search}`;
  const label = `${url.protocol}//${user === '' ? '' : '***@'}${host}/${segments.map(mask).join('/')}${url.search ? '?…' : ''}`;
  const key = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return { kind: scheme.kind, endpoint, authorization, label, key };
}

/** NOTIFY_URLS: comma-separated targets (blank entries ignored). Throws a NotifyTargetError naming the first bad entry. */
export function parseNotifyUrls(value: string | undefined): NotifyTarget[] {
  if (value === undefined) return [];
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const targets = entries.map((text, i) => parseNotifyTarget(text, i + 1));
  // The same URL twice is one target (it would get every message twice).
  return targets.filter((t, i) => targets.findIndex((o) => o.key === t.key) === i);
}
