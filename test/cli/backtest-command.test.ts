import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport } from '../../src/core/backtest/backtest-report.ts';
import { buildApp } from '../../src/server/app.ts';
import { bootstrapWorkspace } from '../../src/server/bootstrap-workspace.ts';
import { type DatabaseTarget, openDatabase } from '../../src/server/db/open-database.ts';
import { FROM, LOWER_BAR, PERIOD, seedBacktestHistory } from '../server/backtest/backtest-history.ts';
import { commandDatabase, ripenOn } from './run-ripen.ts';

let target: DatabaseTarget;
let drop = async () => {};
const folder = mkdtempSync(join(tmpdir(), 'ripen-backtest-drafts-'));
const draft = join(folder, 'lower-bar.yaml');
const broken = join(folder, 'broken.yaml');

beforeAll(async () => {
  ({ target, drop } = await commandDatabase('backtest'));
  writeFileSync(draft, LOWER_BAR);
  writeFileSync(broken, 'name: broken\nfit: [unclosed\n');
  const database = await openDatabase(target);
  try {
    const boot = await bootstrapWorkspace(database.db);
    const clock = { now: FROM };
    const built = await buildApp({ db: database.db, dbKind: database.kind, clock: () => clock.now });
    const authorization = `Basic ${Buffer.from(`${boot.writeKey}:`).toString('base64')}`;
    try {
      await seedBacktestHistory({
        db: database.db,
        workspaceId: boot.workspaceId,
        playbooks: built.playbooks,
        clock,
        async send(url, payload) {
          const response = await built.app.inject({
            method: 'POST',
            url,
            headers: { authorization },
            payload: payload as object,
          });
          await built.scoring.drain();
          return response;
        },
      });
    } finally {
      await built.app.close();
    }
  } finally {
    await database.close();
  }
});

afterAll(() => drop());

const ripen = (...args: string[]) => ripenOn(target, ...args);

const squeeze = (line: string | undefined) => (line ?? '').replace(/\s+/g, ' ').trim();

describe('ripen backtest', () => {
  it('prints the published playbook and the draft side by side, the weekly load and the leads that change class', () => {
    const run = ripen('backtest', draft, '--from', PERIOD.from, '--to', PERIOD.to);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      'Backtest from 2026-03-02 until 2026-04-27 (exclusive): 8 leads replayed, 4 of them won; left out: 1 customer won before it',
    );
    const row = (label: string) => squeeze(lines.find((line) => line.startsWith(label)));
    expect(squeeze(lines[2])).toBe('published v1 draft');
    expect(row('playbook')).toBe('playbook Default B2B playbook Default B2B playbook');
    expect(row('MQLs ')).toBe('MQLs 2 5');
    expect(row('precision')).toBe('precision (won / MQLs) 100.0% 60.0%');
    expect(row('recall')).toBe('recall (of 4 won) 50.0% 75.0%');
    expect(row('median MQL')).toBe('median MQL → win 18.5d 27.0d');
    expect(row('2026-W10')).toBe('2026-W10 2026-03-02 1 2');
    expect(run.stdout).toContain(
      '3 leads change class: 3 MQL under the draft only (1 won), 0 under the published playbook only (0 won):',
    );
    expect(row('slow@bravo.example')).toBe('slow@bravo.example – 2026-03-12 01:00 won 2026-04-11');
    // Columns line up: the week rows are as wide as their header's rule.
    const rule = lines.findIndex((line) => line.startsWith('week'));
    expect(lines[rule + 2]?.length).toBe(lines[rule + 1]?.trimEnd().length);
    // Progress goes to stderr, never into the table.
    expect(run.stderr).toContain('backtest [');
  });

  it('prints the report as JSON with --json', () => {
    const run = ripen('backtest', draft, '--from', PERIOD.from, '--to', PERIOD.to, '--json', '--limit', '1');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as BacktestReport;
    expect([report.columns.published.mqls, report.columns.draft.mqls, report.columns.draft.recall]).toEqual([
      2, 5, 0.75,
    ]);
    expect([report.changed.total, report.changed.items.length]).toEqual([3, 1]);
  });

  it('names the file and line of a draft that is not valid', () => {
    const run = ripen('backtest', broken, '--from', PERIOD.from, '--to', PERIOD.to);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${broken}:3: playbook line 3, column 1: invalid YAML: a \`[\` is not closed`);
  });

  it('says how to fix a period', () => {
    const run = ripen('backtest', draft, '--from', '2026-04-27', '--to', '2026-03-02');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'ripen: --from (2026-04-27T00:00:00.000Z) must be before --to (2026-03-02T00:00:00.000Z)',
    );
  });
});
