import { type Kysely, sql } from 'kysely';

/**
 * Email engagement from providers' webhooks: the contact fields a hard bounce, a complaint or
 * an unsubscribe sets, and each workspace's email providers (the token that authenticates
 * their webhooks, stored as a hash, and the provider's signing settings).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table contacts add column email_status text`.execute(db);
  await sql`alter table contacts add column email_consent text`.execute(db);
  await sql`
    create table email_sources (
      workspace_id uuid not null references workspaces (id),
      provider text not null,
      token_hash text not null unique,
      settings jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, provider)
    )`.execute(db);
}
