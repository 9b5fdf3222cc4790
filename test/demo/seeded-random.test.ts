import { describe, expect, it } from 'vitest';
import { createRandom, weightedTable } from '../../src/demo/seeded-random.ts';

function draws(seed: number, count: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random.next());
}

describe('createRandom', () => {
  it('repeats its sequence for a seed, and differs between seeds, including above 2^32', () => {
    expect(draws(1, 50)).toEqual(draws(1, 50));
    expect(draws(1, 50)).not.toEqual(draws(2, 50));
    expect(draws(1, 50)).not.toEqual(draws(2 ** 32 + 1, 50));
  });

  it('stays in range and is roughly uniform', () => {
    const random = createRandom(9);
    const buckets = [0, 0, 0, 0];
    let outside = 0;
    for (let i = 0; i < 40_000; i++) {
      const value = random.next();
      if (value < 0 || value >= 1) outside++;
      else buckets[Math.floor(value * 4)] = (buckets[Math.floor(value * 4)] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    for (const bucket of buckets) expect(Math.abs(bucket - 10_000)).toBeLessThan(500);
    const ints = new Set(Array.from({ length: 1000 }, () => random.int(3, 5)));
    expect([...ints].sort()).toEqual([3, 4, 5]);
  });

  it('draws by weight and never picks a zero weight', () => {
    const random = createRandom(4);
    const table = weightedTable(['never', 'rare', 'common'], (item) =>
      item === 'never' ? 0 : item === 'rare' ? 1 : 9,
    );
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const item = random.draw(table);
      counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    expect(counts.get('never')).toBeUndefined();
    expect(counts.get('rare')).toBeGreaterThan(800);
    expect(counts.get('rare')).toBeLessThan(1200);
  });

  it('has the right centre for normal, poisson and exponential draws, and makes v4 UUIDs', () => {
    const random = createRandom(5);
    const mean = (draw: () => number): number => {
      let sum = 0;
      for (let i = 0; i < 20_000; i++) sum += draw();
      return sum / 20_000;
    };
    expect(mean(() => random.normal(3, 2))).toBeCloseTo(3, 1);
    expect(mean(() => random.poisson(2.5))).toBeCloseTo(2.5, 1);
    expect(mean(() => random.exponential(4))).toBeCloseTo(4, 0);
    expect(random.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => createRandom(1.5)).toThrow(RangeError);
  });
});
