import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setYamlValue } from '../../src/core/playbook/set-yaml-value.ts';
import { type KnobPath, readKnobs } from '../../src/web/playbook/draft-knobs.ts';

const DEFAULT = readFileSync(new URL('../../playbooks/default.yaml', import.meta.url), 'utf8');

function apply(source: string, path: KnobPath, value: number | string): string {
  const change = setYamlValue(source, path, value);
  if (change === null) throw new Error(`no change for ${path.join('.')}`);
  return source.slice(0, change.from) + change.insert + source.slice(change.to);
}

/** The lines that differ between two texts of the same length in lines. */
function changedLines(before: string, after: string): string[] {
  const old = before.split('\n');
  return after.split('\n').filter((line, index) => line !== old[index]);
}

describe('the form for the common settings of a playbook', () => {
  it('reads the bands, every rule’s points, criteria, the fast lane and the SLA from the YAML', () => {
    const sections = readKnobs(DEFAULT);
    const knobs = (sections ?? []).flatMap((section) => section.groups.flatMap((group) => group.knobs));
    const value = (path: string) => knobs.find((knob) => knob.path.join('.') === path)?.value;
    expect(value('fit.grades.A')).toBe(70);
    expect(value('engagement.temperatures.hot')).toBe(60);
    expect(value('engagement.defaultHalfLife')).toBe('30d');
    expect(value('engagement.groups.0.rules.0.points')).toBe(40);
    expect(value('mql.criteria.0.when')).toBe('fit >= 50 and engagement >= 50');
    expect(value('handRaisers.minFit')).toBe(30);
    expect(value('handoff.sla.firstTouchWithin')).toBe('24h');
  });

  it('offers no form for YAML that does not parse', () => {
    expect(readKnobs('fit: [')).toBeNull();
  });

  const edits: Array<[string, KnobPath, number | string, string]> = [
    ['a grade band inside a flow mapping', ['fit', 'grades', 'B'], 55, '  grades: { A: 70, B: 55, C: 30 }'],
    ['a rule’s points', ['fit', 'groups', 0, 'rules', 3, 'points'], 20, '          points: 20'],
    [
      'the SLA, keeping the comment after it',
      ['handoff', 'sla', 'firstTouchWithin'],
      '8h',
      '    firstTouchWithin: 8h           # after the qualifying action',
    ],
    [
      'a criterion, quoted when it must be',
      ['mql', 'criteria', 0, 'when'],
      'fit >= 40 # and more',
      '      when: "fit >= 40 # and more"',
    ],
  ];
  for (const [name, path, value, line] of edits) {
    it(`changes only ${name}`, () => {
      expect(changedLines(DEFAULT, apply(DEFAULT, path, value))).toEqual([line]);
    });
  }

  it('changes nothing when the value is already there or the setting is missing', () => {
    expect(setYamlValue(DEFAULT, ['fit', 'grades', 'A'], 70)).toBeNull();
    expect(setYamlValue(DEFAULT, ['fit', 'grades', 'Z'], 1)).toBeNull();
  });
});
