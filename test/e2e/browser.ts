import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { vi } from 'vitest';

// A browser journey walks many pages; on a loaded 2-core CI machine one can take three times as long
// as alone (the follow-up journey: 18 s alone, over the 60 s default in CI). Every file that drives a
// browser imports this module, so the journeys get a longer limit here rather than one by one.
vi.setConfig({ testTimeout: 180_000 });

const require = createRequire(import.meta.url);

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the Chromium that @sparticuz/chromium unpacks. */
export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const sparticuz = (await import('@sparticuz/chromium')).default;
  return sparticuz.executablePath();
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A headless Chromium with a throw-away profile; console errors and failed requests are collected. */
export async function launchBrowser(opts: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-chromium-'));
  const executablePath = await chromiumPath();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

const axeSource = () => fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Injects node_modules/axe-core/axe.min.js and runs axe (WCAG 2.0/2.1 A and AA) on the page as it is now; throws with a readable list on any violation. */
export async function checkA11y(page: Page, label = page.url()): Promise<void> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  // Not page.addScriptTag: the app's CSP (script-src 'self') rightly blocks inline scripts, and the test
  // keeps that CSP in force. Evaluating through the DevTools protocol is not subject to it.
  if (!hasAxe) await page.evaluate(axeSource());
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations;
  }) as AxeViolation[];
  if (violations.length === 0) return;
  const text = violations
    .map(
      (v) =>
        `• ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n  ${v.helpUrl}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    at ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
          .join('\n'),
    )
    .join('\n');
  throw new Error(`axe found ${violations.length} accessibility violation(s) on ${label}:\n${text}`);
}

// --- Page helpers shared by the browser tests ---------------------------------------------------

/** The page's h1. */
export const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A form field by its exact label, also when the label carries the "(obligatoriskt)" / "(required)" marker. */
export const field = (scope: Pick<Page, 'getByLabel'>, label: string) =>
  scope.getByLabel(new RegExp(`^${escapeRe(label)}( \\((obligatoriskt|required)\\))?$`));

/** Signs in through the sign-in page (demo password) and waits for the start page. */
export async function signInAs(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(new URL('/logga-in', baseUrl).toString());
  await h1(page).filter({ hasText: /Logga in|Sign in/ }).waitFor();
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await h1(page).filter({ hasText: /Välkommen/ }).waitFor();
}

/** Polls `fn` until it gives a value (not in the browser: for mails, jobs and rows the page caused). */
export async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The open dialog by its name, checked with axe while it is open. */
export async function dialog(page: Page, name: string | RegExp) {
  const d = page.getByRole('dialog', { name });
  await d.waitFor();
  await checkA11y(page, `dialog ${String(name)}`);
  return d;
}
