/** Company columns that group traits map onto; the rest is kept in `properties`. */
export interface CompanyColumns {
  name?: string;
  domain?: string;
  industry?: string;
  employees?: number;
  annual_revenue?: number;
  founded_year?: number;
  country?: string;
}

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

function toInteger(value: unknown): number | undefined {
  const number =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(/[,_\s]/g, '')) : Number.NaN;
  return Number.isFinite(number) ? Math.round(number) : undefined;
}

export function splitCompanyTraits(traits: Record<string, unknown>): {
  columns: CompanyColumns;
  properties: Record<string, unknown>;
} {
  const columns: CompanyColumns = {};
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (value === undefined || value === null) continue;
    switch (key) {
      case 'name':
      case 'industry':
      case 'country':
        columns[key] = String(value).slice(0, 500);
        break;
      case 'domain':
      case 'website': {
        const domain = normalizeDomain(value);
        if (domain) columns.domain = domain;
        else properties[key] = value;
        break;
      }
      case 'employees':
      case 'employeeCount':
      case 'employee_count':
        columns.employees = toInteger(value);
        break;
      case 'annualRevenue':
      case 'annual_revenue':
      case 'revenue':
        columns.annual_revenue = toInteger(value);
        break;
      case 'foundedYear':
      case 'founded_year':
      case 'founded':
        columns.founded_year = toInteger(value);
        break;
      default:
        properties[key] = value;
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
