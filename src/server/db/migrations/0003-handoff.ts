import { type Kysely, sql } from 'kysely';

/**
 * Hand-off to sales: who a key acts for (roles), rep availability, routing rotations, the
 * SLA clock per hand-off, outcomes, and the webhook outbox (endpoints, messages written in
 * the same transaction as the change they announce, and one delivery row per endpoint).
 */
const STATEMENTS = `
    alter table api_keys add column role text not null default 'admin' check (role in ('admin', 'manager', 'rep'));
    alter table api_keys add column user_id text;

    alter table contacts add column team_id text;
    alter table contacts add column qualification jsonb not null default '{}';
    alter table contacts add column nurture_track text;
    create index contacts_by_owner on contacts (workspace_id, owner, stage) where owner is not null;

    create table rep_availability (
      workspace_id uuid not null references workspaces (id),
      rep_id text not null,
      available boolean not null,
      until timestamptz,
      updated_at timestamptz not null default now(),
      primary key (workspace_id, rep_id)
    );

    create table routing_rotations (
      workspace_id uuid not null references workspaces (id),
      team_id text not null,
      state jsonb not null default '{"current":{}}',
      picks bigint not null default 0,
      primary key (workspace_id, team_id)
    );

    create table handoffs (
      workspace_id uuid not null references workspaces (id),
      id uuid not null default gen_random_uuid(),
      contact_id uuid not null,
      owner text not null,
      team_id text,
      status text not null default 'open' check (status in ('open', 'touched', 'closed')),
      closed_reason text,
      qualified_at timestamptz not null,
      warn_at timestamptz not null,
      due_at timestamptz not null,
      warned_at timestamptz,
      breached_at timestamptz,
      escalation_step integer not null default 0,
      next_escalation_at timestamptz,
      first_touch_at timestamptz,
      touch_channel text,
      created_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );
    create unique index handoffs_one_open on handoffs (workspace_id, contact_id) where status = 'open';
    create index handoffs_warn_due on handoffs (warn_at) where status = 'open' and warned_at is null;
    create index handoffs_breach_due on handoffs (due_at) where status = 'open' and breached_at is null;
    create index handoffs_escalation_due on handoffs (next_escalation_at) where status = 'open';
    create index handoffs_by_contact on handoffs (workspace_id, contact_id, created_at);

    create table outcomes (
      workspace_id uuid not null references workspaces (id),
      id uuid not null default gen_random_uuid(),
      contact_id uuid not null,
      kind text not null check (kind in ('opportunity', 'won', 'lost')),
      reason text,
      amount double precision,
      currency text,
      external_id text,
      at timestamptz not null,
      actor text not null,
      created_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );
    create unique index outcomes_external_id on outcomes (workspace_id, external_id, kind) where external_id is not null;
    create index outcomes_by_contact on outcomes (workspace_id, contact_id, at);

    create table webhook_endpoints (
      workspace_id uuid not null references workspaces (id),
      id uuid not null default gen_random_uuid(),
      url text not null,
      description text,
      secret text not null,
      event_types text[] not null default '{}',
      enabled boolean not null default true,
      disabled_reason text,
      failing_since timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );

    create table webhook_messages (
      workspace_id uuid not null references workspaces (id),
      id text not null,
      seq bigint generated always as identity,
      type text not null,
      payload jsonb not null,
      created_at timestamptz not null,
      primary key (workspace_id, id)
    );

    create table webhook_deliveries (
      workspace_id uuid not null references workspaces (id),
      id bigint generated always as identity,
      message_id text not null,
      endpoint_id uuid not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'gone')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      first_attempt_at timestamptz,
      last_attempt_at timestamptz,
      last_status integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );
    create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
    create index webhook_deliveries_by_endpoint on webhook_deliveries (workspace_id, endpoint_id, id);
    create index webhook_deliveries_by_message on webhook_deliveries (workspace_id, message_id)
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS.split(/;\s*\n/)) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
}
