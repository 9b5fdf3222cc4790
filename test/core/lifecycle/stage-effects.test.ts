import { describe, expect, it } from 'vitest';
import { closesHandoff, stageWebhook } from '../../../src/core/lifecycle/stage-effects.ts';
import { STAGES, type Stage } from '../../../src/core/lifecycle/stages.ts';

const EFFECTS: ReadonlyArray<[string, Stage, string | null, boolean]> = [
  ['a lead reopened to lead is announced and ends its hand-off', 'lead', 'lead.reopened', true],
  ['an MQL is announced by its hand-off, which it starts rather than ends', 'mql', null, false],
  ['an accepted lead is announced; the first-touch clock still runs until a touch', 'sal', 'lead.accepted', false],
  ['a sales-qualified lead is announced and ends the hand-off', 'sql', 'lead.sql', true],
  ['an opportunity is announced by its outcome and ends the hand-off', 'opportunity', null, true],
  ['a customer is announced by its outcome and ends the hand-off', 'customer', null, true],
  ['a recycled lead is announced and ends the hand-off', 'recycled', 'lead.recycled', true],
  ['a disqualified lead is announced and ends the hand-off', 'disqualified', 'lead.disqualified', true],
];

describe('what entering a stage sets off', () => {
  it.each(EFFECTS)('%s', (_name, stage, webhook, closes) => {
    expect(stageWebhook(stage)).toBe(webhook);
    expect(closesHandoff(stage)).toBe(closes);
  });

  it('covers every stage', () => {
    expect(EFFECTS.map(([, stage]) => stage).sort()).toEqual([...STAGES].sort());
  });
});
