import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { EMAIL_PROVIDERS } from '../../core/email-events/email-event.ts';
import { ErrorBody, failureToApiError } from '../http/api-error.ts';
import type { App } from '../http/fastify-types.ts';
import { Nullable, OneOf } from '../http/schema-helpers.ts';
import { type EmailEventDeps, type EmailEventFailure, receiveEmailEvents } from './receive-email-events.ts';

/** Providers post batches (SendGrid up to thousands of events); larger posts get 413. */
export const MAX_EMAIL_EVENTS_BYTES = 1024 * 1024;

const EmailEventsResponse = Type.Object({
  success: Type.Boolean(),
  accepted: Type.Integer({
    description: 'messages stored (an event, plus one recording a bounce or unsubscribe on the contact)',
  }),
  duplicates: Type.Integer({ description: 'messages stored before: a retried delivery' }),
  skipped: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() }), {
    description: 'items that are not engagement (sent, deferred…) or name no recipient',
  }),
  confirmed: Nullable(Type.String(), { description: 'SNS: the topic whose subscription this post confirmed' }),
});

const STATUS: Record<EmailEventFailure['kind'], number> = {
  unauthenticated: 401,
  'invalid-token': 401,
  'wrong-provider': 401,
  'bad-signature': 401,
  'invalid-payload': 400,
  unavailable: 503,
  'no-playbook': 409,
  overloaded: 429,
};

/**
 * The token in the webhook URL: basic auth (`https://ripen:<token>@host/…`, the password, or
 * the user name when there is no password) or a bearer token. Never in the query string,
 * which request logs keep.
 */
function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const lower = header.toLowerCase();
  if (lower.startsWith('bearer ')) return header.slice('bearer '.length).trim() || null;
  if (!lower.startsWith('basic ')) return null;
  const decoded = Buffer.from(header.slice('basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  const password = colon === -1 ? '' : decoded.slice(colon + 1);
  return password || user || null;
}

/** /v1/email-events/{provider}: email providers' event webhooks, turned into events on contacts. */
export async function registerEmailEventRoutes(app: App, deps: EmailEventDeps): Promise<void> {
  await app.register(async (scope: App) => {
    // The body stays text: signatures are over the exact bytes sent. SNS posts JSON as text/plain.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, String(body)));
    scope.post(
      '/v1/email-events/:provider',
      {
        bodyLimit: MAX_EMAIL_EVENTS_BYTES,
        schema: {
          tags: ['ingestion'],
          summary: "An email provider's event webhook: delivered, open, click, bounce, complaint, unsubscribe",
          description:
            "Authenticated by the token of `PUT /api/email-sources/{provider}` as basic auth in the webhook URL, and by the provider's signature where it signs (SendGrid with a verification key, Mailgun, Amazon SNS). See docs/email-events.md.",
          security: [{ emailSourceToken: [] }],
          params: Type.Object({ provider: OneOf(EMAIL_PROVIDERS) }),
          body: Type.String({ description: "the provider's webhook JSON, as it sends it" }),
          response: {
            200: EmailEventsResponse,
            400: ErrorBody,
            401: ErrorBody,
            409: ErrorBody,
            413: ErrorBody,
            429: ErrorBody,
            503: ErrorBody,
          },
        },
      },
      async (request) => {
        const received = await receiveEmailEvents(deps, request.params.provider, presentedToken(request), {
          rawBody: request.body,
          headers: request.headers,
          now: deps.clock(),
        });
        if (!received.ok) throw failureToApiError(STATUS, received.error);
        return { success: true, ...received.value };
      },
    );
  });
}
