import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvChunks } from '../../../src/export/csv.js';

async function csvOf(records: (string | number | boolean | null)[][]): Promise<string> {
  let text = '';
  for await (const chunk of csvChunks(
    ['Track Name', 'ms Played', 'Short'],
    async function* () {
      yield* records;
    },
    (r) => r,
  ))
    text += chunk;
  return text;
}

describe('CSV exports and formula injection (OWASP)', () => {
  it('writes a text cell that would start a formula with a single quote in front, and every other cell as it is', async () => {
    const names = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1:A2)', '\tTabbed', '\rReturned', 'Plain', 'A=B', "'quoted already", ''];
    const text = await csvOf(names.map((name) => [name, -5, true]));
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual(['Track Name', 'ms Played', 'Short']);
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      `'=HYPERLINK("http://evil.example","click")`,
      "'+1+1",
      "'-2+3",
      "'@SUM(A1:A2)",
      "'\tTabbed",
      "'\rReturned",
      'Plain',
      'A=B',
      "'quoted already",
      '',
    ]);
    // Numbers stay numbers (a negative one is not text), booleans stay true/false.
    expect(rows.slice(1).every((r) => r[1] === '-5' && r[2] === 'true')).toBe(true);
  });
});
