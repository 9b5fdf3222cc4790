import { err, type Failure, ok, type Result } from '../result.ts';
import { isMissing, type TrainingValue } from './infer-columns.ts';

const POSITIVE = new Set(['1', 'yes', 'y', 'true', 't', 'won', 'win', 'positive', 'converted', 'closed won']);
const NEGATIVE = new Set(['0', 'no', 'n', 'false', 'f', 'lost', 'lose', 'negative', 'not converted', 'closed lost']);

export interface Labels {
  /** 1 or 0 per row; null where the outcome is empty (those rows are not trained on). */
  labels: (0 | 1 | null)[];
  positiveValue: string;
}

/**
 * Reads an outcome column as 1 and 0: common words (yes/no, won/lost, true/false, 1/0)
 * are understood; with `positive` set, that value is 1 and any other value 0.
 */
export function readLabels(
  values: readonly TrainingValue[],
  column: string,
  positive?: string,
): Result<Labels, Failure<'unknown_outcome_values'>> {
  const wanted = positive?.trim().toLowerCase();
  const unknown = new Set<string>();
  let positiveValue = positive ?? '';
  const labels = values.map((value): 0 | 1 | null => {
    if (isMissing(value)) return null;
    const text = String(value).trim().toLowerCase();
    if (wanted !== undefined) return text === wanted ? 1 : 0;
    if (POSITIVE.has(text)) {
      positiveValue = String(value).trim();
      return 1;
    }
    if (NEGATIVE.has(text)) return 0;
    unknown.add(String(value).trim());
    return null;
  });
  if (unknown.size > 0) {
    const shown = [...unknown].slice(0, 5).map((value) => `\`${value}\``);
    return err({
      kind: 'unknown_outcome_values',
      message: `\`${column}\` holds values that are neither a win nor a loss: ${shown.join(', ')}${unknown.size > 5 ? ', …' : ''}. Name the winning value with --positive VALUE.`,
    });
  }
  return ok({ labels, positiveValue });
}
