import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { type CompanyColumns, normalizeDomain, splitCompanyTraits } from '../../core/companies/company-fields.ts';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import { companyDomainOf, type KnownCompany } from '../contacts/look-up-and-lock-identities.ts';
import type { CompanyLink } from '../contacts/write-contacts.ts';
import { combineWrites, jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';

interface CompanySpec {
  id: string | null;
  domain: string | null;
  groupId: string | null;
  columns: CompanyColumns;
  properties: Record<string, unknown>;
  hasTraits: boolean;
}

/**
 * Upserts companies from `group` calls (group id, traits), Segment's `company` trait on
 * identify, and work-email domains, and works out the contacts' links: a group call or a
 * company trait sets the contact's company; an email domain
 * only fills a missing one (writeContacts writes them). Returns the links and the ids of
 * companies whose traits changed (their contacts' fit must be rescored).
 */
export async function resolveCompanies(
  trx: Db,
  workspaceId: string,
  messages: readonly NormalizedMessage[],
  contactByMessage: ReadonlyArray<string | null>,
  emailDomains: ReadonlyMap<string, string>,
  /** Companies on record among the batch's domains and group ids (see lookUpAndLockIdentities). */
  existing: readonly KnownCompany[],
): Promise<{ changed: string[]; links: CompanyLink[] }> {
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
    // A group call of this batch naming the same domain decides the company.
    const byGroup = [...specs.values()].find((spec) => spec.groupId !== null && spec.domain === domain);
    if (!byGroup && !specs.has(key)) {
      specs.set(key, { id: null, domain, groupId: null, columns: { domain }, properties: {}, hasTraits: false });
    }
    domainLinks.set(contactId, byGroup ? `g:${byGroup.groupId}` : key);
  }
  if (specs.size === 0) return { changed: [], links: [] };

  const all = [...specs.values()];
  for (const spec of all) {
    const match =
      existing.find((row) => spec.groupId !== null && row.group_id === spec.groupId) ??
      existing.find((row) => spec.domain !== null && row.domain === spec.domain);
    spec.id = match?.id ?? null;
    // A domain already used by another company stays with that company.
    if (spec.domain && existing.some((row) => row.domain === spec.domain && row.id !== spec.id)) {
      spec.domain = null;
      delete spec.columns.domain;
    }
  }
  const toUpdate = all.filter((spec) => spec.hasTraits && spec.id !== null);
  const toCreate = all.filter((spec) => spec.id === null);
  for (const spec of toCreate) spec.id = randomUUID();
  // `cleared`: the columns a message set to null, which the update empties instead of keeping.
  const rowsOf = (specs: CompanySpec[]) =>
    specs.map((spec) => ({
      id: spec.id,
      group_id: spec.groupId,
      ...spec.columns,
      properties: spec.properties,
      cleared: Object.entries(spec.columns).flatMap(([column, value]) => (value === null ? [column] : [])),
    }));
  // New and known companies are different rows, so one statement writes both.
  await combineWrites([
    toCreate.length === 0
      ? null
      : sql`insert into companies (workspace_id, id, domain, group_id, name, industry, employees, annual_revenue,
          founded_year, country, properties)
        select ${workspaceId}, v.id, v.domain, v.group_id, v.name, v.industry, v.employees, v.annual_revenue,
          v.founded_year, v.country, coalesce(v.properties, '{}')
        from jsonb_to_recordset(${jsonRows(rowsOf(toCreate))}) as v(id uuid, domain text, group_id text, name text,
          industry text, employees integer, annual_revenue double precision, founded_year integer, country text,
          properties jsonb)`,
    toUpdate.length === 0
      ? null
      : sql`update companies as c set
          domain = coalesce(c.domain, v.domain), group_id = coalesce(c.group_id, v.group_id),
          name = case when v.cleared ? 'name' then null else coalesce(v.name, c.name) end,
          industry = case when v.cleared ? 'industry' then null else coalesce(v.industry, c.industry) end,
          employees = case when v.cleared ? 'employees' then null else coalesce(v.employees, c.employees) end,
          annual_revenue = case when v.cleared ? 'annual_revenue' then null
            else coalesce(v.annual_revenue, c.annual_revenue) end,
          founded_year = case when v.cleared ? 'founded_year' then null else coalesce(v.founded_year, c.founded_year) end,
          country = case when v.cleared ? 'country' then null else coalesce(v.country, c.country) end,
          properties = c.properties || coalesce(v.properties, '{}'), updated_at = now()
        from jsonb_to_recordset(${jsonRows(rowsOf(toUpdate))}) as v(id uuid, domain text, group_id text, name text,
          industry text, employees integer, annual_revenue double precision, founded_year integer, country text,
          properties jsonb, cleared jsonb)
        where c.workspace_id = ${workspaceId} and c.id = v.id`,
  ])?.execute(trx);
  const links = [
    ...[...groupLinks].map(([contactId, key]) => ({ contactId, key, force: true })),
    ...[...domainLinks].map(([contactId, key]) => ({ contactId, key, force: false })),
  ].flatMap(({ contactId, key, force }) => {
    const companyId = specs.get(key)?.id;
    return companyId ? [{ contactId, companyId, force }] : [];
  });
  return { changed: all.flatMap((spec) => (spec.hasTraits && spec.id ? [spec.id] : [])), links };
}
