import { describe, expect, it } from 'vitest';
import { safeText, textProblem } from '../../../src/api/safe-text.js';

describe('textProblem: text that may not reach Postgres or a log', () => {
  it('lets ordinary text through, accents, emoji and all', () => {
    for (const text of ['4uLU6hMCjMI75M1A2tKUQC', 'Sigur Rós — Hoppípolla', 'Ready 🚀 now', '']) expect(textProblem(text)).toBeNull();
  });

  it('refuses NUL bytes (Postgres text cannot hold them)', () => {
    expect(textProblem('a\u0000b')).toBe('must not contain NUL bytes');
    expect(textProblem('a\u0000b', { multiline: true })).toBe('must not contain NUL bytes');
  });

  it('refuses a lone surrogate, which is not valid UTF-8, but not a surrogate pair', () => {
    expect(textProblem('x\ud83d')).toBe('must be valid Unicode (it holds a lone surrogate)');
    expect(textProblem('\ude80x')).toBe('must be valid Unicode (it holds a lone surrogate)');
    expect(textProblem('\ud83d\ude80')).toBeNull();
  });

  it('refuses control characters in ids, and allows tab and line breaks only in free text', () => {
    for (const control of ['\t', '\n', '\r', '\u001b', '\u007f', '\u0085']) expect(textProblem(`a${control}b`)).toBe('must not contain control characters');
    for (const allowed of ['\t', '\n', '\r']) expect(textProblem(`a${allowed}b`, { multiline: true })).toBeNull();
    for (const control of ['\u001b', '\u007f', '\u0085']) expect(textProblem(`a${control}b`, { multiline: true })).toBe('must not contain control characters');
  });
});

describe('safeText: the schema every text input of the API is built from', () => {
  const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) => result.error?.issues.map((i) => i.message) ?? [];

  it('trims when asked, then bounds the length', () => {
    const name = safeText({ max: 5, min: 1, trim: true });
    expect(name.parse('  abc  ')).toBe('abc');
    expect(messages(name.safeParse('   '))).toEqual(['must not be empty']);
    expect(messages(name.safeParse('abcdef'))).toEqual(['must be at most 5 characters']);
    expect(messages(name.safeParse(5))).toEqual(['must be a string']);
  });

  it('says what is wrong with the text itself', () => {
    const id = safeText({ max: 100 });
    expect(messages(id.safeParse('a\u0000'))).toEqual(['must not contain NUL bytes']);
    expect(messages(safeText({ max: 100, multiline: true }).safeParse('line one\nline two'))).toEqual([]);
  });
});
