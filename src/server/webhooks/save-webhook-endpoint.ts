import { sql, type Updateable } from 'kysely';
import { err, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import type { WebhookEndpointsTable } from '../db/schema.ts';
import { checkWebhookUrl } from './check-webhook-url.ts';
import { parseEventTypes } from './enqueue-webhook.ts';
import { generateWebhookSecret } from './sign-webhook.ts';
import { ENDPOINT_COLUMNS, toEndpointView, type WebhookEndpointView } from './webhook-views.ts';

export type WebhookEndpointError =
  | { kind: 'invalid-url'; message: string }
  | { kind: 'invalid-event-types'; message: string }
  | { kind: 'not-found'; message: string };

export interface SaveEndpointOptions {
  /** RIPEN_WEBHOOK_ALLOW entries. */
  allowList: readonly string[];
  now: number;
  lookup?: (hostname: string) => Promise<string[]>;
}

export interface NewWebhookEndpoint {
  url: string;
  description?: string | null;
  eventTypes?: string[];
}

export interface WebhookEndpointChanges {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  /** `true` resumes a disabled endpoint and forgets why it was disabled; `false` pauses it. */
  enabled?: boolean;
}

/** Adds an endpoint with a new secret; the secret is returned here and by findWebhookSecret only. */
export async function createWebhookEndpoint(
  db: Db,
  workspaceId: string,
  input: NewWebhookEndpoint,
  options: SaveEndpointOptions,
): Promise<Result<{ endpoint: WebhookEndpointView; secret: string }, WebhookEndpointError>> {
  const url = await checkUrl(input.url, options);
  if (!url.ok) return url;
  const eventTypes = checkEventTypes(input.eventTypes ?? []);
  if (!eventTypes.ok) return eventTypes;
  const secret = generateWebhookSecret();
  const at = new Date(options.now);
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      workspace_id: workspaceId,
      url: url.value,
      description: input.description ?? null,
      secret,
      event_types: eventTypes.value,
      created_at: at,
      updated_at: at,
    })
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirstOrThrow();
  return ok({ endpoint: toEndpointView(row), secret });
}

/** Changes an endpoint; a new URL is checked like a new endpoint's. */
export async function updateWebhookEndpoint(
  db: Db,
  workspaceId: string,
  endpointId: string,
  changes: WebhookEndpointChanges,
  options: SaveEndpointOptions,
): Promise<Result<WebhookEndpointView, WebhookEndpointError>> {
  const values: Updateable<WebhookEndpointsTable> = { updated_at: new Date(options.now) };
  if (changes.url !== undefined) {
    const url = await checkUrl(changes.url, options);
    if (!url.ok) return url;
    values.url = url.value;
  }
  if (changes.eventTypes !== undefined) {
    const eventTypes = checkEventTypes(changes.eventTypes);
    if (!eventTypes.ok) return eventTypes;
    values.event_types = eventTypes.value;
  }
  if (changes.description !== undefined) values.description = changes.description;
  if (changes.enabled === true) {
    values.enabled = true;
    values.disabled_reason = null;
    values.failing_since = null;
  }
  const row = await db
    .updateTable('webhook_endpoints')
    .set(values)
    // Pausing keeps the reason of an endpoint Ripen had already disabled.
    .$if(changes.enabled === false, (query) =>
      query.set({ enabled: false, disabled_reason: sql`coalesce(disabled_reason, 'paused through the API')` }),
    )
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', endpointId)
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirst();
  if (!row) return err({ kind: 'not-found', message: `no webhook endpoint with id ${endpointId}` });
  return ok(toEndpointView(row));
}

async function checkUrl(input: string, options: SaveEndpointOptions): Promise<Result<string, WebhookEndpointError>> {
  const checked = await checkWebhookUrl(input, { allowList: options.allowList, lookup: options.lookup });
  if (!checked.ok) return err({ kind: 'invalid-url', message: checked.error.message });
  return ok(checked.value.url.href);
}

function checkEventTypes(input: readonly string[]): Result<string[], WebhookEndpointError> {
  const parsed = parseEventTypes(input);
  return parsed.ok ? ok([...parsed.value]) : err({ kind: 'invalid-event-types', message: parsed.error });
}
