import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { type CompanyLink, type KnownCompany, planCompanies } from '../../core/companies/plan-companies.ts';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import { combineWrites, jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { COMPANY_PROFILE_SQL } from './company-columns.ts';

/**
 * Upserts the companies a batch names (see planCompanies) in one statement and returns the
 * contacts' company links (writeContacts writes them) and the ids of companies whose traits
 * changed (their contacts' fit must be rescored).
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
  const plan = planCompanies(messages, contactByMessage, emailDomains, existing, randomUUID);
  const { create: toCreate, update: toUpdate } = plan;
  // New and known companies are different rows, so one statement writes both.
  await combineWrites([
    toCreate.length === 0
      ? null
      : sql`insert into companies (workspace_id, id, domain, group_id, ${COMPANY_PROFILE_SQL.columns}, properties)
        select ${workspaceId}, v.id, v.domain, v.group_id, ${COMPANY_PROFILE_SQL.values}, coalesce(v.properties, '{}')
        from jsonb_to_recordset(${jsonRows(toCreate)}) as v(id uuid, domain text, group_id text,
          ${COMPANY_PROFILE_SQL.types}, properties jsonb)`,
    toUpdate.length === 0
      ? null
      : sql`update companies as c set
          domain = coalesce(c.domain, v.domain), group_id = coalesce(c.group_id, v.group_id),
          ${COMPANY_PROFILE_SQL.updatesClearing},
          properties = c.properties || coalesce(v.properties, '{}'), updated_at = now()
        from jsonb_to_recordset(${jsonRows(toUpdate)}) as v(id uuid, domain text, group_id text,
          ${COMPANY_PROFILE_SQL.types}, properties jsonb, cleared jsonb)
        where c.workspace_id = ${workspaceId} and c.id = v.id`,
  ])?.execute(trx);
  return { changed: plan.changed, links: plan.links };
}
