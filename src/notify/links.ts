import type { Config } from '../config/load-config.js';

/**
 * A page of this instance, as a notification links to it: on the origin the browser reaches the API at,
 * which SPOTIFY_REDIRECT_URI names (the login comes back there).
 */
export function instanceLink(config: Pick<Config, 'spotify'>, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, new URL(config.spotify.redirectUri).origin);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}
