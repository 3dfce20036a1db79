import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult } from './context.js';
import type { Spread } from './measure.js';

/** "min / median / max" with a unit, or the one value when there was one run. */
export function formatSpread(s: Spread, unit: string, digits = 2): string {
  const f = (x: number) => x.toFixed(digits);
  const u = unit ? ` ${unit}` : '';
  return s.n === 1 ? `${f(s.median)}${u}` : `${f(s.min)} / ${f(s.median)} / ${f(s.max)}${u} (n=${s.n})`;
}

export const formatInt = (n: number): string => n.toLocaleString('en-US');

/** The results as a plain-text table, a section per scenario. */
export function renderTable(results: ScenarioResult[]): string {
  const header = ['case', 'figure', 'value', 'target', 'met', 'limited by'];
  const lines: string[] = [];
  for (const r of results) {
    const rows = r.figures.map((f) => [f.case, f.figure, f.value, f.target ?? '', f.met === undefined ? '' : f.met ? 'yes' : 'NO', f.limitedBy ?? '']);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join(' | ')
        .trimEnd();
    lines.push('', `${r.id}. ${r.title}   (load average ${r.loadAverage.join(' ')})`, line(header), widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const row of rows) lines.push(line(row));
  }
  return lines.join('\n');
}

/** Writes bench/results/<timestamp>.json (git-ignored); returns its path. */
export async function writeResults(report: unknown, startedAt: Date): Promise<string> {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const path = `${dir}${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
