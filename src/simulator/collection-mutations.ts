import { type Catalog } from './catalog.js';
import { type CollectionSave, type Collections } from './collections.js';
import { type Library } from './library.js';
import { type Prng } from './prng.js';

/** The collection changes of POST /_sim/mutate (DESIGN.md "The whole library"), as counts. */
export interface CollectionMutationInput {
  saveAlbums?: number;
  removeAlbums?: number;
  followArtists?: number;
  unfollowArtists?: number;
  saveShows?: number;
  removeShows?: number;
  saveEpisodes?: number;
  removeEpisodes?: number;
  saveAudiobooks?: number;
  removeAudiobooks?: number;
}

export interface CollectionMutationResult {
  savedAlbums?: string[];
  removedAlbums?: string[];
  followedArtists?: string[];
  unfollowedArtists?: string[];
  savedShows?: string[];
  removedShows?: string[];
  savedEpisodes?: string[];
  removedEpisodes?: string[];
  savedAudiobooks?: string[];
  removedAudiobooks?: string[];
}

type Dated = 'savedAlbums' | 'savedShows' | 'savedEpisodes' | 'savedAudiobooks';

/** How each dated collection names its catalogue entries and makes a new one when every existing one is saved. */
const dated: Record<
  Dated,
  {
    save: keyof CollectionMutationInput;
    remove: keyof CollectionMutationInput;
    removed: keyof CollectionMutationResult;
    ids: (c: Catalog) => { id: string }[];
    make: (c: Catalog, rng: Prng) => number;
  }
> = {
  savedAlbums: { save: 'saveAlbums', remove: 'removeAlbums', removed: 'removedAlbums', ids: (c) => c.albums, make: (c) => c.newUnheardAlbum() },
  savedShows: { save: 'saveShows', remove: 'removeShows', removed: 'removedShows', ids: (c) => c.shows, make: (c, rng) => c.newShow(rng.int(3, 12)) },
  savedEpisodes: { save: 'saveEpisodes', remove: 'removeEpisodes', removed: 'removedEpisodes', ids: (c) => c.episodes, make: (c) => c.newEpisode() },
  savedAudiobooks: { save: 'saveAudiobooks', remove: 'removeAudiobooks', removed: 'removedAudiobooks', ids: (c) => c.audiobooks, make: (c) => c.newAudiobook() },
};

/**
 * Saves and removals as a user makes them: a save goes on top (now), mostly of something already in
 * the catalogue, else of something new; a removal takes any save. Follows have no date and no order.
 */
export function applyCollectionMutations(library: Library, rng: Prng, input: CollectionMutationInput, now: number): CollectionMutationResult {
  const result: CollectionMutationResult = {};
  const { catalog, collections } = library;
  for (const name of Object.keys(dated) as Dated[]) {
    const rule = dated[name];
    const idOf = (index: number) => rule.ids(catalog)[index]?.id ?? '';
    const removeCount = input[rule.remove];
    if (removeCount !== undefined) {
      const picked = new Set(rng.shuffled(collections[name].map((_, i) => i)).slice(0, removeCount));
      result[rule.removed] = collections[name].filter((_, i) => picked.has(i)).map((s) => idOf(s.index));
      collections[name] = collections[name].filter((_, i) => !picked.has(i));
    }
    const saveCount = input[rule.save];
    if (saveCount !== undefined) {
      const savedNow = new Set(collections[name].map((s) => s.index));
      const unsaved = rng.shuffled(rule.ids(catalog).flatMap((_, i) => (savedNow.has(i) ? [] : [i])));
      const saves: CollectionSave[] = [];
      for (let i = 0; i < saveCount; i++) saves.push({ index: (rng.chance(0.5) ? unsaved.pop() : undefined) ?? rule.make(catalog, rng), addedAt: now });
      collections[name].push(...saves);
      result[name] = saves.reverse().map((s) => idOf(s.index));
    }
  }
  followMutations(catalog, rng, collections, input, result);
  return result;
}

function followMutations(catalog: Catalog, rng: Prng, collections: Collections, input: CollectionMutationInput, result: CollectionMutationResult): void {
  const idOf = (index: number) => catalog.artists[index]?.id ?? '';
  if (input.unfollowArtists !== undefined) {
    const picked = new Set(rng.shuffled(collections.followedArtists).slice(0, input.unfollowArtists));
    collections.followedArtists = collections.followedArtists.filter((a) => !picked.has(a));
    result.unfollowedArtists = [...picked].map(idOf);
  }
  if (input.followArtists !== undefined) {
    const followed = new Set(collections.followedArtists);
    const unfollowed = rng.shuffled(catalog.artists.flatMap((_, i) => (followed.has(i) ? [] : [i])));
    const added: number[] = [];
    for (let i = 0; i < input.followArtists; i++) added.push((rng.chance(0.5) ? unfollowed.pop() : undefined) ?? catalog.newTracklessArtist());
    collections.followedArtists.push(...added);
    result.followedArtists = added.map(idOf);
  }
}
