/** Columns a contact's identify traits map onto; anything else goes to `properties`. */
export interface ContactColumns {
  first_name?: string;
  last_name?: string;
  job_title?: string;
  seniority?: string;
  role?: string;
  phone?: string;
  country?: string;
}

const TRAIT_COLUMNS: Record<string, keyof ContactColumns> = {
  firstName: 'first_name',
  first_name: 'first_name',
  lastName: 'last_name',
  last_name: 'last_name',
  title: 'job_title',
  jobTitle: 'job_title',
  job_title: 'job_title',
  seniority: 'seniority',
  role: 'role',
  phone: 'phone',
  country: 'country',
};
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
    const column = TRAIT_COLUMNS[key];
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

/** Fit rules see a contact as one flat object: camelCase columns plus custom properties. */
export function contactSubject(row: {
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  job_title: string | null;
  seniority: string | null;
  role: string | null;
  phone: string | null;
  country: string | null;
  properties: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    ...row.properties,
    properties: row.properties,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    seniority: row.seniority,
    role: row.role,
    phone: row.phone,
    country: row.country,
  };
}
