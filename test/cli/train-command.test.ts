import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { runTrain } from '../../src/cli/commands/train-command.ts';
import { syntheticOutcomes } from '../core/predict/synthetic-outcomes.ts';
import { freshDataDir, ripen } from './run-ripen.ts';

function writeCsv(name: string, records: Record<string, unknown>[]): string {
  const file = join(freshDataDir('train'), '..', name);
  writeFileSync(file, stringify(records, { header: true }));
  return file;
}

const { rows, labels } = syntheticOutcomes(600, 21);
const leads = rows.map((row, index) => ({ id: `lead-${index}`, ...row, outcome: labels[index] ? 'Won' : 'Lost' }));

describe('ripen train --csv', () => {
  it('prints the report: measures, calibration, lift, factors and the top rows by id', () => {
    const file = writeCsv('leads.csv', leads);
    const run = ripen(null, 'train', '--csv', file, '--target', 'outcome', '--id', 'id', '--time', 'signedUp');
    expect(run.stderr).toContain('training: cross validation…');
    expect(run.status).toBe(0);
    const positives = labels.filter((label) => label === 1).length;
    expect(run.stdout).toContain(`Trained on ${file}: 600 rows, ${positives} positive (\`Won\` in outcome`);
    expect(run.stdout).toContain('Columns used: source (categorical), seniority (categorical), employees (numeric)');
    expect(run.stdout).toContain('Probable leaks: none found.');
    expect(run.stdout).toMatch(/cross-validated \(5 folds\)\s+0\.\d{3}\s+0\.\d{3}\s+600/);
    expect(run.stdout).toMatch(/out of time \(from 2025-01-\d\d\)/);
    expect(run.stdout).toContain('Lift by decile on the held-out fold');
    expect(run.stdout).toMatch(/Highest-scored rows[^\n]*\n {2}lead-\d+ {2}\d+\.\d%/);
  }, 60_000);

  it.each([
    {
      name: 'a file that is not there',
      args: { csv: '/nonexistent/leads.csv' },
      message: 'cannot read /nonexistent/leads.csv: check the path',
    },
    {
      name: 'a target that is not a column',
      args: { target: 'won' },
      message:
        '--target `won` is not a column of the file; its columns are id, source, seniority, employees, note, signedUp, outcome',
    },
    {
      name: 'outcomes that are neither a win nor a loss',
      args: { target: 'source' },
      message:
        '`source` holds values that are neither a win nor a loss: `organic`, `paid-social`, `referral`, `email`. Name the winning value with --positive VALUE.',
    },
    {
      name: 'too few positives for the value named',
      args: { target: 'note', positive: '7' },
      message: '0 positive and 600 negative outcomes; training needs at least 20 of each to tell them apart.',
    },
    {
      name: 'both ways of telling time',
      args: { time: 'signedUp', rowsInTimeOrder: true },
      message: 'give either --time COLUMN or --rows-in-time-order, not both',
    },
  ])('refuses $name with what to fix', async ({ args, message }) => {
    const file = writeCsv('leads.csv', leads);
    await expect(runTrain({ csv: file, target: 'outcome', ...args })).rejects.toThrow(message);
  });
});
