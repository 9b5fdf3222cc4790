import { type Kysely, sql } from 'kysely';

/**
 * Asynchronous scoring and background work. Ingestion acknowledges once events and
 * identities are committed and leaves a `score_queue` row per touched contact (or changed
 * company) in the same transaction; the scoring worker folds them in batches. `jobs` is the
 * general queue (sweeps, webhook delivery) with retries and visible failures.
 */
const STATEMENTS = `
    create table score_queue (
      workspace_id uuid not null references workspaces (id),
      id bigint generated always as identity,
      contact_id uuid,
      company_id uuid,
      message_ids text[] not null default '{}',
      queued_at timestamptz not null default now(),
      primary key (workspace_id, id),
      check (contact_id is not null or company_id is not null)
    );
    create index score_queue_order on score_queue (id);
    create index score_queue_by_contact on score_queue (workspace_id, contact_id) where contact_id is not null;

    create table jobs (
      workspace_id uuid not null references workspaces (id),
      id bigint generated always as identity,
      kind text not null,
      payload jsonb not null default '{}',
      dedupe_key text,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      run_at timestamptz not null,
      attempts integer not null default 0,
      max_attempts integer not null default 10,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (workspace_id, id)
    );
    create unique index jobs_dedupe on jobs (workspace_id, kind, dedupe_key) where dedupe_key is not null;
    create index jobs_due on jobs (run_at, id) where status in ('queued', 'running');
    create index jobs_failed on jobs (workspace_id, id) where status = 'failed'
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS.split(/;\s*\n/)) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
}
