import { describe, expect, it } from 'vitest';
import {
  describeInputs,
  encodeRow,
  learnEncodings,
  MISSING_LEVEL,
  OTHER_LEVEL,
} from '../../../src/core/predict/encode-features.ts';
import { inferColumns } from '../../../src/core/predict/infer-columns.ts';

describe('what each column holds', () => {
  it('tells numbers, dates and categories apart and skips what cannot generalise', () => {
    const rows = Array.from({ length: 80 }, (_, index) => ({
      employees: index % 7 === 0 ? '' : String(index * 10),
      signedUp: `2025-03-${String((index % 28) + 1).padStart(2, '0')}`,
      industry: ['software', 'retail', 'health'][index % 3] ?? null,
      email: `person${index}@example.com`,
      country: 'NO',
      notes: null,
    }));
    const { usable, skipped } = inferColumns(rows, Object.keys(rows[0] ?? {}));
    expect(usable).toEqual([
      { name: 'employees', kind: 'numeric' },
      { name: 'signedUp', kind: 'date' },
      { name: 'industry', kind: 'categorical' },
    ]);
    expect(skipped.map(({ name, reason }) => ({ name, reason }))).toEqual([
      { name: 'email', reason: 'identifier' },
      { name: 'country', reason: 'constant' },
      { name: 'notes', reason: 'empty' },
    ]);
    expect(skipped[0]?.message).toBe('`email` looks like an identifier (80 different values in 80 rows)');
  });
});

describe('encoding rows as model inputs', () => {
  const training = [
    ...Array.from({ length: 12 }, () => ({ plan: 'pro', size: '10' })),
    ...Array.from({ length: 10 }, () => ({ plan: 'free', size: '30' })),
    { plan: 'legacy', size: '' },
    { plan: '', size: '20' },
  ];
  const encodings = learnEncodings(training, [
    { name: 'plan', kind: 'categorical' },
    { name: 'size', kind: 'numeric' },
  ]);

  it('keeps frequent levels, pools rare ones into (other), gives missing its own level', () => {
    expect(encodings[0]).toEqual({
      kind: 'categorical',
      name: 'plan',
      levels: ['pro', 'free', OTHER_LEVEL, MISSING_LEVEL],
    });
  });

  it('standardises numbers, bands them, and marks a missing number', () => {
    const size = encodings[1];
    expect(size?.kind).toBe('numeric');
    if (size?.kind !== 'numeric') return;
    const values = [...Array(12).fill(10), ...Array(10).fill(30), 20];
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(size.mean).toBeCloseTo(mean, 12);
    expect(size.missingIndicator).toBe(true);
    expect(size.cuts).toEqual([30]);
    expect(describeInputs(encodings).map((input) => input.label)).toEqual([
      'plan = pro',
      'plan = free',
      'plan = (other)',
      'plan = (missing)',
      'size',
      'size < 30',
      'size ≥ 30',
      'size (missing)',
    ]);
    const encoded = Array.from(encodeRow(encodings, { plan: 'enterprise', size: '30' }));
    expect(encoded.slice(0, 4)).toEqual([0, 0, 1, 0]);
    expect(encoded[4]).toBeCloseTo((30 - mean) / size.sd, 12);
    expect(encoded.slice(5)).toEqual([0, 1, 0]);
    expect(Array.from(encodeRow(encodings, { plan: null, size: null })).slice(3)).toEqual([1, 0, 0, 0, 1]);
  });
});
