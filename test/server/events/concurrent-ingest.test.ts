import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { CONCURRENCY } from '../helpers/test-database.ts';

const t = useTestApp();

const NAMES = ['Demo Requested', 'Email Opened', 'Email Clicked', 'Webinar Attended', 'Unsubscribed', 'Pricing Viewed'];

describe(`concurrent ingestion, ${CONCURRENCY}`, () => {
  it('loses and duplicates nothing, and stored scores equal a full recomputation', async () => {
    const users = ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'];
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            user: fc.constantFrom(...users),
            name: fc.constantFrom(...NAMES),
            ageDays: fc.integer({ min: 0, max: 120 }),
            id: fc.integer({ min: 0, max: 300 }),
            anonymous: fc.boolean(),
          }),
          { minLength: 20, maxLength: 120 },
        ),
        async (events) => {
          round++;
          const messages: Array<Record<string, unknown> & { messageId: string }> = events.map((event) =>
            event.anonymous
              ? {
                  type: 'page',
                  anonymousId: `anon-${round}-${event.user}`,
                  messageId: `r${round}-m${event.id}`,
                  timestamp: new Date(t.clock.now - event.ageDays * DAY).toISOString(),
                  properties: { path: '/pricing' },
                }
              : {
                  type: 'track',
                  userId: `${event.user}`,
                  messageId: `r${round}-m${event.id}`,
                  event: event.name,
                  timestamp: new Date(t.clock.now - event.ageDays * DAY).toISOString(),
                },
          );
          // Identify calls link each anonymous id to its user at some point in the stream.
          users.forEach((user, index) => {
            messages.splice((index * 7) % (messages.length + 1), 0, {
              type: 'identify',
              userId: user,
              anonymousId: `anon-${round}-${user}`,
              messageId: `r${round}-id-${user}`,
            });
          });
          const batches: Array<typeof messages> = [];
          for (let i = 0; i < messages.length; i += 10) batches.push(messages.slice(i, i + 10));
          // Send every batch twice, all at once: retries of the same messages must change nothing.
          const responses = await Promise.all([...batches, ...batches].map((batch) => t.send('/v1/batch', { batch })));
          for (const response of responses) expect(response.statusCode).toBe(200);

          const uniqueIds = new Set(messages.map((message) => message.messageId));
          const stored = await t.db
            .selectFrom('events')
            .select('message_id')
            .where('message_id', 'like', `r${round}-%`)
            .execute();
          expect(stored).toHaveLength(uniqueIds.size);
          const unattributed = await t.db
            .selectFrom('events')
            .select('message_id')
            .where('message_id', 'like', `r${round}-%`)
            .where('contact_id', 'is', null)
            .execute();
          expect(unattributed).toEqual([]);

          const contacts = await t.db
            .selectFrom('contacts')
            .select(['id', 'engagement', 'fit'])
            .where('user_id', 'in', users)
            .execute();
          expect(contacts).toHaveLength(users.length);
          for (const contact of contacts) {
            const explanation = (await t.get(`/api/contacts/${contact.id}/score`)).json();
            // The live explanation recomputes from the stored state; compare with a from-scratch run too.
            expect(Math.round(explanation.engagement.points * 100)).toBe(contact.engagement);
          }
          await t.db.updateTable('contacts').set({ playbook_version: null }).where('user_id', 'in', users).execute();
          for (const contact of contacts) {
            const full = (await t.get(`/api/contacts/${contact.id}/score`)).json();
            expect(Math.round(full.engagement.points * 100)).toBe(contact.engagement);
          }
          await t.db.updateTable('contacts').set({ playbook_version: 1 }).where('user_id', 'in', users).execute();
        },
      ),
      { numRuns: 6 },
    );
  });
});
