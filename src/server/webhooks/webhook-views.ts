import { type Static, Type } from '@sinclair/typebox';
import type { DeliveryStatus } from '../db/schema.ts';
import { Nullable } from '../http/schema-helpers.ts';

/** An endpoint as the API shows it. The secret is never part of it (see GET /api/webhooks/:id/secret). */
export const WebhookEndpointView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Nullable(Type.String()),
  eventTypes: Type.Array(Type.String(), { description: 'the event types sent; empty means every type' }),
  enabled: Type.Boolean(),
  disabledReason: Nullable(Type.String({ description: 'why Ripen stopped sending, and how to resume' })),
  failingSince: Nullable(Type.String({ format: 'date-time', description: 'first failure since the last success' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type WebhookEndpointView = Static<typeof WebhookEndpointView>;

export const ENDPOINT_COLUMNS = [
  'id',
  'url',
  'description',
  'event_types',
  'enabled',
  'disabled_reason',
  'failing_since',
  'created_at',
  'updated_at',
] as const;

export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toEndpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const DeliveryStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
  Type.Literal('gone'),
]);

/** One message to one endpoint: its attempts so far and the last answer. */
export const WebhookDeliveryView = Type.Object({
  id: Type.Integer(),
  messageId: Type.String({ description: 'the `webhook-id` header; the same on every attempt and replay' }),
  eventType: Type.String(),
  status: DeliveryStatusSchema,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  firstAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  lastAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  lastStatus: Nullable(Type.Integer({ description: 'HTTP status of the last answer; null if none came' })),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});
export type WebhookDeliveryView = Static<typeof WebhookDeliveryView>;

export interface DeliveryRow {
  id: number;
  message_id: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  first_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

export function toDeliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    messageId: row.message_id,
    eventType: row.type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    firstAttemptAt: row.first_attempt_at?.toISOString() ?? null,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
