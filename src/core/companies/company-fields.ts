/**
 * Company columns that group traits map onto; the rest is kept in `properties`. A column set
 * to null was sent as null: the message clears it.
 */
export interface CompanyColumns {
  name?: string | null;
  domain?: string;
  industry?: string | null;
  employees?: number | null;
  annual_revenue?: number | null;
  founded_year?: number | null;
  country?: string | null;
}

/** The trait names each column is sent under (Segment's reserved names and common spellings). */
const COLUMN_OF: Record<string, Exclude<keyof CompanyColumns, 'domain'>> = {
  name: 'name',
  industry: 'industry',
  country: 'country',
  employees: 'employees',
  employeeCount: 'employees',
  employee_count: 'employees',
  annualRevenue: 'annual_revenue',
  annual_revenue: 'annual_revenue',
  revenue: 'annual_revenue',
  foundedYear: 'founded_year',
  founded_year: 'founded_year',
  founded: 'founded_year',
};

const NUMERIC_COLUMNS = new Set(['employees', 'annual_revenue', 'founded_year']);

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

/** A whole number from a number or numeric text (`1,200`), or undefined when it is not one. */
function toInteger(value: unknown): number | undefined {
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const number =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(/[,_\s]/g, '')) : Number.NaN;
  return Number.isFinite(number) ? Math.round(number) : undefined;
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
    const column = Object.hasOwn(COLUMN_OF, key) ? COLUMN_OF[key] : undefined;
    if (column === undefined) {
      if (value !== null) properties[key] = value;
    } else if (value === null) {
      columns[column] = null;
    } else if (NUMERIC_COLUMNS.has(column)) {
      const number = toInteger(value);
      if (number !== undefined) (columns as Record<string, number>)[column] = number;
      else if (typeof value !== 'string' || value.trim() !== '') properties[key] = value;
    } else {
      const text = String(value).slice(0, 500);
      if (text.trim() !== '') (columns as Record<string, string>)[column] = text;
    }
  }
  return { columns, properties };
}

export function companySubject(row: {
  domain: string | null;
  name: string | null;
  industry: string | null;
  employees: number | null;
  annual_revenue: number | null;
  founded_year: number | null;
  country: string | null;
  properties: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    ...row.properties,
    properties: row.properties,
    domain: row.domain,
    name: row.name,
    industry: row.industry,
    employees: row.employees,
    annualRevenue: row.annual_revenue,
    foundedYear: row.founded_year,
    country: row.country,
  };
}
