import { toAsciiSlug } from './demo-names.ts';
import type { Random } from './seeded-random.ts';

const PREFIXES =
  'North Blue Bright Clear Silver Red Green Iron Stone River Summit Pine Oak Maple Cedar Harbor Bay Peak Sky Sun Star Nova Lumen Vertex Apex Core Prime True Swift Bold Quantum Atlas Orbit Pixel Cloud Signal Vector Delta Sigma Echo Polar Arctic Coastal Metro Urban Golden Crystal Falcon Eagle Fox Wolf Bear Lion Hawk Raven Orca Birch Willow Aspen Granite Copper Cobalt Amber Indigo Crimson Ever Bridge Beacon Compass Anchor Keystone Pioneer Frontier Horizon Meridian Zenith Aurora Solar Lunar Terra Aqua Fjord Alpine Nimbus Cirrus Ember Spark Flux Kinetic Rapid Agile Open Wise Clever Lake Meadow Harvest Orchard Cypress Juniper Sage Onyx Jade Ruby Opal Pearl Ivory Velvet Tidal Wave Canyon Ridge Glacier Lantern Kite Arrow Rocket Comet Tundra Mosaic Prism Radiant Vivid Noble Sterling'.split(
    ' ',
  );

interface Suffix {
  word: string;
  /** Written together with the prefix ("Brightsoft") rather than as a second word. */
  glued: boolean;
  /** The industry such a name suggests, if any. */
  industry?: string;
}

const SUFFIXES: readonly Suffix[] = [
  { word: 'soft', glued: true, industry: 'software' },
  { word: 'ware', glued: true, industry: 'software' },
  { word: 'ly', glued: true, industry: 'software' },
  { word: 'ify', glued: true, industry: 'software' },
  { word: 'hub', glued: true, industry: 'software' },
  { word: 'stack', glued: true, industry: 'software' },
  { word: 'base', glued: true, industry: 'software' },
  { word: 'flow', glued: true, industry: 'software' },
  { word: 'metrics', glued: true, industry: 'software' },
  { word: 'Labs', glued: false, industry: 'software' },
  { word: 'Analytics', glued: false, industry: 'software' },
  { word: 'Cloud', glued: false, industry: 'software' },
  { word: 'Data', glued: false, industry: 'software' },
  { word: 'Technologies', glued: false },
  { word: 'Systems', glued: false },
  { word: 'Solutions', glued: false },
  { word: 'Group', glued: false },
  { word: 'Holdings', glued: false },
  { word: 'Partners', glued: false, industry: 'professional services' },
  { word: 'Consulting', glued: false, industry: 'professional services' },
  { word: 'Advisory', glued: false, industry: 'professional services' },
  { word: 'Legal', glued: false, industry: 'professional services' },
  { word: 'Capital', glued: false, industry: 'financial services' },
  { word: 'Bank', glued: false, industry: 'financial services' },
  { word: 'Finance', glued: false, industry: 'financial services' },
  { word: 'Insurance', glued: false, industry: 'financial services' },
  { word: 'pay', glued: true, industry: 'financial services' },
  { word: 'Wealth', glued: false, industry: 'financial services' },
  { word: 'Health', glued: false, industry: 'healthcare' },
  { word: 'Care', glued: false, industry: 'healthcare' },
  { word: 'Medical', glued: false, industry: 'healthcare' },
  { word: 'Clinics', glued: false, industry: 'healthcare' },
  { word: 'Pharma', glued: false, industry: 'healthcare' },
  { word: 'Manufacturing', glued: false, industry: 'manufacturing' },
  { word: 'Industries', glued: false, industry: 'manufacturing' },
  { word: 'Works', glued: false, industry: 'manufacturing' },
  { word: 'Motors', glued: false, industry: 'manufacturing' },
  { word: 'Robotics', glued: false, industry: 'manufacturing' },
  { word: 'Foods', glued: false, industry: 'retail' },
  { word: 'Outfitters', glued: false, industry: 'retail' },
  { word: 'Market', glued: false, industry: 'retail' },
  { word: 'Goods', glued: false, industry: 'retail' },
  { word: 'Home', glued: false, industry: 'retail' },
  { word: 'Academy', glued: false, industry: 'education' },
  { word: 'College', glued: false, industry: 'education' },
  { word: 'University', glued: false, industry: 'education' },
  { word: 'County', glued: false, industry: 'government' },
  { word: 'Council', glued: false, industry: 'government' },
  { word: 'Authority', glued: false, industry: 'government' },
  { word: 'Agency', glued: false, industry: 'marketing agency' },
  { word: 'Creative', glued: false, industry: 'marketing agency' },
  { word: 'Digital', glued: false, industry: 'marketing agency' },
  { word: 'Studio', glued: false, industry: 'marketing agency' },
  { word: 'Media', glued: false, industry: 'media' },
  { word: 'Publishing', glued: false, industry: 'media' },
  { word: 'Logistics', glued: false, industry: 'logistics' },
  { word: 'Freight', glued: false, industry: 'logistics' },
  { word: 'Energy', glued: false, industry: 'energy' },
  { word: 'Telecom', glued: false, industry: 'telecommunications' },
  { word: 'Networks', glued: false, industry: 'telecommunications' },
  { word: 'Foundation', glued: false, industry: 'non-profit' },
];

/** Put in front of a name once every plain prefix-suffix pair is taken. */
const QUALIFIERS =
  'Pacific Atlantic Nordic Central United First New Great Royal Western Eastern Southern Northern Global National Premier Allied General Continental Modern'.split(
    ' ',
  );

export interface CompanyName {
  name: string;
  /** Unique for every index: the domain without its ending. */
  slug: string;
  industryHint: string | undefined;
}

export interface CompanyNamer {
  /** The name of the `index`-th company of a run; different indexes never share a slug. */
  nameAt(index: number): CompanyName;
}

export const COMPANY_NAME_SPACE = PREFIXES.length * SUFFIXES.length;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Names companies without remembering which names were used: index `i` maps through a
 * seeded affine permutation of all prefix-suffix pairs, so names look shuffled yet never
 * repeat within a cycle; later cycles add a qualifier ("Nordic Oak Capital"), and after
 * those a number in the domain only.
 */
export function createCompanyNamer(random: Random): CompanyNamer {
  let step = random.int(1, COMPANY_NAME_SPACE - 1);
  while (gcd(step, COMPANY_NAME_SPACE) !== 1) step++;
  const offset = random.int(0, COMPANY_NAME_SPACE - 1);
  return {
    nameAt(index: number): CompanyName {
      const cycle = Math.floor(index / COMPANY_NAME_SPACE);
      const slot = (step * (index % COMPANY_NAME_SPACE) + offset) % COMPANY_NAME_SPACE;
      const prefix = PREFIXES[slot % PREFIXES.length] ?? '';
      const suffix = SUFFIXES[Math.floor(slot / PREFIXES.length)] ?? { word: '', glued: true };
      const qualifier = cycle === 0 ? '' : (QUALIFIERS[(cycle - 1) % QUALIFIERS.length] ?? '');
      const base = suffix.glued ? `${prefix}${suffix.word}` : `${prefix} ${suffix.word}`;
      const name = qualifier ? `${qualifier} ${base}` : base;
      const round = Math.floor((cycle - 1) / QUALIFIERS.length);
      const slug = toAsciiSlug(name) + (round > 0 ? `-${round + 1}` : '');
      return { name, slug, industryHint: suffix.industry };
    },
  };
}
