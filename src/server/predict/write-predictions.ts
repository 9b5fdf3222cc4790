import { sql } from 'kysely';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { predictRow } from '../../core/predict/trained-model.ts';
import { jsonRows, withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { FIRST_MQL_AT, loadContactFeatures, toTrainingRow } from './load-contact-features.ts';
import type { StoredModel } from './train-workspace-model.ts';

const PAGE = 500;

/** Whether any MQL criterion reads `predicted`: then a changed probability can qualify a lead. */
export function criteriaReadPrediction(playbook: CompiledPlaybook | null): boolean {
  return playbook !== null && /\bpredicted\b/.test(JSON.stringify(playbook.document.mql.criteria));
}

/**
 * Each contact's moment: its first move into `mql` (a lead's probability is fixed when
 * sales gets it, as the model learnt), or now for those sales never got.
 */
async function nextPage(db: Db, workspaceId: string, after: string | null) {
  const result = await sql<{ id: string; first_mql_at: Date | null }>`
    select c.id, ${FIRST_MQL_AT} as first_mql_at
    from contacts c
    where c.workspace_id = ${workspaceId} ${after === null ? sql`` : sql`and c.id > ${after}`}
    order by c.id
    limit ${PAGE}`.execute(db);
  return result.rows;
}

/**
 * Writes a model version's probability onto every contact, a page at a time (keyset by id),
 * only where it changed; leads that could now qualify are queued for scoring when an MQL
 * criterion reads `predicted`. Returns how many contacts were scored and changed.
 */
export async function writePredictions(
  db: Db,
  workspaceId: string,
  version: number,
  model: StoredModel,
  now: number,
  playbook: CompiledPlaybook | null,
): Promise<{ scored: number; changed: number }> {
  const requalify = criteriaReadPrediction(playbook);
  let after: string | null = null;
  let scored = 0;
  let changed = 0;
  for (;;) {
    const page = await nextPage(db, workspaceId, after);
    if (page.length === 0) break;
    after = page[page.length - 1]?.id ?? null;
    const features = await loadContactFeatures(
      db,
      workspaceId,
      page.map((row) => ({ contactId: row.id, asOf: row.first_mql_at ? new Date(row.first_mql_at) : new Date(now) })),
    );
    const rows = features.map((feature) => ({
      id: feature.contactId,
      p: Math.round(predictRow(model.trained, toTrainingRow(feature, model.layout)) * 1e6) / 1e6,
    }));
    scored += rows.length;
    const updated = await withRetry(async () => {
      const result = await sql<{ id: string; stage: string }>`
        update contacts c set predicted = v.p, predicted_version = ${version}
        from jsonb_to_recordset(${jsonRows(rows)}) as v(id uuid, p double precision)
        where c.workspace_id = ${workspaceId} and c.id = v.id
          and (c.predicted is distinct from v.p or c.predicted_version is distinct from ${version})
        returning c.id, c.stage`.execute(db);
      return result.rows;
    });
    changed += updated.length;
    const qualifiable = updated.filter((row) => row.stage === 'lead' || row.stage === 'recycled').map((row) => row.id);
    if (requalify && qualifiable.length > 0)
      await sql`insert into score_queue (workspace_id, contact_id, message_ids)
        select ${workspaceId}, id, '{}' from unnest(${qualifiable}::uuid[]) as id`.execute(db);
  }
  await sql`update predictive_models set predicted = ${scored}
    where workspace_id = ${workspaceId} and version = ${version}`.execute(db);
  return { scored, changed };
}
