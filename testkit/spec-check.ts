import { type AppMode, appModes } from '../src/simulator/config.js';
import { createSimulator, type Simulator } from '../src/simulator/create-simulator.js';
import { pkceChallenge } from '../src/simulator/tokens.js';
import { type SpecValidator } from './spec-validator.js';

/**
 * Drives an in-process simulator through every route in each app mode (successes, 400/401/403/404,
 * both 429s, 5xx, malformed answers, the token endpoint) and validates every JSON body against the
 * schema the OpenAPI file declares for that route and status. Statuses are checked too: a 403 where
 * the app mode should allow the call is as wrong as a bad body.
 */

export type Expectation = 'valid' | 'invalid';

export interface SpecCheckRow {
  mode: AppMode;
  route: string;
  status: number;
  schema: string;
  /** Malformed answers are expected to fail validation: that proves the check can fail. */
  expect: Expectation;
  bodies: number;
  failures: SpecCheckFailure[];
}

export interface SpecCheckFailure {
  url: string;
  problem: string;
}

export interface SpecCheckResult {
  passed: boolean;
  rows: SpecCheckRow[];
  /** Behaviour the sample must have exercised (awkward items, null entries, both 429s...). */
  coverage: { mode: AppMode; what: string; seen: boolean }[];
  overlays: { name: string; reason: string }[];
}

interface Sample {
  status: number;
  body: unknown;
  headers: Headers;
}

const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const clientId = 'spec-check-client';

export async function runSpecCheck(validator: SpecValidator, options: { seed?: number; tracks?: number; playlists?: number } = {}): Promise<SpecCheckResult> {
  const rows = new Map<string, SpecCheckRow>();
  const coverage: SpecCheckResult['coverage'] = [];
  for (const mode of appModes) {
    const run = new ModeRun(validator, mode, rows, coverage);
    await run.exercise(createSimulator({ seed: options.seed ?? 7, tracks: options.tracks ?? 260, playlists: options.playlists ?? 24, appMode: mode }));
  }
  const list = [...rows.values()];
  return {
    passed: list.every((r) => r.failures.length === 0) && coverage.every((c) => c.seen),
    rows: list,
    coverage,
    overlays: validator.overlays.map(({ name, reason }) => ({ name, reason })),
  };
}

class ModeRun {
  private token = '';
  private sim!: Simulator;
  private readonly seen = new Set<string>();

  constructor(
    private readonly validator: SpecValidator,
    private readonly mode: AppMode,
    private readonly rows: Map<string, SpecCheckRow>,
    private readonly coverage: SpecCheckResult['coverage'],
  ) {}

  async exercise(sim: Simulator): Promise<void> {
    this.sim = sim;
    await this.accounts();
    await this.library();
    await this.errors();
    await this.faults();
    for (const what of [
      'null playlist item',
      'local playlist item',
      'episode playlist item',
      'play with null context',
      'null entry for an unknown id in a batch',
      'empty recently-played page (null cursors)',
      'rolling-window 429 with Retry-After',
      'quota 429 with reason QUOTA_EXCEEDED',
    ]) {
      const applies = !what.includes('batch') || this.mode === 'extended';
      if (applies) this.coverage.push({ mode: this.mode, what, seen: this.seen.has(what) });
    }
  }

  private async request(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Sample> {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? this.token : init.token;
    if (token) headers.set('authorization', `Bearer ${token}`);
    const response = await this.sim.app.request(`http://sim.test${path}`, { ...init, headers });
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text) as unknown;
    return { status: response.status, body, headers: response.headers };
  }

  /** Requests `path`, checks the status, validates the body against `route`'s schema for that status. */
  private async api(route: string, path: string, expectStatus: number | number[], options: { expect?: Expectation; token?: string | null } = {}): Promise<Sample> {
    const sample = await this.request(path, { token: options.token });
    const allowed = Array.isArray(expectStatus) ? expectStatus : [expectStatus];
    const check = this.validator.checkResponse('GET', route, sample.status, sample.body);
    const row = this.row(route, sample.status, check.schema, options.expect ?? 'valid');
    row.bodies++;
    if (!allowed.includes(sample.status)) {
      row.failures.push({ url: path, problem: `status ${sample.status}, expected ${allowed.join(' or ')}: ${JSON.stringify(sample.body).slice(0, 200)}` });
    } else if ((options.expect ?? 'valid') === 'valid' && !check.valid) {
      row.failures.push({ url: path, problem: check.errors.join('; ') });
    } else if (options.expect === 'invalid' && check.valid) {
      row.failures.push({ url: path, problem: 'a malformed answer passed validation' });
    }
    return sample;
  }

  private row(route: string, status: number, schema: string, expect: Expectation): SpecCheckRow {
    const key = `${this.mode}|${route}|${status}|${expect}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { mode: this.mode, route, status, schema, expect, bodies: 0, failures: [] };
      this.rows.set(key, row);
    }
    return row;
  }

  private fail(route: string, status: number, url: string, problem: string): void {
    const row = this.row(route, status, 'behaviour', 'valid');
    row.bodies++;
    row.failures.push({ url, problem });
  }

  private async tokenCall(form: Record<string, string>, expectStatus: number): Promise<Sample> {
    const sample = await this.request('/api/token', {
      method: 'POST',
      token: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const check = this.validator.checkTokenResponse(sample.status, sample.body);
    const row = this.row(`POST /api/token (${form.grant_type})`, sample.status, check.schema, 'valid');
    row.bodies++;
    if (sample.status !== expectStatus) row.failures.push({ url: '/api/token', problem: `status ${sample.status}, expected ${expectStatus}` });
    else if (!check.valid) row.failures.push({ url: '/api/token', problem: check.errors.join('; ') });
    return sample;
  }

  private async accounts(): Promise<void> {
    const refreshed = await this.tokenCall({ grant_type: 'refresh_token', refresh_token: this.sim.demoRefreshToken, client_id: clientId }, 200);
    this.token = (refreshed.body as { access_token: string }).access_token;
    if ('refresh_token' in (refreshed.body as object)) this.fail('POST /api/token (refresh_token)', 200, '/api/token', 'refresh response should omit refresh_token');

    const verifier = 'spec-check-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
    const authorize = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      state: 'xyz',
      scope: 'user-library-read playlist-read-private user-read-recently-played',
      code_challenge_method: 'S256',
      code_challenge: pkceChallenge(verifier),
    });
    const page = await this.request(`/authorize?${authorize}`, { token: null });
    if (page.status !== 200 || typeof page.body !== 'string' || !page.body.includes('Approve')) {
      this.fail('GET /authorize', page.status, '/authorize', 'expected an HTML consent page with an Approve button');
    }
    const approve = async (): Promise<string> => {
      const response = await this.sim.app.request('http://sim.test/authorize/approve', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: authorize.toString(),
      });
      const location = new URL(response.headers.get('location') ?? 'http://invalid/');
      if (response.status !== 302 || location.searchParams.get('state') !== 'xyz' || !location.searchParams.get('code')) {
        this.fail('POST /authorize/approve', response.status, '/authorize/approve', `bad redirect ${location.toString()}`);
      }
      return location.searchParams.get('code') ?? '';
    };
    const exchange = { grant_type: 'authorization_code', redirect_uri: redirectUri, client_id: clientId };
    await this.tokenCall({ ...exchange, code: await approve(), code_verifier: `${verifier}-wrong` }, 400);
    const issued = await this.tokenCall({ ...exchange, code: await approve(), code_verifier: verifier }, 200);
    const refreshToken = (issued.body as { refresh_token?: string }).refresh_token ?? '';
    await this.tokenCall({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }, 200);
    await this.tokenCall({ grant_type: 'refresh_token', refresh_token: 'not-a-token', client_id: clientId }, 400);
  }

  private async pages(route: string, path: string, limit: number, expectStatus = 200): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let offset = 0; ; offset += limit) {
      const sample = await this.api(route, `${path}${path.includes('?') ? '&' : '?'}offset=${offset}&limit=${limit}`, expectStatus);
      const page = sample.body as { items?: unknown[]; next?: string | null };
      if (sample.status !== 200 || !Array.isArray(page.items)) return items;
      items.push(...page.items);
      if (!page.next) return items;
    }
  }

  private async library(): Promise<void> {
    const extended = this.mode === 'extended';
    await this.api('/v1/me', '/v1/me', 200);
    await this.pages('/v1/me/tracks', '/v1/me/tracks', 50);
    const playlists = (await this.pages('/v1/me/playlists', '/v1/me/playlists', 50)) as { id: string; owner: { id: string }; collaborative: boolean }[];
    for (const playlist of playlists) {
      const followed = playlist.owner.id !== this.sim.user.id && !playlist.collaborative;
      await this.api('/v1/playlists/{id}', `/v1/playlists/${playlist.id}`, 200);
      const items = (await this.pages('/v1/playlists/{id}/items', `/v1/playlists/${playlist.id}/items`, 50, followed && !extended ? 403 : 200)) as {
        is_local: boolean;
        item: { type?: string } | null;
      }[];
      for (const entry of items) {
        if (entry.item === null) this.seen.add('null playlist item');
        else if (entry.is_local) this.seen.add('local playlist item');
        else if (entry.item.type === 'episode') this.seen.add('episode playlist item');
      }
      await this.pages('/v1/playlists/{id}/tracks', `/v1/playlists/${playlist.id}/tracks`, 100, extended ? 200 : 403);
    }

    for (const path of ['/v1/me/albums', '/v1/me/shows', '/v1/me/episodes', '/v1/me/audiobooks']) await this.pages(path, path, 50);
    for (let after: string | null = null, first = true; first || after; first = false) {
      const sample = await this.api('/v1/me/following', `/v1/me/following?type=artist&limit=50${after ? `&after=${after}` : ''}`, 200);
      after = (sample.body as { artists?: { cursors?: { after?: string | null } | null } }).artists?.cursors?.after ?? null;
    }

    const truth = this.sim.truth();
    const unknownId = '0000000000000000000000';
    for (const id of truth.artists.slice(0, 25)) await this.api('/v1/artists/{id}', `/v1/artists/${id}`, 200);
    for (const id of truth.albums.slice(0, 25)) {
      await this.api('/v1/albums/{id}', `/v1/albums/${id}`, 200);
      await this.api('/v1/albums/{id}/tracks', `/v1/albums/${id}/tracks?limit=50`, 200);
    }
    for (let i = 0; i < truth.artists.length; i += 49) {
      const ids = [...truth.artists.slice(i, i + 49), unknownId].join(',');
      const sample = await this.api('/v1/artists', `/v1/artists?ids=${ids}`, extended ? 200 : 403);
      if ((sample.body as { artists?: unknown[] }).artists?.includes(null)) this.seen.add('null entry for an unknown id in a batch');
    }
    for (let i = 0; i < truth.albums.length; i += 19) {
      await this.api('/v1/albums', `/v1/albums?ids=${[...truth.albums.slice(i, i + 19), unknownId].join(',')}`, extended ? 200 : 403);
    }

    await this.sim.mutate({ play: 12 });
    const recent = await this.api('/v1/me/player/recently-played', '/v1/me/player/recently-played?limit=50', 200);
    const plays = (recent.body as { items: { played_at: string; context: unknown }[] }).items;
    if (plays.some((p) => p.context === null)) this.seen.add('play with null context');
    const middle = Date.parse(plays[Math.floor(plays.length / 2)]?.played_at ?? '');
    await this.api('/v1/me/player/recently-played', '/v1/me/player/recently-played', 200);
    await this.api('/v1/me/player/recently-played', `/v1/me/player/recently-played?limit=5&after=${middle}`, 200);
    await this.api('/v1/me/player/recently-played', `/v1/me/player/recently-played?limit=5&before=${middle}`, 200);
    const empty = await this.api('/v1/me/player/recently-played', `/v1/me/player/recently-played?after=${(await this.sim.now()) + 60_000}`, 200);
    if ((empty.body as { cursors?: unknown }).cursors === null) this.seen.add('empty recently-played page (null cursors)');
  }

  private async errors(): Promise<void> {
    const truth = this.sim.truth();
    const unknownId = '0000000000000000000000';
    await this.api('/v1/me', '/v1/me', 401, { token: null });
    await this.api('/v1/me/tracks', '/v1/me/tracks', 401, { token: 'not-a-token' });
    await this.api('/v1/me/tracks', '/v1/me/tracks?limit=0', 400);
    await this.api('/v1/me/tracks', '/v1/me/tracks?limit=51', 400);
    await this.api('/v1/me/playlists', '/v1/me/playlists?offset=-1', 400);
    await this.api('/v1/artists/{id}', `/v1/artists/${unknownId}`, 404);
    await this.api('/v1/artists/{id}', '/v1/artists/not-an-id', 400);
    await this.api('/v1/albums/{id}', `/v1/albums/${unknownId}`, 404);
    await this.api('/v1/playlists/{id}', `/v1/playlists/${unknownId}`, 404);
    await this.api('/v1/playlists/{id}/items', `/v1/playlists/${unknownId}/items`, 404);
    await this.api('/v1/me/player/recently-played', '/v1/me/player/recently-played?after=1&before=2', 400);
    const extended = this.mode === 'extended';
    const tooManyArtists = Array.from({ length: 51 }, (_, i) => truth.artists[i % truth.artists.length]).join(',');
    await this.api('/v1/artists', `/v1/artists?ids=${tooManyArtists}`, extended ? 400 : 403);
    const tooManyAlbums = Array.from({ length: 21 }, (_, i) => truth.albums[i % truth.albums.length]).join(',');
    await this.api('/v1/albums', `/v1/albums?ids=${tooManyAlbums}`, extended ? 400 : 403);
  }

  private async faults(): Promise<void> {
    const sim = this.sim;
    sim.setConfig({ rateLimit: { windowSeconds: 30, maxRequests: 1 } });
    await this.api('/v1/me', '/v1/me', 200);
    const limited = await this.api('/v1/me', '/v1/me', 429);
    if (/^\d+$/.test(limited.headers.get('retry-after') ?? '')) this.seen.add('rolling-window 429 with Retry-After');
    sim.setConfig({ rateLimit: null, quota: { perDay: 0, retryAfterSeconds: null } });
    const quota = await this.api('/v1/me/tracks', '/v1/me/tracks', 429);
    if ((quota.body as { error?: { reason?: string } }).error?.reason === 'QUOTA_EXCEEDED') this.seen.add('quota 429 with reason QUOTA_EXCEEDED');
    sim.setConfig({ quota: null, errorRate: 1 });
    for (let i = 0; i < 4; i++) await this.api('/v1/me/tracks', '/v1/me/tracks', [500, 502, 503]);
    sim.setConfig({ errorRate: 0, malformedRate: 1 });

    const truth = sim.truth();
    const playlist = truth.playlists.find((p) => p.itemsAccessible && p.items.length > 0) ?? truth.playlists[0];
    const malformedRoutes: [string, string][] = [
      ['/v1/me', '/v1/me'],
      ['/v1/me/tracks', '/v1/me/tracks?limit=5'],
      ['/v1/me/playlists', '/v1/me/playlists?limit=5'],
      ['/v1/me/player/recently-played', '/v1/me/player/recently-played?limit=5'],
      ['/v1/artists/{id}', `/v1/artists/${truth.artists[0]}`],
      ['/v1/albums/{id}', `/v1/albums/${truth.albums[0]}`],
    ];
    if (playlist) {
      malformedRoutes.push(['/v1/playlists/{id}', `/v1/playlists/${playlist.id}`]);
      malformedRoutes.push(['/v1/playlists/{id}/items', `/v1/playlists/${playlist.id}/items?limit=5`]);
    }
    if (this.mode === 'extended') {
      malformedRoutes.push(['/v1/artists', `/v1/artists?ids=${truth.artists.slice(0, 5).join(',')}`]);
      malformedRoutes.push(['/v1/albums', `/v1/albums?ids=${truth.albums.slice(0, 5).join(',')}`]);
    }
    for (const [route, path] of malformedRoutes) for (let i = 0; i < 4; i++) await this.api(route, path, 200, { expect: 'invalid' });
    sim.setConfig({ malformedRate: 0 });

    await sim.advanceClock(3601);
    const expired = await this.api('/v1/me', '/v1/me', 401);
    if ((expired.body as { error?: { message?: string } }).error?.message !== 'The access token expired') {
      this.fail('/v1/me', 401, '/v1/me', 'an expired token should answer "The access token expired"');
    }
  }
}

/** A plain-text table for the terminal. */
export function formatSpecCheck(result: SpecCheckResult): string {
  const lines: string[] = [];
  const header = ['mode', 'route', 'status', 'expect', 'bodies', 'result', 'schema'];
  const table = result.rows.map((r) => [r.mode, r.route, String(r.status), r.expect, String(r.bodies), r.failures.length === 0 ? 'ok' : `FAIL ×${r.failures.length}`, r.schema]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const format = (row: string[]): string => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  lines.push(format(header), format(widths.map((w) => '-'.repeat(w))));
  for (const row of table) lines.push(format(row));
  lines.push('', 'coverage:');
  for (const c of result.coverage) lines.push(`  ${c.seen ? 'ok  ' : 'MISS'} ${c.mode.padEnd(11)} ${c.what}`);
  if (result.overlays.length > 0) {
    lines.push('', 'validated with these documented relaxations of the file (where the live service sends what the file does not allow):');
    for (const o of result.overlays) lines.push(`  - ${o.name}: ${o.reason}`);
  }
  const failures = result.rows.flatMap((r) => r.failures.map((f) => ({ r, f })));
  if (failures.length > 0) {
    lines.push('', 'mismatches:');
    for (const { r, f } of failures.slice(0, 40)) lines.push(`  ${r.mode} ${r.route} ${r.status}: ${f.url}\n      ${f.problem}`);
    if (failures.length > 40) lines.push(`  … and ${failures.length - 40} more`);
  }
  lines.push('', result.passed ? 'PASS: every body matched its schema' : 'FAIL');
  return lines.join('\n');
}
