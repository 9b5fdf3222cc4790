import type { TrainingReport } from '../core/predict/evaluate-training.ts';
import type { TrainingRow } from '../core/predict/infer-columns.ts';
import type { ModelMeasures } from '../core/predict/measure-model.ts';
import { explainPrediction, type PredictionFactor } from '../core/predict/trained-model.ts';

export interface TopRow {
  id: string;
  probability: number;
  factors: PredictionFactor[];
}

export interface ReportContext {
  /** What it trained on: a file, or the workspace. */
  source: string;
  target: string;
  positiveValue: string;
  skippedRows: number;
  /** The highest-scored rows to show (`--id`); empty to show none. */
  top: TopRow[];
  /** The `--time` column; null when rows were taken to be in time order, or no time was given. */
  timeColumn: string | null;
}

const whole = (value: number) => value.toLocaleString('en-GB');
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const fixed = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((text) => `  ${text}`).join('\n');
}

function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function measuresSection(report: Omit<TrainingReport, 'model' | 'outOfFold'>, context: ReportContext): string {
  const rows: string[][] = [
    [
      'cross-validated (5 folds)',
      fixed(report.crossValidation.auc),
      fixed(report.crossValidation.logLoss),
      whole(report.rows),
    ],
    ['held-out fold (20%)', fixed(report.holdout.auc), fixed(report.holdout.logLoss), whole(report.holdout.count)],
  ];
  const time = report.outOfTime;
  if (time)
    rows.push([
      context.timeColumn ? `out of time (from ${dateOf(time.testedFrom)})` : 'out of time (last fifth of rows)',
      fixed(time.auc),
      fixed(time.logLoss),
      whole(time.count),
    ]);
  const note = time
    ? ''
    : '\n  No out-of-time check: pass --time COLUMN (a date column), or --rows-in-time-order, to test on the latest fifth.';
  return `${table(['', 'AUC', 'log-loss', 'rows'], rows)}${note}`;
}

function calibrationSection(measures: ModelMeasures): string {
  return table(
    ['predicted', 'rows', 'mean predicted', 'observed'],
    measures.calibration.map((bin) => [
      `${Math.round(bin.from * 100)}–${Math.round(bin.to * 100)}%`,
      whole(bin.count),
      percent(bin.meanPredicted),
      percent(bin.observedRate),
    ]),
  );
}

function liftSection(measures: ModelMeasures): string {
  return table(
    ['decile', 'rows', 'positive', 'lift', 'captured'],
    measures.lift.map((decile) => [
      String(decile.decile),
      whole(decile.count),
      percent(decile.rate),
      `${decile.lift.toFixed(2)}×`,
      percent(decile.cumulativeCapture),
    ]),
  );
}

function topRowsSection(context: ReportContext): string {
  if (context.top.length === 0) return '';
  const lines = context.top.map((row) => {
    const factors = row.factors
      .slice(0, 3)
      .map((factor) => `${factor.column} ${signed(factor.effect)}`)
      .join(', ');
    return `  ${row.id}  ${percent(row.probability)}  (${factors})`;
  });
  return `\nHighest-scored rows (final model; effects in log-odds):\n${lines.join('\n')}\n`;
}

/** The rows the final model rates highest, with the columns that pushed them most. */
export function topRows(
  report: TrainingReport,
  ids: readonly string[],
  rows: readonly TrainingRow[],
  count = 5,
): TopRow[] {
  return rows
    .map((row, index) => ({ index, explained: explainPrediction(report.model, row) }))
    .sort((a, b) => b.explained.probability - a.explained.probability || a.index - b.index)
    .slice(0, count)
    .map(({ index, explained }) => ({
      id: ids[index] ?? String(index),
      probability: explained.probability,
      factors: explained.factors,
    }));
}

/** The training report as a person reads it in a terminal. */
export function formatTrainingReport(
  report: Omit<TrainingReport, 'model' | 'outOfFold'>,
  context: ReportContext,
): string {
  const used = report.columns.map((column) => `${column.name} (${column.kind})`).join(', ');
  const skipped = report.skipped.map((column) => `  - ${column.message}`).join('\n');
  const leaks = report.leaks
    .map(
      (leak) =>
        `  - ${leak.message}${leak.forced ? ' — kept (--force)' : ` — left out; --force ${leak.column} keeps it`}`,
    )
    .join('\n');
  const factors = report.factors
    .slice(0, 10)
    .map(
      (factor) =>
        `  ${factor.column.padEnd(24)} ${factor.spread.toFixed(2)}  ${factor.strongest
          .map((input) => `${input.label} ${signed(input.coefficient)}`)
          .join(', ')}`,
    )
    .join('\n');
  return [
    `Trained on ${context.source}: ${whole(report.rows)} rows, ${whole(report.positives)} positive (\`${context.positiveValue}\` in ${context.target}, ${percent(report.baseRate)})${context.skippedRows > 0 ? `; ${whole(context.skippedRows)} rows without an outcome left out` : ''}.`,
    `Model: L2-regularised logistic regression, λ = ${report.l2} (chosen by cross-validated log-loss).`,
    `Columns used: ${used}.`,
    ...(skipped ? [`Columns skipped:\n${skipped}`] : []),
    ...(leaks ? [`Probable leaks:\n${leaks}`] : ['Probable leaks: none found.']),
    '',
    measuresSection(report, context),
    '',
    'Calibration on the held-out fold:',
    calibrationSection(report.holdout),
    '',
    'Lift by decile on the held-out fold (highest predictions first):',
    liftSection(report.holdout),
    '',
    'Strongest factors (spread: how far a column moves the log-odds across rows; then its strongest inputs):',
    factors,
    topRowsSection(context),
  ].join('\n');
}
