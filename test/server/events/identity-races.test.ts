import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeMessage, type ValidMessage } from '../../../src/core/ingest/normalize-message.ts';
import type { NormalizedMessage } from '../../../src/core/ingest/segment-message.ts';
import { ingestMessages } from '../../../src/server/events/ingest-messages.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { CONCURRENCY } from '../helpers/test-database.ts';

const t = useTestApp();

let counter = 0;
function message(valid: ValidMessage): NormalizedMessage {
  const result = normalizeMessage(valid, t.clock.now, 'api', `race-${counter++}`);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** Ingests every batch in its own transaction, all at once (on PostgreSQL they really overlap). */
async function ingestAtOnce(batches: NormalizedMessage[][]): Promise<void> {
  await Promise.all(batches.map((batch) => ingestMessages(t.db, t.workspaceId, 1, batch)));
}

describe(`identity resolution under concurrent batches, ${CONCURRENCY}`, () => {
  it('creates one contact per new email and one company per new domain when batches race', async () => {
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 6 }, (_, i) =>
        message({
          type: 'identify',
          message: {
            anonymousId: `race-visitor-${b}-${i}`,
            traits: { email: `person-${i}@race-${i % 3}.example` },
            messageId: `new-${b}-${i}`,
          },
        }),
      ),
    );
    await ingestAtOnce(batches);
    const contacts = await t.db
      .selectFrom('contacts')
      .select(['id', 'email', 'company_id'])
      .where('email', 'like', '%@race-%.example')
      .execute();
    expect(contacts).toHaveLength(6);
    const companies = await t.db
      .selectFrom('companies')
      .select(['id', 'domain'])
      .where('domain', 'like', 'race-%.example')
      .execute();
    expect(companies.map((company) => company.domain).sort()).toEqual([
      'race-0.example',
      'race-1.example',
      'race-2.example',
    ]);
    for (const contact of contacts) {
      const domain = contact.email?.split('@')[1];
      expect(companies.find((company) => company.id === contact.company_id)?.domain).toBe(domain);
    }
    const events = await t.db
      .selectFrom('events')
      .select(['message_id', 'contact_id'])
      .where('message_id', 'like', 'new-%')
      .execute();
    expect(events).toHaveLength(48);
    for (const event of events) expect(contacts.map((contact) => contact.id)).toContain(event.contact_id);
  });

  it('gives a known email only one of two user ids that claim it at once; the other is a new person', async () => {
    await ingestAtOnce([
      [
        message({
          type: 'identify',
          message: { anonymousId: 'claim-visitor', traits: { email: 'shared@claim.example' }, messageId: 'claim-0' },
        }),
      ],
    ]);
    await ingestAtOnce(
      ['claim-a', 'claim-b'].map((userId) => [
        message({
          type: 'identify',
          message: { userId, traits: { email: 'shared@claim.example' }, messageId: `${userId}-id` },
        }),
        message({ type: 'track', message: { userId, messageId: `${userId}-track`, event: 'Email Opened' } }),
      ]),
    );
    const contacts = await t.db
      .selectFrom('contacts')
      .select(['id', 'user_id', 'email'])
      .where((eb) => eb.or([eb('email', '=', 'shared@claim.example'), eb('user_id', 'in', ['claim-a', 'claim-b'])]))
      .execute();
    // The email's contact took exactly one user id; the other user is its own contact without that email.
    expect(contacts).toHaveLength(2);
    const owner = contacts.find((contact) => contact.email === 'shared@claim.example');
    expect(['claim-a', 'claim-b']).toContain(owner?.user_id);
    const other = contacts.find((contact) => contact !== owner);
    expect(other?.email).toBeNull();
    // Every event of a user id is on that user id's contact.
    const events = await t.db
      .selectFrom('events')
      .select(['message_id', 'contact_id'])
      .where('message_id', 'like', 'claim-%')
      .execute();
    expect(events).toHaveLength(5);
    for (const event of events) {
      if (event.message_id === 'claim-0') continue;
      const userId = event.message_id.startsWith('claim-a') ? 'claim-a' : 'claim-b';
      expect(contacts.find((contact) => contact.id === event.contact_id)?.user_id).toBe(userId);
    }
  });

  it('keeps identities unique and every linked visitor attributed, whatever races (property)', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.record({
              person: fc.integer({ min: 0, max: 5 }),
              kind: fc.constantFrom('anonymous', 'identify', 'track-user', 'identify-email-only'),
              domain: fc.integer({ min: 0, max: 2 }),
            }),
            { minLength: 1, maxLength: 8 },
          ),
          { minLength: 2, maxLength: 6 },
        ),
        async (batches) => {
          round++;
          const ids = (person: number) => ({
            userId: `p-${round}-${person}`,
            anonymousId: `v-${round}-${person}`,
          });
          let n = 0;
          const sent = batches.map((batch) =>
            batch.map(({ person, kind, domain }) => {
              const messageId = `prop-${round}-${n++}`;
              const { userId, anonymousId } = ids(person);
              const email = `p${person}@prop-${round}-${domain}.example`;
              switch (kind) {
                case 'anonymous':
                  return message({ type: 'page', message: { anonymousId, messageId, properties: { path: '/' } } });
                case 'identify':
                  return message({ type: 'identify', message: { userId, anonymousId, traits: { email }, messageId } });
                case 'identify-email-only':
                  return message({ type: 'identify', message: { anonymousId, traits: { email }, messageId } });
                default:
                  return message({ type: 'track', message: { userId, messageId, event: 'Email Opened' } });
              }
            }),
          );
          await ingestAtOnce(sent);

          const contacts = await t.db
            .selectFrom('contacts')
            .select(['id', 'user_id', 'email'])
            .where((eb) => eb.or([eb('user_id', 'like', `p-${round}-%`), eb('email', 'like', `%@prop-${round}-%`)]))
            .execute();
          const userIds = contacts.flatMap((contact) => (contact.user_id ? [contact.user_id] : []));
          const emails = contacts.flatMap((contact) => (contact.email ? [contact.email] : []));
          expect(new Set(userIds).size).toBe(userIds.length);
          expect(new Set(emails).size).toBe(emails.length);
          const companies = await t.db
            .selectFrom('companies')
            .select('domain')
            .where('domain', 'like', `prop-${round}-%`)
            .execute();
          expect(new Set(companies.map((company) => company.domain)).size).toBe(companies.length);
          // Every event of a linked anonymous id belongs to a contact.
          const orphans = await t.db
            .selectFrom('events as e')
            .innerJoin('anonymous_ids as a', (join) =>
              join.onRef('a.workspace_id', '=', 'e.workspace_id').onRef('a.anonymous_id', '=', 'e.anonymous_id'),
            )
            .select('e.message_id')
            .where('e.message_id', 'like', `prop-${round}-%`)
            .where('e.contact_id', 'is', null)
            .execute();
          expect(orphans).toEqual([]);
          const stored = await t.db
            .selectFrom('events')
            .select('message_id')
            .where('message_id', 'like', `prop-${round}-%`)
            .execute();
          expect(stored).toHaveLength(n);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('attributes anonymous events that race the identify linking their visitor', async () => {
    const rounds = Array.from({ length: 6 }, (_, r) => [
      [
        message({
          type: 'identify',
          message: { userId: `visitor-${r}`, anonymousId: `anon-race-${r}`, messageId: `link-${r}` },
        }),
      ],
      ...Array.from({ length: 3 }, (_, i) => [
        message({
          type: 'page',
          message: { anonymousId: `anon-race-${r}`, messageId: `view-${r}-${i}`, properties: { path: '/pricing' } },
        }),
      ]),
    ]);
    await ingestAtOnce(rounds.flat());
    const views = await t.db.selectFrom('events').select('message_id').where('message_id', 'like', 'view-%').execute();
    expect(views).toHaveLength(18);
    const unattributed = await t.db
      .selectFrom('events')
      .select('message_id')
      .where('message_id', 'like', 'view-%')
      .where('contact_id', 'is', null)
      .execute();
    expect(unattributed).toEqual([]);
  });

  it('stores a message id sent by racing batches once, and counts it accepted once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `same-id-${i}`);
    // Eight batches carry overlapping slices of the same forty message ids.
    const batches = Array.from({ length: 8 }, (_, b) =>
      ids
        .filter((_, i) => (i + b) % 3 !== 0)
        .map((messageId) =>
          message({ type: 'track', message: { userId: `same-id-user-${b % 2}`, messageId, event: 'Email Opened' } }),
        ),
    );
    const results = await Promise.all(batches.map((batch) => ingestMessages(t.db, t.workspaceId, 1, batch)));
    const stored = await t.db
      .selectFrom('events')
      .select('message_id')
      .where('message_id', 'like', 'same-id-%')
      .execute();
    expect(stored.map((row) => row.message_id).sort()).toEqual([...ids].sort());
    expect(results.reduce((sum, result) => sum + result.accepted, 0)).toBe(ids.length);
  });
});
