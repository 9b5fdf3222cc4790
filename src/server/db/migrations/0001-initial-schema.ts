import { type Kysely, sql } from 'kysely';

/**
 * The foundation schema. Every table carries workspace_id first in its key so that the
 * schema can later be distributed by workspace (SPEC §9). Scores are integer centi-points.
 */
const STATEMENTS = `
    create table workspaces (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      created_at timestamptz not null default now()
    );

    create table api_keys (
      workspace_id uuid not null references workspaces (id),
      id uuid not null default gen_random_uuid(),
      kind text not null check (kind in ('secret', 'write')),
      name text not null,
      prefix text not null,
      secret_hash text not null,
      scopes text[] not null default '{}',
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      primary key (workspace_id, id)
    );
    create unique index api_keys_secret_hash on api_keys (secret_hash);

    create table playbook_versions (
      workspace_id uuid not null references workspaces (id),
      version integer not null,
      name text not null,
      source text not null,
      document jsonb not null,
      published_at timestamptz not null default now(),
      published_by text not null,
      primary key (workspace_id, version)
    );

    create table companies (
      workspace_id uuid not null references workspaces (id),
      id uuid not null default gen_random_uuid(),
      domain text,
      group_id text,
      name text,
      industry text,
      employees integer,
      annual_revenue double precision,
      founded_year integer,
      country text,
      owner text,
      properties jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );
    create unique index companies_domain on companies (workspace_id, domain) where domain is not null;
    create unique index companies_group_id on companies (workspace_id, group_id) where group_id is not null;

    create table contacts (
      workspace_id uuid not null references workspaces (id),
      id uuid not null default gen_random_uuid(),
      email text,
      user_id text,
      first_name text,
      last_name text,
      job_title text,
      seniority text,
      role text,
      phone text,
      country text,
      company_id uuid,
      properties jsonb not null default '{}',
      stage text not null default 'lead',
      owner text,
      fit integer not null default 0,
      engagement integer not null default 0,
      score integer not null default 0,
      grade text not null default 'D',
      temperature text not null default 'cold',
      predicted double precision,
      playbook_version integer,
      scored_at timestamptz,
      engagement_state jsonb not null default '{"rules":{}}',
      nurture_until timestamptz,
      re_mql_count integer not null default 0,
      stage_entered_at jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      foreign key (workspace_id, company_id) references companies (workspace_id, id)
    );
    create unique index contacts_email on contacts (workspace_id, email) where email is not null;
    create unique index contacts_user_id on contacts (workspace_id, user_id) where user_id is not null;
    create index contacts_by_score on contacts (workspace_id, score desc, id);
    create index contacts_by_stage on contacts (workspace_id, stage, score desc, id);
    create index contacts_by_company on contacts (workspace_id, company_id);

    create table anonymous_ids (
      workspace_id uuid not null references workspaces (id),
      anonymous_id text not null,
      contact_id uuid not null,
      linked_at timestamptz not null default now(),
      primary key (workspace_id, anonymous_id)
    );

    create table events (
      workspace_id uuid not null references workspaces (id),
      id bigint generated always as identity,
      message_id text not null,
      type text not null,
      name text,
      contact_id uuid,
      anonymous_id text,
      user_id text,
      properties jsonb not null default '{}',
      context jsonb not null default '{}',
      source text,
      occurred_at timestamptz not null,
      received_at timestamptz not null,
      primary key (workspace_id, id)
    );
    create unique index events_message_id on events (workspace_id, message_id);
    create index events_by_contact on events (workspace_id, contact_id, occurred_at) where contact_id is not null;
    create index events_unattributed on events (workspace_id, anonymous_id) where contact_id is null;

    create table quarantine (
      workspace_id uuid not null references workspaces (id),
      id bigint generated always as identity,
      received_at timestamptz not null,
      reason text not null,
      payload jsonb not null,
      primary key (workspace_id, id)
    );

    create table stage_history (
      workspace_id uuid not null references workspaces (id),
      id bigint generated always as identity,
      contact_id uuid not null,
      from_stage text,
      to_stage text not null,
      at timestamptz not null,
      actor text not null,
      transition text not null,
      rule text,
      reason text,
      playbook_version integer,
      score_snapshot jsonb,
      primary key (workspace_id, id)
    );
    create index stage_history_by_contact on stage_history (workspace_id, contact_id, id);

    create table rescore_runs (
      workspace_id uuid not null references workspaces (id),
      id uuid not null default gen_random_uuid(),
      playbook_version integer not null,
      status text not null check (status in ('running', 'done')),
      cursor uuid,
      processed integer not null default 0,
      total integer not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (workspace_id, id)
    );
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One statement per query: PGlite's extended protocol takes one command at a time.
  for (const statement of STATEMENTS.split(/;\s*\n/)) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
}
