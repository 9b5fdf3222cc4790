import { PassThrough } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { STAGES } from '../../core/lifecycle/stages.ts';
import { GRADES, TEMPERATURES } from '../../core/scoring/grades.ts';
import { ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canEditLead, canWorkLeads, canWriteLeads, identityOf, requireKey, workspaceOf } from '../http/auth.ts';
import { MAX_RECORD_BYTES } from '../http/body-limits.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable, OneOf } from '../http/schema-helpers.ts';
import type { KeyIdentity } from '../workspaces/api-keys.ts';
import { ExplanationSchema, StageHistoryItem, TimelineEvent } from './activity-schemas.ts';
import { listContactEvents, listStageHistory } from './contact-activity.ts';
import { ContactView } from './contact-view.ts';
import { explainContact } from './explain-contact.ts';
import { exportContacts } from './export-contacts.ts';
import { CONTACT_SORTS, countByCell, getContact, listContacts } from './list-contacts.ts';
import { contactNotFound } from './merge-contacts.ts';
import { type ContactFailure, ContactInput, saveContact } from './save-contact.ts';
import { scoreHistory } from './score-history.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The list's filters, shared by the list, the matrix and the export. */
const ListQuery = Type.Object({
  stage: Type.Optional(OneOf(STAGES)),
  grade: Type.Optional(OneOf(GRADES)),
  temperature: Type.Optional(OneOf(TEMPERATURES)),
  owner: Type.Optional(Type.String()),
  companyId: Type.Optional(Type.String({ format: 'uuid' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'text search in email, names, job title and user id' })),
  minScore: Type.Optional(Type.Number({ minimum: -1_000_000, maximum: 1_000_000 })),
  sort: Type.Optional(OneOf(Object.keys(CONTACT_SORTS) as Array<keyof typeof CONTACT_SORTS>)),
  cursor: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The HTTP status of each way a contact request can fail. */
const STATUS: Record<ContactFailure['kind'], number> = {
  'not-found': 404,
  'unknown-company': 400,
  'duplicate-contact': 409,
  forbidden: 403,
  'owner-via-reassign': 400,
  'no-playbook': 409,
  erased: 409,
};

function failed(failure: ContactFailure) {
  return failureToApiError(STATUS, failure);
}

function notFound(id: string) {
  return failed({ kind: 'not-found', message: `no contact with id ${id}` });
}

/** Why this key may not make this update, or null: owners change by reassignment; reps edit their own leads. */
function refuseUpdate(
  identity: KeyIdentity,
  current: { owner: string | null },
  owner: string | null | undefined,
): ContactFailure | null {
  if (!canEditLead(identity, current)) {
    const message = 'this lead belongs to another rep; a rep may edit only their own leads and unowned ones';
    return { kind: 'forbidden', message };
  }
  if (owner !== undefined && owner !== current.owner) {
    return {
      kind: 'owner-via-reassign',
      message:
        'the owner changes by reassignment, which moves the hand-off and keeps the history: POST /api/contacts/:id/reassign {"owner": "..."} with a manager or admin key',
    };
  }
  return null;
}

export function registerContactRoutes(app: App, deps: RouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canWorkLeads);
  const authenticateWriter = requireKey(deps.resolveKey, canWriteLeads);
  const tags = ['contacts'];

  app.get(
    '/api/contacts',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'List contacts by score, with filters and cursor pagination',
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(ContactView), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (request) => listContacts(deps.db, workspaceOf(request), request.query),
  );

  app.get(
    '/api/contacts/export.csv',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'The list as CSV for the same filters, every page (formula cells neutralised)',
        querystring: ListQuery,
        produces: ['text/csv'],
        response: {
          200: { description: 'CSV with a header row', content: { 'text/csv': { schema: Type.String() } } },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { cursor: _cursor, limit: _limit, ...filters } = request.query;
      // Streamed page by page; the schema's string is what the stream adds up to.
      const body = new PassThrough();
      exportContacts(deps.db, workspaceOf(request), filters, body).then(
        () => body.end(),
        (error: unknown) => body.destroy(error instanceof Error ? error : new Error(String(error))),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="ripen-leads.csv"')
        .send(body as unknown as string);
    },
  );

  app.get(
    '/api/contacts/matrix',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Counts per grade × temperature cell for the list’s filters (grade and temperature ignored)',
        querystring: ListQuery,
        response: {
          200: Type.Object({
            cells: Type.Array(Type.Object({ grade: Type.String(), temperature: Type.String(), count: Type.Integer() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ cells: await countByCell(deps.db, workspaceOf(request), request.query) }),
  );

  app.post(
    '/api/contacts',
    {
      preValidation: authenticateWriter,
      bodyLimit: MAX_RECORD_BYTES,
      schema: {
        tags,
        summary: 'Create a contact (scored at once)',
        body: ContactInput,
        response: { 201: ContactView, ...errors },
      },
    },
    async (request, reply) => {
      const owner = request.body.owner;
      if (owner && !canEditLead(identityOf(request), { owner })) {
        const message = 'a rep may create contacts for themselves only; leave `owner` out or name yourself';
        throw failed({ kind: 'forbidden', message });
      }
      const saved = await saveContact(deps, workspaceOf(request), null, request.body);
      if (!saved.ok) throw failed(saved.error);
      return reply.status(201).send(saved.value);
    },
  );

  app.patch(
    '/api/contacts/:id',
    {
      preValidation: authenticateWriter,
      bodyLimit: MAX_RECORD_BYTES,
      schema: {
        tags,
        summary: 'Update a contact (rescored at once)',
        params: Id,
        body: ContactInput,
        response: { 200: ContactView, ...errors },
      },
    },
    async (request) => {
      const identity = identityOf(request);
      const saved = await saveContact(deps, workspaceOf(request), request.params.id, request.body, (current) =>
        refuseUpdate(identity, current, request.body.owner),
      );
      if (!saved.ok) throw failed(saved.error);
      return saved.value;
    },
  );

  app.get(
    '/api/contacts/:id',
    {
      preValidation: authenticate,
      schema: { tags, summary: 'Get a contact', params: Id, response: { 200: ContactView, ...errors } },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const contact = await getContact(deps.db, workspaceId, request.params.id);
      if (!contact) throw await contactNotFound(deps.db, workspaceId, request.params.id);
      return contact;
    },
  );

  app.get(
    '/api/contacts/:id/score',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Score explanation: every contribution, summing exactly to the stored score, as of `at`',
        params: Id,
        response: { 200: ExplanationSchema, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const playbook = await deps.playbooks.active(workspaceId);
      if (!playbook) {
        throw failed({ kind: 'no-playbook', message: 'publish a playbook first: `ripen playbook publish <file>`' });
      }
      const explained = await explainContact(deps.db, workspaceId, request.params.id, playbook, deps.clock());
      if (!explained) throw notFound(request.params.id);
      return explained.view;
    },
  );

  app.get(
    '/api/contacts/:id/score-history',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'The score at the end of each of the last 90 days, replayed from events (fit as the profile is today)',
        params: Id,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                at: Type.String({ format: 'date-time' }),
                fit: Type.Number(),
                engagement: Type.Number(),
                score: Type.Number(),
              }),
            ),
          }),
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const playbook = await deps.playbooks.active(workspaceId);
      if (!playbook) {
        throw failed({ kind: 'no-playbook', message: 'publish a playbook first: `ripen playbook publish <file>`' });
      }
      const items = await scoreHistory(deps.db, workspaceId, request.params.id, playbook, deps.clock());
      if (!items) throw notFound(request.params.id);
      return { items };
    },
  );

  app.get(
    '/api/contacts/:id/history',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Stage history with rule, playbook version and score snapshot',
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(StageHistoryItem) }) },
      },
    },
    async (request) => ({ items: await listStageHistory(deps.db, workspaceOf(request), request.params.id) }),
  );

  app.get(
    '/api/contacts/:id/events',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Event timeline, newest first',
        params: Id,
        querystring: Type.Object({
          type: Type.Optional(
            Type.Union([Type.Literal('track'), Type.Literal('page'), Type.Literal('identify'), Type.Literal('group')]),
          ),
          name: Type.Optional(Type.String()),
          source: Type.Optional(Type.String()),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          cursor: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(TimelineEvent), nextCursor: Nullable(Type.String()) }),
          400: ErrorBody,
        },
      },
    },
    async (request) => listContactEvents(deps.db, workspaceOf(request), request.params.id, request.query),
  );
}
