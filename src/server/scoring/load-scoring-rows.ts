import { sql } from 'kysely';
import type { EngagementEvent } from '../../core/scoring/engagement-state.ts';
import { companySubject } from '../companies/company-traits.ts';
import { contactSubject } from '../contacts/contact-traits.ts';
import { anyUuid } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';

/** What scoring needs of a contact and its company, in one row. */
export interface ScoringRow {
  id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  job_title: string | null;
  seniority: string | null;
  role: string | null;
  phone: string | null;
  country: string | null;
  properties: Record<string, unknown>;
  stage: string;
  predicted: number | null;
  playbook_version: number | null;
  engagement_state: unknown;
  nurture_until: Date | null;
  re_mql_count: number;
  company_id: string | null;
  company_domain: string | null;
  company_name: string | null;
  company_industry: string | null;
  company_employees: number | null;
  company_annual_revenue: number | null;
  company_founded_year: number | null;
  company_country: string | null;
  company_properties: Record<string, unknown> | null;
}

/** The columns of a `ScoringRow`, over `contacts c left join companies co`. */
export const SCORING_COLUMNS = sql.raw(`c.id, c.email, c.first_name, c.last_name, c.job_title, c.seniority, c.role,
  c.phone, c.country, c.properties, c.stage, c.predicted, c.playbook_version, c.engagement_state, c.nurture_until,
  c.re_mql_count, c.company_id, co.domain as company_domain, co.name as company_name,
  co.industry as company_industry, co.employees as company_employees, co.annual_revenue as company_annual_revenue,
  co.founded_year as company_founded_year, co.country as company_country, co.properties as company_properties`);

/** Loads and row-locks contacts (in id order, so concurrent batches cannot deadlock). */
export async function loadScoringRows(
  trx: Db,
  workspaceId: string,
  contactIds: readonly string[],
  lock: boolean,
): Promise<ScoringRow[]> {
  if (contactIds.length === 0) return [];
  const forUpdate = lock ? sql`for update of c` : sql``;
  const result = await sql<ScoringRow>`
    select ${SCORING_COLUMNS}
    from contacts c
    left join companies co on co.workspace_id = c.workspace_id and co.id = c.company_id
    where c.workspace_id = ${workspaceId} and c.id = any(${[...contactIds]}::uuid[])
    order by c.id
    ${forUpdate}`.execute(trx);
  return result.rows;
}

/** An event row as scoring reads it. */
export interface EventRow {
  contact_id: string;
  message_id: string;
  type: 'track' | 'page' | 'identify' | 'group';
  name: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  source: string | null;
  occurred_at: Date;
}

export function toEngagementEvent(row: Omit<EventRow, 'contact_id'>): EngagementEvent {
  return {
    id: row.message_id,
    type: row.type,
    name: row.name,
    properties: row.properties,
    context: row.context,
    source: row.source,
    occurredAt: row.occurred_at.getTime(),
  };
}

/**
 * All events of these contacts since `since` (older ones cannot count), grouped by contact,
 * except events still waiting in the score queue: whoever takes that queue row folds them in,
 * so counting them here too would count them twice.
 */
export async function loadContactEvents(
  trx: Db,
  workspaceId: string,
  contactIds: readonly string[],
  since: number,
): Promise<Map<string, EngagementEvent[]>> {
  const grouped = new Map<string, EngagementEvent[]>();
  if (contactIds.length === 0) return grouped;
  const ids = anyUuid(contactIds);
  const pending = await sql<{ message_id: string }>`
    select unnest(message_ids) as message_id from score_queue
    where workspace_id = ${workspaceId} and contact_id = ${ids}`.execute(trx);
  const queued = new Set(pending.rows.map((row) => row.message_id));
  const result = await sql<EventRow>`
    select contact_id, message_id, type, name, properties, context, source, occurred_at
    from events
    where workspace_id = ${workspaceId} and contact_id = ${ids} and occurred_at >= ${new Date(since)}
    order by contact_id, occurred_at`.execute(trx);
  for (const row of result.rows) {
    if (queued.has(row.message_id)) continue;
    const list = grouped.get(row.contact_id) ?? [];
    list.push(toEngagementEvent(row));
    grouped.set(row.contact_id, list);
  }
  return grouped;
}

/** The fit subject of a scoring row: the contact and its company as rules see them. */
export function scoringSubjects(row: ScoringRow): {
  contact: Record<string, unknown>;
  company: Record<string, unknown> | null;
} {
  const company =
    row.company_id === null
      ? null
      : companySubject({
          domain: row.company_domain,
          name: row.company_name,
          industry: row.company_industry,
          employees: row.company_employees,
          annual_revenue: row.company_annual_revenue,
          founded_year: row.company_founded_year,
          country: row.company_country,
          properties: row.company_properties ?? {},
        });
  return { contact: contactSubject(row), company };
}

/** Ids of the contacts of these companies: their fit changes when a company's traits do. */
export async function listCompanyContacts(
  trx: Db,
  workspaceId: string,
  companyIds: readonly string[],
): Promise<string[]> {
  if (companyIds.length === 0) return [];
  const rows = await trx
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('company_id', '=', anyUuid(companyIds))
    .execute();
  return rows.map((row) => row.id);
}
