import { parseBrevoEvents } from '../../core/email-events/brevo-events.ts';
import type { ParsedEmailEvents } from '../../core/email-events/email-event.ts';
import { parseGenericEvents } from '../../core/email-events/generic-events.ts';
import { parseMailgunEvents, readMailgunSignature } from '../../core/email-events/mailgun-events.ts';
import { parsePostmarkEvents } from '../../core/email-events/postmark-events.ts';
import { parseSendGridEvents } from '../../core/email-events/sendgrid-events.ts';
import { parseSesEvents } from '../../core/email-events/ses-events.ts';
import { readSnsMessage } from '../../core/email-events/sns-message.ts';
import { assertUnreachable, err, type Failure, ok, type Result } from '../../core/result.ts';
import type { EmailSource } from './email-sources.ts';
import { checkMailgunSignature, checkSendGridSignature } from './verify-signatures.ts';
import { checkSnsSignature, type FetchText, isAmazonUrl } from './verify-sns-message.ts';

/** What a provider's post holds once verified: events, or (SNS) a subscription handled. */
export type ProviderPayload =
  | { kind: 'events'; parsed: ParsedEmailEvents }
  | { kind: 'subscription-confirmed'; topicArn: string }
  | { kind: 'nothing'; reason: string };

export type PayloadFailure = Failure<'bad-signature' | 'invalid-payload' | 'unavailable'>;

export interface PayloadRequest {
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  now: number;
}

export interface SnsDeps {
  /** Fetches the SNS signing certificate, cached per URL. */
  certificateAt: (url: string) => Promise<string>;
  /** Visits an SNS SubscribeURL to confirm a subscription. */
  fetchText: FetchText;
}

function header(request: PayloadRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function events(parsed: Result<ParsedEmailEvents, string>): Result<ProviderPayload, PayloadFailure> {
  return parsed.ok
    ? ok({ kind: 'events', parsed: parsed.value })
    : err({ kind: 'invalid-payload', message: parsed.error });
}

const badSignature = (message: string): Result<never, PayloadFailure> => err({ kind: 'bad-signature', message });

/**
 * Verifies a provider's post where the provider signs (SendGrid with a key configured,
 * Mailgun, SNS) and reads its events. Nothing is stored here.
 */
export async function readProviderPayload(
  source: EmailSource,
  request: PayloadRequest,
  sns: SnsDeps,
): Promise<Result<ProviderPayload, PayloadFailure>> {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    return err({
      kind: 'invalid-payload',
      message: `the body must be the JSON ${source.provider} posts; it is not JSON`,
    });
  }
  const { settings, provider } = source;
  switch (provider) {
    case 'sendgrid': {
      if (settings.publicKey !== undefined) {
        const signature = header(request, 'x-twilio-email-event-webhook-signature');
        const timestamp = header(request, 'x-twilio-email-event-webhook-timestamp');
        const problem = checkSendGridSignature(settings.publicKey, request.rawBody, signature, timestamp, request.now);
        if (problem !== null) return badSignature(problem);
      }
      return events(parseSendGridEvents(body, request.now));
    }
    case 'mailgun': {
      const signature = readMailgunSignature(body);
      if (!signature.ok) return badSignature(signature.error);
      const problem = checkMailgunSignature(settings.signingKey ?? '', signature.value, request.now);
      if (problem !== null) return badSignature(problem);
      return events(parseMailgunEvents(body, request.now));
    }
    case 'postmark':
      return events(parsePostmarkEvents(body, request.now));
    case 'brevo':
      return events(parseBrevoEvents(body, request.now));
    case 'generic':
      if (settings.mapping === undefined)
        return err({ kind: 'invalid-payload', message: 'the generic source has no mapping' });
      return events(parseGenericEvents(body, settings.mapping, request.now));
    case 'ses':
      return readSnsPayload(body, source, request, sns);
    default:
      return assertUnreachable(provider);
  }
}

/** Amazon SES through SNS: a verified notification's events, or a subscription confirmed by visiting its link. */
async function readSnsPayload(
  body: unknown,
  source: EmailSource,
  request: PayloadRequest,
  sns: SnsDeps,
): Promise<Result<ProviderPayload, PayloadFailure>> {
  const message = readSnsMessage(body);
  if (!message.ok) return err({ kind: 'invalid-payload', message: message.error });
  const sent = message.value;
  const topics = source.settings.topicArns ?? [];
  if (topics.length > 0 && !topics.includes(sent.topicArn)) {
    return badSignature(
      `topic ${sent.topicArn} is not among the ses source's \`topicArns\`; add it to accept its messages`,
    );
  }
  const problem = await checkSnsSignature(sent, sns.certificateAt);
  if (problem !== null) return err(problem);
  switch (sent.type) {
    case 'SubscriptionConfirmation': {
      const url = sent.subscribeUrl ?? '';
      if (!isAmazonUrl(url)) return badSignature('`SubscribeURL` must be an https URL on an amazonaws.com host');
      try {
        await sns.fetchText(url);
      } catch {
        return err({
          kind: 'unavailable',
          message: 'confirming the SNS subscription failed; SNS resends the confirmation',
        });
      }
      return ok({ kind: 'subscription-confirmed', topicArn: sent.topicArn });
    }
    case 'UnsubscribeConfirmation':
      return ok({ kind: 'nothing', reason: `unsubscribed from ${sent.topicArn}` });
    case 'Notification':
      return events(parseSesEvents(sent.message, request.now));
    default:
      return assertUnreachable(sent.type);
  }
}
