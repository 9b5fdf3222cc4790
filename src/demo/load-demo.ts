import { anyText } from '../server/db/bulk.ts';
import type { ReceiveDeps } from '../server/events/receive-messages.ts';
import { receiveMessages } from '../server/events/receive-messages.ts';
import type { ScoringWorker } from '../server/scoring/scoring-worker.ts';
import { MINUTE, subtractMonths } from './demo-calendar.ts';
import { type DemoChunk, type DemoMessage, type DemoOutcome, generateDemo } from './generate-demo.ts';
import { importCrmDeals } from './import-crm-deals.ts';
import { createSalesTeam, type NewHandoff } from './play-sales.ts';
import { createRandom } from './seeded-random.ts';

const BATCH = 500;

/**
 * Deals from the CRM that `serve --demo` imports with the story (`crmDeals`), closed in the
 * months before it starts: enough won and lost outcomes for the predictive model and the
 * revenue and funnel figures from the first start, however few of the story's own deals
 * have closed by today. They cost a few seconds; as many of the story's own would cost minutes.
 */
export const CRM_DEALS = 280;
export const CRM_MONTHS = 6;

export interface DemoDeps extends ReceiveDeps {
  scoring: ScoringWorker;
  /** Moves the clock `deps.clock` and the scoring worker read to story time (null: real time). */
  travelTo(time: number | null): void;
}

/**
 * Loads the synthetic funnel through the same paths as real use, in story time: contacts
 * come in cohorts, and each cohort's months are replayed day by day — its events ingested
 * and scored at the time they happened, the hand-offs worked by the sales team
 * (play-sales.ts) at the times they act, the SLA clock swept when it is due — so stage
 * history, hand-offs and outcomes carry the story's times, not the load's. Memory stays
 * bounded by the cohort.
 */
export async function loadDemo(
  deps: DemoDeps,
  workspaceId: string,
  options: {
    contacts: number;
    seed: number;
    months: number;
    /** Closed deals imported from the CRM first (importCrmDeals), from before the story; none by default. */
    crmDeals?: number;
  },
  /** Called after each cohort with the contacts loaded so far (of `options.contacts`). */
  onProgress: (contacts: number) => void = () => {},
): Promise<{ contacts: number; messages: number; crmDeals: number }> {
  const now = deps.clock();
  // Fewer, larger cohorts for big demos: the replay's cost is per day of each cohort.
  const cohortSize = Math.max(1000, Math.ceil(options.contacts / 20));
  const seen = new Set<string>();
  let cohort: DemoChunk[] = [];
  let cohortContacts = 0;
  let contacts = 0;
  let messages = 0;
  let cohortIndex = 0;
  const replay = async () => {
    if (cohort.length === 0) return;
    const random = createRandom(options.seed * 7919 + cohortIndex++);
    messages += await replayCohort(deps, workspaceId, cohort, { now, random, seen });
    contacts += cohortContacts;
    cohort = [];
    cohortContacts = 0;
    onProgress(contacts);
  };
  let crmDeals = 0;
  try {
    const deals = options.crmDeals ?? 0;
    if (deals > 0) {
      const until = subtractMonths(now, options.months);
      const crm = { seed: options.seed, deals, until, months: CRM_MONTHS, storyContacts: options.contacts };
      crmDeals = (await importCrmDeals(deps, workspaceId, crm)).deals;
    }
    for (const chunk of generateDemo({ seed: options.seed, contacts: options.contacts, now, months: options.months })) {
      cohort.push(chunk);
      cohortContacts += chunk.contacts.length;
      if (cohortContacts >= cohortSize) await replay();
    }
    await replay();
  } finally {
    deps.travelTo(null);
  }
  return { contacts, messages, crmDeals };
}

/** The cohort's messages by calendar day (UTC), in time order. */
function byDay(chunks: readonly DemoChunk[]): DemoMessage[][] {
  const all = chunks.flatMap((chunk) => chunk.messages);
  all.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const days: DemoMessage[][] = [];
  let current: DemoMessage[] = [];
  let day = '';
  for (const message of all) {
    const key = message.timestamp.slice(0, 10);
    if (key !== day && current.length > 0) {
      days.push(current);
      current = [];
    }
    day = key;
    current.push(message);
  }
  if (current.length > 0) days.push(current);
  return days;
}

async function replayCohort(
  deps: DemoDeps,
  workspaceId: string,
  chunks: readonly DemoChunk[],
  story: { now: number; random: ReturnType<typeof createRandom>; seen: Set<string> },
): Promise<number> {
  const outcomes = new Map<string, DemoOutcome>();
  for (const chunk of chunks) for (const outcome of chunk.outcomes) outcomes.set(outcome.userId, outcome);
  const userIds = chunks.flatMap((chunk) => chunk.contacts.map((contact) => contact.userId));
  const sales = createSalesTeam(deps, workspaceId, story.random, story.now);
  let messages = 0;
  for (const day of byDay(chunks)) {
    const first = Date.parse(day[0]?.timestamp ?? '');
    await sales.runUntil(first);
    // Scored as the day's last event arrives: each step lands on the day it happened.
    const last = Date.parse(day.at(-1)?.timestamp ?? '');
    deps.travelTo(Math.min(last + MINUTE, story.now));
    for (let start = 0; start < day.length; start += BATCH) {
      const batch = day.slice(start, start + BATCH);
      const result = await receiveMessages(deps, workspaceId, batch, null, 'demo');
      if (!result.ok) throw new Error(`demo data was not stored: ${result.error.message}`);
      const refused = result.value.errors[0];
      if (refused) throw new Error(`demo data was rejected: ${refused.message}`);
      messages += batch.length;
    }
    await deps.scoring.drain();
    const seenAt = deps.clock();
    for (const handoff of await newHandoffs(deps, workspaceId, userIds, story.seen)) {
      sales.plan(handoff, outcomes.get(handoff.userId), seenAt);
    }
  }
  // The rest of the story up to today, hand-offs the SLA ladder created included.
  for (let round = 0; round < 5 && sales.pending() > 0; round++) {
    await sales.runUntil(story.now + 1);
    const seenAt = deps.clock();
    for (const handoff of await newHandoffs(deps, workspaceId, userIds, story.seen)) {
      sales.plan(handoff, outcomes.get(handoff.userId), seenAt);
    }
  }
  deps.travelTo(story.now);
  await deps.scoring.drain();
  return messages;
}

/** Open hand-offs of the cohort's people not planned yet (a reassignment opens a new one). */
async function newHandoffs(
  deps: DemoDeps,
  workspaceId: string,
  userIds: readonly string[],
  seen: Set<string>,
): Promise<NewHandoff[]> {
  if (userIds.length === 0) return [];
  const rows = await deps.db
    .selectFrom('handoffs as h')
    .innerJoin('contacts as c', (join) =>
      join.onRef('c.workspace_id', '=', 'h.workspace_id').onRef('c.id', '=', 'h.contact_id'),
    )
    .leftJoin('companies as co', (join) =>
      join.onRef('co.workspace_id', '=', 'c.workspace_id').onRef('co.id', '=', 'c.company_id'),
    )
    .select([
      'h.id',
      'h.contact_id',
      'h.owner',
      'h.qualified_at',
      'h.due_at',
      'c.user_id',
      'c.grade',
      'c.seniority',
      'co.employees',
    ])
    .where('h.workspace_id', '=', workspaceId)
    .where('h.status', '=', 'open')
    .where('c.user_id', '=', anyText(userIds))
    .orderBy('c.user_id')
    .execute();
  const fresh: NewHandoff[] = [];
  for (const row of rows) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    fresh.push({
      handoffId: row.id,
      contactId: row.contact_id,
      userId: row.user_id ?? '',
      owner: row.owner,
      grade: row.grade,
      seniority: row.seniority,
      employees: row.employees,
      qualifiedAt: row.qualified_at.getTime(),
      dueAt: row.due_at.getTime(),
    });
  }
  return fresh;
}
