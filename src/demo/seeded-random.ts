/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32) with the
 * draws the demo generator needs. Same seed, same sequence, on every platform: only
 * 32-bit integer arithmetic is involved, and no `Math.random`.
 */
/** Items with precomputed cumulative weights, for drawing from the same list many times. */
export interface WeightedTable<T> {
  items: readonly T[];
  cumulative: readonly number[];
}

/** Builds a table once; `random.draw(table)` then picks in O(log n). Zero weights are never picked. */
export function weightedTable<T>(items: readonly T[], weight: (item: T) => number): WeightedTable<T> {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += Math.max(0, weight(item));
    cumulative.push(total);
  }
  if (total <= 0) throw new RangeError('a weighted table needs a positive weight');
  return { items, cumulative };
}

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An unsigned 32-bit integer. */
  uint32(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks an item with probability proportional to `weight(item)`; zero weights are never picked. */
  weightedPick<T>(items: readonly T[], weight: (item: T) => number): T;
  /** Picks from a prepared table, with probability proportional to the weights it was built with. */
  draw<T>(table: WeightedTable<T>): T;
  normal(mean: number, deviation: number): number;
  /** exp(normal(ln median, spread)): positive, right-skewed, median `median`. */
  logNormal(median: number, spread: number): number;
  exponential(mean: number): number;
  poisson(mean: number): number;
  /** A random version-4 UUID, as browsers' analytics libraries use for anonymous ids. */
  uuid(): string;
}

function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function hex8(value: number): string {
  return (
    (HEX_BYTES[value >>> 24] ?? '') +
    (HEX_BYTES[(value >>> 16) & 0xff] ?? '') +
    (HEX_BYTES[(value >>> 8) & 0xff] ?? '') +
    (HEX_BYTES[value & 0xff] ?? '')
  );
}

export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  // Both halves of the seed take part, so seeds above 2^32 differ too.
  const mix = splitmix32(splitmix32(Math.floor(seed / 0x100000000))() ^ (seed >>> 0));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();

  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) uint32();

  const next = (): number => uint32() / 0x100000000;
  const normal = (mean: number, deviation: number): number => {
    const u = 1 - next(); // (0, 1]: log stays finite
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };

  const draw = <T>(table: WeightedTable<T>): T => {
    const cumulative = table.cumulative;
    const target = next() * (cumulative[cumulative.length - 1] ?? 0);
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    const item = table.items[low];
    if (item === undefined) throw new RangeError('draw from an empty table');
    return item;
  };

  return {
    next,
    uint32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    weightedPick<T>(items: readonly T[], weight: (item: T) => number): T {
      return draw(weightedTable(items, weight));
    },
    draw,
    normal,
    logNormal: (median, spread) => median * Math.exp(normal(0, spread)),
    exponential: (mean) => -mean * Math.log(1 - next()),
    poisson(mean: number): number {
      // Knuth's method: fine for the small means used here.
      const limit = Math.exp(-mean);
      let count = 0;
      let product = next();
      while (product > limit) {
        count++;
        product *= next();
      }
      return count;
    },
    uuid(): string {
      const x = hex8(uint32());
      const y = hex8(uint32());
      const z = hex8(uint32());
      const w = hex8(uint32());
      const variant = ((Number.parseInt(z.slice(0, 1), 16) & 0x3) | 0x8).toString(16);
      return `${x}-${y.slice(0, 4)}-4${y.slice(5, 8)}-${variant}${z.slice(1, 4)}-${z.slice(4)}${w}`;
    },
  };
}
