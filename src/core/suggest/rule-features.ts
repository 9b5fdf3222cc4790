import type { Playbook } from '../playbook/playbook-schema.ts';
import type { ContactScore } from '../scoring/score-contact.ts';

/** A fit or engagement rule of a playbook, where its points are in the YAML, as the suggestion reads it. */
export interface RuleColumn {
  side: 'fit' | 'engagement';
  group: string;
  rule: string;
  label: string;
  points: number;
  /** Where its points are: `[side, 'groups', g, 'rules', r, 'points']`. */
  path: [string, 'groups', number, 'rules', number, 'points'];
}

/** Every fit rule, then every engagement rule, in the playbook's order. */
export function ruleColumns(playbook: Playbook): RuleColumn[] {
  const columns: RuleColumn[] = [];
  for (const side of ['fit', 'engagement'] as const) {
    playbook[side].groups.forEach((group, groupIndex) => {
      group.rules.forEach((rule, ruleIndex) => {
        columns.push({
          side,
          group: group.id,
          rule: rule.id,
          label: rule.label ?? rule.id,
          points: rule.points,
          path: [side, 'groups', groupIndex, 'rules', ruleIndex, 'points'],
        });
      });
    });
  }
  return columns;
}

/**
 * How much of each rule a lead's score holds, in units of the rule's points, before group caps
 * and clamps: a fit rule 1 when it gave its points, else 0; an engagement rule the sum of its
 * counted events' decay factors (0.5^(age / half-life)), so that a rule worth `p` points gave
 * `p ×` this. Changing only points leaves these unchanged: which rule matches first, what a
 * frequency cap counts and how fast a contribution decays do not depend on points.
 */
export function ruleFeatures(columns: readonly RuleColumn[], score: ContactScore): Float64Array {
  const amounts = new Map<string, number>();
  for (const line of score.fitLines) if (line.kind === 'rule') amounts.set(`fit:${line.rule}`, 1);
  for (const line of score.engagementLines) {
    if (line.kind !== 'rule') continue;
    let units = 0;
    for (const event of line.events) {
      const age = score.at - event.at;
      units += line.halfLifeMs === null || age <= 0 ? 1 : 0.5 ** (age / line.halfLifeMs);
    }
    amounts.set(`engagement:${line.rule}`, units);
  }
  return Float64Array.from(columns, (column) => amounts.get(`${column.side}:${column.rule}`) ?? 0);
}
