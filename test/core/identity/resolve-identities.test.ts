import { describe, expect, it } from 'vitest';
import {
  type KnownContact,
  type KnownPeople,
  resolveIdentities,
} from '../../../src/core/identity/resolve-identities.ts';
import type { NormalizedMessage } from '../../../src/core/ingest/segment-message.ts';

/** A message with only the identities a case names. */
function message(identities: { userId?: string; email?: string; anonymousId?: string }): NormalizedMessage {
  return {
    messageId: `m-${Math.random()}`,
    type: 'track',
    name: 'Viewed',
    userId: identities.userId ?? null,
    anonymousId: identities.anonymousId ?? null,
    email: identities.email ?? null,
    traits: null,
    groupId: null,
    company: null,
    properties: {},
    context: {},
    source: 'api',
    occurredAt: 0,
    receivedAt: 0,
  };
}

const ann: KnownContact = { id: 'c-ann', user_id: 'u-ann', email: 'ann@acme.io' };
const bob: KnownContact = { id: 'c-bob', user_id: 'u-bob', email: 'bob@acme.io' };
const emailOnly: KnownContact = { id: 'c-mail', user_id: null, email: 'eve@acme.io' };

interface Case {
  name: string;
  known: KnownPeople;
  messages: Array<{ userId?: string; email?: string; anonymousId?: string }>;
  /** Contact per message: a known id, `new-N` for the Nth contact created, or null. */
  contacts: Array<string | null>;
  created?: Array<Omit<KnownContact, 'id'>>;
  gained?: KnownContact[];
  newLinks?: Array<{ anonymousId: string; contactId: string }>;
  linkWrites?: Array<{ anonymousId: string; contactId: string }>;
}

const none: KnownPeople = { contacts: [], links: new Map() };

const cases: Case[] = [
  {
    name: 'a known user id finds its contact',
    known: { contacts: [ann], links: new Map() },
    messages: [{ userId: 'u-ann' }],
    contacts: ['c-ann'],
  },
  {
    name: 'a known email finds its contact',
    known: { contacts: [ann], links: new Map() },
    messages: [{ email: 'ann@acme.io' }],
    contacts: ['c-ann'],
  },
  {
    name: 'two known people are never merged: the user id wins and the email stays where it is',
    known: { contacts: [ann, bob], links: new Map() },
    messages: [{ userId: 'u-ann', email: 'bob@acme.io' }],
    contacts: ['c-ann'],
    gained: [],
  },
  {
    name: 'an email owned by someone with another user id makes a new person, who does not take the email',
    known: { contacts: [bob], links: new Map() },
    messages: [{ userId: 'u-new', email: 'bob@acme.io' }],
    contacts: ['new-1'],
    created: [{ user_id: 'u-new', email: null }],
  },
  {
    name: 'a contact known by email alone gains the user id it is first seen with',
    known: { contacts: [emailOnly], links: new Map() },
    messages: [{ userId: 'u-eve', email: 'eve@acme.io' }],
    contacts: ['c-mail'],
    gained: [{ id: 'c-mail', user_id: 'u-eve', email: 'eve@acme.io' }],
  },
  {
    name: 'an anonymous visitor stays anonymous until identified',
    known: none,
    messages: [{ anonymousId: 'a-1' }],
    contacts: [null],
  },
  {
    name: 'an anonymous id linked before finds its contact',
    known: { contacts: [ann], links: new Map([['a-1', 'c-ann']]) },
    messages: [{ anonymousId: 'a-1' }],
    contacts: ['c-ann'],
  },
  {
    name: 'page views before the identify in the same batch belong to the identified contact',
    known: none,
    messages: [{ anonymousId: 'a-1' }, { anonymousId: 'a-1' }, { anonymousId: 'a-1', email: 'new@acme.io' }],
    contacts: ['new-1', 'new-1', 'new-1'],
    created: [{ user_id: null, email: 'new@acme.io' }],
    newLinks: [{ anonymousId: 'a-1', contactId: 'new-1' }],
  },
  {
    name: 'a device identified as a second person moves to them from then on, without merging the two (a shared browser)',
    known: { contacts: [ann, bob], links: new Map([['a-1', 'c-ann']]) },
    messages: [{ anonymousId: 'a-1' }, { anonymousId: 'a-1', email: 'bob@acme.io' }, { anonymousId: 'a-1' }],
    contacts: ['c-ann', 'c-bob', 'c-bob'],
    gained: [],
    newLinks: [],
    linkWrites: [{ anonymousId: 'a-1', contactId: 'c-bob' }],
  },
  {
    name: 'a device first identified and then moved in one batch: earlier views to the first person, the link to the last',
    known: { contacts: [bob], links: new Map() },
    messages: [
      { anonymousId: 'a-2' },
      { anonymousId: 'a-2', email: 'new@acme.io' },
      { anonymousId: 'a-2', userId: 'u-bob' },
      { anonymousId: 'a-2' },
    ],
    contacts: ['new-1', 'new-1', 'c-bob', 'c-bob'],
    created: [{ user_id: null, email: 'new@acme.io' }],
    newLinks: [{ anonymousId: 'a-2', contactId: 'new-1' }],
    linkWrites: [{ anonymousId: 'a-2', contactId: 'c-bob' }],
  },
  {
    name: 'a device seen again with its own person is not written again',
    known: { contacts: [ann], links: new Map([['a-1', 'c-ann']]) },
    messages: [{ anonymousId: 'a-1', userId: 'u-ann' }],
    contacts: ['c-ann'],
    linkWrites: [],
  },
  {
    name: 'a new user id and email seen twice in a batch make one contact',
    known: none,
    messages: [{ userId: 'u-1', email: 'one@acme.io' }, { email: 'one@acme.io' }, { userId: 'u-1' }],
    contacts: ['new-1', 'new-1', 'new-1'],
    created: [{ user_id: 'u-1', email: 'one@acme.io' }],
  },
  {
    name: 'a contact created by email in this batch takes a later user id without counting as gained',
    known: none,
    messages: [{ email: 'two@acme.io' }, { userId: 'u-2', email: 'two@acme.io' }],
    contacts: ['new-1', 'new-1'],
    created: [{ user_id: 'u-2', email: 'two@acme.io' }],
    gained: [],
  },
  {
    name: "a merged contact's email and user id name the contact it was merged into, which does not take them",
    known: {
      contacts: [emailOnly],
      links: new Map(),
      aliases: [
        { kind: 'email', value: 'eve.home@mail.io', contactId: 'c-mail' },
        { kind: 'user', value: 'u-eve-old', contactId: 'c-mail' },
      ],
    },
    messages: [
      { email: 'eve.home@mail.io' },
      { userId: 'u-eve-old' },
      { userId: 'u-eve-old', email: 'eve.home@mail.io' },
    ],
    contacts: ['c-mail', 'c-mail', 'c-mail'],
    gained: [],
  },
  {
    name: "a merged contact's email with a new user id reaches the survivor, which gains the user id if it has none",
    known: {
      contacts: [emailOnly],
      links: new Map(),
      aliases: [{ kind: 'email', value: 'eve.home@mail.io', contactId: 'c-mail' }],
    },
    messages: [{ userId: 'u-new', email: 'eve.home@mail.io' }],
    contacts: ['c-mail'],
    gained: [{ id: 'c-mail', user_id: 'u-new', email: 'eve@acme.io' }],
  },
];

describe('identity resolution', () => {
  it.each(cases)('$name', ({ known, messages, contacts, created, gained, newLinks, linkWrites }) => {
    let sequence = 0;
    const knownCopy = structuredClone(known.contacts);
    const resolution = resolveIdentities(
      messages.map(message),
      messages.map(() => null),
      known,
      () => `new-${++sequence}`,
    );
    expect(resolution.contactByMessage).toEqual(contacts);
    if (created) expect(resolution.created.map(({ id: _id, ...rest }) => rest)).toEqual(created);
    else expect(resolution.created).toEqual([]);
    if (gained) expect(resolution.gained).toEqual(gained);
    if (newLinks) expect(resolution.newLinks).toEqual(newLinks);
    if (linkWrites) expect(resolution.linkWrites).toEqual(linkWrites);
    // Resolution works on copies: what the caller passed in is never changed.
    expect(known.contacts).toEqual(knownCopy);
  });

  it('notes each contact’s work-email company domain for company resolution', () => {
    const resolution = resolveIdentities(
      [message({ userId: 'u-ann' }), message({ email: 'x@gmail.com' })],
      ['acme.io', null],
      { contacts: [ann], links: new Map() },
      () => 'new-1',
    );
    expect([...resolution.emailDomains]).toEqual([['c-ann', 'acme.io']]);
  });
});
