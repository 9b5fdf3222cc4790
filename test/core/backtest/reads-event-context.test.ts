import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readsEventContext } from '../../../src/core/backtest/reads-event-context.ts';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';

const DEFAULT = readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8');

function parse(source: string) {
  const parsed = parsePlaybook(source);
  if (!parsed.ok) throw new Error(parsed.error[0]?.message);
  return parsed.value;
}

describe('whether a playbook reads event contexts', () => {
  it('does not in the default playbook', () => {
    expect(readsEventContext(parse(DEFAULT))).toBe(false);
  });

  it.each([
    [
      'an engagement rule',
      'match: { type: track, name: Webinar Attended }',
      'match: { type: track, name: Webinar Attended, where: [ { op: exists, field: context.campaign } ] }',
    ],
    [
      'a nested condition',
      'match: { type: track, name: Webinar Attended }',
      'match: { type: track, name: Webinar Attended, where: [ { not: { any: [ { op: equals, field: context.locale, value: fr } ] } } ] }',
    ],
    [
      'a hand-raiser',
      'match: { type: track, name: Pricing Requested }',
      'match: { type: track, name: Pricing Requested, where: [ { op: contains, field: context.page.path, value: /pricing } ] }',
    ],
  ])('does when %s looks at one', (_where, from, to) => {
    const source = DEFAULT.replace(from, to);
    expect(source).not.toBe(DEFAULT);
    expect(readsEventContext(parse(source))).toBe(true);
  });
});
