/** How well predicted probabilities rank and match known outcomes. */

/** One row of a calibration table: predictions in [from, to), what they said and what happened. */
export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** One tenth of the rows, highest predictions first. */
export interface LiftDecile {
  decile: number;
  count: number;
  positives: number;
  rate: number;
  /** The decile's rate over the base rate: 3 means three times as many positives as a random tenth. */
  lift: number;
  /** Share of all positives found in this decile and the ones above it. */
  cumulativeCapture: number;
}

export interface ModelMeasures {
  count: number;
  positives: number;
  auc: number;
  logLoss: number;
  calibration: CalibrationBin[];
  lift: LiftDecile[];
}

/**
 * Area under the ROC curve: the chance that a random positive is ranked above a random
 * negative, ties counting half (Mann–Whitney U over average ranks). NaN without both classes.
 */
export function measureAuc(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  const order = Array.from({ length: predicted.length }, (_, index) => index).sort(
    (a, b) => (predicted[a] ?? 0) - (predicted[b] ?? 0),
  );
  let positives = 0;
  let positiveRankSum = 0;
  let start = 0;
  while (start < order.length) {
    let end = start;
    const value = predicted[order[start] ?? 0];
    while (end + 1 < order.length && predicted[order[end + 1] ?? 0] === value) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let at = start; at <= end; at += 1) {
      if (actual[order[at] ?? 0] === 1) {
        positives += 1;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean negative log-likelihood; probabilities are kept off 0 and 1 so one sure miss stays finite. */
export function measureLogLoss(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  const epsilon = 1e-15;
  let sum = 0;
  for (let index = 0; index < predicted.length; index += 1) {
    const p = Math.min(1 - epsilon, Math.max(epsilon, predicted[index] ?? 0));
    sum -= actual[index] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return predicted.length === 0 ? Number.NaN : sum / predicted.length;
}

/** Ten equal-width bins of predicted probability; empty bins are left out. */
export function tabulateCalibration(predicted: ArrayLike<number>, actual: ArrayLike<number>): CalibrationBin[] {
  const bins = Array.from({ length: 10 }, (_, index) => ({ index, count: 0, predicted: 0, positives: 0 }));
  for (let index = 0; index < predicted.length; index += 1) {
    const p = predicted[index] ?? 0;
    const bin = bins[Math.min(9, Math.floor(p * 10))];
    if (!bin) continue;
    bin.count += 1;
    bin.predicted += p;
    if (actual[index] === 1) bin.positives += 1;
  }
  return bins
    .filter((bin) => bin.count > 0)
    .map((bin) => ({
      from: bin.index / 10,
      to: (bin.index + 1) / 10,
      count: bin.count,
      meanPredicted: bin.predicted / bin.count,
      observedRate: bin.positives / bin.count,
    }));
}

/** Rows ranked by prediction (ties in input order) and cut into ten near-equal parts. */
export function tabulateLift(predicted: ArrayLike<number>, actual: ArrayLike<number>): LiftDecile[] {
  const order = Array.from({ length: predicted.length }, (_, index) => index).sort(
    (a, b) => (predicted[b] ?? 0) - (predicted[a] ?? 0) || a - b,
  );
  let totalPositives = 0;
  for (let index = 0; index < actual.length; index += 1) if (actual[index] === 1) totalPositives += 1;
  const baseRate = order.length === 0 ? 0 : totalPositives / order.length;
  const deciles: LiftDecile[] = [];
  let captured = 0;
  for (let decile = 0; decile < 10; decile += 1) {
    const from = Math.floor((decile * order.length) / 10);
    const to = Math.floor(((decile + 1) * order.length) / 10);
    let positives = 0;
    for (let at = from; at < to; at += 1) if (actual[order[at] ?? 0] === 1) positives += 1;
    captured += positives;
    const count = to - from;
    const rate = count === 0 ? 0 : positives / count;
    deciles.push({
      decile: decile + 1,
      count,
      positives,
      rate,
      lift: baseRate === 0 ? 0 : rate / baseRate,
      cumulativeCapture: totalPositives === 0 ? 0 : captured / totalPositives,
    });
  }
  return deciles;
}

export function measureModel(predicted: ArrayLike<number>, actual: ArrayLike<number>): ModelMeasures {
  let positives = 0;
  for (let index = 0; index < actual.length; index += 1) if (actual[index] === 1) positives += 1;
  return {
    count: predicted.length,
    positives,
    auc: measureAuc(predicted, actual),
    logLoss: measureLogLoss(predicted, actual),
    calibration: tabulateCalibration(predicted, actual),
    lift: tabulateLift(predicted, actual),
  };
}
