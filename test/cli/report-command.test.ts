import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapWorkspace } from '../../src/server/bootstrap-workspace.ts';
import { type DatabaseTarget, openDatabase } from '../../src/server/db/open-database.ts';
import { type FunnelPeople, seedFunnelHistory } from '../server/insight/funnel-history.ts';
import { commandDatabase, ripenOn } from './run-ripen.ts';

let target: DatabaseTarget;
let drop = async () => {};
let people: FunnelPeople;

beforeAll(async () => {
  ({ target, drop } = await commandDatabase('report'));
  const database = await openDatabase(target);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    people = await seedFunnelHistory(database.db, workspaceId);
  } finally {
    await database.close();
  }
});

afterAll(() => drop());

const ripen = (...args: string[]) => ripenOn(target, ...args);

const Q1 = ['--from', '2026-01-01', '--to', '2026-04-01'];

describe('ripen report', () => {
  it('prints the funnel as a table: counts with conversion rates, one row per month', () => {
    const run = ripen('report', 'funnel', ...Q1);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Funnel of the leads that entered from 2026-01-01 until 2026-04-01 (exclusive)');
    expect(lines[1]).toBe('MQL → SQL: 60.0% (3 of 5)');
    expect(lines[3]?.split(/\s+/)).toEqual(['month', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer']);
    expect(lines.slice(5, 9).map((line) => line.replace(/\s+/g, ' '))).toEqual([
      'all 6 5 (83.3%) 4 (80.0%) 3 (75.0%) 2 (66.7%) 2 (100.0%)',
      '2026-01 3 3 (100.0%) 3 (100.0%) 3 (100.0%) 2 (66.7%) 2 (100.0%)',
      '2026-02 2 1 (50.0%) 1 (100.0%) 0 (0.0%) 0 0',
      '2026-03 1 1 (100.0%) 0 (0.0%) 0 0 0',
    ]);
    // Columns line up: every row as wide as the header's rule.
    const width = lines[4]?.length ?? 0;
    for (const line of lines.slice(5, 9)) expect(line.length).toBe(width);
  });

  it('prints the SLA per owner with shares and median times', () => {
    const run = ripen('report', 'sla', ...Q1);
    expect(run.status).toBe(0);
    const rows = run.stdout
      .split('\n')
      .slice(4, 7)
      .map((line) => line.replace(/\s+/g, ' '));
    expect(rows).toEqual(['all 6 3 50.0% 3 6h', 'rep-a 3 2 66.7% 1 6h', 'rep-b 3 1 33.3% 2 18h 30m']);
  });

  it('prints JSON with --json, and the leads behind a figure with --leads', () => {
    const json = ripen('report', 'revenue', ...Q1, '--json');
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.by).toBe('first-touch-source');
    expect(report.totals[0]).toMatchObject({ currency: 'EUR', amount: 1099.75, deals: 2 });
    const leads = ripen('report', 'revenue', ...Q1, '--leads', report.rows[0].leads.cell, '--json');
    expect(leads.status).toBe(0);
    expect(JSON.parse(leads.stdout).map((lead: { id: string }) => lead.id)).toEqual([people.ann, people.old]);
    const table = ripen('report', 'funnel', ...Q1, '--by', 'first-touch-channel', '--leads', 'group=paid;stage=mql');
    expect(table.status).toBe(0);
    expect(table.stdout.split('\n').map((line) => line.split(/\s+/)[0])).toEqual([
      'email',
      '------------------',
      'ann@funnel.example',
      'eve@funnel.example',
      '',
    ]);
  });

  it.each([
    [['report', 'pipeline'], 'there is no report `pipeline`; use one of funnel, time-in-stage'],
    [['report', 'funnel', '--from', '2026-13-01'], '--from must be a date like 2026-01-31'],
    [['report', 'funnel', '--from', '2026-05-01', '--to', '2026-01-01'], 'must be before --to'],
    [['report', 'sla', '--by', 'owner'], 'the sla report takes no --by split'],
    [['report', 'funnel', '--by', 'weather'], '--by must be one of first-touch-source'],
    [['report', 'funnel', '--leads', 'stage=nope'], 'it must be one of lead, mql'],
  ])('refuses %j saying what to fix', (args, message) => {
    const run = ripen(...args);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
  });
});
