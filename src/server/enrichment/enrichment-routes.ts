import { Type } from '@sinclair/typebox';
import { ErrorBody, failureToApiError } from '../http/api-error.ts';
import { auditActor, canManage, identityOf, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable, OneOf } from '../http/schema-helpers.ts';
import { changeEnrichmentSettings, EnrichmentSettingsInput } from './change-enrichment-settings.ts';
import { enrichCompanyNow } from './enrich-companies.ts';
import { type EnrichmentSettings, getEnrichmentSettings } from './enrichment-settings.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const SettingsView = Type.Object({
  url: Nullable(Type.String()),
  enabled: Type.Boolean(),
  ratePerMinute: Type.Integer(),
  cacheDays: Type.Integer(),
  timeoutMs: Type.Integer(),
  hasSecret: Type.Boolean({ description: 'whether a signing secret exists; it is shown once, when it is made' }),
  secret: Type.Optional(
    Type.String({ description: 'only in the answer that made it: keep it to verify the requests (whsec_…)' }),
  ),
});

const EnrichmentResultView = Type.Object({
  companyId: Type.String(),
  status: OneOf(['done', 'not-found', 'retry', 'failed', 'skipped'] as const),
  source: Nullable(OneOf(['endpoint', 'cache'] as const, 'the endpoint now, or an answer kept for the domain')),
  applied: Type.Object(
    {
      fields: Type.Record(Type.String(), Type.Unknown(), { description: 'profile fields that were empty, by name' }),
      properties: Type.Record(Type.String(), Type.Unknown(), { description: 'custom properties that were absent' }),
    },
    { description: 'what the answer filled in; fields and properties already set are kept' },
  ),
  error: Nullable(Type.String({ description: 'why it will be retried or failed: a status code or network error' })),
});

function view(settings: EnrichmentSettings, newSecret: string | null = null) {
  const { secret, ...rest } = settings;
  return { ...rest, hasSecret: secret !== null, ...(newSecret === null ? {} : { secret: newSecret }) };
}

/** The workspace's enrichment endpoint and enriching one company now, for admins (docs/enrichment.md). */
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
          'Fields left out keep their values. The URL is checked like a webhook URL (no private, loopback or link-local target unless RIPEN_WEBHOOK_ALLOW allows it). A signing secret is made with the first URL, or on `rotateSecret`, and shown in this answer only.',
        body: EnrichmentSettingsInput,
        response: { 200: SettingsView, ...errors },
      },
    },
    async (request) => {
      const by = { actor: auditActor(identityOf(request)), ip: request.ip };
      const changed = await changeEnrichmentSettings(deps, workspaceOf(request), request.body, by, deps.clock());
      if (!changed.ok) throw failureToApiError({ 'invalid-url': 400, 'url-required': 400 }, changed.error);
      return view(changed.value.settings, changed.value.newSecret);
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
        response: { 200: EnrichmentResultView, ...errors },
      },
    },
    async (request) => {
      const enriched = await enrichCompanyNow(deps, workspaceOf(request), request.params.id, deps.clock());
      if (!enriched.ok) throw failureToApiError({ 'not-found': 404, 'not-configured': 400 }, enriched.error);
      return enriched.value;
    },
  );
}
