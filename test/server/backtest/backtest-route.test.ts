import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport } from '../../../src/core/backtest/backtest-report.ts';
import { runBacktest } from '../../../src/server/backtest/run-backtest.ts';
import { createApiKey } from '../../../src/server/workspaces/api-keys.ts';
import { DAY, HOUR, MINUTE } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { FROM, LOWER_BAR, PERIOD, PUBLISHED, RENAMED, seedBacktestHistory } from './backtest-history.ts';

const t = useTestApp();
let ids: Record<string, string> = {};

beforeAll(async () => {
  ids = await seedBacktestHistory(t);
});

async function backtest(body: object, authorization = t.secretAuth) {
  return t.app.inject({ method: 'POST', url: '/api/backtest', headers: { authorization }, payload: body });
}

async function report(draft: string): Promise<BacktestReport> {
  const response = await backtest({ draft, ...PERIOD });
  expect(response.statusCode).toBe(200);
  return response.json();
}

const iso = (offset: number) => new Date(FROM + offset).toISOString();

describe('POST /api/backtest', () => {
  it('shows a draft with a lower MQL bar qualifying more leads, earlier, and catching more of the won ones', async () => {
    const result = await report(LOWER_BAR);
    expect(result.period).toEqual({ from: '2026-03-02T00:00:00.000Z', to: '2026-04-27T00:00:00.000Z' });
    expect(result.published).toEqual({ version: 1, name: 'Default B2B playbook' });
    // Eight people replayed; the customer won before the period is left out; quick, slow,
    // hand-raiser and silent are won after `from`.
    expect(result.contacts).toEqual({ replayed: 8, alreadyCustomers: 1, won: 4 });
    const { published, draft } = result.columns;
    expect([published.mqls, published.wonCaught, published.precision, published.recall]).toEqual([2, 2, 1, 0.5]);
    expect([draft.mqls, draft.wonCaught, draft.precision, draft.recall]).toEqual([5, 3, 0.6, 0.75]);
    // quick: 27 days from MQL to win; hand-raiser: 10; slow (draft only): 30 days minus an hour.
    expect(published.medianDaysToWin).toBe(18.5);
    expect(draft.medianDaysToWin).toBe(27);
    expect(published.byRule).toEqual([
      { rule: 'demo-request', kind: 'hand-raise', mqls: 1 },
      { rule: 'good-fit-engaged', kind: 'qualify-mql', mqls: 1 },
    ]);
    expect(draft.byRule).toEqual([
      { rule: 'good-fit-engaged', kind: 'qualify-mql', mqls: 4 },
      { rule: 'demo-request', kind: 'hand-raise', mqls: 1 },
    ]);
    // The two won leads both caught: quick 30 minutes earlier with the draft, hand-raiser at once.
    expect(result.earlier).toEqual({ bothCaught: 2, medianDays: 0 });
    expect(result.weeks.map((week) => [week.week, week.published, week.draft])).toEqual([
      ['2026-W10', 1, 2],
      ['2026-W11', 0, 1],
      ['2026-W12', 1, 1],
      ['2026-W13', 0, 1],
      ['2026-W14', 0, 0],
      ['2026-W15', 0, 0],
      ['2026-W16', 0, 0],
      ['2026-W17', 0, 0],
    ]);
    expect(result.weeks.every((week) => !week.partial)).toBe(true);
    expect([published.mqlsPerWeek, draft.mqlsPerWeek]).toEqual([
      { mean: 0.3, peak: 1 },
      { mean: 0.6, peak: 2 },
    ]);
  });

  it('lists the leads that change class, won leads first, with their MQL times and outcome', async () => {
    const { changed } = await report(LOWER_BAR);
    expect({ ...changed, items: [] }).toEqual({
      total: 3,
      draftOnly: 3,
      publishedOnly: 0,
      draftOnlyWon: 1,
      publishedOnlyWon: 0,
      items: [],
      limit: 100,
    });
    expect(changed.items[0]).toEqual({
      contactId: ids.slow,
      email: 'slow@bravo.example',
      name: null,
      publishedMqlAt: null,
      draftMqlAt: iso(10 * DAY + HOUR),
      outcome: { kind: 'won', at: iso(40 * DAY) },
    });
    const rest = changed.items.slice(1);
    expect(rest.map((item) => item.contactId)).toEqual([ids.history, ids.lukewarm].sort());
    expect(rest.find((item) => item.contactId === ids.history)?.draftMqlAt).toBe(iso(2 * DAY));
    expect(rest.find((item) => item.contactId === ids.lukewarm)?.outcome).toEqual({ kind: 'lost', at: iso(35 * DAY) });
  });

  it('gives identical columns and no changed lead for the same rules, under the same or another name', async () => {
    for (const draft of [PUBLISHED, RENAMED]) {
      const result = await report(draft);
      expect(result.columns.draft).toEqual(result.columns.published);
      expect(result.weeks.every((week) => week.draft === week.published)).toBe(true);
      expect(result.changed).toMatchObject({ total: 0, items: [] });
      expect(result.earlier.medianDays).toBe(0);
    }
  });

  it('is deterministic: the same request gives the same JSON, whatever the page size', async () => {
    const first = await backtest({ draft: LOWER_BAR, ...PERIOD });
    const second = await backtest({ draft: LOWER_BAR, ...PERIOD });
    expect(second.body).toBe(first.body);
    const deps = { db: t.db, playbooks: t.playbooks, clock: () => t.clock.now };
    const paged = await runBacktest(deps, t.workspaceId, { draft: LOWER_BAR, ...PERIOD }, { pageSize: 2 });
    if (!paged.ok) throw new Error(paged.error.message);
    expect(JSON.stringify(paged.value)).toBe(first.body);
  });

  it('shows only the changed leads asked for, keeping the counts', async () => {
    const response = await backtest({ draft: LOWER_BAR, ...PERIOD, limit: 1 });
    const { changed } = response.json() as BacktestReport;
    expect([changed.total, changed.limit, changed.items.map((item) => item.contactId)]).toEqual([3, 1, [ids.slow]]);
  });

  it('answers a draft that is not YAML with 400 and the line to fix', async () => {
    const response = await backtest({ draft: 'name: x\nfit: [unclosed\n', ...PERIOD });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('invalid_playbook');
    expect(error.message).toMatch(/^playbook line \d+, column \d+: invalid YAML/);
    expect(error.details[0].line).toBeGreaterThan(0);
  });

  it('answers an invalid draft with the issues the playbook validation shows', async () => {
    const broken = PUBLISHED.replace('grades: { A: 70, B: 50, C: 30 }', 'grades: { A: 70, B: lots, C: 30 }');
    const response = await backtest({ draft: broken, ...PERIOD });
    expect(response.statusCode).toBe(400);
    const validation = await t.app.inject({
      method: 'POST',
      url: '/api/playbook/validate',
      payload: { source: broken },
      headers: { authorization: t.secretAuth },
    });
    expect(response.json().error.details).toEqual(validation.json().issues);
    expect(response.json().error.message).toBe(validation.json().issues[0].message);
    expect(response.json().error.details[0].line).toBe(9);
  });

  it.each([
    [{ from: '2026-04-27', to: '2026-03-02' }, 'empty_period', '`from` (2026-04-27T00:00:00.000Z) must be before `to`'],
    [{ from: '2026-03-02', to: '2026-03-02' }, 'empty_period', 'must be before'],
    [{ from: '2 March', to: '2026-04-27' }, 'invalid_date', '`from` must be a date like 2026-01-31'],
    [{ from: '2026-02-30', to: '2026-04-27' }, 'invalid_date', 'got `2026-02-30`'],
    [{ from: '2026-03-02', to: 'tomorrow' }, 'invalid_date', '`to` must be a date'],
    [{ from: '2020-01-01', to: '2026-04-27' }, 'period_too_long', 'at most 1096 days'],
  ])('refuses the period %o with 400 %s', async (period, code, message) => {
    const response = await backtest({ draft: LOWER_BAR, ...period });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe(code);
    expect(response.json().error.message).toContain(message);
  });

  it('takes a period down to the minute: one instant before or after an MQL moves it in or out', async () => {
    const quickDraftMql = FROM + 3 * DAY + 10 * MINUTE;
    const at = (ms: number) => new Date(ms).toISOString();
    const cut = async (to: number) =>
      ((await backtest({ draft: LOWER_BAR, from: PERIOD.from, to: at(to) })).json() as BacktestReport).columns.draft
        .mqls;
    // Up to quick's draft MQL (excluded), only history's; from it on, quick's too.
    expect(await cut(quickDraftMql)).toBe(1);
    expect(await cut(quickDraftMql + 1000)).toBe(2);
  });

  it('is for who may publish playbooks: a rep key is refused', async () => {
    const { key } = await createApiKey(t.db, t.workspaceId, 'secret', 'rep', {
      role: 'rep',
      userId: 'rep@example.com',
    });
    const response = await backtest({ draft: LOWER_BAR, ...PERIOD }, `Bearer ${key}`);
    expect(response.statusCode).toBe(403);
  });
});

describe('POST /api/backtest with a draft that reads event contexts', () => {
  const c = useTestApp();

  it('reads contexts only when a rule does, and then finds the leads they qualify', async () => {
    const campaignRule = `    - id: campaign
      label: Spring campaign
      rules:
        - id: spring-open
          match: { type: track, name: Email Opened, where: [ { op: equals, field: context.campaign.name, value: spring } ] }
          points: 60
`;
    const draft = PUBLISHED.replace('    - id: negative\n', `${campaignRule}    - id: negative\n`);
    expect(draft).not.toBe(PUBLISHED);
    c.clock.now = FROM + DAY;
    const batch = [
      {
        type: 'identify',
        userId: 'spring',
        messageId: 'sp-1',
        traits: { email: 'spring@acme.example', title: 'VP Marketing' },
      },
      {
        type: 'group',
        userId: 'spring',
        groupId: 'acme.example',
        messageId: 'sp-2',
        traits: { domain: 'acme.example', employees: 300, industry: 'Software' },
      },
      {
        type: 'track',
        userId: 'spring',
        messageId: 'sp-3',
        event: 'Email Opened',
        context: { campaign: { name: 'spring' } },
      },
    ];
    expect((await c.send('/v1/batch', { batch })).json().errors).toEqual([]);
    const response = await c.app.inject({
      method: 'POST',
      url: '/api/backtest',
      headers: { authorization: c.secretAuth },
      payload: { draft, ...PERIOD },
    });
    const result = response.json() as BacktestReport;
    expect([result.columns.published.mqls, result.columns.draft.mqls]).toEqual([0, 1]);
    expect(result.changed.items[0]?.draftMqlAt).toBe(iso(DAY));
  });
});
