import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ApiError, ErrorBody } from '../http/api-error.ts';
import { canWorkLeads, requireKey } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';
import type { WebhookWorker } from '../webhooks/webhook-worker.ts';
import { canSetAvailability } from './can-act-on-lead.ts';
import { listHandoffs } from './list-handoffs.ts';
import { listTeams } from './list-teams.ts';
import {
  performSalesAction,
  type SalesAction,
  type SalesActionError,
  type SalesActionResult,
} from './perform-sales-action.ts';
import { setRepAvailability } from './set-rep-availability.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Reason = Type.String({ minLength: 1, maxLength: 64, description: 'a reason code from the playbook' });
const Money = {
  amount: Type.Optional(Type.Number({ minimum: 0 })),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the CRM deal id' })),
};
const Bant = Type.Optional(Type.String({ maxLength: 2000 }));
const ActionResult = Type.Object({
  contactId: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  stage: Type.String(),
  owner: Type.Union([Type.String(), Type.Null()]),
  nurtureTrack: Type.Union([Type.String(), Type.Null()]),
  unchanged: Type.Boolean(),
  missingQualification: Type.Optional(
    Type.Array(Type.String(), { description: 'after a partial qualify: required BANT fields still unknown' }),
  ),
});

const STATUS: Record<SalesActionError['kind'], number> = {
  'not-found': 404,
  forbidden: 403,
  'no-playbook': 409,
  'illegal-transition': 409,
  'nurture-not-over': 409,
  'missing-qualification': 422,
  'invalid-reason': 422,
  'invalid-nurture-date': 422,
};

function toApiError(error: SalesActionError): ApiError {
  const code = error.kind.replaceAll('-', '_');
  const details =
    'missing' in error ? { missing: error.missing } : 'allowed' in error ? { allowed: error.allowed } : undefined;
  return new ApiError(STATUS[error.kind], code, error.message, details);
}

async function readMissingBodyAsEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

/** Sales actions on a lead, rep availability, and the hand-off inbox (SPEC §4–§5). */
export const HandoffSchema = Type.Object({
  id: Type.String(),
  contactId: Type.String(),
  owner: Type.String(),
  teamId: Nullable(Type.String()),
  status: Type.String(),
  closedReason: Nullable(Type.String()),
  qualifiedAt: Type.String({ format: 'date-time' }),
  warnAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  warnedAt: Nullable(Type.String({ format: 'date-time' })),
  breachedAt: Nullable(Type.String({ format: 'date-time' })),
  escalationStep: Type.Integer(),
  firstTouchAt: Nullable(Type.String({ format: 'date-time' })),
  touchChannel: Nullable(Type.String()),
  contact: Type.Object({
    email: Nullable(Type.String()),
    firstName: Nullable(Type.String()),
    lastName: Nullable(Type.String()),
    jobTitle: Nullable(Type.String()),
    company: Nullable(Type.String()),
    stage: Type.String(),
    score: Type.Number(),
    grade: Type.String(),
    temperature: Type.String(),
  }),
});

export function registerHandoffRoutes(app: App, deps: RouteDeps & { webhooks: WebhookWorker }): void {
  const authenticate = requireKey(deps.resolveKey, canWorkLeads);
  const tags = ['hand-off'];
  const action = <B extends TSchema>(
    path: string,
    summary: string,
    body: B,
    toAction: (body: Static<B>) => SalesAction,
  ) =>
    app.post(
      `/api/contacts/:id/${path}`,
      {
        // Actions without fields (accept, reopen) are sent without a body, as the README shows them.
        preValidation: [authenticate, readMissingBodyAsEmpty],
        schema: {
          tags,
          summary,
          params: Id,
          body,
          response: {
            200: ActionResult,
            400: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
            422: ErrorBody,
          },
        },
      },
      async (request): Promise<SalesActionResult> => {
        if (!request.identity) throw new Error('route is missing its authentication hook');
        const result = await performSalesAction(deps, request.identity, request.params.id, toAction(request.body));
        if (!result.ok) throw toApiError(result.error);
        deps.webhooks.kick();
        return result.value;
      },
    );

  const Empty = Type.Object({}, { additionalProperties: false });
  action('accept', 'Accept the MQL (→ sal); a rep accepting an unowned lead becomes its owner', Empty, () => ({
    kind: 'accept',
  }));
  action(
    'touch',
    'Log the first touch (stops the SLA clock)',
    Type.Object({ channel: Type.Union([Type.Literal('call'), Type.Literal('email'), Type.Literal('meeting')]) }),
    (body) => ({ kind: 'touch', channel: body.channel }),
  );
  action(
    'qualify',
    'Record budget, authority, need and timeline; → sql once the playbook’s required ones are known',
    Type.Object({ budget: Bant, authority: Bant, need: Bant, timeline: Bant }, { additionalProperties: false }),
    (body) => ({ kind: 'qualify', bant: body }),
  );
  action(
    'recycle',
    'Back to nurture with a reason code, until a date or for the playbook’s nurture period',
    Type.Object({ reason: Reason, nurtureUntil: Type.Optional(Type.String({ format: 'date-time' })) }),
    (body) => ({
      kind: 'recycle',
      reason: body.reason,
      nurtureUntil: body.nurtureUntil === undefined ? null : Date.parse(body.nurtureUntil),
    }),
  );
  action('disqualify', 'Disqualify with a reason code', Type.Object({ reason: Reason }), (body) => ({
    kind: 'disqualify',
    reason: body.reason,
  }));
  action('reopen', 'Reopen a disqualified or recycled lead (admin)', Empty, () => ({ kind: 'reopen' }));
  action(
    'reassign',
    'Give the lead to another rep (managers and admins): the hand-off follows, the history keeps who and when',
    Type.Object({ owner: Type.String({ minLength: 1, maxLength: 320 }) }, { additionalProperties: false }),
    (body) => ({ kind: 'reassign', owner: body.owner }),
  );
  action('opportunity', 'Create an opportunity (sql → opportunity)', Type.Object(Money), (body) => ({
    kind: 'create-opportunity',
    ...body,
  }));
  action(
    'outcome',
    'Record the outcome: won (→ customer) or lost with a reason (→ recycled)',
    Type.Object({
      outcome: Type.Union([Type.Literal('won'), Type.Literal('lost')]),
      reason: Type.Optional(Reason),
      ...Money,
    }),
    (body) => ({ kind: 'record-outcome', ...body }),
  );

  app.put(
    '/api/reps/:repId/availability',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Mark a rep available or away (optionally until a time); routing skips reps who are away',
        params: Type.Object({ repId: Type.String({ minLength: 1, maxLength: 320 }) }),
        body: Type.Object({ available: Type.Boolean(), until: Type.Optional(Type.String({ format: 'date-time' })) }),
        response: {
          200: Type.Object({
            repId: Type.String(),
            available: Type.Boolean(),
            until: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      if (!request.identity) throw new Error('route is missing its authentication hook');
      if (!canSetAvailability(request.identity, request.params.repId)) {
        throw new ApiError(403, 'forbidden', 'a rep may only change their own availability; ask a manager');
      }
      const until = request.body.until === undefined ? null : Date.parse(request.body.until);
      await setRepAvailability(
        deps.db,
        request.identity.workspaceId,
        request.params.repId,
        request.body.available,
        until,
      );
      return { repId: request.params.repId, available: request.body.available, until: request.body.until ?? null };
    },
  );

  app.get(
    '/api/handoffs',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'The sales inbox: hand-offs by deadline, filtered by owner, status and breach',
        querystring: Type.Object({
          owner: Type.Optional(Type.String()),
          team: Type.Optional(
            Type.String({ maxLength: 64, description: 'a team id from the playbook (GET /api/teams)' }),
          ),
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('touched'), Type.Literal('closed')])),
          breached: Type.Optional(Type.Boolean()),
          contactId: Type.Optional(Type.String({ format: 'uuid' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(HandoffSchema) }) },
      },
    },
    async (request) => {
      if (!request.identity) throw new Error('route is missing its authentication hook');
      const owner = request.identity.role === 'rep' ? (request.identity.userId ?? '') : request.query.owner;
      return { items: await listHandoffs(deps.db, request.identity.workspaceId, { ...request.query, owner }) };
    },
  );

  const Member = Type.Object({
    id: Type.String({ description: 'as the playbook names them: the email their leads are routed to' }),
    weight: Type.Integer(),
    user: Nullable(Type.Object({ id: Type.String(), role: Type.String() }), {
      description: 'who signs in with this email; null: nobody sees these leads in the web app',
    }),
    available: Type.Boolean(),
    awayUntil: Nullable(Type.String({ format: 'date-time' })),
    openHandoffs: Type.Integer(),
    breachedHandoffs: Type.Integer(),
  });
  app.get(
    '/api/teams',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'The sales teams the published playbook routes to: reps, their accounts, availability and open load',
        response: {
          200: Type.Object({
            playbookVersion: Nullable(Type.Integer()),
            teams: Type.Array(
              Type.Object({
                id: Type.String(),
                label: Nullable(Type.String()),
                strategy: Type.String(),
                manager: Nullable(Member),
                reps: Type.Array(Member),
              }),
            ),
            outsideTeams: Type.Array(Type.Object({ id: Type.String(), email: Type.String(), role: Type.String() }), {
              description: 'reps and managers who sign in but are in no team: no lead is routed to them',
            }),
          }),
        },
      },
    },
    async (request) => {
      if (!request.identity) throw new Error('route is missing its authentication hook');
      const { workspaceId } = request.identity;
      return listTeams(deps.db, workspaceId, await deps.playbooks.active(workspaceId), deps.clock());
    },
  );
}
