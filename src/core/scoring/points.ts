/**
 * Scores are kept in integer hundredths of a point ("centi-points") so that every sum is
 * exact: the score shown is always exactly the sum of its explained parts.
 */
export function toCenti(points: number): number {
  return Math.round(points * 100);
}

export function fromCenti(centi: number): number {
  return centi / 100;
}
