import { type Kysely, sql } from 'kysely';

/**
 * People who sign in to the web app: users with a role, their server-side sessions (only a
 * hash of the session id is stored, as for API keys), failed sign-ins for throttling, and the
 * audit log of who did what (no workspace for a failed sign-in with an unknown email).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      workspace_id uuid not null references workspaces (id),
      id uuid primary key default gen_random_uuid(),
      email text not null,
      role text not null check (role in ('admin', 'marketing', 'manager', 'rep', 'viewer')),
      password_hash text not null,
      created_at timestamptz not null default now(),
      password_changed_at timestamptz not null default now(),
      removed_at timestamptz
    )`.execute(db);
  // A person signs in with an email alone, so an email names one user on the whole server.
  await sql`create unique index users_email on users (email) where removed_at is null`.execute(db);
  await sql`
    create table sessions (
      id_hash text primary key,
      workspace_id uuid not null references workspaces (id),
      user_id uuid not null references users (id),
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index sessions_user on sessions (user_id)`.execute(db);
  await sql`
    create table sign_in_failures (
      key text not null,
      at timestamptz not null
    )`.execute(db);
  await sql`create index sign_in_failures_key on sign_in_failures (key, at)`.execute(db);
  await sql`
    create table audit_log (
      workspace_id uuid references workspaces (id),
      id bigint generated always as identity primary key,
      at timestamptz not null,
      actor text not null,
      action text not null,
      target text,
      details jsonb not null default '{}',
      ip text
    )`.execute(db);
  await sql`create index audit_log_time on audit_log (workspace_id, at desc)`.execute(db);
}
