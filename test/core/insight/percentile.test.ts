import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentileCont } from '../../../src/core/insight/percentile.ts';

describe('percentileCont', () => {
  it('interpolates between the two nearest values', () => {
    expect(percentileCont([], 0.5)).toBeNull();
    expect(percentileCont([7], 0.9)).toBe(7);
    expect(percentileCont([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileCont([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12);
    expect(percentileCont([2, 4, 8], 0)).toBe(2);
    expect(percentileCont([2, 4, 8], 1)).toBe(8);
    expect(percentileCont(new Float64Array([10, 20]), 0.25)).toBe(12.5);
  });

  it('refuses a fraction outside 0–1', () => {
    expect(() => percentileCont([1, 2], 1.5)).toThrow(/between 0 and 1/);
    expect(() => percentileCont([1, 2], Number.NaN)).toThrow(/between 0 and 1/);
  });

  it('lies between the values around its rank, and grows with the fraction', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const sorted = Float64Array.from(values).sort();
          const rank = a * (sorted.length - 1);
          const value = percentileCont(sorted, a) as number;
          expect(value).toBeGreaterThanOrEqual(sorted[Math.floor(rank)] as number);
          expect(value).toBeLessThanOrEqual(sorted[Math.ceil(rank)] as number);
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(percentileCont(sorted, low) as number).toBeLessThanOrEqual(percentileCont(sorted, high) as number);
        },
      ),
    );
  });
});
