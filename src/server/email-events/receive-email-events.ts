import type { EmailProvider } from '../../core/email-events/email-event.ts';
import { toEmailMessages } from '../../core/email-events/email-event-messages.ts';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { findUnstorableText, toStorableText } from '../db/storable-text.ts';
import { createDirectIngest } from '../events/ingest-batcher.ts';
import type { ReceiveDeps, ReceiveFailure } from '../events/receive-messages.ts';
import { findEmailSource } from './email-sources.ts';
import {
  type PayloadFailure,
  type PayloadRequest,
  readProviderPayload,
  type SnsDeps,
} from './read-provider-payload.ts';

export type EmailEventDeps = ReceiveDeps & SnsDeps;

export type EmailEventFailure =
  | Failure<'unauthenticated' | 'invalid-token' | 'wrong-provider'>
  | PayloadFailure
  | ReceiveFailure;

export interface EmailEventsResult {
  /** Messages stored: one per event, plus one recording a bounce, complaint or unsubscribe on the contact. */
  accepted: number;
  /** Messages stored before: the provider resent them. */
  duplicates: number;
  /** Items not stored, with why: not engagement (sent, deferred…) or without a recipient. */
  skipped: Array<{ index: number; reason: string }>;
  /** SNS: the subscription confirmed by this post. */
  confirmed: string | null;
}

/** Text PostgreSQL cannot store (NUL, half a surrogate pair) is replaced rather than refusing the provider's whole post. */
function storable(message: NormalizedMessage): NormalizedMessage {
  if (findUnstorableText(message) === null) return message;
  return JSON.parse(JSON.stringify(message), (_key, value: unknown) =>
    typeof value === 'string' ? toStorableText(value) : value,
  ) as NormalizedMessage;
}

/**
 * One post of a provider's webhook: the token names the workspace and provider, the provider's
 * signature is checked where it signs, and the events are written through the same path as
 * /v1 ingestion (idempotent on ids derived from the provider's event ids). Answers only after
 * the commit; nothing is stored when it fails.
 */
export async function receiveEmailEvents(
  deps: EmailEventDeps,
  provider: EmailProvider,
  token: string | null,
  request: PayloadRequest,
): Promise<Result<EmailEventsResult, EmailEventFailure>> {
  const path = `/v1/email-events/${provider}`;
  if (token === null) {
    const message = `put the token of PUT /api/email-sources/${provider} in the webhook URL as basic auth: https://ripen:<token>@<your host>${path}`;
    return err({ kind: 'unauthenticated', message });
  }
  const source = await findEmailSource(deps.db, token);
  if (source === null) {
    const message = `the token is unknown or was rotated; get a new one with PUT /api/email-sources/${provider} {"rotateToken": true}`;
    return err({ kind: 'invalid-token', message });
  }
  if (source.provider !== provider) {
    const message = `this token is for ${source.provider}; point the ${source.provider} webhook at /v1/email-events/${source.provider}`;
    return err({ kind: 'wrong-provider', message });
  }
  const payload = await readProviderPayload(source, request, deps);
  if (!payload.ok) return payload;
  switch (payload.value.kind) {
    case 'subscription-confirmed':
      return ok({ accepted: 0, duplicates: 0, skipped: [], confirmed: payload.value.topicArn });
    case 'nothing':
      return ok({ accepted: 0, duplicates: 0, skipped: [{ index: 0, reason: payload.value.reason }], confirmed: null });
    case 'events':
      break;
  }
  const { events, skipped } = payload.value.parsed;
  const messages = toEmailMessages(events, provider, request.now).map(storable);
  if (messages.length === 0) return ok({ accepted: 0, duplicates: 0, skipped, confirmed: null });
  const playbook = await deps.playbooks.active(source.workspaceId);
  if (playbook === null) {
    const message = 'this workspace has no published playbook yet; publish one with `ripen playbook publish <file>`';
    return err({ kind: 'no-playbook', message });
  }
  const ingest = deps.ingest ?? createDirectIngest(deps.db);
  const written = await ingest(source.workspaceId, playbook, messages);
  if (!written.ok) return written;
  return ok({ ...written.value, skipped, confirmed: null });
}
