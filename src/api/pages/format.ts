/** How the pages write numbers, durations and dates (UTC, as the API gives them). */

export const duration = (ms: number | null): string => {
  if (ms === null) return '';
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '');
export const dateTime = (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '');
export const time = (iso: string): string => iso.slice(11, 16);
// One formatter for every call: building an Intl.NumberFormat costs about a millisecond, and a page writes hundreds of numbers.
const numbers = new Intl.NumberFormat('en-US');
// Whole numbers (nearly all of them: plays, counts) grouped by hand, as en-US groups them: Intl's format costs a few microseconds each.
const grouped = /\B(?=(\d{3})+$)/g;
export const count = (n: number): string => (Number.isSafeInteger(n) && !Object.is(n, -0) ? String(n).replace(grouped, ',') : numbers.format(n));
/** "1 play", "2,345 plays". */
export const playCount = (n: number): string => `${count(n)} ${n === 1 ? 'play' : 'plays'}`;
