import type { CompanyDraw } from './create-demo-company.ts';
import { pickPersonName } from './demo-names.ts';
import { type Persona, personaFit, pickPersona } from './demo-personas.ts';
import { COUNTRY_TABLE, type DemoCountry } from './demo-vocabulary.ts';
import type { DemoContact } from './generate-demo.ts';
import type { Random } from './seeded-random.ts';

/** What the generator knows about a person and never emits: it drives their behaviour. */
export interface DemoProfile {
  /** How well the person fits the vendor's ideal customer profile, 0..1. */
  fit: number;
  /** Hidden buying intent, 0..1: fit plus noise. */
  intent: number;
  /** Browses the careers pages: a visitor looking for a job, not a buyer. */
  jobSeeker: boolean;
  anonymousId: string;
  persona: Persona;
}

export interface ContactDraw {
  contact: DemoContact;
  profile: DemoProfile;
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * How well someone fits the demo vendor's ideal customer profile, 0..1, from what the
 * demo shows of them: role, seniority, and their company's size and industry (people
 * with a personal address count as a small company of middling industry).
 */
export function demoFit(
  job: Pick<Persona, 'role' | 'seniority'>,
  company: Pick<CompanyDraw, 'band' | 'industry'> | null,
): number {
  const { role, seniority } = personaFit(job);
  const size = company ? company.band.fit : 0.1;
  const industry = company ? company.industry.fit : 0.3;
  return 0.3 * size + 0.35 * role + 0.2 * seniority + 0.15 * industry;
}

function drawProfile(
  random: Random,
  persona: Persona,
  draw: CompanyDraw | null,
  accountIntent: number,
): Omit<DemoProfile, 'anonymousId'> {
  const fit = demoFit(persona, draw);
  const seekerOdds = persona.seniority === 'student' ? 0.35 : persona.seniority === 'individual' ? 0.12 : 0.03;
  const jobSeeker = random.chance(draw ? seekerOdds / 3 : seekerOdds);
  const intent = logistic(5 * (fit - 0.68) + accountIntent + random.normal(0, 1));
  return { fit, intent: jobSeeker ? intent * 0.15 : intent, jobSeeker, persona };
}

function randomDigits(random: Random, count: number): string {
  let digits = '';
  for (let i = 0; i < count; i++) digits += String(random.int(0, 9));
  return digits;
}

/** A phone number in the country's format; North American ones use the fictional 555-01xx range. */
function drawPhone(random: Random, country: DemoCountry): string {
  if (country.phonePrefix === '+1') return `+1 ${random.int(201, 989)} 555 01${randomDigits(random, 2)}`;
  return `${country.phonePrefix} ${random.int(2, 9)}${randomDigits(random, 2)} ${randomDigits(random, 3)} ${randomDigits(random, 3)}`;
}

function companyLocalPart(random: Random, first: string, last: string, smallCompany: boolean): string {
  const style = random.int(0, 99);
  if (style < 55) return `${first}.${last}`;
  if (style < 75) return `${first.slice(0, 1)}${last}`;
  if (style < 85) return `${first}${last}`;
  if (style < 90) return `${first}_${last}`;
  return smallCompany ? first : `${first}.${last}`;
}

function freeMailLocalPart(random: Random, first: string, last: string, serial: number): string {
  // The serial keeps addresses unique without remembering them: names hold no digits, so
  // the trailing number alone tells two addresses apart.
  const number = serial * 100 + random.int(0, 99);
  const style = random.int(0, 3);
  if (style === 0) return `${first}.${last}${number}`;
  if (style === 1) return `${first}${last}${number}`;
  if (style === 2) return `${first.slice(0, 1)}${last}${number}`;
  return `${first}_${last}.${number}`;
}

function buildContact(
  random: Random,
  persona: Persona,
  profile: Omit<DemoProfile, 'anonymousId'>,
  identity: {
    userId: string;
    email: string;
    firstName: string;
    lastName: string;
    country: DemoCountry;
    companyDomain: string | null;
  },
): ContactDraw {
  const contact: DemoContact = {
    userId: identity.userId,
    email: identity.email,
    firstName: identity.firstName,
    lastName: identity.lastName,
    jobTitle: persona.title,
    seniority: persona.seniority,
    role: persona.role,
    country: identity.country.code,
    companyDomain: identity.companyDomain,
  };
  if (random.chance(0.08 + 0.5 * profile.intent)) contact.phone = drawPhone(random, identity.country);
  return { contact, profile: { ...profile, anonymousId: random.uuid() } };
}

/**
 * Someone writing from their company address. `takenLocalParts` holds the addresses
 * already given out at this company (a handful), so colleagues with the same name get
 * `anna.smith2@`. `accountIntent` is shared by colleagues: buying committees move together.
 */
export function createCompanyContact(
  random: Random,
  draw: CompanyDraw,
  userId: string,
  takenLocalParts: Set<string>,
  accountIntent: number,
): ContactDraw {
  const country = random.chance(0.88) ? draw.country : random.draw(COUNTRY_TABLE);
  const { firstName, lastName, firstSlug, lastSlug } = pickPersonName(random, country.locale);
  const persona = pickPersona(random, draw.company.employees);
  const profile = drawProfile(random, persona, draw, accountIntent);
  const base = companyLocalPart(random, firstSlug, lastSlug, draw.company.employees <= 50);
  let local = base;
  for (let n = 2; takenLocalParts.has(local); n++) local = `${base}${n}`;
  takenLocalParts.add(local);
  const email = `${local}@${draw.company.domain}`;
  return buildContact(random, persona, profile, {
    userId,
    email,
    firstName,
    lastName,
    country,
    companyDomain: draw.company.domain,
  });
}

/** Someone writing from a personal address (gmail.com, web.de, …): no company. `serial` is unique per run. */
export function createFreeMailContact(random: Random, userId: string, serial: number): ContactDraw {
  const country = random.draw(COUNTRY_TABLE);
  const { firstName, lastName, firstSlug, lastSlug } = pickPersonName(random, country.locale);
  const persona = pickPersona(random, null);
  const profile = drawProfile(random, persona, null, 0);
  const local = freeMailLocalPart(random, firstSlug, lastSlug, serial);
  const email = `${local}@${random.pick(country.freeMailDomains)}`;
  return buildContact(random, persona, profile, { userId, email, firstName, lastName, country, companyDomain: null });
}
