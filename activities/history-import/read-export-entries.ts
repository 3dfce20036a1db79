import { Transform, type Readable } from 'node:stream';
import streamArray from 'stream-json/streamers/stream-array.js';
import { ExportInputError, openExportFile, type ExportFile } from '../../src/history-import/export-files.js';

/**
 * One entry of an export file is a few hundred bytes; one larger than this means the file is not a
 * streaming history (and keeps memory bounded whatever the file holds).
 */
export const MAX_ENTRY_BYTES = 256 * 1024;

export interface ExportEntry {
  index: number;
  value: unknown;
  /** Bytes of the file read so far (for progress). */
  bytesRead: number;
}

/**
 * The entries of an export file in order, parsed as a stream (memory stays bounded by one entry and the
 * stream buffers, whatever the file size). Damaged or truncated JSON, a file that is not a list, and an
 * oversized entry end the iteration with an ExportInputError naming the file.
 */
export async function* readExportEntries(file: Pick<ExportFile, 'path' | 'zipEntry' | 'name'>): AsyncGenerator<ExportEntry> {
  const source = await openExportFile(file);
  let bytesRead = 0;
  let bytesAtLastEntry = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytesRead += chunk.length;
      if (bytesRead - bytesAtLastEntry > MAX_ENTRY_BYTES + chunk.length) {
        done(new ExportInputError(`${file.name}: an entry larger than ${MAX_ENTRY_BYTES / 1024} KB, so this is not a streaming history file`));
        return;
      }
      done(null, chunk);
    },
  });
  const entries: Readable = source.pipe(counter).pipe(streamArray.withParserAsStream());
  source.once('error', (error) => counter.destroy(error));
  counter.once('error', (error) => entries.destroy(error));
  try {
    for await (const item of entries as AsyncIterable<{ key: number; value: unknown }>) {
      bytesAtLastEntry = bytesRead;
      yield { index: item.key, value: item.value, bytesRead };
    }
  } catch (error) {
    if (error instanceof ExportInputError) throw error;
    const message = (error as Error).message ?? String(error);
    if (/top-level|should be an array/i.test(message)) throw new ExportInputError(`${file.name} is not a streaming history file: expected a list of plays`);
    throw new ExportInputError(`${file.name} is not valid JSON (truncated or damaged: ${message}); download the export again`);
  } finally {
    source.destroy();
    entries.destroy();
  }
}
