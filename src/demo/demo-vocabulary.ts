import { weightedTable } from './seeded-random.ts';

/** Where demo companies and people are, what they do and how big they are. Weights are relative. */

export type NameLocale = 'en' | 'de' | 'fr' | 'pl' | 'no' | 'it' | 'es' | 'nl' | 'pt';

export interface DemoCountry {
  code: string;
  weight: number;
  locale: NameLocale;
  /** Company domain endings, the first the most common. */
  tlds: readonly string[];
  /** Endings for schools and public bodies, where the country has its own. */
  educationTld?: string;
  governmentTld?: string;
  phonePrefix: string;
  freeMailDomains: readonly string[];
}

const GLOBAL_FREE_MAIL = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
];

export const COUNTRIES: readonly DemoCountry[] = [
  {
    code: 'US',
    weight: 32,
    locale: 'en',
    tlds: ['com', 'com', 'com', 'io', 'co', 'ai'],
    educationTld: 'edu',
    governmentTld: 'gov',
    phonePrefix: '+1',
    freeMailDomains: [...GLOBAL_FREE_MAIL, 'aol.com', 'proton.me'],
  },
  {
    code: 'GB',
    weight: 12,
    locale: 'en',
    tlds: ['co.uk', 'co.uk', 'com', 'io'],
    educationTld: 'ac.uk',
    governmentTld: 'gov.uk',
    phonePrefix: '+44',
    freeMailDomains: [...GLOBAL_FREE_MAIL, 'yahoo.co.uk', 'hotmail.co.uk'],
  },
  {
    code: 'DE',
    weight: 10,
    locale: 'de',
    tlds: ['de', 'de', 'com', 'io'],
    phonePrefix: '+49',
    freeMailDomains: [...GLOBAL_FREE_MAIL, 'gmx.de', 'web.de', 't-online.de'],
  },
  {
    code: 'FR',
    weight: 8,
    locale: 'fr',
    tlds: ['fr', 'fr', 'com', 'io'],
    governmentTld: 'gouv.fr',
    phonePrefix: '+33',
    freeMailDomains: [...GLOBAL_FREE_MAIL, 'orange.fr', 'free.fr', 'laposte.net'],
  },
  {
    code: 'PL',
    weight: 5,
    locale: 'pl',
    tlds: ['pl', 'pl', 'com'],
    phonePrefix: '+48',
    freeMailDomains: [...GLOBAL_FREE_MAIL, 'wp.pl', 'onet.pl', 'o2.pl'],
  },
  {
    code: 'NO',
    weight: 3,
    locale: 'no',
    tlds: ['no', 'no', 'com'],
    phonePrefix: '+47',
    freeMailDomains: [...GLOBAL_FREE_MAIL, 'c2i.net'],
  },
  {
    code: 'IT',
    weight: 5,
    locale: 'it',
    tlds: ['it', 'it', 'com'],
    phonePrefix: '+39',
    freeMailDomains: [...GLOBAL_FREE_MAIL, 'libero.it'],
  },
  {
    code: 'ES',
    weight: 5,
    locale: 'es',
    tlds: ['es', 'es', 'com'],
    phonePrefix: '+34',
    freeMailDomains: GLOBAL_FREE_MAIL,
  },
  {
    code: 'NL',
    weight: 5,
    locale: 'nl',
    tlds: ['nl', 'nl', 'com', 'io'],
    phonePrefix: '+31',
    freeMailDomains: GLOBAL_FREE_MAIL,
  },
  {
    code: 'CA',
    weight: 6,
    locale: 'en',
    tlds: ['ca', 'com', 'com'],
    phonePrefix: '+1',
    freeMailDomains: GLOBAL_FREE_MAIL,
  },
  {
    code: 'AU',
    weight: 5,
    locale: 'en',
    tlds: ['com.au', 'com.au', 'com', 'io'],
    educationTld: 'edu.au',
    governmentTld: 'gov.au',
    phonePrefix: '+61',
    freeMailDomains: GLOBAL_FREE_MAIL,
  },
  {
    code: 'BR',
    weight: 5,
    locale: 'pt',
    tlds: ['com.br', 'com.br', 'com'],
    phonePrefix: '+55',
    freeMailDomains: GLOBAL_FREE_MAIL,
  },
];

export interface DemoIndustry {
  name: string;
  weight: number;
  /** Median annual revenue per employee, in USD. */
  revenuePerEmployee: number;
  /** How well this industry fits the demo vendor's ideal customer profile, 0..1. */
  fit: number;
  /** Public bodies and schools are older than start-ups. */
  extraAge: number;
}

export const INDUSTRIES: readonly DemoIndustry[] = [
  { name: 'software', weight: 22, revenuePerEmployee: 210_000, fit: 1, extraAge: 0 },
  { name: 'financial services', weight: 9, revenuePerEmployee: 320_000, fit: 0.9, extraAge: 15 },
  { name: 'marketing agency', weight: 8, revenuePerEmployee: 120_000, fit: 0.9, extraAge: 0 },
  { name: 'healthcare', weight: 8, revenuePerEmployee: 140_000, fit: 0.6, extraAge: 15 },
  { name: 'manufacturing', weight: 9, revenuePerEmployee: 260_000, fit: 0.6, extraAge: 25 },
  { name: 'retail', weight: 7, revenuePerEmployee: 190_000, fit: 0.6, extraAge: 10 },
  { name: 'professional services', weight: 7, revenuePerEmployee: 150_000, fit: 0.55, extraAge: 5 },
  { name: 'logistics', weight: 4, revenuePerEmployee: 230_000, fit: 0.45, extraAge: 15 },
  { name: 'telecommunications', weight: 3, revenuePerEmployee: 400_000, fit: 0.5, extraAge: 20 },
  { name: 'media', weight: 4, revenuePerEmployee: 160_000, fit: 0.55, extraAge: 5 },
  { name: 'energy', weight: 2, revenuePerEmployee: 600_000, fit: 0.4, extraAge: 25 },
  { name: 'education', weight: 5, revenuePerEmployee: 90_000, fit: 0.2, extraAge: 40 },
  { name: 'government', weight: 3, revenuePerEmployee: 110_000, fit: 0.15, extraAge: 60 },
  { name: 'non-profit', weight: 2, revenuePerEmployee: 70_000, fit: 0.2, extraAge: 20 },
];

export interface SizeBand {
  label: string;
  min: number;
  max: number;
  /** Share of visiting companies in this band: small companies are many. */
  weight: number;
  /** Fit of this size for the demo vendor, 0..1: mid-market is the sweet spot. */
  fit: number;
  /** Median company age in years. */
  medianAge: number;
  /** Weights for 1..8 contacts from one company: bigger companies send more people. */
  contactWeights: readonly number[];
}

export const SIZE_BANDS: readonly SizeBand[] = [
  { label: '1-50', min: 1, max: 50, weight: 40, fit: 0.3, medianAge: 6, contactWeights: [70, 20, 7, 2, 1, 0, 0, 0] },
  {
    label: '51-200',
    min: 51,
    max: 200,
    weight: 25,
    fit: 0.75,
    medianAge: 11,
    contactWeights: [55, 24, 11, 5, 3, 1, 1, 0],
  },
  {
    label: '201-1000',
    min: 201,
    max: 1000,
    weight: 18,
    fit: 1,
    medianAge: 18,
    contactWeights: [45, 24, 13, 8, 4, 3, 2, 1],
  },
  {
    label: '1001-5000',
    min: 1001,
    max: 5000,
    weight: 10,
    fit: 0.95,
    medianAge: 28,
    contactWeights: [40, 22, 14, 9, 6, 4, 3, 2],
  },
  {
    label: '5000+',
    min: 5001,
    max: 120_000,
    weight: 7,
    fit: 0.6,
    medianAge: 45,
    contactWeights: [38, 20, 14, 10, 7, 5, 3, 3],
  },
];

export const COUNTRY_TABLE = weightedTable(COUNTRIES, (country) => country.weight);
export const INDUSTRY_TABLE = weightedTable(INDUSTRIES, (industry) => industry.weight);
export const SIZE_BAND_TABLE = weightedTable(SIZE_BANDS, (band) => band.weight);

export function findIndustry(name: string): DemoIndustry | undefined {
  return INDUSTRIES.find((industry) => industry.name === name);
}

export function findSizeBand(employees: number): SizeBand | undefined {
  return SIZE_BANDS.find((band) => employees >= band.min && employees <= band.max);
}
