import { type ColumnEncoding, describeInputs, encodeRow, learnEncodings } from './encode-features.ts';
import { fitLogisticRegression, sigmoid } from './fit-logistic-regression.ts';
import type { TrainingRow, UsableColumn } from './infer-columns.ts';

/** Everything needed to score a row and explain the score; plain JSON, stored with a version. */
export interface TrainedModel {
  learner: 'logistic-regression';
  l2: number;
  encodings: ColumnEncoding[];
  inputs: { column: string; label: string }[];
  intercept: number;
  coefficients: number[];
  /** Each input's mean over the training rows: an input's effect is measured from it. */
  means: number[];
}

/** One column's push on a prediction, in log-odds: positive raised the probability. */
export interface PredictionFactor {
  column: string;
  effect: number;
}

export interface ExplainedPrediction {
  probability: number;
  /** log(p / (1 − p)) of the probability. */
  logOdds: number;
  /** The log-odds of a row at the training average, where every effect is measured from. */
  baselineLogOdds: number;
  /** Largest push first; the baseline plus all effects is the row's log-odds. */
  factors: PredictionFactor[];
}

export function trainModel(
  rows: readonly TrainingRow[],
  labels: ArrayLike<number>,
  columns: readonly UsableColumn[],
  l2: number,
): TrainedModel {
  const encodings = learnEncodings(rows, columns);
  const encoded = rows.map((row) => encodeRow(encodings, row));
  const fitted = fitLogisticRegression(encoded, labels, { l2 });
  const inputs = describeInputs(encodings);
  const means = inputs.map((_, index) => {
    let sum = 0;
    for (const values of encoded) sum += values[index] ?? 0;
    return encoded.length === 0 ? 0 : sum / encoded.length;
  });
  return {
    learner: 'logistic-regression',
    l2,
    encodings,
    inputs,
    intercept: fitted.intercept,
    coefficients: fitted.coefficients,
    means,
  };
}

function baselineLogit(model: TrainedModel): number {
  let logit = model.intercept;
  model.coefficients.forEach((coefficient, index) => {
    logit += coefficient * (model.means[index] ?? 0);
  });
  return logit;
}

/** Each column's effect on this row's log-odds, measured from the training average. */
function columnEffects(model: TrainedModel, row: TrainingRow): Map<string, number> {
  const values = encodeRow(model.encodings, row);
  const effects = new Map<string, number>();
  model.inputs.forEach((input, index) => {
    const effect = (model.coefficients[index] ?? 0) * ((values[index] ?? 0) - (model.means[index] ?? 0));
    effects.set(input.column, (effects.get(input.column) ?? 0) + effect);
  });
  return effects;
}

export function predictRow(model: TrainedModel, row: TrainingRow): number {
  let logit = baselineLogit(model);
  for (const effect of columnEffects(model, row).values()) logit += effect;
  return sigmoid(logit);
}

/** The probability and the columns that raised or lowered it, strongest first. */
export function explainPrediction(model: TrainedModel, row: TrainingRow): ExplainedPrediction {
  const baseline = baselineLogit(model);
  const factors = [...columnEffects(model, row)]
    .map(([column, effect]) => ({ column, effect }))
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || (a.column < b.column ? -1 : 1));
  const logOdds = factors.reduce((sum, factor) => sum + factor.effect, baseline);
  return { probability: sigmoid(logOdds), logOdds, baselineLogOdds: baseline, factors };
}

/** A column's weight overall: how far it moves predictions across the rows, and its strongest inputs. */
export interface ModelFactor {
  column: string;
  /** Standard deviation of the column's effect over the rows, in log-odds. */
  spread: number;
  strongest: { label: string; coefficient: number }[];
}

export function rankFactors(model: TrainedModel, rows: readonly TrainingRow[]): ModelFactor[] {
  const sums = new Map<string, { sum: number; squares: number }>();
  for (const row of rows) {
    for (const [column, effect] of columnEffects(model, row)) {
      const entry = sums.get(column) ?? { sum: 0, squares: 0 };
      entry.sum += effect;
      entry.squares += effect * effect;
      sums.set(column, entry);
    }
  }
  return [...sums]
    .map(([column, { sum, squares }]) => {
      const mean = rows.length === 0 ? 0 : sum / rows.length;
      const strongest = model.inputs
        .map((input, index) => ({ ...input, coefficient: model.coefficients[index] ?? 0 }))
        .filter((input) => input.column === column)
        .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient))
        .slice(0, 3)
        .map(({ label, coefficient }) => ({ label, coefficient }));
      return { column, spread: Math.sqrt(Math.max(0, squares / Math.max(1, rows.length) - mean * mean)), strongest };
    })
    .sort((a, b) => b.spread - a.spread || (a.column < b.column ? -1 : 1));
}
