import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportParams } from '../../../src/core/insight/report-query.ts';
import type { FunnelReport, ReportName, Split } from '../../../src/core/insight/report-types.ts';
import { bootstrapWorkspace } from '../../../src/server/bootstrap-workspace.ts';
import { listReportLeads, runReport } from '../../../src/server/insight/run-report.ts';
import { useTestDatabase } from '../helpers/test-database.ts';
import { DAY, type FunnelPeople, HOUR, Q1, seedFunnelHistory } from './funnel-history.ts';

const database = useTestDatabase();
let workspaceId = '';
let people: FunnelPeople;

beforeAll(async () => {
  workspaceId = (await bootstrapWorkspace(database().db)).workspaceId;
  people = await seedFunnelHistory(database().db, workspaceId);
});

const params = (by: Split | null = null): ReportParams => ({ ...Q1, by });

/** Every lead behind a cell, following the pages (two at a time, so paging is exercised). */
async function leadsBehind(report: ReportName, cell: string, by: Split | null = null): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listReportLeads(database().db, workspaceId, report, params(by), { cell, cursor, limit: 2 });
    if (!page.ok) throw new Error(page.error.message);
    ids.push(...page.value.items.map((item) => item.id));
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

const counts = (report: FunnelReport, month: string | null, group: string | null) =>
  report.rows.find((row) => row.month === month && row.group === group)?.stages.map((stage) => stage.count);

describe('the funnel', () => {
  // Entered in Q1: ann, bob, imp (January, imp by its history), cat, dan (February), eve (March).
  // Reached: ann and imp customer, bob sql (skipping sal, past it), dan sal, eve mql, cat lead.
  it('counts the leads that entered in the period reaching each stage, with rates and the MQL → SQL headline', async () => {
    const report = await runReport(database().db, workspaceId, 'funnel', params());
    expect(counts(report, null, null)).toEqual([6, 5, 4, 3, 2, 2]);
    expect(report.rows[0]?.stages.map((stage) => stage.rate)).toEqual([null, 0.8333, 0.8, 0.75, 0.6667, 1]);
    expect(report.headline).toEqual({
      rate: 0.6,
      mql: { count: 5, cell: 'stage=mql' },
      sql: { count: 3, cell: 'stage=sql' },
    });
    expect(report.rows.map((row) => row.month)).toEqual([null, '2026-01', '2026-02', '2026-03']);
    expect(counts(report, '2026-01', null)).toEqual([3, 3, 3, 3, 2, 2]);
    expect(counts(report, '2026-02', null)).toEqual([2, 1, 1, 0, 0, 0]);
    expect(counts(report, '2026-03', null)).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it('opens the leads behind each count, matching it', async () => {
    const { ann, bob, cat, dan, eve, imp } = people;
    // Highest score first: ann 90, imp 80, bob 70, dan 50, eve 30, cat 10.
    expect(await leadsBehind('funnel', 'stage=lead')).toEqual([ann, imp, bob, dan, eve, cat]);
    expect(await leadsBehind('funnel', 'stage=sql')).toEqual([ann, imp, bob]);
    expect(await leadsBehind('funnel', 'month=2026-01;stage=opportunity')).toEqual([ann, imp]);
    expect(await leadsBehind('funnel', 'month=2026-02;stage=mql')).toEqual([dan]);
    const report = await runReport(database().db, workspaceId, 'funnel', params());
    for (const row of report.rows) {
      for (const stage of row.stages) expect(await leadsBehind('funnel', stage.cell)).toHaveLength(stage.count);
    }
  });

  it.each<[Split, Record<string, number[]>]>([
    // First touches: ann google (utm), bob newsletter (campaign context), dan google.com (referrer), eve linkedin.
    [
      'first-touch-source',
      {
        direct: [2, 1, 1, 1, 1, 1],
        google: [1, 1, 1, 1, 1, 1],
        'google.com': [1, 1, 1, 0, 0, 0],
        linkedin: [1, 1, 0, 0, 0, 0],
        newsletter: [1, 1, 1, 1, 0, 0],
      },
    ],
    // Last touch up to the first MQL: ann's LinkedIn visit, not its later bing ad.
    [
      'last-touch-source',
      {
        direct: [2, 1, 1, 1, 1, 1],
        'linkedin.com': [1, 1, 1, 1, 1, 1],
        'google.com': [1, 1, 1, 0, 0, 0],
        linkedin: [1, 1, 0, 0, 0, 0],
        newsletter: [1, 1, 1, 1, 0, 0],
      },
    ],
    [
      'first-touch-channel',
      { paid: [2, 2, 1, 1, 1, 1], direct: [2, 1, 1, 1, 1, 1], email: [1, 1, 1, 1, 0, 0], organic: [1, 1, 1, 0, 0, 0] },
    ],
    [
      'last-touch-channel',
      {
        direct: [2, 1, 1, 1, 1, 1],
        email: [1, 1, 1, 1, 0, 0],
        organic: [1, 1, 1, 0, 0, 0],
        paid: [1, 1, 0, 0, 0, 0],
        social: [1, 1, 1, 1, 1, 1],
      },
    ],
    ['first-touch-campaign', { none: [4, 3, 2, 1, 1, 1], brand: [1, 1, 1, 1, 1, 1], 'jan-news': [1, 1, 1, 1, 0, 0] }],
    ['industry', { unknown: [3, 2, 2, 2, 1, 1], software: [2, 2, 2, 1, 1, 1], retail: [1, 1, 0, 0, 0, 0] }],
    [
      'size',
      {
        unknown: [3, 2, 2, 2, 1, 1],
        '1-10': [1, 1, 1, 0, 0, 0],
        '51-200': [1, 1, 1, 1, 1, 1],
        '5001+': [1, 1, 0, 0, 0, 0],
      },
    ],
    ['owner', { 'rep-a': [2, 2, 2, 1, 1, 1], 'rep-b': [2, 2, 1, 1, 0, 0], unassigned: [2, 1, 1, 1, 1, 1] }],
    // The version each lead first became an MQL under: bob's second MQL (v2) does not move it.
    ['playbook-version', { '1': [2, 2, 2, 2, 1, 1], '2': [2, 2, 1, 0, 0, 0], none: [2, 1, 1, 1, 1, 1] }],
  ])('splits by %s', async (by, expected) => {
    const report = await runReport(database().db, workspaceId, 'funnel', params(by));
    const groups = report.rows.filter((row) => row.month === null && row.group !== null);
    expect(Object.fromEntries(groups.map((row) => [row.group, row.stages.map((stage) => stage.count)]))).toEqual(
      expected,
    );
    // Most leads first, then by name.
    const sizes = groups.map((row) => row.stages[0]?.count ?? 0);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    for (const row of report.rows.filter((candidate) => candidate.group !== null)) {
      const cell = row.stages[1]?.cell ?? '';
      expect(await leadsBehind('funnel', cell, by), cell).toHaveLength(row.stages[1]?.count ?? -1);
    }
  });

  it('splits each month by group too', async () => {
    const report = await runReport(database().db, workspaceId, 'funnel', params('owner'));
    expect(counts(report, '2026-01', 'rep-a')).toEqual([1, 1, 1, 1, 1, 1]);
    expect(counts(report, '2026-01', 'unassigned')).toEqual([1, 1, 1, 1, 1, 1]);
    expect(counts(report, '2026-02', 'unassigned')).toEqual([1, 0, 0, 0, 0, 0]);
    expect(await leadsBehind('funnel', 'month=2026-02;group=rep-a;stage=sal', 'owner')).toEqual([people.dan]);
  });
});

describe('time in stage', () => {
  it('measures the stays that ended in the period: median and p90 per stage, with counts', async () => {
    const report = await runReport(database().db, workspaceId, 'time-in-stage', params());
    const stage = (name: string) => report.stages.find((row) => row.stage === name);
    // lead: ann 5d, bob 5d, dan 2d, eve 1d, imp 0d (it entered with its first move).
    expect(stage('lead')).toMatchObject({ stays: 5, leads: { count: 5 }, medianSeconds: 2 * DAY, p90Seconds: 5 * DAY });
    // mql: ann 1d, dan 1d, eve 2d, bob 9d, zed 23d and 61d, old 36d (its stay began in December).
    expect(stage('mql')).toMatchObject({ stays: 7, leads: { count: 6, cell: 'stage=mql' }, medianSeconds: 9 * DAY });
    expect(stage('mql')?.p90Seconds).toBeCloseTo(46 * DAY, 3);
    expect(stage('sal')).toMatchObject({ stays: 2, medianSeconds: 2.5 * DAY });
    expect(stage('sal')?.p90Seconds).toBeCloseTo(3.7 * DAY, 3);
    expect(stage('sql')).toMatchObject({ stays: 2, medianSeconds: 12 * DAY });
    expect(stage('sql')?.p90Seconds).toBeCloseTo(16 * DAY, 3);
    expect(stage('opportunity')).toMatchObject({ stays: 1, medianSeconds: 19 * DAY, p90Seconds: 19 * DAY });
    expect(stage('recycled')).toMatchObject({ stays: 2, medianSeconds: 11.5 * DAY });
    expect(stage('customer')).toMatchObject({ stays: 0, leads: { count: 0 }, medianSeconds: null, p90Seconds: null });
    expect(report.stages.map((row) => row.stage)).toEqual([
      'lead',
      'mql',
      'sal',
      'sql',
      'opportunity',
      'customer',
      'recycled',
      'disqualified',
    ]);
    const { ann, bob, dan, eve, old, zed } = people;
    expect(await leadsBehind('time-in-stage', 'stage=mql')).toEqual([ann, bob, old, dan, eve, zed]);
  });
});

describe('SLA', () => {
  // Deadlines in Q1: rep-a ann (6h, in time), dan (2h, in time), old (28h, touched late without a
  // sweep); rep-b bob twice (36h late and breached; 1h in time), eve (breached, never touched).
  it('counts hand-offs touched in time, breaches and the median time to first touch, per owner', async () => {
    const report = await runReport(database().db, workspaceId, 'sla', params());
    expect(report.total).toMatchObject({
      due: { count: 6, cell: 'sla=due' },
      inTime: { count: 3 },
      breached: { count: 3 },
      touched: { count: 5 },
      inTimeRate: 0.5,
      medianSecondsToFirstTouch: 6 * HOUR,
    });
    expect(report.owners.map((row) => [row.owner, row.due.count, row.inTime.count, row.breached.count])).toEqual([
      ['rep-a', 3, 2, 1],
      ['rep-b', 3, 1, 2],
    ]);
    expect(report.owners[0]?.medianSecondsToFirstTouch).toBe(6 * HOUR);
    expect(report.owners[1]?.medianSecondsToFirstTouch).toBe(18.5 * HOUR);
    expect(report.owners[1]?.inTimeRate).toBe(0.3333);
    const { bob, eve, old, ann, dan } = people;
    expect(await leadsBehind('sla', 'owner=rep-b;sla=breached')).toEqual([bob, eve]);
    expect(await leadsBehind('sla', report.owners[0]?.breached.cell ?? '')).toEqual([old]);
    // Six hand-offs, five people: bob was handed off twice.
    expect(await leadsBehind('sla', 'sla=due')).toEqual([ann, bob, old, dan, eve]);
  });

  it('leaves out deadlines that have not come yet', async () => {
    const early = await runReport(database().db, workspaceId, 'sla', { ...params(), now: Date.UTC(2026, 1, 1) });
    expect(early.total.due.count).toBe(2); // ann's and bob's first
  });
});

describe('recycling', () => {
  // bob: no-budget 10 Feb, back 1 Mar (19d). eve: not-ready 8 Mar, not back. zed: not-ready 5 Jan,
  // back 9 Jan (4d), then no-response 1 Feb, not back.
  it('counts leads recycled in the period, those that re-qualified and how soon, by reason', async () => {
    const report = await runReport(database().db, workspaceId, 'recycle', params());
    expect(report.total).toEqual({
      reason: null,
      recycled: { count: 3, cell: 'figure=recycled' },
      requalified: { count: 2, cell: 'figure=requalified' },
      requalifiedRate: 0.6667,
      medianSecondsToRequalify: 11.5 * DAY,
    });
    expect(
      report.reasons.map((row) => [
        row.reason,
        row.recycled.count,
        row.requalified.count,
        row.medianSecondsToRequalify,
      ]),
    ).toEqual([
      ['not-ready', 2, 1, 4 * DAY],
      ['no-budget', 1, 1, 19 * DAY],
      ['no-response', 1, 0, null],
    ]);
    const { bob, eve, zed } = people;
    expect(await leadsBehind('recycle', 'figure=requalified')).toEqual([bob, zed]);
    expect(await leadsBehind('recycle', 'reason=not-ready;figure=recycled')).toEqual([eve, zed]);
  });
});

describe('grade × temperature', () => {
  // Judged at their first MQL: ann A-hot, bob B-warm, dan A-warm, eve C-cold; never MQLs, as now:
  // cat C-cold, imp A-cold.
  it('counts the leads of each cell and their conversion to SQL and to won', async () => {
    const report = await runReport(database().db, workspaceId, 'grade-temperature', params());
    expect(report.total).toMatchObject({
      leads: { count: 6, cell: 'figure=leads' },
      sql: { count: 3 },
      won: { count: 2 },
      sqlRate: 0.5,
      wonRate: 0.3333,
    });
    expect(report.cells).toHaveLength(12);
    const cells = Object.fromEntries(
      report.cells
        .filter((cell) => cell.leads.count > 0)
        .map((cell) => [`${cell.grade}-${cell.temperature}`, [cell.leads.count, cell.sql.count, cell.won.count]]),
    );
    expect(cells).toEqual({
      'A-cold': [1, 1, 1],
      'A-warm': [1, 0, 0],
      'A-hot': [1, 1, 1],
      'B-warm': [1, 1, 0],
      'C-cold': [2, 0, 0],
    });
    expect(report.cells[0]).toMatchObject({ grade: 'A', temperature: 'cold', wonRate: 1 });
    expect(await leadsBehind('grade-temperature', 'grade=C;temperature=cold;figure=leads')).toEqual([
      people.eve,
      people.cat,
    ]);
    expect(await leadsBehind('grade-temperature', 'figure=won')).toEqual([people.ann, people.imp]);
  });
});

describe('revenue', () => {
  // Won in Q1: ann 1,000.50 EUR and old 99.25 eur (both first touched by google), imp 200 USD and
  // cat (no amount, no currency), both direct. dan's April deal and old's lost one do not count.
  it('sums won revenue by first-touch source and currency, with the deals and their leads', async () => {
    const report = await runReport(database().db, workspaceId, 'revenue', params('first-touch-source'));
    expect(report.by).toBe('first-touch-source');
    expect(report.rows.map((row) => [row.group, row.currency, row.amount, row.deals, row.leads.count])).toEqual([
      ['google', 'EUR', 1099.75, 2, 2],
      ['direct', 'USD', 200, 1, 1],
      ['direct', 'none', 0, 1, 1],
    ]);
    expect(report.totals.map((row) => [row.currency, row.amount, row.deals])).toEqual([
      ['EUR', 1099.75, 2],
      ['USD', 200, 1],
      ['none', 0, 1],
    ]);
    expect(report.rows[0]?.leads.cell).toBe('group=google;currency=EUR');
    expect(await leadsBehind('revenue', 'group=google;currency=EUR', 'first-touch-source')).toEqual([
      people.ann,
      people.old,
    ]);
    const byOwner = await runReport(database().db, workspaceId, 'revenue', params('owner'));
    expect(byOwner.rows.map((row) => [row.group, row.currency, row.amount])).toEqual([
      ['rep-a', 'EUR', 1099.75],
      ['unassigned', 'USD', 200],
      ['unassigned', 'none', 0],
    ]);
  });
});

describe('cells that are not a report’s', () => {
  it.each<[ReportName, string, Split | null, string]>([
    ['funnel', 'stage=won', null, 'must be one of lead, mql'],
    ['funnel', 'month=2026-13;stage=mql', null, 'month must look like 2026-03'],
    ['funnel', 'group=google;stage=mql', null, 'send the same `by`'],
    ['funnel', 'month=2026-01', null, 'lacks `stage`'],
    ['sla', 'owner=rep-a;sla=late', null, 'must be one of due, in-time, breached, touched'],
    ['recycle', 'colour=red;figure=recycled', null, 'names `colour`'],
    ['revenue', 'stage=mql;stage=sql', null, 'names `stage`'],
  ])('%s refuses %s', async (report, cell, by, message) => {
    const page = await listReportLeads(database().db, workspaceId, report, params(by), { cell });
    expect(page.ok).toBe(false);
    if (!page.ok) expect(page.error.message).toContain(message);
  });
});

describe('the edges of a period', () => {
  it('counts a lead that entered at 00:00:00 on the first day and at 23:59:59 on the last, UTC, and no other', async () => {
    const { db } = database();
    const other = await db.insertInto('workspaces').values({ name: 'edges' }).returning('id').executeTakeFirstOrThrow();
    const enter = async (email: string, created: string, owner: string | null = null) =>
      (
        await db
          .insertInto('contacts')
          .values({
            workspace_id: other.id,
            email,
            owner,
            properties: '{}',
            stage_entered_at: '{}',
            created_at: new Date(created),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await enter('before@edges.example', '2025-12-31T23:59:59Z');
    const first = await enter('first@edges.example', '2026-01-01T00:00:00Z', 'ops;team=1');
    const last = await enter('last@edges.example', '2026-03-31T23:59:59Z', 'ops;team=1');
    await enter('after@edges.example', '2026-04-01T00:00:00Z');
    const report = await runReport(db, other.id, 'funnel', params('owner'));
    expect(counts(report, null, null)?.[0]).toBe(2);
    expect(report.rows.filter((row) => row.group === null).map((row) => [row.month, row.stages[0]?.count])).toEqual([
      [null, 2],
      ['2026-01', 1],
      ['2026-02', 0],
      ['2026-03', 1],
    ]);
    const team = report.rows.find((row) => row.month === null && row.group === 'ops;team=1');
    expect(team?.stages[0]?.cell).toBe('group=ops%3Bteam%3D1;stage=lead');
    const page = await listReportLeads(db, other.id, 'funnel', params('owner'), { cell: team?.stages[0]?.cell ?? '' });
    expect(page.ok && page.value.items.map((item) => item.id).sort()).toEqual([first, last].sort());
  });
});
