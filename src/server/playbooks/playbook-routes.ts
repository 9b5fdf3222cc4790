import { Type } from '@sinclair/typebox';
import { checkFieldPaths } from '../../core/playbook/check-field-paths.ts';
import { compilePlaybook } from '../../core/playbook/compile-playbook.ts';
import { parsePlaybook } from '../../core/playbook/parse-playbook.ts';
import { PlaybookSchema } from '../../core/playbook/playbook-schema.ts';
import { ExplanationSchema } from '../contacts/activity-schemas.ts';
import { explainContact } from '../contacts/explain-contact.ts';
import { ApiError, ErrorBody } from '../http/api-error.ts';
import { auditActor, canPublishPlaybook, canWorkLeads, identityOf, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';
import { registerImpactRoute } from './impact-route.ts';
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

/** A draft tried on a contact (see `POST /api/playbook/try`): never published, never stored. */
const DRAFT_VERSION = 0;

export function registerPlaybookRoutes(app: App, deps: RouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canPublishPlaybook);
  // Everyone who works leads may read the rules they are scored by.
  const authenticateReader = requireKey(deps.resolveKey, canWorkLeads);
  const tags = ['playbook'];
  registerImpactRoute(app, deps);

  app.get(
    '/api/playbook/versions',
    {
      preValidation: authenticateReader,
      schema: {
        tags,
        summary: 'Every published version, newest first',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                version: Type.Integer(),
                name: Type.String(),
                publishedAt: Type.String({ format: 'date-time' }),
                publishedBy: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const rows = await deps.db
        .selectFrom('playbook_versions')
        .select(['version', 'name', 'published_at', 'published_by'])
        .where('workspace_id', '=', workspaceOf(request))
        .orderBy('version', 'desc')
        .execute();
      return {
        items: rows.map((row) => ({
          version: row.version,
          name: row.name,
          publishedAt: row.published_at.toISOString(),
          publishedBy: row.published_by,
        })),
      };
    },
  );

  app.get(
    '/api/playbook/versions/:version',
    {
      preValidation: authenticateReader,
      schema: {
        tags,
        summary: 'One published version with its YAML (to compare with, or to roll back to by publishing it again)',
        params: Type.Object({ version: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Object({
            version: Type.Integer(),
            name: Type.String(),
            source: Type.String(),
            publishedAt: Type.String({ format: 'date-time' }),
            publishedBy: Type.String(),
          }),
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const row = await deps.db
        .selectFrom('playbook_versions')
        .select(['version', 'name', 'source', 'published_at', 'published_by'])
        .where('workspace_id', '=', workspaceOf(request))
        .where('version', '=', request.params.version)
        .executeTakeFirst();
      if (!row) throw new ApiError(404, 'not_found', `no playbook version ${request.params.version}`);
      return { ...row, publishedAt: row.published_at.toISOString(), publishedBy: row.published_by };
    },
  );

  app.get(
    '/api/playbook/rescoring',
    {
      preValidation: authenticateReader,
      schema: {
        tags,
        summary: 'Progress of rescoring after the latest publish',
        response: {
          200: Nullable(
            Type.Object({
              version: Type.Integer(),
              status: Type.String(),
              processed: Type.Integer(),
              total: Type.Integer(),
              startedAt: Type.String({ format: 'date-time' }),
              finishedAt: Nullable(Type.String({ format: 'date-time' })),
            }),
          ),
        },
      },
    },
    async (request) => {
      const run = await deps.db
        .selectFrom('rescore_runs')
        .select(['playbook_version', 'status', 'processed', 'total', 'started_at', 'finished_at'])
        .where('workspace_id', '=', workspaceOf(request))
        .orderBy('started_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!run) return null;
      return {
        version: run.playbook_version,
        status: run.status,
        processed: run.processed,
        total: run.total,
        startedAt: run.started_at.toISOString(),
        finishedAt: run.finished_at?.toISOString() ?? null,
      };
    },
  );

  app.post(
    '/api/playbook/try',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Score one contact with a draft, beside its explanation under the published playbook',
        body: Type.Object({ source: SourceBody.properties.source, contactId: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            issues: Type.Array(IssueSchema),
            draft: Nullable(ExplanationSchema),
            current: Nullable(ExplanationSchema),
          }),
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const { source, contactId } = request.body;
      const now = deps.clock();
      const active = await deps.playbooks.active(workspaceId);
      const current = active ? await explainContact(deps.db, workspaceId, contactId, active, now) : null;
      if (active && current === null) throw new ApiError(404, 'not_found', `no contact with id ${contactId}`);
      const parsed = parsePlaybook(source);
      if (!parsed.ok) return { valid: false, issues: parsed.error, draft: null, current: current?.view ?? null };
      const draft = await explainContact(
        deps.db,
        workspaceId,
        contactId,
        compilePlaybook(parsed.value, DRAFT_VERSION),
        now,
      );
      if (draft === null) throw new ApiError(404, 'not_found', `no contact with id ${contactId}`);
      return { valid: true, issues: [], draft: draft.view, current: current?.view ?? null };
    },
  );

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
      preValidation: authenticateReader,
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
      const result = await publishPlaybook(deps, workspaceId, request.body.source, auditActor(identityOf(request)));
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
