import type { TrainingRow, UsableColumn } from './infer-columns.ts';
import { measureAuc } from './measure-model.ts';
import { predictRow, trainModel } from './trained-model.ts';

/** A column that probably reveals the outcome rather than predicting it. */
export interface Leak {
  column: string;
  reason: 'own-auc' | 'dominant' | 'post-handoff';
  /** The column's AUC on held-out rows when it is the only input. */
  ownAuc: number | null;
  /** How much the held-out AUC of all columns falls without this one. */
  aucLoss: number | null;
  message: string;
}

/** A single column ranking outcomes this well on its own is almost surely written after them. */
export const LEAK_OWN_AUC = 0.95;
/** One column carrying this much of the model's AUC alone usually measures the outcome itself. */
export const LEAK_AUC_LOSS = 0.1;
/** Only columns this strong on their own are tried for dominance (each try refits the model). */
const DOMINANCE_CANDIDATE_AUC = 0.7;

export interface LeakSearch {
  rows: readonly TrainingRow[];
  labels: ArrayLike<number>;
  columns: readonly UsableColumn[];
  train: readonly number[];
  test: readonly number[];
  l2: number;
}

function heldOutAuc(search: LeakSearch, columns: readonly UsableColumn[]): number {
  const pick = (indexes: readonly number[]) => indexes.map((index) => search.rows[index]!);
  const labelsOf = (indexes: readonly number[]) => indexes.map((index) => search.labels[index]!);
  const model = trainModel(pick(search.train), labelsOf(search.train), columns, search.l2);
  const predicted = search.test.map((index) => predictRow(model, search.rows[index]!));
  return measureAuc(predicted, labelsOf(search.test));
}

const format = (value: number) => value.toFixed(3);

/**
 * Flags columns that leak the outcome, measured on one held-out split: a column whose own
 * AUC exceeds 0.95 (`own-auc`), or one without which the model's AUC falls by 0.1 or more
 * while its own AUC is at least 0.7 (`dominant`: a call's duration, known only after the
 * call, is the textbook case).
 */
export function findLeaks(search: LeakSearch): Leak[] {
  const leaks: Leak[] = [];
  const ownAucs = new Map<string, number>();
  for (const column of search.columns) {
    const own = heldOutAuc(search, [column]);
    ownAucs.set(column.name, own);
    if (own > LEAK_OWN_AUC)
      leaks.push({
        column: column.name,
        reason: 'own-auc',
        ownAuc: own,
        aucLoss: null,
        message: `\`${column.name}\` alone predicts the outcome almost perfectly (AUC ${format(own)}): it is probably recorded after the outcome`,
      });
  }
  const clean = search.columns.filter((column) => !leaks.some((leak) => leak.column === column.name));
  const candidates = clean.filter((column) => (ownAucs.get(column.name) ?? 0) >= DOMINANCE_CANDIDATE_AUC);
  if (candidates.length === 0 || clean.length < 2) return leaks;
  const all = heldOutAuc(search, clean);
  for (const column of candidates) {
    const without = heldOutAuc(
      search,
      clean.filter((other) => other.name !== column.name),
    );
    if (all - without >= LEAK_AUC_LOSS)
      leaks.push({
        column: column.name,
        reason: 'dominant',
        ownAuc: ownAucs.get(column.name) ?? null,
        aucLoss: all - without,
        message: `\`${column.name}\` carries most of what the model knows (AUC ${format(all)} with it, ${format(without)} without): check it is known before the outcome`,
      });
  }
  return leaks;
}
