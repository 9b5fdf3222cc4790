import { type RawBuilder, sql } from 'kysely';
import { COMPANY_PROFILE_COLUMNS, companySubject } from '../../core/companies/company-fields.ts';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import type { Playbook } from '../../core/playbook/playbook-schema.ts';
import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import {
  type CompanyRollup,
  type CompanyScore,
  engagedAtCenti,
  scoreCompany,
} from '../../core/scoring/score-company.ts';
import { anyUuid, combineWrites, jsonRows, withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { CompaniesTable } from '../db/schema.ts';
import { queueScoring } from './queue-scoring.ts';

/**
 * The statement that records, in the caller's transaction, that these companies' contacts were
 * scored (or their profile changed): the scoring worker rolls their scores up afterwards, in a
 * transaction of its own (refreshQueuedCompanyScores). Null when there is nothing to record.
 */
export function queueCompanyScores(workspaceId: string, companyIds: readonly string[]): RawBuilder<unknown> | null {
  if (companyIds.length === 0) return null;
  return sql`insert into company_score_queue (workspace_id, company_id)
    select ${workspaceId}, id from unnest(${[...new Set(companyIds)]}::uuid[]) as id`;
}

/** Queues every company of a workspace (a new playbook version: the section may have changed). */
export async function queueAllCompanyScores(db: Db, workspaceId: string): Promise<void> {
  await sql`insert into company_score_queue (workspace_id, company_id)
    select workspace_id, id from companies where workspace_id = ${workspaceId}`.execute(db);
}

/** The company fields and scores contact rules and criteria can read (`company.score` …). */
const SCORE_FIELDS = /\bcompany\.(score|engagement|engagedContacts)\b/;

/**
 * Which contacts follow a change of their company's score: all of them when fit rules read it
 * (their fit and grade change), only those a criterion could qualify (stage lead or recycled)
 * when only the MQL criteria read it, none otherwise.
 */
export function contactsFollowingCompanyScore(playbook: Playbook): 'all' | 'qualifiable' | 'none' {
  if (SCORE_FIELDS.test(JSON.stringify(playbook.fit))) return 'all';
  if (SCORE_FIELDS.test(JSON.stringify(playbook.mql))) return 'qualifiable';
  return 'none';
}

/** Queues for rescoring the contacts of changed companies that follow their company's score. */
function queueFollowers(
  workspaceId: string,
  playbook: Playbook,
  companyIds: readonly string[],
): RawBuilder<unknown> | null {
  switch (contactsFollowingCompanyScore(playbook)) {
    case 'all':
      return queueScoring(workspaceId, new Map(), companyIds);
    case 'qualifiable':
      return sql`insert into score_queue (workspace_id, contact_id, message_ids)
        select workspace_id, id, '{}' from contacts
        where workspace_id = ${workspaceId} and company_id = ${anyUuid(companyIds)} and stage in ('lead', 'recycled')`;
    case 'none':
      return null;
  }
}

/**
 * Takes up to `limit` queued companies and rolls their scores up in one transaction: locks the
 * companies (in id order), then, in a statement that sees every committed contact score, sums
 * their contacts' engagement and counts the engaged ones, scores each company by the
 * playbook's `company` section and writes those that changed. When the playbook's contact rules
 * read the company score, the contacts of changed companies that follow it are queued for
 * rescoring (contactsFollowingCompanyScore); their engagement does not change, so their
 * companies are not queued again. Returns how many queue rows it took.
 */
export async function refreshQueuedCompanyScores(
  db: Db,
  playbooks: PlaybookStore,
  now: () => number,
  limit = 500,
): Promise<number> {
  // Most passes find nothing: one read, no transaction.
  const any = await sql`select 1 from company_score_queue limit 1`.execute(db);
  if (any.rows.length === 0) return 0;
  return withRetry(() =>
    db.transaction().execute(async (trx) => {
      const claimed = await sql<{ workspace_id: string; company_id: string }>`
        with p as materialized (
          select workspace_id, id from company_score_queue order by id limit ${limit} for update skip locked)
        delete from company_score_queue q using p
        where q.workspace_id = p.workspace_id and q.id = p.id
        returning q.workspace_id, q.company_id`.execute(trx);
      const byWorkspace = new Map<string, Set<string>>();
      for (const row of claimed.rows) {
        const ids = byWorkspace.get(row.workspace_id) ?? new Set<string>();
        ids.add(row.company_id);
        byWorkspace.set(row.workspace_id, ids);
      }
      for (const [workspaceId, ids] of byWorkspace) {
        const playbook = await playbooks.active(workspaceId, trx);
        if (playbook === null) continue;
        await refreshCompanyScores(trx, workspaceId, playbook, [...ids].sort(), now());
      }
      return claimed.rows.length;
    }),
  );
}

type StoredCompany = Pick<
  CompaniesTable,
  'domain' | (typeof COMPANY_PROFILE_COLUMNS)[number] | 'properties' | 'score' | 'scored_version'
> & {
  id: string;
  engagement: number;
  engaged_contacts: number;
  rolled: string | number | null;
  engaged: string | number;
  active: string | number;
};

/** Scores companies (locked here) from their profile and their contacts' stored engagement; returns those that changed. */
export async function refreshCompanyScores(
  trx: Db,
  workspaceId: string,
  playbook: CompiledPlaybook,
  companyIds: readonly string[],
  now: number,
): Promise<string[]> {
  if (companyIds.length === 0) return [];
  await sql`select id from companies where workspace_id = ${workspaceId} and id = ${anyUuid(companyIds)}
    order by id for update`.execute(trx);
  const companies = await loadCompaniesWithRollup(trx, workspaceId, playbook, companyIds);
  const section = playbook.document.company;
  const updates: Array<{ id: string; score: number | null; engagement: number; engaged: number }> = [];
  for (const company of companies) {
    const rollup = rollupOf(company);
    const score = section ? scoreCompany(section, subjectOf(company), rollup, now).centi : null;
    const unchanged =
      company.score === score &&
      company.engagement === rollup.engagementCenti &&
      company.engaged_contacts === rollup.engagedContacts &&
      company.scored_version === playbook.version;
    if (!unchanged)
      updates.push({ id: company.id, score, engagement: rollup.engagementCenti, engaged: rollup.engagedContacts });
  }
  if (updates.length === 0) return [];
  const changed = updates.map((update) => update.id);
  await combineWrites([
    sql`update companies as co set score = v.score, engagement = v.engagement, engaged_contacts = v.engaged,
        scored_version = ${playbook.version}
      from jsonb_to_recordset(${jsonRows(updates)}) as v(id uuid, score integer, engagement integer, engaged integer)
      where co.workspace_id = ${workspaceId} and co.id = v.id`,
    queueFollowers(workspaceId, playbook.document, changed),
  ])?.execute(trx);
  return changed;
}

/** A company's score as of now with every line explained, from its stored contacts' engagement. */
export async function explainCompanyScore(
  db: Db,
  workspaceId: string,
  playbook: CompiledPlaybook,
  companyId: string,
  now: number,
): Promise<(CompanyScore & { rollup: CompanyRollup }) | null> {
  const section = playbook.document.company;
  if (!section) return null;
  const [company] = await loadCompaniesWithRollup(db, workspaceId, playbook, [companyId]);
  if (!company) return null;
  const rollup = rollupOf(company);
  return { ...scoreCompany(section, subjectOf(company), rollup, now), rollup };
}

/** Companies with the sum of their contacts' engagement and the counts of engaged and active contacts. */
async function loadCompaniesWithRollup(
  db: Db,
  workspaceId: string,
  playbook: CompiledPlaybook,
  companyIds: readonly string[],
): Promise<StoredCompany[]> {
  // A contact counts as engaged from the section's threshold; without one, no contact does.
  const engagedAt = engagedAtCenti(playbook.document.company) ?? 2_147_483_647;
  const profile = sql.raw(COMPANY_PROFILE_COLUMNS.map((column) => `co.${column}`).join(', '));
  const result = await sql<StoredCompany>`
    select co.id, co.domain, ${profile}, co.properties, co.score, co.engagement, co.engaged_contacts,
      co.scored_version, r.rolled, r.engaged, r.active
    from companies co
    cross join lateral (
      select sum(c.engagement) as rolled,
        count(*) filter (where c.engagement >= ${engagedAt}) as engaged,
        count(*) filter (where c.engagement > 0) as active
      from contacts c where c.workspace_id = co.workspace_id and c.company_id = co.id
    ) r
    where co.workspace_id = ${workspaceId} and co.id = ${anyUuid(companyIds)}`.execute(db);
  return result.rows;
}

function rollupOf(company: StoredCompany): CompanyRollup {
  return {
    engagementCenti: Number(company.rolled ?? 0),
    engagedContacts: Number(company.engaged),
    contacts: Number(company.active),
  };
}

function subjectOf(company: StoredCompany): Record<string, unknown> {
  return companySubject({ ...company, properties: (company.properties ?? {}) as Record<string, unknown> });
}
