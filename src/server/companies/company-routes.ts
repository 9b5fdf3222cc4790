import { Type } from '@sinclair/typebox';
import { ApiError, ErrorBody } from '../http/api-error.ts';
import { canEditCompanies, canWorkLeads, requireKey, workspaceOf } from '../http/auth.ts';
import { MAX_RECORD_BYTES } from '../http/body-limits.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { CompanyInput, CompanyView, getCompany, listCompanies, saveCompany } from './save-company.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

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
      if (!company) throw new ApiError(404, 'not_found', `no company with id ${request.params.id}`);
      return company;
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
      const workspaceId = workspaceOf(request);
      const company = await saveCompany(deps, workspaceId, null, request.body);
      return reply.status(201).send(company);
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
    async (request) => saveCompany(deps, workspaceOf(request), request.params.id, request.body),
  );
}
