import { NONCE, secureHeaders } from 'hono/secure-headers';

/**
 * Hono's secure headers on every answer: no sniffing, no referrer, no framing (X-Frame-Options DENY
 * next to the CSP's frame-ancestors), same-origin resource and opener policies. No
 * Strict-Transport-Security: the server speaks plain HTTP (on loopback, or behind a proxy that owns
 * the TLS policy of its host names).
 */
const common = { xFrameOptions: 'DENY', strictTransportSecurity: false } as const;

/** Pictures: this origin, inline (the simulator's generated covers) and Spotify's image CDN, nothing else. */
const imageSources = ["'self'", 'data:', 'https://i.scdn.co'];

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
    imgSrc: imageSources,
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

/**
 * The status page's: its one script runs by this response's nonce (`c.get('secureHeadersNonce')`), and
 * fetches the page's panel from this origin; no inline style (its bars are <progress> elements).
 */
export const statusPageSecurityHeaders = secureHeaders({
  ...common,
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: ["'self'"],
    connectSrc: ["'self'"],
    imgSrc: imageSources,
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});
