import { expect } from 'vitest';
import { sweepSla } from '../../../src/server/handoff/sweep-sla.ts';
import { createApiKey, type KeyRole } from '../../../src/server/workspaces/api-keys.ts';
import type { TestApp } from '../helpers/test-app.ts';

export { DAY, HOUR } from '../../helpers/time.ts';

/** Hand-off scenarios driven through the API with a pinned clock. */
export function handoffDriver(t: TestApp) {
  let sequence = 0;
  const nextId = () => `h-${++sequence}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    /**
     * An endpoint so the outbox keeps every message for inspection. Delivery is stopped: these
     * tests read the outbox, and deliveries failing across months of pinned time would disable it.
     */
    async subscribeAll() {
      await t.webhooks.stop();
      await t.db
        .insertInto('webhook_endpoints')
        .values({ workspace_id: t.workspaceId, url: 'http://127.0.0.1:9/never', secret: 'whsec_dGVzdA==' })
        .execute();
    },
    async key(role: KeyRole, userId: string | null = null) {
      const { key } = await createApiKey(t.db, t.workspaceId, 'secret', `${role} ${userId ?? ''}`, { role, userId });
      return `Bearer ${key}`;
    },
    /** A good-fit person asking for a demo: the fast lane to MQL. Returns the contact id. */
    async handRaiser(
      userId: string,
      traits: Record<string, unknown> = {},
      company: Record<string, unknown> | null = null,
    ) {
      const batch: object[] = [
        {
          type: 'identify',
          userId,
          messageId: nextId(),
          traits: { jobTitle: 'VP Marketing', phone: '+1 555', ...traits },
        },
      ];
      if (company)
        batch.push({ type: 'group', userId, groupId: String(company.domain), messageId: nextId(), traits: company });
      batch.push({ type: 'track', userId, messageId: nextId(), event: 'Demo Requested' });
      const response = await t.send('/v1/batch', { batch });
      expect(response.json().errors).toEqual([]);
      const row = await t.db
        .selectFrom('contacts')
        .select('id')
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async act(auth: string, contactId: string, action: string, body: object = {}) {
      return t.app.inject({
        method: 'POST',
        url: `/api/contacts/${contactId}/${action}`,
        headers: { authorization: auth },
        payload: body,
      });
    },
    async contact(contactId: string) {
      return t.db
        .selectFrom('contacts')
        .select(['stage', 'owner', 'team_id', 're_mql_count', 'nurture_track', 'nurture_until'])
        .where('id', '=', contactId)
        .executeTakeFirstOrThrow();
    },
    async handoffs(contactId: string) {
      return t.db
        .selectFrom('handoffs')
        .selectAll()
        .where('contact_id', '=', contactId)
        .orderBy('created_at')
        .orderBy('qualified_at')
        .execute();
    },
    /** Webhook types written for this contact, in order. */
    async webhooks(contactId: string) {
      const rows = await t.db
        .selectFrom('webhook_messages')
        .select(['type', 'payload'])
        .where('workspace_id', '=', t.workspaceId)
        .orderBy('seq')
        .execute();
      return rows
        .filter((row) => (row.payload as { data: { lead?: { id: string } } }).data.lead?.id === contactId)
        .map((row) => row.type);
    },
    async sweepAt(now: number) {
      t.clock.now = now;
      return sweepSla({ db: t.db, playbooks: t.playbooks }, t.workspaceId, now);
    },
  };
}
