import { Type } from '@sinclair/typebox';
import { ErrorBody } from '../http/api-error.ts';
import { canWorkLeads, requireKey } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { KeyResolver } from '../workspaces/api-keys.ts';
import type { ChangeFeed } from './change-feed.ts';

/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 20_000;

/**
 * Server-sent events for open pages (the sales inbox, the lead page): `changed` whenever
 * leads or hand-offs changed; the page then refetches what it shows.
 */
export function registerLiveRoutes(app: App, deps: { resolveKey: KeyResolver; changes: ChangeFeed }): void {
  app.get(
    '/api/live',
    {
      preValidation: requireKey(deps.resolveKey, canWorkLeads),
      schema: {
        tags: ['live'],
        summary: 'Server-sent events: `changed` when leads or hand-offs changed (refetch what you show)',
        produces: ['text/event-stream'],
        response: {
          200: {
            description: 'an endless stream: `event: ready` once, then `event: changed` as things change',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    (request, reply) => {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
        // Tells nginx and similar proxies not to buffer the stream.
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 5000\n\nevent: ready\ndata: {}\n\n');
      const unsubscribe = deps.changes.subscribe(() => raw.write('event: changed\ndata: {}\n\n'));
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const close = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.raw.on('close', close);
      raw.on('error', close);
    },
  );
}
