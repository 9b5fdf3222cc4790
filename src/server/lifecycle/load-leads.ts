import { type Selectable, sql } from 'kysely';
import { COMPANY_PROFILE_COLUMNS, companySubject } from '../../core/companies/company-fields.ts';
import { CONTACT_PROFILE_COLUMNS, contactSubject } from '../../core/contacts/contact-fields.ts';
import { isStage, type Stage } from '../../core/lifecycle/stages.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import { anyUuid } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { CompaniesTable, ContactsTable } from '../db/schema.ts';

/** The contact columns scoring reads. */
const CONTACT_COLUMNS = [
  'id',
  'email',
  ...CONTACT_PROFILE_COLUMNS,
  'properties',
  'stage',
  'predicted',
  'playbook_version',
  'nurture_until',
  're_mql_count',
  'company_id',
  'engagement',
] as const satisfies ReadonlyArray<keyof ContactsTable>;

/** The company columns scoring reads, each as `company_<column>`. */
const COMPANY_COLUMNS = [
  'domain',
  ...COMPANY_PROFILE_COLUMNS,
  'properties',
  'score',
  'engagement',
  'engaged_contacts',
] as const satisfies ReadonlyArray<keyof CompaniesTable>;

type CompanyRow = Selectable<CompaniesTable>;

/** What scoring needs of a contact, its engagement state and its company (null when it has none), in one row. */
export type ScoringRow = Pick<Selectable<ContactsTable>, (typeof CONTACT_COLUMNS)[number]> & {
  /** The stored engagement state; null when the contact has none yet (the empty state). */
  engagement_state: unknown;
} & {
  [C in (typeof COMPANY_COLUMNS)[number] as `company_${C}`]: CompanyRow[C] | null;
};

function scoringColumns(state: string) {
  return sql.raw(
    [
      ...CONTACT_COLUMNS.map((column) => `c.${column}`),
      `${state} as engagement_state`,
      ...COMPANY_COLUMNS.map((column) => `co.${column} as company_${column}`),
    ].join(', '),
  );
}
const WITH_STATE = {
  columns: scoringColumns('ce.state'),
  from: sql`contacts c
    left join contact_engagement ce on ce.workspace_id = c.workspace_id and ce.contact_id = c.id
    left join companies co on co.workspace_id = c.workspace_id and co.id = c.company_id`,
};
const STATE_LATER = {
  columns: scoringColumns('null::jsonb'),
  from: sql`contacts c left join companies co on co.workspace_id = c.workspace_id and co.id = c.company_id`,
};

/**
 * The columns of a `ScoringRow` and what they are selected from (constant SQL from the field
 * tables): contacts `c` and their company `co`, with the engagement state `ce` joined — or,
 * for a read that locks the contacts, without it: rereadLockedStates reads it after the locks.
 */
export function scoringSource(locking: boolean) {
  return locking ? STATE_LATER : WITH_STATE;
}

/**
 * Reads the engagement states of rows just locked `for update of c`. Joined into the locking
 * statement, a state would come from that statement's snapshot (it re-checks only the locked
 * contact when another transaction changed it), and a state written by the transaction it
 * waited for would be lost. A new statement, run once the locks are held, sees every
 * committed state.
 */
export async function rereadLockedStates<Row extends ScoringRow>(
  trx: Db,
  workspaceId: string,
  rows: Row[],
): Promise<Row[]> {
  if (rows.length === 0) return rows;
  const states = await sql<{ contact_id: string; state: unknown }>`
    select contact_id, state from contact_engagement
    where workspace_id = ${workspaceId} and contact_id = ${anyUuid(rows.map((row) => row.id))}`.execute(trx);
  const byId = new Map(states.rows.map((row) => [row.contact_id, row.state]));
  for (const row of rows) row.engagement_state = byId.get(row.id) ?? null;
  return rows;
}

/** The fit subject of a scoring row: the contact and its company as rules see them. */
export function scoringSubjects(row: ScoringRow): {
  contact: Record<string, unknown>;
  company: Record<string, unknown> | null;
} {
  if (row.company_id === null) return { contact: contactSubject(row), company: null };
  const stored = Object.fromEntries(COMPANY_COLUMNS.map((column) => [column, row[`company_${column}`]])) as {
    [C in (typeof COMPANY_COLUMNS)[number]]: CompanyRow[C] | null;
  };
  const company = companySubject({
    ...stored,
    properties: stored.properties ?? {},
    engagement: stored.engagement ?? 0,
    engaged_contacts: stored.engaged_contacts ?? 0,
  });
  return { contact: contactSubject(row), company };
}

/** A contact as hand-off sees it: the scoring subject plus owner, scores and the company's owner. */
export type LeadRow = ScoringRow &
  Pick<
    Selectable<ContactsTable>,
    | 'owner'
    | 'team_id'
    | 'fit'
    | 'engagement'
    | 'score'
    | 'grade'
    | 'temperature'
    | 'qualification'
    | 'stage_entered_at'
  > & { company_owner: CompanyRow['owner'] };

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
  const source = scoringSource(lock !== 'none');
  const result = await sql<LeadRow>`
    select ${source.columns}, c.owner, c.team_id, c.fit, c.engagement, c.score, c.grade, c.temperature,
      c.qualification, c.stage_entered_at, co.owner as company_owner
    from ${source.from}
    where c.workspace_id = ${workspaceId} and c.id = ${anyUuid(contactIds)}
    order by c.id
    ${locking}`.execute(trx);
  return lock === 'none' ? result.rows : rereadLockedStates(trx, workspaceId, result.rows);
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
