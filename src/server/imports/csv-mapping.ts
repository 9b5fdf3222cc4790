import { createHash } from 'node:crypto';
import { err, ok, type Result } from '../../core/result.ts';

export const IMPORT_KINDS = ['contacts', 'companies', 'events', 'outcomes'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The fields each kind of import understands; a header matching one (any case, `_` or `-`) maps itself. */
export const IMPORT_FIELDS: Record<ImportKind, readonly string[]> = {
  contacts: [
    'email',
    'userId',
    'firstName',
    'lastName',
    'jobTitle',
    'seniority',
    'role',
    'phone',
    'country',
    'company',
    'companyDomain',
  ],
  companies: ['domain', 'name', 'industry', 'employees', 'annualRevenue', 'foundedYear', 'country', 'owner'],
  outcomes: ['email', 'outcome', 'reason', 'amount', 'currency', 'dealId', 'date'],
  events: [
    'messageId',
    'type',
    'event',
    'userId',
    'email',
    'anonymousId',
    'timestamp',
    'name',
    'url',
    'path',
    'campaign',
  ],
};

const squash = (text: string) => text.toLowerCase().replace(/[\s_-]/g, '');

/**
 * Resolves `field=Column` pairs against the header. Unmapped header columns become custom
 * properties. Returns an actionable error for a pair naming a column the file lacks.
 */
export function resolveMapping(
  kind: ImportKind,
  header: readonly string[],
  pairs: readonly string[],
): Result<Map<string, string>, string> {
  const mapping = new Map<string, string>();
  for (const field of IMPORT_FIELDS[kind]) {
    const column = header.find((name) => squash(name) === squash(field));
    if (column !== undefined) mapping.set(field, column);
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) return err(`mapping \`${pair}\` must look like field=Column`);
    const field = pair.slice(0, eq).trim();
    const column = pair.slice(eq + 1).trim();
    if (!IMPORT_FIELDS[kind].includes(field))
      return err(`unknown ${kind} field \`${field}\`; known: ${IMPORT_FIELDS[kind].join(', ')}`);
    if (!header.includes(column))
      return err(`the file has no column \`${column}\`; its columns are: ${header.join(', ')}`);
    mapping.set(field, column);
  }
  return ok(mapping);
}

/** A stable id from a row's content: importing the same file twice produces the same messages. */
export function rowId(kind: ImportKind, row: Record<string, string>): string {
  const canonical = JSON.stringify(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `csv-${kind}:${createHash('sha256').update(canonical).digest('base64url').slice(0, 32)}`;
}

export function unmappedProperties(
  row: Record<string, string>,
  mapping: ReadonlyMap<string, string>,
): Record<string, string> {
  const used = new Set(mapping.values());
  const properties: Record<string, string> = {};
  for (const [column, value] of Object.entries(row)) {
    if (!used.has(column) && value !== '') properties[column] = value;
  }
  return properties;
}
