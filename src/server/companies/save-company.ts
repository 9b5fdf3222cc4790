import { randomUUID } from 'node:crypto';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { type Selectable, sql } from 'kysely';
import {
  type CompanyProfileColumn,
  type CompanyProfileName,
  companyProfileOf,
  normalizeDomain,
} from '../../core/companies/company-fields.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import { lockIdentities } from '../contacts/look-up-and-lock-identities.ts';
import { withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { CompaniesTable } from '../db/schema.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import { decodeCursor, toPage } from '../http/cursor.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';
import { queueCompanyScores } from '../scoring/company-scores.ts';
import { qualifiedBy, rescoreCompanyContacts } from '../scoring/score-contacts.ts';

// Null first: with Ajv's type coercion a string-first union would turn `null` into "", and a
// number-first one would turn it into 0.
const Text = Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })]));
const Num = Type.Optional(Type.Union([Type.Null(), Type.Number()]));

/** What the API accepts for each profile field (the compiler checks every field has one). */
const PROFILE_INPUT = {
  name: Text,
  industry: Text,
  employees: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 0 })])),
  annualRevenue: Num,
  foundedYear: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1600, maximum: 2200 })])),
  country: Text,
  adSpend: Num,
  shareCapital: Num,
  vatNumber: Text,
  publicFunding: Num,
  reviewRating: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0, maximum: 10 })])),
  reviewCount: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 0 })])),
  socialProfiles: Text,
  technologies: Text,
} satisfies Record<CompanyProfileName, TSchema>;

/** How the API shows each profile field. */
const PROFILE_VIEW = {
  name: Nullable(Type.String()),
  industry: Nullable(Type.String()),
  employees: Nullable(Type.Number()),
  annualRevenue: Nullable(Type.Number()),
  foundedYear: Nullable(Type.Number()),
  country: Nullable(Type.String()),
  adSpend: Nullable(Type.Number()),
  shareCapital: Nullable(Type.Number()),
  vatNumber: Nullable(Type.String()),
  publicFunding: Nullable(Type.Number()),
  reviewRating: Nullable(Type.Number()),
  reviewCount: Nullable(Type.Number()),
  socialProfiles: Nullable(Type.String()),
  technologies: Nullable(Type.String()),
} satisfies Record<CompanyProfileName, TSchema>;

export const CompanyInput = Type.Object(
  {
    domain: Text,
    ...PROFILE_INPUT,
    owner: Text,
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type CompanyInput = Static<typeof CompanyInput>;

export const CompanyView = Type.Object({
  id: Type.String(),
  domain: Nullable(Type.String()),
  ...PROFILE_VIEW,
  owner: Nullable(Type.String()),
  properties: Type.Record(Type.String(), Type.Unknown()),
  score: Nullable(
    Type.Number({ description: "the company score (0-100) by the playbook's company section; null without one" }),
  ),
  engagedContacts: Type.Integer({ description: 'its contacts whose engagement reaches the section’s `engagedAt`' }),
  enrichment: Nullable(
    Type.String({ description: 'enrichment status: retry, done, not-found, failed, skipped; null before any' }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type CompanyView = Static<typeof CompanyView>;

export function toCompanyView(row: Selectable<CompaniesTable>): CompanyView {
  return {
    id: row.id,
    domain: row.domain,
    ...companyProfileOf(row),
    owner: row.owner,
    properties: row.properties,
    score: row.score === null ? null : fromCenti(row.score),
    engagedContacts: row.engaged_contacts,
    enrichment: row.enrichment_status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getCompany(db: Db, workspaceId: string, id: string): Promise<CompanyView | null> {
  const row = await db
    .selectFrom('companies')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toCompanyView(row) : null;
}

export async function listCompanies(
  db: Db,
  workspaceId: string,
  filters: { q?: string; industry?: string; cursor?: string; limit?: number },
) {
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 500);
  let query = db.selectFrom('companies').selectAll().where('workspace_id', '=', workspaceId);
  if (filters.industry) query = query.where('industry', 'ilike', filters.industry);
  if (filters.q) {
    const pattern = `%${filters.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('domain', 'ilike', pattern)]));
  }
  if (filters.cursor) query = query.where('id', '>', String(decodeCursor(filters.cursor, 1)[0]));
  const rows = await query
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.id], toCompanyView);
}

/** Why a company was not saved. */
export type CompanyFailure = Failure<'not-found' | 'invalid-domain' | 'duplicate-company'>;

/**
 * Creates or updates a company, then rescores its contacts in the same transaction (fit
 * depends on it). Without a published playbook it is saved and its contacts stay unscored, as
 * ingested ones do; publishing scores every contact.
 */
export async function saveCompany(
  deps: ServiceDeps,
  workspaceId: string,
  id: string | null,
  input: CompanyInput,
): Promise<Result<CompanyView, CompanyFailure>> {
  let domain: string | null | undefined = input.domain;
  if (typeof domain === 'string') {
    domain = normalizeDomain(domain);
    if (domain === null) {
      const message = `\`domain\` must be a domain like acme.com, got \`${input.domain}\``;
      return err({ kind: 'invalid-domain', message });
    }
  }
  // Kysely leaves out a column whose value is undefined: a field not sent keeps its value.
  const values = {
    domain,
    name: input.name,
    industry: input.industry,
    employees: input.employees,
    annual_revenue: input.annualRevenue,
    founded_year: input.foundedYear,
    country: input.country,
    ad_spend: input.adSpend,
    share_capital: input.shareCapital,
    vat_number: input.vatNumber,
    public_funding: input.publicFunding,
    review_rating: input.reviewRating,
    review_count: input.reviewCount,
    social_profiles: input.socialProfiles,
    technologies: input.technologies,
    owner: input.owner,
  } satisfies Record<CompanyProfileColumn | 'domain' | 'owner', unknown>;
  const playbook = await deps.playbooks.active(workspaceId);
  const saved = await withRetry(() =>
    deps.db.transaction().execute(async (trx): Promise<Result<string, CompanyFailure>> => {
      if (domain) {
        await lockIdentities(trx, workspaceId, [`d:${domain}`]);
        let clash = trx
          .selectFrom('companies')
          .select('id')
          .where('workspace_id', '=', workspaceId)
          .where('domain', '=', domain);
        if (id !== null) clash = clash.where('id', '!=', id);
        const other = await clash.executeTakeFirst();
        if (other) {
          return err({
            kind: 'duplicate-company',
            message: `company ${other.id} already has the domain ${domain}; update it instead`,
            details: { companyId: other.id },
          });
        }
      }
      const properties = input.properties === undefined ? undefined : JSON.stringify(input.properties);
      if (id === null) {
        const newId = randomUUID();
        await trx
          .insertInto('companies')
          .values({ workspace_id: workspaceId, id: newId, ...values, properties: properties ?? '{}' })
          .execute();
        // Nobody works there yet, but the company has a score of its own.
        if (playbook?.document.company) await queueCompanyScores(workspaceId, [newId])?.execute(trx);
        return ok(newId);
      }
      const updated = await trx
        .updateTable('companies')
        .set({
          ...values,
          updated_at: sql<Date>`now()`,
          ...(properties === undefined ? {} : { properties: sql`properties || ${properties}::jsonb` }),
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return err({ kind: 'not-found', message: `no company with id ${id}` });
      if (playbook) {
        const now = deps.clock();
        const outcome = await rescoreCompanyContacts(trx, workspaceId, playbook, now, [id]);
        await startHandoffs(trx, workspaceId, playbook, now, qualifiedBy(outcome));
      }
      return ok(id);
    }),
  );
  if (!saved.ok) return saved;
  const company = await getCompany(deps.db, workspaceId, saved.value);
  if (!company) throw new Error('company vanished after save');
  return ok(company);
}
