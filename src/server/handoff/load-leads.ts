import { sql } from 'kysely';
import { fromCenti } from '../../core/scoring/points.ts';
import { anyUuid } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { SCORING_COLUMNS, type ScoringRow } from '../scoring/load-scoring-rows.ts';

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
