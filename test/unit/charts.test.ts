import { describe, expect, it } from 'vitest';
import { niceTicks, shortNumber, thin, timeTicks } from '../../src/api/pages/charts.js';
import { wholeMonths, wholeYears } from '../../src/library/listening-stats.js';
import { longestRun } from '../../src/library/year-recap.js';

describe('chart scales', () => {
  it('steps the y-axis by 1, 2 or 5 × 10ⁿ past the largest value', () => {
    expect(niceTicks(137)).toEqual([0, 50, 100, 150]);
    expect(niceTicks(4)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(1900)).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it('keeps at most the asked number of labels, the first always', () => {
    expect(thin([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 4)).toEqual([0, 3, 6, 9]);
    expect(thin([0, 1, 2], 4)).toEqual([0, 1, 2]);
  });

  it('names days within two months, months within three years, years beyond', () => {
    expect(timeTicks(['2026-11-01', '2026-11-02', '2026-11-03']).map((t) => t.label)).toEqual(['1 Nov', '2 Nov', '3 Nov']);
    const days = Array.from({ length: 90 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
    expect(timeTicks(days)).toEqual([
      { index: 0, label: 'Jan 2026' },
      { index: 31, label: 'Feb' },
      { index: 59, label: 'Mar' },
    ]);
    const months = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2020, i, 1)).toISOString().slice(0, 10));
    expect(timeTicks(months).map((t) => t.label)).toEqual(['2020', '2021', '2022', '2023', '2024']);
  });

  it('writes short numbers on bars', () => {
    expect([shortNumber(950), shortNumber(1234), shortNumber(35_000), shortNumber(1_200_000)]).toEqual(['950', '1.2k', '35k', '1.2M']);
  });
});

describe('ranges of the heatmap and streaks', () => {
  it('finds the whole months and years inside a range of days', () => {
    expect(wholeMonths('2025-12-31', '2026-02-02')).toEqual({ start: '2026-01-01', end: '2026-02-01' });
    expect(wholeMonths('2026-01-15', '2026-02-10')).toBeNull();
    expect(wholeMonths('2026-02-01', '2026-02-28')).toEqual({ start: '2026-02-01', end: '2026-03-01' });
    expect(wholeYears('2025-01-01', '2026-02-02')).toEqual({ start: 2025, end: 2026 });
    expect(wholeYears('2025-01-02', '2026-12-30')).toBeNull();
  });

  it('counts a run of days across month and year borders', () => {
    expect(longestRun(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-03'])).toEqual({ days: 3, from: '2025-12-30', to: '2026-01-01' });
    expect(longestRun(['2026-02-27', '2026-02-28', '2026-03-01'])).toEqual({ days: 3, from: '2026-02-27', to: '2026-03-01' });
    expect(longestRun([])).toBeNull();
  });
});
