import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../src/simulator/create-simulator.js';
import { allItems, call, demoAccessToken, listenerLogin, simulatorWithClock } from './helpers.js';

/** What a development-mode app gets from Spotify since February 2026, against an extended-quota app. */

async function both() {
  const development = createSimulator({ seed: 5, tracks: 120, playlists: 8, appMode: 'development' });
  const extended = createSimulator({ seed: 5, tracks: 120, playlists: 8, appMode: 'extended' });
  return { development: { sim: development, token: await demoAccessToken(development) }, extended: { sim: extended, token: await demoAccessToken(extended) } };
}

describe('fields development mode no longer sends', () => {
  it('drops country, email, product, explicit_content and followers from /v1/me', async () => {
    const { development, extended } = await both();
    const dev = (await call(development.sim, '/v1/me', { token: development.token })).body;
    const ext = (await call(extended.sim, '/v1/me', { token: extended.token })).body;
    for (const field of ['country', 'email', 'product', 'explicit_content', 'followers']) {
      expect(dev).not.toHaveProperty(field);
      expect(ext).toHaveProperty(field);
    }
    expect(dev).toMatchObject({ id: development.sim.user.id, account_id: development.sim.user.accountId, type: 'user' });
  });

  it('drops followers, genres and popularity from artists, popularity and available_markets from tracks and albums', async () => {
    const { development, extended } = await both();
    const truth = development.sim.truth();
    const artistPath = `/v1/artists/${truth.artists[0]}`;
    const albumPath = `/v1/albums/${truth.albums[0]}`;
    const devArtist = (await call(development.sim, artistPath, { token: development.token })).body;
    const extArtist = (await call(extended.sim, artistPath, { token: extended.token })).body;
    expect(Object.keys(devArtist).sort()).toEqual(['external_urls', 'href', 'id', 'images', 'name', 'type', 'uri']);
    for (const field of ['followers', 'genres', 'popularity']) expect(extArtist).toHaveProperty(field);

    const devAlbum = (await call(development.sim, albumPath, { token: development.token })).body;
    const extAlbum = (await call(extended.sim, albumPath, { token: extended.token })).body;
    for (const field of ['popularity', 'available_markets']) {
      expect(devAlbum).not.toHaveProperty(field);
      expect(extAlbum).toHaveProperty(field);
    }
    expect(devAlbum.tracks.items[0]).not.toHaveProperty('available_markets');

    const devSaved = (await call(development.sim, '/v1/me/tracks?limit=5', { token: development.token })).body.items;
    const extSaved = (await call(extended.sim, '/v1/me/tracks?limit=5', { token: extended.token })).body.items;
    for (const { track } of devSaved) {
      expect(track).not.toHaveProperty('popularity');
      expect(track).not.toHaveProperty('available_markets');
      expect(track.album).not.toHaveProperty('available_markets');
      expect(track.external_ids.isrc).toEqual(expect.any(String));
    }
    for (const { track } of extSaved) expect(track).toHaveProperty('popularity');
  });
});

describe('Spotify’s own wording and limits', () => {
  it('answers with the texts the real service sends', async () => {
    const { development } = await both();
    const { sim, token } = development;
    const truth = sim.truth();
    const batch = await call(sim, `/v1/artists?ids=${truth.artists[0]}`, { token });
    expect(batch.body).toEqual({ error: { status: 403, message: 'Forbidden' } });
    const unknown = await call(sim, '/v1/artists/0000000000000000000000', { token });
    expect(unknown.body).toEqual({ error: { status: 404, message: 'non existing id' } });
    const malformed = await call(sim, '/v1/albums/not-an-id!', { token });
    expect(malformed.body).toEqual({ error: { status: 400, message: 'invalid id' } });
    const limit = await call(sim, '/v1/me/tracks?limit=51', { token });
    expect(limit.body).toEqual({ error: { status: 400, message: 'Invalid limit' } });
  });

  it('embeds up to 100 items in GET /v1/playlists/{id}', async () => {
    const sim = createSimulator({ seed: 3, tracks: 400, playlists: 12, appMode: 'development' });
    const token = await demoAccessToken(sim);
    const truth = sim.truth();
    const big = truth.playlists.filter((p) => p.itemsAccessible).sort((a, b) => b.items.length - a.items.length)[0]!;
    expect(big.items.length).toBeGreaterThan(50);
    const playlist = (await call(sim, `/v1/playlists/${big.id}`, { token })).body;
    expect(playlist.items.limit).toBe(100);
    expect(playlist.items.items).toHaveLength(Math.min(100, playlist.items.total));
  });

  it('sends a share of window 429s with neither Retry-After nor a body when rateLimit.omitRetryAfter says so', async () => {
    const { sim } = simulatorWithClock();
    const token = await demoAccessToken(sim);
    sim.setConfig({ rateLimit: { windowSeconds: 30, maxRequests: 1, omitRetryAfter: 1 } });
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    const bare = await sim.app.request('http://sim.test/v1/me', { headers: { authorization: `Bearer ${token}` } });
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
    expect(await bare.text()).toBe('');

    sim.setConfig({ rateLimit: { windowSeconds: 30, maxRequests: 1 } });
    await call(sim, '/v1/me', { token });
    const usual = await call(sim, '/v1/me', { token });
    expect(usual.status).toBe(429);
    expect(Number(usual.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sim.stats().requests.rateLimited).toBe(2);
  });
});

describe('who a development-mode app serves', () => {
  it('serves five registered users; a sixth logs in but every call is refused as Spotify refuses it', async () => {
    const { sim } = simulatorWithClock();
    for (const user of [1, 5]) {
      const login = await listenerLogin(sim, user);
      const me = await call(sim, '/v1/me', { token: login.access_token });
      expect(me.status).toBe(200);
      expect(me.body.account_id).toBe(user === 1 ? sim.user.accountId : `${sim.user.accountId}-${user}`);
    }
    const sixth = await listenerLogin(sim, 6);
    for (const path of ['/v1/me', '/v1/me/tracks?limit=5']) {
      const refused = await call(sim, path, { token: sixth.access_token });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ error: { status: 403, message: 'User not registered in the Developer Dashboard' } });
    }
    sim.setConfig({ registeredUsers: 6 - 1 - 1 });
    expect((await call(sim, '/v1/me', { token: (await listenerLogin(sim, 5)).access_token })).status).toBe(403);
    sim.setConfig({ appMode: 'extended' });
    expect((await call(sim, '/v1/me', { token: sixth.access_token })).status).toBe(200);
    expect((await call(sim, '/_sim/config', { method: 'POST', body: JSON.stringify({ registeredUsers: 6 }), headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  it('stops answering everyone when the app owner’s Premium lapses, and again once it is back', async () => {
    const { sim } = simulatorWithClock();
    const token = await demoAccessToken(sim);
    sim.setConfig({ ownerPremium: false });
    const refused = await call(sim, '/v1/me/tracks?limit=1', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/^Active premium subscription required for the owner of the app\./);
    expect(sim.stats().requests.byEndpoint['GET /v1/me/tracks']).toMatchObject({ total: 1, errors: 1 });
    sim.setConfig({ ownerPremium: true });
    expect((await call(sim, '/v1/me/tracks?limit=1', { token })).status).toBe(200);
  });

  it('lets a login pick who logs in, and refuses a listener number out of range', async () => {
    const { sim } = simulatorWithClock();
    const page = await call(sim, `/authorize?${new URLSearchParams({ client_id: 'c', response_type: 'code', redirect_uri: 'http://127.0.0.1:3000/cb' })}`);
    expect(page.body).toContain('name="user"');
    const bad = await sim.app.request(
      `http://sim.test/authorize/approve?${new URLSearchParams({ client_id: 'c', response_type: 'code', redirect_uri: 'http://127.0.0.1:3000/cb', user: '99' })}`,
    );
    expect(bad.status).toBe(400);
    const items = await allItems(sim, '/v1/me/tracks?limit=50', (await listenerLogin(sim, 3)).access_token);
    expect(items).toHaveLength(sim.truth().savedTracks.length);
  });
});
