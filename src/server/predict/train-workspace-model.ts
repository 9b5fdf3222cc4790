import { sql } from 'kysely';
import { createSplitRandom } from '../../core/predict/create-split-random.ts';
import { evaluateTraining } from '../../core/predict/evaluate-training.ts';
import type { TrainingRow } from '../../core/predict/infer-columns.ts';
import type { ModelReportView } from '../../core/predict/prediction-view.ts';
import type { TrainedModel } from '../../core/predict/trained-model.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { isUniqueViolation, withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import {
  chooseLayout,
  type FeatureLayout,
  type FeatureTarget,
  loadContactFeatures,
  type RawFeatures,
  RECORDED_AFTER_HANDOFF,
  toTrainingRow,
} from './load-contact-features.ts';
import { loadTrainingSet } from './load-training-set.ts';

/** What a version keeps to score contacts later: the model and the columns it reads. */
export interface StoredModel {
  trained: TrainedModel;
  layout: FeatureLayout;
}

export interface TrainedVersion {
  version: number;
  report: ModelReportView;
  model: StoredModel;
}

export interface RefusedVersion {
  version: number;
  refusal: Failure<string>;
}

const BATCH = 1_000;

/** Features of many contacts, a thousand at a time. */
export async function loadFeaturesInBatches(
  db: Db,
  workspaceId: string,
  targets: readonly FeatureTarget[],
): Promise<RawFeatures[]> {
  const features: RawFeatures[] = [];
  for (let start = 0; start < targets.length; start += BATCH) {
    const batch = targets.slice(start, start + BATCH);
    const loaded = new Map(
      (await loadContactFeatures(db, workspaceId, batch)).map((feature) => [feature.contactId, feature]),
    );
    for (const target of batch) {
      const feature = loaded.get(target.contactId);
      if (feature) features.push(feature);
    }
  }
  return features;
}

async function storeVersion(
  db: Db,
  workspaceId: string,
  now: number,
  values: {
    status: 'trained' | 'refused';
    outcomes: number;
    positives: number;
    message: string | null;
    report: unknown;
    model: unknown;
  },
): Promise<number> {
  return withRetry(
    async () => {
      const result = await sql<{ version: number }>`
        insert into predictive_models (workspace_id, version, status, trained_at, outcomes, positives, message, report, model)
        select ${workspaceId}, coalesce(max(version), 0) + 1, ${values.status}, ${new Date(now)}, ${values.outcomes},
          ${values.positives}, ${values.message}, ${values.report === null ? null : JSON.stringify(values.report)}::jsonb,
          ${values.model === null ? null : JSON.stringify(values.model)}::jsonb
        from predictive_models where workspace_id = ${workspaceId}
        having ${values.status} = 'trained' or not exists (
          select 1 from (
            select status, outcomes, positives from predictive_models
            where workspace_id = ${workspaceId} order by version desc limit 1
          ) latest
          where latest.status = 'refused' and latest.outcomes = ${values.outcomes} and latest.positives = ${values.positives})
        returning version`.execute(db);
      const stored = result.rows[0];
      if (stored) return Number(stored.version);
      // A refusal repeats daily until outcomes come in: the run already stored says it.
      const latest = await sql<{ version: number }>`
        select max(version) as version from predictive_models where workspace_id = ${workspaceId}`.execute(db);
      return Number(latest.rows[0]?.version);
    },
    4,
    (error) => isUniqueViolation(error, 'predictive_models_pkey'),
  );
}

/**
 * Trains the workspace's model on its known outcomes (docs/predictive.md) and stores the
 * run as the next version: the model and its report, or why it refused. Deterministic for
 * the same data (the splits are seeded).
 */
export async function trainWorkspaceModel(
  db: Db,
  workspaceId: string,
  now: number,
): Promise<Result<TrainedVersion, RefusedVersion>> {
  const targets = await loadTrainingSet(db, workspaceId);
  const features = await loadFeaturesInBatches(db, workspaceId, targets);
  const layout = chooseLayout(features);
  const labelOf = new Map(targets.map((target) => [target.contactId, target]));
  const rows: TrainingRow[] = features.map((feature) => toTrainingRow(feature, layout));
  const labels = features.map((feature) => labelOf.get(feature.contactId)?.label ?? 0);
  const positives = labels.filter((label) => label === 1).length;
  const result = evaluateTraining({
    rows,
    labels,
    columns: Object.keys(rows[0] ?? {}),
    times: features.map((feature) => labelOf.get(feature.contactId)?.decidedAt.getTime() ?? null),
    recordedAfterHandoff: RECORDED_AFTER_HANDOFF,
    random: createSplitRandom(1),
  });
  if (!result.ok) {
    const version = await storeVersion(db, workspaceId, now, {
      status: 'refused',
      outcomes: rows.length,
      positives,
      message: result.error.message,
      report: null,
      model: null,
    });
    return err({ version, refusal: result.error });
  }
  const { model: trained, outOfFold: _, ...report } = result.value;
  const model: StoredModel = { trained, layout };
  const version = await storeVersion(db, workspaceId, now, {
    status: 'trained',
    outcomes: rows.length,
    positives,
    message: null,
    report,
    model,
  });
  return ok({ version, report, model });
}
