import { Type } from '@sinclair/typebox';
import { recordAudit } from '../audit/record-audit.ts';
import { findContactByEmail } from '../contacts/list-contacts.ts';
import type { Db } from '../db/open-database.ts';
import { ApiError, ErrorBody, failureToApiError } from '../http/api-error.ts';
import { auditActor, canEditLead, canManage, canWorkLeads, identityOf, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { KeyResolver } from '../workspaces/api-keys.ts';
import { listConsents, PURPOSE_PATTERN, recordConsent } from './consents.ts';
import { eraseContact } from './erase-contact.ts';
import { exportContactData } from './export-contact.ts';
import { getPrivacySettings, liftSuppression, setPrivacySettings } from './privacy-store.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const ContactId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Settings = Type.Object(
  {
    keepFullIp: Type.Boolean({ description: 'store IP addresses as sent; false truncates them (IPv4 /24, IPv6 /48)' }),
    retentionDays: Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.Integer(), {
      description: 'days events are kept, by event name, message type (page, track, identify, group) or * for the rest',
    }),
  },
  { additionalProperties: false },
);
const Consent = Type.Object({
  purpose: Type.String(),
  granted: Type.Boolean(),
  at: Type.String({ format: 'date-time' }),
  source: Type.String(),
  recordedBy: Type.String(),
});
const Identity = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
    contactId: Type.Optional(Type.String({ format: 'uuid' })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

/**
 * Privacy (docs/privacy.md): erasure, a contact's data as JSON, consent per purpose, the
 * workspace's IP and retention settings, and lifting a suppression. Erasing, exporting and the
 * settings are for admins; consents are recorded by whoever may edit the lead.
 */
export function registerPrivacyRoutes(
  app: App,
  deps: { db: Db; clock: () => number; resolveKey: KeyResolver; onErased?: () => void },
): void {
  const admin = requireKey(deps.resolveKey, canManage);
  const reader = requireKey(deps.resolveKey, canWorkLeads);
  const tags = ['privacy'];

  app.post(
    '/api/privacy/erasures',
    {
      preValidation: admin,
      schema: {
        tags,
        summary: 'Erase a contact and everything about it, and keep it from coming back',
        description:
          'By `contactId` or `email`. Deletes the contact, its events, scores, history, hand-offs, outcomes, consents and the webhook messages naming it; stores hashes of its email, user id and anonymous ids so later events, imports and API calls naming them are dropped; sends `contact.erased`. Cannot be undone.',
        body: Identity,
        response: {
          200: Type.Object({
            reference: Type.String({ description: 'how the audit log names the erased contact' }),
            erased: Type.Record(Type.String(), Type.Integer(), { description: 'rows removed per table' }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const { email, contactId, reason } = request.body;
      if ((email === undefined) === (contactId === undefined))
        throw new ApiError(400, 'invalid_request', 'send either `contactId` or `email` of the contact to erase');
      const id = contactId ?? (await findContactByEmail(deps.db, workspaceId, email as string))?.id;
      if (id === undefined) throw new ApiError(404, 'not_found', 'no contact with this email in this workspace');
      const identity = identityOf(request);
      const erased = await eraseContact(
        deps.db,
        workspaceId,
        id,
        { actor: auditActor(identity), reason, ip: request.ip },
        deps.clock(),
      );
      if (!erased.ok) throw failureToApiError({ 'not-found': 404 }, erased.error);
      deps.onErased?.();
      return erased.value;
    },
  );

  app.get(
    '/api/contacts/:id/data',
    {
      preValidation: admin,
      schema: {
        tags,
        summary: "Everything held about one contact, as JSON (a data subject's access request)",
        params: ContactId,
        response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errors },
      },
    },
    async (request, reply) => {
      const workspaceId = workspaceOf(request);
      const now = deps.clock();
      const data = await exportContactData(deps.db, workspaceId, request.params.id, now);
      if (data === null) throw new ApiError(404, 'not_found', `no contact with id ${request.params.id}`);
      const actor = auditActor(identityOf(request));
      await recordAudit(
        deps.db,
        { workspaceId, actor, action: 'contact.exported', target: request.params.id, ip: request.ip },
        now,
      );
      void reply.header('content-disposition', `attachment; filename="contact-${request.params.id}.json"`);
      return data;
    },
  );

  app.get(
    '/api/contacts/:id/consents',
    {
      preValidation: reader,
      schema: {
        tags,
        summary: "A contact's consent per purpose",
        params: ContactId,
        response: { 200: Type.Object({ items: Type.Array(Consent) }), ...errors },
      },
    },
    async (request) => ({ items: await listConsents(deps.db, workspaceOf(request), request.params.id) }),
  );

  app.put(
    '/api/contacts/:id/consents/:purpose',
    {
      preValidation: reader,
      schema: {
        tags,
        summary: "Record a contact's consent for a purpose: given or withdrawn, when and through what",
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          purpose: Type.String({ pattern: PURPOSE_PATTERN }),
        }),
        body: Type.Object(
          {
            granted: Type.Boolean(),
            source: Type.String({ minLength: 1, maxLength: 200, description: 'e.g. "signup form", "phone call"' }),
            at: Type.Optional(
              Type.String({ format: 'date-time', description: 'when the person decided; default now' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Consent, ...errors },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const identity = identityOf(request);
      const lead = await deps.db
        .selectFrom('contacts')
        .select('owner')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!lead) throw new ApiError(404, 'not_found', `no contact with id ${request.params.id}`);
      if (!canEditLead(identity, lead))
        throw new ApiError(403, 'forbidden', "recording consent needs a role that may edit this lead's fields");
      const now = deps.clock();
      const recorded = await recordConsent(
        deps.db,
        workspaceId,
        request.params.id,
        {
          purpose: request.params.purpose,
          granted: request.body.granted,
          source: request.body.source,
          at: request.body.at ? Date.parse(request.body.at) : now,
        },
        auditActor(identity),
        now,
      );
      if (!recorded.ok) throw failureToApiError({ 'invalid-consent': 400 }, recorded.error);
      return recorded.value;
    },
  );

  app.get(
    '/api/privacy/settings',
    {
      preValidation: admin,
      schema: {
        tags,
        summary: 'Whether IP addresses are kept whole, and how long events are kept',
        response: { 200: Settings, ...errors },
      },
    },
    async (request) => getPrivacySettings(deps.db, workspaceOf(request)),
  );

  app.put(
    '/api/privacy/settings',
    {
      preValidation: admin,
      schema: {
        tags,
        summary: 'Change the IP and retention settings',
        body: Settings,
        response: { 200: Settings, ...errors },
      },
    },
    async (request) => {
      const actor = auditActor(identityOf(request));
      const saved = await setPrivacySettings(
        deps.db,
        workspaceOf(request),
        request.body,
        { actor, ip: request.ip },
        deps.clock(),
      );
      if (!saved.ok) throw failureToApiError({ 'invalid-settings': 400 }, saved.error);
      return saved.value;
    },
  );

  app.delete(
    '/api/privacy/suppressions',
    {
      preValidation: admin,
      schema: {
        tags,
        summary: 'Let an erased email or user id be stored again (the person asked to come back)',
        body: Type.Object(
          {
            email: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
            userId: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ lifted: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      if (!request.body.email && !request.body.userId)
        throw new ApiError(400, 'invalid_request', 'send the `email` or `userId` whose suppression to lift');
      const actor = auditActor(identityOf(request));
      const lifted = await liftSuppression(
        deps.db,
        workspaceOf(request),
        request.body,
        { actor, ip: request.ip },
        deps.clock(),
      );
      return { lifted };
    },
  );
}
