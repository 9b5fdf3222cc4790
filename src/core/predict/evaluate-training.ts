import { err, type Failure, ok, type Result } from '../result.ts';
import { findLeaks, type Leak } from './find-leaks.ts';
import { inferColumns, type SkippedColumn, type TrainingRow, type UsableColumn } from './infer-columns.ts';
import { type ModelMeasures, measureAuc, measureLogLoss, measureModel } from './measure-model.ts';
import { assignFolds, splitByFold, splitByTime } from './split-rows.ts';
import { type ModelFactor, predictRow, rankFactors, type TrainedModel, trainModel } from './trained-model.ts';

export const MIN_OUTCOMES = 100;
export const MIN_POSITIVES = 20;
const FOLDS = 5;
/** Penalties tried by cross-validation; inputs are standardised or one-hot, so one grid fits all. */
const L2_GRID = [1, 10, 100];
const OUT_OF_TIME_SHARE = 0.2;

export interface TrainingInput {
  rows: readonly TrainingRow[];
  /** 1 for a positive outcome (won), 0 for a negative one, per row. */
  labels: ArrayLike<number>;
  /** The columns offered as features. */
  columns: readonly string[];
  /** When each row happened (ms), for the out-of-time split; null where unknown. */
  times?: readonly (number | null)[] | null;
  /** Columns known to be written after the lead reached sales: left out as leaks. */
  recordedAfterHandoff?: readonly string[];
  /** Columns to keep even when flagged as leaks. */
  force?: readonly string[];
  random: () => number;
  /** Told as each stage starts, for a progress line: training a large file takes a while. */
  onStage?: (stage: 'leaks' | 'cross-validation' | 'out-of-time' | 'final-model') => void;
}

export interface TrainingReport {
  rows: number;
  positives: number;
  baseRate: number;
  columns: UsableColumn[];
  skipped: SkippedColumn[];
  leaks: (Leak & { forced: boolean })[];
  l2: number;
  crossValidation: { folds: number; auc: number; aucByFold: number[]; logLoss: number };
  holdout: ModelMeasures;
  outOfTime: (ModelMeasures & { trainedThrough: number; testedFrom: number }) | null;
  factors: ModelFactor[];
  model: TrainedModel;
  /** Each row's probability from the fold model that did not see it. */
  outOfFold: number[];
}

export type TrainingRefusal = Failure<'too_few_outcomes' | 'too_few_positives' | 'no_usable_columns'>;

function count(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let index = 0; index < labels.length; index += 1) if (labels[index] === 1) positives += 1;
  return positives;
}

/** Why these outcomes are too few to learn from; null when they are enough. */
export function refuseTraining(labels: ArrayLike<number>): TrainingRefusal | null {
  const positives = count(labels);
  const outcomes = labels.length;
  const negatives = outcomes - positives;
  if (outcomes < MIN_OUTCOMES)
    return {
      kind: 'too_few_outcomes',
      message: `${outcomes} known outcomes; training needs at least ${MIN_OUTCOMES} (won and lost together). Record more outcomes or import them from your CRM first.`,
    };
  if (positives < MIN_POSITIVES || negatives < MIN_POSITIVES)
    return {
      kind: 'too_few_positives',
      message: `${positives} positive and ${negatives} negative outcomes; training needs at least ${MIN_POSITIVES} of each to tell them apart.`,
    };
  return null;
}

function crossValidate(input: TrainingInput, columns: readonly UsableColumn[], folds: Int32Array, l2: number) {
  const outOfFold = new Array<number>(input.rows.length).fill(0);
  const aucByFold: number[] = [];
  for (let fold = 0; fold < FOLDS; fold += 1) {
    const { train, test } = splitByFold(folds, fold);
    const model = trainModel(
      train.map((index) => input.rows[index]!),
      train.map((index) => input.labels[index]!),
      columns,
      l2,
    );
    for (const index of test) outOfFold[index] = predictRow(model, input.rows[index]!);
    aucByFold.push(
      measureAuc(
        test.map((index) => outOfFold[index]!),
        test.map((index) => input.labels[index]!),
      ),
    );
  }
  const auc = aucByFold.reduce((sum, value) => sum + value, 0) / FOLDS;
  return { l2, auc, aucByFold, outOfFold, logLoss: measureLogLoss(outOfFold, input.labels) };
}

function measureOutOfTime(input: TrainingInput, columns: readonly UsableColumn[], l2: number) {
  if (!input.times) return null;
  const { train, test } = splitByTime(input.times, OUT_OF_TIME_SHARE);
  const labelsOf = (indexes: number[]) => indexes.map((index) => input.labels[index]!);
  const testPositives = count(labelsOf(test));
  if (count(labelsOf(train)) === 0 || testPositives === 0 || testPositives === test.length) return null;
  const model = trainModel(
    train.map((index) => input.rows[index]!),
    labelsOf(train),
    columns,
    l2,
  );
  const predicted = test.map((index) => predictRow(model, input.rows[index]!));
  return {
    ...measureModel(predicted, labelsOf(test)),
    trainedThrough: input.times[train[train.length - 1]!]!,
    testedFrom: input.times[test[0]!]!,
  };
}

/**
 * The whole training run: checks there is enough to learn from, drops columns that leak
 * the outcome, picks the penalty by 5-fold stratified cross-validation, reports the
 * held-out fold (trained on the other four), an out-of-time split (latest fifth) when
 * times are known, and the strongest factors of the final model fitted on every row.
 */
export function evaluateTraining(input: TrainingInput): Result<TrainingReport, TrainingRefusal> {
  const positives = count(input.labels);
  const refusal = refuseTraining(input.labels);
  if (refusal) return err(refusal);
  const inferred = inferColumns(input.rows, input.columns);
  const force = new Set(input.force ?? []);
  const afterHandoff = new Set(input.recordedAfterHandoff ?? []);
  const folds = assignFolds(input.labels, FOLDS, input.random);
  const { train, test } = splitByFold(folds, 0);
  const leaks: Leak[] = inferred.usable
    .filter((column) => afterHandoff.has(column.name))
    .map((column) => ({
      column: column.name,
      reason: 'post-handoff',
      ownAuc: null,
      aucLoss: null,
      message: `\`${column.name}\` is recorded after the lead was handed to sales`,
    }));
  const candidates = inferred.usable.filter((column) => !afterHandoff.has(column.name));
  input.onStage?.('leaks');
  leaks.push(
    ...findLeaks({ rows: input.rows, labels: input.labels, columns: candidates, train, test, l2: L2_GRID[0]! }),
  );
  const columns = inferred.usable.filter(
    (column) => force.has(column.name) || !leaks.some((leak) => leak.column === column.name),
  );
  if (columns.length === 0)
    return err({
      kind: 'no_usable_columns',
      message: 'no column is left to learn from: offer columns known before the outcome, or force a flagged one',
    });
  input.onStage?.('cross-validation');
  const runs = L2_GRID.map((l2) => crossValidate(input, columns, folds, l2));
  const best = runs.reduce((chosen, run) => (run.logLoss < chosen.logLoss ? run : chosen));
  input.onStage?.('out-of-time');
  const outOfTime = measureOutOfTime(input, columns, best.l2);
  input.onStage?.('final-model');
  const model = trainModel(input.rows, input.labels, columns, best.l2);
  return ok({
    rows: input.rows.length,
    positives,
    baseRate: positives / input.rows.length,
    columns,
    skipped: inferred.skipped,
    leaks: leaks.map((leak) => ({ ...leak, forced: force.has(leak.column) })),
    l2: best.l2,
    crossValidation: { folds: FOLDS, auc: best.auc, aucByFold: best.aucByFold, logLoss: best.logLoss },
    holdout: measureModel(
      test.map((index) => best.outOfFold[index]!),
      test.map((index) => input.labels[index]!),
    ),
    outOfTime,
    factors: rankFactors(model, input.rows),
    model,
    outOfFold: best.outOfFold,
  });
}
