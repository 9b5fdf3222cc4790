import type { TrainingRow } from '../../../src/core/predict/infer-columns.ts';
import { createRandom } from '../../../src/demo/seeded-random.ts';

/**
 * Leads whose win depends on a known truth: seniority and company size raise it, a
 * `paid-social` source lowers it, `note` is noise. `extra` adds columns computed from the
 * row and its outcome (leaks for the guard to find).
 */
export function syntheticOutcomes(
  count: number,
  seed: number,
  extra: (row: TrainingRow, won: 0 | 1, random: () => number) => TrainingRow = () => ({}),
) {
  const random = createRandom(seed);
  const rows: TrainingRow[] = [];
  const labels: (0 | 1)[] = [];
  const sources = ['organic', 'referral', 'paid-social', 'email'];
  const seniorities = ['c-level', 'manager', 'staff', null];
  for (let index = 0; index < count; index += 1) {
    const source = sources[random.int(0, 3)] ?? 'organic';
    const seniority = seniorities[random.int(0, 3)] ?? null;
    const employees = Math.round(random.logNormal(120, 1));
    const logit =
      -1.6 +
      (seniority === 'c-level' ? 1.4 : seniority === 'manager' ? 0.6 : 0) +
      0.5 * Math.log10(employees) +
      (source === 'paid-social' ? -1.2 : 0);
    const won: 0 | 1 = random.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const row: TrainingRow = {
      source,
      seniority,
      employees: String(employees),
      note: String(random.int(1, 6)),
      signedUp: new Date(Date.UTC(2025, 0, 1) + index * 3_600_000).toISOString(),
    };
    rows.push({ ...row, ...extra(row, won, () => random.next()) });
    labels.push(won);
  }
  return { rows, labels };
}
