import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIngestDeps } from '../../src/cli/open-from-config.ts';
import { CRM_DEALS, loadDemo } from '../../src/demo/load-demo.ts';
import { createTimeTravel } from '../../src/demo/time-travel.ts';
import { bootstrapWorkspace } from '../../src/server/bootstrap-workspace.ts';
import { openTestDatabase, type TestDatabase } from '../server/helpers/test-database.ts';

const NOW = Date.parse('2026-11-20T15:00:00Z');
const DAY = 86_400_000;

describe('the demo, played through its story', () => {
  let database: TestDatabase;
  let workspaceId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    workspaceId = (await bootstrapWorkspace(database.db)).workspaceId;
    const time = createTimeTravel(() => NOW);
    const deps = { ...cliIngestDeps(database, undefined, time.clock), travelTo: time.travelTo };
    await loadDemo(deps, workspaceId, { contacts: 250, seed: 42, months: 6, crmDeals: CRM_DEALS });
  }, 180_000);

  afterAll(async () => {
    await database?.dispose();
  });

  it('moves leads through every stage of the funnel', async () => {
    const rows = await database.db
      .selectFrom('contacts')
      .select(['stage', (eb) => eb.fn.countAll<string>().as('count')])
      .groupBy('stage')
      .execute();
    const stages = Object.fromEntries(rows.map((row) => [row.stage, Number(row.count)]));
    for (const stage of ['lead', 'sal', 'sql', 'opportunity', 'customer', 'recycled']) {
      expect(stages[stage], stage).toBeGreaterThan(0);
    }
  });

  it('dates each move when it happened in the story, in order for every lead, none after today', async () => {
    const history = await database.db
      .selectFrom('stage_history')
      .select(['contact_id', 'at', 'transition'])
      .orderBy('contact_id')
      .orderBy('id')
      .execute();
    expect(history.every((move) => move.at.getTime() <= NOW)).toBe(true);
    const mqlTimes = history.filter((move) => move.transition === 'qualify-mql').map((move) => move.at.getTime());
    expect(Math.max(...mqlTimes) - Math.min(...mqlTimes)).toBeGreaterThan(60 * DAY);
    for (let index = 1; index < history.length; index++) {
      const [before, after] = [history[index - 1], history[index]];
      if (before && after && before.contact_id === after.contact_id) {
        expect(after.at.getTime(), `${after.contact_id} ${after.transition}`).toBeGreaterThanOrEqual(
          before.at.getTime(),
        );
      }
    }
  });

  it('has reps answer hand-offs, some late and escalated, and the last days’ MQLs waiting', async () => {
    const handoffs = await database.db
      .selectFrom('handoffs')
      .select(['status', 'closed_reason', 'qualified_at', 'first_touch_at', 'breached_at', 'due_at'])
      .execute();
    const touched = handoffs.filter((handoff) => handoff.first_touch_at !== null);
    expect(touched.length).toBeGreaterThan(20);
    expect(touched.every((handoff) => (handoff.first_touch_at?.getTime() ?? 0) >= handoff.qualified_at.getTime())).toBe(
      true,
    );
    expect(handoffs.some((handoff) => handoff.breached_at !== null)).toBe(true);
    expect(handoffs.some((handoff) => handoff.closed_reason === 'reassigned')).toBe(true);
    expect(handoffs.some((handoff) => handoff.status === 'open')).toBe(true);
  });

  it('records won and lost deals with amounts, and lost ones with a reason from the playbook', async () => {
    const outcomes = await database.db
      .selectFrom('outcomes')
      .select(['kind', 'reason', 'amount', 'currency'])
      .execute();
    const won = outcomes.filter((outcome) => outcome.kind === 'won');
    const lost = outcomes.filter((outcome) => outcome.kind === 'lost');
    expect(won.length).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0);
    expect([...won, ...lost].every((outcome) => (outcome.amount ?? 0) > 0 && outcome.currency === 'EUR')).toBe(true);
    const reasons = ['price', 'competitor', 'no-decision', 'timing', 'features', 'other'];
    expect(lost.every((outcome) => reasons.includes(outcome.reason ?? ''))).toBe(true);
  });

  it('imports the CRM’s earlier deals through the outcome import: enough outcomes to learn from', async () => {
    const outcomes = await database.db
      .selectFrom('outcomes as o')
      .innerJoin('contacts as c', 'c.id', 'o.contact_id')
      .select(['o.kind', 'o.actor', 'o.external_id', 'o.at', 'c.stage', 'c.user_id'])
      .where('o.kind', 'in', ['won', 'lost'])
      .execute();
    const imported = outcomes.filter((outcome) => outcome.actor === 'key:crm-import');
    expect(imported).toHaveLength(CRM_DEALS);
    const storyStart = Date.parse('2026-05-20T15:00:00Z');
    for (const outcome of imported) {
      expect(outcome.user_id).toMatch(/^demo-42-crm-u\d+$/);
      expect(outcome.external_id).toMatch(/^demo-42-deal-\d+$/);
      expect(outcome.at.getTime()).toBeLessThanOrEqual(storyStart);
      expect(outcome.stage).toBe(outcome.kind === 'won' ? 'customer' : 'recycled');
    }
    const won = outcomes.filter((outcome) => outcome.kind === 'won');
    expect(outcomes.length).toBeGreaterThanOrEqual(250);
    expect(won.length).toBeGreaterThanOrEqual(60);
    // Imported as facts today, without a hand-off: nobody's inbox or SLA figures change.
    const crmHandoffs = await database.db
      .selectFrom('handoffs as h')
      .innerJoin('contacts as c', 'c.id', 'h.contact_id')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('c.user_id', 'like', 'demo-42-crm-%')
      .executeTakeFirstOrThrow();
    expect(Number(crmHandoffs.count)).toBe(0);
    const moves = await database.db
      .selectFrom('stage_history as h')
      .innerJoin('contacts as c', 'c.id', 'h.contact_id')
      .select(['h.transition', 'h.at'])
      .where('c.user_id', 'like', 'demo-42-crm-%')
      .execute();
    expect(moves).toHaveLength(CRM_DEALS);
    expect(moves.every((move) => move.transition === 'import-outcome' && move.at.getTime() === NOW)).toBe(true);
  });
});
