import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isoWeekLabel, isoWeekStart } from '../../../src/core/backtest/iso-week.ts';
import type { ReplayedMql } from '../../../src/core/backtest/replay-first-mql.ts';
import { replayLead } from '../../../src/core/backtest/replay-lead.ts';
import {
  createBacktestTally,
  type ReplayedLead,
  summarizeBacktest,
  tallyAlreadyCustomer,
  tallyLead,
} from '../../../src/core/backtest/tally-backtest.ts';
import { compilePlaybook } from '../../../src/core/playbook/compile-playbook.ts';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import { DAY, HOUR } from '../../helpers/time.ts';

const FROM = Date.UTC(2026, 2, 2);
const TO = Date.UTC(2026, 2, 18, 12);
const PLAYBOOKS = { published: { version: 3, name: 'Live' }, draft: { name: 'Draft' } };

const mql = (day: number, rule = 'good-fit-engaged'): ReplayedMql => ({
  at: FROM + day * DAY,
  kind: 'qualify-mql',
  rule,
});

function lead(id: string, published: ReplayedMql | null, draft: ReplayedMql | null, wonDay: number | null = null) {
  const wonAt = wonDay === null ? null : FROM + wonDay * DAY;
  return {
    id,
    email: `${id}@example.com`,
    name: null,
    published,
    draft,
    wonAt,
    outcome: wonAt === null ? null : { kind: 'won', at: wonAt },
  } satisfies ReplayedLead;
}

const LEADS: ReplayedLead[] = [
  lead('00-both-won', mql(1), mql(0.5), 11),
  lead('01-both', mql(2), mql(2)),
  lead('02-draft-won', null, { at: FROM + 9 * DAY, kind: 'hand-raise', rule: 'demo-request' }, 29),
  lead('03-draft', null, mql(15)),
  lead('04-published', mql(16), null),
  lead('05-won-unseen', null, null, 4),
  lead('06-nothing', null, null),
];

function summarize(leads: readonly ReplayedLead[], limit?: number) {
  const tally = createBacktestTally({ from: FROM, to: TO }, limit);
  tallyAlreadyCustomer(tally);
  for (const each of leads) tallyLead(tally, each);
  return summarizeBacktest(tally, PLAYBOOKS);
}

describe('the backtest summary', () => {
  it('counts MQLs, wins caught, precision, recall and the median days to win per playbook', () => {
    const report = summarize(LEADS);
    expect(report.contacts).toEqual({ replayed: 7, alreadyCustomers: 1, won: 3 });
    expect(report.columns.published).toEqual({
      mqls: 3,
      wonCaught: 1,
      precision: 0.3333,
      recall: 0.3333,
      medianDaysToWin: 10,
      mqlsPerWeek: { mean: 1.3, peak: 2 },
      byRule: [{ rule: 'good-fit-engaged', kind: 'qualify-mql', mqls: 3 }],
    });
    expect(report.columns.draft).toMatchObject({
      mqls: 4,
      wonCaught: 2,
      precision: 0.5,
      recall: 0.6667,
      // 10.5 and 20 days.
      medianDaysToWin: 15.3,
      byRule: [
        { rule: 'good-fit-engaged', kind: 'qualify-mql', mqls: 3 },
        { rule: 'demo-request', kind: 'hand-raise', mqls: 1 },
      ],
    });
    expect(report.earlier).toEqual({ bothCaught: 1, medianDays: 0.5 });
  });

  it('counts MQLs per ISO week over the period, marking weeks it covers only in part', () => {
    expect(summarize(LEADS).weeks).toEqual([
      { week: '2026-W10', start: '2026-03-02', partial: false, published: 2, draft: 2 },
      { week: '2026-W11', start: '2026-03-09', partial: false, published: 0, draft: 1 },
      { week: '2026-W12', start: '2026-03-16', partial: true, published: 1, draft: 1 },
    ]);
  });

  it('lists the leads that change class, won first then by id, up to the limit, with every count', () => {
    const { changed } = summarize(LEADS, 2);
    expect({ ...changed, items: changed.items.map((item) => item.contactId) }).toEqual({
      total: 3,
      draftOnly: 2,
      publishedOnly: 1,
      draftOnlyWon: 1,
      publishedOnlyWon: 0,
      items: ['02-draft-won', '03-draft'],
      limit: 2,
    });
    expect(changed.items[0]).toEqual({
      contactId: '02-draft-won',
      email: '02-draft-won@example.com',
      name: null,
      publishedMqlAt: null,
      draftMqlAt: '2026-03-11T00:00:00.000Z',
      outcome: { kind: 'won', at: '2026-03-31T00:00:00.000Z' },
    });
  });

  it('lists none with a limit of 0, and still counts them', () => {
    const { changed } = summarize(LEADS, 0);
    expect([changed.total, changed.items]).toEqual([3, []]);
  });

  it('does not depend on the order leads come in', () => {
    const forward = JSON.stringify(summarize(LEADS, 2));
    expect(JSON.stringify(summarize([...LEADS].reverse(), 2))).toBe(forward);
    expect(JSON.stringify(summarize([LEADS[3]!, LEADS[0]!, ...LEADS.slice(4), LEADS[2]!, LEADS[1]!], 2))).toBe(forward);
  });

  it('has no rate to show without MQLs or wins', () => {
    const report = summarize([lead('a', null, null)]);
    expect(report.columns.published).toMatchObject({ precision: null, recall: null, medianDaysToWin: null });
    expect(report.earlier).toEqual({ bothCaught: 0, medianDays: null });
    expect(report.changed.total).toBe(0);
  });
});

describe('ISO weeks', () => {
  it.each([
    ['2026-03-02T00:00:00Z', '2026-W10', '2026-03-02'],
    ['2026-03-08T23:59:59Z', '2026-W10', '2026-03-02'],
    ['2026-03-09T00:00:01Z', '2026-W11', '2026-03-09'],
    ['2027-01-01T12:00:00Z', '2026-W53', '2026-12-28'],
    ['2024-12-30T00:00:00Z', '2025-W01', '2024-12-30'],
    ['1969-12-31T00:00:00Z', '1970-W01', '1969-12-29'],
  ])('%s is in %s, which starts on %s', (instant, label, start) => {
    const week = isoWeekStart(Date.parse(instant));
    expect([isoWeekLabel(week), new Date(week).toISOString().slice(0, 10)]).toEqual([label, start]);
  });
});

describe('one lead replayed under both playbooks', () => {
  const parsed = parsePlaybook(readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error('the default playbook must parse');
  const published = compilePlaybook(parsed.value, 1);
  const playbooks = { published, draft: published, same: true };
  const period = { from: FROM, to: TO };
  const base = {
    id: 'x',
    email: 'x@acme.example',
    name: 'X',
    contact: { jobTitle: 'VP Marketing' },
    company: { employees: 300, industry: 'software' },
    predicted: null,
    knownFrom: null,
    events: [{ id: 'd', type: 'track' as const, name: 'Demo Requested', properties: {}, occurredAt: FROM + 5 * DAY }],
  };

  it('leaves out a customer won before the period', () => {
    expect(replayLead(playbooks, { ...base, outcomes: [{ kind: 'won', at: FROM - 1 }] }, period)).toBeNull();
  });

  it('stops at the win: a lead won before it raises its hand is no MQL', () => {
    const won = replayLead(playbooks, { ...base, outcomes: [{ kind: 'won', at: FROM + 5 * DAY }] }, period);
    expect(won).toMatchObject({ published: null, draft: null, wonAt: FROM + 5 * DAY });
    const later = replayLead(playbooks, { ...base, outcomes: [{ kind: 'won', at: FROM + 5 * DAY + HOUR }] }, period);
    expect(later?.published).toEqual({ at: FROM + 5 * DAY, kind: 'hand-raise', rule: 'demo-request' });
  });

  it('starts when the lead was identified: a hand raised before is history, not a rescore', () => {
    const knownFrom = FROM + 5 * DAY + HOUR;
    expect(replayLead(playbooks, { ...base, outcomes: [], knownFrom }, period)).toMatchObject({ published: null });
    const identified = { ...base, outcomes: [], knownFrom: FROM + 5 * DAY };
    expect(replayLead(playbooks, identified, period)?.published).toMatchObject({ kind: 'hand-raise' });
  });

  it('shows the latest outcome of a lead that was not won', () => {
    const outcomes = [
      { kind: 'opportunity', at: FROM + DAY },
      { kind: 'lost', at: FROM + 2 * DAY },
    ];
    expect(replayLead(playbooks, { ...base, outcomes }, period)?.outcome).toEqual({ kind: 'lost', at: FROM + 2 * DAY });
  });
});
