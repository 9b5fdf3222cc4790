import { durationMs } from '../duration.ts';
import type { EngagementRule, FrequencyCap, Playbook } from '../playbook/playbook-schema.ts';

/** Default look-back when neither the rule nor the playbook sets one: old behaviour stops counting. */
export const DEFAULT_LOOKBACK = '365d';

/** An engagement rule with its durations resolved to milliseconds, ready for hot-path use. */
export interface ResolvedEngagementRule {
  rule: EngagementRule;
  group: string;
  lookbackMs: number;
  halfLifeMs: number | null;
  /** `once` is a cap of one per window. */
  cap: FrequencyCap | null;
}

const resolvedCache = new WeakMap<Playbook, ResolvedEngagementRule[]>();

/** The playbook's engagement rules in document order, durations resolved (memoised per playbook object). */
export function resolveEngagementRules(playbook: Playbook): ResolvedEngagementRule[] {
  const cached = resolvedCache.get(playbook);
  if (cached) return cached;
  const defaults = playbook.engagement;
  const resolved = defaults.groups.flatMap((group) =>
    group.rules.map((rule) => {
      const halfLife = rule.halfLife ?? defaults.defaultHalfLife;
      const cap: FrequencyCap | null = rule.once ? { count: 1, per: 'window' } : (rule.cap ?? null);
      return {
        rule,
        group: group.id,
        lookbackMs: durationMs(rule.lookback ?? defaults.lookback ?? DEFAULT_LOOKBACK),
        halfLifeMs: halfLife === undefined ? null : durationMs(halfLife),
        cap,
      };
    }),
  );
  resolvedCache.set(playbook, resolved);
  return resolved;
}
