import type { FC } from 'hono/jsx';
import type { AlbumDetails, ArtistDetails, LibraryTrack } from '../../library/catalog-entities.js';
import type { EntityListening } from '../../library/listening-stats.js';
import { Cover } from './cover.js';
import { count, duration, playCount } from './format.js';
import { Layout, type PageContext } from './layout.js';
import { albumHref, artistHref, trackHref } from './links.js';
import { EntityListeningCard } from './listening-sections.js';
import { TrackTable } from './track-table.js';

const StubNote: FC<{ synced: boolean; what: string }> = ({ synced, what }) =>
  synced ? null : (
    <p class="banner warn" data-testid="details-syncing">
      Details syncing: this {what} is known from your tracks; its own details arrive when the {what}s phase reaches it.
    </p>
  );

const tracksRows = (tracks: LibraryTrack[], lead?: (t: LibraryTrack) => string) =>
  tracks.map((t) => ({ track: t, note: t.saved ? undefined : 'in a playlist only', plays: t.plays, lead: lead?.(t) }));

const totalPlays = (tracks: LibraryTrack[]) => tracks.reduce((n, t) => n + t.plays, 0);

/**
 * The plays of the listed tracks, labelled as such: the header's figure (and the listening card's)
 * counts every play crediting the artist or on the album, library or not, so the two differ when you
 * played tracks you never saved, or (on an artist) the list holds tracks on its albums by others.
 */
const ListedPlays: FC<{ tracks: LibraryTrack[]; total: number | undefined; artistId?: string }> = ({ tracks, total, artistId }) => {
  const listed = totalPlays(tracks);
  const byOthers = artistId === undefined ? [] : tracks.filter((t) => !t.artists.some((a) => a.id === artistId));
  const othersPlays = totalPlays(byOthers);
  const reasons = [
    total !== undefined && total > listed - othersPlays ? `the ${playCount(total)} above also count ${artistId ? 'its tracks' : 'tracks on it'} that are not in your library` : '',
    othersPlays > 0
      ? `${playCount(othersPlays)} here ${othersPlays === 1 ? 'is of a track' : 'are of tracks'} on its albums credited to other artists, which the figure above leaves out`
      : '',
  ].filter(Boolean);
  return (
    <p class="muted" data-testid="listed-plays">
      {playCount(listed)} of the {tracks.length === 1 ? 'track' : `${count(tracks.length)} tracks`} below{reasons.length ? ` (${reasons.join('; ')})` : ''}.
    </p>
  );
};

/** The header's play count: the listening card's figure (every source, 30 s or more), or the listed tracks' when there is none. */
const headerPlays = (listening: EntityListening | undefined, tracks: LibraryTrack[]) => playCount(listening ? listening.plays : totalPlays(tracks));

/** The most played of `tracks` (those played at all), most first. */
const TopTracks: FC<{ tracks: LibraryTrack[]; ctx: PageContext; withAlbum: boolean }> = ({ tracks, ctx, withAlbum }) => {
  const top = tracks
    .filter((t) => t.plays > 0)
    .sort((a, b) => b.plays - a.plays || a.name.localeCompare(b.name))
    .slice(0, 5);
  if (top.length === 0) return <p class="muted">No plays of these tracks recorded yet.</p>;
  return (
    <ol class="top" data-testid="top-tracks">
      {top.map((t) => (
        <li>
          <a class="track-name" href={trackHref(t.id, ctx)}>
            {t.name}
          </a>
          {withAlbum ? (
            <span class="muted">
              {' · '}
              <a href={albumHref(t.album.id, ctx)}>{t.album.name}</a>
            </span>
          ) : null}
          <span class="muted"> · {playCount(t.plays)}</span>
        </li>
      ))}
    </ol>
  );
};

export const ArtistPage: FC<{ ctx: PageContext; artist: ArtistDetails; listening?: EntityListening }> = ({ ctx, artist, listening }) => (
  <Layout title={artist.name} ctx={ctx} active="library">
    <div class="entity-head">
      <Cover url={artist.imageUrl} size="l" round />
      <div>
        <p class="muted">Artist</p>
        <h1 data-testid="entity-name">{artist.name}</h1>
        <p class="muted" data-testid="entity-plays">
          {headerPlays(listening, artist.tracks)} · {artist.tracks.length === 1 ? '1 track' : `${count(artist.tracks.length)} tracks`} in your library
        </p>
        {artist.genres.length > 0 ? <p class="muted">{artist.genres.join(' · ')}</p> : null}
      </div>
    </div>
    <StubNote synced={artist.detailsSynced} what="artist" />
    <section class="card" aria-label="Top tracks">
      <h2>Your most played</h2>
      <TopTracks tracks={artist.tracks.filter((t) => t.artists.some((a) => a.id === artist.id))} ctx={ctx} withAlbum />
    </section>
    {listening ? <EntityListeningCard listening={listening} what="artist" /> : null}
    <h2>Your tracks ({artist.tracks.length})</h2>
    {artist.tracks.length ? <ListedPlays tracks={artist.tracks} total={listening?.plays} artistId={artist.id} /> : null}
    {artist.tracks.length ? (
      <TrackTable ctx={ctx} rows={tracksRows(artist.tracks)} dateLabel="" showPlays />
    ) : (
      <p class="card">None of your saved or playlist tracks are by this artist.</p>
    )}
  </Layout>
);

export const AlbumPage: FC<{ ctx: PageContext; album: AlbumDetails; listening?: EntityListening }> = ({ ctx, album, listening }) => {
  const length = album.tracks.reduce((n, t) => n + (t.durationMs ?? 0), 0);
  const discs = new Set(album.tracks.map((t) => t.discNumber ?? 1)).size;
  return (
    <Layout title={album.name} ctx={ctx} active="library">
      <div class="entity-head">
        <Cover url={album.imageUrl} size="l" />
        <div>
          <p class="muted">{album.albumType ? album.albumType[0]!.toUpperCase() + album.albumType.slice(1) : 'Album'}</p>
          <h1 data-testid="entity-name">{album.name}</h1>
          <p>
            {album.artists.map((a, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={artistHref(a.id, ctx)}>{a.name}</a>
              </>
            ))}
            {album.releaseDate ? <span class="muted"> · {album.releaseDate}</span> : null}
            {album.totalTracks ? <span class="muted"> · {album.totalTracks === 1 ? '1 track' : `${album.totalTracks} tracks`}</span> : null}
            {album.label ? <span class="muted"> · {album.label}</span> : null}
          </p>
          <p class="muted" data-testid="entity-plays">
            {headerPlays(listening, album.tracks)} · {album.tracks.length === 1 ? '1 track' : `${album.tracks.length} tracks`} in your library ({duration(length)})
          </p>
        </div>
      </div>
      <StubNote synced={album.detailsSynced} what="album" />
      {listening ? <EntityListeningCard listening={listening} what="album" /> : null}
      <section class="card" aria-label="Top tracks">
        <h2>Your most played</h2>
        <TopTracks tracks={album.tracks} ctx={ctx} withAlbum={false} />
      </section>
      <h2>Your tracks on it ({album.tracks.length})</h2>
      {album.tracks.length ? <ListedPlays tracks={album.tracks} total={listening?.plays} /> : null}
      {album.tracks.length ? (
        <TrackTable
          ctx={ctx}
          rows={tracksRows(album.tracks, (t) => (t.trackNumber === null ? '' : discs > 1 ? `${t.discNumber ?? 1}-${t.trackNumber}` : String(t.trackNumber)))}
          leadLabel="#"
          dateLabel=""
          showAlbum={false}
          showPlays
        />
      ) : (
        <p class="card">None of your tracks are on this album.</p>
      )}
    </Layout>
  );
};
