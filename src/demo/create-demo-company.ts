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
import type { DemoCompany } from './generate-demo.ts';
import type { Random } from './seeded-random.ts';

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
  return {
    company: { domain, name, industry: industry.name, employees, annualRevenue, foundedYear, country: country.code },
    country,
    band,
    industry,
  };
}
