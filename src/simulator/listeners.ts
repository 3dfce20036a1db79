import { type Library } from './library.js';

/**
 * The Spotify users who can log in to the simulator. Listener 1 is the demo user; listeners 2, 3, ...
 * are further people logging in to the same app (a household). They all see the one simulated
 * library; what tells them apart is who they are (`/v1/me`) and whether the app may serve them: a
 * development-mode app serves only the users registered in its dashboard (`registeredUsers`).
 */

export interface Listener {
  /** 1-based: the order in which the app owner would add them in the dashboard. */
  number: number;
  id: string;
  accountId: string;
  displayName: string;
}

/** Most listeners a login may choose; far more than any development-mode allowlist holds. */
export const maxListeners = 20;

export function listener(library: Library, number: number): Listener {
  const demo = library.users[0] ?? { id: 'demo-user', displayName: 'Demo Listener' };
  if (number <= 1) return { number: 1, id: demo.id, accountId: library.accountId, displayName: demo.displayName };
  return {
    number,
    id: `${demo.id}-${number}`,
    accountId: `${library.accountId}-${number}`,
    displayName: `Listener ${number}`,
  };
}

/** Parses the consent page's `user` field: a listener number, 1 when absent; undefined when invalid. */
export function parseListenerNumber(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return 1;
  if (!/^\d{1,2}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= 1 && number <= maxListeners ? number : undefined;
}
