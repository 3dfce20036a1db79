/** Web API objects shaped as the OpenAPI reference (2026-05) describes them, for the client tests. */

type Json = Record<string, unknown>;

const api = 'https://api.spotify.com/v1';

export function simplifiedArtist(id: string, name = `Artist ${id}`): Json {
  return { external_urls: { spotify: `https://open.spotify.com/artist/${id}` }, href: `${api}/artists/${id}`, id, name, type: 'artist', uri: `spotify:artist:${id}` };
}

export function artist(id: string, extra: Json = {}): Json {
  return {
    ...simplifiedArtist(id),
    followers: { href: null, total: 1234 },
    genres: ['shoegaze'],
    images: [{ url: `https://i.scdn.co/image/${id}`, height: 640, width: 640 }],
    popularity: 42,
    ...extra,
  };
}

export function simplifiedAlbum(id: string): Json {
  return {
    album_type: 'album',
    total_tracks: 10,
    available_markets: ['SE'],
    external_urls: { spotify: `https://open.spotify.com/album/${id}` },
    href: `${api}/albums/${id}`,
    id,
    images: [{ url: `https://i.scdn.co/image/${id}`, height: 300, width: 300 }],
    name: `Album ${id}`,
    release_date: '1991-11-04',
    release_date_precision: 'day',
    type: 'album',
    uri: `spotify:album:${id}`,
    artists: [simplifiedArtist('ar1')],
  };
}

export function album(id: string): Json {
  return {
    ...simplifiedAlbum(id),
    tracks: { href: `${api}/albums/${id}/tracks`, items: [], limit: 50, next: null, offset: 0, previous: null, total: 10 },
    copyrights: [{ text: '© 1991', type: 'C' }],
    external_ids: { upc: '123456789012' },
    genres: [],
    label: 'Creation',
    popularity: 60,
  };
}

export function track(id: string, extra: Json = {}): Json {
  return {
    album: simplifiedAlbum(`al-${id}`),
    artists: [simplifiedArtist('ar1'), simplifiedArtist('ar2')],
    available_markets: ['SE'],
    disc_number: 1,
    duration_ms: 240_000,
    explicit: false,
    external_ids: { isrc: 'GBAAA9100001' },
    external_urls: { spotify: `https://open.spotify.com/track/${id}` },
    href: `${api}/tracks/${id}`,
    id,
    is_local: false,
    name: `Track ${id}`,
    popularity: 50,
    preview_url: null,
    track_number: 1,
    type: 'track',
    uri: `spotify:track:${id}`,
    ...extra,
  };
}

/** A local file as Spotify sends it: ids null, album details null. */
export function localTrack(title = 'Demo tape'): Json {
  return {
    album: {
      album_type: null,
      artists: [],
      available_markets: [],
      external_urls: {},
      href: null,
      id: null,
      images: [],
      name: 'Basement',
      release_date: null,
      release_date_precision: null,
      type: 'album',
      uri: null,
    },
    artists: [{ external_urls: {}, href: null, id: null, name: 'Me', type: 'artist', uri: null }],
    available_markets: [],
    disc_number: 0,
    duration_ms: 180_000,
    explicit: false,
    external_ids: {},
    external_urls: {},
    href: null,
    id: null,
    is_local: true,
    name: title,
    popularity: 0,
    preview_url: null,
    track_number: 0,
    type: 'track',
    uri: `spotify:local:Me:Basement:${encodeURIComponent(title)}:180`,
  };
}

export function episode(id: string): Json {
  return {
    audio_preview_url: null,
    description: 'An episode',
    html_description: '<p>An episode</p>',
    duration_ms: 1_800_000,
    explicit: false,
    external_urls: { spotify: `https://open.spotify.com/episode/${id}` },
    href: `${api}/episodes/${id}`,
    id,
    images: [],
    is_externally_hosted: false,
    is_playable: true,
    language: 'en',
    languages: ['en'],
    name: `Episode ${id}`,
    release_date: '2025-01-01',
    release_date_precision: 'day',
    type: 'episode',
    uri: `spotify:episode:${id}`,
    show: { id: 'show1', name: 'A show', type: 'show', uri: 'spotify:show:show1' },
  };
}

export function page(items: unknown[], options: { offset?: number; limit?: number; total?: number } = {}): Json {
  const offset = options.offset ?? 0;
  const limit = options.limit ?? 50;
  const total = options.total ?? items.length;
  return {
    href: `${api}/x?offset=${offset}&limit=${limit}`,
    items,
    limit,
    next: offset + limit < total ? `${api}/x?offset=${offset + limit}&limit=${limit}` : null,
    offset,
    previous: null,
    total,
  };
}

export const user = (id: string): Json => ({ external_urls: {}, href: `${api}/users/${id}`, id, type: 'user', uri: `spotify:user:${id}` });

export function playlistItem(content: Json | null, key: 'item' | 'track' = 'item', extra: Json = {}): Json {
  return {
    added_at: '2024-05-01T10:00:00Z',
    added_by: user('owner'),
    is_local: content?.is_local === true,
    [key]: content,
    ...extra,
  };
}

export function simplifiedPlaylist(id: string, total = 3): Json {
  return {
    collaborative: false,
    description: 'Songs',
    external_urls: { spotify: `https://open.spotify.com/playlist/${id}` },
    href: `${api}/playlists/${id}`,
    id,
    images: [],
    name: `Playlist ${id}`,
    owner: { ...user('owner'), display_name: 'Owner' },
    public: false,
    snapshot_id: `snap-${id}`,
    type: 'playlist',
    uri: `spotify:playlist:${id}`,
    items: { href: `${api}/playlists/${id}/items`, total },
    tracks: { href: `${api}/playlists/${id}/tracks`, total },
  };
}

export function privateUser(extra: Json = {}): Json {
  return {
    account_id: 'acct-stable-1',
    country: 'SE',
    display_name: 'Demo User',
    email: 'demo@example.com',
    external_urls: { spotify: 'https://open.spotify.com/user/demo' },
    followers: { href: null, total: 3 },
    href: `${api}/users/demo`,
    id: 'demo',
    images: [],
    product: 'premium',
    type: 'user',
    uri: 'spotify:user:demo',
    ...extra,
  };
}
