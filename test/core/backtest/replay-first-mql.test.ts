import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ReplayContact, type ReplayedMql, replayFirstMql } from '../../../src/core/backtest/replay-first-mql.ts';
import { compilePlaybook } from '../../../src/core/playbook/compile-playbook.ts';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import type { EngagementEvent } from '../../../src/core/scoring/engagement-state.ts';
import { DAY, HOUR, MINUTE } from '../../helpers/time.ts';

const parsed = parsePlaybook(readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error('the default playbook must parse');
const playbook = compilePlaybook(parsed.value, 1);

const FROM = Date.UTC(2026, 2, 2);
const TO = FROM + 28 * DAY;

let sequence = 0;
const track = (name: string, at: number, id = `e${++sequence}`): EngagementEvent => ({
  id,
  type: 'track',
  name,
  properties: {},
  occurredAt: FROM + at,
});

/** Fit 90 (grade A) in the default playbook. */
const vp = {
  contact: { jobTitle: 'VP Marketing' },
  company: { employees: 300, industry: 'software' },
  predicted: null,
};
/** Fit 0: a student with a personal address. */
const student = { contact: { jobTitle: 'Marketing student', email: 'kid@gmail.com' }, company: null, predicted: null };
/** Fit 45 (grade C): the fast lane (30) but no criterion. */
const engineer = {
  contact: { jobTitle: 'Engineer' },
  company: { employees: 300, industry: 'software' },
  predicted: null,
};

const cases: Array<{
  name: string;
  subject: Omit<ReplayContact, 'events'>;
  events: EngagementEvent[];
  mql: ReplayedMql | null;
}> = [
  {
    name: 'a good fit crossing engagement 50 qualifies at the event that tips it over',
    subject: vp,
    events: [
      track('Trial Started', DAY),
      track('Webinar Attended', DAY + HOUR),
      track('Ebook Downloaded', DAY + 2 * HOUR),
      track('Email Clicked', DAY + 3 * HOUR),
      track('Email Clicked', DAY + 4 * HOUR),
    ],
    mql: { at: FROM + DAY + 4 * HOUR, kind: 'qualify-mql', rule: 'good-fit-engaged' },
  },
  {
    name: 'the same actions spread over months decay and never reach the bar',
    subject: vp,
    events: [
      track('Trial Started', 0),
      track('Webinar Attended', 7 * DAY),
      track('Ebook Downloaded', 14 * DAY),
      track('Email Clicked', 21 * DAY),
      track('Email Clicked', 27 * DAY),
    ],
    mql: null,
  },
  {
    name: 'history before `from` counts, decayed: a trial, a webinar and an ebook days before and a pricing view inside make 51.8',
    subject: vp,
    events: [
      track('Trial Started', -3 * DAY),
      track('Webinar Attended', -3 * DAY + HOUR),
      track('Ebook Downloaded', -2 * DAY),
      track('Pricing Viewed', 2 * DAY),
    ],
    mql: { at: FROM + 2 * DAY, kind: 'qualify-mql', rule: 'good-fit-engaged' },
  },
  {
    name: 'a demo request takes the fast lane at once, whatever the engagement',
    subject: engineer,
    events: [track('Email Opened', DAY), track('Demo Requested', 3 * DAY)],
    mql: { at: FROM + 3 * DAY, kind: 'hand-raise', rule: 'demo-request' },
  },
  {
    name: 'a hand raised before `from` does not count; engagement alone does not qualify a fit of 45',
    subject: engineer,
    events: [track('Demo Requested', -HOUR), track('Email Opened', HOUR)],
    mql: null,
  },
  {
    name: 'a student below the fast lane’s fit stays a lead however much it does',
    subject: student,
    events: [
      track('Demo Requested', DAY),
      track('Trial Started', DAY + MINUTE),
      track('Contact Sales Requested', 2 * DAY),
    ],
    mql: null,
  },
  {
    name: 'an event at `to` is outside the period',
    subject: vp,
    events: [track('Demo Requested', 28 * DAY)],
    mql: null,
  },
  {
    name: 'a lead over the bar since before `from` qualifies at its first event inside the period',
    subject: vp,
    events: [
      track('Trial Started', -HOUR),
      track('Webinar Attended', -HOUR),
      track('Ebook Downloaded', -HOUR),
      track('Email Clicked', -HOUR),
      track('Email Clicked', -HOUR + MINUTE),
      track('Email Opened', HOUR),
    ],
    mql: { at: FROM + HOUR, kind: 'qualify-mql', rule: 'good-fit-engaged' },
  },
  {
    name: 'two hand-raisers at one instant: the rule of the first by event id, whatever the order stored',
    subject: engineer,
    events: [track('Pricing Requested', DAY, 'b'), track('Contact Requested', DAY, 'a')],
    mql: { at: FROM + DAY, kind: 'hand-raise', rule: 'contact-sales' },
  },
];

describe('replaying one lead under the default playbook', () => {
  it.each(cases)('$name', ({ subject, events, mql }) => {
    expect(replayFirstMql(playbook, { ...subject, events }, { from: FROM, to: TO })).toEqual(mql);
  });
});
