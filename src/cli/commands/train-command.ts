import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { createSplitRandom } from '../../core/predict/create-split-random.ts';
import { evaluateTraining } from '../../core/predict/evaluate-training.ts';
import { type TrainingRow, toDays } from '../../core/predict/infer-columns.ts';
import { readLabels } from '../../core/predict/read-labels.ts';
import type { Config } from '../../server/config.ts';
import { createPlaybookStore } from '../../server/playbooks/playbook-store.ts';
import { trainWorkspaceModel } from '../../server/predict/train-workspace-model.ts';
import { writePredictions } from '../../server/predict/write-predictions.ts';
import { openFirstWorkspace } from '../first-workspace.ts';
import { formatTrainingReport, topRows } from '../format-training-report.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

export interface TrainOptions {
  csv: string;
  target?: string;
  exclude?: string[];
  id?: string;
  positive?: string;
  time?: string;
  rowsInTimeOrder?: boolean;
  force?: string[];
  delimiter?: string;
  seed?: number;
  json?: boolean;
}

async function readRows(
  file: string,
  delimiter: string,
): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  try {
    await access(file);
  } catch {
    throw new Error(`cannot read ${file}: check the path`);
  }
  const rows: Record<string, string>[] = [];
  let header: string[] = [];
  const parser = createReadStream(file).pipe(
    parse({
      delimiter,
      bom: true,
      skip_empty_lines: true,
      columns: (names: string[]) => {
        header = names.map((name) => name.trim());
        return header;
      },
    }),
  );
  try {
    for await (const row of parser) rows.push(row);
  } catch (error) {
    throw new Error(`${file} is not a readable CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { header, rows };
}

function requireColumn(header: readonly string[], column: string, option: string): void {
  if (!header.includes(column))
    throw new Error(`${option} \`${column}\` is not a column of the file; its columns are ${header.join(', ')}`);
}

/** Each row's time in ms from the `--time` column, or its position when rows are in time order. */
function readTimes(
  rows: readonly TrainingRow[],
  column: string | undefined,
  inOrder: boolean,
): (number | null)[] | null {
  if (column)
    return rows.map((row) => {
      const days = toDays(row[column] ?? null);
      return days === null ? null : days * 86_400_000;
    });
  return inOrder ? rows.map((_, index) => index) : null;
}

/**
 * `ripen train --csv`: the workspace's training pipeline on any export with an outcome
 * column, so a team can see what its own history predicts before sending Ripen events.
 */
export async function runTrain(options: TrainOptions): Promise<void> {
  const target = options.target;
  if (!target) throw new Error('--csv needs --target COLUMN: the column that says whether each row was won');
  const { header, rows: all } = await readRows(options.csv, options.delimiter ?? ',');
  requireColumn(header, target, '--target');
  for (const column of options.exclude ?? []) requireColumn(header, column, '--exclude');
  for (const column of options.force ?? []) requireColumn(header, column, '--force');
  if (options.id) requireColumn(header, options.id, '--id');
  if (options.time) requireColumn(header, options.time, '--time');
  if (options.time && options.rowsInTimeOrder)
    throw new Error('give either --time COLUMN or --rows-in-time-order, not both');
  const read = readLabels(
    all.map((row) => row[target] ?? null),
    target,
    options.positive,
  );
  if (!read.ok) throw new Error(read.error.message);
  const kept = all.flatMap((row, index) => {
    const label = read.value.labels[index];
    return label === null || label === undefined ? [] : [{ row, label }];
  });
  const rows: TrainingRow[] = kept.map(({ row }) => row);
  const excluded = new Set([target, ...(options.exclude ?? []), ...(options.id ? [options.id] : [])]);
  const time = options.time;
  const id = options.id;
  const random = createSplitRandom(options.seed ?? 1);
  const result = evaluateTraining({
    rows,
    labels: kept.map(({ label }) => label),
    columns: header.filter((column) => !excluded.has(column)),
    times: readTimes(rows, time, options.rowsInTimeOrder === true),
    force: options.force,
    random,
    onStage: (stage) => process.stderr.write(`training: ${stage.replace(/-/g, ' ')}…\n`),
  });
  if (!result.ok) throw new Error(result.error.message);
  if (options.json) {
    const { model, outOfFold, ...report } = result.value;
    process.stdout.write(`${JSON.stringify({ ...report, model }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    formatTrainingReport(result.value, {
      source: options.csv,
      target: target,
      positiveValue: read.value.positiveValue,
      skippedRows: all.length - kept.length,
      top: id
        ? topRows(
            result.value,
            rows.map((row) => String(row[id] ?? '')),
            rows,
          )
        : [],
      timeColumn: time ?? null,
    }),
  );
}

/**
 * `ripen train` on the workspace: trains a new model version on its won and lost leads,
 * writes every contact's probability, and prints the report (the job does the same daily).
 */
export async function runTrainWorkspace(config: Config, options: { json?: boolean }): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await openFirstWorkspace(database.db, config);
    const now = Date.now();
    const trained = await trainWorkspaceModel(database.db, workspaceId, now);
    if (!trained.ok)
      throw new Error(`model version ${trained.error.version} refused to train: ${trained.error.refusal.message}`);
    const playbook = await createPlaybookStore(database.db).active(workspaceId);
    process.stderr.write('training: writing probabilities…\n');
    const written = await writePredictions(
      database.db,
      workspaceId,
      trained.value.version,
      trained.value.model,
      now,
      playbook,
    );
    const { report, version } = trained.value;
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ version, ...written, report }, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      formatTrainingReport(report, {
        source: `the workspace (model version ${version})`,
        target: 'outcome',
        positiveValue: 'won',
        skippedRows: 0,
        top: [],
        timeColumn: 'decided',
      }),
    );
    process.stdout.write(
      `Wrote probabilities to ${written.scored.toLocaleString('en-GB')} contacts (${written.changed.toLocaleString('en-GB')} changed).\n`,
    );
  } finally {
    await database.close();
  }
}
