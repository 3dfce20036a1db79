import type { Child, FC } from 'hono/jsx';
import { count } from './format.js';

/**
 * The pages' charts: SVG drawn on the server, no script (the pages work without JavaScript and the
 * CSP allows no inline script). Horizontal positions are percentages and vertical ones pixels, so a
 * chart fills its card at any width while its text keeps the page's size (a viewBox would shrink the
 * labels to a few pixels on a phone). Every chart has its values in a table under it, for phones
 * (no hover) and screen readers. See docs/pages.md, "Charts".
 */

/** Round steps (1, 2 or 5 × 10ⁿ) from 0 past `max`, about `target` of them: the y-axis ticks. */
export function niceTicks(max: number, target = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  if (ticks.at(-1)! < max) ticks.push(ticks.at(-1)! + step);
  return ticks;
}

/** Short numbers for labels on bars: 950, 1.2k, 35k, 1.2M. */
export function shortNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${(n / 1e6).toFixed(abs >= 1e7 ? 0 : 1).replace(/\.0$/, '')}M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(abs >= 1e4 ? 0 : 1).replace(/\.0$/, '')}k`;
  return String(Math.round(n * 10) / 10);
}

/** Every k-th of `indexes` so that at most `most` remain (the first always kept). */
export function thin(indexes: readonly number[], most: number): number[] {
  if (indexes.length <= most) return [...indexes];
  const every = Math.ceil(indexes.length / most);
  return indexes.filter((_, i) => i % every === 0);
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const monthName = (yyyyMm: string) => `${monthNames[Number(yyyyMm.slice(5, 7)) - 1]} ${yyyyMm.slice(0, 4)}`;

/**
 * Labels for bars starting on the given days (YYYY-MM-DD): the boundaries worth naming for the
 * span — days or weeks within two months, months within three years, years beyond.
 */
export function timeTicks(starts: readonly string[]): { index: number; label: string }[] {
  if (starts.length === 0) return [];
  const spanDays = (Date.parse(starts.at(-1)!) - Date.parse(starts[0]!)) / 86_400_000;
  const monthly = starts.length > 1 && starts.every((s) => s.endsWith('-01'));
  const ticks: { index: number; label: string }[] = [];
  starts.forEach((s, index) => {
    if (!monthly && spanDays <= 62) ticks.push({ index, label: `${Number(s.slice(8, 10))} ${monthNames[Number(s.slice(5, 7)) - 1]}` });
    else if (spanDays <= 3 * 366 && (index === 0 || s.slice(0, 7) !== starts[index - 1]!.slice(0, 7)))
      ticks.push({ index, label: s.slice(5, 7) === '01' || index === 0 ? monthName(s) : monthNames[Number(s.slice(5, 7)) - 1]! });
    else if (spanDays > 3 * 366 && (index === 0 || s.slice(0, 4) !== starts[index - 1]!.slice(0, 4))) ticks.push({ index, label: s.slice(0, 4) });
  });
  return ticks;
}

export interface Bar {
  /** The bar's name in the table (a day, a month, a year). */
  name: string;
  value: number;
  /** More columns of the table, in the order of `BarChart`'s `columns`. */
  more?: (string | number)[];
  /** Attributes for tests and scripts (data-*). */
  data?: Record<string, string>;
}

export interface BarChartProps {
  bars: Bar[];
  /** The unit of the values, on the y-axis (min, plays, artists). */
  unit: string;
  label: string;
  testid: string;
  /** The x-axis labels: the bar index and its text. Default: every bar's name. */
  ticks?: { index: number; label: string }[];
  /** Headers of the table: the bar's name, its value, then `more`. */
  columns: string[];
  /** Marks under the axis (recorded gaps): first and last bar index, and a hover title. */
  marks?: { first: number; last: number; title: string; data?: Record<string, string> }[];
  /** Values printed on the bars; default when there are at most 16. */
  valueLabels?: boolean;
  children?: Child;
}

const plotTop = 26;
const plotHeight = 170;
const axisY = plotTop + plotHeight;
const pct = (n: number) => `${Math.round(n * 10_000) / 10_000}%`;

/** Bars with a y-axis in `unit`, gridlines, x labels thinned to fit a phone and a desktop, and the values as a table. */
export const BarChart: FC<BarChartProps> = ({ bars, unit, label, testid, ticks, columns, marks = [], valueLabels, children }) => {
  const ys = niceTicks(Math.max(0, ...bars.map((b) => b.value)));
  const top = ys.at(-1)!;
  // The y-axis gets a column of its own, as wide as its longest label (about 7 px a character at 12 px).
  const yWidth = Math.max(unit.length, ...ys.map((v) => count(v).length)) * 7 + 10;
  const slot = 100 / Math.max(1, bars.length);
  const xTicks = ticks ?? bars.map((b, index) => ({ index, label: b.name }));
  const tickAt = (i: number, set: string) => {
    const t = xTicks[i]!;
    const x = (t.index + 0.5) * slot;
    const anchor = x < 6 ? 'start' : x > 94 ? 'end' : 'middle';
    return (
      <text
        class={`axis x ${set}`}
        x={pct(anchor === 'start' ? t.index * slot : anchor === 'end' ? (t.index + 1) * slot : x)}
        dx={anchor === 'start' ? 2 : anchor === 'end' ? -2 : 0}
        y={axisY + 30}
        text-anchor={anchor}
      >
        {t.label}
      </text>
    );
  };
  const all = xTicks.map((_, i) => i);
  const wide = thin(all, 12);
  const narrow = thin(all, 4);
  const showValues = valueLabels ?? bars.length <= 16;
  return (
    <figure class="chart-figure" data-testid={testid}>
      <div class="chart-frame">
        <svg class="chart-y" width={yWidth} height={axisY + 40} aria-hidden="true">
          <text class="axis unit" x={yWidth - 6} y={12} text-anchor="end">
            {unit}
          </text>
          {ys.map((v) => (
            <text class="axis y" x={yWidth - 6} y={axisY - (v / top) * plotHeight + 4} text-anchor="end">
              {count(v)}
            </text>
          ))}
        </svg>
        <svg class="chart" width="100%" height={axisY + 40} role="img" aria-label={`${label} (${unit}); the values are in the table below`}>
          {ys.map((v) => {
            const y = axisY - (v / top) * plotHeight;
            return <line class="grid" x1="0" x2="100%" y1={y} y2={y} />;
          })}
          {bars.map((b, i) => {
            const h = b.value <= 0 ? 0 : Math.max(1, (b.value / top) * plotHeight);
            return (
              <g>
                <rect class="bar" x={pct(i * slot + slot * 0.1)} y={axisY - h} width={pct(Math.max(0.05, slot * 0.8))} height={h} {...b.data}>
                  <title>{`${b.name}: ${count(b.value)} ${unit}`}</title>
                </rect>
                {showValues && b.value > 0 ? (
                  <text class="value" x={pct((i + 0.5) * slot)} y={axisY - h - 4} text-anchor="middle">
                    {shortNumber(b.value)}
                  </text>
                ) : null}
              </g>
            );
          })}
          {marks.map((m) => (
            <rect class="gap" x={pct(m.first * slot)} y={axisY + 3} width={pct(Math.max(slot, (m.last - m.first + 1) * slot))} height={6} {...m.data}>
              <title>{m.title}</title>
            </rect>
          ))}
          <line class="baseline" x1="0" x2="100%" y1={axisY} y2={axisY} />
          {wide.map((i) => tickAt(i, narrow.includes(i) ? 'both' : 'wide-only'))}
        </svg>
      </div>
      {children}
      <details class="chart-table">
        <summary>Values as a table</summary>
        <table data-testid={`${testid}-table`}>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th class={i > 0 ? 'num' : undefined}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr>
                <td>{b.name}</td>
                <td class="num">{count(b.value)}</td>
                {(b.more ?? []).map((m) => (
                  <td class="num">{typeof m === 'number' ? count(m) : m}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
};

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface HeatCell {
  weekday: number;
  hour: number;
  plays: number;
  minutes: number;
}

/**
 * Plays per weekday and hour as a grid of shaded cells (an HTML table: it reflows, and each cell
 * says its value to a screen reader), the busiest hour in words, and the totals per weekday and hour
 * in a table.
 */
export const Heatmap: FC<{ cells: HeatCell[]; zone: string; testid: string }> = ({ cells, zone, testid }) => {
  const max = Math.max(0, ...cells.map((c) => c.plays));
  const level = (plays: number) => (plays === 0 ? 0 : Math.min(5, 1 + Math.floor((plays / max) * 4.999)));
  const busiest = cells.reduce<HeatCell | null>((b, c) => (c.plays > (b?.plays ?? 0) ? c : b), null);
  const byWeekday = weekdays.map((_, i) => cells.filter((c) => c.weekday === i + 1).reduce((n, c) => n + c.plays, 0));
  const byHour = Array.from({ length: 24 }, (_, h) => cells.filter((c) => c.hour === h).reduce((n, c) => n + c.plays, 0));
  return (
    <figure class="heatmap-figure" data-testid={testid}>
      <p class="muted" data-testid={`${testid}-busiest`}>
        {busiest
          ? `Busiest: ${weekdays[busiest.weekday - 1]}s at ${String(busiest.hour).padStart(2, '0')}:00 ${zone} (${count(busiest.plays)} plays). Darker is more plays.`
          : 'No plays in this range.'}
      </p>
      <table class="heatmap" aria-label={`Plays by weekday and hour of the day, ${zone}`}>
        <thead>
          <tr>
            <th>
              <span class="sr-only">Weekday</span>
            </th>
            {byHour.map((_, h) => (
              <th class={h % 6 === 0 ? 'hour' : 'hour minor'} scope="col">
                {h % 6 === 0 ? String(h).padStart(2, '0') : <span class="sr-only">{String(h).padStart(2, '0')}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weekdays.map((name, i) => (
            <tr>
              <th scope="row">{name.slice(0, 3)}</th>
              {cells
                .filter((c) => c.weekday === i + 1)
                .map((c) => (
                  <td class={`h${level(c.plays)}`} title={`${name} ${String(c.hour).padStart(2, '0')}:00: ${count(c.plays)} plays`} data-plays={String(c.plays)}>
                    <span class="sr-only">{count(c.plays)}</span>
                  </td>
                ))}
            </tr>
          ))}
        </tbody>
      </table>
      <details class="chart-table">
        <summary>Values as a table</summary>
        <div class="two">
          <table data-testid={`${testid}-weekdays`}>
            <thead>
              <tr>
                <th>Weekday</th>
                <th class="num">Plays</th>
              </tr>
            </thead>
            <tbody>
              {weekdays.map((w, i) => (
                <tr>
                  <td>{w}</td>
                  <td class="num">{count(byWeekday[i]!)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <thead>
              <tr>
                <th>Hour ({zone})</th>
                <th class="num">Plays</th>
              </tr>
            </thead>
            <tbody>
              {byHour.map((n, h) => (
                <tr>
                  <td>{`${String(h).padStart(2, '0')}:00–${String(h).padStart(2, '0')}:59`}</td>
                  <td class="num">{count(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
};
