import { hashString } from './prng.js';

/**
 * The simulator's generated cover art: a small SVG drawn from an entity's id (two colours and a
 * pattern), sent inline as a `data:` URL in place of Spotify's image CDN, so a demo library shows
 * pictures with no network at all, and keeps them after the simulator stops.
 */
export function generatedCover(id: string): string {
  const h = hashString(`${id}:cover`);
  const hue = h % 360;
  const hue2 = (hue + 40 + ((h >>> 9) % 140)) % 360;
  const a = `hsl(${hue},62%,46%)`;
  const b = `hsl(${hue2},70%,28%)`;
  const light = `hsl(${hue2},85%,82%)`;
  const patterns = [
    `<circle cx="32" cy="32" r="18" fill="none" stroke="${light}" stroke-width="5"/><circle cx="32" cy="32" r="5" fill="${light}"/>`,
    `<path d="M0 44L64 20V34L0 58Z" fill="${light}" opacity=".7"/>`,
    `<rect x="14" y="14" width="36" height="36" rx="4" fill="none" stroke="${light}" stroke-width="4" transform="rotate(${h % 45} 32 32)"/>`,
    `<circle cx="${20 + (h % 24)}" cy="${22 + ((h >>> 5) % 20)}" r="14" fill="${light}" opacity=".8"/><circle cx="44" cy="44" r="8" fill="${a}"/>`,
  ];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><defs><linearGradient id="g" x2="1" y2="1">` +
    `<stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>` +
    `<rect width="64" height="64" fill="url(#g)"/>${patterns[(h >>> 3) % patterns.length]}</svg>`;
  // Only what a URL cannot hold is escaped (attributes use single quotes), which keeps the URL short.
  return `data:image/svg+xml,${svg.replace(/"/g, "'").replace(/[<>#%]/g, encodeURIComponent)}`;
}
