// Regenerates docs/screenshots: the demo funnel in an in-memory database, the built web app,
// Debian's Chromium, each main page at desktop and phone width, signed in as the role that
// uses it. `npm run screenshots` (builds first). Needs `apt-get install -y chromium`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { cliIngestDeps } from '../src/cli/open-from-config.ts';
import { CRM_DEALS, loadDemo } from '../src/demo/load-demo.ts';
import { createTimeTravel } from '../src/demo/time-travel.ts';
import { buildApp } from '../src/server/app.ts';
import { bootstrapWorkspace } from '../src/server/bootstrap-workspace.ts';
import { openDatabase } from '../src/server/db/open-database.ts';
import { createPlaybookStore } from '../src/server/playbooks/playbook-store.ts';
import { retrainAndPredict } from '../src/server/predict/predictive-models.ts';
import { createUser } from '../src/server/users/create-user.ts';
import { defaultWebRoot } from '../src/server/web/serve-web-app.ts';
import { DESKTOP, hasChromium, launchChromium, PHONE } from '../test/browser/launch-chromium.ts';

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;

if (!hasChromium()) {
  process.stderr.write('screenshots need Debian’s Chromium: apt-get install -y chromium\n');
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const database = await openDatabase({ kind: 'pglite', dataDir: null });
const { workspaceId } = await bootstrapWorkspace(database.db);
const time = createTimeTravel();
process.stdout.write(`loading the demo funnel (300 contacts, ${CRM_DEALS} imported deals)…\n`);
await loadDemo({ ...cliIngestDeps(database, undefined, time.clock), travelTo: time.travelTo }, workspaceId, {
  contacts: 300,
  seed: 42,
  months: 6,
  crmDeals: CRM_DEALS,
});
// The predictive model, as the daily job would train it right after the first start.
const trained = await retrainAndPredict(
  { db: database.db, playbooks: createPlaybookStore(database.db), clock: Date.now },
  workspaceId,
  Date.now(),
);
process.stdout.write(
  trained.refused ? `the model did not train: ${trained.refused}\n` : `trained model version ${trained.version}\n`,
);
const passwords = new Map<string, string>();
for (const [email, role] of [
  ['riley@example.com', 'rep'],
  ['casey@example.com', 'rep'],
  ['avery@example.com', 'rep'],
  ['jordan@example.com', 'rep'],
  ['morgan@example.com', 'manager'],
  ['mia@example.com', 'marketing'],
  ['admin@ripen.local', 'admin'],
] as const) {
  const created = await createUser(database.db, workspaceId, { email, role }, 'screenshots', Date.now());
  if (!created.ok) throw new Error(created.error.message);
  passwords.set(email, created.value.password);
}
const { app } = await buildApp({ db: database.db, dbKind: database.kind, webRoot: defaultWebRoot() });
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const hot = await database.db
  .selectFrom('contacts')
  .select(['id', 'company_id'])
  .where('workspace_id', '=', workspaceId)
  .where('stage', '=', 'sql')
  .where('company_id', 'is not', null)
  .orderBy('score', 'desc')
  .limit(1)
  .executeTakeFirstOrThrow();

const browser = await launchChromium();
/**
 * Both widths of the page, or of one element of it (`target`). An element taller than the
 * screen (`tall`) is cut out of the whole page, where the sticky top bar stays at the top
 * instead of covering the element.
 */
async function shoot(page: Page, name: string, target?: Locator, options: { tall?: boolean } = {}) {
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    const path = join(OUT, `${name}-${size}.png`);
    if (target && options.tall) await page.screenshot({ path, fullPage: true, clip: await boxInPage(page, target) });
    else if (target) await target.screenshot({ path });
    else await page.screenshot({ path, fullPage: size === 'phone' });
    process.stdout.write(`${path}\n`);
  }
}
/** Where an element is on the whole page, scrolled to the top (where the sticky top bar is then drawn). */
async function boxInPage(page: Page, target: Locator) {
  await page.evaluate('window.scrollTo(0, 0)');
  const box = await target.boundingBox();
  if (box === null) throw new Error('the element to shoot is not on the page');
  return box;
}
async function as(email: string, visit: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(base);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(passwords.get(email) ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.topbar').waitFor();
  await visit(page);
  await context.close();
}
const settle = (page: Page) => page.waitForLoadState('networkidle');
try {
  await as('riley@example.com', async (page) => {
    await settle(page);
    await shoot(page, 'home-rep');
    await page.goto(`${base}/inbox`);
    await settle(page);
    await shoot(page, 'inbox');
  });
  await as('morgan@example.com', async (page) => {
    await settle(page);
    await shoot(page, 'home-manager');
    await page.goto(`${base}/leads`);
    await settle(page);
    await shoot(page, 'leads');
    await page.goto(`${base}/leads/${hot.id}`);
    await settle(page);
    await shoot(page, 'lead');
    await shoot(page, 'lead-prediction', page.locator('.card').filter({ hasText: 'Predicted chance of a win' }));
    await page.goto(`${base}/analytics/model`);
    await settle(page);
    await shoot(page, 'model');
    await page.goto(`${base}/companies/${hot.company_id}`);
    await settle(page);
    await shoot(page, 'company');
    // A manager may merge a duplicate into a lead: the Duplicates card with its form open.
    await page.goto(`${base}/leads/${hot.id}`);
    await settle(page);
    await page.getByRole('button', { name: 'Merge a duplicate into this lead…' }).click();
    await shoot(page, 'lead-duplicates', page.locator('.card').filter({ hasText: 'Merge into this lead' }));
  });
  await as('admin@ripen.local', async (page) => {
    await page.goto(`${base}/settings/users`);
    await settle(page);
    await shoot(page, 'settings-users');
    await page.goto(`${base}/settings/teams`);
    await settle(page);
    await shoot(page, 'settings-teams');
    await page.goto(`${base}/settings/keys`);
    await settle(page);
    await shoot(page, 'settings-keys');
    await page.goto(`${base}/settings/audit`);
    await settle(page);
    await shoot(page, 'audit-log');
    // An admin's lead page ends with the personal-data card, its erasure form open.
    await page.goto(`${base}/leads/${hot.id}`);
    await settle(page);
    await page.getByRole('button', { name: 'Erase this person…' }).click();
    await shoot(page, 'lead-privacy', page.locator('.card').filter({ hasText: 'Erase permanently' }));
  });
  await as('mia@example.com', async (page) => {
    await settle(page);
    await shoot(page, 'home-marketing');
    await page.goto(`${base}/playbook`);
    await settle(page);
    await shoot(page, 'playbook');
    await page.goto(`${base}/playbook/edit`);
    await page.locator('.cm-content').waitFor();
    await settle(page);
    await shoot(page, 'playbook-editor');
    // A draft with a lower MQL bar (engagement 35 instead of 50), as the editor keeps it between
    // visits, backtested over the last three months.
    const active = await database.db
      .selectFrom('playbook_versions')
      .select(['version', 'source'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const lowerBar = active.source.replace('fit >= 50 and engagement >= 50', 'fit >= 50 and engagement >= 35');
    if (lowerBar === active.source) throw new Error('the published playbook has no `engagement >= 50` bar to lower');
    const saved = JSON.stringify({ base: active.version, source: lowerBar });
    await page.evaluate(`localStorage.setItem('ripen.playbookDraft', ${JSON.stringify(saved)})`);
    await page.reload();
    await page.locator('.cm-content').waitFor();
    const backtest = page
      .locator('.card')
      .filter({ has: page.getByRole('heading', { name: 'Backtest', exact: true }) });
    await backtest.getByRole('button', { name: 'Backtest on history' }).click();
    await backtest.getByTestId('backtest-chart').locator('canvas').waitFor({ timeout: 120_000 });
    await shoot(page, 'playbook-backtest', backtest, { tall: true });
    // Back to the published version in the editor for what follows.
    await page.evaluate(`localStorage.removeItem('ripen.playbookDraft')`);
    await page.reload();
    await page.locator('.cm-content').waitFor();
    // Points learned from the demo's won and lost leads, before they are loaded into the editor.
    await page.getByRole('button', { name: 'Suggest from outcomes' }).click();
    const suggestion = page.locator('.card').filter({ has: page.getByTestId('suggestion') });
    await suggestion.waitFor();
    await settle(page);
    await shoot(page, 'playbook-suggestion', suggestion, { tall: true });
    // The funnel reports, then the leads behind the MQL figure in their side panel.
    await page.goto(`${base}/analytics`);
    await settle(page);
    await page.locator('.report-chart canvas').first().waitFor();
    await shoot(page, 'analytics');
    await page.getByTestId('funnel-stages').getByRole('row', { name: /MQL/ }).getByRole('button').click();
    await page.getByTestId('leads-behind').getByRole('link').first().waitFor();
    await shoot(page, 'analytics-leads');
  });
} finally {
  await browser.close();
  await app.close();
  await database.close();
}
