import { toNumber } from '../to-number.ts';
import { isMissing, type TrainingRow, toDays, type UsableColumn } from './infer-columns.ts';

export const OTHER_LEVEL = '(other)';
export const MISSING_LEVEL = '(missing)';

/** How one column becomes model inputs; learnt from training rows only, stored with the model. */
export type ColumnEncoding =
  | {
      kind: 'numeric' | 'date';
      name: string;
      mean: number;
      sd: number;
      missingIndicator: boolean;
      /** The trend reads log(1 + value): set for long-tailed counts and sizes (employees, revenue). */
      log: boolean;
      /** Upper bounds of the value bands (quantiles), each band an input of its own. */
      cuts: number[];
    }
  | { kind: 'categorical'; name: string; levels: string[] };

export interface EncodingOptions {
  /** Levels seen fewer times than this are pooled into `(other)`. */
  minLevelCount?: number;
  /** At most this many levels of one column keep their own input. */
  maxLevels?: number;
}

function readNumber(kind: 'numeric' | 'date', value: TrainingRow[string] | undefined): number | null {
  return kind === 'date' ? toDays(value) : toNumber(value);
}

const BANDS = 5;

/**
 * Distinct quantile bounds splitting the values into up to `bands` bands, so a number
 * whose effect is not a straight line (age, a sentinel such as -1 for "never") can still
 * be learnt; the linear input keeps the overall trend.
 */
function quantileCuts(values: number[], bands: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const cuts = new Set<number>();
  for (let band = 1; band < bands; band += 1) {
    const cut = sorted[Math.floor((band * sorted.length) / bands)];
    if (cut !== undefined && cut > sorted[0]!) cuts.add(cut);
  }
  return [...cuts].sort((a, b) => a - b);
}

function bandOf(cuts: readonly number[], value: number): number {
  let band = 0;
  while (band < cuts.length && value >= cuts[band]!) band += 1;
  return band;
}

function learnNumeric(
  rows: readonly TrainingRow[],
  column: UsableColumn & { kind: 'numeric' | 'date' },
): ColumnEncoding {
  let missing = false;
  const values: number[] = [];
  for (const row of rows) {
    const value = readNumber(column.kind, row[column.name]);
    if (value === null) missing = true;
    else values.push(value);
  }
  const log = column.kind === 'numeric' && isLongTailed(values);
  const trend = log ? values.map(Math.log1p) : values;
  const mean = trend.length === 0 ? 0 : trend.reduce((sum, value) => sum + value, 0) / trend.length;
  const variance = trend.length === 0 ? 0 : trend.reduce((sum, value) => sum + (value - mean) ** 2, 0) / trend.length;
  return {
    kind: column.kind,
    name: column.name,
    mean,
    sd: Math.sqrt(variance) || 1,
    missingIndicator: missing,
    log,
    cuts: quantileCuts(values, BANDS),
  };
}

/**
 * Never negative and skewed far to the right (a few companies of 10,000 among hundreds of
 * 50): on a straight scale the largest would decide the trend alone.
 */
function isLongTailed(values: readonly number[]): boolean {
  if (values.length < 3 || values.some((value) => value < 0)) return false;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
  if (sd === 0) return false;
  const skewness = values.reduce((sum, value) => sum + ((value - mean) / sd) ** 3, 0) / values.length;
  return skewness > 2;
}

function learnCategories(rows: readonly TrainingRow[], name: string, options: EncodingOptions): ColumnEncoding {
  const counts = new Map<string, number>();
  let missing = false;
  for (const row of rows) {
    const value = row[name];
    if (isMissing(value)) missing = true;
    else counts.set(String(value).trim(), (counts.get(String(value).trim()) ?? 0) + 1);
  }
  const minimum = options.minLevelCount ?? Math.max(5, Math.ceil(rows.length / 1000));
  const kept = [...counts]
    .filter(([, count]) => count >= minimum)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxLevels ?? 100)
    .map(([level]) => level);
  const pooled = kept.length < counts.size;
  return {
    kind: 'categorical',
    name,
    levels: [...kept, ...(pooled ? [OTHER_LEVEL] : []), ...(missing ? [MISSING_LEVEL] : [])],
  };
}

/**
 * Learns each column's encoding: numbers and dates (as days) standardised (long-tailed
 * ones on a log scale), and cut into bands; a missing
 * number as the mean plus a `(missing)` indicator; categories one-hot, rare levels pooled
 * into `(other)` and a missing value as its own level.
 */
export function learnEncodings(
  rows: readonly TrainingRow[],
  columns: readonly UsableColumn[],
  options: EncodingOptions = {},
): ColumnEncoding[] {
  return columns.map((column) =>
    column.kind === 'categorical'
      ? learnCategories(rows, column.name, options)
      : learnNumeric(rows, { ...column, kind: column.kind }),
  );
}

/** The model input names, in order: `column` for numbers, `column = level` for categories. */
export function describeInputs(encodings: readonly ColumnEncoding[]): { column: string; label: string }[] {
  return encodings.flatMap((encoding) => {
    if (encoding.kind === 'categorical')
      return encoding.levels.map((level) => ({ column: encoding.name, label: `${encoding.name} = ${level}` }));
    return [
      { column: encoding.name, label: encoding.name },
      ...bandLabels(encoding).map((label) => ({ column: encoding.name, label })),
      ...(encoding.missingIndicator ? [{ column: encoding.name, label: `${encoding.name} ${MISSING_LEVEL}` }] : []),
    ];
  });
}

function formatBound(kind: 'numeric' | 'date', value: number): string {
  return kind === 'date' ? new Date(value * 86_400_000).toISOString().slice(0, 10) : String(value);
}

/** `age < 32`, `age 32–51`, `age ≥ 51`: the bands' inputs as people read them. */
function bandLabels(encoding: ColumnEncoding & { kind: 'numeric' | 'date' }): string[] {
  const { cuts, name, kind } = encoding;
  if (cuts.length === 0) return [];
  const bound = (index: number) => formatBound(kind, cuts[index]!);
  return [
    `${name} < ${bound(0)}`,
    ...cuts.slice(1).map((_, index) => `${name} ${bound(index)}–${bound(index + 1)}`),
    `${name} ≥ ${bound(cuts.length - 1)}`,
  ];
}

function levelOf(encoding: ColumnEncoding & { kind: 'categorical' }, value: TrainingRow[string] | undefined): string {
  if (isMissing(value)) return encoding.levels.includes(MISSING_LEVEL) ? MISSING_LEVEL : OTHER_LEVEL;
  const text = String(value).trim();
  return encoding.levels.includes(text) ? text : OTHER_LEVEL;
}

/** One row as model inputs, in `describeInputs` order; unseen levels count as `(other)`. */
export function encodeRow(encodings: readonly ColumnEncoding[], row: TrainingRow): Float64Array {
  const values: number[] = [];
  for (const encoding of encodings) {
    if (encoding.kind === 'categorical') {
      const level = levelOf(encoding, row[encoding.name]);
      for (const candidate of encoding.levels) values.push(candidate === level ? 1 : 0);
      continue;
    }
    const value = readNumber(encoding.kind, row[encoding.name]);
    const trend = value === null ? null : encoding.log ? Math.log1p(value) : value;
    values.push(trend === null ? 0 : (trend - encoding.mean) / encoding.sd);
    if (encoding.cuts.length > 0) {
      const band = value === null ? -1 : bandOf(encoding.cuts, value);
      for (let candidate = 0; candidate <= encoding.cuts.length; candidate += 1)
        values.push(candidate === band ? 1 : 0);
    }
    if (encoding.missingIndicator) values.push(value === null ? 1 : 0);
  }
  return Float64Array.from(values);
}
