import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeyIdentity, KeyResolver } from '../workspaces/api-keys.ts';
import { ApiError } from './api-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    identity: KeyIdentity | null;
  }
}

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
  return identity.kind === 'secret' && identity.role !== 'rep';
}

/** Editing a contact's fields: admins and managers any, reps their own leads and unowned ones. */
export function canEditLead(identity: KeyIdentity, lead: { owner: string | null }): boolean {
  if (identity.kind !== 'secret') return false;
  if (identity.role !== 'rep') return true;
  return identity.userId !== null && (lead.owner === null || lead.owner === identity.userId);
}

/** Reading and working leads (contacts, companies, sales actions): any secret key; actions check more. */
export function canWorkLeads(identity: KeyIdentity): boolean {
  return identity.kind === 'secret';
}

/** Playbooks, webhooks and jobs: admin keys only. */
export function canManage(identity: KeyIdentity): boolean {
  return identity.kind === 'secret' && identity.role === 'admin';
}

/** What each permission needs, for the 403 message. */
const NEEDS = new Map<(identity: KeyIdentity) => boolean, string>([
  [canIngest, 'a write key, or an admin key'],
  [canWorkLeads, 'a secret key'],
  [canManage, 'an admin key'],
  [canEditCompanies, 'an admin or manager key'],
]);

export function requireKey(resolveKey: KeyResolver, permission: (identity: KeyIdentity) => boolean) {
  const needs = NEEDS.get(permission) ?? 'another role';
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const key = presentedKey(request);
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
    request.identity = identity;
  };
}

export function workspaceOf(request: FastifyRequest): string {
  if (request.identity === null) throw new Error('route is missing its authentication hook');
  return request.identity.workspaceId;
}

export function identityOf(request: FastifyRequest): KeyIdentity {
  if (request.identity === null) throw new Error('route is missing its authentication hook');
  return request.identity;
}
