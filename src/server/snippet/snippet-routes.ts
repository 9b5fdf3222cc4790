import { Type } from '@sinclair/typebox';
import { snippetTag, WRITE_KEY_PLACEHOLDER } from '../../core/snippet/snippet-tag.ts';
import { ApiError, ErrorBody } from '../http/api-error.ts';
import { canManage, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { OneOf } from '../http/schema-helpers.ts';
import { createSnippetReader } from './read-snippet-build.ts';

/** The path the current build is served at; the hash changes whenever the snippet does. */
const PREFIX = '/snippet/';
const VERSIONED = 'public, max-age=31536000, immutable';
/** The unversioned alias and the redirect from an older build: a deploy reaches sites within minutes. */
const SHORT = 'public, max-age=300';

function notBuilt(): ApiError {
  return new ApiError(404, 'not_found', 'the browser snippet is not built; run `npm run build`');
}

/**
 * The browser snippet, served to any website: the versioned script for a year (immutable),
 * `ripen.js` and older versions' URLs (tags pasted before an upgrade) for five minutes; and,
 * for admins, the tag to paste.
 */
export function registerSnippetRoutes(app: App, deps: RouteDeps & { snippetRoot: string }): void {
  const readBuild = createSnippetReader(deps.snippetRoot);

  app.get(
    `${PREFIX}:file`,
    { schema: { hide: true, params: Type.Object({ file: Type.String() }) } },
    async (request, reply) => {
      const build = readBuild();
      const { file } = request.params;
      if (build === null || !/^ripen(\.[\w-]+)?\.js$/.test(file)) throw build === null ? notBuilt() : notFound(file);
      // Loaded by other sites' pages: helmet's same-origin resource policy would block it.
      void reply.header('cross-origin-resource-policy', 'cross-origin').header('access-control-allow-origin', '*');
      if (file === build.file || file === 'ripen.js') {
        return reply
          .header('cache-control', file === build.file ? VERSIONED : SHORT)
          .type('application/javascript; charset=utf-8')
          .send(build.source);
      }
      return reply.header('cache-control', SHORT).redirect(`${PREFIX}${build.file}`, 302);
    },
  );

  app.get(
    '/api/snippet',
    {
      preValidation: requireKey(deps.resolveKey, canManage),
      schema: {
        tags: ['keys'],
        summary: 'The browser snippet’s URL and the `<script>` tag to paste, for a write key of this workspace',
        querystring: Type.Object({
          writeKey: Type.Optional(Type.String({ maxLength: 200, description: 'default: a placeholder' })),
          consent: Type.Optional(OneOf(['required', 'off'] as const, 'required: nothing before ripen.consent(true)')),
          privacySignals: Type.Optional(
            OneOf(['honor', 'ignore'] as const, 'honor: never track browsers sending Global Privacy Control or DNT'),
          ),
        }),
        response: {
          200: Type.Object({
            path: Type.String({ description: 'the versioned script, relative to this server' }),
            url: Type.String({ description: 'the script as this request reached the server' }),
            tag: Type.String(),
          }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const build = readBuild();
      if (build === null) throw notBuilt();
      const { writeKey, consent = 'off', privacySignals = 'ignore' } = request.query;
      if (writeKey !== undefined) {
        const identity = await deps.resolveKey(writeKey);
        if (identity?.kind !== 'write' || identity.workspaceId !== workspaceOf(request)) {
          throw new ApiError(
            400,
            'invalid_key',
            'give a write key of this workspace (rk_write_…); a secret key must never reach a browser',
          );
        }
      }
      const path = `${PREFIX}${build.file}`;
      const url = `${request.protocol}://${request.host}${path}`;
      return { path, url, tag: snippetTag(url, writeKey ?? WRITE_KEY_PLACEHOLDER, { consent, privacySignals }) };
    },
  );
}

function notFound(file: string): ApiError {
  return new ApiError(404, 'not_found', `no snippet file \`${file}\`; GET /api/snippet gives the current URL`);
}
