import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';

// The official libraries, with their default options (RudderStack gzips its bodies), sending
// over HTTP to a listening server.
let url: string;
let writeKey: string;
const t = useTestApp(Date.now());
beforeAll(async () => {
  // The libraries stamp sentAt with the real time, which the server's clock-skew correction reads.
  Object.defineProperty(t.clock, 'now', { get: () => Date.now() });
  url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  writeKey = Buffer.from(t.writeAuth.slice('Basic '.length), 'base64').toString().replace(/:$/, '');
});

/** One identify, track, page and group, as a customer's backend would send them. */
type Fields = Record<string, string | number | Record<string, string | number>>;
interface Calls {
  identify(message: { userId: string; traits: Fields; timestamp: Date }): void;
  track(message: { userId: string; event: string; properties: Fields; timestamp: Date }): void;
  page(message: { userId: string; name: string; properties: Fields; timestamp: Date }): void;
  group(message: { userId: string; groupId: string; traits: Fields; timestamp: Date }): void;
}

function sendFunnel(client: Calls, prefix: string, at: number) {
  client.identify({
    userId: `${prefix}-cmo`,
    traits: {
      email: `cmo@${prefix}-rockets.com`,
      title: 'Chief Marketing Officer',
      company: { name: 'Rocket Works', industry: 'Software', employee_count: 800, plan: 'enterprise' },
    },
    timestamp: new Date(at - 4 * HOUR),
  });
  client.track({
    userId: `${prefix}-cmo`,
    event: 'Pricing Viewed',
    properties: { plan: 'pro', seats: 25 },
    timestamp: new Date(at - 3 * HOUR),
  });
  client.page({
    userId: `${prefix}-cmo`,
    name: 'Pricing',
    properties: { path: '/pricing', title: 'Pricing' },
    timestamp: new Date(at - 2 * HOUR),
  });
  client.identify({
    userId: `${prefix}-vp`,
    traits: { email: `vp@${prefix}-widgets.com`, title: 'Chief Marketing Officer' },
    timestamp: new Date(at - 2 * HOUR),
  });
  client.group({
    userId: `${prefix}-vp`,
    groupId: `${prefix}-widgets.com`,
    traits: { name: 'Widget Works', industry: 'Software', employee_count: 800, plan: 'enterprise' },
    timestamp: new Date(at - HOUR),
  });
}

async function eventsOf(userId: string) {
  return t.db
    .selectFrom('events')
    .innerJoin('contacts', (join) =>
      join.onRef('contacts.id', '=', 'events.contact_id').onRef('contacts.workspace_id', '=', 'events.workspace_id'),
    )
    .select(['events.type', 'events.name', 'events.properties', 'events.occurred_at', 'events.source'])
    .where('contacts.user_id', '=', userId)
    .orderBy('events.occurred_at')
    .execute();
}

async function contactOf(userId: string) {
  const row = await t.db
    .selectFrom('contacts')
    .leftJoin('companies', (join) =>
      join
        .onRef('companies.id', '=', 'contacts.company_id')
        .onRef('companies.workspace_id', '=', 'contacts.workspace_id'),
    )
    .select(['contacts.fit', 'companies.name', 'companies.industry', 'companies.employees', 'companies.properties'])
    .where('contacts.user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return row;
}

async function expectFunnelStored(prefix: string, at: number, library: string) {
  await t.scoring.drain();
  const cmo = await eventsOf(`${prefix}-cmo`);
  expect(cmo.map((event) => [event.type, event.name])).toEqual([
    ['identify', null],
    ['track', 'Pricing Viewed'],
    ['page', 'Pricing'],
  ]);
  // Shifted only by the clock-skew correction (receivedAt - sentAt: the time on the wire).
  const sentTimes = [at - 4 * HOUR, at - 3 * HOUR, at - 2 * HOUR];
  const skews = cmo.map((event, i) => Math.abs(event.occurred_at.getTime() - (sentTimes[i] ?? 0)));
  expect(Math.max(...skews)).toBeLessThan(1_000);
  expect(cmo[1]?.properties).toMatchObject({ plan: 'pro', seats: 25 });
  expect(cmo[2]?.properties).toMatchObject({ path: '/pricing', title: 'Pricing' });
  expect(new Set(cmo.map((event) => event.source))).toEqual(new Set([library]));
  expect((await eventsOf(`${prefix}-vp`)).map((event) => event.type)).toEqual(['identify', 'group']);
  // `company` on identify fills the company as the group call does, so both CMOs fit alike.
  const byTrait = await contactOf(`${prefix}-cmo`);
  const byGroup = await contactOf(`${prefix}-vp`);
  expect(byTrait).toMatchObject({ name: 'Rocket Works', industry: 'Software', employees: 800 });
  expect(byTrait.properties).toMatchObject({ plan: 'enterprise' });
  expect(byTrait.fit).toBe(byGroup.fit);
  expect(byTrait.fit).toBeGreaterThanOrEqual(90);
  expect(byGroup.name).toBe('Widget Works');
}

describe('the official client libraries, with their default options', () => {
  it('@segment/analytics-node: every call arrives once, on the right contact, with its properties and time', async () => {
    const analytics = new SegmentAnalytics({ writeKey, host: url });
    const errors: unknown[] = [];
    analytics.on('error', (error) => errors.push(error));
    const at = Date.now();
    sendFunnel(
      {
        identify: (message) => analytics.identify(message),
        track: (message) => analytics.track(message),
        page: (message) => analytics.page(message),
        group: (message) => analytics.group(message),
      },
      'seg',
      at,
    );
    await analytics.closeAndFlush();
    expect(errors).toEqual([]);
    await expectFunnelStored('seg', at, '@segment/analytics-node');
  });

  it('@rudderstack/rudder-sdk-node (gzip on): every call arrives once, on the right contact, with its properties and time', async () => {
    const errors: unknown[] = [];
    const client = new RudderAnalytics(writeKey, {
      dataPlaneUrl: url,
      logLevel: 'error',
      errorHandler: (error: unknown) => errors.push(error),
    });
    const at = Date.now();
    sendFunnel(
      {
        identify: (message) => client.identify(message),
        track: (message) => client.track(message),
        page: (message) => client.page(message),
        group: (message) => client.group(message),
      },
      'rud',
      at,
    );
    await client.flush();
    expect(errors).toEqual([]);
    await expectFunnelStored('rud', at, 'analytics-node');
  });
});
