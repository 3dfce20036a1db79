import type { FC } from 'hono/jsx';
import type { AlbumDetails, ArtistDetails, LibraryTrack } from '../../library/catalog-entities.js';
import type { EntityListening } from '../../library/listening-stats.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { EntityListeningCard } from './listening-sections.js';
import { TrackTable } from './track-table.js';

const StubNote: FC<{ synced: boolean; what: string }> = ({ synced, what }) =>
  synced ? null : (
    <p class="banner warn" data-testid="details-syncing">
      Details syncing: this {what} is known from your tracks; its own details arrive when the {what}s phase reaches it.
    </p>
  );

const tracksRows = (tracks: LibraryTrack[]) => tracks.map((t) => ({ track: t, note: t.saved ? undefined : 'in a playlist only' }));

export const ArtistPage: FC<{ ctx: PageContext; artist: ArtistDetails; listening?: EntityListening }> = ({ ctx, artist, listening }) => (
  <Layout title={artist.name} ctx={ctx} active="library">
    <p class="muted">Artist</p>
    <h1 data-testid="entity-name">{artist.name}</h1>
    <StubNote synced={artist.detailsSynced} what="artist" />
    {artist.genres.length > 0 ? <p class="muted">{artist.genres.join(' · ')}</p> : null}
    {listening ? <EntityListeningCard listening={listening} what="artist" /> : null}
    <h2>Your tracks ({artist.tracks.length})</h2>
    {artist.tracks.length ? <TrackTable ctx={ctx} rows={tracksRows(artist.tracks)} dateLabel="" /> : <p class="card">None of your saved or playlist tracks are by this artist.</p>}
  </Layout>
);

export const AlbumPage: FC<{ ctx: PageContext; album: AlbumDetails; listening?: EntityListening }> = ({ ctx, album, listening }) => (
  <Layout title={album.name} ctx={ctx} active="library">
    <p class="muted">{album.albumType ? album.albumType[0]!.toUpperCase() + album.albumType.slice(1) : 'Album'}</p>
    <h1 data-testid="entity-name">{album.name}</h1>
    <p>
      {album.artists.map((a, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a href={withAccount(`/artists/${encodeURIComponent(a.id)}`, ctx)}>{a.name}</a>
        </>
      ))}
      {album.releaseDate ? <span class="muted"> · {album.releaseDate}</span> : null}
      {album.totalTracks ? <span class="muted"> · {album.totalTracks === 1 ? '1 track' : `${album.totalTracks} tracks`}</span> : null}
      {album.label ? <span class="muted"> · {album.label}</span> : null}
    </p>
    <StubNote synced={album.detailsSynced} what="album" />
    {listening ? <EntityListeningCard listening={listening} what="album" /> : null}
    <h2>Your tracks on it ({album.tracks.length})</h2>
    {album.tracks.length ? <TrackTable ctx={ctx} rows={tracksRows(album.tracks)} dateLabel="" /> : <p class="card">None of your tracks are on this album.</p>}
  </Layout>
);
