import type { Condition } from './condition-schema.ts';

/** A rule the schema cannot express: unique ids, ordered bands, valid regexes and criteria. */
export interface SemanticIssue {
  segments: Array<string | number>;
  expected: string;
  found: string;
  message: string;
}

export type Path = Array<string | number>;

/** Checks a condition's regexes and ranges; the schema has checked its shape. */
export function checkCondition(condition: Condition, path: Path, issues: SemanticIssue[]): void {
  if ('all' in condition || 'any' in condition) {
    const key = 'all' in condition ? 'all' : 'any';
    const items = 'all' in condition ? condition.all : condition.any;
    for (const [i, item] of items.entries()) checkCondition(item, [...path, key, i], issues);
    return;
  }
  if ('not' in condition) {
    checkCondition(condition.not, [...path, 'not'], issues);
    return;
  }
  if (condition.op === 'matches') {
    try {
      new RegExp(condition.pattern, 'i');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      issues.push({
        segments: [...path, 'pattern'],
        expected: 'a valid regular expression',
        found: condition.pattern,
        message: `\`pattern\` is not a valid regular expression (${reason})`,
      });
    }
  }
  if (condition.op === 'range') {
    if (condition.min === undefined && condition.max === undefined) {
      issues.push({
        segments: path,
        expected: 'min or max',
        found: 'neither',
        message: 'a `range` needs `min`, `max` or both',
      });
    } else if (condition.min !== undefined && condition.max !== undefined && condition.min > condition.max) {
      issues.push({
        segments: [...path, 'min'],
        expected: `min <= max (${condition.max})`,
        found: String(condition.min),
        message: `range \`min\` ${condition.min} is greater than \`max\` ${condition.max}`,
      });
    }
  }
  if (condition.op === 'age') {
    if (condition.minYears === undefined && condition.maxYears === undefined) {
      issues.push({
        segments: path,
        expected: 'minYears or maxYears',
        found: 'neither',
        message: 'an `age` needs `minYears`, `maxYears` or both',
      });
    } else if (
      condition.minYears !== undefined &&
      condition.maxYears !== undefined &&
      condition.minYears > condition.maxYears
    ) {
      issues.push({
        segments: [...path, 'minYears'],
        expected: `minYears <= maxYears (${condition.maxYears})`,
        found: String(condition.minYears),
        message: `age \`minYears\` ${condition.minYears} is greater than \`maxYears\` ${condition.maxYears}`,
      });
    }
  }
}
