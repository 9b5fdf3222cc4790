/**
 * Company size bands by employee count, for the `size` split. A company without a count (or a
 * lead without a company) is `unknown`.
 */
export const SIZE_BANDS = [
  { label: '1-10', max: 10 },
  { label: '11-50', max: 50 },
  { label: '51-200', max: 200 },
  { label: '201-500', max: 500 },
  { label: '501-1000', max: 1000 },
  { label: '1001-5000', max: 5000 },
  { label: '5001+', max: null },
] as const;

export const UNKNOWN_SIZE = 'unknown';

/** The band of an employee count. */
export function sizeBandOf(employees: number | null): string {
  if (employees === null || !Number.isFinite(employees) || employees < 1) return UNKNOWN_SIZE;
  return SIZE_BANDS.find((band) => band.max === null || employees <= band.max)?.label ?? UNKNOWN_SIZE;
}
