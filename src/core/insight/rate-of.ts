/** `part / whole` rounded to 4 decimals (33.33 %), or null when `whole` is 0. */
export function rateOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}
