import { sql } from 'kysely';
import type { ModelReportView, ModelRunView, PredictionView } from '../../core/predict/prediction-view.ts';
import { explainPrediction } from '../../core/predict/trained-model.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { FEATURE_SET, FIRST_MQL_AT, loadContactFeatures, toTrainingRow } from './load-contact-features.ts';
import type { StoredModel } from './train-workspace-model.ts';
import { trainWorkspaceModel } from './train-workspace-model.ts';
import { writePredictions } from './write-predictions.ts';

interface ModelRow {
  version: number;
  status: 'trained' | 'refused';
  trained_at: Date;
  outcomes: number;
  positives: number;
  message: string | null;
  predicted: number;
  report: ModelReportView | null;
}

function toView(row: ModelRow): ModelRunView {
  return {
    version: row.version,
    status: row.status,
    trainedAt: new Date(row.trained_at).toISOString(),
    outcomes: row.outcomes,
    positives: row.positives,
    message: row.message,
    predicted: row.predicted,
    report: row.report,
  };
}

/** The latest run (trained or refused), or null before the first. */
export async function latestModelRun(db: Db, workspaceId: string): Promise<ModelRunView | null> {
  const result = await sql<ModelRow>`
    select version, status, trained_at, outcomes, positives, message, predicted, report from predictive_models
    where workspace_id = ${workspaceId} order by version desc limit 1`.execute(db);
  const row = result.rows[0];
  return row ? toView(row) : null;
}

/** The latest trained model that reads today's columns (FEATURE_SET): the one contacts are explained by. */
export async function latestTrainedModel(
  db: Db,
  workspaceId: string,
): Promise<{ version: number; trainedAt: Date; model: StoredModel } | null> {
  const result = await sql<{ version: number; trained_at: Date; model: StoredModel }>`
    select version, trained_at, model from predictive_models
    where workspace_id = ${workspaceId} and status = 'trained'
      and (model->'layout'->>'featureSet')::integer = ${FEATURE_SET}
    order by version desc limit 1`.execute(db);
  const row = result.rows[0];
  return row ? { version: row.version, trainedAt: new Date(row.trained_at), model: row.model } : null;
}

/** Trains a new version and, when it trained, writes its probabilities onto every contact. */
export async function retrainAndPredict(deps: ServiceDeps, workspaceId: string, now: number) {
  const trained = await trainWorkspaceModel(deps.db, workspaceId, now);
  if (!trained.ok) return { version: trained.error.version, refused: trained.error.refusal.message, written: null };
  const playbook = await deps.playbooks.active(workspaceId);
  const written = await writePredictions(
    deps.db,
    workspaceId,
    trained.value.version,
    trained.value.model,
    now,
    playbook,
  );
  return { version: trained.value.version, refused: null, written };
}

/** Why the model gives a contact its probability, factor by factor. */
export async function explainContactPrediction(
  db: Db,
  workspaceId: string,
  contactId: string,
  now: number,
): Promise<Result<PredictionView, Failure<'not-found' | 'no-model'>>> {
  const contact = await sql<{ predicted: number | null; predicted_version: number | null; first_mql_at: Date | null }>`
    select c.predicted, c.predicted_version, ${FIRST_MQL_AT} as first_mql_at
    from contacts c where c.workspace_id = ${workspaceId} and c.id = ${contactId}`.execute(db);
  const row = contact.rows[0];
  if (!row) return err({ kind: 'not-found', message: `no contact ${contactId} in this workspace` });
  const latest = await latestTrainedModel(db, workspaceId);
  if (!latest)
    return err({
      kind: 'no-model',
      message: 'no predictive model is trained yet: train one (POST /api/predictive/train or `ripen train`)',
    });
  const asOf = row.first_mql_at ? new Date(row.first_mql_at) : new Date(now);
  const [features] = await loadContactFeatures(db, workspaceId, [{ contactId, asOf }]);
  if (!features) return err({ kind: 'not-found', message: `no contact ${contactId} in this workspace` });
  const values = toTrainingRow(features, latest.model.layout);
  const explained = explainPrediction(latest.model.trained, values);
  return ok({
    contactId,
    version: latest.version,
    trainedAt: latest.trainedAt.toISOString(),
    probability: explained.probability,
    stored: { probability: row.predicted, version: row.predicted_version },
    logOdds: explained.logOdds,
    baseline: 1 / (1 + Math.exp(-explained.baselineLogOdds)),
    baselineLogOdds: explained.baselineLogOdds,
    factors: explained.factors.map((factor) => ({ ...factor, value: values[factor.column] ?? null })),
    asOf: asOf.toISOString(),
  });
}
