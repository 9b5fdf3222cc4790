import type { Condition } from '../playbook/condition-schema.ts';
import type { EventMatch } from '../playbook/playbook-schema.ts';
import { assertUnreachable } from '../result.ts';
import { toNumber } from '../to-number.ts';
import { emailDomain, isFreeMailDomain } from './free-mail-domains.ts';

// A playbook has a few dozen distinct paths, read once per event per rule: split each once.
const splitPaths = new Map<string, readonly string[]>();
function pathSegments(path: string): readonly string[] {
  let segments = splitPaths.get(path);
  if (!segments) {
    segments = path.split('.');
    if (splitPaths.size > 1000) splitPaths.clear();
    splitPaths.set(path, segments);
  }
  return segments;
}

/** Reads a dot path (`company.employees`, `properties.path`) from a plain object. */
export function readPath(subject: unknown, path: string): unknown {
  let current: unknown = subject;
  for (const key of pathSegments(path)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Equality that playbook authors expect: case-insensitive for text, numeric for numbers-as-text. */
function looselyEquals(actual: unknown, expected: string | number | boolean): boolean {
  if (actual === undefined || actual === null) return false;
  if (typeof expected === 'number') return toNumber(actual) === expected;
  if (typeof expected === 'boolean') return actual === expected || String(actual).toLowerCase() === String(expected);
  return String(actual).toLowerCase() === expected.toLowerCase();
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function textOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((item) => String(item)).join('\n');
  if (typeof value === 'object') return null;
  return String(value);
}

const regexCache = new Map<string, RegExp>();
function compilePattern(pattern: string): RegExp {
  let compiled = regexCache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(pattern, 'i');
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, compiled);
  }
  return compiled;
}

const YEAR_MS = 365.2425 * 86_400_000;

/**
 * Years between `value` and `now`: a whole year (2019, or '2019') counts from its 1 January,
 * a date or date-time from that moment. Null when the value is neither, or in the future.
 */
export function yearsAgo(value: unknown, now: number): number | null {
  const number = toNumber(value);
  let at: number | null = null;
  if (number !== null && Number.isInteger(number) && number >= 1000 && number <= 9999) at = Date.UTC(number, 0, 1);
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const parsed = Date.parse(value);
    at = Number.isNaN(parsed) ? null : parsed;
  }
  if (at === null || at > now) return null;
  return (now - at) / YEAR_MS;
}

/**
 * Evaluates a playbook condition against a subject at `now` (what `age` conditions measure
 * from). Never throws on missing or odd-typed data.
 */
export function matchesCondition(condition: Condition, subject: unknown, now: number): boolean {
  if ('all' in condition) return condition.all.every((item) => matchesCondition(item, subject, now));
  if ('any' in condition) return condition.any.some((item) => matchesCondition(item, subject, now));
  if ('not' in condition) return !matchesCondition(condition.not, subject, now);
  const actual = readPath(subject, condition.field);
  switch (condition.op) {
    case 'equals':
      return looselyEquals(actual, condition.value);
    case 'notEquals':
      return !looselyEquals(actual, condition.value);
    case 'in':
      return condition.values.some((value) => looselyEquals(actual, value));
    case 'contains': {
      const text = textOf(actual)?.toLowerCase();
      if (text === undefined) return false;
      const needles = Array.isArray(condition.value) ? condition.value : [condition.value];
      return needles.some((needle) => text.includes(needle.toLowerCase()));
    }
    case 'matches': {
      const text = textOf(actual);
      return text !== null && compilePattern(condition.pattern).test(text);
    }
    case 'range': {
      const value = toNumber(actual);
      if (value === null) return false;
      return (
        (condition.min === undefined || value >= condition.min) &&
        (condition.max === undefined || value <= condition.max)
      );
    }
    case 'age': {
      const years = yearsAgo(actual, now);
      if (years === null) return false;
      return (
        (condition.minYears === undefined || years >= condition.minYears) &&
        (condition.maxYears === undefined || years <= condition.maxYears)
      );
    }
    case 'exists':
      return isPresent(actual);
    case 'freeEmail': {
      if (typeof actual !== 'string') return false;
      const domain = emailDomain(actual);
      return domain !== null && isFreeMailDomain(domain);
    }
    default:
      return assertUnreachable(condition);
  }
}

/** The fields of an event that rules can match on. */
export interface MatchableEvent {
  type: 'track' | 'page' | 'identify' | 'group';
  name: string | null;
  properties: Record<string, unknown>;
  context?: Record<string, unknown>;
  source?: string | null;
  occurredAt?: number;
}

// A rule's names, lower-cased once per playbook document rather than once per event.
const lowerNames = new WeakMap<EventMatch, ReadonlySet<string>>();
function namesOf(match: EventMatch, name: string | string[]): ReadonlySet<string> {
  let names = lowerNames.get(match);
  if (!names) {
    names = new Set((Array.isArray(name) ? name : [name]).map((candidate) => candidate.toLowerCase()));
    lowerNames.set(match, names);
  }
  return names;
}

/**
 * Whether an event matches a rule's type, name(s) and conditions. Events flagged
 * `properties.machine` (an open by Apple's privacy proxy, a click by a link scanner) are no
 * person's doing: they match only rules that say `includeMachine: true`.
 */
export function matchesEvent(match: EventMatch, event: MatchableEvent): boolean {
  if (match.type !== undefined && match.type !== event.type) return false;
  if (event.properties.machine === true && match.includeMachine !== true) return false;
  if (match.name !== undefined) {
    const name = event.name?.toLowerCase();
    if (name === undefined || !namesOf(match, match.name).has(name)) return false;
  }
  // An event's `age` conditions measure from when it happened (never, for an event without a time).
  const at = event.occurredAt ?? Number.NaN;
  return (match.where ?? []).every((condition) => matchesCondition(condition, event, at));
}
