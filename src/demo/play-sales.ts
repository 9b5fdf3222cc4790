import type { PlaybookStore } from '../core/playbook/playbook-store.ts';
import { anyUuid } from '../server/db/bulk.ts';
import type { Db } from '../server/db/open-database.ts';
import { expireMqls } from '../server/handoff/expire-mqls.ts';
import { performSalesAction, type SalesAction } from '../server/handoff/perform-sales-action.ts';
import { sweepSla } from '../server/handoff/sweep-sla.ts';
import type { KeyIdentity } from '../server/workspaces/api-keys.ts';
import { DAY, HOUR, MINUTE } from './demo-calendar.ts';
import type { DemoOutcome } from './generate-demo.ts';
import type { Random } from './seeded-random.ts';

export interface SalesDeps {
  db: Db;
  playbooks: PlaybookStore;
  clock: () => number;
  travelTo(time: number | null): void;
}

/** A hand-off as the simulation sees it when it appears. */
export interface NewHandoff {
  handoffId: string;
  contactId: string;
  userId: string;
  owner: string;
  grade: string;
  seniority: string | null;
  employees: number | null;
  qualifiedAt: number;
  dueAt: number;
}

type ActionStep = { at: number; contactId: string; action: SalesAction };
type SweepStep = { at: number; sweep: 'sla' | 'expiry' };
type Step = ActionStep | SweepStep;

/** Leads the sales team works at once: each action waits mostly on its commit. */
const LEADS_AT_ONCE = 4;

/** Why deals are lost: the default playbook's lost reasons. */
export const LOST_REASONS = ['price', 'competitor', 'no-decision', 'timing', 'features', 'other'];
const RECYCLE_REASONS = ['not-ready', 'bad-timing', 'no-budget', 'wrong-person'];

/** What a deal is worth, in euros: bigger companies buy bigger plans. */
export function dealAmount(random: Random, employees: number | null): number {
  const median = employees === null || employees <= 50 ? 6_000 : employees <= 1000 ? 18_000 : 60_000;
  return Math.round(random.logNormal(median, 0.4) / 100) * 100;
}

/**
 * Sales working the demo's hand-offs as a real team would, each step at its time in the
 * story and through the same actions the API offers: most reps answer in hours, some late
 * (the SLA breaches and escalates), a few never (the ladder recycles the lead). Accepted
 * leads are qualified with BANT, become opportunities, and are won or lost when the
 * generated story decided so (its outcomes carry the fit, intent and first-touch signal);
 * others go back to nurture with a reason, are disqualified, or are still being worked today.
 */
export function createSalesTeam(deps: SalesDeps, workspaceId: string, random: Random, now: number) {
  const steps: Step[] = [];
  const schedule = (step: Step) => {
    if (step.at <= now) steps.push(step);
  };
  // Sweeps run on the hour, as the job schedule would: one sweep serves every hand-off due by then.
  const sweepHours = new Set<string>();
  const sweep = (at: number, kind: 'sla' | 'expiry', touchAt: number) => {
    const hour = Math.ceil(at / HOUR) * HOUR;
    // The first touch stops the SLA clock and takes the lead out of `mql`: a sweep after it
    // has nothing of this hand-off's to do, and sweeps are most of the replay's transactions.
    if (hour >= touchAt) return;
    const key = `${kind}:${hour}`;
    if (sweepHours.has(key)) return;
    sweepHours.add(key);
    schedule({ at: hour, sweep: kind });
  };
  const act = (at: number, contactId: string, action: SalesAction) => schedule({ at, contactId, action });

  /** Plans how sales works a hand-off that appeared at `seenAt` (story time). */
  function plan(handoff: NewHandoff, outcome: DemoOutcome | undefined, seenAt: number): void {
    const { contactId, qualifiedAt, dueAt } = handoff;
    const outcomeAt = outcome ? Date.parse(outcome.at) : null;
    const late = outcomeAt === null && random.chance(0.15);
    const never = outcomeAt === null && !late && random.chance(0.08);
    // The last days' MQLs are mostly still waiting in the inbox today, some past their deadline.
    const waiting = outcomeAt === null && qualifiedAt > now - 3 * DAY && random.chance(0.6);
    const start = Math.max(qualifiedAt, seenAt);
    const touchAt =
      never || waiting
        ? Number.POSITIVE_INFINITY
        : late
          ? dueAt + random.int(1, 20) * HOUR
          : start + Math.min(random.logNormal(3 * HOUR, 1), 0.9 * (dueAt - qualifiedAt));
    // SLA checks at the warning, the deadline and each escalation step, and the MQL expiry.
    for (const after of [-0.25 * (dueAt - qualifiedAt), MINUTE, 4 * HOUR + MINUTE, 2 * DAY + MINUTE]) {
      sweep(dueAt + after, 'sla', touchAt);
    }
    sweep(qualifiedAt + 14 * DAY + MINUTE, 'expiry', touchAt);
    if (touchAt === Number.POSITIVE_INFINITY) return;
    act(touchAt, contactId, { kind: 'accept' });
    act(touchAt + random.int(2, 40) * MINUTE, contactId, {
      kind: 'touch',
      channel: random.pick(['call', 'call', 'email', 'meeting'] as const),
    });
    const decided = outcomeAt !== null && outcomeAt > touchAt + HOUR ? outcomeAt : null;
    if (decided !== null && outcome) closeDeal(handoff, outcome, touchAt, decided);
    else workLead(handoff, touchAt);
  }

  /** An accepted lead whose deal the story decided: qualified, an opportunity, then won or lost. */
  function closeDeal(handoff: NewHandoff, outcome: DemoOutcome, touchAt: number, decided: number): void {
    const { contactId } = handoff;
    const span = decided - touchAt;
    act(touchAt + span * 0.3, contactId, { kind: 'qualify', bant: bant(random, handoff) });
    const amount = dealAmount(random, handoff.employees);
    act(touchAt + span * 0.55, contactId, { kind: 'create-opportunity', amount, currency: 'EUR' });
    act(
      decided,
      contactId,
      outcome.outcome === 'won'
        ? { kind: 'record-outcome', outcome: 'won', amount, currency: 'EUR' }
        : { kind: 'record-outcome', outcome: 'lost', reason: random.pick(LOST_REASONS), amount, currency: 'EUR' },
    );
  }

  /** An accepted lead without a decided deal: qualified, back to nurture, disqualified, or still being worked. */
  function workLead(handoff: NewHandoff, touchAt: number): void {
    const { contactId } = handoff;
    const strong = handoff.grade === 'A' || handoff.grade === 'B';
    const nextAt = touchAt + random.int(1, 10) * DAY + random.int(0, 8) * HOUR;
    const roll = random.next();
    if (handoff.seniority === 'student') {
      act(nextAt, contactId, { kind: 'disqualify', reason: 'student' });
    } else if (roll < (strong ? 0.45 : 0.15)) {
      act(nextAt, contactId, { kind: 'qualify', bant: bant(random, handoff) });
      if (random.chance(0.5)) {
        act(nextAt + random.int(2, 14) * DAY, contactId, {
          kind: 'create-opportunity',
          amount: dealAmount(random, handoff.employees),
          currency: 'EUR',
        });
      }
    } else if (roll < (strong ? 0.8 : 0.55)) {
      act(nextAt, contactId, { kind: 'recycle', reason: random.pick(RECYCLE_REASONS), nurtureUntil: null });
    } else if (roll < (strong ? 0.88 : 0.9)) {
      act(nextAt, contactId, {
        kind: 'disqualify',
        reason: random.pick(['bad-fit', 'bad-fit', 'competitor', 'duplicate']),
      });
    }
    // Otherwise still being worked today.
  }

  /** Does every step due before `until`, in time order, each at its own time. */
  async function runUntil(until: number): Promise<void> {
    steps.sort((a, b) => a.at - b.at);
    let done = 0;
    while (done < steps.length && (steps[done]?.at ?? until) < until) {
      const step = steps[done];
      if (step && 'sweep' in step) {
        deps.travelTo(step.at);
        if (step.sweep === 'sla') await sweepSla(deps, workspaceId, step.at);
        else await expireMqls(deps, workspaceId, step.at);
        done++;
        continue;
      }
      const actions: ActionStep[] = [];
      for (let next = steps[done]; next && next.at < until && !('sweep' in next); next = steps[++done]) {
        actions.push(next);
      }
      await performActions(actions);
    }
    steps.splice(0, done);
  }

  /**
   * Actions between two sweeps, each by the lead's owner (a manager for a lead nobody owns).
   * Reps work their leads side by side: a few leads at once, each lead's steps in order, each
   * step on its own clock at its time in the story (nothing else reads the clock meanwhile:
   * scoring has drained). The owners are read at once: between two ingests only a sweep's
   * reassignment changes them.
   */
  async function performActions(actions: readonly ActionStep[]): Promise<void> {
    const byLead = new Map<string, ActionStep[]>();
    for (const step of actions) byLead.set(step.contactId, [...(byLead.get(step.contactId) ?? []), step]);
    const owners = await currentOwners(deps.db, workspaceId, [...byLead.keys()]);
    const leads = [...byLead.values()];
    const work = async () => {
      for (let lead = leads.shift(); lead; lead = leads.shift()) {
        for (const step of lead) await performAction(step, owners.get(step.contactId) ?? null);
      }
    };
    await Promise.all(Array.from({ length: LEADS_AT_ONCE }, work));
  }

  function performAction(step: ActionStep, owner: string | null) {
    const identity: KeyIdentity = owner
      ? { workspaceId, keyId: 'demo', kind: 'secret', role: 'rep', userId: owner }
      : { workspaceId, keyId: 'demo', kind: 'secret', role: 'manager', userId: null };
    // A step the story overtook (the lead was recycled by the SLA ladder, say) is refused
    // with a reason, as it would be for a person; the demo moves on.
    return performSalesAction({ ...deps, clock: () => step.at }, identity, step.contactId, step.action);
  }

  return { plan, runUntil, pending: () => steps.length };
}

function bant(random: Random, handoff: NewHandoff): Record<string, string> {
  const budget =
    handoff.employees !== null && handoff.employees > 1000 ? 'approved for this year' : 'set aside this quarter';
  return {
    budget,
    authority: random.pick(['signs off', 'recommends to the CFO', 'needs the CEO’s approval']),
    need: random.pick(['MQLs routed by hand', 'no lead scoring today', 'sales ignores marketing leads']),
    timeline: random.pick(['this quarter', 'next quarter', 'within 60 days']),
  };
}

async function currentOwners(
  db: Db,
  workspaceId: string,
  contactIds: readonly string[],
): Promise<Map<string, string | null>> {
  if (contactIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'owner'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', anyUuid(contactIds))
    .execute();
  return new Map(rows.map((row) => [row.id, row.owner]));
}
