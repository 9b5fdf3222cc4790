import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BacktestReport } from '../../src/core/backtest/backtest-report.ts';
import { createUser } from '../../src/server/users/create-user.ts';
import { startWebhookReceiver } from '../server/helpers/start-webhook-receiver.ts';
import { startTestApp, type TestApp } from '../server/helpers/test-app.ts';
import { seedOutcomes } from '../server/predict/seed-outcomes.ts';
import { expectAccessible, expectNoSidewaysScroll, openTab, screenshots, signIn } from './browser-session.ts';
import { DESKTOP, hasChromium, launchChromium, PHONE } from './launch-chromium.ts';

const readCatalogue = (locale: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../../src/web/i18n/messages/${locale}.json`, import.meta.url), 'utf8'));

const XSS = {
  firstName: '<script>window.__xss=1</script>',
  lastName: '<img src=x onerror="window.__xss=2;alert(2)">',
  jobTitle: '"><svg onload=alert(3)>',
  company: '<b onmouseover=alert(4)>Evil & Co</b>',
  event: '<img src=x onerror=alert(5)>',
  link: 'javascript:alert(document.cookie)',
};

/**
 * Without Chromium these tests are skipped with a message, so `npm test` works on a machine
 * with only Node.js; CI sets RIPEN_BROWSER_TESTS=required, and there a missing browser fails.
 */
const required = process.env.RIPEN_BROWSER_TESTS === 'required';
if (!hasChromium() && !required) {
  console.warn('browser tests skipped: install Debian’s Chromium (`apt-get install -y chromium`) to run them');
}

describe.skipIf(!hasChromium() && !required)('the web app in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const passwords = new Map<string, string>();
  let sequence = 0;
  const id = () => `web-${++sequence}`;
  let hotLead = '';
  let hotOwner = '';
  let xssLead = '';
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  /** A VP at a large company asking for a demo after pricing visits: an A-grade, hot MQL for enterprise sales. */
  async function handRaiser(userId: string, name: { first: string; last: string }, domain: string) {
    const batch: object[] = [
      {
        type: 'identify',
        userId,
        messageId: id(),
        traits: {
          email: `${userId}@${domain}`,
          firstName: name.first,
          lastName: name.last,
          title: 'VP Marketing',
          seniority: 'vp',
          role: 'marketing',
        },
      },
      {
        type: 'group',
        userId,
        groupId: domain,
        messageId: id(),
        traits: { name: `${name.last} Group`, domain, employees: 5000, industry: 'software', founded: 2001 },
      },
      ...[1, 2, 3].map(() => ({
        type: 'page',
        userId,
        messageId: id(),
        name: 'Pricing',
        properties: { path: '/pricing', title: 'Pricing', url: `https://www.example.com/pricing` },
      })),
      { type: 'track', userId, messageId: id(), event: 'Demo Requested', properties: { plan: 'enterprise' } },
    ];
    const response = await t.send('/v1/batch', { batch });
    expect(response.json().errors).toEqual([]);
    const row = await t.db
      .selectFrom('contacts')
      .select(['id', 'grade', 'temperature', 'stage', 'owner'])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return row;
  }

  async function user(email: string, role: string) {
    const created = await createUser(t.db, t.workspaceId, { email, role }, 'test', t.clock.now);
    if (!created.ok) throw new Error(created.error.message);
    passwords.set(email, created.value.password);
  }

  beforeAll(async () => {
    if (!hasChromium()) {
      throw new Error('browser tests need Debian’s Chromium at /usr/bin/chromium: `apt-get install -y chromium`');
    }
    receiver = await startWebhookReceiver();
    t = await startTestApp(Date.now(), { webRoot: inject('webRoot'), webhookAllowList: ['127.0.0.1/32'] });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    const hot = await handRaiser('ada', { first: 'Ada', last: 'Lovelace' }, 'analytical.example');
    expect([hot.grade, hot.temperature, hot.stage]).toEqual(['A', 'hot', 'mql']);
    hotLead = hot.id;
    hotOwner = hot.owner ?? '';
    expect(['avery@example.com', 'jordan@example.com']).toContain(hotOwner);
    await user('avery@example.com', 'rep');
    await user('jordan@example.com', 'rep');
    await user('vera@example.com', 'viewer');
    await user('ada.admin@example.com', 'admin');
    await user('mia@example.com', 'marketing');
    await user('morgan@example.com', 'manager');
    const xss = await t.send('/v1/batch', {
      batch: [
        {
          type: 'identify',
          userId: 'xss',
          messageId: id(),
          traits: {
            email: 'xss@evil.example',
            firstName: XSS.firstName,
            lastName: XSS.lastName,
            title: XSS.jobTitle,
            website: XSS.link,
          },
        },
        {
          type: 'group',
          userId: 'xss',
          groupId: 'evil.example',
          messageId: id(),
          traits: { name: XSS.company, domain: 'evil.example' },
        },
        { type: 'track', userId: 'xss', messageId: id(), event: XSS.event, properties: { title: XSS.link } },
      ],
    });
    expect(xss.json().errors).toEqual([]);
    xssLead = (await t.db.selectFrom('contacts').select('id').where('user_id', '=', 'xss').executeTakeFirstOrThrow())
      .id;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.close();
  });

  let tab: Awaited<ReturnType<typeof openTab>> | null = null;
  afterEach(async () => {
    if (tab) {
      const troubles = await tab.troubles();
      await tab.close();
      tab = null;
      expect(troubles).toEqual([]);
    }
  });

  it('a rep finds a hot A-grade lead, and its explanation sums to its score', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, hotOwner, passwords.get(hotOwner) ?? '');
    await expectAccessible(page, 'home');
    await screenshots(page, 'home');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
    await page.getByRole('button', { name: /^Grade A, hot:/ }).click();
    await expect.poll(() => page.url()).toContain('grade=A');
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await expectAccessible(page, 'leads');
    await screenshots(page, 'leads');
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByTestId('score').waitFor();

    const read = (selector: string) => page.locator(selector).getAttribute('data-value').then(Number);
    const linePoints = (part: string) =>
      page
        .locator(`[data-testid=explain-${part}] td.points`)
        .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-points'))));
    const cents = (values: number[]) => values.reduce((sum, value) => sum + Math.round(value * 100), 0);
    const fit = await read('[data-testid=total-fit]');
    const engagement = await read('[data-testid=total-engagement]');
    expect(cents(await linePoints('fit'))).toBe(Math.round(fit * 100));
    expect(cents(await linePoints('engagement'))).toBe(Math.round(engagement * 100));
    const combined = page.getByTestId('combined');
    const fitWeight = Number(await combined.getAttribute('data-fit-weight'));
    const engagementWeight = Number(await combined.getAttribute('data-engagement-weight'));
    const score = await read('[data-testid=score]');
    expect(Math.round((fitWeight * fit + engagementWeight * engagement) * 100)).toBe(Math.round(score * 100));
    expect(Number(await combined.getAttribute('data-value'))).toBe(score);
    await expectAccessible(page, 'lead page');
    await expectNoSidewaysScroll(page);
    await screenshots(page, 'lead');
  });

  it('a company page shows its people and its company score, line by line', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, hotOwner, passwords.get(hotOwner) ?? '');
    await page.goto(`${base}/leads/${hotLead}`);
    await page.getByRole('link', { name: 'Lovelace Group' }).click();
    await page.getByRole('heading', { name: 'Lovelace Group', level: 1 }).waitFor();
    await page.getByTestId('company-contacts').getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    const linePoints = await page
      .getByTestId('company-score-lines')
      .locator('td.points')
      .evaluateAll((cells) => cells.map((cell) => Math.round(Number(cell.getAttribute('data-points')) * 100)));
    const total = Number(await page.getByTestId('company-score-lines').locator('tfoot td').getAttribute('data-value'));
    expect(linePoints.length).toBeGreaterThan(0);
    expect(linePoints.reduce((sum, value) => sum + value, 0)).toBe(Math.round(total * 100));
    expect(Number(await page.getByTestId('company-score').getAttribute('data-value'))).toBe(total);
    await expectAccessible(page, 'company');
    await screenshots(page, 'company');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Companies' }).click();
    await page.getByRole('link', { name: 'Lovelace Group' }).waitFor();
    await expectAccessible(page, 'companies');
  });

  it('the rep accepts the lead from the inbox, logs a touch and qualifies it; the history shows each move', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, hotOwner, passwords.get(hotOwner) ?? '');
    await page.goto(`${base}/inbox`);
    const item = page.locator(`li[data-contact="${hotLead}"]`);
    await item.waitFor();
    await expectAccessible(page, 'inbox');
    await expectNoSidewaysScroll(page);
    await screenshots(page, 'inbox');
    await item.getByRole('button', { name: 'Accept' }).click();
    await item.locator('.badge', { hasText: 'SAL' }).waitFor();
    await item.getByRole('button', { name: 'Log call' }).click();
    await item.waitFor({ state: 'detached' });

    await page.goto(`${base}/leads/${hotLead}`);
    await page.getByRole('button', { name: 'Qualify (BANT)' }).click();
    await page.getByRole('textbox', { name: 'Budget' }).fill('€40k this year');
    await page.getByRole('textbox', { name: 'Authority' }).fill('Signs off herself');
    await page.getByRole('textbox', { name: 'Need' }).fill('Routing MQLs by hand today');
    await page.getByRole('textbox', { name: 'Timeline' }).fill('This quarter');
    await page.getByRole('button', { name: 'Save qualification' }).click();
    await page.locator('.lead-head .badge', { hasText: 'SQL' }).waitFor();
    const moves = page.getByTestId('stage-history').locator('li');
    await expect.poll(() => moves.count()).toBe(3);
    const text = await page.getByTestId('stage-history').textContent();
    expect(text).toContain(`by ${hotOwner}`);
    expect(text).toMatch(/Lead\s*→\s*to\s*MQL|Lead[\s\S]*MQL/);
    const stored = await t.db
      .selectFrom('contacts')
      .select(['stage'])
      .where('id', '=', hotLead)
      .executeTakeFirstOrThrow();
    expect(stored.stage).toBe('sql');
  });

  it('a new MQL routed to the rep appears in the open inbox without a reload', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, hotOwner, passwords.get(hotOwner) ?? '');
    await page.goto(`${base}/inbox`);
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    // Round-robin between two reps: of two new enterprise MQLs, one is this rep's.
    const first = await handRaiser('grace', { first: 'Grace', last: 'Hopper' }, 'cobol.example');
    const second = await handRaiser('edsger', { first: 'Edsger', last: 'Dijkstra' }, 'goto.example');
    const mine = [first, second].filter((lead) => lead.owner === hotOwner);
    expect(mine).toHaveLength(1);
    await page.locator(`li[data-contact="${mine[0]?.id}"]`).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(
      true,
    );
  });

  it('switching to Polish translates the page and stays after a reload', async () => {
    const polish = readCatalogue('pl');
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, hotOwner, passwords.get(hotOwner) ?? '');
    await page.getByLabel('Language').selectOption('pl');
    const nav = page.getByRole('navigation').first();
    await nav.getByRole('link', { name: polish['nav.leads'] }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pl');
    await page.reload();
    await page.getByRole('heading', { name: polish['home.title'] }).waitFor();
    await page.goto(`${base}/leads`);
    await page.getByRole('heading', { name: polish['leads.title'] }).waitFor();
    await screenshots(page, 'leads-polish');
    // The choice is the person's, not the browser's: another device signs in in Polish too.
    const elsewhere = await openTab(browser);
    try {
      await signIn(elsewhere.page, base, hotOwner, passwords.get(hotOwner) ?? '');
      await elsewhere.page.getByRole('heading', { name: polish['home.title'] }).waitFor();
      await elsewhere.page.getByLabel(polish['shell.language'] ?? 'Language').selectOption('en');
      await elsewhere.page.getByRole('heading', { name: 'Today' }).waitFor();
    } finally {
      await elsewhere.close();
    }
  });

  it('a viewer reads the playbook but is offered no editing, no lead actions, and the API refuses them a publish', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'vera@example.com', passwords.get('vera@example.com') ?? '');
    await expect.poll(() => page.getByRole('link', { name: 'Inbox' }).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playbook' }).click();
    await page.getByRole('heading', { name: 'Playbook' }).waitFor();
    await page.getByText('Requested a demo').first().waitFor();
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    await page.goto(`${base}/playbook/edit`);
    await page.getByRole('heading', { name: 'Playbook' }).waitFor();
    expect(await page.getByTestId('playbook-editor').count()).toBe(0);
    await page.goto(`${base}/leads/${hotLead}`);
    await page.getByTestId('score').waitFor();
    expect(await page.locator('.actions-card').count()).toBe(0);
    const status = await page.evaluate(async () => {
      const session: { csrfToken: string } = await (await fetch('/api/session')).json();
      const response = await fetch('/api/playbook/publish', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ source: 'version: 1' }),
      });
      return response.status;
    });
    expect(status).toBe(403);
  });

  it('an admin adds a person, who signs in with the one-time password; role changes show in the audit log', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'ada.admin@example.com', passwords.get('ada.admin@example.com') ?? '');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Email').fill('newcomer@example.com');
    await page.getByLabel('Role', { exact: true }).selectOption('marketing');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const oneTime = (await page.getByTestId('one-time-password').textContent()) ?? '';
    expect(oneTime.length).toBeGreaterThanOrEqual(20);
    await page.getByLabel('Role of newcomer@example.com').selectOption('viewer');
    await expect
      .poll(
        async () =>
          (await t.db.selectFrom('users').select('role').where('email', '=', 'newcomer@example.com').executeTakeFirst())
            ?.role,
      )
      .toBe('viewer');
    await expectAccessible(page, 'settings');
    await expectNoSidewaysScroll(page);
    await screenshots(page, 'settings-users');
    await page.getByRole('link', { name: 'Audit log' }).click();
    const log = page.getByTestId('audit-log');
    await log.getByText('Role changed').first().waitFor();
    expect(await log.textContent()).toContain('newcomer@example.com');
    await expectAccessible(page, 'audit log');

    const newcomer = await openTab(browser);
    try {
      await signIn(newcomer.page, base, 'newcomer@example.com', oneTime);
      expect(await newcomer.page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
      expect(await newcomer.troubles()).toEqual([]);
    } finally {
      await newcomer.close();
    }
  });

  it('marketing edits the playbook with inline validation, tries the draft on a lead, and publishes it', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'mia@example.com', passwords.get('mia@example.com') ?? '');
    expect(await page.getByRole('link', { name: 'Inbox' }).count()).toBe(0);
    await page.goto(`${base}/playbook`);
    await expectAccessible(page, 'playbook rules');
    await screenshots(page, 'playbook');
    await page.getByRole('link', { name: 'Edit' }).click();
    const editor = page.getByTestId('playbook-editor').locator('.cm-content');
    await editor.waitFor();
    await expect.poll(() => page.getByTestId('validation').textContent(), { timeout: 10_000 }).toContain('valid');
    // Break the YAML on line 1: the server's error shows at that line.
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('fit: [\n');
    await page.locator('.cm-lintRange-error').first().waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('validation').textContent()).toContain('problem');
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => page.getByTestId('validation').textContent(), { timeout: 10_000 }).toContain('valid');
    // Demo requests are worth 60 instead of 40 (the first `points: 40` in the default playbook),
    // pasted into the editor as a person would.
    const published = (await t.get('/api/playbook')).json().source as string;
    const draft = published.replace('points: 40', 'points: 60');
    expect(draft).not.toBe(published);
    await tab.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page.evaluate((text) => navigator.clipboard.writeText(text), draft);
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+v');
    await expect.poll(() => page.getByTestId('validation').textContent(), { timeout: 10_000 }).toContain('valid');
    await page.getByLabel('Show changes').check();
    await page.locator('.cm-changedLine, .cm-insertedLine').first().waitFor();
    await page.getByLabel('Contact (name, email or job title)').fill('ada@analytical.example');
    await page.getByRole('button', { name: 'Score with the draft' }).click();
    const result = page.getByTestId('try-result');
    await result.waitFor();
    const scores = await result
      .locator('.big-figure')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))));
    expect(scores).toHaveLength(2);
    expect(scores[1]).not.toBe(scores[0]);
    // The form follows the YAML (the pasted 60), and a value typed in the form lands in the YAML.
    const form = page.getByTestId('playbook-form');
    expect(await form.getByLabel('Requested a demo').inputValue()).toBe('60');
    await form.getByLabel('Grade A from').fill('65');
    await expect.poll(() => editor.textContent()).toContain('grades: { A: 65, B: 50, C: 30 }');
    await expect.poll(() => page.getByTestId('validation').textContent(), { timeout: 10_000 }).toContain('valid');
    // Before publishing: what the draft would change over every contact.
    await page.getByRole('button', { name: 'Preview impact' }).click();
    const impact = page.getByTestId('impact');
    await impact.waitFor({ timeout: 20_000 });
    const contacts = await t.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const figure = (kind: string) => impact.locator(`[data-kind="${kind}"]`).textContent();
    expect(await figure('contacts')).toBe(String(contacts.n));
    expect(Number(await figure('scoreChanged'))).toBeGreaterThan(0);
    await impact.getByRole('table', { name: 'Grade' }).waitFor();
    await expectAccessible(page, 'playbook impact');
    await expectNoSidewaysScroll(page);
    await screenshots(page, 'playbook-impact');
    await expectAccessible(page, 'playbook editor');
    await screenshots(page, 'playbook-editor');
    tab.acceptNextConfirm();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/Published as version 2/).waitFor();
    await page.getByRole('link', { name: 'Versions' }).click();
    await page.getByTestId('playbook-versions').getByText('user:mia@example.com').waitFor();
    const active = await t.playbooks.active(t.workspaceId);
    expect(active?.version).toBe(2);
  });

  it('marketing backtests a draft on the history and reads the two playbooks side by side', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'mia@example.com', passwords.get('mia@example.com') ?? '');
    // A draft that makes every lead with an event an MQL, kept from an earlier visit to the editor.
    const published = (await t.get('/api/playbook')).json() as { version: number; source: string };
    const draft = published.source.replace(
      'when: fit >= 50 and engagement >= 50',
      'when: fit >= 0 and engagement >= 0',
    );
    expect(draft).not.toBe(published.source);
    await page.goto(`${base}/playbook`);
    await page.evaluate(
      (saved) => localStorage.setItem('ripen.playbookDraft', saved),
      JSON.stringify({ base: published.version, source: draft }),
    );
    await page.goto(`${base}/playbook/edit`);
    await expect.poll(() => page.getByTestId('validation').textContent(), { timeout: 10_000 }).toContain('valid');
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Backtest', exact: true }) });
    // Everything here happened today: the period ends today, not yesterday where the presets end.
    const today = new Date(t.clock.now).toISOString().slice(0, 10);
    await card.getByLabel('To', { exact: true }).fill(today);
    const from = await card.getByLabel('From', { exact: true }).inputValue();
    await card.getByRole('button', { name: 'Backtest on history' }).click();
    const table = card.getByTestId('backtest-table');
    await table.waitFor({ timeout: 30_000 });
    // The figures POST /api/backtest gives for the same draft and period (`to` excluded: tomorrow).
    const tomorrow = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
    const expected = (
      await t.app.inject({
        method: 'POST',
        url: '/api/backtest',
        headers: { authorization: t.secretAuth },
        payload: { draft, from, to: tomorrow },
      })
    ).json() as BacktestReport;
    const cells = (figure: string) => table.locator(`[data-figure="${figure}"] td`).allTextContents();
    const { published: before, draft: after } = expected.columns;
    expect(await cells('mqls')).toEqual([String(before.mqls), String(after.mqls)]);
    expect(await cells('perWeekPeak')).toEqual([String(before.mqlsPerWeek.peak), String(after.mqlsPerWeek.peak)]);
    expect(after.mqls).toBeGreaterThan(before.mqls);
    // The leads only the draft makes MQL, each a link to its page, their names as text.
    const changed = card.getByTestId('backtest-changed');
    expect(await changed.getByRole('link').count()).toBe(expected.changed.items.length);
    expect(expected.changed.items.map((item) => item.contactId)).toContain(xssLead);
    expect(await changed.getByRole('link', { name: XSS.firstName }).getAttribute('href')).toBe(`/leads/${xssLead}`);
    await card.getByTestId('backtest-chart').locator('canvas').waitFor();
    await expectAccessible(page, 'playbook backtest');
    await expectNoSidewaysScroll(page);
    await screenshots(page, 'playbook-backtest');
    // Editing the draft leaves the result on screen, marked as of an older draft.
    await page.getByTestId('playbook-editor').locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# tried once\n');
    await card.getByText('The draft has changed since this backtest').waitFor();
  });

  it('an admin creates a website write key shown once, limited to its origin, and revokes it', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'ada.admin@example.com', passwords.get('ada.admin@example.com') ?? '');
    await page.goto(`${base}/settings/keys`);
    await page.getByLabel('Name').fill('Website');
    await page.getByLabel('Allowed origins').fill('www.example.com');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(secret).toMatch(/^rk_write_/);
    const item = page.locator('.key-item').filter({ has: page.getByText('Website', { exact: true }) });
    await item.getByText('https://www.example.com').waitFor();
    // This page's origin is not the website's: a browser here may not send events with the key.
    const status = await page.evaluate(async (key) => {
      const response = await fetch('/v1/track', {
        method: 'POST',
        headers: { authorization: `Basic ${btoa(`${key}:`)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'someone', event: 'Page Viewed' }),
      });
      return response.status;
    }, secret);
    expect(status).toBe(403);
    await expectAccessible(page, 'API keys');
    await expectNoSidewaysScroll(page);
    await screenshots(page, 'settings-keys');
    tab.acceptNextConfirm();
    await item.getByRole('button', { name: 'Revoke' }).click();
    await item.getByText(/^Revoked/).waitFor();
    const stored = await t.db
      .selectFrom('api_keys')
      .select('revoked_at')
      .where('name', '=', 'Website')
      .executeTakeFirstOrThrow();
    expect(stored.revoked_at).not.toBeNull();
    // On a phone the seven links scroll sideways in one row: the current page's is brought into view.
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/settings/keys`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).waitFor();
    const placed = () =>
      page.evaluate(() => {
        const row = document.querySelector<HTMLElement>('nav.nav');
        const link = document.querySelector('nav.nav a.active')?.getBoundingClientRect();
        if (!row || !link) return 'missing';
        const box = row.getBoundingClientRect();
        return {
          overflows: row.scrollWidth > row.clientWidth,
          inView: link.left >= box.left - 1 && link.right <= box.right + 1,
        };
      });
    await expect.poll(placed).toEqual({ overflows: true, inView: true });
    await page.setViewportSize(DESKTOP);
  });

  it('an admin downloads a person’s data and erases them after typing their email', async () => {
    const sent = await t.send('/v1/identify', {
      userId: 'forget-me',
      messageId: id(),
      traits: { email: 'forget.me@analytical.example', firstName: 'Fern', lastName: 'Gotten' },
    });
    expect(sent.statusCode).toBe(200);
    const contact = await t.db
      .selectFrom('contacts')
      .select('id')
      .where('user_id', '=', 'forget-me')
      .executeTakeFirstOrThrow();
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'ada.admin@example.com', passwords.get('ada.admin@example.com') ?? '');
    await page.goto(`${base}/leads/${contact.id}`);
    const download = page.getByRole('link', { name: 'Download their data (JSON)' });
    const data = await page.evaluate(
      async (href) => (await fetch(href)).json(),
      (await download.getAttribute('href')) ?? '',
    );
    expect(data.contact).toMatchObject({ id: contact.id, email: 'forget.me@analytical.example' });
    await page.getByRole('button', { name: 'Erase this person…' }).click();
    const confirm = page.getByRole('button', { name: 'Erase permanently' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel('Type forget.me@analytical.example to confirm').fill('forget.me@analytical.example');
    await page.getByLabel('Reason, for the audit log (optional)').fill('asked by email');
    await expectAccessible(page, 'lead page with erasure form');
    await confirm.click();
    await page.waitForURL(`${base}/leads`);
    expect(await t.db.selectFrom('contacts').select('id').where('id', '=', contact.id).execute()).toEqual([]);
  });

  it('an admin merges a duplicate into a lead, an old link follows it, and the merge is undone', async () => {
    const sent = await t.send('/v1/batch', {
      batch: [
        {
          type: 'identify',
          userId: 'dup-work',
          messageId: id(),
          traits: { email: 'dana.dup@analytical.example', firstName: 'Dana', lastName: 'Dupont' },
        },
        {
          type: 'identify',
          anonymousId: 'dup-phone',
          messageId: id(),
          traits: { email: 'dana.home@example.net', phone: '+33 1 23' },
        },
        { type: 'page', anonymousId: 'dup-phone', messageId: id(), properties: { path: '/pricing' } },
      ],
    });
    expect(sent.json().errors).toEqual([]);
    const rows = await t.db.selectFrom('contacts').select(['id', 'email']).where('email', 'like', 'dana.%').execute();
    const work = rows.find((row) => row.email === 'dana.dup@analytical.example')?.id as string;
    const home = rows.find((row) => row.email === 'dana.home@example.net')?.id as string;
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'ada.admin@example.com', passwords.get('ada.admin@example.com') ?? '');
    await page.goto(`${base}/leads/${work}`);
    await page.getByRole('button', { name: 'Merge a duplicate into this lead…' }).click();
    await page.getByLabel('Email of the duplicate').fill('dana.home@example.net');
    await page.getByLabel('Reason (optional)').fill('home address');
    await expectAccessible(page, 'lead page with merge form');
    await page.getByRole('button', { name: 'Merge into this lead' }).click();
    const merges = page.getByTestId('merges');
    await merges.getByText('dana.home@example.net').waitFor();
    expect(await merges.textContent()).toContain('reason: home address');
    await page.getByText('+33 1 23').waitFor();
    // A bookmark of the merged contact opens the survivor.
    await page.goto(`${base}/leads/${home}`);
    await page.waitForURL(`${base}/leads/${work}`);
    await page.getByRole('button', { name: 'Undo merge' }).click();
    await merges.getByText(/^Undone /).waitFor();
    const back = await t.db.selectFrom('contacts').select('email').where('id', '=', home).executeTakeFirst();
    expect(back?.email).toBe('dana.home@example.net');
  });

  it('an admin marks a rep away on the teams page; a manager picks a team’s queue in the inbox', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'ada.admin@example.com', passwords.get('ada.admin@example.com') ?? '');
    await page.goto(`${base}/settings/teams`);
    const jordan = page.locator('[data-member="jordan@example.com"]');
    await jordan.getByRole('button', { name: 'Mark away' }).click();
    await jordan.getByLabel('Back on (optional)').fill('2099-01-31T09:00');
    await jordan.getByRole('button', { name: 'Save' }).click();
    await jordan.getByText(/^Away until/).waitFor();
    await expectAccessible(page, 'teams');
    await expectNoSidewaysScroll(page);
    await screenshots(page, 'settings-teams');
    await jordan.getByRole('button', { name: 'Mark available' }).click();
    await jordan.getByText('Available', { exact: true }).waitFor();

    const grace = await handRaiser('grace', { first: 'Grace', last: 'Hopper' }, 'navy.example');
    expect(grace.stage).toBe('mql');
    const manager = await openTab(browser);
    try {
      await signIn(manager.page, base, 'morgan@example.com', passwords.get('morgan@example.com') ?? '');
      await manager.page.goto(`${base}/inbox`);
      const queue = manager.page.getByLabel('Queue');
      await queue.selectOption('team:enterprise');
      await manager.page.locator(`[data-contact="${grace.id}"]`).waitFor();
      await queue.selectOption('team:inbound');
      await expect.poll(() => manager.page.locator(`[data-contact="${grace.id}"]`).count()).toBe(0);
      expect(manager.page.url()).toContain('team=inbound');
      expect(await manager.troubles()).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  it('an admin adds a webhook endpoint, sends a test, sees it delivered and sends it again', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'ada.admin@example.com', passwords.get('ada.admin@example.com') ?? '');
    await page.goto(`${base}/settings/webhooks`);
    await page.getByLabel('URL that receives the events').fill(receiver.url);
    await page.getByLabel('Description').fill('CRM sync');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    expect((await page.locator('code.secret').textContent()) ?? '').toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Delivery log' }).click();
    await page.getByRole('button', { name: 'Send a test' }).click();
    await page.getByText('webhook.test').waitFor();
    await t.webhooks.drain();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('HTTP 204').waitFor();
    expect(receiver.received.length).toBe(1);
    await page.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(() => page.getByText('webhook.test').count()).toBe(2);
    await t.webhooks.drain();
    expect(receiver.received.length).toBe(2);
    expect(receiver.received[1]?.headers['webhook-id']).toBe(receiver.received[0]?.headers['webhook-id']);
    await expectAccessible(page, 'webhooks');
    await screenshots(page, 'settings-webhooks');
  });

  it('marketing reads the funnel, opens the MQLs behind its figure and follows one to its lead; the split stays in the URL', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'mia@example.com', passwords.get('mia@example.com') ?? '');
    const mainNav = page.getByRole('navigation', { name: 'Main' });
    await mainNav.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Funnel analytics', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('mql-sql-rate').textContent()).toMatch(/%/);
    // On a phone, where the reports stand one under the other, links jump to each one.
    const jump = page.getByRole('navigation', { name: 'Jump to' });
    expect(await jump.isVisible()).toBe(false);
    await page.setViewportSize(PHONE);
    await jump.getByRole('link', { name: 'Time in stage' }).click();
    await expect.poll(() => page.url()).toContain('#report-time-in-stage');
    const placed = () =>
      page.evaluate(() => {
        const card = document.getElementById('report-time-in-stage')?.getBoundingClientRect();
        const header = document.querySelector('header')?.getBoundingClientRect();
        return card && header ? card.top >= header.bottom - 1 && card.top < window.innerHeight / 2 : false;
      });
    await expect.poll(placed).toBe(true);
    await page.setViewportSize(DESKTOP);
    await page.getByTestId('funnel-stages').getByRole('row', { name: /MQL/ }).getByRole('button').click();
    const list = page.getByTestId('leads-behind');
    await list.getByRole('heading', { name: 'Reached MQL' }).waitFor();
    await list.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await expectAccessible(page, 'analytics');
    await expectNoSidewaysScroll(page);
    await screenshots(page, 'analytics');
    await page.getByLabel('Split by').selectOption('first-touch-channel');
    await expect.poll(() => page.url()).toContain('by=first-touch-channel');
    await expect.poll(() => list.count()).toBe(0);
    await page.getByRole('heading', { name: 'First-touch channel' }).waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('Split by').inputValue()).toBe('first-touch-channel');
    await page
      .getByRole('navigation', { name: 'Analytics sections' })
      .getByRole('link', { name: 'Predictive model' })
      .click();
    await expect.poll(() => page.url()).toContain('/analytics/model');
    expect(await mainNav.getByRole('link', { name: 'Analytics' }).getAttribute('aria-current')).toBe('page');
    await page
      .getByRole('navigation', { name: 'Analytics sections' })
      .getByRole('link', { name: 'Funnel & reports' })
      .click();
    await page.getByTestId('funnel-stages').getByRole('row', { name: /MQL/ }).getByRole('button').click();
    await list.getByRole('link', { name: 'Ada Lovelace' }).click();
    await expect.poll(() => page.url()).toContain(`/leads/${hotLead}`);
  });

  it('contact, company and event fields holding markup show as text, with no script run and no CSP violation', async () => {
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, hotOwner, passwords.get(hotOwner) ?? '');
    await page.goto(`${base}/leads/${xssLead}`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor();
    expect(await heading.textContent()).toBe(`${XSS.firstName} ${XSS.lastName}`);
    const head = await page.locator('.lead-head').textContent();
    expect(head).toContain(XSS.jobTitle);
    expect(head).toContain(XSS.company);
    await page.getByTestId('timeline').getByText(XSS.event).waitFor();
    await page.getByTestId('timeline').getByText(XSS.link).waitFor();
    await page.goto(`${base}/leads?q=xss`);
    await page.getByRole('link', { name: `${XSS.firstName} ${XSS.lastName}` }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('script:not([src])').count()).toBe(0);
  });

  it('marketing asks for points learned from outcomes and loads them into the editor as a draft', async () => {
    // Won and lost leads whose chance of a win rises with their pricing-page views.
    await seedOutcomes(t.db, t.workspaceId, { decided: 300, open: 0 }, 9);
    tab = await openTab(browser);
    const { page } = tab;
    await signIn(page, base, 'mia@example.com', passwords.get('mia@example.com') ?? '');
    await page.goto(`${base}/playbook/edit`);
    await page.locator('.cm-content').waitFor();
    await page.getByRole('button', { name: 'Suggest from outcomes' }).click();
    const suggestion = page.getByTestId('suggestion');
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain('From 300 outcomes');
    await suggestion.locator('tr[data-rule="pricing-page"]').waitFor();
    await expectAccessible(page, 'playbook suggestion');
    await expectNoSidewaysScroll(page);
    await suggestion.getByRole('button', { name: 'Load into the editor' }).click();
    await page.getByText('The suggestion is in the editor').waitFor();
    const draft = await page.locator('.cm-content').textContent();
    expect(draft).toContain('(suggested)');
  });
});
