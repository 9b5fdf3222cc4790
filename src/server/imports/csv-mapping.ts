import { createHash } from 'node:crypto';
import { COMPANY_PROFILE_FIELDS } from '../../core/companies/company-fields.ts';
import { CONTACT_PROFILE_FIELDS } from '../../core/contacts/contact-fields.ts';
import { err, ok, type Result } from '../../core/result.ts';

export const IMPORT_KINDS = ['contacts', 'companies', 'events', 'outcomes'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The fields each kind of import understands; a header matching one (any case, `_` or `-`) maps itself. */
export const IMPORT_FIELDS: Record<ImportKind, readonly string[]> = {
  contacts: ['email', 'userId', ...CONTACT_PROFILE_FIELDS.map((field) => field.name), 'company', 'companyDomain'],
  companies: ['domain', ...COMPANY_PROFILE_FIELDS.map((field) => field.name), 'owner'],
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
  // Kept as first written, so files imported before stay recognised.
  const canonical = JSON.stringify(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `csv-${kind}:${createHash('sha256').update(canonical).digest('base64url').slice(0, 32)}`;
}

/** `prefix:` and a hash of `value` with object keys sorted, so equal content gives equal ids. */
export function contentId(prefix: string, value: unknown): string {
  const canonical = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(canonical);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(
        Object.entries(item)
          .filter(([, entry]) => entry !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([key, entry]) => [key, canonical(entry)]),
      );
    }
    return item;
  };
  const text = JSON.stringify(canonical(value));
  return `${prefix}:${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
}

/** Column names (squashed) that usually hold a field, though they are not its name. */
const LOOK_ALIKES: Record<string, readonly string[]> = {
  email: ['e-mail', 'emailaddress', 'mail', 'workemail', 'businessemail'],
  userId: ['contactid', 'leadid', 'externalid', 'crmid'],
  firstName: ['first', 'givenname', 'forename'],
  lastName: ['last', 'surname', 'familyname'],
  jobTitle: ['title', 'position', 'jobposition', 'designation'],
  phone: ['phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone'],
  company: ['companyname', 'organization', 'organisation', 'account', 'accountname', 'employer'],
  companyDomain: ['website', 'domain', 'companywebsite', 'url'],
  country: ['countrycode', 'nation'],
  name: ['companyname', 'accountname'],
  domain: ['website', 'companywebsite', 'url'],
  employees: ['employeecount', 'headcount', 'numberofemployees', 'companysize', 'size'],
  annualRevenue: ['revenue', 'turnover'],
  foundedYear: ['founded', 'yearfounded', 'foundingyear'],
  outcome: ['stage', 'status', 'dealstage', 'result', 'won'],
  dealId: ['id', 'opportunityid', 'deal'],
  date: ['closedate', 'closedat', 'wondate', 'closed'],
};

/** What to do with the columns of a file, besides mapping them to fields. */
export interface ColumnChoices {
  /** Columns never stored (an outcome column in a contacts file is a leakage trap for scoring). */
  exclude?: readonly string[];
  /** The only unmapped columns kept as properties. */
  only?: readonly string[];
  /** Value maps per field, as `field=raw:value,raw:value` (`outcome=1:won,0:lost`). */
  values?: readonly string[];
}

/** How each row of a file is read: field mapping, the columns kept, value maps, and warnings. */
export interface RowShape {
  mapping: Map<string, string>;
  dropped: ReadonlySet<string>;
  /** Column → (raw value → value), for the mapped fields given `--values`. */
  valueMaps: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Columns that look like a field but were not mapped, with what to do. */
  warnings: string[];
}

/** Resolves the mapping and column choices against the header, or says what to fix. */
export function resolveRowShape(
  kind: ImportKind,
  header: readonly string[],
  pairs: readonly string[],
  choices: ColumnChoices = {},
): Result<RowShape, string> {
  const resolved = resolveMapping(kind, header, pairs);
  if (!resolved.ok) return resolved;
  const mapping = resolved.value;
  const mapped = new Set(mapping.values());
  const exclude = choices.exclude ?? [];
  const only = choices.only;
  if (exclude.length > 0 && only !== undefined) return err('use --exclude or --only, not both');
  for (const column of [...exclude, ...(only ?? [])]) {
    if (!header.includes(column))
      return err(`the file has no column \`${column}\`; its columns are: ${header.join(', ')}`);
  }
  for (const column of exclude) {
    if (mapped.has(column))
      return err(`column \`${column}\` is mapped to a field; remove it from --exclude or the mapping`);
  }
  const keep = only === undefined ? null : new Set(only);
  const dropped = new Set(
    header.filter(
      (column) => !mapped.has(column) && (exclude.includes(column) || (keep !== null && !keep.has(column))),
    ),
  );
  const valueMaps = new Map<string, Map<string, string>>();
  for (const spec of choices.values ?? []) {
    const eq = spec.indexOf('=');
    const field = eq < 1 ? '' : spec.slice(0, eq).trim();
    if (field === '')
      return err(`value map \`${spec}\` must look like field=raw:value,raw:value (e.g. outcome=1:won,0:lost)`);
    const column = mapping.get(field);
    if (column === undefined) {
      return err(`value map for \`${field}\`: the field is not mapped; map it first with --map ${field}=<Column>`);
    }
    const map = new Map<string, string>();
    for (const entry of spec.slice(eq + 1).split(',')) {
      const colon = entry.lastIndexOf(':');
      if (colon < 1) return err(`value map entry \`${entry}\` in \`${spec}\` must look like raw:value`);
      map.set(entry.slice(0, colon).trim().toLowerCase(), entry.slice(colon + 1).trim());
    }
    valueMaps.set(column, map);
  }
  const fields = new Set(IMPORT_FIELDS[kind]);
  const warnings = header.flatMap((column) => {
    if (mapped.has(column) || dropped.has(column)) return [];
    const lookAlike = Object.entries(LOOK_ALIKES).find(
      ([field, names]) => fields.has(field) && !mapping.has(field) && names.includes(squash(column)),
    );
    if (!lookAlike) return [];
    const [field] = lookAlike;
    const stored = kind === 'outcomes' ? 'it was ignored' : 'it was stored as a property';
    return [
      `column \`${column}\` looks like ${field}: map it with --map ${field}="${column}", or --exclude "${column}"; ${stored}`,
    ];
  });
  return ok({ mapping, dropped, valueMaps, warnings });
}

/** A row as the shape reads it: dropped columns removed, mapped values translated. */
export function shapeRow(row: Record<string, string>, shape: RowShape): Record<string, string> {
  if (shape.dropped.size === 0 && shape.valueMaps.size === 0) return row;
  const shaped: Record<string, string> = {};
  for (const [column, value] of Object.entries(row)) {
    if (shape.dropped.has(column)) continue;
    const map = shape.valueMaps.get(column);
    shaped[column] = map?.get(value.trim().toLowerCase()) ?? value;
  }
  return shaped;
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
