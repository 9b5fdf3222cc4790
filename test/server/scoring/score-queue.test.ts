import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { applyEngagementEvents, emptyEngagementState } from '../../../src/core/scoring/engagement-state.ts';
import { validateMessages } from '../../../src/server/events/accept-messages.ts';
import { ingestMessages } from '../../../src/server/events/ingest-messages.ts';
import { createPlaybookStore } from '../../../src/server/playbooks/playbook-store.ts';
import { loadContactEvents } from '../../../src/server/scoring/load-scoring-rows.ts';
import { rescoreWorkspace } from '../../../src/server/scoring/rescore-workspace.ts';
import { scoreQueuedBatch } from '../../../src/server/scoring/score-queued.ts';
import { createScoringWorker } from '../../../src/server/scoring/scoring-worker.ts';
import { DAY } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { CONCURRENCY } from '../helpers/test-database.ts';

const t = useTestApp();

const NAMES = ['Demo Requested', 'Email Opened', 'Email Clicked', 'Webinar Attended', 'Pricing Viewed'];

async function queueLength(): Promise<number> {
  const row = await t.db
    .selectFrom('score_queue')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Ingests like the API does, but without kicking a scoring worker: the queue rows stay for the test. */
async function acknowledge(items: readonly object[]): Promise<void> {
  const playbook = await t.playbooks.active(t.workspaceId);
  if (!playbook) throw new Error('no playbook');
  const { valid, errors } = validateMessages(items, null, t.clock.now, 'api');
  expect(errors).toEqual([]);
  await ingestMessages(t.db, t.workspaceId, playbook.version, valid);
}

describe('the score queue', () => {
  it('keeps what was acknowledged but not yet scored, and a new process scores it', async () => {
    // Ingestion commits events and queue rows only; no worker runs (as if the process died here).
    await acknowledge([{ type: 'track', userId: 'q-crash', event: 'Demo Requested', messageId: 'q-crash-1' }]);
    const before = await t.db
      .selectFrom('contacts')
      .select(['id', 'engagement', 'stage'])
      .where('user_id', '=', 'q-crash')
      .executeTakeFirstOrThrow();
    expect(before).toMatchObject({ engagement: 0, stage: 'lead' });
    expect(await queueLength()).toBe(1);

    const restarted = createScoringWorker({ db: t.db, playbooks: createPlaybookStore(t.db), clock: () => t.clock.now });
    await restarted.drain();
    const after = await t.db
      .selectFrom('contacts')
      .select(['engagement', 'stage'])
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    expect(after.engagement).toBe(4000);
    expect(await queueLength()).toBe(0);
  });

  it('counts each event once when a full rescore runs while its events wait in the queue', async () => {
    // Six opens in one week: the cap (2 a week) drops four, which re-applying would count again.
    const batch = Array.from({ length: 6 }, (_, index) => ({
      type: 'track',
      userId: 'q-rescore',
      event: 'Email Opened',
      messageId: `q-rescore-${index}`,
      timestamp: new Date(t.clock.now - index * 3_600_000).toISOString(),
    }));
    await acknowledge(batch);
    const playbook = await t.playbooks.active(t.workspaceId);
    if (!playbook) throw new Error('no playbook');
    await rescoreWorkspace(t.db, t.workspaceId, playbook, () => t.clock.now);
    expect(await queueLength()).toBeGreaterThan(0);
    await t.scoring.drain();
    const contact = await t.db
      .selectFrom('contacts as c')
      .leftJoin('contact_engagement as ce', (join) =>
        join.onRef('ce.workspace_id', '=', 'c.workspace_id').onRef('ce.contact_id', '=', 'c.id'),
      )
      .select(['c.id', sql<unknown>`coalesce(ce.state, '{"rules": {}}')`.as('engagement_state')])
      .where('c.user_id', '=', 'q-rescore')
      .executeTakeFirstOrThrow();
    const history = await loadContactEvents(t.db, t.workspaceId, [contact.id], 0);
    const expected = applyEngagementEvents(
      playbook.document,
      emptyEngagementState(),
      history.get(contact.id) ?? [],
      t.clock.now,
    );
    expect(expected.rules['email-open']).toMatchObject({ matched: 6 });
    expect(contact.engagement_state).toEqual(expected);
  });

  it(`never counts an event twice when workers race each other and a full rescore, ${CONCURRENCY}`, async () => {
    const users = ['w-1', 'w-2', 'w-3'];
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            user: fc.constantFrom(...users),
            name: fc.constantFrom(...NAMES),
            // Few days, so that frequency caps drop events: re-applying a dropped event is what would show.
            ageDays: fc.integer({ min: 0, max: 6 }),
          }),
          { minLength: 10, maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 4 }),
        async (events, batchSize) => {
          round++;
          const batch = events.map((event, index) => ({
            type: 'track',
            userId: event.user,
            event: event.name,
            messageId: `w${round}-${index}`,
            timestamp: new Date(t.clock.now - event.ageDays * DAY).toISOString(),
          }));
          // Acknowledge everything first, then race.
          for (let i = 0; i < batch.length; i += 5) await acknowledge(batch.slice(i, i + 5));
          const playbook = await t.playbooks.active(t.workspaceId);
          if (!playbook) throw new Error('no playbook');
          const now = () => t.clock.now;
          const work = async () => {
            while ((await scoreQueuedBatch(t.db, t.playbooks, now, batchSize)).claimed > 0);
          };
          await Promise.all([work(), rescoreWorkspace(t.db, t.workspaceId, playbook, now, { batchSize: 2 }), work()]);
          await t.scoring.drain();
          expect(await queueLength()).toBe(0);

          const contacts = await t.db
            .selectFrom('contacts as c')
            .leftJoin('contact_engagement as ce', (join) =>
              join.onRef('ce.workspace_id', '=', 'c.workspace_id').onRef('ce.contact_id', '=', 'c.id'),
            )
            .select(['c.id', sql<unknown>`coalesce(ce.state, '{"rules": {}}')`.as('engagement_state')])
            .where('c.user_id', 'in', users)
            .execute();
          expect(contacts.length).toBeGreaterThanOrEqual(new Set(events.map((event) => event.user)).size);
          const history = await loadContactEvents(
            t.db,
            t.workspaceId,
            contacts.map((contact) => contact.id),
            0,
          );
          for (const contact of contacts) {
            const expected = applyEngagementEvents(
              playbook.document,
              emptyEngagementState(),
              history.get(contact.id) ?? [],
              t.clock.now,
            );
            expect(contact.engagement_state).toEqual(expected);
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});
