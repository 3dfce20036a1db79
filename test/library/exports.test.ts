import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportifyColumns } from '../../src/export/exportify-csv.js';
import { collectionCsv, collectionFiles } from '../../src/export/collections-csv.js';
import { collectionNames, type CollectionName } from '../../src/library/collections.js';
import { backupJson, backupSections } from '../../src/export/backup.js';
import { projectRoot } from '../../src/project-root.js';
import type { Db } from '../../src/db/connect.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertAccount } from '../api/fixtures.js';
import type { Truth } from '../../testkit/mirror.js';
import { syncedLibrary } from './synced-library.js';

let lib: Awaited<ReturnType<typeof syncedLibrary>>;
let truth: Truth;
let outDir: string;
const restored: TestDatabase[] = [];

beforeAll(async () => {
  lib = await syncedLibrary();
  truth = await lib.h.simRequest<Truth>('/_sim/truth');
  outDir = await mkdtemp(join(tmpdir(), 'spotify-sync-export-'));
});
afterAll(async () => {
  for (const d of restored) await d.drop();
  await lib?.h.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const csvRows = (text: string): Record<string, string>[] => parse(text, { columns: true, bom: true }) as Record<string, string>[];
const idOf = (uri: string) => uri.split(':').at(-1)!;

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/main.ts', ...args], { cwd: projectRoot, env: { ...lib.h.processEnv(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every row of the tables a backup holds, in a stable order, as JSON-comparable values. */
async function dump(db: Db, accountId: string) {
  const out: Record<string, unknown[]> = {};
  for (const table of backupSections) {
    const rows = (await db.raw(`select * from ${table} order by 1, 2, 3`)).rows as Record<string, unknown>[];
    out[table] = JSON.parse(JSON.stringify(rows.filter((r) => r.account_id === undefined || r.account_id === accountId)));
  }
  return out;
}

describe('exports', () => {
  it('saved tracks CSV has exportify’s header and the saved tracks of /_sim/truth, newest first', async () => {
    const res = await lib.app.request('/api/export/saved.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="Liked_Songs.csv"/);
    const text = await res.text();
    expect(text.split('\n')[0]).toBe(exportifyColumns.map((c) => `"${c}"`).join(','));
    const rows = csvRows(text);
    expect(rows.map((r) => idOf(r['Track URI']!))).toEqual(truth.savedTracks.filter((id) => id !== lib.removedId));
    const first = rows[0]!;
    const track = (await lib
      .db('tracks')
      .where({ id: idOf(first['Track URI']!) })
      .first())!;
    expect(first['Track Name']).toBe(track.name);
    expect(Number(first['Track Duration (ms)'])).toBe(track.duration_ms);
    expect(first['Explicit']).toBe(String(track.explicit));
    expect(first['Added At']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(first['Artist URI(s)']).toMatch(/^spotify:artist:/);
  });

  it('each readable playlist’s CSV holds every entry of /_sim/truth in order, marked by kind', async () => {
    const readable = truth.playlists.filter((p) => p.itemsAccessible);
    expect(readable.length).toBeGreaterThan(1);
    const kinds = new Set<string>();
    for (const p of readable) {
      const res = await lib.app.request(`/api/export/playlists/${p.id}.csv`);
      expect(res.status).toBe(200);
      const rows = csvRows(await res.text());
      expect(
        rows.filter((r) => r.Kind === 'track').map((r) => idOf(r['Track URI']!)),
        p.id,
      ).toEqual(p.items);
      expect(
        rows.map((r) => (r.Kind === 'unavailable' ? null : r['Track URI'])),
        p.id,
      ).toEqual(p.entryUris);
      for (const r of rows) kinds.add(r.Kind!);
      for (const r of rows.filter((row) => row.Kind === 'local')) expect(r['Track Name']).not.toBe('');
    }
    expect(kinds.has('track')).toBe(true);
  });

  it('the history CSV has every play', async () => {
    const rows = csvRows(await (await lib.app.request('/api/export/history.csv')).text());
    const plays = await lib.db('play_history').where({ account_id: lib.accountId }).orderBy('played_at').select('played_at', 'track_id', 'track_name');
    expect(rows.map((r) => r['Played At'])).toEqual(plays.map((p: { played_at: Date }) => p.played_at.toISOString()));
    expect(rows.find((r) => r['Track URI'] === '')?.['Track Name']).toBe('Gone Song');
  });

  it('the JSON backup matches /_sim/truth and restores into an empty database row for row', async () => {
    const text = await (await lib.app.request('/api/export/backup.json')).text();
    const backup = JSON.parse(text) as Record<string, unknown> & {
      formatVersion: number;
      saved_tracks: { track_id: string; removed_at: string | null }[];
      playlists: { id: string; snapshot_id: string }[];
    };
    expect(backup.formatVersion).toBe(2);
    // Every collection of the whole library, and every playlist entry whatever its kind.
    const active = (section: string, column: string) =>
      (backup[section] as Record<string, string | null>[])
        .filter((r) => r.removed_at === null)
        .map((r) => r[column])
        .sort();
    expect(active('saved_albums', 'album_id')).toEqual([...(truth.savedAlbums ?? [])].sort());
    expect(active('followed_artists', 'artist_id')).toEqual([...(truth.followedArtists ?? [])].sort());
    expect(active('saved_shows', 'show_id')).toEqual([...(truth.savedShows ?? [])].sort());
    expect(active('saved_episodes', 'episode_id')).toEqual([...(truth.savedEpisodes ?? [])].sort());
    expect(active('saved_audiobooks', 'audiobook_id')).toEqual([...(truth.savedAudiobooks ?? [])].sort());
    const entries = backup.playlist_items as { playlist_id: string; kind: string; uri: string | null }[];
    for (const p of truth.playlists) {
      expect(entries.filter((e) => e.playlist_id === p.id).map((e) => (e.kind === 'unavailable' ? null : e.uri))).toEqual(p.entryUris);
    }
    expect(text).not.toMatch(/refresh_token|access_token/);
    expect(
      backup.saved_tracks
        .filter((s) => s.removed_at === null)
        .map((s) => s.track_id)
        .sort(),
    ).toEqual(truth.savedTracks.filter((id) => id !== lib.removedId).sort());
    expect(backup.saved_tracks.find((s) => s.track_id === lib.removedId)?.removed_at).toBe('2026-11-20T10:00:00.000Z');
    expect(Object.fromEntries(backup.playlists.map((p) => [p.id, p.snapshot_id]))).toEqual(Object.fromEntries(truth.playlists.map((p) => [p.id, p.snapshotId])));

    const file = join(outDir, 'backup.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, text));
    const target = await createTestDatabase();
    restored.push(target);
    const result = await cli(['import-backup', file], { DATABASE_URL: target.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(lib.accountId);
    expect(await dump(target.db, lib.accountId)).toEqual(await dump(lib.db, lib.accountId));
    const account = await target.db('accounts').where({ id: lib.accountId }).first();
    expect(account).toMatchObject({ needs_reauth: true, access_token_encrypted: null });

    const again = await cli(['import-backup', file], { DATABASE_URL: target.url });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already in this database/);

    // A backup of format 1 (before the collections: no such sections, tracks only in playlists) still restores.
    const older: Record<string, unknown> = { ...backup, formatVersion: 1 };
    for (const section of ['shows', 'episodes', 'audiobooks', 'saved_albums', 'followed_artists', 'saved_shows', 'saved_episodes', 'saved_audiobooks']) delete older[section];
    older.playlist_items = entries
      .filter((e) => e.kind === 'track')
      .map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => ['account_id', 'playlist_id', 'position', 'track_id', 'added_at', 'added_by'].includes(k))));
    const olderFile = join(outDir, 'backup-format-1.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(olderFile, JSON.stringify(older)));
    const oldTarget = await createTestDatabase();
    restored.push(oldTarget);
    const oldResult = await cli(['import-backup', olderFile], { DATABASE_URL: oldTarget.url });
    expect(oldResult.code, oldResult.stderr).toBe(0);
    expect((await oldTarget.db('saved_tracks').where({ account_id: lib.accountId }).pluck('track_id')).sort()).toEqual(backup.saved_tracks.map((s) => s.track_id).sort());
    expect(await oldTarget.db('playlist_items').where({ account_id: lib.accountId }).whereNot('kind', 'track').pluck('kind')).toEqual([]);
  });

  it('a backup reads one snapshot: a play recorded while it streams is not half in it', async () => {
    const before = Number((await lib.db('play_history').where({ account_id: lib.accountId }).count({ n: '*' }).first())!.n);
    const track = (await lib.db('saved_tracks').where({ account_id: lib.accountId }).first('track_id')) as { track_id: string };
    const playedAt = new Date('2026-11-30T12:34:56Z');
    const chunks: string[] = [];
    const stream = backupJson(lib.db, lib.accountId, new Date());
    try {
      chunks.push(((await stream.next()) as IteratorYieldResult<string>).value);
      // Written after the backup began and before it reached the plays.
      await lib.db('play_history').insert({ account_id: lib.accountId, played_at: playedAt, track_id: track.track_id, source: 'poll' });
      for await (const chunk of stream) chunks.push(chunk);
      const backup = JSON.parse(chunks.join('')) as { play_history: { played_at: string }[] };
      expect(backup.play_history).toHaveLength(before);
      expect(backup.play_history.map((p) => p.played_at)).not.toContain(playedAt.toISOString());
    } finally {
      await lib.db('play_history').where({ account_id: lib.accountId, played_at: playedAt }).delete();
    }
  });

  it('refuses a file that is not a backup, changing nothing', async () => {
    const file = join(outDir, 'not-a-backup.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify({ formatVersion: 99 })));
    const target = await createTestDatabase();
    restored.push(target);
    const result = await cli(['import-backup', file], { DATABASE_URL: target.url });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/formatVersion/);
    expect(await target.db('accounts').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('a backup found damaged half way restores nothing: the tables before the damage are rolled back', async () => {
    const text = await (await lib.app.request('/api/export/backup.json')).text();
    const cut = text.indexOf('"play_history":[') + 200;
    const file = join(outDir, 'truncated-backup.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, text.slice(0, cut)));
    const target = await createTestDatabase();
    restored.push(target);
    const result = await cli(['import-backup', file], { DATABASE_URL: target.url });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/truncated/);
    for (const table of ['accounts', 'tracks', 'saved_tracks', 'playlist_items', 'play_history']) {
      expect(await target.db(table).count({ n: '*' }).first(), table).toEqual({ n: 0 });
    }
    const missing = await cli(['import-backup', join(outDir, 'no-such-file.json')], { DATABASE_URL: target.url });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/Cannot read .*no-such-file\.json: ENOENT/);
  });

  it('the CLI writes the saved tracks, every readable playlist, the history and each saved collection as CSV', async () => {
    const dir = join(outDir, 'cli');
    const result = await cli(['export', '--what', 'all', '--format', 'csv', '--out', dir], {});
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(
      ['Liked_Songs.csv', 'history.csv', 'playlists', ...collectionNames.map((n) => collectionFiles[n].fileName)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const albums = csvRows(await readFile(join(dir, 'Saved_Albums.csv'), 'utf8'));
    expect(albums.map((r) => idOf(r['Album URI']!)).sort()).toEqual([...truth.savedAlbums!].sort());
    const playlistFiles = await readdir(join(dir, 'playlists'));
    expect(playlistFiles.length).toBe(truth.playlists.filter((p) => p.itemsAccessible).length);
    const saved = csvRows(await readFile(join(dir, 'Liked_Songs.csv'), 'utf8'));
    expect(saved.length).toBe(truth.savedTracks.length - 1);
    const bad = await cli(['export', '--what', 'saved', '--format', 'json', '--out', dir], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--what all/);
  });
});

/** Each collection: its /_sim/truth ids, its table, and the column holding a row's uri in its CSV. */
const collectionTruth: Record<CollectionName, { truth: keyof Truth; table: string; column: string; dated: string; uriColumn: string; nameColumn: string }> = {
  'saved-albums': { truth: 'savedAlbums', table: 'saved_albums', column: 'album_id', dated: 'added_at', uriColumn: 'Album URI', nameColumn: 'Album Name' },
  'followed-artists': { truth: 'followedArtists', table: 'followed_artists', column: 'artist_id', dated: 'followed_at', uriColumn: 'Artist URI(s)', nameColumn: 'Artist Name(s)' },
  shows: { truth: 'savedShows', table: 'saved_shows', column: 'show_id', dated: 'added_at', uriColumn: 'Show URI', nameColumn: 'Show Name' },
  episodes: { truth: 'savedEpisodes', table: 'saved_episodes', column: 'episode_id', dated: 'added_at', uriColumn: 'Episode URI', nameColumn: 'Episode Name' },
  audiobooks: { truth: 'savedAudiobooks', table: 'saved_audiobooks', column: 'audiobook_id', dated: 'added_at', uriColumn: 'Audiobook URI', nameColumn: 'Audiobook Name' },
};

describe('the saved collections’ CSV exports', () => {
  it('each collection’s CSV has its header and exactly the saves of /_sim/truth, newest first as the mirror dates them', async () => {
    for (const name of collectionNames) {
      const { truth: key, table, column, dated, uriColumn } = collectionTruth[name];
      const expected = truth[key] as string[] | undefined;
      expect(expected?.length, name).toBeGreaterThan(0);
      const res = await lib.app.request(`/api/export/${name}.csv`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/csv/);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${collectionFiles[name].fileName}"`);
      const text = await res.text();
      expect(text.split('\n')[0], name).toBe(collectionFiles[name].columns.map((c) => `"${c}"`).join(','));
      const rows = csvRows(text);
      expect(rows.map((r) => idOf(r[uriColumn]!)).sort(), name).toEqual([...expected!].sort());
      const order = (await lib
        .db(table)
        .where({ account_id: lib.accountId })
        .orderBy([
          { column: dated, order: 'desc' },
          { column, order: 'desc' },
        ])
        .pluck(column)) as string[];
      expect(
        rows.map((r) => idOf(r[uriColumn]!)),
        name,
      ).toEqual(order);
      expect(
        rows.every((r) => r['Removed At'] === '' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(r['Added At']!)),
        name,
      ).toBe(true);
    }
  });

  it('a saved album’s row holds what the mirror holds: name, artists, release date, type, when it was saved', async () => {
    const rows = csvRows(await (await lib.app.request('/api/export/saved-albums.csv')).text());
    const row = rows[0]!;
    const id = idOf(row['Album URI']!);
    const album = (await lib.db('albums').where({ id }).first())!;
    const artists = (await lib.db('album_artists as aa').join('artists as a', 'a.id', 'aa.artist_id').where('aa.album_id', id).orderBy('aa.position').select('a.id', 'a.name')) as {
      id: string;
      name: string;
    }[];
    const save = (await lib.db('saved_albums').where({ account_id: lib.accountId, album_id: id }).first())!;
    expect(row['Album Name']).toBe(album.name);
    expect(row['Album Artist URI(s)']).toBe(artists.map((a) => `spotify:artist:${a.id}`).join(', '));
    expect(row['Album Artist Name(s)']).toBe(artists.map((a) => a.name.replace(/,/g, '\\,')).join(', '));
    expect(row['Album Release Date']).toBe(album.release_date ?? '');
    expect(row['Album Type']).toBe(album.album_type ?? '');
    expect(row['Added At']).toBe((save.added_at as Date).toISOString().replace('.000Z', 'Z'));
    const episodes = csvRows(await (await lib.app.request('/api/export/episodes.csv')).text());
    const episode = (await lib
      .db('episodes as e')
      .join('shows as sh', 'sh.id', 'e.show_id')
      .where('e.id', idOf(episodes[0]!['Episode URI']!))
      .first('e.name', 'e.duration_ms', 'sh.id as show_id', 'sh.name as show_name'))!;
    expect(episodes[0]).toMatchObject({
      'Episode Name': episode.name,
      'Show Name': episode.show_name,
      'Show URI': `spotify:show:${episode.show_id}`,
      'Duration (ms)': String(episode.duration_ms),
    });
  });

  it('a removed save is left out unless asked for; q chooses as on the page, whose export link keeps the filter; a formula in a name is neutralised', async () => {
    const albums = (await lib.db('saved_albums').where({ account_id: lib.accountId }).orderBy('added_at', 'desc').pluck('album_id')) as string[];
    expect(albums.length).toBeGreaterThan(2);
    const [removedId, renamedId] = [albums[1]!, albums[2]!];
    const original = (await lib.db('albums').where({ id: renamedId }).first('name'))!.name as string;
    await lib
      .db('saved_albums')
      .where({ account_id: lib.accountId, album_id: removedId })
      .update({ removed_at: new Date('2026-11-19T09:30:00Z') });
    await lib.db('albums').where({ id: renamedId }).update({ name: '=HYPERLINK("http://evil.example","Zyzzyva Sessions")' });
    try {
      const ids = async (query: string) => csvRows(await (await lib.app.request(`/api/export/saved-albums.csv${query}`)).text()).map((r) => idOf(r['Album URI']!));
      expect(await ids('')).toEqual(albums.filter((a) => a !== removedId));
      expect(await ids('?removed=true')).toEqual([removedId]);
      expect(await ids('?removed=any')).toEqual(albums);
      const removedRow = csvRows(await (await lib.app.request('/api/export/saved-albums.csv?removed=true')).text())[0]!;
      expect(removedRow['Removed At']).toBe('2026-11-19T09:30:00Z');

      // The page's filter, followed through its "Export CSV" link.
      const page = await (await lib.app.request('/library/albums?q=zyzzyva')).text();
      const href = /href="([^"]+)"[^>]*data-testid="export-saved-albums"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
      expect(href).toBe('/api/export/saved-albums.csv?q=zyzzyva');
      const filtered = csvRows(await (await lib.app.request(href!)).text());
      expect(filtered.map((r) => idOf(r['Album URI']!))).toEqual([renamedId]);
      expect(filtered[0]!['Album Name']).toBe(`'=HYPERLINK("http://evil.example","Zyzzyva Sessions")`);
      const api = (await (await lib.app.request('/api/library/saved-albums?q=zyzzyva')).json()) as { items: { id: string }[] };
      expect(api.items.map((i) => i.id)).toEqual([renamedId]);
      // The podcasts page offers its shows and its saved episodes.
      const podcasts = await (await lib.app.request('/library/podcasts?removed=any')).text();
      expect(podcasts).toContain('href="/api/export/shows.csv?removed=any"');
      expect(podcasts).toContain('href="/api/export/episodes.csv?removed=any"');
    } finally {
      await lib.db('saved_albums').where({ account_id: lib.accountId, album_id: removedId }).update({ removed_at: null });
      await lib.db('albums').where({ id: renamedId }).update({ name: original });
    }
  });

  it('streams: rows come out 500 at a time from one query stream, whatever the collection’s size', async () => {
    const chunks: string[] = [];
    const artists = Array.from({ length: 1_234 }, (_, i) => ({ id: `export-artist-${String(i).padStart(5, '0')}`, name: `Export Artist ${i}` }));
    const database = await createTestDatabase();
    restored.push(database);
    await insertAccount(database.db, 'acct-many');
    for (let i = 0; i < artists.length; i += 500) await database.db('artists').insert(artists.slice(i, i + 500));
    const at = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < artists.length; i += 500)
      await database
        .db('followed_artists')
        .insert(artists.slice(i, i + 500).map((a, j) => ({ account_id: 'acct-many', artist_id: a.id, followed_at: new Date(at + (i + j) * 1000) })));
    for await (const chunk of collectionCsv(database.db, 'acct-many', 'followed-artists')) chunks.push(chunk);
    // The header, then 500 + 500 + 234 rows.
    expect(chunks.map((c) => (parse(c) as string[][]).length)).toEqual([1, 500, 500, 234]);
    const rows = csvRows(chunks.join(''));
    expect(rows[0]!['Artist URI(s)']).toBe('spotify:artist:export-artist-01233');
    expect(rows.at(-1)!['Artist Name(s)']).toBe('Export Artist 0');
  });
});
