import { Type } from '@sinclair/typebox';
import { recordAudit } from '../audit/record-audit.ts';
import { ApiError, ErrorBody } from '../http/api-error.ts';
import { auditActor, canManage, identityOf, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';
import { checkWebhookUrl } from '../webhooks/check-webhook-url.ts';
import { generateWebhookSecret } from '../webhooks/sign-webhook.ts';
import { enrichCompany } from './enrich-companies.ts';
import { type EnrichmentSettings, getEnrichmentSettings, saveEnrichmentSettings } from './enrichment-settings.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const SettingsView = Type.Object({
  url: Nullable(Type.String()),
  enabled: Type.Boolean(),
  ratePerMinute: Type.Integer(),
  cacheDays: Type.Integer(),
  timeoutMs: Type.Integer(),
  hasSecret: Type.Boolean({ description: 'the signing secret is shown once, when it is made' }),
  secret: Type.Optional(Type.String({ description: 'only in the answer that made it: keep it to verify requests' })),
});

const SettingsInput = Type.Object(
  {
    url: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'http(s) URL Ripen POSTs domains to' }))),
    enabled: Type.Optional(Type.Boolean()),
    ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
    cacheDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 60_000 })),
    rotateSecret: Type.Optional(Type.Boolean({ description: 'make a new signing secret (shown once)' })),
  },
  { additionalProperties: false },
);

function view(settings: EnrichmentSettings, secret?: string) {
  const { secret: stored, ...rest } = settings;
  return { ...rest, hasSecret: stored !== null, ...(secret ? { secret } : {}) };
}

/** The workspace's enrichment endpoint (admins) and enriching one company now (docs/enrichment.md). */
export function registerEnrichmentRoutes(app: App, deps: RouteDeps & { allowList: readonly string[] }): void {
  const admin = requireKey(deps.resolveKey, canManage);
  const tags = ['companies'];

  app.get(
    '/api/enrichment/settings',
    {
      preValidation: admin,
      schema: { tags, summary: 'The enrichment endpoint settings', response: { 200: SettingsView, ...errors } },
    },
    async (request) => view(await getEnrichmentSettings(deps.db, workspaceOf(request))),
  );

  app.put(
    '/api/enrichment/settings',
    {
      preValidation: admin,
      schema: {
        tags,
        summary: 'Configure the enrichment endpoint',
        description:
          'Fields left out keep their values. A signing secret is made with the first URL (or on `rotateSecret`) and shown in this answer only.',
        body: SettingsInput,
        response: { 200: SettingsView, ...errors },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const current = await getEnrichmentSettings(deps.db, workspaceId);
      const { rotateSecret, ...changes } = request.body;
      const next: EnrichmentSettings = {
        ...current,
        ...changes,
        url: changes.url === undefined ? current.url : changes.url,
      };
      if (next.url !== null) {
        const checked = await checkWebhookUrl(next.url, { allowList: deps.allowList });
        if (!checked.ok)
          throw new ApiError(400, 'invalid_url', checked.error.message.replace(/^webhook URL/, 'enrichment URL'));
      }
      if (next.enabled && next.url === null)
        throw new ApiError(400, 'invalid_request', 'set `url` to the endpoint before enabling enrichment');
      const made =
        next.url !== null && (next.secret === null || rotateSecret === true) ? generateWebhookSecret() : undefined;
      if (made) next.secret = made;
      await saveEnrichmentSettings(deps.db, workspaceId, next);
      await recordAudit(
        deps.db,
        {
          workspaceId,
          actor: auditActor(identityOf(request)),
          action: 'enrichment.changed',
          details: { enabled: next.enabled, ratePerMinute: next.ratePerMinute, secretRotated: made !== undefined },
          ip: request.ip,
        },
        deps.clock(),
      );
      return view(next, made);
    },
  );

  app.post(
    '/api/companies/:id/enrich',
    {
      preValidation: admin,
      schema: {
        tags,
        summary: 'Enrich a company now, asking the endpoint even when an answer is cached',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({
            companyId: Type.String(),
            status: Type.String(),
            source: Nullable(Type.String()),
            filled: Type.Array(Type.String(), { description: 'fields and properties that were empty and are now set' }),
            error: Nullable(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const company = await deps.db
        .selectFrom('companies')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!company) throw new ApiError(404, 'not_found', `no company with id ${request.params.id}`);
      const settings = await getEnrichmentSettings(deps.db, workspaceId);
      if (settings.url === null)
        throw new ApiError(
          400,
          'invalid_request',
          'no enrichment endpoint is configured: PUT /api/enrichment/settings',
        );
      return enrichCompany({ ...deps, allowList: deps.allowList }, workspaceId, company.id, deps.clock(), {
        settings,
        force: true,
      });
    },
  );
}
