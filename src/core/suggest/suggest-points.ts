import { refuseTraining, type TrainingRefusal } from '../predict/evaluate-training.ts';
import { fitLogisticRegression, type LogisticModel, sigmoid } from '../predict/fit-logistic-regression.ts';
import { measureAuc, measureLogLoss } from '../predict/measure-model.ts';
import { assignFolds, splitByFold } from '../predict/split-rows.ts';
import { err, type Failure, ok, type Result } from '../result.ts';
import type { RuleColumn } from './rule-features.ts';

/** Fewer leads than this matched a rule: its points stay as published (too little to learn from). */
export const MIN_RULE_LEADS = 20;
const FOLDS = 5;
/** Penalties tried by cross-validation on standardised columns. */
const L2_GRID = [1, 3, 10, 30, 100, 300];
/** Next to nothing: γ is one well-determined number, penalised only to stay finite on separable data. */
const GAMMA_L2 = 1e-3;
/** The schema's bounds on a rule's points. */
const POINTS_LIMIT = 1000;

export type RuleStatus = 'fitted' | 'never-matched' | 'too-few-leads' | 'every-lead';

export interface SuggestedRule {
  side: RuleColumn['side'];
  group: string;
  rule: string;
  label: string;
  published: number;
  /** Equal to `published` unless `status` is `fitted`. */
  suggested: number;
  status: RuleStatus;
  /** Training leads the rule gave points to. */
  leads: number;
  /** Share of those leads that were won; null when none. */
  wonShare: number | null;
  /** How the odds of a win change per unit of the rule (per match, or per fresh event): e^β; null unless fitted. */
  oddsRatio: number | null;
}

export interface PointsSuggestion {
  outcomes: number;
  won: number;
  rules: SuggestedRule[];
  /** How well each playbook's points (fit + engagement, before caps) rank the outcomes. */
  auc: {
    /** The published points, nothing fitted: measured on every outcome. */
    published: number;
    /** The model behind the suggestion, each outcome scored by a model trained without it (5 folds). */
    suggested: number;
  };
  l2: number;
  /** Points the published score needs for the odds of a win to grow e-fold (1 / γ). */
  pointsPerLogOdds: number;
  /** The factor each side's learned points were multiplied by to keep its average (1: unchanged). */
  rescale: { fit: number; engagement: number };
}

export type SuggestionRefusal = TrainingRefusal | Failure<'not-predictive'>;

export interface SuggestionInput {
  columns: readonly RuleColumn[];
  /** Per outcome, `ruleFeatures` of its score at hand-off. */
  rows: readonly Float64Array[];
  /** 1 won, 0 lost, per row. */
  labels: ArrayLike<number>;
  random: () => number;
}

/** A value as standard deviations from its column's mean (a constant column: from its mean). */
function standardise(value: number, column: { mean: number; sd: number }): number {
  return (value - column.mean) / (column.sd || 1);
}

/**
 * Point values learned from outcomes, starting from the published ones (docs/backtest.md,
 * "Suggested playbook"). A ridge logistic regression of won on the published score at hand-off
 * (fit + engagement points, before caps: coefficient γ) and on how much of each rule that score
 * held (coefficients δ): log-odds = α + γ·score + Σ δ·amount. The published points are the
 * model with every δ = 0, so the penalty pulls the suggestion towards them and only evidence
 * moves a rule away; a rule's suggestion is its points plus δ / γ, the log-odds its leads gained
 * or lost beyond their points, turned into points at the published score's own rate, stopped at
 * zero rather than changing sign (`keepSign`). Scores keep
 * their scale, so grade bands, temperature bands and MQL thresholds keep their meaning. The
 * penalty is chosen by 5-fold cross-validated log-loss. Rules matched by fewer than
 * `MIN_RULE_LEADS` leads, or by every lead alike, keep their points.
 */
export function suggestPoints(input: SuggestionInput): Result<PointsSuggestion, SuggestionRefusal> {
  const refusal = refuseTraining(input.labels);
  if (refusal) return err(refusal);
  const { columns, rows, labels } = input;
  const published = rows.map((row) => columns.reduce((sum, column, index) => sum + column.points * row[index]!, 0));
  const evidence = columns.map((_, index) =>
    describe(
      rows.map((row) => row[index]!),
      labels,
    ),
  );
  const fitted = evidence.flatMap((column, index) => (column.status === 'fitted' ? [index] : []));
  const score = describe(published, labels);
  const aucPublished = measureAuc(published, labels);
  // γ: the log-odds a point of the published score is worth, fitted on the score alone.
  const alone = fitLogisticRegression(
    published.map((value) => [standardise(value, score)]),
    labels,
    { l2: GAMMA_L2 },
  );
  const gamma = score.sd > 0 ? alone.coefficients[0]! / score.sd : 0;
  if (!(gamma > 1e-9)) {
    return err({
      kind: 'not-predictive',
      message: `the published points do not rank won leads above lost ones (AUC ${aucPublished.toFixed(2)}), so there is no rate to turn evidence into points: rework the rules by hand, or use the predictive score`,
    });
  }
  // δ: what each rule's leads won or lost beyond their points, the published score held fixed.
  const offsets = published.map((value) => gamma * value);
  const design = rows.map((row) => Float64Array.from(fitted, (index) => standardise(row[index]!, evidence[index]!)));
  const folds = assignFolds(labels, FOLDS, input.random);
  const runs = L2_GRID.map((l2) => crossValidate(design, labels, offsets, folds, l2));
  const best = runs.reduce((chosen, run) => (run.logLoss < chosen.logLoss ? run : chosen));
  const model = fitLogisticRegression(design, labels, { l2: best.l2, offsets });
  const delta = new Map(fitted.map((index, position) => [index, model.coefficients[position]! / evidence[index]!.sd]));
  const learned = new Map(
    [...delta].map(([index, adjustment]) => [index, keepSign(columns[index]!.points, adjustment / gamma)]),
  );
  const rescale = {
    fit: keepAverage(columns, evidence, learned, 'fit'),
    engagement: keepAverage(columns, evidence, learned, 'engagement'),
  };
  const rules = columns.map((column, index): SuggestedRule => {
    const adjustment = delta.get(index);
    const points = learned.get(index);
    return {
      side: column.side,
      group: column.group,
      rule: column.rule,
      label: column.label,
      published: column.points,
      suggested: points === undefined ? column.points : toPoints(points * rescale[column.side]),
      status: evidence[index]!.status,
      leads: evidence[index]!.leads,
      wonShare: evidence[index]!.wonShare,
      oddsRatio: adjustment === undefined ? null : Math.exp(gamma * column.points + adjustment),
    };
  });
  return ok({
    outcomes: labels.length,
    won: count(labels),
    rules,
    auc: { published: aucPublished, suggested: best.auc },
    l2: best.l2,
    pointsPerLogOdds: 1 / gamma,
    rescale,
  });
}

/**
 * A rule's points moved by `change`, never past zero: the outcomes of leads that reached sales
 * (chosen for scoring high) can say a rule matters less than its points, down to nothing, but not
 * that a buying signal counts against a lead, or a warning sign for it. A rule at 0 can gain
 * either way.
 */
function keepSign(points: number, change: number): number {
  const moved = points + change;
  if (points > 0) return Math.max(0, moved);
  if (points < 0) return Math.min(0, moved);
  return moved;
}

/** The most a side's learned points are stretched or shrunk to keep its average. */
const RESCALE_LIMIT = 2;

/**
 * The factor on one side's learned points that gives the average outcome the side's published
 * average (Σ points × mean amount over its fitted rules), so that grade bands, temperature bands
 * and MQL thresholds pass about as many leads; within [1/2, 2], and 1 when either average is not
 * positive.
 */
function keepAverage(
  columns: readonly RuleColumn[],
  evidence: ReadonlyArray<{ mean: number }>,
  learned: ReadonlyMap<number, number>,
  side: RuleColumn['side'],
): number {
  let published = 0;
  let suggested = 0;
  for (const [index, points] of learned) {
    if (columns[index]!.side !== side) continue;
    published += columns[index]!.points * evidence[index]!.mean;
    suggested += points * evidence[index]!.mean;
  }
  if (!(published > 0 && suggested > 0)) return 1;
  return Math.min(RESCALE_LIMIT, Math.max(1 / RESCALE_LIMIT, published / suggested));
}

/** A column's mean and spread, and the leads it is positive for: fitted, or why not. */
function describe(values: readonly number[], labels: ArrayLike<number>) {
  let leads = 0;
  let won = 0;
  let sum = 0;
  for (const [row, value] of values.entries()) {
    sum += value;
    if (value > 0) {
      leads += 1;
      if (labels[row] === 1) won += 1;
    }
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  const sd = Math.sqrt(squares / values.length);
  const status: RuleStatus =
    leads === 0 ? 'never-matched' : leads < MIN_RULE_LEADS ? 'too-few-leads' : sd < 1e-9 ? 'every-lead' : 'fitted';
  return { status, leads, wonShare: leads === 0 ? null : won / leads, mean, sd };
}

/** Whole points within the schema's bounds. */
function toPoints(value: number): number {
  const rounded = Math.round(value);
  // `Math.round(-0.4)` is -0, which YAML would print as "-0".
  return rounded === 0 ? 0 : Math.min(POINTS_LIMIT, Math.max(-POINTS_LIMIT, rounded));
}

function crossValidate(
  design: readonly Float64Array[],
  labels: ArrayLike<number>,
  offsets: readonly number[],
  folds: Int32Array,
  l2: number,
) {
  const outOfFold = new Array<number>(design.length).fill(0);
  let aucSum = 0;
  for (let fold = 0; fold < FOLDS; fold += 1) {
    const { train, test } = splitByFold(folds, fold);
    const model = fitLogisticRegression(
      train.map((index) => design[index]!),
      train.map((index) => labels[index]!),
      { l2, offsets: train.map((index) => offsets[index]!) },
    );
    for (const index of test) outOfFold[index] = sigmoid(offsets[index]! + logOdds(model, design[index]!));
    aucSum += measureAuc(
      test.map((index) => outOfFold[index]!),
      test.map((index) => labels[index]!),
    );
  }
  return { l2, auc: aucSum / FOLDS, logLoss: measureLogLoss(outOfFold, labels) };
}

function count(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let index = 0; index < labels.length; index += 1) if (labels[index] === 1) positives += 1;
  return positives;
}

function logOdds(model: LogisticModel, values: ArrayLike<number>): number {
  let eta = model.intercept;
  for (let index = 0; index < model.coefficients.length; index += 1) eta += model.coefficients[index]! * values[index]!;
  return eta;
}
