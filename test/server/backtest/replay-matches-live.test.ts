import { describe, expect, it } from 'vitest';
import type { ReplayedMql } from '../../../src/core/backtest/replay-first-mql.ts';
import { replayLead } from '../../../src/core/backtest/replay-lead.ts';
import { createRandom } from '../../../src/demo/seeded-random.ts';
import { streamBacktestPages } from '../../../src/server/backtest/stream-backtest-pages.ts';
import { earliestCountable } from '../../../src/server/scoring/score-contacts.ts';
import { DAY, MINUTE } from '../../helpers/time.ts';
import { type TestApp, useTestApp } from '../helpers/test-app.ts';
import { FROM, seedBacktestHistory, TO } from './backtest-history.ts';

/**
 * The replay under the published playbook against what live scoring recorded when every event
 * was scored at the instant it happened: the same first MQL, at the same time, by the same rule,
 * for every contact that was still a lead when the period began.
 */
async function compareWithLive(t: TestApp) {
  const published = await t.playbooks.active(t.workspaceId);
  if (published === null) throw new Error('the test workspace has a published playbook');
  const period = { from: FROM, to: TO };
  const window = { ...period, since: earliestCountable(published, FROM), context: true };
  const replayed = new Map<string, ReplayedMql | null>();
  for await (const leads of streamBacktestPages(t.db, t.workspaceId, window, 7)) {
    for (const lead of leads) {
      const result = replayLead({ published, draft: published, same: true }, lead, period);
      replayed.set(lead.id, result?.published ?? null);
    }
  }
  const history = await t.db
    .selectFrom('stage_history')
    .select(['contact_id', 'to_stage', 'at', 'rule', 'transition'])
    .where('workspace_id', '=', t.workspaceId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const live = new Map<string, { at: number; rule: string | null; kind: string }>();
  const notLeadAtFrom = new Set<string>();
  for (const row of history) {
    if (row.at.getTime() < FROM) notLeadAtFrom.add(row.contact_id);
    if (row.to_stage !== 'mql' || live.has(row.contact_id)) continue;
    live.set(row.contact_id, { at: row.at.getTime(), rule: row.rule, kind: row.transition });
  }
  const compared: Array<{ contactId: string; live: unknown; replay: unknown }> = [];
  for (const [contactId, mql] of replayed) {
    if (notLeadAtFrom.has(contactId)) continue;
    const first = live.get(contactId);
    const inPeriod = first !== undefined && first.at >= FROM && first.at < TO ? first : null;
    compared.push({
      contactId,
      live: inPeriod,
      replay: mql === null ? null : { at: mql.at, rule: mql.rule, kind: mql.kind },
    });
  }
  return compared;
}

describe('the replay of the known history', () => {
  const t = useTestApp();

  it('finds the first MQL live scoring recorded, for every contact that was a lead at `from`', async () => {
    const ids = await seedBacktestHistory(t);
    // A visitor engaged enough for an MQL while still anonymous, identified a day later: live
    // scoring counted that history only then, and so does the replay.
    const anonymousId = 'anonymous-visitor';
    const actions = ['Trial Started', 'Webinar Attended', 'Ebook Downloaded', 'Pricing Viewed', 'Email Clicked'];
    for (const [index, event] of actions.entries()) {
      t.clock.now = FROM + 40 * DAY + index * 10 * MINUTE;
      const sent = await t.send('/v1/track', { anonymousId, event, messageId: `anon-${index}` });
      expect(sent.statusCode).toBe(200);
    }
    t.clock.now = FROM + 41 * DAY;
    const traits = { email: 'visitor@acme.example', title: 'VP Marketing' };
    await t.send('/v1/identify', { anonymousId, userId: 'visitor', traits, messageId: 'anon-identify' });
    const compared = await compareWithLive(t);
    for (const pair of compared) expect(pair.replay, pair.contactId).toEqual(pair.live);
    expect(compared.filter((pair) => pair.live !== null).length).toBe(3);
    const visitor = compared.find(
      (pair) => pair.contactId !== ids.quick && pair.contactId !== ids['hand-raiser'] && pair.live,
    );
    expect(visitor?.replay).toEqual({ at: FROM + 41 * DAY, rule: 'good-fit-engaged', kind: 'qualify-mql' });
  });
});

const TITLES = [
  'VP Marketing',
  'Director of Sales',
  'Marketing Manager',
  'Engineer',
  'Intern',
  'CTO',
  'Head of Growth',
];
const COMPANIES = [
  { domain: 'alpha.example', name: 'Alpha', employees: 800, industry: 'Software', foundedYear: 2023 },
  { domain: 'beta.example', name: 'Beta', employees: 120, industry: 'Retail' },
  { domain: 'gamma.example', name: 'Gamma', employees: 20, industry: 'Education' },
];
const ACTIONS: Array<[number, object]> = [
  [6, { type: 'page', properties: { path: '/pricing' } }],
  [6, { type: 'page', properties: { path: '/product/tour', duration: 200 } }],
  [5, { type: 'page', properties: { path: '/blog/post' } }],
  [1, { type: 'page', properties: { path: '/careers' } }],
  [5, { type: 'track', event: 'Email Opened' }],
  [4, { type: 'track', event: 'Email Clicked' }],
  [3, { type: 'track', event: 'Webinar Registered' }],
  [3, { type: 'track', event: 'Webinar Attended' }],
  [3, { type: 'track', event: 'Ebook Downloaded' }],
  [2, { type: 'track', event: 'Trial Started' }],
  [3, { type: 'track', event: 'Pricing Viewed' }],
  [1, { type: 'track', event: 'Demo Requested' }],
  [1, { type: 'track', event: 'Unsubscribed' }],
  [1, { type: 'track', event: 'Email Bounced', properties: { bounceType: 'hard' } }],
];

/** What a visitor does before it identifies: never a hand-raiser (those come with an email). */
const ANONYMOUS_ACTIONS = ACTIONS.filter(([, message]) => !JSON.stringify(message).includes('Demo Requested'));

interface Send {
  at: number;
  userId: string;
  message: object;
  /** Sent with the visitor's anonymous id only, before it identifies. */
  anonymous: boolean;
  /** The message that identifies the person (its first with the user id). */
  identifies: boolean;
}

describe('the replay of a random history', () => {
  const t = useTestApp();

  it('finds the first MQL live scoring recorded, event by event, for 50 people over three months', async () => {
    const random = createRandom(20260302);
    const sends: Send[] = [];
    for (let person = 0; person < 50; person++) {
      const userId = `random-${person}`;
      const count = random.int(3, 16);
      // A third browse anonymously first: live scoring counts that history once they identify.
      const anonymousUntil = person % 3 === 0 ? random.int(1, count - 1) : 0;
      // Some start before the period; bursts make engagement cross the bar and decay between them.
      let at = FROM - random.int(0, 40) * DAY + random.int(0, 1439) * MINUTE;
      for (let index = 0; index < count; index++) {
        at += random.chance(0.6) ? random.int(1, 180) * MINUTE : random.int(1, 20) * DAY;
        const anonymous = index < anonymousUntil;
        const [, message] = random.weightedPick(anonymous ? ANONYMOUS_ACTIONS : ACTIONS, ([weight]) => weight);
        sends.push({ at: at + person, userId, message, anonymous, identifies: index === anonymousUntil });
      }
    }
    sends.sort((a, b) => a.at - b.at);
    const profiles = new Map<string, { title: string; company: (typeof COMPANIES)[number] }>();
    for (const [index, send] of sends.entries()) {
      const profile = profiles.get(send.userId) ?? { title: random.pick(TITLES), company: random.pick(COMPANIES) };
      profiles.set(send.userId, profile);
      const who = { userId: send.userId, anonymousId: `anonymous-${send.userId}` };
      const batch: object[] = [];
      if (send.identifies) {
        const email = `${send.userId}@${profile.company.domain}`;
        batch.push({ type: 'identify', ...who, messageId: `r-${index}-i`, traits: { email, title: profile.title } });
        batch.push({
          type: 'group',
          ...who,
          groupId: profile.company.domain,
          messageId: `r-${index}-g`,
          traits: profile.company,
        });
      }
      const identity = send.anonymous ? { anonymousId: who.anonymousId } : who;
      batch.push({ ...send.message, ...identity, messageId: `r-${index}` });
      t.clock.now = send.at;
      const response = await t.send('/v1/batch', { batch });
      expect(response.json().errors).toEqual([]);
    }
    const compared = await compareWithLive(t);
    for (const pair of compared) expect(pair.replay, pair.contactId).toEqual(pair.live);
    const kinds = compared.flatMap((pair) => (pair.live === null ? [] : [(pair.live as { kind: string }).kind]));
    // The history is worth comparing: both ways to MQL happen in it, and many leads stay leads.
    expect(new Set(kinds)).toEqual(new Set(['qualify-mql', 'hand-raise']));
    expect(compared.length - kinds.length).toBeGreaterThan(10);
  });
});
