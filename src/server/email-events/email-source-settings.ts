import { createPublicKey } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { EmailProvider } from '../../core/email-events/email-event.ts';
import { GenericMapping } from '../../core/email-events/generic-events.ts';
import { err, ok, type Result } from '../../core/result.ts';

/** What a workspace configures for one email provider; which fields apply depends on the provider. */
export const EmailSourceSettings = Type.Object(
  {
    publicKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description:
          'SendGrid: the Signed Event Webhook verification key (base64, as SendGrid shows it); when set, unsigned posts are refused',
      }),
    ),
    signingKey: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'Mailgun (required): the HTTP webhook signing key' }),
    ),
    topicArns: Type.Optional(
      Type.Array(Type.String({ pattern: '^arn:aws', maxLength: 300 }), {
        maxItems: 20,
        description: 'Amazon SES: the SNS topics accepted; empty or absent accepts any topic',
      }),
    ),
    mapping: Type.Optional(GenericMapping),
  },
  { additionalProperties: false },
);
export type EmailSourceSettings = Static<typeof EmailSourceSettings>;

/** SendGrid shows its key as base64 DER; a PEM works too. */
export function sendGridPublicKeyPem(key: string): string {
  return key.includes('BEGIN PUBLIC KEY') ? key : `-----BEGIN PUBLIC KEY-----\n${key.trim()}\n-----END PUBLIC KEY-----`;
}

function fieldsFor(provider: EmailProvider): ReadonlyArray<keyof EmailSourceSettings> {
  switch (provider) {
    case 'sendgrid':
      return ['publicKey'];
    case 'mailgun':
      return ['signingKey'];
    case 'ses':
      return ['topicArns'];
    case 'generic':
      return ['mapping'];
    case 'postmark':
    case 'brevo':
      return [];
  }
}

/** Checks settings against the provider: required fields present, no other provider's field, keys that parse. */
export function checkEmailSourceSettings(
  provider: EmailProvider,
  settings: EmailSourceSettings,
): Result<EmailSourceSettings, string> {
  const allowed = fieldsFor(provider);
  const foreign = Object.keys(settings).filter((field) => !(allowed as readonly string[]).includes(field));
  if (foreign.length > 0) {
    const takes = allowed.length === 0 ? 'no settings' : allowed.map((field) => `\`${field}\``).join(', ');
    return err(`${provider} takes ${takes}; remove ${foreign.map((field) => `\`${field}\``).join(', ')}`);
  }
  if (provider === 'mailgun' && settings.signingKey === undefined) {
    return err('mailgun needs `signingKey`: Mailgun → Settings → Webhooks → HTTP webhook signing key');
  }
  if (provider === 'generic' && settings.mapping === undefined) {
    return err('generic needs `mapping`: where the type, email and id of an event are, and which types mean what');
  }
  if (settings.publicKey !== undefined) {
    try {
      const key = createPublicKey(sendGridPublicKeyPem(settings.publicKey));
      if (key.asymmetricKeyType !== 'ec') throw new Error('not an EC key');
    } catch {
      return err(
        '`publicKey` must be the verification key SendGrid shows under Mail Settings → Signed Event Webhook (base64)',
      );
    }
  }
  return ok(settings);
}
