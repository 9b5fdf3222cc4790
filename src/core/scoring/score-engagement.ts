import type { Playbook } from '../playbook/playbook-schema.ts';
import { resolveEngagementRules } from './engagement-rules.ts';
import type { EngagementState } from './engagement-state.ts';
import type { Temperature } from './grades.ts';
import { toCenti } from './points.ts';

/** One counted event inside a rule line: its raw and decayed points (centi). */
export interface CountedEvent {
  id: string;
  at: number;
  rawCenti: number;
  centi: number;
}

/** One line of an engagement explanation. Lines sum exactly to the engagement score (centi). */
export type EngagementLine =
  | {
      kind: 'rule';
      group: string;
      rule: string;
      label: string;
      matched: number;
      counted: number;
      rawCenti: number;
      centi: number;
      halfLifeMs: number | null;
      events: CountedEvent[];
    }
  | { kind: 'group-cap'; group: string; cap: number; centi: number }
  | { kind: 'total-cap'; cap: number; centi: number }
  | { kind: 'floor'; centi: number };

export interface EngagementResult {
  centi: number;
  temperature: Temperature;
  lines: EngagementLine[];
}

/** A contribution's worth at `now`: points × 0.5^(age / half-life), rounded to a centi-point. */
export function decayCenti(rawCenti: number, ageMs: number, halfLifeMs: number | null): number {
  if (halfLifeMs === null || ageMs <= 0) return rawCenti;
  return Math.round(rawCenti * 0.5 ** (ageMs / halfLifeMs));
}

/** Scores engagement at `now` from a contact's state: decay, look-back, group caps, total cap, floor at 0. */
export function scoreEngagement(playbook: Playbook, state: EngagementState, now: number): EngagementResult {
  const lines: EngagementLine[] = [];
  const groupTotals = new Map<string, number>();
  for (const resolved of resolveEngagementRules(playbook)) {
    const ruleState = state.rules[resolved.rule.id];
    if (!ruleState || ruleState.matched === 0) continue;
    const horizon = now - resolved.lookbackMs;
    const events: CountedEvent[] = [];
    let rawCenti = 0;
    let centi = 0;
    for (const item of ruleState.kept) {
      if (item.t < horizon || item.t > now) continue;
      const decayed = decayCenti(item.p, now - item.t, resolved.halfLifeMs);
      events.push({ id: item.id, at: item.t, rawCenti: item.p, centi: decayed });
      rawCenti += item.p;
      centi += decayed;
    }
    lines.push({
      kind: 'rule',
      group: resolved.group,
      rule: resolved.rule.id,
      label: resolved.rule.label ?? resolved.rule.id,
      matched: ruleState.matched,
      counted: events.length,
      rawCenti,
      centi,
      halfLifeMs: resolved.halfLifeMs,
      events,
    });
    groupTotals.set(resolved.group, (groupTotals.get(resolved.group) ?? 0) + centi);
  }
  let total = 0;
  for (const group of playbook.engagement.groups) {
    const groupTotal = groupTotals.get(group.id) ?? 0;
    total += groupTotal;
    if (group.cap !== undefined && groupTotal > toCenti(group.cap)) {
      const cut = toCenti(group.cap) - groupTotal;
      lines.push({ kind: 'group-cap', group: group.id, cap: group.cap, centi: cut });
      total += cut;
    }
  }
  const cap = playbook.engagement.cap;
  if (cap !== undefined && total > toCenti(cap)) {
    lines.push({ kind: 'total-cap', cap, centi: toCenti(cap) - total });
    total = toCenti(cap);
  }
  if (total < 0) {
    lines.push({ kind: 'floor', centi: -total });
    total = 0;
  }
  return { centi: total, temperature: temperatureFor(playbook, total), lines };
}

export function temperatureFor(playbook: Playbook, engagementCenti: number): Temperature {
  const bands = playbook.engagement.temperatures;
  if (engagementCenti >= toCenti(bands.hot)) return 'hot';
  if (engagementCenti >= toCenti(bands.warm)) return 'warm';
  return 'cold';
}
