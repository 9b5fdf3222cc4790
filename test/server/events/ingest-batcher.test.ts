import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { normalizeMessage } from '../../../src/core/ingest/normalize-message.ts';
import type { NormalizedMessage } from '../../../src/core/ingest/segment-message.ts';
import { createIngestBatcher } from '../../../src/server/events/ingest-batcher.ts';
import { ApiError } from '../../../src/server/http/api-error.ts';
import { createErrorHandler } from '../../../src/server/http/error-handler.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

function tracks(prefix: string, count: number): NormalizedMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const result = normalizeMessage(
      { type: 'track', message: { userId: `${prefix}-user`, messageId: `${prefix}-${i}`, event: 'Email Opened' } },
      t.clock.now,
      'api',
      'unused',
    );
    if (!result.ok) throw new Error(result.error);
    return result.value;
  });
}

describe('group commit', () => {
  it('writes waiting requests together and answers each with its own counts', async () => {
    const ingest = createIngestBatcher(t.db, { maxInFlight: 1 });
    const playbook = await t.playbooks.active(t.workspaceId);
    if (!playbook) throw new Error('no playbook');
    const shared = tracks('gc-shared', 1)[0]!;
    const results = await Promise.all([
      ingest(t.workspaceId, playbook, tracks('gc-a', 3)),
      ingest(t.workspaceId, playbook, [...tracks('gc-b', 2), shared]),
      ingest(t.workspaceId, playbook, [shared, ...tracks('gc-c', 1)]),
    ]);
    expect(results).toEqual([
      { ok: true, value: { accepted: 3, duplicates: 0 } },
      { ok: true, value: { accepted: 3, duplicates: 0 } },
      { ok: true, value: { accepted: 1, duplicates: 1 } },
    ]);
  });

  it('refuses with 429 instead of queueing without bound, and stores nothing of the refused request', async () => {
    const ingest = createIngestBatcher(t.db, { maxInFlight: 1, maxPending: 6 });
    const playbook = await t.playbooks.active(t.workspaceId);
    if (!playbook) throw new Error('no playbook');
    const first = ingest(t.workspaceId, playbook, tracks('bp-first', 5));
    // The batcher lets the event loop turn once before taking a group: then `first` is in flight.
    await yieldToEventLoop();
    const second = ingest(t.workspaceId, playbook, tracks('bp-second', 5)); // waiting: 5
    const third = ingest(t.workspaceId, playbook, tracks('bp-third', 5)); // 5 + 5 > 6
    await expect(third).resolves.toMatchObject({ ok: false, error: { kind: 'overloaded' } });
    await expect(first).resolves.toEqual({ ok: true, value: { accepted: 5, duplicates: 0 } });
    await expect(second).resolves.toEqual({ ok: true, value: { accepted: 5, duplicates: 0 } });
    const stored = await t.db
      .selectFrom('events')
      .select('message_id')
      .where('message_id', 'like', 'bp-third-%')
      .execute();
    expect(stored).toEqual([]);
  });

  it('renders 429 with a Retry-After header in the one error shape', async () => {
    const app = Fastify();
    app.setErrorHandler(createErrorHandler());
    app.get('/busy', async () => {
      throw new ApiError(429, 'overloaded', 'ingestion is behind');
    });
    const response = await app.inject({ method: 'GET', url: '/busy' });
    await app.close();
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toEqual({ error: { code: 'overloaded', message: 'ingestion is behind' } });
  });
});
