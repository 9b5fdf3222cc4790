import type { NormalizedMessage } from '../ingest/segment-message.ts';

/** A contact as identity resolution sees it: its id and the two identities that name a person. */
export interface KnownContact {
  id: string;
  user_id: string | null;
  email: string | null;
}

/** What a batch's identities already map to: contacts, and anonymous ids linked to a contact. */
export interface KnownPeople {
  contacts: readonly KnownContact[];
  /** Anonymous id → contact id. */
  links: ReadonlyMap<string, string>;
  /** Emails and user ids of contacts merged into another: they name that contact (one of `contacts`). */
  aliases?: ReadonlyArray<{ kind: 'email' | 'user'; value: string; contactId: string }>;
}

/** Who each message belongs to after resolution, and what resolution changed. */
export interface Resolution {
  /** Contact id per message index; null for a still-anonymous visitor. */
  contactByMessage: Array<string | null>;
  /** Anonymous ids linked to a contact by this batch: their earlier events are re-attributed. */
  newLinks: Array<{ anonymousId: string; contactId: string }>;
  /**
   * The links to store: every anonymous id this batch links or moves, to the last person it
   * identified. A device linked to one contact and identified as another moves to the later
   * identity from then on; its earlier events stay where they are.
   */
  linkWrites: Array<{ anonymousId: string; contactId: string }>;
  /** Work-email domains seen in this batch (contact id → domain), for company resolution. */
  emailDomains: Map<string, string>;
  /** Contacts this batch creates, not written yet: `writeContacts` inserts them with their traits. */
  created: KnownContact[];
  /** Known contacts that gained a user id or an email in this batch, not written yet. */
  gained: KnownContact[];
}

/**
 * Maps messages to contacts: by user id, then email, then a linked anonymous id (linked
 * before or anywhere in this batch). Makes new contacts for new user ids and emails and links
 * anonymous ids seen together with a known identity; writes nothing (`writeContacts` stores
 * it all). Two different known identities are never merged: when a user id and an email point
 * at different contacts, the user id wins and the email stays where it is; a device (anonymous
 * id) identified as a second person moves to that person for what it sends from then on.
 */
export function resolveIdentities(
  messages: readonly NormalizedMessage[],
  /** Per message, its work-email company domain, as lookUpAndLockIdentities worked it out. */
  emailDomainOf: ReadonlyArray<string | null>,
  known: KnownPeople,
  /** Makes the id of a contact this batch creates. */
  newId: () => string,
): Resolution {
  const byUserId = new Map<string, KnownContact>();
  const byEmail = new Map<string, KnownContact>();
  // Copies: resolution fills in identities the batch adds.
  const byId = new Map<string, KnownContact>();
  for (const row of known.contacts) {
    const contact = { ...row };
    byId.set(contact.id, contact);
    if (contact.user_id !== null) byUserId.set(contact.user_id, contact);
    if (contact.email !== null) byEmail.set(contact.email, contact);
  }
  // A merged contact's identities name the survivor; the survivor does not gain them as its own.
  for (const alias of known.aliases ?? []) {
    const contact = byId.get(alias.contactId);
    const map = alias.kind === 'email' ? byEmail : byUserId;
    if (contact && !map.has(alias.value)) map.set(alias.value, contact);
  }
  const linked = new Map(known.links);

  const created: KnownContact[] = [];
  const createdIds = new Set<string>();
  /** Existing contacts that gained a user id or an email in this batch. */
  const gained = new Map<string, KnownContact>();
  const newLinks: Array<{ anonymousId: string; contactId: string }> = [];
  const moved = new Set<string>();
  const emailDomains = new Map<string, string>();
  const contactByMessage = messages.map((message, index) => {
    let contact = (message.userId !== null ? byUserId.get(message.userId) : undefined) ?? null;
    if (contact === null && message.email !== null) {
      const byMail = byEmail.get(message.email);
      // An email already owned by a contact with another user id is a different person.
      if (byMail && (message.userId === null || byMail.user_id === null)) contact = byMail;
    }
    if (contact === null && message.anonymousId !== null && message.userId === null && message.email === null) {
      const linkedId = linked.get(message.anonymousId);
      return linkedId ?? null;
    }
    if (contact === null) {
      if (message.userId === null && message.email === null) return null;
      const emailFree = message.email !== null && !byEmail.has(message.email);
      contact = { id: newId(), user_id: message.userId, email: emailFree ? message.email : null };
      created.push(contact);
      createdIds.add(contact.id);
      if (contact.user_id !== null) byUserId.set(contact.user_id, contact);
      if (contact.email !== null) byEmail.set(contact.email, contact);
    } else {
      if (contact.user_id === null && message.userId !== null && !byUserId.has(message.userId)) {
        contact.user_id = message.userId;
        byUserId.set(message.userId, contact);
        if (!createdIds.has(contact.id)) gained.set(contact.id, contact);
      }
      if (contact.email === null && message.email !== null && !byEmail.has(message.email)) {
        contact.email = message.email;
        byEmail.set(message.email, contact);
        if (!createdIds.has(contact.id)) gained.set(contact.id, contact);
      }
    }
    if (message.anonymousId !== null && !linked.has(message.anonymousId)) {
      linked.set(message.anonymousId, contact.id);
      newLinks.push({ anonymousId: message.anonymousId, contactId: contact.id });
    } else if (message.anonymousId !== null && linked.get(message.anonymousId) !== contact.id) {
      linked.set(message.anonymousId, contact.id);
      moved.add(message.anonymousId);
    }
    const domain = emailDomainOf[index];
    if (domain) emailDomains.set(contact.id, domain);
    return contact.id;
  });

  // A visitor's anonymous messages that came before the call identifying them in this batch
  // belong to that contact too (the first identified, should the device move later in the
  // batch): stored attributed, they need no re-attribution afterwards.
  if (newLinks.length > 0) {
    const firstLinked = new Map(newLinks.map((link) => [link.anonymousId, link.contactId]));
    messages.forEach((message, index) => {
      if (contactByMessage[index] === null && message.anonymousId !== null) {
        contactByMessage[index] = firstLinked.get(message.anonymousId) ?? null;
      }
    });
  }

  const written = new Set([...newLinks.map((link) => link.anonymousId), ...moved]);
  const linkWrites = [...written].map((anonymousId) => ({ anonymousId, contactId: linked.get(anonymousId) as string }));
  return { contactByMessage, newLinks, linkWrites, emailDomains, created, gained: [...gained.values()] };
}
