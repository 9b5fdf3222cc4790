import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { PlaybookStore } from '../../../src/core/playbook/playbook-store.ts';
import type { Db } from '../../../src/server/db/open-database.ts';
import { performSalesAction } from '../../../src/server/handoff/perform-sales-action.ts';
import { DAY, HOUR, MINUTE } from '../../helpers/time.ts';

/** The backtested period: eight ISO weeks, Monday 2026-03-02 to Monday 2026-04-27 (excluded). */
export const FROM = Date.UTC(2026, 2, 2);
export const TO = Date.UTC(2026, 3, 27);
export const PERIOD = { from: '2026-03-02', to: '2026-04-27' };

export const PUBLISHED = readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8');
/** The default playbook with its MQL bar lowered from engagement 50 to 35. */
export const LOWER_BAR = PUBLISHED.replace(
  'when: fit >= 50 and engagement >= 50',
  'when: fit >= 50 and engagement >= 35',
);
/** The default playbook under another name: the same rules. */
export const RENAMED = PUBLISHED.replace('name: Default B2B playbook', 'name: Same rules, new name');

/** What the history is written through: an app's ingestion API on a movable clock. */
export interface HistoryTarget {
  db: Db;
  workspaceId: string;
  playbooks: PlaybookStore;
  clock: { now: number };
  send(path: string, body: unknown): Promise<{ statusCode: number; json(): { errors?: unknown[] } }>;
}

type Step = { at: number; run: () => Promise<void> };

interface Person {
  key: string;
  title: string;
  email: string;
  company: { domain: string; name: string; employees: number; industry: string };
  /** Events as [offset from FROM, name] (`page:/path` for a page view). */
  events: Array<[number, string]>;
  outcome?: { kind: 'won' | 'lost'; at: number };
}

/**
 * Nine people whose fate under the default playbook (MQL bar: engagement 50) and under LOWER_BAR
 * (35) is worked out in the comments; see backtest-route.test.ts for the figures.
 */
const PEOPLE: Person[] = [
  // Engaged ten days before the period (≈ 45, decaying); one open inside it makes ≈ 38.5: draft only.
  person('history', 'Director of Marketing', 'acme.example', [
    [-10 * DAY, 'Trial Started'],
    [-10 * DAY + HOUR, 'Webinar Attended'],
    [-10 * DAY + 2 * HOUR, 'Ebook Downloaded'],
    [2 * DAY, 'Email Opened'],
  ]),
  // 30, 40 (draft MQL), 45, 48, 51 (published MQL): both, the draft 30 minutes earlier; won.
  person(
    'quick',
    'VP Marketing',
    'acme.example',
    [
      [3 * DAY, 'Trial Started'],
      [3 * DAY + 10 * MINUTE, 'Webinar Attended'],
      [3 * DAY + 20 * MINUTE, 'Ebook Downloaded'],
      [3 * DAY + 30 * MINUTE, 'Email Clicked'],
      [3 * DAY + 40 * MINUTE, 'Email Clicked'],
    ],
    { kind: 'won', at: 30 * DAY },
  ),
  // 30, 40 (draft MQL), 43: never 50; won: a win only the draft catches.
  person(
    'slow',
    'Director of Sales',
    'bravo.example',
    [
      [10 * DAY, 'Trial Started'],
      [10 * DAY + HOUR, 'Webinar Attended'],
      [10 * DAY + 2 * HOUR, 'Email Clicked'],
    ],
    { kind: 'won', at: 40 * DAY },
  ),
  // 30, 33, 38 (draft MQL): lost.
  person(
    'lukewarm',
    'Marketing Manager',
    'charlie.example',
    [
      [22 * DAY, 'Trial Started'],
      [22 * DAY + HOUR, 'Email Clicked'],
      [22 * DAY + 2 * HOUR, 'Ebook Downloaded'],
    ],
    { kind: 'lost', at: 35 * DAY },
  ),
  // The fast lane under both; won.
  person('hand-raiser', 'CTO', 'delta.example', [[15 * DAY, 'Demo Requested']], { kind: 'won', at: 25 * DAY }),
  // Fit 0: neither the fast lane (fit 30) nor any criterion.
  person('student', 'Marketing student', 'gmail.com', [
    [5 * DAY, 'Demo Requested'],
    [5 * DAY + HOUR, 'Trial Started'],
    [5 * DAY + 2 * HOUR, 'Webinar Attended'],
  ]),
  // A customer before the period: left out, whatever it does in it.
  person(
    'customer',
    'VP Sales',
    'echo.example',
    [
      [-60 * DAY, 'page:/'],
      [5 * DAY, 'Demo Requested'],
    ],
    { kind: 'won', at: -30 * DAY },
  ),
  // Won without ever engaging: counts against recall under both.
  person('silent', 'Engineer', 'foxtrot.example', [[DAY, 'page:/blog/hello']], { kind: 'won', at: 20 * DAY }),
  // Raises a hand after the period: outside it.
  person('late', 'VP Marketing', 'golf.example', [[60 * DAY, 'Demo Requested']]),
];

function person(
  key: string,
  title: string,
  domain: string,
  events: Array<[number, string]>,
  outcome?: { kind: 'won' | 'lost'; at: number },
): Person {
  const email = domain === 'gmail.com' ? `${key}@gmail.com` : `${key}@${domain}`;
  const industry = domain === 'bravo.example' ? 'Retail' : 'Software';
  const employees = domain === 'bravo.example' ? 150 : domain === 'delta.example' ? 2000 : 300;
  const company = { domain, name: domain.split('.')[0] ?? domain, employees, industry };
  return { key, title, email, company, events, outcome: outcome && { ...outcome, at: FROM + outcome.at } };
}

/**
 * Writes the history through ingestion, each event scored live at the instant it happened under
 * the published (default) playbook, and the outcomes as a CRM import records them, at their time.
 * Returns the contact ids by person.
 */
export async function seedBacktestHistory(target: HistoryTarget): Promise<Record<string, string>> {
  const steps: Step[] = [];
  for (const who of PEOPLE) {
    for (const [index, [offset, name]] of who.events.entries()) {
      steps.push({ at: FROM + offset, run: () => sendEvent(target, who, name, index === 0) });
    }
  }
  const ids: Record<string, string> = {};
  const idOf = async (who: Person) => {
    const row = await target.db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', target.workspaceId)
      .where('user_id', '=', who.key)
      .executeTakeFirstOrThrow();
    ids[who.key] = row.id;
    return row.id;
  };
  for (const who of PEOPLE) {
    const { outcome } = who;
    if (outcome) steps.push({ at: outcome.at, run: () => recordOutcome(target, who, outcome, idOf) });
  }
  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    target.clock.now = step.at;
    await step.run();
  }
  for (const who of PEOPLE) await idOf(who);
  return ids;
}

let sequence = 0;

async function sendEvent(target: HistoryTarget, who: Person, name: string, first: boolean) {
  const userId = who.key;
  const batch: object[] = [];
  if (first) {
    batch.push({
      type: 'identify',
      userId,
      messageId: `bt-${++sequence}`,
      traits: { email: who.email, title: who.title },
    });
    if (who.company.domain !== 'gmail.com') {
      batch.push({
        type: 'group',
        userId,
        groupId: who.company.domain,
        messageId: `bt-${++sequence}`,
        traits: who.company,
      });
    }
  }
  if (name.startsWith('page:')) {
    batch.push({ type: 'page', userId, messageId: `bt-${++sequence}`, properties: { path: name.slice(5) } });
  } else {
    batch.push({ type: 'track', userId, messageId: `bt-${++sequence}`, event: name });
  }
  const response = await target.send('/v1/batch', { batch });
  expect(response.json().errors).toEqual([]);
}

async function recordOutcome(
  target: HistoryTarget,
  who: Person,
  outcome: { kind: 'won' | 'lost'; at: number },
  idOf: (who: Person) => Promise<string>,
) {
  const importer = {
    workspaceId: target.workspaceId,
    keyId: 'crm-import',
    kind: 'secret' as const,
    role: 'admin' as const,
    userId: null,
  };
  const deps = { db: target.db, playbooks: target.playbooks, clock: () => target.clock.now };
  const done = await performSalesAction(deps, importer, await idOf(who), {
    kind: 'record-outcome',
    outcome: outcome.kind,
    reason: outcome.kind === 'lost' ? 'price' : undefined,
    imported: true,
    at: outcome.at,
  });
  if (!done.ok) throw new Error(done.error.message);
}
