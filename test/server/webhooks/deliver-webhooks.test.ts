import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DeliverDeps, deliverDueWebhooks } from '../../../src/server/webhooks/deliver-webhooks.ts';
import { enqueueWebhook, type WebhookEventType } from '../../../src/server/webhooks/enqueue-webhook.ts';
import { generateWebhookSecret, verifyWebhook } from '../../../src/server/webhooks/sign-webhook.ts';
import { HOUR, SECOND } from '../../helpers/time.ts';
import { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from '../helpers/start-webhook-receiver.ts';
import { useTestApp } from '../helpers/test-app.ts';

const ALLOW_LOOPBACK = ['127.0.0.1/32'];

let receiver: WebhookReceiver;
const t = useTestApp(undefined, { webhookAllowList: ALLOW_LOOPBACK });
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  receiver.reset();
  await t.db.deleteFrom('webhook_deliveries').execute();
  await t.db.deleteFrom('webhook_messages').execute();
  await t.db.deleteFrom('webhook_endpoints').execute();
});
afterAll(async () => {
  await receiver.close();
});

/** Deliver like the app's worker, with a pinned clock and no jitter unless a test says otherwise. */
function deps(overrides: Partial<DeliverDeps> = {}): DeliverDeps {
  return { now: () => t.clock.now, allowList: ALLOW_LOOPBACK, random: () => 0.5, ...overrides };
}

async function createEndpoint(body: { url?: string; eventTypes?: string[] } = {}) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/webhooks',
    headers: { authorization: t.secretAuth },
    payload: { url: receiver.url, ...body },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; secret: string }>();
}

async function enqueue(type: WebhookEventType, data: Record<string, unknown> = { contactId: 'c-1' }) {
  await t.db.transaction().execute((trx) => enqueueWebhook(trx, t.workspaceId, type, data, t.clock.now));
}

async function deliveries() {
  return t.db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();
}

async function endpoint(id: string) {
  return t.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Moves the clock to the earliest pending retry. */
async function advanceToNextAttempt(): Promise<void> {
  const next = await t.db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  if (next.at === null) throw new Error('nothing pending');
  t.clock.now = Math.max(t.clock.now, new Date(next.at).getTime());
}

function verify(secret: string, request: ReceivedWebhook) {
  return verifyWebhook({ secret, headers: request.headers, body: request.body, now: t.clock.now });
}

describe('delivering the webhook outbox', () => {
  it('retries a failing receiver with the same message until it answers, and its effect happens once', async () => {
    const { id, secret } = await createEndpoint();
    const effects = new Map<string, number>();
    receiver.answerWith((request, index) => {
      const verified = verify(secret, request);
      if (!verified.ok) return { status: 401 };
      // The receiver applies the effect, de-duplicated by webhook-id, and then fails to answer well 3 times.
      if (!effects.has(verified.value.id)) effects.set(verified.value.id, 1);
      return index < 3 ? { status: 500, body: 'database is down' } : { status: 204 };
    });
    const happenedAt = new Date(t.clock.now).toISOString();
    await enqueue('lead.mql', { contactId: 'c-1', score: 71.5, email: 'ada@example.com' });

    await t.webhooks.drain();
    expect(await deliveries()).toMatchObject([{ status: 'pending', attempts: 1, last_status: 500 }]);
    expect((await deliveries())[0]?.last_error).toBe('answered HTTP 500: database is down');
    expect((await endpoint(id)).failing_since).not.toBeNull();
    for (let retry = 1; retry <= 3; retry++) {
      await advanceToNextAttempt();
      await t.webhooks.drain();
    }

    expect(receiver.received).toHaveLength(4);
    const [first, ...rest] = receiver.received;
    if (!first) throw new Error('nothing received');
    for (const request of rest) {
      expect(request.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(request.body.equals(first.body)).toBe(true);
    }
    const timestamps = receiver.received.map((request) => Number(request.headers['webhook-timestamp']));
    expect(new Set(timestamps).size).toBe(4);
    expect(receiver.received.every((request) => verify(secret, request).ok)).toBe(true);
    expect([...effects.values()]).toEqual([1]);
    expect(JSON.parse(first.body.toString('utf8'))).toEqual({
      type: 'lead.mql',
      timestamp: happenedAt,
      data: { contactId: 'c-1', score: 71.5, email: 'ada@example.com' },
    });
    expect(first.headers['webhook-id']).toMatch(/^msg_[\w-]+$/);
    expect(await deliveries()).toMatchObject([
      { status: 'delivered', attempts: 4, last_status: 204, last_error: null },
    ]);
    expect((await endpoint(id)).failing_since).toBeNull();
  });

  it('stops at 410 Gone and disables the endpoint, so later messages are not sent', async () => {
    const { id } = await createEndpoint();
    receiver.answerWith(() => ({ status: 410 }));
    await enqueue('lead.sql');
    expect(await deliverDueWebhooks(t.db, deps())).toEqual({
      attempted: 1,
      delivered: 0,
      retried: 0,
      failed: 0,
      gone: 1,
    });
    expect(await deliveries()).toMatchObject([{ status: 'gone', attempts: 1, last_status: 410 }]);
    const disabled = await endpoint(id);
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabled_reason).toContain('answered 410 Gone');
    expect(disabled.disabled_reason).toContain(`PATCH /api/webhooks/${id}`);

    await enqueue('lead.sql');
    await t.webhooks.drain();
    expect(await deliveries()).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('waits as long as Retry-After asks', async () => {
    await createEndpoint();
    receiver.answerWith(() => ({ status: 503, headers: { 'retry-after': '120' } }));
    await enqueue('lead.assigned');
    await deliverDueWebhooks(t.db, deps());
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status: 503 });
    expect(delivery?.next_attempt_at?.getTime()).toBeGreaterThanOrEqual(t.clock.now + 120 * SECOND);
  });

  it('gives up after 3 days, disables the endpoint, and PATCH enabled: true resumes it', async () => {
    const { id } = await createEndpoint();
    receiver.answerWith(() => ({ status: 500 }));
    await enqueue('sla.breached');
    const started = t.clock.now;
    for (let round = 0; round < 30 && (await deliveries())[0]?.status === 'pending'; round++) {
      if (round > 0) await advanceToNextAttempt();
      await deliverDueWebhooks(t.db, deps());
    }
    const [delivery] = await deliveries();
    // Without jitter: attempts at 0, 5 s, 35 s, … 71 h 43 min; an 18th would fall after 72 h.
    expect(delivery).toMatchObject({ status: 'failed', attempts: 17, last_status: 500, next_attempt_at: null });
    expect(delivery?.last_attempt_at?.getTime()).toBe(started + 71 * HOUR + 42 * 60 * SECOND + 35 * SECOND);
    expect(receiver.received).toHaveLength(17);
    const disabled = await endpoint(id);
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabled_reason).toMatch(/failed for 3 days .*PATCH \/api\/webhooks\/.*"enabled": true/);

    const resumed = await t.app.inject({
      method: 'PATCH',
      url: `/api/webhooks/${id}`,
      headers: { authorization: t.secretAuth },
      payload: { enabled: true },
    });
    expect(resumed.json()).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    receiver.answerWith(() => ({ status: 200 }));
    await enqueue('sla.breached');
    await t.webhooks.drain();
    expect((await deliveries()).map((row) => row.status)).toEqual(['failed', 'delivered']);
  });

  it('refuses a private address at delivery time as a failed attempt with the reason', async () => {
    // Saved before the allow-list changed (or directly in the database): checked again at every delivery.
    await t.db
      .insertInto('webhook_endpoints')
      .values({ workspace_id: t.workspaceId, url: receiver.url, secret: generateWebhookSecret() })
      .execute();
    await enqueue('lead.mql');
    expect(await deliverDueWebhooks(t.db, deps({ allowList: [] }))).toMatchObject({ attempted: 1, retried: 1 });
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status: null });
    expect(delivery?.last_error).toMatch(
      /^not sent: webhook URL .* a loopback address.*RIPEN_WEBHOOK_ALLOW=127\.0\.0\.1\/32/,
    );
    expect(receiver.received).toHaveLength(0);
  });

  it('does not send to a disabled endpoint and says why', async () => {
    const { id } = await createEndpoint();
    await enqueue('lead.touched');
    await t.app.inject({
      method: 'PATCH',
      url: `/api/webhooks/${id}`,
      headers: { authorization: t.secretAuth },
      payload: { enabled: false },
    });
    expect(await deliverDueWebhooks(t.db, deps())).toMatchObject({ attempted: 1, failed: 1 });
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: 'failed', attempts: 0 });
    expect(delivery?.last_error).toBe('not sent: the endpoint is disabled (paused through the API)');
    expect(receiver.received).toHaveLength(0);
  });

  it('counts a receiver that never answers as a retry after the timeout', async () => {
    await createEndpoint();
    receiver.answerWith(() => 'hang');
    await enqueue('lead.accepted');
    expect(await deliverDueWebhooks(t.db, deps({ timeoutMs: 200 }))).toMatchObject({ attempted: 1, retried: 1 });
    expect(await deliveries()).toMatchObject([
      { status: 'pending', attempts: 1, last_status: null, last_error: 'no answer within 200 ms' },
    ]);
  });

  it('does not follow redirects', async () => {
    await createEndpoint();
    receiver.answerWith(() => ({ status: 302, headers: { location: 'http://169.254.169.254/latest' } }));
    await enqueue('lead.accepted');
    await deliverDueWebhooks(t.db, deps());
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: 'pending', last_status: 302 });
    expect(delivery?.last_error).toContain('redirects are not followed');
    expect(receiver.received).toHaveLength(1);
  });

  it('replays a delivered message as a new delivery with the same webhook-id and body', async () => {
    const { secret } = await createEndpoint();
    await enqueue('outcome.recorded', { contactId: 'c-9', kind: 'won' });
    await t.webhooks.drain();
    const [original] = await deliveries();
    expect(original?.status).toBe('delivered');

    const replay = await t.app.inject({
      method: 'POST',
      url: `/api/webhooks/deliveries/${original?.id}/replay`,
      headers: { authorization: t.secretAuth },
    });
    expect(replay.statusCode).toBe(202);
    const replayed = replay.json<{ id: number; messageId: string; status: string; eventType: string }>();
    expect(replayed).toMatchObject({
      messageId: original?.message_id,
      status: 'pending',
      eventType: 'outcome.recorded',
    });
    expect(replayed.id).not.toBe(original?.id);
    await t.webhooks.drain();

    expect((await deliveries()).map((row) => row.status)).toEqual(['delivered', 'delivered']);
    const [first, second] = receiver.received;
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(second?.body.equals(first?.body ?? Buffer.alloc(0))).toBe(true);
    expect(second && verify(secret, second).ok).toBe(true);
  });

  it('sends a test message to the tested endpoint only, whatever it subscribed to', async () => {
    const tested = await createEndpoint({ eventTypes: ['lead.sql'] });
    await createEndpoint();
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/webhooks/${tested.id}/test`,
      headers: { authorization: t.secretAuth },
    });
    expect(response.statusCode).toBe(202);
    await t.webhooks.drain();
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request && verify(tested.secret, request).ok).toBe(true);
    expect(JSON.parse(request?.body.toString('utf8') ?? '{}')).toMatchObject({ type: 'webhook.test' });
    expect(request?.headers['webhook-id']).toBe(response.json().messageId);
  });

  it('delivers each delivery once when two workers drain at the same time', async () => {
    await createEndpoint();
    for (let n = 0; n < 20; n++) await enqueue('lead.mql', { contactId: `c-${n}` });
    const drainInBatchesOfFive = async () => {
      let delivered = 0;
      for (;;) {
        const round = await deliverDueWebhooks(t.db, deps(), 5);
        delivered += round.delivered;
        if (round.attempted === 0) return delivered;
      }
    };
    const [a, b] = await Promise.all([drainInBatchesOfFive(), drainInBatchesOfFive()]);
    expect(a + b).toBe(20);
    const ids = receiver.received.map((request) => request.headers['webhook-id']);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    expect((await deliveries()).every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
  });
});
