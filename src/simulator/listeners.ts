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

/** The household a simulator offers: as many users as a development-mode app may serve, the demo user first. */
export const householdSize = 5;

/** The refresh token each household user starts with: the demo user's, then one per further listener. */
export const userRefreshToken = (demoRefreshToken: string, number: number): string => (number <= 1 ? demoRefreshToken : `${demoRefreshToken}-user-${number}`);

/** One household user as GET /_sim/users lists them. */
export interface SimulatedUser {
  userId: string;
  accountId: string;
  displayName: string;
  refreshToken: string;
}

export function householdUsers(library: Library, demoRefreshToken: string): SimulatedUser[] {
  return Array.from({ length: householdSize }, (_, i) => {
    const l = listener(library, i + 1);
    return { userId: l.id, accountId: l.accountId, displayName: l.displayName, refreshToken: userRefreshToken(demoRefreshToken, l.number) };
  });
}
