import { beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../../src/server/insight/run-report.ts';
import { handoffDriver } from '../handoff/handoff-helpers.ts';
import { signedInPerson } from '../helpers/sign-in-as.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { type FunnelPeople, Q1, seedFunnelHistory } from './funnel-history.ts';

const START = Date.UTC(2026, 4, 4, 12, 0, 0);
const t = useTestApp(START);
const drive = handoffDriver(t);
let people: FunnelPeople;

beforeAll(async () => {
  people = await seedFunnelHistory(t.db, t.workspaceId);
});

const q1 = 'from=2026-01-01&to=2026-04-01';

/** Every lead id behind a cell, following `nextCursor` one lead at a time. */
async function leadsBehind(report: string, query: string, cell: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await t.get(
      `/api/reports/${report}/leads?${query}&cell=${encodeURIComponent(cell)}&limit=1${after}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const page: { items: Array<{ id: string }>; nextCursor: string | null } = response.json();
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('GET /api/reports/:name', () => {
  it('answers each report as its function does, for the period asked', async () => {
    for (const name of ['funnel', 'time-in-stage', 'sla', 'recycle', 'grade-temperature', 'revenue'] as const) {
      const response = await t.get(`/api/reports/${name}?${q1}`);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(200);
      const expected = await runReport(t.db, t.workspaceId, name, {
        ...Q1,
        now: START,
        by: name === 'revenue' ? 'first-touch-source' : null,
      });
      expect(response.json()).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });

  it('splits by `by` and opens the leads behind a figure, page by page', async () => {
    const funnel = (await t.get(`/api/reports/funnel?${q1}&by=first-touch-source`)).json();
    const direct = funnel.rows.find(
      (row: { month: string | null; group: string | null }) => !row.month && row.group === 'direct',
    );
    expect(direct.stages[0]).toEqual({ stage: 'lead', count: 2, cell: 'group=direct;stage=lead', rate: null });
    expect(await leadsBehind('funnel', `${q1}&by=first-touch-source`, direct.stages[0].cell)).toEqual([
      people.imp,
      people.cat,
    ]);
    const page = (await t.get(`/api/reports/funnel/leads?${q1}&cell=stage%3Dcustomer`)).json();
    expect(page.items[0]).toEqual({
      id: people.ann,
      email: 'ann@funnel.example',
      name: 'Ann Tester',
      stage: 'customer',
      score: 90,
      owner: 'rep-a',
    });
    expect(page.nextCursor).toBeNull();
  });

  it('covers the last twelve months up to now when no period is given', async () => {
    const report = (await t.get('/api/reports/sla')).json();
    expect(report.to).toBe(new Date(START).toISOString());
    expect(report.from).toBe('2025-05-04T12:00:00.000Z');
    const lastYear = (await t.get('/api/reports/recycle?to=2026-03-01')).json();
    expect([lastYear.from, lastYear.to]).toEqual(['2025-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
  });

  it('lists the reports and the splits each takes', async () => {
    const catalog = (await t.get('/api/reports')).json();
    expect(catalog.reports.map((report: { name: string }) => report.name)).toEqual([
      'funnel',
      'time-in-stage',
      'sla',
      'recycle',
      'grade-temperature',
      'revenue',
    ]);
    expect(catalog.reports[5]).toMatchObject({ name: 'revenue', defaultBy: 'first-touch-source' });
    expect(catalog.reports[2]).toEqual({ name: 'sla', splits: [], defaultBy: null });
  });
});

describe('requests a report cannot answer', () => {
  it.each([
    ['/api/reports/pipeline', 'unknown_report', 'there is no report `pipeline`; use one of funnel, time-in-stage'],
    ['/api/reports/pipeline/leads?cell=stage%3Dmql', 'unknown_report', 'there is no report `pipeline`'],
    ['/api/reports/funnel?by=country', 'unknown_split', '`by` must be one of first-touch-source'],
    ['/api/reports/sla?by=owner', 'split_not_offered', 'the sla report takes no `by` split; leave `by` out'],
    ['/api/reports/funnel?from=yesterday', 'invalid_date', '`from` must be a date like 2026-01-31'],
    ['/api/reports/funnel?to=2026-02-30', 'invalid_date', '`to` must be a date like 2026-01-31'],
    [
      '/api/reports/funnel?from=2026-04-01&to=2026-01-01',
      'empty_period',
      '`from` (2026-04-01T00:00:00.000Z) must be before `to` (2026-01-01T00:00:00.000Z)',
    ],
    ['/api/reports/funnel?from=2026-01-01&to=2026-01-01', 'empty_period', 'must be before `to`'],
    ['/api/reports/funnel?from=2001-01-01&to=2026-01-01', 'period_too_long', 'at most 10 years'],
    ['/api/reports/funnel/leads?cell=stage%3Dwon', 'invalid_cell', 'it must be one of lead, mql, sal'],
    ['/api/reports/funnel/leads?cell=group%3Dgoogle%3Bstage%3Dmql', 'invalid_cell', 'send the same `by`'],
    ['/api/reports/funnel/leads', 'invalid_request', 'cell'],
    ['/api/reports/funnel/leads?cell=stage%3Dmql&cursor=nonsense', 'invalid_cursor', 'start again without it'],
  ])('%s answers 400 %s', async (url, code, message) => {
    const response = await t.get(url);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe(code);
    expect(response.json().error.message).toContain(message);
  });
});

describe('who may read reports', () => {
  it('lets every signed-in role read them, and no write key', async () => {
    for (const role of ['viewer', 'rep', 'marketing']) {
      const person = await signedInPerson(t, role);
      const response = await person.call('GET', `/api/reports/funnel?${q1}`);
      expect(response.statusCode, role).toBe(200);
    }
    const write = await t.app.inject({
      method: 'GET',
      url: '/api/reports/funnel',
      headers: { authorization: t.writeAuth },
    });
    expect(write.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/reports/funnel' })).statusCode).toBe(401);
  });
});

describe('leads that came in through ingestion', () => {
  it('are counted by the source and channel of their first tagged visit or referring site', async () => {
    await t.send('/v1/page', {
      userId: 'insight-ad',
      messageId: 'insight-ad-landing',
      properties: { path: '/lp', url: 'https://acme.example/lp', utm_source: 'LinkedIn', utm_medium: 'paid-social' },
    });
    await t.send('/v1/track', {
      userId: 'insight-hn',
      messageId: 'insight-hn-visit',
      event: 'Pricing Viewed',
      context: { page: { referrer: 'https://news.ycombinator.com/item?id=1', url: 'https://acme.example/pricing' } },
    });
    const ad = await drive.handRaiser('insight-ad');
    const hn = await drive.handRaiser('insight-hn');
    const may = 'from=2026-05-01&to=2026-06-01';
    const bySource = (await t.get(`/api/reports/funnel?${may}&by=first-touch-source`)).json();
    const mqls = (group: string) =>
      bySource.rows.find((row: { month: string | null; group: string | null }) => !row.month && row.group === group)
        ?.stages[1].count;
    expect([mqls('linkedin'), mqls('news.ycombinator.com')]).toEqual([1, 1]);
    expect(await leadsBehind('funnel', `${may}&by=first-touch-source`, 'group=linkedin;stage=mql')).toEqual([ad]);
    const byChannel = (await t.get(`/api/reports/funnel?${may}&by=last-touch-channel`)).json();
    const channels = Object.fromEntries(
      byChannel.rows
        .filter((row: { month: string | null; group: string | null }) => !row.month && row.group)
        .map((row: { group: string; stages: Array<{ count: number }> }) => [row.group, row.stages[1]?.count]),
    );
    expect(channels).toMatchObject({ paid: 1, referral: 1 });
    expect(await leadsBehind('funnel', `${may}&by=last-touch-channel`, 'group=referral;stage=mql')).toEqual([hn]);
  });
});
