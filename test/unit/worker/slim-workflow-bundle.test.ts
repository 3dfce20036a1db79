import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { slimWorkflowBundle } from '../../../src/worker/slim-workflow-bundle.js';

const inlineMap = (map: object) => `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
const mapOf = (code: string) => JSON.parse(Buffer.from(code.slice(code.indexOf('base64,') + 7).trim(), 'base64').toString('utf8')) as Record<string, unknown>;

describe('the prebuilt workflow bundle, slimmed', () => {
  const map = { version: 3, file: 'workflow-bundle.js', mappings: 'AAAA;AACA', sources: ['a.ts'], sourcesContent: ['export const a = 1; // a copy of the source'], names: [] };
  const code = `// a comment — with a dash\nvar s = "a — b"; var r = /—/.test(s); var t = \`x—y\`;\n${inlineMap(map)}\n`;

  it('keeps the source map but not the sources it copies', () => {
    const slim = slimWorkflowBundle(code);
    const { sourcesContent, ...rest } = map;
    expect(sourcesContent).toHaveLength(1);
    expect(mapOf(slim)).toEqual(rest);
  });

  it('holds only characters V8 stores with one byte each, and means the same', () => {
    const slim = slimWorkflowBundle(code);
    expect(/[\u0100-\uffff]/.test(slim)).toBe(false);
    const run = (source: string) => runInNewContext(`${source}; ({ s, r, t })`) as { s: string; r: boolean; t: string };
    expect(run(slim)).toEqual(run(code));
    expect(run(slim)).toEqual({ s: 'a — b', r: true, t: 'x—y' });
  });

  it('refuses a bundle without an inline source map (the SDK needs one)', () => {
    expect(() => slimWorkflowBundle('var a = 1;\n')).toThrow(/no inline source map/);
  });
});
