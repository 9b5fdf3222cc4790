import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DESKTOP, PHONE } from './launch-chromium.ts';

/** Where browser tests save their screenshots (README: "Screenshots"). */
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'screenshots');

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * A browser tab that records what must never happen — a dialog (an injected script ran), a
 * Content-Security-Policy violation, an uncaught error — so tests can assert there was none.
 */
export async function openTab(browser: Browser, viewport: { width: number; height: number } = DESKTOP) {
  const context: BrowserContext = await browser.newContext({ viewport, locale: 'en-GB' });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (globalThis as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  let confirmations = 0;
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'confirm' && confirmations > 0) {
      confirmations--;
      void dialog.accept();
      return;
    }
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    page,
    context,
    problems,
    /** Dialogs, page errors and CSP violations so far (none expected). */
    async troubles(): Promise<string[]> {
      const csp = await page.evaluate(
        () => (globalThis as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
      );
      return [...problems, ...csp.map((violation) => `CSP violation: ${violation}`)];
    },
    /** The next confirmation the app asks for (publish, remove) is accepted, and not a trouble. */
    acceptNextConfirm() {
      confirmations++;
    },
    close: () => context.close(),
  };
}

export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.topbar').waitFor();
}

/** axe-core, injected by the test (not served by Ripen): fails on serious or critical violations. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (options: object) => Promise<{
            violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    }));
  });
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious, `${name}: accessibility violations`).toEqual([]);
}

/** Saves the page at desktop width, then at phone width (checking nothing overflows sideways). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-desktop.png`) });
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(100);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(before);
}

/** At phone width the page must not scroll sideways (wide tables scroll inside their own box). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(100);
  const { width, culprits } = await page.evaluate((limit) => {
    // The innermost elements whose right edge passes the screen's: what to fix.
    const clipped = (element: Element) => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible')
          return parent.getBoundingClientRect().right <= limit + 0.5;
      }
      return false;
    };
    const wide = [...document.querySelectorAll('body *')].filter(
      (element) => element.getBoundingClientRect().right > limit + 0.5 && !clipped(element),
    );
    const innermost = wide.filter((element) => !wide.some((other) => other !== element && element.contains(other)));
    return {
      width: document.documentElement.scrollWidth,
      culprits: innermost
        .slice(0, 5)
        .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`),
    };
  }, PHONE.width);
  await page.setViewportSize(before);
  expect(width, `wider than the phone: ${culprits.join(', ')}`).toBeLessThanOrEqual(PHONE.width);
}
