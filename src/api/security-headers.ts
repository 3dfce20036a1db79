import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';

/**
 * Hono's secure headers on every answer: no sniffing, no referrer, no framing (X-Frame-Options DENY
 * next to the CSP's frame-ancestors), same-origin resource and opener policies. No
 * Strict-Transport-Security: the server speaks plain HTTP (on loopback, or behind a proxy that owns
 * the TLS policy of its host names).
 */
const common = { xFrameOptions: 'DENY', strictTransportSecurity: false } as const;

/**
 * The site's pages read Postgres only and hold no script: plain links and forms, so they work
 * everywhere. A handler's own headers stand (the status page sets its policy on its route).
 */
export const siteSecurityHeaders = secureHeaders({
  ...common,
  overwrite: false,
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

const styleHash = (style: string) => `'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`;

/** Stylesheets from this origin, and of inline styles exactly `styles` (each by its hash). */
export function styleSources(styles: readonly string[]): string {
  return styles.length > 0 ? `'self' 'unsafe-hashes' ${styles.map(styleHash).join(' ')}` : "'self'";
}

/**
 * The status page's: scripts run only with this response's nonce (`c.get('secureHeadersNonce')`, the
 * page's one script, from this origin); it fetches from this origin; stylesheets come from this origin
 * and of inline styles only those `inlineStyles` names for the request (read before the handler runs).
 */
export function statusPageSecurityHeaders(inlineStyles: (c: Context) => readonly string[]) {
  return secureHeaders({
    ...common,
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: [NONCE],
      styleSrc: [(c) => styleSources(inlineStyles(c))],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });
}
