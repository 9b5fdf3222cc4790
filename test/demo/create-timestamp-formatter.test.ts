import { describe, expect, it } from 'vitest';
import { createTimestampFormatter } from '../../src/demo/create-timestamp-formatter.ts';
import { createRandom } from '../../src/demo/seeded-random.ts';

describe('createTimestampFormatter', () => {
  it('agrees with Date.prototype.toISOString, in and out of order', () => {
    const format = createTimestampFormatter();
    const random = createRandom(1);
    const edges = [
      0,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      Date.UTC(2025, 0, 1),
      Date.UTC(2100, 1, 28, 12),
    ];
    for (const time of edges) expect(format(time)).toBe(new Date(time).toISOString());
    let time = Date.UTC(2026, 0, 1);
    const mismatches: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      time = random.chance(0.5) ? time + random.int(0, 90_000) : random.int(0, 4_000_000_000_000);
      if (format(time) !== new Date(time).toISOString()) mismatches.push(time);
    }
    expect(mismatches).toEqual([]);
  });
});
