import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { startTestServer, webDir } from '../helpers/server.ts';
import { silentLog } from '../helpers/jobs.ts';
import { createJobRunner, type JobRunner } from '../../src/server/lib/job-runner.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/seed.ts';

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

// --- The shared setup of a browser test file ----------------------------------------------------

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
export type Viewport = { width: number; height: number };

/** A browser of a journey: what launchBrowser gives, and the problems its page has had so far. */
export interface JourneyBrowser extends Browser {
  /** Page errors (uncaught exceptions in the page) and console errors, in the order they came. */
  problems: string[];
}

export interface Journey {
  /** The app server (API + the built web app from dist/web) on a fresh seeded database; started in beforeAll. */
  readonly server: TestServer;
  /** An absolute address on the server. */
  url(path: string): string;
  /**
   * A new headless Chromium (closed in afterAll) whose page errors and console errors are collected in its
   * `problems` and in the journey's. Console errors whose text matches `allowConsole` are not problems; by
   * default the ones Chromium logs for a 4xx answer the UI handles (refused input, 401 before sign-in).
   */
  open(viewport?: Viewport, opts?: { allowConsole?: RegExp }): Promise<JourneyBrowser>;
  /** Signs in through the sign-in page (demo password unless another is given) and waits for the start page. */
  signIn(page: Page, email: string, password?: string): Promise<void>;
  /** Every problem of every browser this file has opened. */
  readonly problems: readonly string[];
  /** The job runner (with `jobs: true`): stop it to see jobs wait, start it again to let them run. */
  readonly jobs: { stop(): Promise<void>; start(): void };
}

/**
 * The setup every browser test file shares: registers beforeAll (start the server, and with `jobs` a job
 * runner polling every 150 ms as main.ts does), afterAll (stop the runner, close every browser opened
 * through `open`, close the server) and afterEach (a test fails on any page error or console error that
 * arose during it, even where the test does not look at `problems` itself). Call it at the top of the file;
 * hooks the file registers after it run after its beforeAll and before its afterAll.
 * `env`: the server's environment; a function when it is known only in an earlier beforeAll of the file.
 */
export function useBrowserJourney(opts: { env?: Record<string, string> | (() => Record<string, string>); jobs?: boolean } = {}): Journey {
  if (!fs.existsSync(`${webDir}/index.html`)) {
    throw new Error(`The browser test needs the built web app, but ${webDir}/index.html is missing: run \`npx vite build\` (or \`npm run build\`) first.`);
  }
  let server: TestServer | undefined;
  let runner: JobRunner | undefined;
  const browsers: Browser[] = [];
  const problems: string[] = [];
  let checked = 0;
  const started = () => {
    if (!server) throw new Error('the journey\'s server is not started yet: use it in a test or in a beforeAll registered after useBrowserJourney()');
    return server;
  };
  const startRunner = () => {
    const s = started();
    runner = createJobRunner({ db: s.database.db, config: s.config, log: silentLog, handlers: s.app.contributions.jobHandlers, recurring: [], pollMs: 150 });
    runner.start();
  };

  beforeAll(async () => {
    server = await startTestServer({ env: typeof opts.env === 'function' ? opts.env() : opts.env });
    if (opts.jobs) startRunner();
  });
  afterEach(() => {
    const fresh = problems.slice(checked);
    checked = problems.length;
    expect(fresh, 'page errors and console errors during this test').toEqual([]);
  });
  afterAll(async () => {
    await runner?.stop();
    await Promise.all(browsers.map((b) => b.close()));
    await server?.close();
  });

  // The server's parts, read when used (the server starts in beforeAll, after the file has been loaded).
  const lazyServer: TestServer = {
    get url() { return started().url; },
    get app() { return started().app; },
    get database() { return started().database; },
    get config() { return started().config; },
    close: () => started().close(),
  };

  return {
    server: lazyServer,
    url: (p) => new URL(p, started().url).toString(),
    async open(viewport, { allowConsole = /status of 4\d\d/ } = {}) {
      const b = await launchBrowser({ viewport });
      browsers.push(b);
      const own: string[] = [];
      const problem = (text: string) => {
        own.push(text);
        problems.push(text);
      };
      b.page.on('pageerror', (err) => problem(`page error: ${err.stack ?? err.message}`));
      b.page.on('console', (msg) => {
        if (msg.type() === 'error' && !allowConsole.test(msg.text())) problem(`console: ${msg.text()} ${msg.location().url}`);
      });
      return { ...b, problems: own };
    },
    signIn: (page, email, password = DEMO_PASSWORD) => signInAs(page, started().url, email, password),
    problems,
    jobs: {
      stop: async () => {
        await runner?.stop();
        runner = undefined;
      },
      start: () => {
        if (!opts.jobs) throw new Error('useBrowserJourney({ jobs: true }) starts the job runner');
        if (!runner) startRunner();
      },
    },
  };
}
