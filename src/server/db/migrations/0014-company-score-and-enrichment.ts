import { type Kysely, sql } from 'kysely';

/**
 * Companies as accounts (docs/companies.md):
 * - the profile fields the company score reads: ad spend, share capital, VAT number, public
 *   funding received, review rating and count, social profiles, website technologies;
 * - the company score written by scoring (`score`, centi-points, null until the playbook has a
 *   `company` section), with its rolled-up engagement and how many of its contacts are engaged;
 *   `company_score_queue` holds the companies whose contacts were scored, for the scoring worker
 *   to roll up in a transaction of its own (contacts are locked before companies nowhere else);
 * - enrichment: each company's state (`enrichment_status` null = not tried yet, `retry`, `done`,
 *   `not-found`, `failed`, `skipped`), its attempts and when it is due again; the answers kept
 *   per domain (`enrichment_cache`); the workspace's endpoint settings (`workspaces.enrichment`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table companies
      add column ad_spend double precision,
      add column share_capital double precision,
      add column vat_number text,
      add column public_funding double precision,
      add column review_rating double precision,
      add column review_count integer,
      add column social_profiles text,
      add column technologies text,
      add column score integer,
      add column engagement integer not null default 0,
      add column engaged_contacts integer not null default 0,
      add column scored_version integer,
      add column enrichment_status text,
      add column enrichment_attempts integer not null default 0,
      add column enrichment_due_at timestamptz,
      add column enriched_at timestamptz`.execute(db);
  await sql`create index companies_to_enrich on companies (workspace_id, enrichment_due_at)
    where enrichment_status is null or enrichment_status = 'retry'`.execute(db);
  await sql`create index companies_by_score on companies (workspace_id, score desc nulls last, id)`.execute(db);
  await sql`
    create table enrichment_cache (
      workspace_id uuid not null references workspaces (id),
      domain text not null,
      status text not null check (status in ('found', 'not-found')),
      traits jsonb not null default '{}',
      fetched_at timestamptz not null,
      primary key (workspace_id, domain)
    )`.execute(db);
  await sql`
    create table company_score_queue (
      workspace_id uuid not null,
      id bigint generated always as identity,
      company_id uuid not null,
      primary key (workspace_id, id)
    )`.execute(db);
  await sql`alter table workspaces add column enrichment jsonb not null default '{}'`.execute(db);
}
