import { type CollectionSave } from './collections.js';
import { albumObject, artistObject, episodeObject, images, isoSeconds, markets, openUrl, pageObject, simplifiedShow, type RenderContext } from './objects.js';
import { prngFor } from './prng.js';

/** Renders the saved-collection objects of the Web API (SavedAlbumObject, SavedShowObject, ...), shapes from the OpenAPI reference. */

type Json = Record<string, unknown>;

/** A page of one offset-paged collection, newest save first (the list is stored oldest first). */
export function savedPage(url: string, saves: readonly CollectionSave[], offset: number, limit: number, render: (save: CollectionSave) => Json): Json {
  const items: Json[] = [];
  for (let i = offset; i < Math.min(saves.length, offset + limit); i++) {
    const save = saves[saves.length - 1 - i];
    if (save) items.push({ added_at: isoSeconds(save.addedAt), ...render(save) });
  }
  return pageObject(url, items, offset, limit, saves.length);
}

/** SavedAlbumObject's album: the full AlbumObject, with its first page of tracks embedded. */
export const savedAlbum = (ctx: RenderContext, save: CollectionSave): Json => ({ album: albumObject(ctx, save.index) });

export const savedShow = (ctx: RenderContext, save: CollectionSave): Json => ({ show: simplifiedShow(ctx, save.index) });

export const savedEpisode = (ctx: RenderContext, save: CollectionSave): Json => ({ episode: episodeObject(ctx, save.index) });

export const savedAudiobook = (ctx: RenderContext, save: CollectionSave): Json => ({ audiobook: audiobookObject(ctx, save.index) });

/** AudiobookObject with its first page of chapters. */
export function audiobookObject(ctx: RenderContext, index: number): Json {
  const book = ctx.library.catalog.audiobooks[index];
  if (!book) throw new Error(`no audiobook ${index}`);
  const description = `${book.name}, written by ${book.author} and read by ${book.narrator}.`;
  const chapters: Json[] = [];
  for (let n = 1; n <= Math.min(50, book.chapters); n++) {
    const id = prngFor(`${book.id}:chapter:${n}`).base62();
    chapters.push({
      audio_preview_url: null,
      available_markets: markets,
      chapter_number: n - 1,
      description: `Chapter ${n} of ${book.name}.`,
      html_description: `<p>Chapter ${n} of ${book.name}.</p>`,
      duration_ms: prngFor(id).int(300_000, 2_400_000),
      explicit: false,
      external_urls: openUrl('chapter', id),
      href: `${ctx.apiBase}/chapters/${id}`,
      id,
      images: images(book.id, [640, 300, 64]),
      is_playable: true,
      languages: ['en'],
      name: `Chapter ${n}`,
      release_date: '2021-03-01',
      release_date_precision: 'day',
      type: 'episode',
      uri: `spotify:episode:${id}`,
    });
  }
  return {
    authors: [{ name: book.author }],
    available_markets: markets,
    copyrights: [],
    description,
    html_description: `<p>${description}</p>`,
    edition: 'Unabridged',
    explicit: false,
    external_urls: openUrl('show', book.id),
    href: `${ctx.apiBase}/audiobooks/${book.id}`,
    id: book.id,
    images: images(book.id, [640, 300, 64]),
    languages: ['en'],
    media_type: 'audio',
    name: book.name,
    narrators: [{ name: book.narrator }],
    publisher: book.author,
    total_chapters: book.chapters,
    type: 'audiobook',
    uri: `spotify:show:${book.id}`,
    chapters: pageObject(`${ctx.apiBase}/audiobooks/${book.id}/chapters`, chapters, 0, 50, book.chapters),
  };
}

/**
 * `GET /v1/me/following?type=artist`: artists by id, after the cursor (exclusive). The cursor is the
 * last id of the page while more follow, else null.
 */
export function followedArtistsPage(ctx: RenderContext, after: string | undefined, limit: number): Json {
  const { catalog } = ctx.library;
  const followed = ctx.library.collections.followedArtists
    .map((index) => ({ index, id: catalog.artists[index]?.id ?? '' }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = after === undefined ? followed : followed.filter((a) => a.id > after);
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  const more = rest.length > page.length && last !== undefined;
  const base = `${ctx.apiBase}/me/following?type=artist`;
  return {
    artists: {
      href: `${base}&limit=${limit}${after === undefined ? '' : `&after=${after}`}`,
      items: page.map((a) => artistObject(ctx, a.index)),
      limit,
      next: more ? `${base}&after=${last.id}&limit=${limit}` : null,
      // The CursorObject's `after` is a string: the last page leaves it out.
      cursors: more ? { after: last.id } : {},
      total: followed.length,
    },
  };
}
