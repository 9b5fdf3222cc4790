import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/** A fitted logistic regression: probability = σ(intercept + Σ coefficients[j] · x[j]). */
export interface LogisticModel {
  intercept: number;
  coefficients: number[];
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** L2 penalty λ on the coefficients (not the intercept), on the summed log-likelihood's scale. */
  l2: number;
  maxIterations?: number;
  /** Stop when no coefficient moves by more than this in one step. */
  tolerance?: number;
  /** A fixed term added to each row's log-odds (an offset): the model fits what it leaves. */
  offsets?: ArrayLike<number>;
}

export function sigmoid(value: number): number {
  return value >= 0 ? 1 / (1 + Math.exp(-value)) : Math.exp(value) / (1 + Math.exp(value));
}

/** Rows with a leading 1 for the intercept, row-major in one array. */
interface Design {
  values: Float64Array;
  rows: number;
  width: number;
  offsets: ArrayLike<number> | null;
}

function linearPredictor(design: Design, beta: Float64Array, row: number): number {
  let eta = design.offsets === null ? 0 : design.offsets[row]!;
  const offset = row * design.width;
  for (let column = 0; column < design.width; column += 1) eta += design.values[offset + column]! * beta[column]!;
  return eta;
}

function penalisedLoss(design: Design, actual: ArrayLike<number>, beta: Float64Array, l2: number): number {
  let loss = 0;
  for (let row = 0; row < design.rows; row += 1) {
    const eta = linearPredictor(design, beta, row);
    // log(1 + e^η) − y·η, written to stay finite for large |η|.
    loss += Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))) - (actual[row] === 1 ? eta : 0);
  }
  for (let index = 1; index < beta.length; index += 1) loss += (l2 / 2) * beta[index]! ** 2;
  return loss;
}

/** Xᵀ(y − p) − λβ and XᵀWX + λI, skipping zeros (one-hot columns are mostly zero). */
function newtonSystem(design: Design, actual: ArrayLike<number>, beta: Float64Array, l2: number) {
  const { width } = design;
  const hessian = new Float64Array(width * width);
  const gradient = new Float64Array(width);
  for (let row = 0; row < design.rows; row += 1) {
    const p = sigmoid(linearPredictor(design, beta, row));
    const weight = Math.max(p * (1 - p), 1e-10);
    const residual = (actual[row] === 1 ? 1 : 0) - p;
    const offset = row * width;
    for (let j = 0; j < width; j += 1) {
      const xj = design.values[offset + j]!;
      if (xj === 0) continue;
      gradient[j]! += xj * residual;
      const scaled = xj * weight;
      for (let k = j; k < width; k += 1) hessian[j * width + k]! += scaled * design.values[offset + k]!;
    }
  }
  const matrix = new Matrix(width, width);
  for (let j = 0; j < width; j += 1) {
    for (let k = j; k < width; k += 1) {
      const value = hessian[j * width + k]! + (j === k && j > 0 ? l2 : 0);
      matrix.set(j, k, value);
      matrix.set(k, j, value);
    }
    if (j > 0) gradient[j]! -= l2 * beta[j]!;
  }
  return { hessian: matrix, gradient: Matrix.columnVector(Array.from(gradient)) };
}

/**
 * Ridge-penalised logistic regression by Newton–Raphson (iteratively reweighted least
 * squares): each step solves (XᵀWX + λI)·Δ = Xᵀ(y − p) − λβ with ml-matrix's Cholesky
 * decomposition, halving the step while the penalised loss would rise. The penalty keeps
 * the system positive definite, so separable data and one-hot columns that add up to the
 * intercept still give finite, unique coefficients.
 */
export function fitLogisticRegression(
  rows: readonly ArrayLike<number>[],
  actual: ArrayLike<number>,
  options: LogisticOptions,
): LogisticModel {
  const width = (rows[0]?.length ?? 0) + 1;
  const design: Design = {
    values: new Float64Array(rows.length * width),
    rows: rows.length,
    width,
    offsets: options.offsets ?? null,
  };
  rows.forEach((values, row) => {
    design.values[row * width] = 1;
    for (let column = 1; column < width; column += 1) design.values[row * width + column] = values[column - 1] ?? 0;
  });
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-7;
  let beta = new Float64Array(width);
  let loss = penalisedLoss(design, actual, beta, options.l2);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations += 1;
    const system = newtonSystem(design, actual, beta, options.l2);
    const step = new CholeskyDecomposition(system.hessian).solve(system.gradient).to1DArray();
    let scale = 1;
    let next = beta;
    let nextLoss = Number.POSITIVE_INFINITY;
    while (scale > 1e-4) {
      next = beta.map((value, index) => value + scale * step[index]!);
      nextLoss = penalisedLoss(design, actual, next, options.l2);
      if (nextLoss <= loss + 1e-9 * Math.abs(loss)) break;
      scale /= 2;
    }
    converged = step.every((change) => Math.abs(change * scale) < tolerance);
    beta = next;
    loss = nextLoss;
  }
  return { intercept: beta[0]!, coefficients: Array.from(beta.subarray(1)), iterations, converged };
}

export function predictProbability(model: LogisticModel, values: ArrayLike<number>): number {
  let eta = model.intercept;
  for (let index = 0; index < model.coefficients.length; index += 1)
    eta += (model.coefficients[index] ?? 0) * (values[index] ?? 0);
  return sigmoid(eta);
}
