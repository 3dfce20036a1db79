import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { ApiError } from './errors.js';

export interface ReceivedUpload {
  dir: string;
  paths: string[];
  fields: Record<string, string>;
  discard(): Promise<void>;
}

/**
 * Where an uploaded file goes: a folder of its own per file (two files may share a name), under its
 * own name reduced to a plain one (the name says what the file holds: Streaming_History_Audio_...).
 */
function safePath(dir: string, name: string, index: number): string {
  const base = basename(name.replace(/\\/g, '/'))
    .replace(/[^\w.\- ()]/g, '_')
    .slice(0, 120);
  return join(dir, String(index), base || 'upload');
}

/**
 * Streams a multipart upload to files in `dir` (never held in memory: a 2 GB export is fine), and
 * collects its text fields. Throws a 4xx ApiError for a request that is not an upload.
 */
export async function receiveUpload(request: Request, dir: string): Promise<ReceivedUpload> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the export as multipart/form-data, one or more files in the field "file"');
  }
  if (!request.body) throw new ApiError(400, 'no_files', 'The upload is empty: send the zip or the JSON files of a Spotify data export');
  await mkdir(dir, { recursive: true });
  const discard = () => rm(dir, { recursive: true, force: true });
  const paths: string[] = [];
  const fields: Record<string, string> = {};
  const writes: Promise<void>[] = [];
  try {
    const parser = busboy({ headers: { 'content-type': type }, limits: { fields: 10, fieldSize: 1024, files: 100 } });
    parser.on('file', (_field, stream, info) => {
      if (!info.filename) {
        stream.resume();
        return;
      }
      // Until the write below takes the stream (after its folder exists), a hang-up's error has a listener here.
      stream.on('error', () => undefined);
      const path = safePath(dir, info.filename, paths.length);
      paths.push(path);
      const write = mkdir(dirname(path), { recursive: true }).then(() => pipeline(stream, createWriteStream(path)));
      // A client that hangs up mid-file fails this write too; the catch below settles it (never an unhandled rejection).
      write.catch(() => undefined);
      writes.push(write);
    });
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    await pipeline(Readable.fromWeb(request.body as unknown as WebReadableStream), parser);
    await Promise.all(writes);
  } catch (error) {
    // Every file closed before its folder goes, so nothing is written back after the discard.
    await Promise.allSettled(writes);
    await discard();
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, 'bad_upload', `The upload could not be read (${(error as Error).message}): send it again`);
  }
  if (paths.length === 0) {
    await discard();
    throw new ApiError(400, 'no_files', 'No file in the upload: send the zip or the JSON files of a Spotify data export in the field "file"');
  }
  return { dir, paths, fields, discard };
}
