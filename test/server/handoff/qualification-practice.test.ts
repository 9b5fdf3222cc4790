import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { HOUR, handoffDriver } from './handoff-helpers.ts';

// How sales teams qualify, scripted against the API with the default playbook.
let t: TestApp;
let h: ReturnType<typeof handoffDriver>;
const START = Date.parse('2026-05-04T12:00:00Z');
beforeAll(async () => {
  t = await startTestApp(START);
  h = handoffDriver(t);
  await h.subscribeAll();
});
afterAll(async () => {
  await t.close();
});

async function requestDemo(userId: string, at: number) {
  const response = await t.send('/v1/batch', {
    batch: [
      { type: 'identify', userId, traits: { jobTitle: 'VP Marketing', phone: '+1 555' } },
      { type: 'track', userId, event: 'Demo Requested', timestamp: new Date(at).toISOString() },
    ],
  });
  expect(response.json().errors).toEqual([]);
  const row = await t.db.selectFrom('contacts').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow();
  return (await h.handoffs(row.id))[0];
}

describe('qualification as sales teams practise it', () => {
  it('starts the SLA clock at the demo request itself: stamped 3 h ago, first touch is due in 21 h', async () => {
    t.clock.now = START;
    const handoff = await requestDemo('practice-sla-1', START - 3 * HOUR);
    expect(handoff?.qualified_at.getTime()).toBe(START - 3 * HOUR);
    expect(handoff?.due_at.getTime()).toBe(START + 21 * HOUR);
  });

  it('starts it on receipt when the request arrives after its own deadline (history sent late)', async () => {
    t.clock.now = START;
    const handoff = await requestDemo('practice-sla-2', START - 30 * HOUR);
    expect(handoff?.due_at.getTime()).toBe(START + 24 * HOUR);
  });
});
