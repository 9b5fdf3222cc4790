/**
 * The continuous percentile of `sorted` (ascending) at `fraction` (0–1), interpolated between
 * the two nearest values exactly as PostgreSQL's `percentile_cont` does: the same arithmetic in
 * the same order, so that a report computed here from values read from the database gives the
 * figure the database would have. Null for no values.
 */
export function percentileCont(sorted: ArrayLike<number>, fraction: number): number | null {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`a percentile is between 0 and 1, got ${fraction}`);
  if (sorted.length === 0) return null;
  const rank = fraction * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below] as number;
  if (above === below) return low;
  return low + (rank - below) * ((sorted[above] as number) - low);
}
