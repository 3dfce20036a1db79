import { z } from 'zod';
import { savedTrackProfile } from './catalog.js';
import { type AppMode, describeIssues } from './config.js';
import { maxPlays, newPlaylistItem, newSnapshotId, randomPlay, type Library, type Playlist } from './library.js';
import { isoMillis } from './objects.js';
import { type Prng } from './prng.js';
import { itemsAccessible } from './truth.js';
import { applyCollectionMutations, type CollectionMutationResult } from './collection-mutations.js';

/** Changes to the library "as a user would" (contract: POST /_sim/mutate). */

const count = z.number().int().min(0).max(100_000);

export const mutationSchema = z
  .object({
    saveTracks: count,
    removeTracks: count,
    resaveTracks: count,
    editPlaylists: count,
    deletePlaylists: count,
    renamePlaylists: count,
    play: count,
    saveAlbums: count,
    removeAlbums: count,
    followArtists: count,
    unfollowArtists: count,
    saveShows: count,
    removeShows: count,
    saveEpisodes: count,
    removeEpisodes: count,
    saveAudiobooks: count,
    removeAudiobooks: count,
    latePlay: z
      .number()
      .int()
      .min(0)
      .max(maxPlays - 1),
  })
  .strict()
  .partial()
  .refine((m) => Object.keys(m).length > 0, 'give at least one of the changes (saveTracks, removeTracks, saveAlbums, followArtists, play, ...)');

export type MutationInput = z.infer<typeof mutationSchema>;

/** What a mutation did: the tracks, playlists and plays here, and per collection the ids saved or followed (newest first) and removed or unfollowed (collection-mutations.ts). */
export interface MutationResult extends CollectionMutationResult {
  /** Track ids newly saved at the top, newest first. */
  savedTracks?: string[];
  /** The part of `savedTracks` that did not exist anywhere before (some with new artists and albums). */
  newTracks?: string[];
  removedTracks?: string[];
  resavedTracks?: string[];
  editedPlaylists?: { id: string; snapshotId: string; addedTracks: string[]; removedTracks: string[]; addedEntries: number; removedEntries: number }[];
  deletedPlaylists?: string[];
  renamedPlaylists?: { id: string; name: string; snapshotId: string }[];
  plays?: { trackId: string; playedAt: string; context: string | null }[];
  /** Plays recently-played lists from now on, though they ended before newer ones it already listed. */
  latePlays?: { trackId: string; playedAt: string; context: string | null }[];
}

export function parseMutation(input: unknown): MutationInput {
  const result = mutationSchema.safeParse(input);
  if (!result.success) throw new Error(`invalid mutation: ${describeIssues(result.error)}`);
  return result.data;
}

export function applyMutation(library: Library, rng: Prng, input: MutationInput, now: number, appMode: AppMode): MutationResult {
  const result: MutationResult = {};
  library.version++;
  const trackId = (index: number): string => library.catalog.tracks[index]?.id ?? '';

  if (input.removeTracks !== undefined) {
    const picked = new Set(rng.shuffled(library.saved.map((_, i) => i)).slice(0, input.removeTracks));
    const removed = library.saved.filter((_, i) => picked.has(i));
    library.saved = library.saved.filter((_, i) => !picked.has(i));
    library.removed.push(...removed.map((s) => s.track));
    result.removedTracks = removed.map((s) => trackId(s.track));
  }

  if (input.resaveTracks !== undefined) {
    const savedNow = new Set(library.saved.map((s) => s.track));
    const candidates = rng.shuffled([...new Set(library.removed)].filter((t) => !savedNow.has(t)));
    const resaved = candidates.slice(0, input.resaveTracks);
    const resavedSet = new Set(resaved);
    library.removed = library.removed.filter((t) => !resavedSet.has(t));
    for (const track of resaved) library.saved.push({ track, addedAt: now });
    result.resavedTracks = resaved.reverse().map(trackId);
  }

  if (input.saveTracks !== undefined) {
    const savedNow = new Set(library.saved.map((s) => s.track));
    const removedSet = new Set(library.removed);
    // Existing tracks the user has never saved: the ones met in playlists.
    const unsaved = rng.shuffled(library.playlistOnlyTracks.filter((t) => !savedNow.has(t) && !removedSet.has(t)));
    const saved: number[] = [];
    const brandNew: number[] = [];
    for (let i = 0; i < input.saveTracks; i++) {
      const existing = rng.chance(0.5) ? unsaved.pop() : undefined;
      const track = existing ?? library.catalog.newTrack(savedTrackProfile);
      if (existing === undefined) brandNew.push(track);
      saved.push(track);
      library.saved.push({ track, addedAt: now });
    }
    result.savedTracks = saved.reverse().map(trackId);
    result.newTracks = brandNew.reverse().map(trackId);
  }

  if (input.editPlaylists !== undefined) {
    const editable = library.playlists.filter((p) => itemsAccessible(p, appMode));
    result.editedPlaylists = rng
      .shuffled(editable)
      .slice(0, input.editPlaylists)
      .map((playlist) => editPlaylist(library, rng, playlist, now));
  }

  if (input.deletePlaylists !== undefined) {
    const deleted = new Set(rng.shuffled(library.playlists).slice(0, input.deletePlaylists));
    library.playlists = library.playlists.filter((p) => !deleted.has(p));
    library.unfollowedPlaylists.push(...deleted);
    result.deletedPlaylists = [...deleted].map((p) => p.id);
  }

  if (input.renamePlaylists !== undefined) {
    // Only playlists the user may edit can be renamed; a rename is a new snapshot, as on Spotify.
    const editable = library.playlists.filter((p) => p.relation !== 'followed');
    result.renamedPlaylists = rng
      .shuffled(editable)
      .slice(0, input.renamePlaylists)
      .map((playlist) => {
        playlist.name = `${playlist.name} (renamed)`;
        playlist.snapshotId = newSnapshotId(rng);
        return { id: playlist.id, name: playlist.name, snapshotId: playlist.snapshotId };
      });
  }

  Object.assign(result, applyCollectionMutations(library, rng, input, now));

  if (input.play !== undefined) {
    const plays = [];
    // One listener plays one track at a time: new plays come after the last one, ending now, 3 minutes
    // apart or closer when less time has passed since.
    const lastPlayedAt = library.plays.reduce((max, p) => Math.max(max, p.playedAt), -Infinity);
    const spacing = Math.max(1, Math.min(180_000, Math.floor((now - lastPlayedAt) / (input.play + 1))));
    for (let k = 0; k < input.play; k++) plays.push(randomPlay(library, rng, now - (input.play - 1 - k) * spacing));
    library.plays = [...library.plays, ...plays].sort((a, b) => a.playedAt - b.playedAt).slice(-maxPlays);
    result.plays = plays
      .reverse()
      .map((p) => ({ trackId: trackId(p.track), playedAt: isoMillis(p.playedAt), context: p.context ? `spotify:${p.context.type}:${p.context.id}` : null }));
  }

  if (input.latePlay !== undefined) {
    // Spotify's recently-played sometimes lists a play late, hours after newer ones (spotify/web-api#1441,
    // #1186, #918): it shows up now, behind the newest plays, within the 50 the endpoint serves. Each
    // ended halfway between two of the newest plays (the k-th late play behind the k-th newest).
    const sorted = [...library.plays].sort((a, b) => a.playedAt - b.playedAt);
    const late = [];
    for (let k = 0; k < input.latePlay; k++) {
      const newer = sorted[sorted.length - 1 - k];
      const older = sorted[sorted.length - 2 - k];
      const playedAt = newer ? (older ? Math.floor((older.playedAt + newer.playedAt) / 2) : newer.playedAt - 300_000) : now - 300_000;
      late.push(randomPlay(library, rng, playedAt));
    }
    library.plays = [...library.plays, ...late].sort((a, b) => a.playedAt - b.playedAt).slice(-maxPlays);
    result.latePlays = late.map((p) => ({ trackId: trackId(p.track), playedAt: isoMillis(p.playedAt), context: p.context ? `spotify:${p.context.type}:${p.context.id}` : null }));
  }

  return result;
}

function editPlaylist(library: Library, rng: Prng, playlist: Playlist, now: number) {
  const trackIdOf = (item: Playlist['items'][number]): string[] => (item.kind === 'track' ? [library.catalog.tracks[item.track]?.id ?? ''] : []);
  const removeCount = rng.int(0, Math.min(3, playlist.items.length));
  const removedPositions = new Set(rng.shuffled(playlist.items.map((_, i) => i)).slice(0, removeCount));
  const removed = playlist.items.filter((_, i) => removedPositions.has(i));
  playlist.items = playlist.items.filter((_, i) => !removedPositions.has(i));
  const added = [];
  for (let i = rng.int(1, 4); i > 0; i--) added.push(newPlaylistItem(library, rng, playlist, now));
  playlist.items.push(...added);
  playlist.snapshotId = newSnapshotId(rng);
  return {
    id: playlist.id,
    snapshotId: playlist.snapshotId,
    addedTracks: added.flatMap(trackIdOf),
    removedTracks: removed.flatMap(trackIdOf),
    addedEntries: added.length,
    removedEntries: removed.length,
  };
}
