import { err, ok, type Result } from '../result.ts';
import { readObject } from './email-event.ts';

/** An Amazon SNS HTTP(S) delivery, as its JSON body holds it. */
export interface SnsMessage {
  type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  topicArn: string;
  message: string;
  timestamp: string;
  subject: string | null;
  token: string | null;
  subscribeUrl: string | null;
  signatureVersion: '1' | '2';
  signature: string;
  signingCertUrl: string;
}

const TYPES = new Set(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']);

function text(record: Record<string, unknown>, field: string): string | null {
  const value = record[field];
  return typeof value === 'string' ? value : null;
}

/** Reads an SNS message body; the error says which field is missing. */
export function readSnsMessage(body: unknown): Result<SnsMessage, string> {
  const record = readObject(body);
  if (record === null) return err('an Amazon SNS delivery body is one JSON object');
  const type = text(record, 'Type');
  if (type === null || !TYPES.has(type)) {
    return err(
      `\`Type\` must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation, got ${type ?? 'nothing'}`,
    );
  }
  const required = ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'Signature', 'SigningCertURL'];
  const missing = required.filter((field) => text(record, field) === null);
  if (missing.length > 0) return err(`the SNS message lacks ${missing.map((field) => `\`${field}\``).join(', ')}`);
  const version = text(record, 'SignatureVersion');
  if (version !== '1' && version !== '2')
    return err(`\`SignatureVersion\` must be 1 or 2, got ${version ?? 'nothing'}`);
  const subscribeUrl = text(record, 'SubscribeURL');
  if (type === 'SubscriptionConfirmation' && subscribeUrl === null)
    return err('the subscription confirmation lacks `SubscribeURL`');
  return ok({
    type: type as SnsMessage['type'],
    messageId: text(record, 'MessageId') ?? '',
    topicArn: text(record, 'TopicArn') ?? '',
    message: text(record, 'Message') ?? '',
    timestamp: text(record, 'Timestamp') ?? '',
    subject: text(record, 'Subject'),
    token: text(record, 'Token'),
    subscribeUrl,
    signatureVersion: version,
    signature: text(record, 'Signature') ?? '',
    signingCertUrl: text(record, 'SigningCertURL') ?? '',
  });
}

/**
 * The text SNS signs: `name\nvalue\n` for each signed field in this order, those a
 * notification has (Subject only when present), or a confirmation's.
 */
export function snsStringToSign(message: SnsMessage): string {
  const fields: Array<[string, string | null]> =
    message.type === 'Notification'
      ? [
          ['Message', message.message],
          ['MessageId', message.messageId],
          ['Subject', message.subject],
          ['Timestamp', message.timestamp],
          ['TopicArn', message.topicArn],
          ['Type', message.type],
        ]
      : [
          ['Message', message.message],
          ['MessageId', message.messageId],
          ['SubscribeURL', message.subscribeUrl],
          ['Timestamp', message.timestamp],
          ['Token', message.token],
          ['TopicArn', message.topicArn],
          ['Type', message.type],
        ];
  return fields
    .filter((field): field is [string, string] => field[1] !== null)
    .map(([name, value]) => `${name}\n${value}\n`)
    .join('');
}
