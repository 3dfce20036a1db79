import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';

/**
 * One address in front of several simulators, so that one worker (whose configuration names one
 * Spotify URL) can sync several accounts, each with a library and limits of its own. A token request
 * goes to the simulator whose demo refresh token it carries; a Web API call to the simulator that
 * issued its access token.
 */
export async function startSimRouter(sims: RunningSimulator[]): Promise<{ url: string; close(): Promise<void> }> {
  const byRefreshToken = new Map(sims.map((s) => [s.demoRefreshToken, s]));
  const byAccessToken = new Map<string, RunningSimulator>();

  async function route(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/api/token') {
      const body = await request.text();
      const sim = byRefreshToken.get(new URLSearchParams(body).get('refresh_token') ?? '');
      if (!sim) return Response.json({ error: 'invalid_grant', error_description: 'unknown refresh token' }, { status: 400 });
      const response = await sim.sim.app.fetch(new Request(request.url, { method: 'POST', headers: request.headers, body }));
      if (response.ok) byAccessToken.set(((await response.clone().json()) as { access_token: string }).access_token, sim);
      return response;
    }
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    const sim = byAccessToken.get(token);
    if (!sim) return Response.json({ error: { status: 401, message: 'Invalid access token' } }, { status: 401 });
    return sim.sim.app.fetch(request);
  }

  const server = createAdaptorServer({ fetch: route }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
