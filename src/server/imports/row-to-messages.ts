import { normalizeDomain } from '../../core/companies/company-fields.ts';
import { contentId, IMPORT_FIELDS, rowId, unmappedProperties } from './csv-mapping.ts';

type Row = Record<string, string>;
const pick = (row: Row, mapping: ReadonlyMap<string, string>, field: string): string | undefined => {
  const column = mapping.get(field);
  const value = column === undefined ? undefined : row[column]?.trim();
  return value === '' ? undefined : value;
};

/**
 * Who a row is about: its user id, or else its email. Segment messages need a user id or an
 * anonymous id; an email-only row uses a stable anonymous id and the email as a trait, so
 * it lands on the contact with that email whatever that contact's user id is.
 */
function identityOf(row: Row, mapping: ReadonlyMap<string, string>): { userId?: string; anonymousId?: string } {
  const userId = pick(row, mapping, 'userId');
  if (userId !== undefined) return { userId };
  const anonymousId = pick(row, mapping, 'anonymousId');
  if (anonymousId !== undefined) return { anonymousId };
  const email = pick(row, mapping, 'email');
  return email === undefined ? {} : { anonymousId: `csv:${email.toLowerCase()}` };
}

/** A contacts row becomes an identify (and a group when it names a company domain). */
export function contactRowToMessages(row: Row, mapping: ReadonlyMap<string, string>): object[] {
  const identity = identityOf(row, mapping);
  const traits: Record<string, unknown> = { ...unmappedProperties(row, mapping) };
  // Every contacts field is a trait except the identity and the company domain (a group call).
  for (const field of IMPORT_FIELDS.contacts.filter((name) => name !== 'userId' && name !== 'companyDomain')) {
    const value = pick(row, mapping, field);
    if (value !== undefined) traits[field] = value;
  }
  const domain = normalizeDomain(pick(row, mapping, 'companyDomain'));
  const company = pick(row, mapping, 'company');
  // The id comes from what the row says under this mapping: the same file imported again is
  // recognised, and imported with a corrected mapping it updates the contacts.
  const id = contentId('csv-contacts', { identity, traits, domain, company });
  const identify = { type: 'identify', messageId: id, ...identity, traits };
  if (domain === null) return [identify];
  return [
    identify,
    {
      type: 'group',
      messageId: `${id}:group`,
      ...identity,
      groupId: domain,
      traits: { domain, ...(company ? { name: company } : {}) },
    },
  ];
}

/** An events row becomes a track (default) or page call; unmapped columns become properties. */
export function eventRowToMessages(row: Row, mapping: ReadonlyMap<string, string>): object[] {
  const type = pick(row, mapping, 'type') ?? 'track';
  const email = pick(row, mapping, 'email');
  const properties: Record<string, unknown> = { ...unmappedProperties(row, mapping) };
  for (const field of ['url', 'path', 'campaign']) {
    const value = pick(row, mapping, field);
    if (value !== undefined) properties[field] = value;
  }
  return [
    {
      type,
      messageId: pick(row, mapping, 'messageId') ?? rowId('events', row),
      ...identityOf(row, mapping),
      timestamp: pick(row, mapping, 'timestamp'),
      ...(type === 'page' ? { name: pick(row, mapping, 'name') } : { event: pick(row, mapping, 'event') }),
      properties,
      ...(email ? { context: { traits: { email } } } : {}),
    },
  ];
}
