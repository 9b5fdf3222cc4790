import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateTraining, type TrainingInput } from '../../../src/core/predict/evaluate-training.ts';
import { sigmoid } from '../../../src/core/predict/fit-logistic-regression.ts';
import { explainPrediction, predictRow } from '../../../src/core/predict/trained-model.ts';
import { createRandom } from '../../../src/demo/seeded-random.ts';
import { syntheticOutcomes } from './synthetic-outcomes.ts';

function input(rows: TrainingInput['rows'], labels: TrainingInput['labels'], extra: Partial<TrainingInput> = {}) {
  const random = createRandom(9);
  return { rows, labels, columns: Object.keys(rows[0] ?? {}), random: () => random.next(), ...extra };
}

describe('training on known outcomes', () => {
  const { rows, labels } = syntheticOutcomes(1_500, 4);
  const trained = evaluateTraining(input(rows, labels, { times: rows.map((row) => Date.parse(String(row.signedUp))) }));
  if (!trained.ok) throw new Error(trained.error.message);
  const report = trained.value;

  it('finds the signal that generated the outcomes and ranks factors by it', () => {
    expect(report.crossValidation.auc).toBeGreaterThan(0.65);
    expect(report.holdout.auc).toBeGreaterThan(0.65);
    expect(report.outOfTime?.count).toBe(300);
    const order = report.factors.map((factor) => factor.column);
    expect(order.indexOf('seniority')).toBeLessThan(order.indexOf('note'));
    expect(order.indexOf('source')).toBeLessThan(order.indexOf('note'));
    const source = report.factors.find((factor) => factor.column === 'source');
    expect(source?.strongest[0]).toMatchObject({ label: 'source = paid-social' });
    expect(source?.strongest[0]?.coefficient).toBeLessThan(0);
    expect(report.leaks).toEqual([]);
  });

  it('reports the held-out fold and the whole of every row', () => {
    expect(report.holdout.count).toBe(300);
    expect(report.rows).toBe(1_500);
    expect(report.outOfFold).toHaveLength(1_500);
    expect(report.holdout.lift[9]?.cumulativeCapture).toBe(1);
  });

  it('is deterministic for a seed', () => {
    const again = evaluateTraining(input(rows, labels, { times: rows.map((row) => Date.parse(String(row.signedUp))) }));
    expect(again.ok && again.value.crossValidation).toEqual(report.crossValidation);
    expect(again.ok && again.value.model.coefficients).toEqual(report.model.coefficients);
  });

  it("a lead's factors add up exactly to its probability", () => {
    fc.assert(
      fc.property(
        fc.record({
          source: fc.constantFrom('organic', 'paid-social', 'unheard-of', ''),
          seniority: fc.constantFrom('c-level', 'staff', null),
          employees: fc.oneof(fc.integer({ min: 1, max: 100_000 }).map(String), fc.constant('')),
          note: fc.constantFrom('1', '6', null),
          signedUp: fc.constantFrom('2025-02-01T00:00:00.000Z', null),
        }),
        (row) => {
          const explained = explainPrediction(report.model, row);
          const sum = explained.factors.reduce((total, factor) => total + factor.effect, explained.baselineLogOdds);
          expect(sum).toBe(explained.logOdds);
          expect(explained.probability).toBe(sigmoid(explained.logOdds));
          expect(explained.probability).toBeCloseTo(predictRow(report.model, row), 12);
        },
      ),
    );
  });
});

describe('refusing to train on too little', () => {
  const { rows, labels } = syntheticOutcomes(400, 8);
  it.each([
    {
      name: 'fewer than 100 outcomes',
      rows: rows.slice(0, 99),
      labels: labels.slice(0, 99),
      message:
        '99 known outcomes; training needs at least 100 (won and lost together). Record more outcomes or import them from your CRM first.',
    },
    {
      name: 'fewer than 20 positives',
      rows: rows.slice(0, 200),
      labels: labels.slice(0, 200).map((label, index) => (index < 19 ? 1 : 0 * label)),
      message: '19 positive and 181 negative outcomes; training needs at least 20 of each to tell them apart.',
    },
  ])('$name', ({ rows: some, labels: known, message }) => {
    const result = evaluateTraining(input(some, known));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toBe(message);
  });
});

describe('the leakage guard', () => {
  const { rows, labels } = syntheticOutcomes(1_000, 12, (_, won, random) => ({
    // Written when the deal closed: present only for won deals.
    contractId: won === 1 ? `C-${Math.floor(random() * 4)}` : '',
    // Measured during the sales call: long calls were won.
    callMinutes: String(Math.round(won * 20 + random() * 12)),
  }));

  it('flags a near-perfect column and a dominant one, and trains without them', () => {
    const result = evaluateTraining(input(rows, labels));
    if (!result.ok) throw new Error(result.error.message);
    const leaks = result.value.leaks.map(({ column, reason, forced }) => ({ column, reason, forced }));
    expect(leaks).toEqual([
      { column: 'contractId', reason: 'own-auc', forced: false },
      { column: 'callMinutes', reason: 'own-auc', forced: false },
    ]);
    expect(result.value.columns.map((column) => column.name)).not.toContain('contractId');
  });

  it('flags columns recorded after the hand-off, and keeps a flagged column when forced', () => {
    const result = evaluateTraining(input(rows, labels, { recordedAfterHandoff: ['note'], force: ['contractId'] }));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.leaks.find((leak) => leak.column === 'note')).toMatchObject({
      reason: 'post-handoff',
      forced: false,
      message: '`note` is recorded after the lead was handed to sales',
    });
    expect(result.value.leaks.find((leak) => leak.column === 'contractId')?.forced).toBe(true);
    const used = result.value.columns.map((column) => column.name);
    expect(used).toContain('contractId');
    expect(used).not.toContain('note');
    expect(result.value.crossValidation.auc).toBeGreaterThan(0.95);
  });
});
