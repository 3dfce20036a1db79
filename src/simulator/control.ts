import { type Context, type Hono } from 'hono';
import { z } from 'zod';
import { jsonResponse } from './api-route.js';
import { type ConfigUpdate, describeIssues } from './config.js';
import type { Simulator } from './simulator.js';
import { parseMutation } from './mutations.js';
import { isoMillis } from './objects.js';
import { zipFiles } from './zip-files.js';

/** Control endpoints under /_sim (contract: DESIGN.md, Simulator contract). */
export function mountControl(app: Hono, sim: Omit<Simulator, 'app'>): void {
  const badRequest = (message: string): Response => jsonResponse(400, { error: { status: 400, message } });
  const withBody =
    (handler: (body: unknown) => Promise<Response> | Response) =>
    async (c: Context): Promise<Response> => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return badRequest('the body must be a JSON object');
      }
      try {
        return await handler(body);
      } catch (error) {
        return badRequest((error as Error).message);
      }
    };
  const clockBody = async (): Promise<Record<string, unknown>> => {
    const now = await sim.now();
    return { now, iso: isoMillis(now), offsetSeconds: sim.clockOffsetSeconds() };
  };

  app.get('/_sim/stats', () => jsonResponse(200, sim.stats()));
  app.post('/_sim/stats/reset', () => {
    sim.resetStats();
    return jsonResponse(200, sim.stats());
  });
  app.get('/_sim/truth', () => jsonResponse(200, sim.truth()));
  app.get('/_sim/config', () => jsonResponse(200, sim.config()));
  app.post(
    '/_sim/config',
    withBody((body) => jsonResponse(200, sim.setConfig(body as ConfigUpdate))),
  );
  app.get('/_sim/clock', async () => jsonResponse(200, await clockBody()));
  app.post(
    '/_sim/clock',
    withBody(async (body) => {
      const parsed = z
        .object({ advanceSeconds: z.number().finite().min(0) })
        .strict()
        .safeParse(body);
      if (!parsed.success) return badRequest(`invalid clock change: ${describeIssues(parsed.error)}`);
      await sim.advanceClock(parsed.data.advanceSeconds);
      return jsonResponse(200, await clockBody());
    }),
  );
  app.post(
    '/_sim/mutate',
    withBody(async (body) => jsonResponse(200, await sim.mutate(parseMutation(body)))),
  );
  // The demo user's data exports (as downloaded from Spotify's privacy page) and what they hold; `endsong`
  // is the extended history as older exports shaped it.
  for (const which of ['extended', 'account', 'endsong'] as const) {
    app.get(`/_sim/export/${which}.zip`, async () => {
      const body = await zipFiles((await sim.dataExport())[which]);
      return new Response(new Uint8Array(body), {
        headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="my_spotify_data_${which}.zip"` },
      });
    });
  }
  app.get('/_sim/export/truth', async () => jsonResponse(200, (await sim.dataExport()).truth));
  app.get('/_sim/users', () => jsonResponse(200, { items: sim.users() }));
  app.get('/_sim/demo', () => jsonResponse(200, { refreshToken: sim.demoRefreshToken, userId: sim.user.id, accountId: sim.user.accountId, displayName: sim.user.displayName }));
}
