import { toNumber } from '../to-number.ts';

/** A value of one training row: text from a CSV, numbers and text from the workspace. */
export type TrainingValue = string | number | null;
export type TrainingRow = Readonly<Record<string, TrainingValue>>;

export type ColumnKind = 'numeric' | 'date' | 'categorical';

export interface UsableColumn {
  name: string;
  kind: ColumnKind;
}

export interface SkippedColumn {
  name: string;
  reason: 'identifier' | 'constant' | 'empty';
  message: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isMissing(value: TrainingValue | undefined): value is null | undefined | '' {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Days since 1970-01-01 for an ISO date or date-time, else null. */
export function toDays(value: TrainingValue | undefined): number | null {
  if (typeof value !== 'string' || !ISO_DATE.test(value.trim())) return null;
  const time = Date.parse(value.trim().replace(' ', 'T'));
  return Number.isFinite(time) ? time / 86_400_000 : null;
}

/**
 * What each column holds, judged from its values: numbers, ISO dates, or categories.
 * Columns that cannot teach a model anything general are skipped with the reason: the same
 * value everywhere, nothing at all, or a different text in nearly every row (an id, an
 * email, a free-text note).
 */
export function inferColumns(
  rows: readonly TrainingRow[],
  names: readonly string[],
): { usable: UsableColumn[]; skipped: SkippedColumn[] } {
  const usable: UsableColumn[] = [];
  const skipped: SkippedColumn[] = [];
  for (const name of names) {
    let present = 0;
    let numeric = 0;
    let dates = 0;
    const distinct = new Set<string>();
    for (const row of rows) {
      const value = row[name];
      if (isMissing(value)) continue;
      present += 1;
      if (toNumber(value) !== null) numeric += 1;
      else if (toDays(value) !== null) dates += 1;
      if (distinct.size <= rows.length) distinct.add(String(value).trim());
    }
    if (present === 0) {
      skipped.push({ name, reason: 'empty', message: `\`${name}\` is empty in every row` });
    } else if (distinct.size === 1) {
      skipped.push({ name, reason: 'constant', message: `\`${name}\` has the same value in every row` });
    } else if (numeric === present) {
      usable.push({ name, kind: 'numeric' });
    } else if (dates === present) {
      usable.push({ name, kind: 'date' });
    } else if (distinct.size > 50 && distinct.size > 0.9 * present) {
      skipped.push({
        name,
        reason: 'identifier',
        message: `\`${name}\` looks like an identifier (${distinct.size} different values in ${present} rows)`,
      });
    } else {
      usable.push({ name, kind: 'categorical' });
    }
  }
  return { usable, skipped };
}
