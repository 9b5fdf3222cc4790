import type { NormalizedMessage } from '../ingest/segment-message.ts';
import { emailDomain, isFreeMailDomain } from '../scoring/free-mail-domains.ts';
import { type CompanyColumns, normalizeDomain, splitCompanyTraits } from './company-fields.ts';

/** A company on record that a batch's domains or group ids name. */
export interface KnownCompany {
  id: string;
  domain: string | null;
  group_id: string | null;
}

/**
 * A contact's company. `force`: a group call or a company trait sets it; a work-email domain
 * (force false) only fills a contact that has none.
 */
export interface CompanyLink {
  contactId: string;
  companyId: string;
  force: boolean;
}

/** A company row to write: its columns, new custom properties, and the columns a message cleared. */
export interface CompanyWrite extends CompanyColumns {
  id: string;
  group_id: string | null;
  properties: Record<string, unknown>;
  /** Columns a message set to null: the update empties them instead of keeping the stored value. */
  cleared: string[];
}

export interface CompanyPlan {
  create: CompanyWrite[];
  update: CompanyWrite[];
  links: CompanyLink[];
  /** Companies whose traits this batch sent (their contacts' fit must be rescored). */
  changed: string[];
}

interface CompanySpec {
  id: string | null;
  domain: string | null;
  groupId: string | null;
  columns: CompanyColumns;
  properties: Record<string, unknown>;
  hasTraits: boolean;
}

/** Work-email domain of a message that can name a company (free-mail domains cannot). */
export function companyDomainOf(email: string | null): string | null {
  if (email === null) return null;
  const domain = normalizeDomain(emailDomain(email));
  return domain !== null && !isFreeMailDomain(domain) ? domain : null;
}

/**
 * Which companies a batch creates and updates, and which contact belongs to which: from
 * `group` calls (group id, traits), Segment's `company` trait on identify, and work-email
 * domains. A company is found again by its group id, else by its domain; a domain already on
 * another company stays with that company; a group call of the batch naming a domain decides
 * the company of that domain's emails. `newId` names the companies it creates.
 */
export function planCompanies(
  messages: readonly NormalizedMessage[],
  /** Per message: the contact it was resolved to, or null. */
  contactByMessage: ReadonlyArray<string | null>,
  /** Per contact: the company domain of its work email. */
  emailDomains: ReadonlyMap<string, string>,
  existing: readonly KnownCompany[],
  newId: () => string,
): CompanyPlan {
  const specs = new Map<string, CompanySpec>();
  const groupLinks = new Map<string, string>();
  messages.forEach((message, index) => {
    if (message.company === null) return;
    const { groupId, traits } = message.company;
    const { columns, properties } = splitCompanyTraits(traits);
    // Segment's `company` trait often has no id: the company is then the one of the work email.
    const domain = columns.domain ?? normalizeDomain(groupId) ?? companyDomainOf(message.email);
    const key = groupId !== null ? `g:${groupId}` : domain !== null ? `d:${domain}` : null;
    // Neither an id nor a domain: nothing to find the company by again, so none is made.
    if (key === null) return;
    const current = specs.get(key);
    specs.set(key, {
      id: null,
      domain: domain ?? current?.domain ?? null,
      groupId,
      columns: { ...current?.columns, ...columns, ...(domain ? { domain } : {}) },
      properties: { ...current?.properties, ...properties },
      hasTraits: true,
    });
    const contactId = contactByMessage[index];
    if (contactId) groupLinks.set(contactId, key);
  });
  const domainLinks = new Map<string, string>();
  for (const [contactId, domain] of emailDomains) {
    if (groupLinks.has(contactId)) continue;
    const key = `d:${domain}`;
    const byGroup = [...specs.values()].find((spec) => spec.groupId !== null && spec.domain === domain);
    if (!byGroup && !specs.has(key)) {
      specs.set(key, { id: null, domain, groupId: null, columns: { domain }, properties: {}, hasTraits: false });
    }
    domainLinks.set(contactId, byGroup ? `g:${byGroup.groupId}` : key);
  }
  const all = [...specs.values()];
  for (const spec of all) {
    const match =
      existing.find((row) => spec.groupId !== null && row.group_id === spec.groupId) ??
      existing.find((row) => spec.domain !== null && row.domain === spec.domain);
    spec.id = match?.id ?? null;
    if (spec.domain && existing.some((row) => row.domain === spec.domain && row.id !== spec.id)) {
      spec.domain = null;
      delete spec.columns.domain;
    }
  }
  const toUpdate = all.filter((spec) => spec.hasTraits && spec.id !== null);
  const toCreate = all.filter((spec) => spec.id === null);
  for (const spec of toCreate) spec.id = newId();
  const links = [
    ...[...groupLinks].map(([contactId, key]) => ({ contactId, key, force: true })),
    ...[...domainLinks].map(([contactId, key]) => ({ contactId, key, force: false })),
  ].flatMap(({ contactId, key, force }) => {
    const companyId = specs.get(key)?.id;
    return companyId ? [{ contactId, companyId, force }] : [];
  });
  return {
    create: toCreate.map(writeOf),
    update: toUpdate.map(writeOf),
    links,
    changed: all.flatMap((spec) => (spec.hasTraits && spec.id ? [spec.id] : [])),
  };
}

function writeOf(spec: CompanySpec): CompanyWrite {
  if (spec.id === null) throw new Error('a planned company has no id');
  return {
    ...spec.columns,
    id: spec.id,
    group_id: spec.groupId,
    properties: spec.properties,
    cleared: Object.entries(spec.columns).flatMap(([column, value]) => (value === null ? [column] : [])),
  };
}
