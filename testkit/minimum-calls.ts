/**
 * The fewest Spotify Web API calls an initial sync of the simulator's library can make, computed from
 * the simulator's own answers (not from our code): saved-track pages; the artists and albums of the
 * saved and recently played tracks (batch endpoints of 50 and 20 ids, or one call each in development mode, plus the one
 * refused batch call that reveals development mode under SPOTIFY_APP_MODE=auto); playlist listing
 * pages; item pages of every readable, non-empty playlist; then the artists and albums only playlists
 * brought in.
 */
export async function minimumInitialSyncCalls(
  simUrl: string,
  refreshToken: string,
  options: {
    appMode: 'development' | 'extended';
    configuredMode: 'auto' | 'development' | 'extended';
    truth: { artists: string[]; albums: string[] };
    /** Whether the playback workflow polls first (it does from connect; default true). */
    played?: boolean;
  },
): Promise<number> {
  const tokenRes = await fetch(`${simUrl}/api/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spotify-sync-demo' }),
  });
  const { access_token: accessToken } = (await tokenRes.json()) as { access_token: string };
  // The simulator may be set to fail some calls (5xx): this count reads through them, as the sync does.
  const get = async <T>(path: string): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${simUrl}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
      if (res.ok) return (await res.json()) as T;
      if (res.status < 500 || attempt >= 20) throw new Error(`${path}: ${res.status}`);
    }
  };
  type Artist = { id: string | null };
  type Track = { id: string | null; artists: Artist[]; album: { id: string; artists: Artist[] } };
  const me = await get<{ id: string }>('/v1/me');

  const savedArtists = new Set<string>();
  const savedAlbums = new Set<string>();
  let savedTotal = 0;
  for (let offset = 0; ; offset += 50) {
    const page = await get<{ items: { track: Track | null }[]; total: number }>(`/v1/me/tracks?limit=50&offset=${offset}`);
    savedTotal = page.total;
    for (const { track } of page.items) {
      if (!track?.id) continue;
      savedAlbums.add(track.album.id);
      for (const a of [...track.artists, ...track.album.artists]) if (a.id) savedArtists.add(a.id);
    }
    if (offset + 50 >= page.total) break;
  }
  // The playback workflow's first poll (at connect, before the artists phase) stores the recent plays;
  // their tracks' artists and albums are enriched with those of the saved tracks.
  if (options.played ?? true) {
    const recent = await get<{ items: { track: Track | null }[] }>('/v1/me/player/recently-played?limit=50');
    for (const { track } of recent.items) {
      if (!track?.id) continue;
      savedAlbums.add(track.album.id);
      for (const a of [...track.artists, ...track.album.artists]) if (a.id) savedArtists.add(a.id);
    }
  }

  type Playlist = { owner: { id: string }; collaborative: boolean; items?: { total: number }; tracks?: { total: number } };
  const playlists: Playlist[] = [];
  let playlistTotal = 0;
  for (let offset = 0; ; offset += 50) {
    const page = await get<{ items: Playlist[]; total: number }>(`/v1/me/playlists?limit=50&offset=${offset}`);
    playlistTotal = page.total;
    playlists.push(...page.items);
    if (offset + 50 >= page.total) break;
  }

  const development = options.appMode === 'development';
  const perCall = (n: number, size: number) => (development ? n : Math.ceil(n / size));
  const discoveredArtists = options.truth.artists.filter((id) => !savedArtists.has(id)).length;
  const discoveredAlbums = options.truth.albums.filter((id) => !savedAlbums.has(id)).length;
  const itemPages = playlists
    .filter((p) => !development || p.owner.id === me.id || p.collaborative)
    .reduce((sum, p) => sum + Math.ceil((p.items?.total ?? p.tracks?.total ?? 0) / 50), 0);
  const detection = development && options.configuredMode === 'auto' && savedArtists.size > 0 ? 1 : 0;

  const collections = await minimumCollectionsCalls(get, { development, known: new Set(options.truth.artists) });
  return (
    collections +
    Math.max(1, Math.ceil(savedTotal / 50)) +
    detection +
    perCall(savedArtists.size, 50) +
    perCall(savedAlbums.size, 20) +
    Math.max(1, Math.ceil(playlistTotal / 50)) +
    itemPages +
    perCall(discoveredArtists, 50) +
    perCall(discoveredAlbums, 20)
  );
}

/**
 * The collections phase: one call per page of 50 of each collection (one for an empty one), then the
 * artists of saved albums that nothing else brought in with details (followed artists come whole).
 */
async function minimumCollectionsCalls(get: <T>(path: string) => Promise<T>, options: { development: boolean; known: Set<string> }): Promise<number> {
  let calls = 0;
  const albumArtists = new Set<string>();
  for (const path of ['/v1/me/albums', '/v1/me/shows', '/v1/me/episodes', '/v1/me/audiobooks']) {
    const first = await get<{ total: number }>(`${path}?limit=50&offset=0`);
    calls += Math.max(1, Math.ceil(first.total / 50));
    if (path !== '/v1/me/albums') continue;
    for (let offset = 0; offset < first.total; offset += 50) {
      const page = await get<{ items: { album: { artists: { id: string | null }[] } }[] }>(`${path}?limit=50&offset=${offset}`);
      for (const { album } of page.items) for (const a of album.artists) if (a.id) albumArtists.add(a.id);
    }
  }
  const followed = new Set<string>();
  for (let after: string | null | undefined = undefined; ;) {
    const page: { artists: { items: { id: string }[]; next: string | null; cursors: { after: string | null } | null } } = await get(
      `/v1/me/following?type=artist&limit=50${after ? `&after=${after}` : ''}`,
    );
    calls += 1;
    for (const a of page.artists.items) followed.add(a.id);
    after = page.artists.cursors?.after;
    if (!page.artists.next || !after) break;
  }
  const stubs = [...albumArtists].filter((id) => !options.known.has(id) && !followed.has(id)).length;
  return calls + (options.development ? stubs : Math.ceil(stubs / 50));
}

/** Web API calls of the sync itself: everything but the connect's /v1/me and the playback polls. */
export function syncCalls(byEndpoint: Record<string, number | { total: number }>): number {
  return Object.entries(byEndpoint)
    .filter(([endpoint]) => endpoint.includes(' /v1/') && endpoint !== 'GET /v1/me' && !endpoint.includes('recently-played'))
    .reduce((sum, [, v]) => sum + (typeof v === 'number' ? v : v.total), 0);
}
