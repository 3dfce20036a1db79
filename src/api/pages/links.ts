import { type PageContext, withAccount } from './layout.js';

/** The page of each kind of thing a page names, keeping the account chosen. */
export const trackHref = (id: string, ctx: PageContext) => withAccount(`/tracks/${encodeURIComponent(id)}`, ctx);
export const artistHref = (id: string, ctx: PageContext) => withAccount(`/artists/${encodeURIComponent(id)}`, ctx);
export const albumHref = (id: string, ctx: PageContext) => withAccount(`/albums/${encodeURIComponent(id)}`, ctx);
export const playlistHref = (id: string, ctx: PageContext) => withAccount(`/playlists/${encodeURIComponent(id)}`, ctx);
