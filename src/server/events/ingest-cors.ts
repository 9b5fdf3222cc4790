import type { App } from '../http/fastify-types.ts';

/** Browsers may cache a preflight this long (Chromium caps it at two hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/**
 * CORS for /v1 in `scope`: websites send events from their own origin. Every answer names the
 * asking origin, a refusal too, so a browser script can read a 403 `origin_not_allowed` and
 * stop retrying; whether the origin may use the key is the key's allowed origins' question
 * (http/auth.ts), not CORS's. No credentials: the write key travels in the request.
 */
export function allowCrossOriginIngest(scope: App): void {
  scope.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    void reply.header('vary', 'Origin');
    if (origin !== undefined) void reply.header('access-control-allow-origin', origin);
  });
  // Libraries that send JSON or basic auth ask first; the snippet's text/plain bodies need not.
  scope.options('/v1/*', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .status(204)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type, authorization, content-encoding')
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .send(),
  );
}
