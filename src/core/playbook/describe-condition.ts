import { assertUnreachable } from '../result.ts';
import type { Condition } from './condition-schema.ts';

/** A condition as one line of text for explanations, e.g. `contact.country in DE, FR, GB`. */
export function describeCondition(condition: Condition): string {
  return describe(condition, false);
}

function describe(condition: Condition, nested: boolean): string {
  if ('all' in condition) return group(condition.all, ' and ', nested);
  if ('any' in condition) return group(condition.any, ' or ', nested);
  if ('not' in condition) return `not (${describe(condition.not, false)})`;
  const { field } = condition;
  switch (condition.op) {
    case 'equals':
      return `${field} = ${condition.value}`;
    case 'notEquals':
      return `${field} != ${condition.value}`;
    case 'in':
      return `${field} in ${condition.values.join(', ')}`;
    case 'contains': {
      const needles = Array.isArray(condition.value) ? condition.value : [condition.value];
      const quoted = needles.map((needle) => JSON.stringify(needle)).join(', ');
      return needles.length === 1 ? `${field} contains ${quoted}` : `${field} contains any of ${quoted}`;
    }
    case 'matches':
      return `${field} matches /${condition.pattern}/`;
    case 'range':
      if (condition.min !== undefined && condition.max !== undefined) {
        return `${field} between ${condition.min} and ${condition.max}`;
      }
      if (condition.min !== undefined) return `${field} >= ${condition.min}`;
      if (condition.max !== undefined) return `${field} <= ${condition.max}`;
      return `${field} is a number`;
    case 'age':
      if (condition.minYears !== undefined && condition.maxYears !== undefined) {
        return `${field} between ${condition.minYears} and ${condition.maxYears} years ago`;
      }
      if (condition.minYears !== undefined) return `${field} at least ${condition.minYears} years ago`;
      if (condition.maxYears !== undefined) return `${field} at most ${condition.maxYears} years ago`;
      return `${field} is a past year or date`;
    case 'exists':
      return `${field} is present`;
    case 'freeEmail':
      return `${field} is a free-mail address`;
    default:
      return assertUnreachable(condition);
  }
}

function group(items: Condition[], joiner: string, nested: boolean): string {
  const text = items.map((item) => describe(item, true)).join(joiner);
  return nested && items.length > 1 ? `(${text})` : text;
}
