import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createUser } from '../../src/server/users/create-user.ts';
import { createApiKey } from '../../src/server/workspaces/api-keys.ts';
import { startTestApp, type TestApp } from '../server/helpers/test-app.ts';
import { waitFor } from '../server/helpers/wait-for.ts';
import { expectAccessible, expectNoSidewaysScroll, openTab, signIn } from './browser-session.ts';
import { hasChromium, launchChromium } from './launch-chromium.ts';

const required = process.env.RIPEN_BROWSER_TESTS === 'required';
if (!hasChromium() && !required) {
  console.warn('snippet browser tests skipped: install Debian’s Chromium (`apt-get install -y chromium`) to run them');
}

/** A customer's page: the pasted tag, a tall body to scroll, and a form marked for capture. */
function sitePage(path: string, scriptUrl: string, writeKey: string): string {
  const consent = path.startsWith('/consent') ? ' data-consent="required"' : '';
  const queued = path.startsWith('/queued')
    ? `<script>window.ripen = window.ripen || []; ripen.push(['track', 'Queued Before Load', { from: 'stub' }]);</script>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme ${path}</title>${queued}
<script async src="${scriptUrl}" data-write-key="${writeKey}"${consent}></script></head>
<body><main style="height: 4000px"><h1>Acme widgets</h1>
<form id="contact" data-ripen-capture="contact-us" action="/thanks" method="post">
<input name="email" type="email"><input name="first_name"><input name="company">
<input name="password" type="password"><input type="hidden" name="plan_token" value="hidden-value">
<input name="card" autocomplete="cc-number"><button type="submit">Send</button>
</form></main></body></html>`;
}

async function serveSite(scriptUrl: string, writeKey: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(sitePage(path, scriptUrl, writeKey()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface StoredEvent {
  type: string;
  name: string | null;
  contact_id: string | null;
  properties: Record<string, unknown>;
}

describe.skipIf(!hasChromium() && !required)('the browser snippet on a customer’s website, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let site: { origin: string; server: Server };
  let elsewhere: { origin: string; server: Server };
  let writeKey = '';
  let base = '';
  let scriptUrl = '';

  beforeAll(async () => {
    if (!hasChromium()) throw new Error('browser tests need Debian’s Chromium at /usr/bin/chromium');
    const snippetRoot = inject('snippetRoot');
    const { file } = JSON.parse(readFileSync(join(snippetRoot, 'snippet.json'), 'utf8'));
    t = await startTestApp(Date.now(), { snippetRoot, webRoot: inject('webRoot') });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    scriptUrl = `${base}/snippet/${file}`;
    // Another port is another origin: the snippet runs cross-origin, as on a customer's site.
    site = await serveSite(scriptUrl, () => writeKey);
    elsewhere = await serveSite(scriptUrl, () => writeKey);
    writeKey = (await createApiKey(t.db, t.workspaceId, 'write', 'Acme website', { allowedOrigins: [site.origin] }))
      .key;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const each of [site, elsewhere]) await new Promise((resolve) => each?.server.close(resolve));
    await t?.close();
  });

  /** A fresh visitor: no cookies, no storage; page errors fail the test. */
  async function visitor(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { context, page, errors };
  }

  async function anonymousIdOf(context: BrowserContext): Promise<string> {
    const cookies = await waitFor(
      () => context.cookies(site.origin),
      (found) => found.some((cookie) => cookie.name === 'ripen_id'),
    );
    const id = cookies.find((cookie) => cookie.name === 'ripen_id')?.value;
    if (!id) throw new Error('the snippet set no ripen_id cookie');
    return id;
  }

  function eventsOf(anonymousId: string): Promise<StoredEvent[]> {
    return t.db
      .selectFrom('events')
      .select(['type', 'name', 'contact_id', 'properties'])
      .where('anonymous_id', '=', anonymousId)
      .orderBy('id')
      .execute();
  }

  async function waitForEvents(anonymousId: string, done: (events: StoredEvent[]) => boolean) {
    const events = await waitFor(() => eventsOf(anonymousId), done, 100);
    expect(done(events), `events of ${anonymousId}: ${JSON.stringify(events)}`).toBe(true);
    return events;
  }

  const pageAt = (path: string) => (event: StoredEvent) => event.type === 'page' && event.properties.path === path;
  const engagedAt = (path: string) => (event: StoredEvent) =>
    event.name === 'Page Engaged' && event.properties.path === path;

  /** What a tab switch does: the page is hidden (or shown again) without being closed. */
  async function setHidden(page: Page, hidden: boolean) {
    await page.evaluate((value) => {
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => (value ? 'hidden' : 'visible'),
      });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  }

  async function call(page: Page, method: string, ...args: unknown[]) {
    await page.waitForFunction(() => {
      const ripen = (window as unknown as { ripen?: unknown }).ripen;
      return ripen !== undefined && !Array.isArray(ripen);
    });
    await page.evaluate(
      ([name, values]) => {
        const ripen = (window as unknown as { ripen: Record<string, (...args: unknown[]) => void> }).ripen;
        ripen[name]?.(...values);
      },
      [method, args] as const,
    );
  }

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('records page views with first and last touch, engaged time and scroll depth, and SPA navigations', async () => {
    const { context, page, errors } = await visitor();
    await page.goto(`${site.origin}/landing?utm_source=newsletter&utm_medium=email&utm_campaign=spring`);
    const anonymousId = await anonymousIdOf(context);
    let events = await waitForEvents(anonymousId, (found) => found.some(pageAt('/landing')));
    expect(events.find(pageAt('/landing'))?.properties).toMatchObject({
      utm_source: 'newsletter',
      utm_campaign: 'spring',
      title: 'Acme /landing',
      firstTouch: { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring' },
      lastTouch: { utm_source: 'newsletter' },
    });

    await page.goto(`${site.origin}/pricing?utm_source=ads&utm_campaign=retarget`);
    events = await waitForEvents(anonymousId, (found) => found.some(pageAt('/pricing')));
    const pricing = events.find(pageAt('/pricing'))?.properties;
    expect(pricing?.firstTouch).toMatchObject({ utm_source: 'newsletter', utm_campaign: 'spring' });
    expect(pricing?.lastTouch).toMatchObject({ utm_source: 'ads', utm_campaign: 'retarget' });

    // 1.5 s visible, scrolled to the bottom, then hidden: engaged time arrives by beacon.
    await pause(1500);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await pause(100);
    await setHidden(page, true);
    events = await waitForEvents(anonymousId, (found) => found.some(engagedAt('/pricing')));
    const first = events.filter(engagedAt('/pricing'))[0]?.properties ?? {};
    expect(first.duration).toBeGreaterThanOrEqual(1);
    expect(first.duration).toBeLessThanOrEqual(3);
    expect(first.scrollDepth).toBe(100);

    // Three hidden seconds count for nothing; the next visible 1.2 s do.
    await pause(3000);
    await setHidden(page, false);
    await pause(1200);
    await setHidden(page, true);
    events = await waitForEvents(anonymousId, (found) => found.filter(engagedAt('/pricing')).length === 2);
    const second = events.filter(engagedAt('/pricing'))[1]?.properties ?? {};
    const grew = Number(second.duration) - Number(first.duration);
    expect(grew).toBeGreaterThanOrEqual(1);
    expect(grew).toBeLessThanOrEqual(2);

    await setHidden(page, false);
    await page.evaluate(() => history.pushState({}, '', '/features/reports'));
    events = await waitForEvents(anonymousId, (found) => found.some(pageAt('/features/reports')));
    expect(events.find(pageAt('/features/reports'))?.properties.referrer).toBe(
      `${site.origin}/pricing?utm_source=ads&utm_campaign=retarget`,
    );
    expect(events.every((event) => event.contact_id === null)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('captures a marked form without reading password, hidden or card fields, and identifies by its email', async () => {
    const { context, page, errors } = await visitor();
    await page.goto(`${site.origin}/contact`);
    const anonymousId = await anonymousIdOf(context);
    await page.locator('input[name=email]').fill('grace@acme-widgets.example');
    await page.locator('input[name=first_name]').fill('Grace');
    await page.locator('input[name=company]').fill('Acme');
    await page.locator('input[name=password]').fill('hunter2-secret');
    await page.locator('input[name=card]').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(`${site.origin}/thanks`);
    const events = await waitForEvents(anonymousId, (found) => found.some((event) => event.name === 'Form Submitted'));
    const form = events.find((event) => event.name === 'Form Submitted');
    expect(form?.properties).toMatchObject({
      form: 'contact-us',
      fields: { email: 'grace@acme-widgets.example', first_name: 'Grace', company: 'Acme' },
    });
    expect(Object.keys(Object(form?.properties.fields)).sort()).toEqual(['company', 'email', 'first_name']);
    const everything = JSON.stringify(events);
    for (const secret of ['hunter2-secret', '4242', 'hidden-value']) expect(everything).not.toContain(secret);
    const contact = await t.db
      .selectFrom('contacts')
      .select(['id', 'first_name'])
      .where('email', '=', 'grace@acme-widgets.example')
      .executeTakeFirstOrThrow();
    expect(contact.first_name).toBe('Grace');
    expect(form?.contact_id).toBe(contact.id);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('re-attributes earlier anonymous page views to the contact on identify, and its score changes', async () => {
    const email = 'returning@acme-widgets.example';
    await t.send('/v1/identify', { anonymousId: 'crm-import', messageId: 'snippet-seed', traits: { email } });
    const before = await t.db
      .selectFrom('contacts')
      .select(['id', 'engagement', 'score'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(before.engagement).toBe(0);

    const { context, page, errors } = await visitor();
    await page.goto(`${site.origin}/pricing`);
    const anonymousId = await anonymousIdOf(context);
    await waitForEvents(anonymousId, (found) => found.some(pageAt('/pricing')));
    await page.goto(`${site.origin}/features`);
    let events = await waitForEvents(anonymousId, (found) => found.some(pageAt('/features')));
    expect(events.every((event) => event.contact_id === null)).toBe(true);

    await call(page, 'identify', email, { firstName: 'Ada' });
    events = await waitForEvents(
      anonymousId,
      (found) => found.some((event) => event.type === 'identify') && found.every((e) => e.contact_id === before.id),
    );
    expect(events.filter((event) => event.type === 'page').length).toBeGreaterThanOrEqual(2);
    await t.scoring.drain();
    const after = await t.db
      .selectFrom('contacts')
      .select(['engagement', 'score', 'first_name'])
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    expect(after.first_name).toBe('Ada');
    expect(after.engagement).toBeGreaterThan(before.engagement);
    expect(after.score).not.toBe(before.score);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in consent mode stores and sends nothing before ripen.consent(true), then sends what was held', async () => {
    const { context, page, errors } = await visitor();
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v1/')) sent.push(request.url());
    });
    await page.goto(`${site.origin}/consent/page`);
    await call(page, 'track', 'Newsletter Viewed');
    await pause(1500);
    expect(sent).toEqual([]);
    expect(await context.cookies(site.origin)).toEqual([]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    await call(page, 'consent', true);
    const anonymousId = await anonymousIdOf(context);
    const events = await waitForEvents(
      anonymousId,
      (found) => found.some(pageAt('/consent/page')) && found.some((event) => event.name === 'Newsletter Viewed'),
    );
    expect(events.length).toBe(2);
    const names = (await context.cookies(site.origin)).map((cookie) => cookie.name).sort();
    expect(names).toEqual(['ripen_consent', 'ripen_id']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('replays calls queued before the script loaded, and keeps events while offline until back online', async () => {
    const { context, page, errors } = await visitor();
    await page.goto(`${site.origin}/queued`);
    const anonymousId = await anonymousIdOf(context);
    await waitForEvents(
      anonymousId,
      (found) => found.some(pageAt('/queued')) && found.some((event) => event.name === 'Queued Before Load'),
    );
    await context.setOffline(true);
    await call(page, 'track', 'Offline Signup');
    await pause(2000);
    expect((await eventsOf(anonymousId)).some((event) => event.name === 'Offline Signup')).toBe(false);
    await context.setOffline(false);
    await waitForEvents(anonymousId, (found) => found.some((event) => event.name === 'Offline Signup'));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is refused on a website the write key does not allow, and stops sending', async () => {
    const { context, page, errors } = await visitor();
    const answers: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/v1/batch')) answers.push(response.status());
    });
    await page.goto(`${elsewhere.origin}/page`);
    const anonymousId = await anonymousIdOf(context);
    await waitFor(
      async () => answers,
      (seen) => seen.length > 0,
    );
    await call(page, 'track', 'Not Allowed');
    await pause(2000);
    expect(answers).toEqual([403]);
    expect(await eventsOf(anonymousId)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Settings shows the tag ready to paste with a write key just created, and its consent options', async () => {
    const created = await createUser(
      t.db,
      t.workspaceId,
      { email: 'site.admin@example.com', role: 'admin' },
      'test',
      t.clock.now,
    );
    if (!created.ok) throw new Error(created.error.message);
    const tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'site.admin@example.com', created.value.password);
    await page.goto(`${base}/settings/keys`);
    await expect.poll(() => page.getByTestId('snippet-tag').textContent()).toContain('YOUR_WRITE_KEY');
    await page.getByLabel('Name').fill('Marketing site');
    await page.getByLabel('Allowed origins').fill(site.origin);
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(secret).toMatch(/^rk_write_/);
    const tag = page.getByTestId('snippet-tag');
    await expect
      .poll(() => tag.textContent())
      .toBe(`<script async src="${scriptUrl}" data-write-key="${secret}"></script>`);
    await page.getByLabel(/Consent mode/).check();
    expect(await tag.textContent()).toContain('data-consent="required"');
    await expectAccessible(page, 'website snippet');
    await expectNoSidewaysScroll(page);
    expect(await tab.troubles()).toEqual([]);
    await tab.close();
  });
});
