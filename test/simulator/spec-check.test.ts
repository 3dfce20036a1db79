import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator/create-simulator.js';
import { formatSpecCheck, runSpecCheck } from '../../testkit/spec-check.js';
import { openApiToJsonSchema, SpecValidator } from '../../testkit/spec-validator.js';
import { call, demoAccessToken } from '../unit/simulator/helpers.js';

/**
 * The design's reference (../shared/reference, next to the repository) when it is there, else the copy
 * kept in reference/; SPOTIFY_OPENAPI_SPEC overrides both.
 */
const sharedSpec = fileURLToPath(new URL('../../../shared/reference/spotify-web-api.openapi.yml', import.meta.url));
const specPath = process.env.SPOTIFY_OPENAPI_SPEC ?? (existsSync(sharedSpec) ? sharedSpec : fileURLToPath(new URL('../../reference/spotify-web-api.openapi.yml', import.meta.url)));

describe('OpenAPI 3.0 → JSON Schema', () => {
  it('turns nullable into a null type, keeps enums consistent and drops OpenAPI-only keywords', () => {
    expect(openApiToJsonSchema({ type: 'string', nullable: true, example: 'x' })).toEqual({ type: ['string', 'null'] });
    expect(openApiToJsonSchema({ type: 'string', enum: ['a'], nullable: true })).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(openApiToJsonSchema({ allOf: [{ $ref: '#/x' }], nullable: true })).toEqual({ anyOf: [{ type: 'null' }, { allOf: [{ $ref: '#/x' }] }] });
    expect(openApiToJsonSchema({ oneOf: [], discriminator: { propertyName: 'type' }, 'x-spotify-docs-type': 'T' })).toEqual({ oneOf: [] });
  });
});

describe('check-spec against the reference OpenAPI file', () => {
  let validator: SpecValidator;
  beforeAll(async () => {
    validator = await SpecValidator.load(specPath);
  });

  it('passes: every route, status and body of both app modes matches the file', async () => {
    const result = await runSpecCheck(validator);
    if (!result.passed) console.error(formatSpecCheck(result));
    expect(result.passed).toBe(true);
    const routes = new Set(result.rows.map((r) => r.route));
    for (const route of [
      '/v1/me',
      '/v1/me/tracks',
      '/v1/artists',
      '/v1/artists/{id}',
      '/v1/albums',
      '/v1/albums/{id}',
      '/v1/me/playlists',
      '/v1/playlists/{id}',
      '/v1/playlists/{id}/items',
      '/v1/playlists/{id}/tracks',
      '/v1/me/player/recently-played',
    ]) {
      expect(routes).toContain(route);
    }
    const statuses = new Set(result.rows.map((r) => r.status));
    for (const status of [200, 400, 401, 403, 404, 429]) expect(statuses).toContain(status);
    expect(result.rows.filter((r) => r.expect === 'invalid').length).toBeGreaterThan(10);
    expect(result.coverage.every((c) => c.seen)).toBe(true);
  });

  it('fails without the documented relaxations, so the validator really bites', async () => {
    const strict = await SpecValidator.load(specPath, { overlays: false });
    const result = await runSpecCheck(strict, { tracks: 120, playlists: 10 });
    expect(result.passed).toBe(false);
    const failing = result.rows.filter((r) => r.failures.length > 0).map((r) => r.route);
    expect(failing).toContain('/v1/playlists/{id}/items');
    expect(formatSpecCheck(result)).toContain('mismatches:');
  });

  it('rejects bodies that break the declared types and accepts real ones', async () => {
    const sim = createSimulator({ tracks: 30, playlists: 2, appMode: 'extended' });
    const token = await demoAccessToken(sim);
    const { body } = await call(sim, '/v1/me/tracks?limit=3', { token });
    expect(validator.checkResponse('GET', '/v1/me/tracks', 200, body).valid).toBe(true);
    const broken = structuredClone(body);
    broken.items[1].track.album.album_type = 'mixtape';
    const check = validator.checkResponse('GET', '/v1/me/tracks', 200, broken);
    expect(check.valid).toBe(false);
    expect(check.errors.join(' ')).toContain('/items/1/track/album/album_type');
    expect(validator.checkResponse('GET', '/v1/me/tracks', 200, { ...body, next: 5 }).valid).toBe(false);
    expect(validator.checkResponse('GET', '/v1/me', 401, { error: { status: 401 } }).valid).toBe(false);
    expect(validator.checkResponse('GET', '/v1/nowhere', 200, {}).errors[0]).toContain('not in the OpenAPI file');
  });
});
