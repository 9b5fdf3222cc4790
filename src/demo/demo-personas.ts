import { type Random, weightedTable } from './seeded-random.ts';

export type Seniority = 'executive' | 'director' | 'manager' | 'individual' | 'student';
export type Role =
  | 'marketing'
  | 'sales'
  | 'revops'
  | 'it'
  | 'engineering'
  | 'finance'
  | 'hr'
  | 'executive'
  | 'student'
  | 'other';

export interface Persona {
  title: string;
  seniority: Seniority;
  role: Role;
  /** Relative weight among people writing from a company address. */
  atCompany: number;
  /** Relative weight among people writing from a personal (free-mail) address. */
  atFreeMail: number;
}

function persona(title: string, seniority: Seniority, role: Role, atCompany: number, atFreeMail: number): Persona {
  return { title, seniority, role, atCompany, atFreeMail };
}

const PERSONAS: readonly Persona[] = [
  persona('CEO', 'executive', 'executive', 3, 1),
  persona('Founder & CEO', 'executive', 'executive', 2, 1.5),
  persona('Co-Founder', 'executive', 'executive', 1.5, 1),
  persona('Owner', 'executive', 'executive', 1, 2),
  persona('Managing Director', 'executive', 'executive', 1.5, 0.3),
  persona('COO', 'executive', 'executive', 1, 0.2),
  persona('CMO', 'executive', 'marketing', 1.5, 0.2),
  persona('Chief Revenue Officer', 'executive', 'sales', 1, 0.1),
  persona('CTO', 'executive', 'engineering', 1.5, 0.3),
  persona('CFO', 'executive', 'finance', 0.8, 0.1),
  persona('CIO', 'executive', 'it', 0.5, 0.1),
  persona('VP Marketing', 'executive', 'marketing', 2, 0.2),
  persona('VP Sales', 'executive', 'sales', 2, 0.2),
  persona('VP Revenue Operations', 'executive', 'revops', 0.8, 0.05),
  persona('VP Demand Generation', 'executive', 'marketing', 0.8, 0.05),
  persona('VP Engineering', 'executive', 'engineering', 1, 0.1),
  persona('Head of Marketing', 'director', 'marketing', 2.5, 0.3),
  persona('Head of Growth', 'director', 'marketing', 1.5, 0.4),
  persona('Head of Revenue Operations', 'director', 'revops', 1.2, 0.1),
  persona('Head of Sales', 'director', 'sales', 2, 0.3),
  persona('Head of IT', 'director', 'it', 0.8, 0.1),
  persona('Head of People', 'director', 'hr', 0.6, 0.1),
  persona('Director of Marketing', 'director', 'marketing', 2, 0.2),
  persona('Director of Demand Generation', 'director', 'marketing', 1.2, 0.1),
  persona('Sales Director', 'director', 'sales', 1.5, 0.2),
  persona('Director of Sales Development', 'director', 'sales', 0.8, 0.05),
  persona('Director of Revenue Operations', 'director', 'revops', 0.8, 0.05),
  persona('Director of Engineering', 'director', 'engineering', 0.8, 0.1),
  persona('IT Director', 'director', 'it', 0.8, 0.1),
  persona('Finance Director', 'director', 'finance', 0.6, 0.1),
  persona('HR Director', 'director', 'hr', 0.5, 0.1),
  persona('Marketing Manager', 'manager', 'marketing', 4, 1),
  persona('Marketing Operations Manager', 'manager', 'marketing', 2.5, 0.3),
  persona('Demand Generation Manager', 'manager', 'marketing', 2.5, 0.3),
  persona('Content Marketing Manager', 'manager', 'marketing', 2, 0.8),
  persona('Product Marketing Manager', 'manager', 'marketing', 1.5, 0.4),
  persona('Digital Marketing Manager', 'manager', 'marketing', 2, 0.8),
  persona('Sales Manager', 'manager', 'sales', 2.5, 0.6),
  persona('SDR Manager', 'manager', 'sales', 1, 0.1),
  persona('Revenue Operations Manager', 'manager', 'revops', 1.5, 0.2),
  persona('Sales Operations Manager', 'manager', 'revops', 1.2, 0.2),
  persona('CRM Manager', 'manager', 'revops', 1, 0.3),
  persona('IT Manager', 'manager', 'it', 1.5, 0.4),
  persona('Engineering Manager', 'manager', 'engineering', 1.2, 0.3),
  persona('Finance Manager', 'manager', 'finance', 0.8, 0.3),
  persona('HR Manager', 'manager', 'hr', 0.8, 0.4),
  persona('Office Manager', 'manager', 'other', 0.8, 0.5),
  persona('Project Manager', 'manager', 'other', 1, 0.8),
  persona('Marketing Specialist', 'individual', 'marketing', 2.5, 1.5),
  persona('Marketing Coordinator', 'individual', 'marketing', 1.5, 1),
  persona('Marketing Operations Specialist', 'individual', 'marketing', 1, 0.3),
  persona('Growth Marketer', 'individual', 'marketing', 1, 1),
  persona('SEO Specialist', 'individual', 'marketing', 1, 1.2),
  persona('Freelance Marketing Consultant', 'individual', 'marketing', 0, 2.5),
  persona('Account Executive', 'individual', 'sales', 2, 0.8),
  persona('Sales Development Representative', 'individual', 'sales', 2, 1),
  persona('Business Development Representative', 'individual', 'sales', 1.2, 0.8),
  persona('Revenue Operations Analyst', 'individual', 'revops', 0.8, 0.2),
  persona('Salesforce Administrator', 'individual', 'revops', 0.8, 0.4),
  persona('Software Engineer', 'individual', 'engineering', 3, 2.5),
  persona('Senior Software Engineer', 'individual', 'engineering', 2, 1.5),
  persona('DevOps Engineer', 'individual', 'engineering', 1, 0.8),
  persona('Data Analyst', 'individual', 'other', 1.5, 1.5),
  persona('Systems Administrator', 'individual', 'it', 1, 0.6),
  persona('Accountant', 'individual', 'finance', 1, 1),
  persona('Financial Analyst', 'individual', 'finance', 0.8, 0.8),
  persona('Recruiter', 'individual', 'hr', 1.5, 1),
  persona('Talent Acquisition Specialist', 'individual', 'hr', 1, 0.6),
  persona('Customer Success Specialist', 'individual', 'other', 1, 0.5),
  persona('Consultant', 'individual', 'other', 1.5, 1.5),
  persona('Operations Associate', 'individual', 'other', 1, 0.5),
  persona('Graphic Designer', 'individual', 'other', 0.8, 1.5),
  persona('Student', 'student', 'student', 0.1, 6),
  persona('Marketing Intern', 'student', 'student', 0.6, 1.5),
  persona('MBA Student', 'student', 'student', 0, 2),
  persona('Graduate Student', 'student', 'student', 0, 2),
  persona('Intern', 'student', 'student', 0.4, 1),
];

/** How much more often each seniority shows up in a company of this many people. */
function seniorityFactor(seniority: Seniority, employees: number): number {
  if (seniority === 'executive') return employees <= 50 ? 3 : employees <= 1000 ? 1 : 0.4;
  if (seniority === 'director') return employees <= 50 ? 0.6 : 1;
  if (seniority === 'individual') return employees > 1000 ? 1.4 : 1;
  return 1;
}

const FREE_MAIL_PERSONAS = weightedTable(PERSONAS, (p) => p.atFreeMail);
/** One table per company size where `seniorityFactor` changes: up to 50, up to 1,000, more. */
const SMALL_COMPANY_PERSONAS = weightedTable(PERSONAS, (p) => p.atCompany * seniorityFactor(p.seniority, 50));
const MID_COMPANY_PERSONAS = weightedTable(PERSONAS, (p) => p.atCompany * seniorityFactor(p.seniority, 1000));
const LARGE_COMPANY_PERSONAS = weightedTable(PERSONAS, (p) => p.atCompany * seniorityFactor(p.seniority, 1001));

/** A job for someone at a company of `employees` people, or with a personal address when `employees` is null. */
export function pickPersona(random: Random, employees: number | null): Persona {
  if (employees === null) return random.draw(FREE_MAIL_PERSONAS);
  if (employees <= 50) return random.draw(SMALL_COMPANY_PERSONAS);
  return random.draw(employees <= 1000 ? MID_COMPANY_PERSONAS : LARGE_COMPANY_PERSONAS);
}

const ROLE_FIT: Record<Role, number> = {
  marketing: 1,
  sales: 0.9,
  revops: 1,
  executive: 0.8,
  it: 0.45,
  engineering: 0.4,
  finance: 0.3,
  other: 0.2,
  hr: 0.05,
  student: 0,
};

const SENIORITY_FIT: Record<Seniority, number> = {
  executive: 1,
  director: 0.9,
  manager: 0.75,
  individual: 0.4,
  student: 0,
};

/** How well a persona matches the demo vendor's buyer, 0..1. */
export function personaFit(persona: Pick<Persona, 'role' | 'seniority'>): { role: number; seniority: number } {
  return { role: ROLE_FIT[persona.role], seniority: SENIORITY_FIT[persona.seniority] };
}
