import { describe, expect, it } from 'vitest';
import { fitLogisticRegression, sigmoid } from '../../../src/core/predict/fit-logistic-regression.ts';
import { createRandom } from '../../../src/demo/seeded-random.ts';

function simulate(count: number, truth: { intercept: number; coefficients: number[] }, seed: number) {
  const random = createRandom(seed);
  const rows = Array.from({ length: count }, () => truth.coefficients.map(() => random.normal(0, 1)));
  const labels = rows.map((values) => {
    const eta = values.reduce((sum, value, index) => sum + value * (truth.coefficients[index] ?? 0), truth.intercept);
    return random.next() < sigmoid(eta) ? 1 : 0;
  });
  return { rows, labels };
}

describe('fitting a regularised logistic regression', () => {
  it('recovers the coefficients that generated the data', () => {
    const truth = { intercept: -0.5, coefficients: [1.2, -0.8, 0] };
    const { rows, labels } = simulate(20_000, truth, 3);
    const model = fitLogisticRegression(rows, labels, { l2: 0.01 });
    expect(model.converged).toBe(true);
    expect(model.intercept).toBeCloseTo(truth.intercept, 1);
    model.coefficients.forEach((coefficient, index) => {
      expect(Math.abs(coefficient - (truth.coefficients[index] ?? 0))).toBeLessThan(0.06);
    });
  });

  it('stops where the penalised gradient is zero: Xᵀ(y − p) = λβ', () => {
    const { rows, labels } = simulate(2_000, { intercept: 0.3, coefficients: [0.7, -1.1, 0.4, 0.2] }, 11);
    const l2 = 25;
    const model = fitLogisticRegression(rows, labels, { l2 });
    const gradient = model.coefficients.map(() => 0);
    let interceptGradient = 0;
    rows.forEach((values, row) => {
      const eta = values.reduce((sum, value, index) => sum + value * (model.coefficients[index] ?? 0), model.intercept);
      const residual = (labels[row] ?? 0) - sigmoid(eta);
      interceptGradient += residual;
      values.forEach((value, index) => {
        gradient[index] = (gradient[index] ?? 0) + value * residual;
      });
    });
    expect(Math.abs(interceptGradient)).toBeLessThan(1e-6);
    gradient.forEach((value, index) => {
      expect(value).toBeCloseTo(l2 * (model.coefficients[index] ?? 0), 6);
    });
  });

  it('the penalty shrinks coefficients towards zero', () => {
    const { rows, labels } = simulate(500, { intercept: 0, coefficients: [1, -1] }, 5);
    const loose = fitLogisticRegression(rows, labels, { l2: 0.1 });
    const tight = fitLogisticRegression(rows, labels, { l2: 500 });
    expect(Math.abs(tight.coefficients[0] ?? 0)).toBeLessThan(Math.abs(loose.coefficients[0] ?? 0) / 2);
  });

  it('separable data and duplicated columns still give finite coefficients', () => {
    const rows = [0, 1, 2, 3, 4, 5, 6, 7].map((value) => [value, value, 1]);
    const labels = [0, 0, 0, 0, 1, 1, 1, 1];
    const model = fitLogisticRegression(rows, labels, { l2: 1 });
    expect([model.intercept, ...model.coefficients].every(Number.isFinite)).toBe(true);
    expect(model.coefficients[0]).toBeCloseTo(model.coefficients[1] ?? 0, 6);
  });
});
