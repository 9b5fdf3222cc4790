import { assertUnreachable } from '../result.ts';
import type { LeadPreview } from './preview-lead.ts';

/** The kinds of change an impact preview counts and gives examples of. */
export const IMPACT_KINDS = ['grade', 'temperature', 'stage', 'unqualified'] as const;
export type ImpactKind = (typeof IMPACT_KINDS)[number];

/** How many leads went from one value to another. */
export interface Transition {
  from: string;
  to: string;
  count: number;
}

/** Who a lead is, as an example names it. */
export interface ImpactContact {
  id: string;
  name: string | null;
  email: string | null;
}

/** One lead that changes: who, and its preview under the published playbook and the draft. */
export interface ImpactExample {
  contact: ImpactContact;
  before: LeadPreview;
  after: LeadPreview;
}

/**
 * The running totals of an impact preview. It holds counts and a few examples only, so a
 * preview over any number of leads takes the same memory.
 */
export interface ImpactTally {
  contacts: number;
  scoreChanged: number;
  changed: Record<ImpactKind, number>;
  grades: Map<string, number>;
  temperatures: Map<string, number>;
  stages: Map<string, number>;
  examples: Record<ImpactKind, ImpactExample[]>;
  examplesPerKind: number;
}

export function emptyImpactTally(examplesPerKind = 5): ImpactTally {
  return {
    contacts: 0,
    scoreChanged: 0,
    changed: { grade: 0, temperature: 0, stage: 0, unqualified: 0 },
    grades: new Map(),
    temperatures: new Map(),
    stages: new Map(),
    examples: { grade: [], temperature: [], stage: [], unqualified: [] },
    examplesPerKind,
  };
}

/** The kinds of change between a lead's two previews (none when the draft changes nothing that matters). */
export function classifyChange(before: LeadPreview, after: LeadPreview): ImpactKind[] {
  return IMPACT_KINDS.filter((kind) => hasChanged(kind, before, after));
}

function hasChanged(kind: ImpactKind, before: LeadPreview, after: LeadPreview): boolean {
  switch (kind) {
    case 'grade':
      return before.grade !== after.grade;
    case 'temperature':
      return before.temperature !== after.temperature;
    case 'stage':
      return before.stage !== after.stage;
    case 'unqualified':
      // An MQL is never moved back by rule (§4): it stays one, but would no longer qualify.
      return after.stage === 'mql' && before.qualifiesBy !== null && after.qualifiesBy === null;
    default:
      return assertUnreachable(kind);
  }
}

/** Adds one lead's previews to the tally (mutating it: it is a fold over a stream of leads). */
export function tallyImpact(tally: ImpactTally, contact: ImpactContact, before: LeadPreview, after: LeadPreview): void {
  tally.contacts++;
  if (before.combinedCenti !== after.combinedCenti) tally.scoreChanged++;
  const kinds = classifyChange(before, after);
  for (const kind of kinds) {
    tally.changed[kind]++;
    keepExample(tally.examples[kind], { contact, before, after }, tally.examplesPerKind);
  }
  if (kinds.includes('grade')) count(tally.grades, before.grade, after.grade);
  if (kinds.includes('temperature')) count(tally.temperatures, before.temperature, after.temperature);
  if (kinds.includes('stage')) count(tally.stages, before.stage, after.stage);
}

/** A transition table, largest first (ties in from/to order, so the result is deterministic). */
export function listTransitions(table: ReadonlyMap<string, number>): Transition[] {
  return [...table.entries()]
    .map(([key, value]) => {
      const [from = '', to = ''] = key.split('\u0000');
      return { from, to, count: value };
    })
    .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

function count(table: Map<string, number>, from: string, to: string): void {
  const key = `${from}\u0000${to}`;
  table.set(key, (table.get(key) ?? 0) + 1);
}

/** Keeps the `limit` examples whose combined score moves most (ties: the first seen). */
function keepExample(examples: ImpactExample[], example: ImpactExample, limit: number): void {
  const swing = (each: ImpactExample) => Math.abs(each.after.combinedCenti - each.before.combinedCenti);
  const at = examples.findIndex((each) => swing(example) > swing(each));
  if (at === -1) {
    if (examples.length < limit) examples.push(example);
    return;
  }
  examples.splice(at, 0, example);
  if (examples.length > limit) examples.pop();
}
