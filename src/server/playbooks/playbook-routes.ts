import { Type } from '@sinclair/typebox';
import { checkFieldPaths } from '../../core/playbook/check-field-paths.ts';
import { parsePlaybook } from '../../core/playbook/parse-playbook.ts';
import { PlaybookSchema } from '../../core/playbook/playbook-schema.ts';
import { ApiError, ErrorBody } from '../http/api-error.ts';
import { canPublishPlaybook, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';
import { loadKnownFields } from './known-fields.ts';
import { latestPlaybookVersion } from './playbook-store.ts';
import { publishPlaybook } from './publish-playbook.ts';

const SourceBody = Type.Object({
  source: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'the playbook as YAML' }),
});

const IssueSchema = Type.Object({
  line: Nullable(Type.Integer()),
  column: Nullable(Type.Integer()),
  field: Type.String(),
  expected: Type.String(),
  found: Type.String(),
  message: Type.String(),
});

export function registerPlaybookRoutes(app: App, deps: RouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canPublishPlaybook);
  const tags = ['playbook'];

  app.get(
    '/api/playbook/schema',
    {
      schema: {
        tags,
        summary: 'The playbook JSON Schema, for editors',
        response: { 200: Type.Record(Type.String(), Type.Unknown(), { description: 'a JSON Schema document' }) },
      },
    },
    async () => PlaybookSchema,
  );

  app.get(
    '/api/playbook',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'The active (latest published) playbook',
        response: {
          200: Type.Object({
            version: Type.Integer(),
            name: Type.String(),
            source: Type.String({ description: 'the playbook as YAML' }),
            publishedAt: Type.String({ format: 'date-time' }),
            publishedBy: Nullable(Type.String()),
          }),
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const latest = await latestPlaybookVersion(deps.db, workspaceOf(request));
      if (!latest) throw new ApiError(404, 'no_playbook', 'no playbook published yet; `ripen playbook publish <file>`');
      return latest;
    },
  );

  app.post(
    '/api/playbook/validate',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary:
          'Validate a playbook; issues name line, field, expected and found; warnings name conditions on fields no contact or company has',
        body: SourceBody,
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            issues: Type.Array(IssueSchema),
            warnings: Type.Array(IssueSchema, { description: 'never make the playbook invalid' }),
          }),
        },
      },
    },
    async (request) => {
      const parsed = parsePlaybook(request.body.source);
      if (!parsed.ok) return { valid: false, issues: parsed.error, warnings: [] };
      const known = await loadKnownFields(deps.db, workspaceOf(request));
      return { valid: true, issues: [], warnings: checkFieldPaths(request.body.source, known) };
    },
  );

  app.post(
    '/api/playbook/publish',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Publish a new immutable version; every contact is rescored in the background',
        body: SourceBody,
        response: { 202: Type.Object({ version: Type.Integer(), rescoring: Type.String() }), 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const workspaceId = workspaceOf(request);
      const result = await publishPlaybook(
        deps,
        workspaceId,
        request.body.source,
        `key:${request.identity?.keyId ?? 'unknown'}`,
      );
      if (!result.ok) {
        throw new ApiError(400, 'invalid_playbook', result.issues[0]?.message ?? 'invalid playbook', result.issues);
      }
      result.rescore.catch((error: unknown) =>
        request.log.error({ err: { message: String(error) } }, 'rescoring failed; it resumes at next start'),
      );
      return reply.status(202).send({ version: result.version, rescoring: 'started' });
    },
  );
}
