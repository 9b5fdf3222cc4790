import { describe, expect, it } from 'vitest';
import {
  measureAuc,
  measureLogLoss,
  measureModel,
  tabulateCalibration,
  tabulateLift,
} from '../../../src/core/predict/measure-model.ts';

describe('measuring a model', () => {
  it.each([
    { name: 'a perfect ranking scores 1', predicted: [0.1, 0.2, 0.8, 0.9], actual: [0, 0, 1, 1], auc: 1 },
    { name: 'a reversed ranking scores 0', predicted: [0.9, 0.8, 0.2, 0.1], actual: [0, 0, 1, 1], auc: 0 },
    {
      name: 'one of four pairs misordered scores 0.75',
      predicted: [0.1, 0.4, 0.35, 0.8],
      actual: [0, 0, 1, 1],
      auc: 0.75,
    },
    { name: 'a tie between classes counts half', predicted: [0.1, 0.5, 0.5, 0.9], actual: [0, 0, 1, 1], auc: 0.875 },
    { name: 'everyone tied scores 0.5', predicted: [0.3, 0.3, 0.3, 0.3], actual: [0, 1, 0, 1], auc: 0.5 },
  ])('AUC: $name', ({ predicted, actual, auc }) => {
    expect(measureAuc(predicted, actual)).toBeCloseTo(auc, 12);
  });

  it('AUC is not a number without both classes', () => {
    expect(measureAuc([0.2, 0.4], [1, 1])).toBeNaN();
  });

  it('log-loss is the mean negative log-likelihood, finite for a sure miss', () => {
    expect(measureLogLoss([0.8, 0.25], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.75)) / 2, 12);
    expect(Number.isFinite(measureLogLoss([0, 1], [1, 0]))).toBe(true);
  });

  it('calibration bins hold their rows, their mean prediction and what happened', () => {
    const bins = tabulateCalibration([0.05, 0.08, 0.55, 0.52, 1], [0, 1, 1, 1, 1]);
    expect(bins).toEqual([
      { from: 0, to: 0.1, count: 2, meanPredicted: (0.05 + 0.08) / 2, observedRate: 0.5 },
      { from: 0.5, to: 0.6, count: 2, meanPredicted: (0.55 + 0.52) / 2, observedRate: 1 },
      { from: 0.9, to: 1, count: 1, meanPredicted: 1, observedRate: 1 },
    ]);
  });

  it('lift: ten parts from the top, rates over the base rate, capture reaching 100%', () => {
    const predicted = Array.from({ length: 100 }, (_, index) => index / 100);
    const actual = predicted.map((p) => (p >= 0.9 || p === 0.5 ? 1 : 0));
    const lift = tabulateLift(predicted, actual);
    expect(lift).toHaveLength(10);
    expect(lift.map((decile) => decile.count)).toEqual(Array(10).fill(10));
    expect(lift[0]).toMatchObject({ decile: 1, positives: 10, rate: 1, lift: 1 / (11 / 100) });
    expect(lift[4]).toMatchObject({ decile: 5, positives: 1 });
    expect(lift[9]?.cumulativeCapture).toBe(1);
    expect(lift.reduce((sum, decile) => sum + decile.positives, 0)).toBe(11);
  });

  it('measureModel counts rows and positives', () => {
    const measures = measureModel([0.2, 0.7, 0.4], [0, 1, 1]);
    expect(measures).toMatchObject({ count: 3, positives: 2, auc: 1 });
  });
});
