import { afterEach, describe, expect, it } from 'vitest';
import { parseSimulatorArgs, startSimulatorFromArgs } from '../../../src/simulator/cli.js';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/start-simulator.js';

const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

describe('startSimulator', () => {
  it('serves the Web API and Accounts service over HTTP on a free loopback port; next links point back at it', async () => {
    const sim = await startSimulator({ port: 0, seed: 4, tracks: 80, playlists: 3 });
    running.push(sim);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.port).toBeGreaterThan(0);
    const token = await fetch(`${sim.url}/api/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: sim.demoRefreshToken, client_id: 'x' }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const headers = { authorization: `Bearer ${token.access_token}` };
    const first = (await fetch(`${sim.url}/v1/me/tracks?limit=50`, { headers }).then((r) => r.json())) as { next: string; items: unknown[] };
    expect(first.next).toBe(`${sim.url}/v1/me/tracks?offset=50&limit=50`);
    const second = (await fetch(first.next, { headers }).then((r) => r.json())) as { next: string | null; items: unknown[] };
    expect(first.items.length + second.items.length).toBe(80);
    expect(second.next).toBeNull();
    const stats = (await fetch(`${sim.url}/_sim/stats`).then((r) => r.json())) as { requests: { total: number } };
    expect(stats.requests.total).toBe(2);
  });

  it('closes cleanly even with keep-alive connections open', async () => {
    const sim = await startSimulator({ tracks: 10, playlists: 1 });
    await fetch(`${sim.url}/_sim/clock`).then((r) => r.json());
    await sim.close();
    await expect(fetch(`${sim.url}/_sim/clock`)).rejects.toThrow();
  });
});

describe('simulator CLI', () => {
  it('parses the documented flags', () => {
    expect(
      parseSimulatorArgs(['--port', '4010', '--seed=7', '--tracks', '100', '--playlists', '4', '--app-mode', 'extended', '--rate-limit', '180/30', '--quota', '500/none']),
    ).toEqual({
      port: 4010,
      seed: 7,
      tracks: 100,
      playlists: 4,
      config: { appMode: 'extended', rateLimit: { maxRequests: 180, windowSeconds: 30 }, quota: { perDay: 500, retryAfterSeconds: null } },
    });
    expect(parseSimulatorArgs(['--help'])).toBe('help');
    expect(() => parseSimulatorArgs(['--app-mode', 'prod'])).toThrow(/--app-mode must be one of development, extended/);
    expect(() => parseSimulatorArgs(['--tracks', 'many'])).toThrow(/--tracks must be a whole number/);
    expect(() => parseSimulatorArgs(['--bogus', '1'])).toThrow(/unknown option --bogus/);
  });

  it('prints the URL and the demo refresh token', async () => {
    const lines: string[] = [];
    const sim = await startSimulatorFromArgs(['--port', '0', '--seed', '42', '--tracks', '40', '--playlists', '2'], (line) => lines.push(line));
    running.push(sim!);
    const output = lines.join('\n');
    expect(output).toContain(sim!.url);
    expect(output).toContain('demo refresh token: demo-refresh-42');
    expect(output).toContain('40 saved tracks');
  });
});
