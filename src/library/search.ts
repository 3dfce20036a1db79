/**
 * A LIKE pattern matching `text` anywhere, with LIKE's own wildcards taken literally. The caller
 * compares it against `library_search_key(column)` and passes it through `library_search_key(?)`, so
 * both sides are lower-cased and unaccented by the same Postgres function (the trigram indexes are on
 * that expression).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
