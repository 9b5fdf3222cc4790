import { readFileSync } from 'node:fs';
import type { TestApp } from '../helpers/test-app.ts';

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/email-events/${name}`, import.meta.url), 'utf8'));
}

/** Sets a provider up through the admin API; returns the webhook token. */
export async function setUpSource(app: TestApp, provider: string, settings: object = {}): Promise<string> {
  const response = await app.app.inject({
    method: 'PUT',
    url: `/api/email-sources/${provider}`,
    headers: { authorization: app.secretAuth },
    payload: { ...settings, rotateToken: true },
  });
  if (response.statusCode !== 200) throw new Error(`setting up ${provider}: ${response.body}`);
  return response.json().token;
}

/** Posts a provider's raw body as the provider would (token as basic auth), then waits for scoring. */
export async function postEmailEvents(
  app: TestApp,
  provider: string,
  token: string | null,
  body: string,
  headers: Record<string, string> = {},
) {
  const response = await app.app.inject({
    method: 'POST',
    url: `/v1/email-events/${provider}`,
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Basic ${Buffer.from(`ripen:${token}`).toString('base64')}` }),
      ...headers,
    },
    payload: body,
  });
  await app.scoring.drain();
  return response;
}

/** The events stored for an email address's contact, oldest first. */
export async function eventsOf(app: TestApp, email: string) {
  return app.db
    .selectFrom('events')
    .innerJoin('contacts', 'contacts.id', 'events.contact_id')
    .select(['events.message_id', 'events.type', 'events.name', 'events.properties', 'events.source'])
    .where('contacts.workspace_id', '=', app.workspaceId)
    .where('contacts.email', '=', email)
    .orderBy('events.id')
    .execute();
}

export async function contactOf(app: TestApp, email: string) {
  return app.db
    .selectFrom('contacts')
    .select(['id', 'fit', 'engagement', 'email_status', 'email_consent', 'stage'])
    .where('workspace_id', '=', app.workspaceId)
    .where('email', '=', email)
    .executeTakeFirst();
}

/** Seconds since the epoch, as providers write times. */
export function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
