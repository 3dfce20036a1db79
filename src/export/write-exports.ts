import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../db/connect.js';
import { backupJson } from './backup.js';
import { collectionNames } from '../library/collections.js';
import { collectionCsv, collectionFiles } from './collections-csv.js';
import { historyCsv, playlistCsv, savedTracksCsv } from './exportify-csv.js';

export const exportWhats = ['saved', 'playlists', 'history', 'collections', 'all'] as const;
export type ExportWhat = (typeof exportWhats)[number];
export type ExportFormat = 'csv' | 'json';

/** A file name from a playlist's name and id: readable, unique, safe on every file system. */
export const playlistFileName = (name: string, id: string) =>
  `${
    name
      .replace(/[^\p{L}\p{N} ._-]+/gu, '_')
      .trim()
      .slice(0, 80) || 'playlist'
  } (${id}).csv`;

async function writeFile(path: string, chunks: AsyncGenerator<string>): Promise<void> {
  await pipeline(Readable.from(chunks), createWriteStream(path));
}

/**
 * Writes the exports into `outDir`, streamed to disk: CSV (saved tracks, one file per playlist under
 * playlists/, the history, one file per saved collection) or the JSON backup of the whole account. Returns the paths written.
 */
export async function writeExports(db: Db, accountId: string, options: { what: ExportWhat; format: ExportFormat; outDir: string; now: Date }): Promise<string[]> {
  const { what, format, outDir } = options;
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  if (format === 'json') {
    const path = join(outDir, `spotify-sync-backup-${accountId}.json`);
    await writeFile(path, backupJson(db, accountId, options.now));
    return [path];
  }
  if (what === 'saved' || what === 'all') {
    const path = join(outDir, 'Liked_Songs.csv');
    await writeFile(path, savedTracksCsv(db, accountId));
    written.push(path);
  }
  if (what === 'playlists' || what === 'all') {
    const dir = join(outDir, 'playlists');
    await mkdir(dir, { recursive: true });
    const playlists = await db('playlists').where({ account_id: accountId }).orderBy(['list_position', 'id']).select('id', 'name', 'items_accessible');
    for (const p of playlists) {
      if (p.items_accessible === false) continue;
      const path = join(dir, playlistFileName(p.name, p.id));
      await writeFile(path, playlistCsv(db, accountId, p.id));
      written.push(path);
    }
  }
  if (what === 'history' || what === 'all') {
    const path = join(outDir, 'history.csv');
    await writeFile(path, historyCsv(db, accountId));
    written.push(path);
  }
  if (what === 'collections' || what === 'all') {
    for (const name of collectionNames) {
      const path = join(outDir, collectionFiles[name].fileName);
      await writeFile(path, collectionCsv(db, accountId, name));
      written.push(path);
    }
  }
  return written;
}
