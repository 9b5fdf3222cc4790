import { Type } from '@sinclair/typebox';
import { ExplanationSchema, StageHistoryItem } from '../contacts/activity-schemas.ts';
import { ContactView } from '../contacts/contact-view.ts';
import { contactNotFound } from '../contacts/merge-contacts.ts';
import { HandoffSchema } from '../handoff/handoff-routes.ts';
import { ErrorBody } from '../http/api-error.ts';
import { canWorkLeads, identityOf, requireKey } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';
import { loadHomeSummary } from './home-summary.ts';
import { loadLeadPage } from './lead-page.ts';

const Count = Type.Integer({ minimum: 0 });

const LeadPageSchema = Type.Object({
  contact: ContactView,
  company: Nullable(
    Type.Object({
      id: Type.String(),
      name: Nullable(Type.String()),
      domain: Nullable(Type.String()),
      industry: Nullable(Type.String()),
      employees: Nullable(Type.Number()),
      score: Nullable(Type.Number({ description: 'the company score, null without a company section' })),
      engagedContacts: Type.Integer(),
    }),
  ),
  explanation: Nullable(ExplanationSchema),
  history: Type.Array(StageHistoryItem),
  handoff: Nullable(HandoffSchema),
  actions: Type.Array(Type.String(), {
    description: 'the sales actions this caller may take now (POST /api/contacts/:id/<action>)',
  }),
  reasons: Type.Object({
    recycle: Type.Array(Type.String()),
    disqualify: Type.Array(Type.String()),
    lost: Type.Array(Type.String()),
  }),
  requiredBant: Type.Array(Type.String()),
});

const HomeSchema = Type.Object({
  stages: Type.Record(Type.String(), Count),
  mqls: Type.Object({ last7Days: Count, previous7Days: Count }),
  mqlsBySource: Type.Array(Type.Object({ source: Type.String(), count: Count })),
  myHandoffs: Type.Array(HandoffSchema),
  myBreached: Count,
  sla: Type.Array(Type.Object({ owner: Type.String(), due: Count, inTime: Count, breached: Count })),
});

/** The web app's composed reads: a lead's page in one answer, and the home page's figures. */
export function registerLeadRoutes(app: App, deps: RouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canWorkLeads);
  const tags = ['leads'];

  app.get(
    '/api/contacts/:id/page',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'A lead page: contact, company, explanation, stage history, hand-off and the actions you may take',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: LeadPageSchema, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const identity = identityOf(request);
      const playbook = await deps.playbooks.active(identity.workspaceId);
      const page = await loadLeadPage(deps.db, identity, request.params.id, playbook, deps.clock());
      if (!page) throw await contactNotFound(deps.db, identity.workspaceId, request.params.id);
      return page;
    },
  );

  app.get(
    '/api/home',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'What needs attention today: stage counts, new MQLs, your hand-offs, SLA by rep',
        response: { 200: HomeSchema, 401: ErrorBody },
      },
    },
    async (request) => loadHomeSummary(deps.db, identityOf(request), deps.clock()),
  );
}
