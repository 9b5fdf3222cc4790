import { Type } from '@sinclair/typebox';
import { ErrorBody } from '../http/api-error.ts';
import { canManage, requireKey, workspaceOf } from '../http/auth.ts';
import { decodeCursor, toPage } from '../http/cursor.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';

const AuditItem = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  target: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  ip: Nullable(Type.String()),
});

/** The audit log, newest first (admins): sign-ins, roles, keys, publishes, reassignments, reopenings. */
export function registerAuditRoutes(app: App, deps: RouteDeps): void {
  app.get(
    '/api/audit',
    {
      preValidation: requireKey(deps.resolveKey, canManage),
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first, filtered by action or actor',
        querystring: Type.Object({
          action: Type.Optional(Type.String({ maxLength: 64 })),
          actor: Type.Optional(Type.String({ maxLength: 400 })),
          cursor: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(AuditItem), nextCursor: Nullable(Type.String()) }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const { action, actor, cursor } = request.query;
      const limit = request.query.limit ?? 100;
      let query = deps.db
        .selectFrom('audit_log')
        .select(['id', 'at', 'actor', 'action', 'target', 'details', 'ip'])
        .where('workspace_id', '=', workspaceOf(request));
      if (action) query = query.where('action', '=', action);
      if (actor) query = query.where('actor', '=', actor);
      if (cursor) {
        const [id] = decodeCursor(cursor, 1);
        if (typeof id !== 'number') decodeCursor('', 1);
        query = query.where('id', '<', Number(id));
      }
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(
        rows,
        limit,
        (row) => [row.id],
        (row) => ({ ...row, at: row.at.toISOString(), details: row.details as Record<string, unknown> }),
      );
    },
  );
}
