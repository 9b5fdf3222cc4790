import { describe, expect, it } from 'vitest';
import { describeValue, formatFieldPath } from '../../src/core/describe-input.ts';

describe('how errors name what was sent', () => {
  it.each([
    [[], '(document)'],
    [['handoff'], 'handoff'],
    [['handoff', 'sla', 2, 'within'], 'handoff.sla[2].within'],
    [[0, 'properties', 'plan'], '[0].properties.plan'],
  ] as const)('the field %j reads %s', (segments, text) => {
    expect(formatFieldPath(segments)).toBe(text);
  });

  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    ['fortnight', '"fortnight"'],
    [14, '14'],
    ['x'.repeat(80), `"${'x'.repeat(56)}...`],
  ])('the value %j reads %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
