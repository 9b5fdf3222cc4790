import type { Condition } from '../playbook/condition-schema.ts';
import type { EventMatch, Playbook } from '../playbook/playbook-schema.ts';

/**
 * Whether any engagement or hand-raiser rule of the playbook looks at an event's `context`
 * (`context.campaign.name`, …). When none does, a backtest need not read it: contexts are the
 * widest part of an event (user agent, page, campaign, library) and no answer depends on them.
 */
export function readsEventContext(playbook: Playbook): boolean {
  const matches: EventMatch[] = [
    ...playbook.engagement.groups.flatMap((group) => group.rules.map((rule) => rule.match)),
    ...(playbook.handRaisers?.events.map((rule) => rule.match) ?? []),
  ];
  return matches.some((match) => (match.where ?? []).some(readsContext));
}

function readsContext(condition: Condition): boolean {
  if ('all' in condition) return condition.all.some(readsContext);
  if ('any' in condition) return condition.any.some(readsContext);
  if ('not' in condition) return readsContext(condition.not);
  return condition.field === 'context' || condition.field.startsWith('context.');
}
