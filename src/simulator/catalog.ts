import { albumName, artistName, genres, showName, trackName } from './names.js';
import { type Prng, prngFor } from './prng.js';

/**
 * The simulated Spotify catalogue: every artist, album, track, show and episode the user can meet.
 * Only structure is stored (ids and links); names, genres and dates derive from the id when rendered,
 * which keeps a 100k-track library small and quick to generate.
 */

export interface Artist {
  id: string;
  /** Only for artists with a fixed name ("Various Artists"); others derive theirs from the id. */
  name?: string;
}

export type AlbumType = 'album' | 'single' | 'compilation';

export interface Album {
  id: string;
  albumType: AlbumType;
  /** Indexes into `Catalog.artists`. */
  artists: number[];
  totalTracks: number;
  /** Catalogue tracks on this album (indexes into `Catalog.tracks`); other positions are filler. */
  tracks: number[];
}

export interface Track {
  id: string;
  album: number;
  artists: number[];
  trackNumber: number;
}

export interface Show {
  id: string;
  name: string;
  publisher: string;
}

export interface Episode {
  id: string;
  name: string;
  show: number;
  releaseDate: string;
}

export interface Audiobook {
  id: string;
  name: string;
  author: string;
  narrator: string;
  chapters: number;
}

/** How a new track picks its artists and album: new ones or ones already in the catalogue. */
export interface TrackProfile {
  newArtistChance: number;
  /** Chance that a track by an artist already known starts a new album. */
  newAlbumChance: number;
  compilationChance: number;
  featuredArtistChance: number;
}

export const savedTrackProfile: TrackProfile = {
  newArtistChance: 0.3,
  newAlbumChance: 0.38,
  compilationChance: 0.03,
  featuredArtistChance: 0.3,
};

/** Tracks found only in playlists come more often from artists and albums the user never saved. */
export const playlistTrackProfile: TrackProfile = {
  newArtistChance: 0.45,
  newAlbumChance: 0.6,
  compilationChance: 0.04,
  featuredArtistChance: 0.3,
};

export class Catalog {
  readonly artists: Artist[] = [];
  readonly albums: Album[] = [];
  readonly tracks: Track[] = [];
  readonly shows: Show[] = [];
  readonly episodes: Episode[] = [];
  readonly audiobooks: Audiobook[] = [];
  /** One entry per (track, artist) credit: a uniform pick is a pick proportional to an artist's tracks. */
  private readonly artistCredits: number[] = [];
  private readonly albumsByArtist: number[][] = [];
  private readonly compilations: number[] = [];
  private variousArtists: number | undefined;
  private readonly artistsById = new Map<string, number>();
  private readonly albumsById = new Map<string, number>();

  constructor(private readonly rng: Prng) {}

  /**
   * No uniqueness check: 62^22 ≈ 2.7e39 ids, so even a million of them collide with odds near 1e-27,
   * and a Set of every id would cost 100k-track libraries noticeable time.
   */
  newId(): string {
    return this.rng.base62();
  }

  findArtist(id: string): number | undefined {
    return this.artistsById.get(id);
  }

  findAlbum(id: string): number | undefined {
    return this.albumsById.get(id);
  }

  private tracksById: { size: number; map: Map<string, number> } | undefined;

  /** Tracks are looked up rarely (history resolution): the index is built on first use and on growth. */
  findTrack(id: string): number | undefined {
    if (this.tracksById?.size !== this.tracks.length) {
      this.tracksById = { size: this.tracks.length, map: new Map(this.tracks.map((t, i) => [t.id, i])) };
    }
    return this.tracksById.map.get(id);
  }

  newTrack(profile: TrackProfile): number {
    const rng = this.rng;
    const primary = this.artists.length === 0 || rng.chance(profile.newArtistChance) ? this.newArtist() : this.popularArtist();
    const artists = [primary];
    if (rng.chance(profile.featuredArtistChance)) {
      const featured = rng.chance(0.8) ? 1 : 2;
      for (let i = 0; i < featured; i++) {
        const artist = rng.chance(profile.newArtistChance) ? this.newArtist() : this.popularArtist();
        if (!artists.includes(artist)) artists.push(artist);
      }
    }
    const album = this.albumFor(primary, artists, profile);
    const index = this.tracks.length;
    this.tracks.push({ id: this.newId(), album, artists, trackNumber: this.freePosition(album) });
    this.albums[album]?.tracks.push(index);
    for (const artist of artists) this.artistCredits.push(artist);
    return index;
  }

  newEpisode(): number {
    if (this.shows.length === 0) {
      for (let i = 0; i < 3; i++) {
        this.shows.push({ id: this.newId(), name: showName(this.rng), publisher: artistName(this.rng) });
      }
    }
    const index = this.episodes.length;
    this.episodes.push({
      id: this.newId(),
      name: `Episode ${this.rng.int(1, 300)}: ${trackName(this.rng)}`,
      show: this.rng.int(0, this.shows.length - 1),
      releaseDate: releaseDate(this.rng, 2018).date,
    });
    return index;
  }

  /** A show with `episodes` episodes of its own (saved shows have many). */
  newShow(episodes: number): number {
    const show = this.shows.length;
    this.shows.push({ id: this.newId(), name: showName(this.rng), publisher: artistName(this.rng) });
    for (let i = 0; i < episodes; i++) {
      this.episodes.push({ id: this.newId(), name: `Episode ${i + 1}: ${trackName(this.rng)}`, show, releaseDate: releaseDate(this.rng, 2018).date });
    }
    return show;
  }

  newAudiobook(): number {
    const index = this.audiobooks.length;
    this.audiobooks.push({ id: this.newId(), name: albumName(this.rng), author: artistName(this.rng), narrator: artistName(this.rng), chapters: this.rng.int(8, 60) });
    return index;
  }

  /** An album none of whose tracks the user met: by an artist already known, or a new one. */
  newUnheardAlbum(): number {
    const artist = this.artists.length > 0 && this.rng.chance(0.6) ? this.popularArtist() : this.newArtist();
    return this.newAlbum([artist], this.rng.chance(0.2) ? 'single' : 'album');
  }

  /** An artist on no track of the catalogue (one the user follows without having saved anything by). */
  newTracklessArtist(): number {
    return this.newArtist();
  }

  private newArtist(name?: string): number {
    const index = this.artists.length;
    const id = this.newId();
    this.artists.push(name === undefined ? { id } : { id, name });
    this.artistsById.set(id, index);
    this.albumsByArtist.push([]);
    return index;
  }

  private popularArtist(): number {
    // Mostly preferential attachment over credits, so a few artists end up on many tracks (a power
    // law); the uniform share keeps the first artists from taking a tenth of the library.
    const credit = this.rng.chance(0.7) ? this.artistCredits[Math.floor(this.rng.next() * this.artistCredits.length)] : undefined;
    if (credit !== undefined) return credit;
    const artist = this.rng.int(0, this.artists.length - 1);
    // "Various Artists" only ever credits compilations, never a track.
    return artist === this.variousArtists ? (this.artistCredits[0] ?? this.newArtist()) : artist;
  }

  private albumFor(primary: number, trackArtists: number[], profile: TrackProfile): number {
    const rng = this.rng;
    if (rng.chance(profile.compilationChance)) {
      if (this.compilations.length > 0 && rng.chance(0.5)) return rng.pick(this.compilations);
      this.variousArtists ??= this.newArtist('Various Artists');
      const album = this.newAlbum([this.variousArtists], 'compilation');
      this.compilations.push(album);
      return album;
    }
    const known = this.albumsByArtist[primary] ?? [];
    if (known.length > 0 && !rng.chance(profile.newAlbumChance)) return rng.pick(known);
    const second = trackArtists[1];
    const albumArtists = second !== undefined && rng.chance(0.3) ? [primary, second] : [primary];
    return this.newAlbum(albumArtists, rng.chance(0.3) ? 'single' : 'album');
  }

  private newAlbum(artists: number[], albumType: AlbumType): number {
    const rng = this.rng;
    const index = this.albums.length;
    const totalTracks = albumType === 'single' ? rng.int(1, 4) : albumType === 'compilation' ? rng.int(15, 30) : rng.int(8, 16);
    const id = this.newId();
    this.albumsById.set(id, index);
    this.albums.push({ id, albumType, artists, totalTracks, tracks: [] });
    for (const artist of artists) this.albumsByArtist[artist]?.push(index);
    return index;
  }

  /** A track number not yet taken on the album; a full album grows by one track. */
  private freePosition(albumIndex: number): number {
    const album = this.albums[albumIndex];
    if (!album) throw new Error(`no album ${albumIndex}`);
    const taken = (position: number): boolean => album.tracks.some((t) => this.tracks[t]?.trackNumber === position);
    for (let attempt = 0; attempt < 8; attempt++) {
      const position = this.rng.int(1, album.totalTracks);
      if (!taken(position)) return position;
    }
    for (let position = 1; position <= album.totalTracks; position++) if (!taken(position)) return position;
    album.totalTracks += 1;
    return album.totalTracks;
  }
}

export const artistTitle = (artist: Artist): string => artist.name ?? artistName(prngFor(artist.id));

export function artistInfo(artist: Artist): { name: string; genres: string[] } {
  const rng = prngFor(artist.id);
  const name = artistName(rng);
  return { name: artist.name ?? name, genres: rng.shuffled(genres).slice(0, rng.int(0, 3)) };
}

export function albumInfo(album: Album): { name: string; releaseDate: string; releaseDatePrecision: 'year' | 'month' | 'day' } {
  const rng = prngFor(album.id);
  const name = albumName(rng);
  const release = releaseDate(rng, 1965);
  return { name, releaseDate: release.date, releaseDatePrecision: release.precision };
}

export const trackTitle = (track: Track): string => trackName(prngFor(`${track.id}:name`));

function releaseDate(rng: Prng, fromYear: number): { date: string; precision: 'year' | 'month' | 'day' } {
  const year = rng.int(fromYear, 2025);
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const day = String(rng.int(1, 28)).padStart(2, '0');
  const roll = rng.next();
  if (roll < 0.08) return { date: `${year}`, precision: 'year' };
  if (roll < 0.13) return { date: `${year}-${month}`, precision: 'month' };
  return { date: `${year}-${month}-${day}`, precision: 'day' };
}
