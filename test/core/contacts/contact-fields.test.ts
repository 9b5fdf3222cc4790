import { describe, expect, it } from 'vitest';
import {
  COMPANY_PROFILE_FIELDS,
  type CompanyProfileRow,
  companyProfileOf,
  splitCompanyTraits,
} from '../../../src/core/companies/company-fields.ts';
import {
  CONTACT_PROFILE_FIELDS,
  type ContactProfileRow,
  contactProfileOf,
  splitContactTraits,
} from '../../../src/core/contacts/contact-fields.ts';

describe('the contact field table', () => {
  it('shows each column under its own name: no two fields swapped', () => {
    const row = Object.fromEntries(CONTACT_PROFILE_FIELDS.map((field) => [field.column, field.column]));
    const view: Record<string, unknown> = contactProfileOf(row as ContactProfileRow);
    for (const field of CONTACT_PROFILE_FIELDS) expect(view[field.name]).toBe(field.column);
    expect(Object.keys(view).sort()).toEqual(CONTACT_PROFILE_FIELDS.map((field) => field.name).sort());
  });

  it.each(CONTACT_PROFILE_FIELDS.flatMap((field) => field.traits.map((trait) => [trait, field.column] as const)))(
    'reads the identify trait `%s` into the column %s',
    (trait, column) => {
      expect(splitContactTraits({ [trait]: 'Value' })).toEqual({ columns: { [column]: 'Value' }, properties: {} });
    },
  );
});

describe('the company field table', () => {
  it('shows each column under its own name: no two fields swapped', () => {
    const row = Object.fromEntries(COMPANY_PROFILE_FIELDS.map((field, index) => [field.column, index]));
    const view: Record<string, unknown> = companyProfileOf(row as unknown as CompanyProfileRow);
    COMPANY_PROFILE_FIELDS.forEach((field, index) => {
      expect(view[field.name]).toBe(index);
    });
  });

  it.each(COMPANY_PROFILE_FIELDS.flatMap((field) => field.traits.map((trait) => [trait, field] as const)))(
    'reads the group trait `%s` into its column',
    (trait, field) => {
      const sent = field.type === 'text' ? 'Value' : '1,200';
      const stored = field.type === 'text' ? 'Value' : 1200;
      expect(splitCompanyTraits({ [trait]: sent })).toEqual({ columns: { [field.column]: stored }, properties: {} });
    },
  );
});
