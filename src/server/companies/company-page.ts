import { companySubject } from '../../core/companies/company-fields.ts';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { scoreCompanyFit } from '../../core/scoring/company-fit.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import type { Db } from '../db/open-database.ts';
import { explainCompanyScore } from '../scoring/company-scores.ts';
import { type CompanyView, toCompanyView } from './save-company.ts';

/** How many of its contacts the company page lists (highest score first). */
const CONTACTS_SHOWN = 200;

export interface CompanyPage {
  company: CompanyView;
  /** What the company earns by itself under the active playbook (its company-only fit groups). */
  fit: { points: number; groups: string[]; lines: Array<{ kind: string; points: number }> } | null;
  /** The company score by the playbook's `company` section, every line explained; null without a section. */
  score: { points: number; lines: Array<{ kind: string; points: number }>; engagedContacts: number } | null;
  contacts: Array<{
    id: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    jobTitle: string | null;
    stage: string;
    owner: string | null;
    score: number;
    engagement: number;
    grade: string;
    temperature: string;
    updatedAt: string;
  }>;
  rollup: {
    contacts: number;
    byStage: Record<string, number>;
    /** Sum of its contacts' engagement, and how many have any. */
    engagement: number;
    engagedContacts: number;
    lastChange: string | null;
  };
}

/** A company with its fit explained, its people and their stages, and its engagement rolled up. */
export async function loadCompanyPage(
  db: Db,
  workspaceId: string,
  companyId: string,
  playbook: CompiledPlaybook | null,
  now: number,
): Promise<CompanyPage | null> {
  const row = await db
    .selectFrom('companies')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', companyId)
    .executeTakeFirst();
  if (!row) return null;
  const company = toCompanyView(row);
  const contacts = await db
    .selectFrom('contacts')
    .select([
      'id',
      'email',
      'first_name',
      'last_name',
      'job_title',
      'stage',
      'owner',
      'score',
      'engagement',
      'grade',
      'temperature',
      'updated_at',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('company_id', '=', companyId)
    .orderBy('score', 'desc')
    .orderBy('id')
    .limit(CONTACTS_SHOWN)
    .execute();
  const totals = await db
    .selectFrom('contacts')
    .select([
      'stage',
      (eb) => eb.fn.countAll<string | number>().as('count'),
      (eb) => eb.fn.sum<string | number>('engagement').as('engagement'),
      (eb) => eb.fn.countAll<string | number>().filterWhere('engagement', '>', 0).as('engaged'),
      (eb) => eb.fn.max('updated_at').as('last_change'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('company_id', '=', companyId)
    .groupBy('stage')
    .execute();
  const fit = playbook ? scoreCompanyFit(playbook.document, companySubject(row), now) : null;
  const score = playbook ? await explainCompanyScore(db, workspaceId, playbook, companyId, now) : null;
  const lastChanges = totals.map((total) => total.last_change).filter((value): value is Date => value instanceof Date);
  return {
    company,
    fit: fit && {
      points: fromCenti(fit.centi),
      groups: fit.groups,
      lines: fit.lines.map(({ centi, ...line }) => ({ ...line, points: fromCenti(centi) })),
    },
    score: score && {
      points: fromCenti(score.centi),
      lines: score.lines.map(({ centi, ...line }) => ({ ...line, points: fromCenti(centi) })),
      engagedContacts: score.rollup.engagedContacts,
    },
    contacts: contacts.map((contact) => ({
      id: contact.id,
      email: contact.email,
      firstName: contact.first_name,
      lastName: contact.last_name,
      jobTitle: contact.job_title,
      stage: contact.stage,
      owner: contact.owner,
      score: fromCenti(contact.score),
      engagement: fromCenti(contact.engagement),
      grade: contact.grade,
      temperature: contact.temperature,
      updatedAt: contact.updated_at.toISOString(),
    })),
    rollup: {
      contacts: totals.reduce((sum, total) => sum + Number(total.count), 0),
      byStage: Object.fromEntries(totals.map((total) => [total.stage, Number(total.count)])),
      engagement: fromCenti(totals.reduce((sum, total) => sum + Number(total.engagement ?? 0), 0)),
      // With a company section, engaged means what account criteria count (its `engagedAt`).
      engagedContacts: score
        ? score.rollup.engagedContacts
        : totals.reduce((sum, total) => sum + Number(total.engaged), 0),
      lastChange:
        lastChanges.length > 0 ? new Date(Math.max(...lastChanges.map((date) => date.getTime()))).toISOString() : null,
    },
  };
}
