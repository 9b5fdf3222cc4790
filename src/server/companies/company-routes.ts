import { Type } from '@sinclair/typebox';
import { ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canEditCompanies, canWorkLeads, requireKey, workspaceOf } from '../http/auth.ts';
import { MAX_RECORD_BYTES } from '../http/body-limits.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';
import { loadCompanyPage } from './company-page.ts';
import {
  type CompanyFailure,
  CompanyInput,
  CompanyView,
  getCompany,
  listCompanies,
  saveCompany,
} from './save-company.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The HTTP status of each way a company request can fail. */
const STATUS: Record<CompanyFailure['kind'], number> = {
  'not-found': 404,
  'invalid-domain': 400,
  'duplicate-company': 409,
};

function failed(failure: CompanyFailure) {
  return failureToApiError(STATUS, failure);
}

export function registerCompanyRoutes(app: App, deps: RouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canWorkLeads);
  const authenticateEditor = requireKey(deps.resolveKey, canEditCompanies);
  const tags = ['companies'];
  app.get(
    '/api/companies',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'List companies by name, with text search and cursor pagination',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          industry: Type.Optional(Type.String()),
          cursor: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(CompanyView), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (request) => listCompanies(deps.db, workspaceOf(request), request.query),
  );

  app.get(
    '/api/companies/:id',
    {
      preValidation: authenticate,
      schema: { tags, summary: 'Get a company', params: Id, response: { 200: CompanyView, ...errors } },
    },
    async (request) => {
      const company = await getCompany(deps.db, workspaceOf(request), request.params.id);
      if (!company) throw failed({ kind: 'not-found', message: `no company with id ${request.params.id}` });
      return company;
    },
  );

  app.get(
    '/api/companies/:id/page',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'A company page: its company score explained, its contacts and stages, engagement rolled up',
        params: Id,
        response: {
          200: Type.Object({
            company: CompanyView,
            fit: Nullable(
              Type.Object({
                points: Type.Number(),
                groups: Type.Array(Type.String()),
                lines: Type.Array(
                  Type.Object({ kind: Type.String(), points: Type.Number() }, { additionalProperties: true }),
                ),
              }),
            ),
            score: Nullable(
              Type.Object({
                points: Type.Number({ description: 'the company score, 0-100: exactly the sum of the lines' }),
                lines: Type.Array(
                  Type.Object({ kind: Type.String(), points: Type.Number() }, { additionalProperties: true }),
                ),
                engagedContacts: Type.Integer(),
              }),
            ),
            contacts: Type.Array(
              Type.Object({
                id: Type.String(),
                email: Nullable(Type.String()),
                firstName: Nullable(Type.String()),
                lastName: Nullable(Type.String()),
                jobTitle: Nullable(Type.String()),
                stage: Type.String(),
                owner: Nullable(Type.String()),
                score: Type.Number(),
                engagement: Type.Number(),
                grade: Type.String(),
                temperature: Type.String(),
                updatedAt: Type.String(),
              }),
            ),
            rollup: Type.Object({
              contacts: Type.Integer(),
              byStage: Type.Record(Type.String(), Type.Integer()),
              engagement: Type.Number(),
              engagedContacts: Type.Integer(),
              lastChange: Nullable(Type.String()),
            }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const playbook = await deps.playbooks.active(workspaceId);
      const page = await loadCompanyPage(deps.db, workspaceId, request.params.id, playbook, deps.clock());
      if (!page) throw failed({ kind: 'not-found', message: `no company with id ${request.params.id}` });
      return page;
    },
  );

  app.post(
    '/api/companies',
    {
      preValidation: authenticateEditor,
      bodyLimit: MAX_RECORD_BYTES,
      schema: {
        tags,
        summary: 'Create a company (unique by domain)',
        body: CompanyInput,
        response: { 201: CompanyView, ...errors },
      },
    },
    async (request, reply) => {
      const saved = await saveCompany(deps, workspaceOf(request), null, request.body);
      if (!saved.ok) throw failed(saved.error);
      return reply.status(201).send(saved.value);
    },
  );

  app.patch(
    '/api/companies/:id',
    {
      preValidation: authenticateEditor,
      bodyLimit: MAX_RECORD_BYTES,
      schema: {
        tags,
        summary: 'Update a company; its contacts are rescored',
        params: Id,
        body: CompanyInput,
        response: { 200: CompanyView, ...errors },
      },
    },
    async (request) => {
      const saved = await saveCompany(deps, workspaceOf(request), request.params.id, request.body);
      if (!saved.ok) throw failed(saved.error);
      return saved.value;
    },
  );
}
