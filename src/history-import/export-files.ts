import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** What a file of Spotify's data exports holds, known from its name. */
export type ExportFileKind = 'extended_audio' | 'extended_video' | 'account_music' | 'account_podcast' | 'account_audiobook';

const kindsByName: [RegExp, ExportFileKind][] = [
  [/^Streaming_History_Audio_.*\.json$/i, 'extended_audio'],
  // Older extended exports: endsong_0.json, endsong_1.json, ..., or a single endsong.json.
  [/^endsong(_\d+)?\.json$/i, 'extended_audio'],
  [/^Streaming_History_Video_.*\.json$/i, 'extended_video'],
  [/^StreamingHistory_music_\d+\.json$/i, 'account_music'],
  [/^StreamingHistory\d+\.json$/i, 'account_music'],
  [/^StreamingHistory_podcast_\d+\.json$/i, 'account_podcast'],
  [/^StreamingHistory_audiobook_\d+\.json$/i, 'account_audiobook'],
];

/** The names the import reads plays from, for the messages that say what was expected. */
export const EXPECTED_FILE_NAMES =
  'Streaming_History_Audio_*.json, endsong.json or endsong_*.json, Streaming_History_Video_*.json, StreamingHistory_music_*.json, ' +
  'StreamingHistory_podcast_*.json or StreamingHistory_audiobook_*.json';

/** The account-data file naming the export's owner. */
const USERDATA = /^Userdata\.json$/i;

export function exportFileKind(name: string): ExportFileKind | null {
  const base = basename(name.replace(/\\/g, '/'));
  return kindsByName.find(([pattern]) => pattern.test(base))?.[1] ?? null;
}

/** A file to import: on disk, or an entry of a zip on disk. */
export interface ExportFile {
  name: string;
  kind: ExportFileKind;
  path: string;
  zipEntry: string | null;
  sizeBytes: number;
}

export interface ExportContents {
  files: ExportFile[];
  /**
   * Files of the export that hold no plays (the PDF readme, payments, ...), and a damaged Userdata.json
   * with its reason (it only names the owner; the plays are read all the same).
   */
  ignored: string[];
  /** `Userdata.json`'s username, when the export has one. */
  username: string | null;
}

/** Bad input the user must fix; the message says what is wrong, and nothing was changed. */
export class ExportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportInputError';
  }
}

/** A zip whose entry names hold control characters (a NUL byte): damaged, not an export; the upload is a bad request (400). */
export class UnreadableEntryNameError extends ExportInputError {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableEntryNameError';
  }
}

/** An entry expanding more than this many times its compressed size is refused (JSON compresses ~10–20×). */
export const MAX_COMPRESSION_RATIO = 200;
/** Entries smaller than this are never treated as bombs, whatever their ratio. */
const RATIO_FREE_BYTES = 1024 * 1024;
/** All entries of one zip together, expanded, at most (a decade of heavy listening is a few hundred MB). */
export const MAX_EXPANDED_BYTES = 64 * 1024 ** 3;

/**
 * What the given paths hold: zips (checked entry by entry: every path stays inside the zip, nothing
 * expands far beyond its size), folders (searched recursively) and single JSON files. Throws
 * ExportInputError with a message for the user when the input cannot be an export.
 */
export async function readExportContents(paths: readonly string[]): Promise<ExportContents> {
  if (paths.length === 0) throw new ExportInputError('no files given: name a zip, a folder or the JSON files of a Spotify data export');
  const contents: ExportContents = { files: [], ignored: [], username: null };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new ExportInputError(`${path}: no such file or folder; nothing was imported: name the zip, folder or files of the export`);
    }
    if (info.isDirectory()) await addFolder(contents, path);
    else if (await isZip(path)) await addZip(contents, path, basename(path));
    else if (/\.json$/i.test(path)) await addFile(contents, path, basename(path), info.size);
    else throw new ExportInputError(`${basename(path)} is neither a zip nor a JSON file; nothing was imported: give the zip Spotify sent, its folder, or its JSON files`);
  }
  // Extended history first: account data (minutes, names only) then matches the plays it repeats.
  const order: ExportFileKind[] = ['extended_audio', 'extended_video', 'account_music', 'account_podcast', 'account_audiobook'];
  contents.files.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  if (contents.files.length === 0) {
    const seen = contents.ignored.length > 0 ? ` (found only: ${contents.ignored.slice(0, 5).join(', ')}${contents.ignored.length > 5 ? ', ...' : ''})` : '';
    throw new ExportInputError(`no streaming history in the input${seen}; nothing was imported: give the files named ${EXPECTED_FILE_NAMES} (or the zip that holds them)`);
  }
  return contents;
}

async function isZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

async function addFile(contents: ExportContents, path: string, name: string, size: number): Promise<void> {
  const kind = exportFileKind(name);
  if (kind) contents.files.push({ name, kind, path, zipEntry: null, sizeBytes: size });
  else if (USERDATA.test(basename(name))) await addUserdata(contents, createReadStream(path), name);
  else contents.ignored.push(name);
}

async function addFolder(contents: ExportContents, root: string): Promise<void> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const path of files) {
    const name = relative(root, path).split(sep).join('/');
    if (/\.zip$/i.test(path) && (await isZip(path))) await addZip(contents, path, name);
    else await addFile(contents, path, name, (await stat(path)).size);
  }
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (error, zip) =>
      error || !zip ? reject(error ?? new Error('unreadable zip')) : resolve(zip),
    ),
  );
}

async function addZip(contents: ExportContents, path: string, label: string): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    throw new ExportInputError(`${label} is not a readable zip (${(error as Error).message}); nothing was imported: download the export again`);
  }
  try {
    let expanded = 0;
    const pending: yauzl.Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        // eslint-disable-next-line no-control-regex -- control characters are what is looked for
        if (/[\u0000-\u001f\u007f]/.test(entry.fileName)) {
          return reject(
            new UnreadableEntryNameError(
              `${label}: an entry's name holds a control character (${JSON.stringify(entry.fileName.slice(0, 80))}), so the zip is damaged; nothing was imported: download the export again`,
            ),
          );
        }
        const problem = unsafeEntry(entry);
        if (problem) return reject(new ExportInputError(`${label}: ${problem}; nothing was imported: import the zip as Spotify sent it`));
        expanded += entry.uncompressedSize;
        if (expanded > MAX_EXPANDED_BYTES) return reject(new ExportInputError(`${label} expands to more than ${MAX_EXPANDED_BYTES / 1024 ** 3} GB: refused; nothing was imported`));
        if (!entry.fileName.endsWith('/')) pending.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (error: Error) =>
        reject(error instanceof ExportInputError ? error : new ExportInputError(`${label}: ${describeZipError(error)}; nothing was imported: download the export again`)),
      );
      zip.readEntry();
    });
    for (const entry of pending) {
      const name = entry.fileName;
      const kind = exportFileKind(name);
      if (kind) contents.files.push({ name, kind, path, zipEntry: name, sizeBytes: entry.uncompressedSize });
      else if (USERDATA.test(basename(name))) await addUserdata(contents, await openZipEntry(zip, entry), name);
      else contents.ignored.push(name);
    }
  } finally {
    zip.close();
  }
}

/** Zip slip and zip bombs: paths outside the zip's root, entries that expand far beyond their size. */
function unsafeEntry(entry: yauzl.Entry): string | null {
  const name = entry.fileName;
  if (name.startsWith('/') || /^[a-z]:/i.test(name) || name.split(/[\\/]/).includes('..')) return `the entry "${name}" points outside the zip`;
  if (entry.uncompressedSize > RATIO_FREE_BYTES && entry.uncompressedSize > entry.compressedSize * MAX_COMPRESSION_RATIO) {
    return `the entry "${name}" expands from ${entry.compressedSize} bytes to ${entry.uncompressedSize} bytes, far beyond any real export: refused`;
  }
  return null;
}

function describeZipError(error: Error): string {
  if (/invalid relative path|absolute path/i.test(error.message)) return `an entry points outside the zip (${error.message})`;
  return `damaged zip (${error.message})`;
}

function openZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error || !stream ? reject(error ?? new Error('unreadable entry')) : resolve(stream))));
}

/** Opens a file of an import for reading: the file itself, or its entry in the zip (closing the zip at the end). */
export async function openExportFile(file: Pick<ExportFile, 'path' | 'zipEntry' | 'name'>): Promise<Readable> {
  if (file.zipEntry === null) return createReadStream(file.path, { highWaterMark: 256 * 1024 });
  const zip = await openZip(file.path);
  const entry = await new Promise<yauzl.Entry>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => (e.fileName === file.zipEntry ? resolve(e) : zip.readEntry()));
    zip.on('end', () => reject(new ExportInputError(`${file.name} is no longer in ${basename(file.path)}`)));
    zip.on('error', reject);
    zip.readEntry();
  });
  const stream = await openZipEntry(zip, entry);
  stream.once('close', () => zip.close());
  return stream;
}

const MAX_USERDATA_BYTES = 1024 * 1024;

/**
 * Userdata.json only names the export's owner: when it cannot be read, the plays are imported all the
 * same and the file is listed as ignored with its reason (the owner check then rests on the `username`
 * older extended-history entries carry).
 */
async function addUserdata(contents: ExportContents, stream: Readable, name: string): Promise<void> {
  const read = await readUsername(stream);
  if ('problem' in read) contents.ignored.push(`${name} (${read.problem}: not used to check whose export this is)`);
  else contents.username = read.username;
}

async function readUsername(stream: Readable): Promise<{ username: string | null } | { problem: string }> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.length > MAX_USERDATA_BYTES) {
      stream.destroy();
      return { problem: "far larger than an export's Userdata.json" };
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'not valid JSON' };
  }
  const value = typeof parsed === 'object' && parsed !== null ? (parsed as { username?: unknown }).username : undefined;
  return { username: typeof value === 'string' && value.length > 0 ? value : null };
}
