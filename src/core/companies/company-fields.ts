/**
 * A company's profile fields, once: the name the API, imports and playbook rules use, the
 * column, what it holds (`text`, a whole number, or a `decimal` one), and the group trait
 * names it arrives under (Segment's reserved names and common spellings). Column lists,
 * statements, schemas and the playbook subject derive from it. The domain, how a company is
 * found again, has rules of its own.
 */
export const COMPANY_PROFILE_FIELDS = [
  { name: 'name', column: 'name', type: 'text', traits: ['name'] },
  { name: 'industry', column: 'industry', type: 'text', traits: ['industry'] },
  { name: 'employees', column: 'employees', type: 'integer', traits: ['employees', 'employeeCount', 'employee_count'] },
  {
    name: 'annualRevenue',
    column: 'annual_revenue',
    type: 'decimal',
    traits: ['annualRevenue', 'annual_revenue', 'revenue'],
  },
  { name: 'foundedYear', column: 'founded_year', type: 'integer', traits: ['foundedYear', 'founded_year', 'founded'] },
  { name: 'country', column: 'country', type: 'text', traits: ['country'] },
  { name: 'adSpend', column: 'ad_spend', type: 'decimal', traits: ['adSpend', 'ad_spend'] },
  { name: 'shareCapital', column: 'share_capital', type: 'decimal', traits: ['shareCapital', 'share_capital'] },
  { name: 'vatNumber', column: 'vat_number', type: 'text', traits: ['vatNumber', 'vat_number', 'vat', 'vatId'] },
  {
    name: 'publicFunding',
    column: 'public_funding',
    type: 'decimal',
    traits: ['publicFunding', 'public_funding', 'funding'],
  },
  {
    name: 'reviewRating',
    column: 'review_rating',
    type: 'decimal',
    traits: ['reviewRating', 'review_rating', 'rating'],
  },
  { name: 'reviewCount', column: 'review_count', type: 'integer', traits: ['reviewCount', 'review_count', 'reviews'] },
  {
    name: 'socialProfiles',
    column: 'social_profiles',
    type: 'text',
    traits: ['socialProfiles', 'social_profiles', 'social'],
  },
  {
    name: 'technologies',
    column: 'technologies',
    type: 'text',
    traits: ['technologies', 'tech', 'techStack', 'tech_stack'],
  },
] as const;

type ProfileField = (typeof COMPANY_PROFILE_FIELDS)[number];
export type CompanyProfileName = ProfileField['name'];
export type CompanyProfileColumn = ProfileField['column'];
export type CompanyFieldType = ProfileField['type'];

/** A stored company's profile, by column, as the database returns it. */
export type CompanyProfileRow = {
  [F in ProfileField as F['column']]: (F['type'] extends 'text' ? string : number) | null;
};

/**
 * Company columns that group traits map onto; the rest is kept in `properties`. A column set
 * to null was sent as null: the message clears it.
 */
export type CompanyColumns = Partial<CompanyProfileRow> & { domain?: string };

export const COMPANY_PROFILE_COLUMNS: readonly CompanyProfileColumn[] = COMPANY_PROFILE_FIELDS.map(
  (field) => field.column,
);

/** The fields fit rules can read on every company, besides its custom properties. */
export const COMPANY_SUBJECT_FIELDS: readonly string[] = [
  'properties',
  'domain',
  ...COMPANY_PROFILE_FIELDS.map((field) => field.name),
];

const FIELD_OF_TRAIT = new Map<string, ProfileField>(
  COMPANY_PROFILE_FIELDS.flatMap((field) => field.traits.map((trait) => [trait, field] as const)),
);

const DOMAIN = /^(?=.{3,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/;

/** `https://www.Acme.io/about` → `acme.io`; null when it is not a domain. */
export function normalizeDomain(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let text = value.trim().toLowerCase();
  text = text.replace(/^[a-z]+:\/\//, '').replace(/^www\./, '');
  text = text.split(/[/?#:]/)[0] ?? '';
  return DOMAIN.test(text) ? text : null;
}

/** The domain a message names its company by: a `domain` or `website` trait, else a group id that is a domain. */
export function groupDomain(groupId: string | null, traits: Record<string, unknown>): string | null {
  return splitCompanyTraits(traits).columns.domain ?? normalizeDomain(groupId);
}

/** A number from a number or numeric text (`1,200.50`), or undefined when it is not one. */
function toDecimal(value: unknown): number | undefined {
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const number =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(/[,_\s]/g, '')) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** A whole number from a number or numeric text (`1,200`), or undefined when it is not one. */
function toInteger(value: unknown): number | undefined {
  const number = toDecimal(value);
  return number === undefined ? undefined : Math.round(number);
}

/**
 * Splits group traits into company columns and custom properties. `null` clears a column;
 * a value a numeric column cannot hold (`"about fifty"`) is kept as a property instead of
 * being lost, and blank text sets nothing.
 */
export function splitCompanyTraits(traits: Record<string, unknown>): {
  columns: CompanyColumns;
  properties: Record<string, unknown>;
} {
  const columns: CompanyColumns = {};
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (value === undefined) continue;
    if (key === 'domain' || key === 'website') {
      const domain = normalizeDomain(value);
      if (domain) columns.domain = domain;
      else if (value !== null) properties[key] = value;
      continue;
    }
    const field = FIELD_OF_TRAIT.get(key);
    if (field === undefined) {
      if (value !== null) properties[key] = value;
    } else if (value === null) {
      columns[field.column] = null;
    } else if (field.type === 'text') {
      const text = (Array.isArray(value) ? value.map(String).join(', ') : String(value)).slice(0, 500);
      if (text.trim() !== '') columns[field.column] = text;
    } else {
      const number = field.type === 'decimal' ? toDecimal(value) : toInteger(value);
      if (number !== undefined) columns[field.column] = number;
      else if (typeof value !== 'string' || value.trim() !== '') properties[key] = value;
    }
  }
  return { columns, properties };
}

/** A company's profile under the names the API and rules use (`annualRevenue`), from its columns. */
export function companyProfileOf(row: CompanyProfileRow) {
  return {
    name: row.name,
    industry: row.industry,
    employees: row.employees,
    annualRevenue: row.annual_revenue,
    foundedYear: row.founded_year,
    country: row.country,
    adSpend: row.ad_spend,
    shareCapital: row.share_capital,
    vatNumber: row.vat_number,
    publicFunding: row.public_funding,
    reviewRating: row.review_rating,
    reviewCount: row.review_count,
    socialProfiles: row.social_profiles,
    technologies: row.technologies,
  } satisfies { [F in ProfileField as F['name']]: CompanyProfileRow[F['column']] };
}

/** What scoring stored on a company: its score and the engagement rolled up from its contacts (centi-points). */
export interface CompanyScoreColumns {
  score?: number | null;
  engagement?: number;
  engaged_contacts?: number;
}

/**
 * Rules and criteria see a company as one flat object: its profile and domain, plus custom
 * properties, and, where scoring stored them, `score`, `engagement` (rolled up, points) and
 * `engagedContacts` (account-based criteria: `company.score >= 60 and company.engagedContacts >= 2`).
 */
export function companySubject(
  row: CompanyProfileRow & { domain: string | null; properties: Record<string, unknown> } & CompanyScoreColumns,
): Record<string, unknown> {
  const subject: Record<string, unknown> = {
    ...row.properties,
    properties: row.properties,
    domain: row.domain,
    ...companyProfileOf(row),
  };
  if (row.score !== undefined) subject.score = row.score === null ? null : row.score / 100;
  if (row.engagement !== undefined) subject.engagement = row.engagement / 100;
  if (row.engaged_contacts !== undefined) subject.engagedContacts = row.engaged_contacts;
  return subject;
}
