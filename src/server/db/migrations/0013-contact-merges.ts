import { type Kysely, sql } from 'kysely';

/**
 * Explicit merges of two contacts (docs/identity.md):
 * - `contact_merges`: who merged which contact into which, when and why; the merged contact
 *   as it was (its row, engagement state, stage history, hand-offs and consents) and what
 *   moved to the survivor (events, devices, outcomes, aliases), so that the merge can be undone;
 * - `contact_aliases`: the merged contact's email and user id, which now name the survivor:
 *   ingestion's identity look-up and the API consult them, so that later events naming the
 *   merged person reach the survivor instead of making the person again.
 * Both hold personal data: erasing the survivor (or the merged contact after an undo) deletes them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table contact_merges (
      workspace_id uuid not null references workspaces (id),
      id uuid not null default gen_random_uuid(),
      survivor_id uuid not null,
      merged_id uuid not null,
      reason text not null,
      merged_by text not null,
      merged_at timestamptz not null,
      snapshot jsonb not null,
      moved jsonb not null,
      undone_by text,
      undone_at timestamptz,
      primary key (workspace_id, id)
    )`.execute(db);
  await sql`create index contact_merges_survivor on contact_merges (workspace_id, survivor_id, merged_at)`.execute(db);
  await sql`create index contact_merges_merged on contact_merges (workspace_id, merged_id)`.execute(db);
  await sql`
    create table contact_aliases (
      workspace_id uuid not null references workspaces (id),
      kind text not null check (kind in ('email', 'user')),
      value text not null,
      contact_id uuid not null,
      merge_id uuid not null,
      primary key (workspace_id, kind, value)
    )`.execute(db);
  await sql`create index contact_aliases_contact on contact_aliases (workspace_id, contact_id)`.execute(db);
}
