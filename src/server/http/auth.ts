import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOriginAllowed } from '../workspaces/allowed-origins.ts';
import type { KeyIdentity, KeyResolver } from '../workspaces/api-keys.ts';
import { ApiError } from './api-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    identity: KeyIdentity | null;
  }
}

/** The web app's session cookie (users/sessions.ts sets it). */
const SESSION_COOKIE = 'ripen_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Segment sends the write key as the basic-auth user name with an empty password. */
function basicUser(header: string): string | null {
  const encoded = header.slice('basic '.length).trim();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user === '' ? null : user;
}

function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const lower = header.toLowerCase();
    if (lower.startsWith('basic ')) return basicUser(header);
    if (lower.startsWith('bearer ')) return header.slice('bearer '.length).trim() || null;
  }
  const body = request.body;
  if (body !== null && typeof body === 'object' && 'writeKey' in body && typeof body.writeKey === 'string') {
    return body.writeKey;
  }
  return null;
}

/**
 * Events come from write keys (websites, apps, CDPs) and admin keys (back-office jobs). A
 * manager's or rep's key cannot send events: events move scores, so a rep could lift their
 * own leads or sink a colleague's.
 */
export function canIngest(identity: KeyIdentity): boolean {
  return identity.kind === 'write' || (identity.kind === 'secret' && identity.role === 'admin');
}

/** Creating and editing companies (which rescores all their contacts): admins and managers. */
export function canEditCompanies(identity: KeyIdentity): boolean {
  return identity.kind !== 'write' && (identity.role === 'admin' || identity.role === 'manager');
}

/** Merging two contacts into one and undoing it (moves a person's whole history): admins and managers. */
export function canMergeContacts(identity: KeyIdentity): boolean {
  return identity.kind !== 'write' && (identity.role === 'admin' || identity.role === 'manager');
}

/** Creating contacts: those who work leads (admins, managers, reps); marketing and viewers read. */
export function canWriteLeads(identity: KeyIdentity): boolean {
  return identity.kind !== 'write' && ['admin', 'manager', 'rep'].includes(identity.role);
}

/** Editing a contact's fields: admins and managers any, reps their own leads and unowned ones. */
export function canEditLead(identity: KeyIdentity, lead: { owner: string | null }): boolean {
  if (!canWriteLeads(identity)) return false;
  if (identity.role !== 'rep') return true;
  return identity.userId !== null && (lead.owner === null || lead.owner === identity.userId);
}

/** Reading leads, companies and hand-offs: every secret key and every signed-in person; actions check more. */
export function canWorkLeads(identity: KeyIdentity): boolean {
  return identity.kind !== 'write';
}

/** Webhooks and jobs: admins only. */
export function canManage(identity: KeyIdentity): boolean {
  return identity.kind !== 'write' && identity.role === 'admin';
}

/** Editing, validating and publishing playbooks: admins and marketing, who agree the rules. */
export function canPublishPlaybook(identity: KeyIdentity): boolean {
  return identity.kind !== 'write' && (identity.role === 'admin' || identity.role === 'marketing');
}

/**
 * What a person may do, for the web app to show only what the server would allow (the
 * routes still decide, with these same predicates).
 */
export function permissionsOf(identity: KeyIdentity) {
  return {
    writeLeads: canWriteLeads(identity),
    editCompanies: canEditCompanies(identity),
    mergeContacts: canMergeContacts(identity),
    publishPlaybook: canPublishPlaybook(identity),
    manage: canManage(identity),
    reassign: identity.kind !== 'write' && (identity.role === 'admin' || identity.role === 'manager'),
  };
}

/** Who acts, as the audit log and the playbook's history name them: `user:<email>` or `key:<id>`. */
export function auditActor(identity: KeyIdentity): string {
  return identity.userId ? `user:${identity.userId}` : `key:${identity.keyId}`;
}

/** What each permission needs, for the 403 message. */
const NEEDS = new Map<(identity: KeyIdentity) => boolean, string>([
  [canIngest, 'a write key, or an admin key'],
  [canWorkLeads, 'a secret key or a signed-in user'],
  [canWriteLeads, 'an admin, manager or rep key or user'],
  [canManage, 'an admin key or user'],
  [canPublishPlaybook, 'an admin key, or an admin or marketing user'],
  [canEditCompanies, 'an admin or manager key or user'],
  [canMergeContacts, 'an admin or manager key or user'],
]);

export function requireKey(resolveKey: KeyResolver, permission: (identity: KeyIdentity) => boolean) {
  const needs = NEEDS.get(permission) ?? 'another role';
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const key = presentedKey(request);
    const sessionId = key === null ? request.cookies?.[SESSION_COOKIE] : undefined;
    if (sessionId && resolveKey.session) {
      request.identity = await authenticateSession(request, resolveKey.session, sessionId, permission, needs);
      return;
    }
    if (key === null) {
      throw new ApiError(
        401,
        'unauthenticated',
        'send an API key: `Authorization: Bearer <secret key>`, or the write key as the basic-auth user for /v1 ingestion',
      );
    }
    const identity = await resolveKey(key);
    if (identity === null)
      throw new ApiError(401, 'invalid_key', 'the API key is unknown or revoked; create one with `ripen keys create`');
    if (!permission(identity)) {
      throw new ApiError(
        403,
        'forbidden',
        identity.kind === 'write'
          ? 'a public write key can only send events to /v1; use a secret key for this endpoint'
          : `this endpoint needs ${needs}, and this key's role is ${identity.role}; ask an admin`,
      );
    }
    const origin = request.headers.origin;
    if (identity.kind === 'write' && !isOriginAllowed(identity.allowedOrigins ?? [], origin)) {
      throw new ApiError(
        403,
        'origin_not_allowed',
        `this write key is not allowed from ${origin}; an admin can add the site under Settings → API keys`,
      );
    }
    request.identity = identity;
  };
}

/**
 * A signed-in person: the session must be live, and a request that changes something must
 * repeat the session's CSRF token, which another site cannot read.
 */
async function authenticateSession(
  request: FastifyRequest,
  resolveSession: NonNullable<KeyResolver['session']>,
  sessionId: string,
  permission: (identity: KeyIdentity) => boolean,
  needs: string,
): Promise<KeyIdentity> {
  const session = await resolveSession(sessionId);
  if (session === null) {
    throw new ApiError(401, 'unauthenticated', 'the session has ended; sign in again: POST /api/session');
  }
  if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
    throw new ApiError(403, 'csrf', 'send the `x-csrf-token` header with the token GET /api/session returns');
  }
  if (!permission(session)) {
    throw new ApiError(403, 'forbidden', `this needs ${needs}, and your role is ${session.role}; ask an admin`);
  }
  const { csrfToken: _token, ...identity } = session;
  return identity;
}

export function workspaceOf(request: FastifyRequest): string {
  if (request.identity === null) throw new Error('route is missing its authentication hook');
  return request.identity.workspaceId;
}

export function identityOf(request: FastifyRequest): KeyIdentity {
  if (request.identity === null) throw new Error('route is missing its authentication hook');
  return request.identity;
}
