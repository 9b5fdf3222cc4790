import { type Kysely, sql } from 'kysely';

/**
 * Predictive scoring (docs/predictive.md):
 * - `predictive_models`: each training run of a workspace, numbered; a trained model keeps
 *   its report (measures, factors, leaks) and its coefficients and encodings as JSON, a
 *   refused run keeps why. No per-contact data: category levels rarer than a few rows are
 *   pooled before they reach a model.
 * - `contacts.predicted_version`: the model version that wrote `contacts.predicted`, and an
 *   index for the lead list's order by probability.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table predictive_models (
      workspace_id uuid not null references workspaces (id),
      version integer not null,
      status text not null check (status in ('trained', 'refused')),
      trained_at timestamptz not null,
      outcomes integer not null,
      positives integer not null,
      message text,
      report jsonb,
      model jsonb,
      predicted integer not null default 0,
      primary key (workspace_id, version)
    )`.execute(db);
  await sql`alter table contacts add column predicted_version integer`.execute(db);
  // The lead list's "most likely to win" order (contacts without a probability last).
  await sql`create index contacts_by_predicted on contacts (workspace_id, (coalesce(predicted, -1)) desc, id)`.execute(
    db,
  );
}
