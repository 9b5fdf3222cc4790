import type { CompanyNamer } from './create-company-namer.ts';
import {
  COUNTRY_TABLE,
  type DemoCountry,
  type DemoIndustry,
  findIndustry,
  INDUSTRY_TABLE,
  SIZE_BAND_TABLE,
  type SizeBand,
} from './demo-vocabulary.ts';
import type { DemoCompany, DemoCompanyDetails } from './generate-demo.ts';
import { createRandom, type Random } from './seeded-random.ts';

export interface CompanyDraw {
  company: DemoCompany;
  country: DemoCountry;
  band: SizeBand;
  industry: DemoIndustry;
}

/** Rounds to three significant digits, as revenue figures are reported. */
function roundRevenue(value: number): number {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 2);
  return Math.round(value / magnitude) * magnitude;
}

function pickIndustry(random: Random, hint: string | undefined): DemoIndustry {
  const hinted = hint === undefined ? undefined : findIndustry(hint);
  if (hinted && random.chance(0.85)) return hinted;
  return random.draw(INDUSTRY_TABLE);
}

function pickDomainEnding(random: Random, country: DemoCountry, industry: DemoIndustry): string {
  if (industry.name === 'education' && country.educationTld) return country.educationTld;
  if (industry.name === 'government' && country.governmentTld) return country.governmentTld;
  return random.pick(country.tlds);
}

/** The `index`-th company of a run: name and domain unique by index, size, money and age consistent with each other. */
export function createDemoCompany(random: Random, namer: CompanyNamer, index: number, now: number): CompanyDraw {
  const { name, slug, industryHint } = namer.nameAt(index);
  const country = random.draw(COUNTRY_TABLE);
  const industry = pickIndustry(random, industryHint);
  const band = random.draw(SIZE_BAND_TABLE);
  const low = Math.max(band.min, 2);
  const employees = Math.round(Math.exp(Math.log(low) + random.next() * (Math.log(band.max) - Math.log(low))));
  const annualRevenue = roundRevenue(employees * industry.revenuePerEmployee * random.logNormal(1, 0.35));
  const year = new Date(now).getUTCFullYear();
  const age = band.medianAge * random.logNormal(1, 0.6) + industry.extraAge * random.next();
  const foundedYear = year - Math.min(Math.max(1, Math.round(age)), year - 1850);
  const domain = `${slug}.${pickDomainEnding(random, country, industry)}`;
  const details = companyDetails(domain, slug, employees, annualRevenue, year - foundedYear, country.code);
  return {
    company: {
      domain,
      name,
      industry: industry.name,
      employees,
      annualRevenue,
      foundedYear,
      country: country.code,
      details,
    },
    country,
    band,
    industry,
  };
}

const TECHNOLOGIES = [
  'google analytics',
  'google tag manager',
  'wordpress',
  'hubspot',
  'salesforce',
  'shopify',
  'matomo',
  'segment',
  'marketo',
  'stripe',
  'intercom',
] as const;

/** A number that stays the same for the same text (FNV-1a), to seed a company's own draws. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * Maturity, trust and technology signals, more likely the older and larger the company. Drawn
 * from the company's own seed (its domain), so the run's other draws stay as they were.
 */
function companyDetails(
  domain: string,
  slug: string,
  employees: number,
  annualRevenue: number,
  ageYears: number,
  country: string,
): DemoCompanyDetails {
  const random = createRandom(seedOf(domain));
  const established = Math.min(1, (Math.log10(employees + 1) + Math.min(ageYears, 30) / 15) / 4);
  const details: DemoCompanyDetails = {};
  if (random.chance(0.3 + 0.6 * established)) details.vatNumber = `${country}${random.int(10_000_000, 99_999_999)}`;
  if (employees >= 5 && random.chance(0.4 + 0.4 * established))
    details.shareCapital = roundRevenue(Math.max(1_000, annualRevenue * 0.02 * random.logNormal(1, 0.8)));
  if (random.chance(0.12)) details.publicFunding = roundRevenue(20_000 * random.logNormal(1, 1.2));
  if (random.chance(0.25 + 0.4 * established))
    details.adSpend = roundRevenue(Math.max(500, annualRevenue * 0.01 * random.logNormal(1, 0.7)));
  if (random.chance(0.35 + 0.5 * established)) {
    details.reviewRating = Math.round(Math.min(5, Math.max(1, random.normal(4, 0.6))) * 10) / 10;
    details.reviewCount = Math.max(1, Math.round(random.logNormal(8 + employees / 20, 1)));
  }
  if (random.chance(0.5 + 0.45 * established)) {
    const profiles = [`linkedin.com/company/${slug}`];
    if (random.chance(0.5)) profiles.push(`x.com/${slug}`);
    details.socialProfiles = profiles.join(', ');
  }
  const technologies = TECHNOLOGIES.filter(() => random.chance(0.25));
  if (technologies.length > 0) details.technologies = technologies.join(', ');
  return details;
}
