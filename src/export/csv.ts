import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from './csv-formula.js';

const rowsPerChunk = 500;
// Booleans as true/false (csv-stringify writes 1 and an empty field by default); text never a formula.
const csvOptions = { quoted: true, cast: { boolean: (b: boolean) => String(b), string: neutraliseFormula } };

/**
 * CSV text of a stream of records, a chunk of rows at a time (memory stays flat whatever the count),
 * every field quoted as exportify writes them, and no text cell starting a formula (csv-formula.ts). The header comes first, also for an empty export.
 * The rows' query starts only once the header has been taken: an export returned before that (a HEAD,
 * a client gone at once) never checks out a connection, and one returned later ends its query stream,
 * which hands the connection back.
 */
export async function* csvChunks<T>(header: readonly string[], rows: () => AsyncIterable<T>, toRecord: (row: T) => (string | number | boolean | null)[]): AsyncGenerator<string> {
  yield stringify([header as string[]], { quoted: true });
  let batch: (string | number | boolean | null)[][] = [];
  for await (const row of rows()) {
    batch.push(toRecord(row));
    if (batch.length >= rowsPerChunk) {
      yield stringify(batch, csvOptions);
      batch = [];
    }
  }
  if (batch.length > 0) yield stringify(batch, csvOptions);
}
