import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inProcessService, pipeLines, prefixedLogger, ServiceStack, spawnService } from '../../src/dev/processes.js';

const node = process.execPath;

describe('process helpers', () => {
  it('prefixes each line, including a last line without newline', async () => {
    const out: string[] = [];
    const log = prefixedLogger('api', { width: 6, color: false, write: (text) => out.push(text) });
    const stream = new PassThrough();
    pipeLines(stream, log);
    stream.write('first\nsec');
    stream.write('ond\r\nthird');
    stream.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(out).toEqual(['api    | first\n', 'api    | second\n', 'api    | third\n']);
  });

  it('runs a child with its output logged and stops it with SIGTERM', async () => {
    const lines: string[] = [];
    const service = await spawnService({
      name: 'child',
      command: node,
      args: ['-e', "console.log('ready'); console.error('to stderr'); process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); setInterval(() => {}, 1000);"],
      log: (line) => lines.push(line),
    });
    await waitFor(() => lines.includes('ready') && lines.includes('to stderr'));
    await service.stop();
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(lines).toContain('bye');
  });

  it('kills a child that ignores SIGTERM after the stop timeout', async () => {
    const lines: string[] = [];
    const service = await spawnService({
      name: 'stubborn',
      command: node,
      args: ['-e', "process.on('SIGTERM', () => console.log('ignored')); console.log('ready'); setInterval(() => {}, 1000);"],
      log: (line) => lines.push(line),
      stopTimeoutMs: 300,
    });
    await waitFor(() => lines.includes('ready'));
    await service.stop();
    expect((await service.exited).signal).toBe('SIGKILL');
    expect(lines.some((line) => line.startsWith('did not stop within 300 ms'))).toBe(true);
  });

  it('rejects when the command does not exist', async () => {
    await expect(spawnService({ name: 'missing', command: '/nonexistent/binary', log: () => undefined })).rejects.toThrow(/could not start \/nonexistent\/binary/);
  });

  it('stops services newest first, and everything when one ends by itself', async () => {
    const order: string[] = [];
    const stack = new ServiceStack(() => undefined);
    stack.add(inProcessService('postgres', async () => void order.push('postgres')));
    stack.add(inProcessService('temporal', async () => void order.push('temporal')));
    const worker = stack.add(await spawnService({ name: 'worker', command: node, args: ['-e', 'setTimeout(() => process.exit(3), 100)'], log: () => undefined }));
    await stack.stopped;
    expect(await worker.exited).toEqual({ code: 3, signal: null });
    expect(order).toEqual(['temporal', 'postgres']);
    expect(stack.exitCode).toBe(1);
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
