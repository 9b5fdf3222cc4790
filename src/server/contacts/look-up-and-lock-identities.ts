import { sql } from 'kysely';
import { groupDomain } from '../../core/companies/company-fields.ts';
import { companyDomainOf, type KnownCompany } from '../../core/companies/plan-companies.ts';
import type { KnownContact, KnownPeople } from '../../core/identity/resolve-identities.ts';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import { type PrivacySettings, readPrivacySettings } from '../../core/privacy/privacy-settings.ts';
import { anyText } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { messageSuppressionHashes } from './suppression-hash.ts';

/**
 * Serialises concurrent writers that may create or complete the same identities (user id,
 * email, anonymous id, company key) with transaction-scoped advisory locks taken in a fixed
 * order, so look-up-then-insert cannot race and two transactions never deadlock on each other.
 */
export async function lockIdentities(trx: Db, workspaceId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const scoped = [...new Set(keys)].map((key) => `${workspaceId}:${key}`);
  await sql`select pg_advisory_xact_lock(h) from (
      select distinct hashtextextended(k, 0) as h from unnest(${scoped}::text[]) as k order by h
    ) as ordered`.execute(trx);
}

/** What a batch's identities already map to: contacts, anonymous-id links, companies. */
export interface KnownIdentities extends KnownPeople {
  contacts: KnownContact[];
  links: Map<string, string>;
  aliases: Array<{ kind: 'email' | 'user'; value: string; contactId: string }>;
  companies: KnownCompany[];
}

/**
 * Drops messages already stored (idempotency) and those naming an erased contact's email,
 * user id or anonymous id (suppressions), looks up the rest's identities, then locks
 * only those the batch may create or complete: the user id and email of a message naming one
 * not on record, an anonymous id not yet linked, a company domain or group id not on record.
 * Identities on record never change owner, so a batch of known visitors takes no lock and
 * concurrent batches do not queue behind each other. After locking, the look-up is repeated:
 * a concurrent batch may have created what was missing.
 * Each look-up is one statement, so a batch costs one round trip here, or three when it locks.
 * With `exclusive` (no other transaction can run meanwhile: runsOneTransactionAtATime) there
 * is nothing to serialise against, and it takes no lock.
 */
export async function lookUpAndLockIdentities(
  trx: Db,
  workspaceId: string,
  batch: readonly NormalizedMessage[],
  exclusive = false,
): Promise<{
  messages: NormalizedMessage[];
  /** Per message: the company domain of its work email, or null (see companyDomainOf). */
  emailDomains: Array<string | null>;
  known: KnownIdentities;
  /** Messages dropped because they name an erased contact. */
  suppressed: number;
  privacy: PrivacySettings;
}> {
  const memo = new Map<string, string>();
  const named = batch.map((message) => nameMessage(workspaceId, message, memo));
  const first = await lookUpIdentities(trx, workspaceId, named, true);
  const allowed = named.filter(
    ({ suppressionHashes }) => !suppressionHashes.some((hash) => first.suppressed.has(hash)),
  );
  const suppressed = named.length - allowed.length;
  const fresh = allowed.filter(({ message }) => !first.seen.has(message.messageId));
  const messages = fresh.map(({ message }) => message);
  const emailDomains = fresh.map(({ emailDomain }) => emailDomain);
  const found = { messages, emailDomains, suppressed, privacy: first.privacy };
  if (exclusive) return { ...found, known: first };
  const keys = keysToLock(fresh, first);
  if (keys.length === 0) return { ...found, known: first };
  await lockIdentities(trx, workspaceId, keys);
  return { ...found, known: await lookUpIdentities(trx, workspaceId, fresh, false) };
}

/** A message with the company domains it names, worked out once per batch. */
interface NamedMessage {
  message: NormalizedMessage;
  emailDomain: string | null;
  /** Domains it may attach a company by: its work email's, and the one its company names. */
  domains: string[];
  /** What an erased contact's suppression entry would hold for its email, user id and anonymous id. */
  suppressionHashes: string[];
}

function keysToLock(named: readonly NamedMessage[], known: KnownIdentities): string[] {
  const userIds = new Set(known.contacts.map((contact) => contact.user_id));
  const emails = new Set(known.contacts.map((contact) => contact.email));
  for (const alias of known.aliases) (alias.kind === 'email' ? emails : userIds).add(alias.value);
  const domains = new Set(known.companies.flatMap((company) => (company.domain ? [company.domain] : [])));
  const groupIds = new Set(known.companies.flatMap((company) => (company.group_id ? [company.group_id] : [])));
  const keys: string[] = [];
  for (const { message, domains: messageDomains } of named) {
    // A contact gains a user id or an email only from a message naming one not on record,
    // so both being on record means this message creates and completes nothing.
    const onRecord =
      (message.userId === null || userIds.has(message.userId)) && (message.email === null || emails.has(message.email));
    if (!onRecord) {
      if (message.userId !== null) keys.push(`u:${message.userId}`);
      if (message.email !== null) keys.push(`e:${message.email}`);
    }
    if (message.anonymousId !== null && !known.links.has(message.anonymousId)) keys.push(`a:${message.anonymousId}`);
    for (const domain of messageDomains) if (!domains.has(domain)) keys.push(`d:${domain}`);
    const groupId = message.company?.groupId ?? null;
    if (groupId !== null && !groupIds.has(groupId)) keys.push(`g:${groupId}`);
  }
  return keys;
}

function nameMessage(workspaceId: string, message: NormalizedMessage, memo: Map<string, string>): NamedMessage {
  const emailDomain = companyDomainOf(message.email);
  const domains = emailDomain === null ? [] : [emailDomain];
  if (message.company !== null) {
    const domain = groupDomain(message.company.groupId, message.company.traits);
    if (domain !== null && domain !== emailDomain) domains.push(domain);
  }
  return { message, emailDomain, domains, suppressionHashes: messageSuppressionHashes(workspaceId, message, memo) };
}

/**
 * Contacts by user id or email, anonymous-id links, companies by domain or group id and,
 * when asked (the first look-up), message ids already stored, suppressed identities and the
 * workspace's privacy settings: one statement, each part an index look-up.
 */
async function lookUpIdentities(
  trx: Db,
  workspaceId: string,
  named: readonly NamedMessage[],
  withSeen: boolean,
): Promise<KnownIdentities & { seen: Set<string>; suppressed: Set<string>; privacy: PrivacySettings }> {
  const userIds = new Set<string>();
  const emails = new Set<string>();
  const anonymousIds = new Set<string>();
  const domains = new Set<string>();
  const groupIds = new Set<string>();
  for (const { message, domains: messageDomains } of named) {
    if (message.userId !== null) userIds.add(message.userId);
    if (message.email !== null) emails.add(message.email);
    if (message.anonymousId !== null) anonymousIds.add(message.anonymousId);
    for (const domain of messageDomains) domains.add(domain);
    if (message.company?.groupId) groupIds.add(message.company.groupId);
  }
  const result = await sql<{
    kind: 'contact' | 'alias' | 'link' | 'company' | 'seen' | 'suppressed' | 'privacy';
    a: string;
    b: string | null;
    c: string | null;
  }>`
    select 'contact' as kind, id::text as a, user_id as b, email as c from contacts
      where workspace_id = ${workspaceId} and (user_id = ${anyText([...userIds])} or email = ${anyText([...emails])})
    union all
    select 'alias', a.contact_id::text, a.kind, a.value from contact_aliases a
      where a.workspace_id = ${workspaceId} and (
        (a.kind = 'user' and a.value = ${anyText([...userIds])}) or (a.kind = 'email' and a.value = ${anyText([...emails])}))
    union all
    select 'contact', c.id::text, c.user_id, c.email from contacts c
      where c.workspace_id = ${workspaceId} and c.id = any(array(select a.contact_id from contact_aliases a
        where a.workspace_id = ${workspaceId} and (
          (a.kind = 'user' and a.value = ${anyText([...userIds])}) or (a.kind = 'email' and a.value = ${anyText([...emails])}))))
    union all
    select 'link', anonymous_id, contact_id::text, null from anonymous_ids
      where workspace_id = ${workspaceId} and anonymous_id = ${anyText([...anonymousIds])}
    union all
    select 'company', id::text, domain, group_id from companies
      where workspace_id = ${workspaceId} and (domain = ${anyText([...domains])} or group_id = ${anyText([...groupIds])})
    union all
    select 'seen', message_id, null, null from events
      where workspace_id = ${workspaceId} and message_id = ${anyText(withSeen ? named.map(({ message }) => message.messageId) : [])}
    union all
    select 'suppressed', hash, null, null from suppressions
      where workspace_id = ${workspaceId} and hash = ${anyText(withSeen ? [...new Set(named.flatMap(({ suppressionHashes }) => suppressionHashes))] : [])}
    union all
    select 'privacy', privacy::text, null, null from workspaces where ${withSeen} and id = ${workspaceId}`.execute(trx);
  const known: KnownIdentities & { seen: Set<string>; suppressed: Set<string>; privacy: PrivacySettings } = {
    contacts: [],
    links: new Map(),
    aliases: [],
    companies: [],
    seen: new Set(),
    suppressed: new Set(),
    privacy: readPrivacySettings(null),
  };
  const contactIds = new Set<string>();
  for (const row of result.rows) {
    switch (row.kind) {
      case 'contact':
        // A contact found both directly and through an alias comes once.
        if (contactIds.has(row.a)) break;
        contactIds.add(row.a);
        known.contacts.push({ id: row.a, user_id: row.b, email: row.c });
        break;
      case 'alias':
        known.aliases.push({ kind: row.b === 'user' ? 'user' : 'email', value: row.c ?? '', contactId: row.a });
        break;
      case 'link':
        if (row.b !== null) known.links.set(row.a, row.b);
        break;
      case 'company':
        known.companies.push({ id: row.a, domain: row.b, group_id: row.c });
        break;
      case 'seen':
        known.seen.add(row.a);
        break;
      case 'suppressed':
        known.suppressed.add(row.a);
        break;
      case 'privacy':
        known.privacy = readPrivacySettings(JSON.parse(row.a));
        break;
    }
  }
  return known;
}
