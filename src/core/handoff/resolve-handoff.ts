import { durationMs } from '../duration.ts';
import type { BantField } from '../lifecycle/apply-transition.ts';
import type { BusinessHours, EscalationStep, NurtureTrack } from '../playbook/handoff-schema.ts';
import type { Playbook } from '../playbook/playbook-schema.ts';
import type { Routing } from '../playbook/routing-schema.ts';
import { matchesCondition } from '../scoring/match-condition.ts';
import type { BusinessCalendar } from './business-calendar.ts';
import type { SlaPolicy } from './sla-deadlines.ts';

export const DEFAULT_RECYCLE_REASONS = [
  'not-ready',
  'no-budget',
  'bad-timing',
  'no-response',
  'wrong-person',
  'expired',
];
export const DEFAULT_DISQUALIFY_REASONS = ['competitor', 'student', 'spam', 'bad-fit', 'duplicate'];
export const DEFAULT_LOST_REASONS = ['price', 'competitor', 'no-decision', 'timing', 'features', 'other'];

/** The playbook's hand-off section with every default filled in. */
export interface HandoffPolicy {
  /** Null when the playbook routes nobody: MQLs wait unassigned and no SLA clock runs. */
  routing: Routing | null;
  sla: SlaPolicy;
  escalation: ReadonlyArray<EscalationStep & { afterMs: number }>;
  mqlExpiry: { afterMs: number; reason: string; nurtureForMs: number } | null;
  requiredBant: readonly BantField[];
  reasons: { recycle: readonly string[]; disqualify: readonly string[]; lost: readonly string[] };
  /** Tracks, the default one, and how long a lead recycled without a date stays (default 30 days). */
  nurture: { tracks: readonly NurtureTrack[]; defaultTrack: string; nurtureForMs: number };
}

/** The playbook's business hours with their defaults (Monday to Friday, 09:00–17:00, no holidays). */
export function calendarOf(hours: BusinessHours | undefined): BusinessCalendar | null {
  if (!hours) return null;
  return {
    timeZone: hours.timeZone,
    days: hours.days ?? [1, 2, 3, 4, 5],
    opens: hours.opens ?? '09:00',
    closes: hours.closes ?? '17:00',
    holidays: hours.holidays ?? [],
  };
}

/** Reads the hand-off section of a validated playbook, defaults included (24 h SLA, warn at 75%, …). */
export function resolveHandoff(playbook: Playbook): HandoffPolicy {
  const handoff = playbook.handoff ?? {};
  const sla = handoff.sla ?? {};
  const recycle = handoff.reasons?.recycle ?? DEFAULT_RECYCLE_REASONS;
  return {
    routing: handoff.routing ?? null,
    sla: {
      responseTimeMs: durationMs(sla.firstTouchWithin ?? '24h'),
      warnAtShare: sla.warnAt ?? 0.75,
      businessHours: calendarOf(sla.businessHours),
    },
    escalation: (sla.escalation ?? [{ action: 'notify-manager' }]).map((step) => ({
      ...step,
      afterMs: durationMs(step.after ?? '0m'),
    })),
    mqlExpiry: handoff.mqlExpiry
      ? {
          afterMs: durationMs(handoff.mqlExpiry.after),
          reason: handoff.mqlExpiry.reason ?? 'expired',
          nurtureForMs: durationMs(handoff.mqlExpiry.nurtureFor ?? '30d'),
        }
      : null,
    requiredBant: handoff.qualification?.required ?? ['budget', 'authority', 'need', 'timeline'],
    reasons: {
      recycle,
      disqualify: handoff.reasons?.disqualify ?? DEFAULT_DISQUALIFY_REASONS,
      lost: handoff.reasons?.lost ?? DEFAULT_LOST_REASONS,
    },
    nurture: {
      tracks: handoff.nurture?.tracks ?? [],
      defaultTrack: handoff.nurture?.defaultTrack ?? 'general',
      nurtureForMs: durationMs(handoff.nurture?.nurtureFor ?? '30d'),
    },
  };
}

/** What a nurture track is chosen on: the lead's data, why it left sales, and from which stage. */
export interface NurtureSubject {
  contact: Record<string, unknown>;
  company: Record<string, unknown> | null;
  reason: string;
  fromStage: string;
  /** When the lead leaves sales: what `age` conditions measure from. */
  now: number;
}

/** The first nurture track whose reasons, stages and condition all hold, else the default track. */
export function chooseNurtureTrack(policy: HandoffPolicy, subject: NurtureSubject): string {
  const lead = { reason: subject.reason, fromStage: subject.fromStage };
  const track = policy.nurture.tracks.find(
    (candidate) =>
      (candidate.reasons === undefined || candidate.reasons.includes(subject.reason)) &&
      (candidate.fromStages === undefined || candidate.fromStages.includes(subject.fromStage)) &&
      (candidate.when === undefined ||
        matchesCondition(candidate.when, { contact: subject.contact, company: subject.company, lead }, subject.now)),
  );
  return track?.id ?? policy.nurture.defaultTrack;
}
