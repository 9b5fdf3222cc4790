import { describe, expect, it } from 'vitest';
import {
  type CompanyPlan,
  companyDomainOf,
  type KnownCompany,
  planCompanies,
} from '../../../src/core/companies/plan-companies.ts';
import type { NormalizedMessage } from '../../../src/core/ingest/segment-message.ts';

/** A message from `contact` naming a company the way a group call or a `company` trait does. */
function naming(company: NormalizedMessage['company'], email: string | null = null): NormalizedMessage {
  return {
    messageId: `m-${Math.random()}`,
    type: company === null ? 'track' : 'group',
    name: null,
    userId: 'u',
    anonymousId: null,
    email,
    traits: null,
    groupId: company?.groupId ?? null,
    company,
    properties: {},
    context: {},
    source: 'api',
    occurredAt: 0,
    receivedAt: 0,
  };
}

const acme: KnownCompany = { id: 'co-acme', domain: 'acme.io', group_id: 'acct-1' };
const globex: KnownCompany = { id: 'co-globex', domain: 'globex.com', group_id: null };

interface Case {
  name: string;
  messages: NormalizedMessage[];
  /** Per contact: its work-email company domain. */
  emailDomains?: Record<string, string>;
  existing?: KnownCompany[];
  expected: Partial<CompanyPlan>;
}

const cases: Case[] = [
  {
    name: 'a group call names a known company by its group id and updates it',
    messages: [naming({ groupId: 'acct-1', traits: { name: 'Acme Inc', employees: '1,200' } })],
    existing: [acme],
    expected: {
      create: [],
      update: [
        {
          id: 'co-acme',
          group_id: 'acct-1',
          name: 'Acme Inc',
          employees: 1200,
          properties: {},
          cleared: [],
        },
      ],
      links: [{ contactId: 'c-1', companyId: 'co-acme', force: true }],
      changed: ['co-acme'],
    },
  },
  {
    name: 'a group call without a known group id finds the company by its domain',
    messages: [naming({ groupId: 'crm-77', traits: { website: 'https://www.Globex.com/about' } })],
    existing: [globex],
    expected: {
      create: [],
      links: [{ contactId: 'c-1', companyId: 'co-globex', force: true }],
      changed: ['co-globex'],
    },
  },
  {
    name: 'a work email of an unknown domain creates the company, without traits, and fills a missing link only',
    messages: [naming(null, 'ann@initech.dev')],
    emailDomains: { 'c-1': 'initech.dev' },
    expected: {
      create: [{ id: 'new-1', domain: 'initech.dev', group_id: null, properties: {}, cleared: [] }],
      update: [],
      links: [{ contactId: 'c-1', companyId: 'new-1', force: false }],
      changed: [],
    },
  },
  {
    name: 'a work email of a known domain links to that company and changes nothing about it',
    messages: [naming(null, 'bob@globex.com')],
    emailDomains: { 'c-1': 'globex.com' },
    existing: [globex],
    expected: { create: [], update: [], links: [{ contactId: 'c-1', companyId: 'co-globex', force: false }] },
  },
  {
    name: "a group call of the batch naming a domain decides the company of that domain's emails",
    messages: [naming({ groupId: 'acct-9', traits: { domain: 'umbrella.co' } }), naming(null, 'eve@umbrella.co')],
    emailDomains: { 'c-2': 'umbrella.co' },
    expected: {
      create: [{ id: 'new-1', domain: 'umbrella.co', group_id: 'acct-9', properties: {}, cleared: [] }],
      links: [
        { contactId: 'c-1', companyId: 'new-1', force: true },
        { contactId: 'c-2', companyId: 'new-1', force: false },
      ],
    },
  },
  {
    name: 'a domain already on another company stays with it: the group keeps no domain',
    messages: [naming({ groupId: 'acct-2', traits: { domain: 'acme.io', name: 'Acme Labs' } })],
    existing: [acme, { id: 'co-labs', domain: null, group_id: 'acct-2' }],
    expected: {
      create: [],
      update: [{ id: 'co-labs', group_id: 'acct-2', name: 'Acme Labs', properties: {}, cleared: [] }],
      links: [{ contactId: 'c-1', companyId: 'co-labs', force: true }],
    },
  },
  {
    name: 'a new group id naming a known domain is that company',
    messages: [naming({ groupId: 'acct-2', traits: { domain: 'acme.io' } })],
    existing: [acme],
    expected: { create: [], links: [{ contactId: 'c-1', companyId: 'co-acme', force: true }] },
  },
  {
    name: 'a company trait with neither an id nor a domain makes no company',
    messages: [naming({ groupId: null, traits: { name: 'Somewhere' } })],
    expected: { create: [], update: [], links: [], changed: [] },
  },
  {
    name: 'a company trait without an id is the company of the work email',
    messages: [naming({ groupId: null, traits: { industry: 'Retail' } }, 'kim@shop.example')],
    expected: {
      create: [
        { id: 'new-1', domain: 'shop.example', group_id: null, industry: 'Retail', properties: {}, cleared: [] },
      ],
    },
  },
  {
    name: 'a free-mail address names no company',
    messages: [naming({ groupId: null, traits: { industry: 'Retail' } }, 'kim@gmail.com')],
    expected: { create: [], links: [] },
  },
  {
    name: 'a trait sent as null clears its column; one that is not a number is kept as a property',
    messages: [naming({ groupId: 'acct-1', traits: { industry: null, employees: 'about fifty' } })],
    existing: [acme],
    expected: {
      update: [
        {
          id: 'co-acme',
          group_id: 'acct-1',
          industry: null,
          properties: { employees: 'about fifty' },
          cleared: ['industry'],
        },
      ],
    },
  },
];

describe('which companies a batch creates, updates and links', () => {
  it.each(cases)('$name', ({ messages, emailDomains = {}, existing = [], expected }) => {
    let created = 0;
    const plan = planCompanies(
      messages,
      messages.map((_, index) => `c-${index + 1}`),
      new Map(Object.entries(emailDomains)),
      existing,
      () => `new-${++created}`,
    );
    expect(plan).toMatchObject(expected);
  });
});

describe('companyDomainOf', () => {
  it('names no company for free-mail and disposable providers from the maintained lists, and one for work email', () => {
    for (const email of [
      'ann@gmail.com',
      'ann@wp.pl',
      'ann@libero.it',
      'ann@mailinator.com',
      'ann@guerrillamail.com',
    ]) {
      expect(companyDomainOf(email)).toBeNull();
    }
    expect(companyDomainOf('ann@Acme-Widgets.example')).toBe('acme-widgets.example');
    expect(companyDomainOf('ann@sub.globex.com')).toBe('sub.globex.com');
  });
});
