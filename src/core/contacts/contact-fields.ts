import type { TSchema } from '@sinclair/typebox';

/**
 * A contact's profile fields, once: the name the API, CSV imports and playbook rules use, the
 * column it is stored in, and the identify trait names it arrives under. The columns of the
 * scoring and view queries, the API's schemas, the ingest statements and the playbook subject
 * are all derived from this table, so a field added or renamed here reaches all of them.
 * Identity (email, user id), company and owner are not profile fields: each has its own rules.
 */
export const CONTACT_PROFILE_FIELDS = [
  { name: 'firstName', column: 'first_name', traits: ['firstName', 'first_name'] },
  { name: 'lastName', column: 'last_name', traits: ['lastName', 'last_name'] },
  { name: 'jobTitle', column: 'job_title', traits: ['title', 'jobTitle', 'job_title'] },
  { name: 'seniority', column: 'seniority', traits: ['seniority'] },
  { name: 'role', column: 'role', traits: ['role'] },
  { name: 'phone', column: 'phone', traits: ['phone'] },
  { name: 'country', column: 'country', traits: ['country'] },
  // `undeliverable` after a hard bounce or a spam complaint; `unsubscribed` after an unsubscribe
  // (email-events/email-event-messages.ts). A CRM may set or clear them like any trait.
  { name: 'emailStatus', column: 'email_status', traits: ['emailStatus', 'email_status'] },
  { name: 'emailConsent', column: 'email_consent', traits: ['emailConsent', 'email_consent'] },
] as const;

type ProfileField = (typeof CONTACT_PROFILE_FIELDS)[number];
export type ContactProfileName = ProfileField['name'];
export type ContactProfileColumn = ProfileField['column'];

/** Columns a contact's identify traits map onto; anything else goes to `properties`. */
export type ContactColumns = Partial<Record<ContactProfileColumn, string>>;

/** A stored contact's profile, by column, as the database returns it. */
export type ContactProfileRow = Record<ContactProfileColumn, string | null>;

export const CONTACT_PROFILE_COLUMNS: readonly ContactProfileColumn[] = CONTACT_PROFILE_FIELDS.map(
  (field) => field.column,
);

/** The fields fit rules can read on every contact, besides its custom properties. */
export const CONTACT_SUBJECT_FIELDS: readonly string[] = [
  'properties',
  'email',
  ...CONTACT_PROFILE_FIELDS.map((field) => field.name),
];

const COLUMN_OF_TRAIT = new Map<string, ContactProfileColumn>(
  CONTACT_PROFILE_FIELDS.flatMap((field) => field.traits.map((trait) => [trait, field.column] as const)),
);
const IGNORED = new Set(['email', 'id', 'userId', 'anonymousId']);
const MAX_TEXT = 500;

/** Splits identify traits into known columns and custom properties. */
export function splitContactTraits(traits: Record<string, unknown>): {
  columns: ContactColumns;
  properties: Record<string, unknown>;
} {
  const columns: ContactColumns = {};
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (IGNORED.has(key) || value === undefined) continue;
    const column = COLUMN_OF_TRAIT.get(key);
    if (column && (typeof value === 'string' || typeof value === 'number')) {
      columns[column] = String(value).slice(0, MAX_TEXT);
    } else if (key === 'address' && value !== null && typeof value === 'object' && 'country' in value) {
      columns.country = String(value.country).slice(0, MAX_TEXT);
    } else {
      properties[key] = value;
    }
  }
  return { columns, properties };
}

/** A contact's profile under the names the API and rules use (`jobTitle`), from its columns. */
export function contactProfileOf(row: ContactProfileRow): Record<ContactProfileName, string | null> {
  return {
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    seniority: row.seniority,
    role: row.role,
    phone: row.phone,
    country: row.country,
    emailStatus: row.email_status,
    emailConsent: row.email_consent,
  } satisfies { [F in ProfileField as F['name']]: ContactProfileRow[F['column']] };
}

/** Fit rules see a contact as one flat object: its profile and email, plus custom properties. */
export function contactSubject(
  row: ContactProfileRow & { email: string | null; properties: Record<string, unknown> },
): Record<string, unknown> {
  return { ...row.properties, properties: row.properties, email: row.email, ...contactProfileOf(row) };
}

/**
 * One API schema per profile field, keyed by its name, for the view and input schemas. The
 * cast names the keys `Object.fromEntries` cannot know; the entries come from the table above.
 */
export function contactProfileSchemas<S extends TSchema>(schemaOf: () => S): Record<ContactProfileName, S> {
  return Object.fromEntries(CONTACT_PROFILE_FIELDS.map((field) => [field.name, schemaOf()])) as Record<
    ContactProfileName,
    S
  >;
}
