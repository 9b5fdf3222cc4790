import { type Kysely, sql } from 'kysely';

/**
 * Privacy (docs/privacy.md):
 * - `suppressions`: hashes of the identities of erased contacts (email, user id, anonymous
 *   ids), so that later events, imports and form fills naming them are dropped, not stored;
 * - `contact_consents`: consent per purpose, with when and through what it was given or withdrawn;
 * - `workspaces.privacy`: whether IP addresses are kept whole and how long events of each type are kept;
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table suppressions (
      workspace_id uuid not null references workspaces (id),
      hash text not null,
      kind text not null,
      created_at timestamptz not null default now(),
      primary key (workspace_id, hash)
    )`.execute(db);
  await sql`
    create table contact_consents (
      workspace_id uuid not null,
      contact_id uuid not null,
      purpose text not null,
      granted boolean not null,
      at timestamptz not null,
      source text not null,
      recorded_by text not null,
      primary key (workspace_id, contact_id, purpose),
      foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
    )`.execute(db);
  await sql`alter table workspaces add column privacy jsonb not null default '{}'`.execute(db);
}
