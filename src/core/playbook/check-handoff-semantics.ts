import { checkBusinessCalendar } from '../handoff/business-calendar.ts';
import { calendarOf, DEFAULT_RECYCLE_REASONS } from '../handoff/resolve-handoff.ts';
import { checkCondition, type Path, type SemanticIssue } from './check-condition.ts';
import { checkRouting } from './check-routing.ts';
import type { Handoff } from './handoff-schema.ts';

/** What the schema cannot check in the hand-off section: teams, calendar, reason codes, conditions. */
export function checkHandoffSemantics(handoff: Handoff): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const issue = (segments: Path, expected: string, found: string, message: string) => {
    issues.push({ segments, expected, found, message });
  };
  if (handoff.routing) {
    for (const message of checkRouting(handoff.routing))
      issue(['handoff', 'routing'], 'a consistent routing', '', message);
    for (const [r, rule] of (handoff.routing.rules ?? []).entries()) {
      checkCondition(rule.when, ['handoff', 'routing', 'rules', r, 'when'], issues);
    }
  }
  const hours = handoff.sla?.businessHours;
  if (hours) {
    const calendar = calendarOf(hours);
    const checked = calendar ? checkBusinessCalendar(calendar, 'handoff.sla.businessHours') : null;
    if (checked && !checked.ok)
      issue(['handoff', 'sla', 'businessHours'], 'a valid calendar', hours.timeZone, checked.error);
  }
  const recycle = handoff.reasons?.recycle ?? DEFAULT_RECYCLE_REASONS;
  const knownReason = (reason: string, path: Path) => {
    if (!recycle.includes(reason)) {
      issue(
        path,
        `one of the recycle reasons: ${recycle.join(', ')}`,
        reason,
        `recycle reason \`${reason}\` is not in \`handoff.reasons.recycle\` (${recycle.join(', ')}); add it there or use one of those`,
      );
    }
  };
  handoff.sla?.escalation?.forEach((step, s) => {
    if (step.action === 'recycle') knownReason(step.reason, ['handoff', 'sla', 'escalation', s, 'reason']);
    if (step.action === 'reassign' && !handoff.routing) {
      issue(
        ['handoff', 'sla', 'escalation', s, 'action'],
        'a routing section to reassign within',
        'reassign',
        '`reassign` needs `handoff.routing` with teams to pick the next rep from',
      );
    }
  });
  if (handoff.mqlExpiry) knownReason(handoff.mqlExpiry.reason ?? 'expired', ['handoff', 'mqlExpiry', 'reason']);
  handoff.nurture?.tracks.forEach((track, t) => {
    if (track.when) checkCondition(track.when, ['handoff', 'nurture', 'tracks', t, 'when'], issues);
  });
  return issues;
}
