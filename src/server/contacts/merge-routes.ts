import { Type } from '@sinclair/typebox';
import { ApiError, ErrorBody, failureToApiError } from '../http/api-error.ts';
import { auditActor, canMergeContacts, canWorkLeads, identityOf, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';
import { findContactByEmail } from './list-contacts.ts';
import { getMerge, listMerges, type MergeFailure, mergeContacts, undoMerge } from './merge-contacts.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

const STATUS: Record<MergeFailure['kind'], number> = {
  'not-found': 404,
  'same-contact': 400,
  'already-merged': 409,
  'already-undone': 409,
  'survivor-gone': 409,
  'identity-taken': 409,
};

export const MergeSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  survivorId: Type.String({ format: 'uuid', description: 'the contact that stayed and took the history' }),
  mergedId: Type.String({ format: 'uuid', description: 'the contact merged into it (gone until the merge is undone)' }),
  merged: Type.Object({
    email: Nullable(Type.String()),
    userId: Nullable(Type.String()),
    name: Nullable(Type.String()),
    stage: Type.String({ description: "the merged contact's stage when it was merged" }),
  }),
  reason: Type.String(),
  mergedBy: Type.String(),
  mergedAt: Type.String({ format: 'date-time' }),
  moved: Type.Object({
    events: Type.Integer(),
    devices: Type.Integer(),
    outcomes: Type.Integer(),
  }),
  undoneBy: Nullable(Type.String()),
  undoneAt: Nullable(Type.String({ format: 'date-time' })),
});

const MergeInput = Type.Object(
  {
    mergedId: Type.Optional(Type.String({ format: 'uuid', description: 'the contact to merge into this one' })),
    mergedEmail: Type.Optional(
      Type.String({ minLength: 3, maxLength: 320, description: 'or its email, instead of `mergedId`' }),
    ),
    reason: Type.Optional(
      Type.String({ maxLength: 500, description: 'why; kept with the merge (default "duplicate")' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * Explicit merges of two contacts (docs/identity.md): merge another contact into this one, list
 * the merges into a contact, and undo one. Admins and managers merge; everyone who reads leads
 * sees the merges.
 */
export function registerMergeRoutes(app: App, deps: RouteDeps & { onMerged?: () => void }): void {
  const merger = requireKey(deps.resolveKey, canMergeContacts);
  const reader = requireKey(deps.resolveKey, canWorkLeads);
  const tags = ['contacts'];

  app.post(
    '/api/contacts/:id/merges',
    {
      preValidation: merger,
      schema: {
        tags,
        summary: 'Merge another contact into this one',
        description:
          "The other contact's events, devices and outcomes move here, its consents join this contact's (the later decision per purpose wins), this contact's empty fields take its values, and its email and user id name this contact from now on. This contact keeps its stage, owner and hand-off, and is rescored from the whole history. Sends `contact.merged`. Undo with POST /api/merges/{id}/undo.",
        params: Id,
        body: MergeInput,
        response: { 201: MergeSchema, ...errors },
      },
    },
    async (request, reply) => {
      const workspaceId = workspaceOf(request);
      const { mergedId, mergedEmail, reason } = request.body;
      if ((mergedId === undefined) === (mergedEmail === undefined))
        throw new ApiError(
          400,
          'invalid_request',
          'send either `mergedId` or `mergedEmail` of the contact to merge in',
        );
      const otherId = mergedId ?? (await findContactByEmail(deps.db, workspaceId, mergedEmail as string))?.id;
      if (otherId === undefined)
        throw new ApiError(404, 'not_found', 'no contact with this email in this workspace; check the spelling');
      const merged = await mergeContacts(deps, workspaceId, request.params.id, otherId, {
        actor: auditActor(identityOf(request)),
        reason,
        ip: request.ip,
      });
      if (!merged.ok) throw failureToApiError(STATUS, merged.error);
      deps.onMerged?.();
      return reply.code(201).send(merged.value);
    },
  );

  app.get(
    '/api/contacts/:id/merges',
    {
      preValidation: reader,
      schema: {
        tags,
        summary: 'The merges into a contact, latest first (undone ones too)',
        params: Id,
        response: { 200: Type.Object({ merges: Type.Array(MergeSchema) }), ...errors },
      },
    },
    async (request) => ({ merges: await listMerges(deps.db, workspaceOf(request), request.params.id) }),
  );

  app.get(
    '/api/merges/:id',
    {
      preValidation: reader,
      schema: { tags, summary: 'One merge', params: Id, response: { 200: MergeSchema, ...errors } },
    },
    async (request) => {
      const merge = await getMerge(deps.db, workspaceOf(request), request.params.id);
      if (merge === null) throw new ApiError(404, 'not_found', `no merge with id ${request.params.id}`);
      return merge;
    },
  );

  app.post(
    '/api/merges/:id/undo',
    {
      preValidation: merger,
      schema: {
        tags,
        summary: 'Undo a merge',
        description:
          "The merged contact comes back with its id, fields, stage history, hand-offs, consents and engagement; what moved goes back to it, with the events that arrived since from its devices or user id; the survivor's fields and consents the merge filled go back unless edited since. Both are rescored. Sends `contact.unmerged`.",
        params: Id,
        body: Type.Optional(
          Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        ),
        response: { 200: MergeSchema, ...errors },
      },
    },
    async (request) => {
      const undone = await undoMerge(deps, workspaceOf(request), request.params.id, {
        actor: auditActor(identityOf(request)),
        reason: request.body?.reason,
        ip: request.ip,
      });
      if (!undone.ok) throw failureToApiError(STATUS, undone.error);
      deps.onMerged?.();
      return undone.value;
    },
  );
}
