import { sql } from 'kysely';
import { companySubject } from '../../core/companies/company-fields.ts';
import { contactSubject } from '../../core/contacts/contact-fields.ts';
import { isStage, type Stage } from '../../core/lifecycle/stages.ts';
import { fromCenti } from '../../core/scoring/points.ts';
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

/** A contact as hand-off sees it: the scoring subject plus owner, scores and the company's owner. */
export interface LeadRow extends ScoringRow {
  owner: string | null;
  team_id: string | null;
  fit: number;
  engagement: number;
  score: number;
  grade: string;
  temperature: string;
  qualification: Record<string, string>;
  stage_entered_at: Record<string, string>;
  company_owner: string | null;
}

/**
 * Loads contacts for a hand-off decision, row-locked in id order (the order scoring locks in).
 * Sweeps pass `skip`: a lead someone is working on right now is left for the next sweep,
 * instead of waiting for (and possibly deadlocking with) that person's transaction.
 */
export async function loadLeads(
  trx: Db,
  workspaceId: string,
  contactIds: readonly string[],
  lock: 'wait' | 'skip' | 'none' = 'wait',
): Promise<LeadRow[]> {
  if (contactIds.length === 0) return [];
  const locking = lock === 'wait' ? sql`for update of c` : lock === 'skip' ? sql`for update of c skip locked` : sql``;
  const result = await sql<LeadRow>`
    select ${SCORING_COLUMNS}, c.owner, c.team_id, c.fit, c.engagement, c.score, c.grade, c.temperature,
      c.qualification, c.stage_entered_at, co.owner as company_owner
    from contacts c
    left join companies co on co.workspace_id = c.workspace_id and co.id = c.company_id
    where c.workspace_id = ${workspaceId} and c.id = ${anyUuid(contactIds)}
    order by c.id
    ${locking}`.execute(trx);
  return result.rows;
}

/** `loadLeads` keyed by contact id; a lead skipped by `skip` locking is simply absent. */
export async function loadLeadsById(
  trx: Db,
  workspaceId: string,
  contactIds: readonly string[],
  lock: 'wait' | 'skip' | 'none',
): Promise<Map<string, LeadRow>> {
  const leads = await loadLeads(trx, workspaceId, contactIds, lock);
  return new Map(leads.map((lead) => [lead.id, lead]));
}

/** What webhooks say about a lead: enough for a CRM or email tool to act, nothing internal. */
export function leadPayload(row: LeadRow, overrides: { stage?: string; owner?: string | null } = {}) {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    company: row.company_id ? { id: row.company_id, domain: row.company_domain, name: row.company_name } : null,
    stage: overrides.stage ?? row.stage,
    owner: overrides.owner === undefined ? row.owner : overrides.owner,
    fit: fromCenti(row.fit),
    engagement: fromCenti(row.engagement),
    grade: row.grade,
    temperature: row.temperature,
  };
}

/** A stored stage as the lifecycle knows it (the column is text; anything unknown reads as `lead`). */
export function stageOf(row: { stage: string }): Stage {
  return isStage(row.stage) ? row.stage : 'lead';
}
