import { describe, expect, it } from 'vitest';
import { count, playCount } from '../../src/api/pages/format.js';

describe('numbers on the pages', () => {
  it('groups whole numbers by thousands as en-US does, and leaves the rest to Intl', () => {
    const intl = new Intl.NumberFormat('en-US');
    const numbers = [
      0,
      -0,
      1,
      -1,
      999,
      1000,
      -1000,
      12_345,
      123_456,
      1_234_567,
      -9_876_543_210,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      2 ** 60,
      1.5,
      1234.56,
      NaN,
      Infinity,
    ];
    for (let digits = 1; digits <= 16; digits++) numbers.push(Number('9'.repeat(digits)), Number(`1${'0'.repeat(digits - 1)}`), -Number('4'.repeat(digits)));
    for (const n of numbers) expect(count(n), String(n)).toBe(intl.format(n));
    expect(count(1_234_567)).toBe('1,234,567');
    expect(playCount(1)).toBe('1 play');
    expect(playCount(2345)).toBe('2,345 plays');
  });
});
