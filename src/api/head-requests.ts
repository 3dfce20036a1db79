import type { MiddlewareHandler } from 'hono';

/**
 * HEAD answered with the GET route's headers and no body, the body cancelled. Hono runs the GET
 * handler for a HEAD and drops the body it made without cancelling it, so a streamed body (an
 * export reading a Postgres cursor) would keep its connection checked out for ever: a few dozen HEAD
 * requests emptied the pool. Cancelling ends the stream the way a client that hangs up does.
 */
export const headWithoutBody: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.req.method !== 'HEAD' || !c.res.body) return;
  const { status, statusText, headers } = c.res;
  await c.res.body.cancel();
  c.res = undefined;
  c.res = new Response(null, { status, statusText, headers });
};
