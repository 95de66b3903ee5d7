/**
 * Issue #13 items 4–7 in a real browser, at desktop and phone size, with axe on every page visited:
 * the grouped side menu with exactly one aria-current on every page, the phone menu closing when a link is
 * chosen (also the link to the page already shown), breadcrumbs on detail pages, case tabs, the start page's
 * agenda, wide tables that say they scroll, and the police partner's view: what is shared (nothing yet, and
 * whom to ask; then the shared incident), and no disabled or failing action on any of their pages.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, field, h1, useBrowserJourney } from './browser.ts';
import { CATEGORY_NAMES_EN } from '../../src/web/i18n/categories.ts';

const journey = useBrowserJourney();
const { url } = journey;

const PHONE = { width: 375, height: 800 };

/** A browser signed in as `email`, collecting page errors, console errors (a 401 before sign-in aside) and refused API calls. */
async function as(email: string, viewport?: { width: number; height: number }) {
  const b = await journey.open(viewport, { allowConsole: /status of 401/ });
  const refused: string[] = [];
  // A page that offers only what the person may do never gets a 403 or 404 from the API.
  b.page.on('response', (r) => {
    if (r.url().includes('/api/') && (r.status() === 403 || r.status() === 404)) refused.push(`${r.request().method()} ${r.url()} → ${r.status()}`);
  });
  await journey.signIn(b.page, email);
  return { ...b, refused };
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Huvudmeny' });
const menuButton = (page: Page) => page.getByRole('button', { name: 'Meny' });

/** Exactly one element carries aria-current, and it is `name` (polled: the page may still be loading its chunk). */
async function oneCurrent(page: Page, name: string | RegExp, where: string) {
  const current = () => page.evaluate(() => [...document.querySelectorAll('[aria-current]')].map((e) => (e.textContent ?? '').trim()));
  await expect
    .poll(async () => {
      const c = await current();
      return c.length === 1 && (typeof name === 'string' ? c[0] === name : name.test(c[0]!));
    }, { message: `one aria-current, ${String(name)}, on ${where}` })
    .toBe(true);
  await page.waitForLoadState('networkidle');
  expect(await current(), `aria-current on ${where} after loading`).toHaveLength(1);
}

/** No two landmarks of one kind share a name (issue #13 item 9: the follow-up pages had two "Översikt" regions). */
async function uniqueLandmarks(page: Page, where: string) {
  const landmarks = await page.evaluate(() => {
    const nameOf = (el: Element) =>
      el.getAttribute('aria-label') ??
      (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .join(' ')
        .trim();
    const kindOf = (el: Element) => el.getAttribute('role') ?? ({ NAV: 'navigation', SECTION: 'region', FORM: 'form', ASIDE: 'complementary' } as Record<string, string>)[el.tagName] ?? '';
    return [...document.querySelectorAll('nav, section[aria-label], section[aria-labelledby], form[aria-label], form[aria-labelledby], aside, [role="region"], [role="search"], [role="navigation"]')]
      .filter((el) => (el as HTMLElement).offsetParent !== null || el.getClientRects().length > 0)
      .map((el) => `${kindOf(el)}: ${nameOf(el)}`);
  });
  const seen = new Set<string>();
  const twice = landmarks.filter((l) => (seen.has(l) ? true : (seen.add(l), false)));
  expect(twice, `landmarks named twice on ${where}`).toEqual([]);
}

async function heading(page: Page, text: string | RegExp) {
  await h1(page).filter({ hasText: text }).waitFor();
}

/** Follows a menu link (opening the phone menu first when it is closed) and waits for the page. */
async function follow(page: Page, link: string, title: string | RegExp = link) {
  const button = menuButton(page);
  if ((await button.isVisible()) && (await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const a = nav(page).getByRole('link', { name: link, exact: true });
  const href = (await a.getAttribute('href'))!;
  await a.click();
  await page.waitForURL((u) => u.pathname === href);
  await heading(page, title);
}

async function noHorizontalScroll(page: Page, label: string) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, `horizontal scroll on ${label}`).toBeLessThanOrEqual(client);
}

/** No action shown that the person may not take: no disabled button or link on the page. */
async function noDisabledActions(page: Page, where: string) {
  const disabled = await page.evaluate(() =>
    [...document.querySelectorAll('main button:disabled, main [aria-disabled="true"], main input[type="submit"]:disabled')].map((e) => (e.textContent ?? '').trim()),
  );
  expect(disabled, `disabled actions on ${where}`).toEqual([]);
}

describe('navigation that scales (issue #13 item 5)', () => {
  it('groups the side menu, keeps one aria-current on every page and shows breadcrumbs on detail pages (desktop)', async () => {
    const { page, problems } = await as('admin@lund.example');
    await heading(page, 'Välkommen, Alva Administratör');
    // The groups, in order; preparedness has no pages yet and is hidden.
    const groups = await nav(page).locator('.nav-group-title').allTextContents();
    expect(groups).toEqual(['Mitt arbete', 'Händelser och lägesbild', 'Ärenden, remisser och styrdokument', 'Program och uppföljning', 'Administration']);
    expect(await nav(page).locator('.nav-group').filter({ hasText: 'Administration' }).getByRole('link').allTextContents()).toEqual(['Delningar', 'Organisationer', 'Användare', 'Logg', 'Utkorg', 'Jobb']);
    await expect(menuButton(page).isVisible()).resolves.toBe(false);
    await oneCurrent(page, 'Start', 'start');
    await checkA11y(page, 'start page with agenda');
    // The agenda: the administrator reports for every committee, so reports are due.
    await page.getByRole('heading', { level: 2, name: 'Att göra nu' }).waitFor();
    await page.getByRole('heading', { level: 3, name: /Rapporter att lämna/ }).waitFor();
    // The administrator is the sharing side, not a partner.
    expect(await page.getByRole('region', { name: /Delat med er/ }).count()).toBe(0);

    for (const [link, title] of [
      ['Händelser', 'Händelser'],
      ['Lägesbild', 'Lägesbild'],
      // The weekly view lies under /lagesbild: it alone is current, not the map as well.
      ['Veckolägesbild', 'Veckolägesbild'],
      ['Lägesbildsrapporter', 'Lägesbildsrapporter'],
      ['Remisser till oss', 'Remisser till oss'],
      ['Styrdokument', 'Styrdokument'],
      ['Program', /Program/],
      ['Uppföljning', 'Uppföljning'],
      ['Jobb', 'Jobb'],
    ] as const) {
      await follow(page, link, title);
      await oneCurrent(page, link, link);
      await uniqueLandmarks(page, link);
      await checkA11y(page, link);
    }
    // A follow-up round's page: the overview and the reports are regions of their own names.
    await follow(page, 'Uppföljning');
    await page.getByRole('link', { name: 'Tertial 3 2026' }).click();
    await heading(page, 'Uppföljning: Tertial 3 2026');
    await page.getByRole('table', { name: 'Rapporteringsläge per organisation' }).waitFor();
    await oneCurrent(page, 'Uppföljning', 'round page');
    await uniqueLandmarks(page, 'round page');
    await checkA11y(page, 'round page');
    await follow(page, 'Diarium');

    // The registry: one search box.
    expect(await page.getByRole('searchbox').count()).toBe(1);
    // A case: breadcrumb back to the registry; the tabs carry the one aria-current, the menu only highlights Diarium.
    await page.getByRole('link', { name: 'KS 2018/0316' }).click();
    await heading(page, /Förslag till program/);
    const crumbs = page.getByRole('navigation', { name: 'Du är här' });
    await crumbs.getByRole('link', { name: 'Diarium' }).waitFor();
    await crumbs.getByText('KS 2018/0316').waitFor();
    const tabs = page.getByRole('navigation', { name: 'Ärendets delar, KS 2018/0316' });
    await oneCurrent(page, 'Översikt och handlingar', 'case overview');
    expect(await tabs.locator('a[aria-current="page"]').count()).toBe(1);
    // Styled as tabs: in a row, not a bulleted list.
    const tabStyle = await tabs.locator('ul').evaluate((ul) => ({ display: getComputedStyle(ul).display, bullets: getComputedStyle(ul).listStyleType }));
    expect(tabStyle).toEqual({ display: 'flex', bullets: 'none' });
    await checkA11y(page, 'case page');
    await tabs.getByRole('link', { name: 'Remiss', exact: true }).click();
    await page.waitForURL(/\/remiss$/);
    await oneCurrent(page, 'Remiss', 'case remiss tab');
    await checkA11y(page, 'case remiss tab');
    // Back through the breadcrumb.
    await page.getByRole('navigation', { name: 'Du är här' }).getByRole('link', { name: 'Diarium' }).click();
    await heading(page, 'Diarium');
    await oneCurrent(page, 'Diarium', 'registry after breadcrumb');

    // An incident: breadcrumb to Händelser; the menu's Händelser is current.
    await follow(page, 'Händelser');
    await page.locator('main a[href^="/handelser/"]').first().click();
    await page.getByRole('navigation', { name: 'Du är här' }).getByRole('link', { name: 'Händelser' }).waitFor();
    await oneCurrent(page, 'Händelser', 'incident page');
    await checkA11y(page, 'incident page');

    // A plan action (from the agenda on the start page): breadcrumb to Program.
    await follow(page, 'Start', /Välkommen/);
    await page.locator('main a[href^="/atgarder/"]').first().click();
    await page.getByRole('navigation', { name: 'Du är här' }).getByRole('link', { name: 'Program' }).waitFor();
    await oneCurrent(page, 'Program', 'action page');
    await checkA11y(page, 'action page');
    expect(problems).toEqual([]);
  });

  it('on a phone the menu opens, closes when a link is chosen (the current page too, and by Escape), and wide tables say that they scroll', async () => {
    const { page, problems } = await as('admin@lund.example', PHONE);
    await heading(page, /Välkommen/);
    const menu = menuButton(page);
    await expect(nav(page).getByRole('link', { name: 'Diarium' }).isVisible()).resolves.toBe(false);
    await noHorizontalScroll(page, 'start at 375 px');
    await checkA11y(page, 'start at 375 px');

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await checkA11y(page, 'menu open at 375 px');
    await nav(page).getByRole('link', { name: 'Diarium', exact: true }).click();
    await heading(page, 'Diarium');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await expect(nav(page).isVisible()).resolves.toBe(false);
    await oneCurrent(page, 'Diarium', 'registry at 375 px');
    await noHorizontalScroll(page, 'registry at 375 px');

    // The registry's table is wider than a phone: a focusable, labelled scroll region that says it scrolls.
    const wide = page.locator('.table-wrap[data-scrolls]').first();
    await wide.waitFor();
    expect(await wide.getAttribute('tabindex')).toBe('0');
    expect(await wide.getAttribute('role')).toBe('region');
    expect(await wide.getAttribute('aria-label')).toMatch(/Diarium.*rulla i sidled/);
    const hint = await wide.evaluate((el) => getComputedStyle(el, '::before').content);
    expect(hint).toContain('rulla i sidled');
    await checkA11y(page, 'registry at 375 px');

    // Choosing the page already shown closes the menu too (the path does not change).
    await menu.click();
    await nav(page).getByRole('link', { name: 'Diarium', exact: true }).click();
    await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');

    // Escape closes it and gives focus back to the button.
    await menu.click();
    await nav(page).getByRole('link', { name: 'Start', exact: true }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
    await page.waitForFunction(() => document.activeElement?.classList.contains('menu-button'));

    for (const [link, title] of [
      ['Remisser till oss', 'Remisser till oss'],
      ['Uppföljning', 'Uppföljning'],
      ['Användare', 'Användare'],
    ] as const) {
      await follow(page, link, title);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await oneCurrent(page, link, `${link} at 375 px`);
      await noHorizontalScroll(page, `${link} at 375 px`);
      await checkA11y(page, `${link} at 375 px`);
    }
    expect(problems).toEqual([]);
  });
});

describe("the police partner's view (issue #13 item 4)", () => {
  /** Every page in the partner's menu: one aria-current, no disabled action, no refused call, no puzzling empty text; axe. */
  async function visitAll(page: Page, refused: string[], size: string) {
    const links = await page.locator('#main-nav a').allTextContents();
    expect(links).toEqual(['Start', 'Aviseringar', 'Rapportera händelse', 'Delat med oss', 'Händelser', 'Lägesbild', 'Styrdokument', 'Program', 'Organisationer']);
    for (const link of links) {
      await follow(page, link, link === 'Start' ? /Välkommen/ : /./);
      await oneCurrent(page, link, `${link} (${size})`);
      await noDisabledActions(page, `${link} (${size})`);
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text, `${link}: "0 av 0"`).not.toMatch(/\b0 av 0\b/);
      // No filter is set: "match the filter" would be wrong.
      expect(text, `${link}: filter text without a filter`).not.toMatch(/matchar filtret|med de valda filtren/);
      await checkA11y(page, `${link} as the police (${size})`);
    }
    // A programme's page: no plan export the police may not make (it needs program.read on the municipality).
    await follow(page, 'Program', /Program/);
    await page.locator('main a[href^="/program/"]').first().click();
    await page.getByRole('heading', { level: 2, name: 'Måluppfyllelse och genomförande' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('heading', { name: 'Exportera planen' }).count()).toBe(0);
    await noDisabledActions(page, `programme (${size})`);
    await checkA11y(page, `programme as the police (${size})`);
    expect(refused, `refused API calls (${size})`).toEqual([]);
  }

  it('says that nothing is shared yet and whom to ask, offers only what they may do, then shows the shared incident (desktop)', async () => {
    const { page, problems, refused } = await as('polisen@lund.example');
    await heading(page, 'Välkommen, Petra Polis');
    const shared = page.getByRole('region', { name: 'Delat med er från Lunds kommun' });
    await shared.getByText('Inget är delat med er ännu.', { exact: false }).waitFor();
    await shared.getByRole('link', { name: 'samordnare@lund.example' }).waitFor();
    await shared.getByText(/Sam Samordnare/).waitFor();
    await checkA11y(page, 'police start, nothing shared');
    await visitAll(page, refused, 'desktop');

    // The coordinator shares one incident with the police.
    const coordinator = await as('samordnare@lund.example');
    const incidents = await (await coordinator.page.request.get(url('/api/incidents?limit=1'))).json();
    const orgs = await (await coordinator.page.request.get(url('/api/organisations'))).json();
    const police = orgs.items.find((o: { name: string }) => o.name === 'Polismyndigheten');
    const endsOn = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const res = await coordinator.page.request.post(url('/api/shares'), {
      data: { recordType: 'incident', recordId: incidents.items[0].id, partnerOrganisationId: police.id, reason: 'Gemensam genomgång', endsOn },
    });
    expect(res.status()).toBe(201);

    await follow(page, 'Start', /Välkommen/);
    await shared.getByText('1 uppgift är delad med er just nu', { exact: false }).waitFor();
    await checkA11y(page, 'police start, one share');
    await shared.locator('a[href^="/delat/"]').first().click();
    await page.waitForURL(/\/delat\/[0-9a-f-]+$/);
    await oneCurrent(page, 'Delat med oss', 'shared record');
    await checkA11y(page, 'shared record as the police');
    expect(refused).toEqual([]);
    expect([...problems, ...coordinator.problems]).toEqual([]);
  });

  it('the same on a phone', async () => {
    const { page, problems, refused } = await as('polisen@lund.example', PHONE);
    await heading(page, 'Välkommen, Petra Polis');
    await page.getByRole('region', { name: 'Delat med er från Lunds kommun' }).waitFor();
    await noHorizontalScroll(page, 'police start at 375 px');
    await visitAll(page, refused, 'phone');
    expect(problems).toEqual([]);
  });
});

describe('the start page for a reporter (issue #13 item 6)', () => {
  it('shows the reports due for their committee, with the deadline in words', async () => {
    const { page, problems } = await as('rapportor.son@lund.example', PHONE);
    await heading(page, 'Välkommen, Rasmus Rapportör');
    const reports = page.getByRole('region', { name: /Rapporter att lämna/ });
    await reports.getByText(/Senast \d{4}-\d{2}-\d{2}/).first().waitFor();
    expect(await reports.getByText('Socialnämnden', { exact: false }).count()).toBeGreaterThan(0);
    // A reporter handles no cases: no remiss or assignment lists.
    expect(await page.getByRole('region', { name: /Remisser att besvara/ }).count()).toBe(0);
    await checkA11y(page, 'reporter start at 375 px');
    await noHorizontalScroll(page, 'reporter start at 375 px');
    expect(problems).toEqual([]);
  });
});

describe('small things (issue #13 item 9)', () => {
  it("the registering body defaults to the user's own, the record dialog speaks of the record, the place is marked required, job types have names, category names are translated", async () => {
    // The registrar belongs to Kommunkontoret, under Kommunstyrelsen: KS, not the council (first in the list).
    const reg = await as('registrator@lund.example');
    await follow(reg.page, 'Diarium');
    await reg.page.getByRole('button', { name: 'Registrera ärende' }).click();
    const register = reg.page.getByRole('dialog', { name: 'Registrera ärende' });
    await register.waitFor();
    const body = register.getByLabel(/^Registrerande organ/);
    await expect.poll(async () => (await body.locator('option:checked').textContent())?.trim()).toMatch(/^Kommunstyrelsen/);
    await checkA11y(reg.page, 'register case dialog');
    await register.getByRole('button', { name: 'Avbryt' }).click();
    await reg.page.getByRole('link', { name: 'KS 2018/0316' }).click();
    await reg.page.getByRole('button', { name: 'Registrera handling' }).click();
    const record = reg.page.getByRole('dialog', { name: /Registrera handling i KS 2018\/0316/ });
    await record.getByText('Lämna tomt om handlingen inte ska sekretessmarkeras.', { exact: false }).waitFor();
    expect(await record.getByText('om ärendet inte ska', { exact: false }).count()).toBe(0);
    await checkA11y(reg.page, 'record dialog');

    // "Var hände det?" is required (a place or a position) and says so.
    const rep = await as('rapportor.son@lund.example', PHONE);
    await follow(rep.page, 'Rapportera händelse');
    await rep.page.locator('legend').filter({ hasText: /^Var hände det\? \(obligatoriskt\)$/ }).waitFor();
    await checkA11y(rep.page, 'report form at 375 px');

    // Submitting a report is confirmed in the primary colour, not red like a deletion.
    await follow(rep.page, 'Mina uppgifter');
    const task = rep.page.getByRole('article').filter({ has: rep.page.getByRole('button', { name: 'Skicka in' }) }).first();
    await field(task, 'Åtgärdens status').selectOption({ label: 'Pågår' });
    await field(task, 'Genomförandegrad (0–100 %)').fill('40');
    await field(task, 'Vad har gjorts').fill('Utbildning planerad');
    await task.getByRole('button', { name: 'Skicka in' }).click();
    const confirm = rep.page.getByRole('alertdialog', { name: 'Skicka in rapporten?' });
    const send = confirm.getByRole('button', { name: 'Skicka in' });
    expect(await send.getAttribute('class')).toContain('btn-primary');
    expect(await send.getAttribute('class')).not.toContain('btn-danger');
    await checkA11y(rep.page, 'submit confirmation');
    await confirm.getByRole('button', { name: 'Avbryt' }).click();

    // Job types by name: an invitation puts an e-mail job in the queue.
    const admin = await as('admin@lund.example');
    const orgs = await (await admin.page.request.get(url('/api/organisations'))).json();
    const son = orgs.items.find((o: { name: string }) => o.name === 'Socialnämnden');
    const invited = await admin.page.request.post(url('/api/users'), { data: { email: 'ny.person@lund.example', name: 'Ny Person', homeOrganisationId: son.id } });
    expect(invited.status()).toBe(201);
    await follow(admin.page, 'Jobb');
    await admin.page.getByRole('cell', { name: /^Skicka e-post/ }).first().waitFor();
    await checkA11y(admin.page, 'jobs with names');

    // A position in words before its coordinates.
    const list = await (await admin.page.request.get(url('/api/incidents?limit=100'))).json();
    const placed = list.items.find((i: { location: unknown }) => i.location);
    expect(placed, 'a demo incident with a position').toBeTruthy();
    await admin.page.goto(url(`/handelser/${placed.id}`));
    const position = admin.page.getByRole('definition').filter({ has: admin.page.getByTestId('position-text') });
    await position.getByText(/(inom|utanför) kommungränsen/i).waitFor();
    await checkA11y(admin.page, 'incident with a readable position');

    // In English the seeded categories have English names; the stored (Swedish) name otherwise.
    await admin.page.getByRole('button', { name: 'English' }).click();
    // The incident's own heading is its category's English name.
    await heading(admin.page, CATEGORY_NAMES_EN[placed.categoryKey]!);
    await admin.page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Incidents', exact: true }).click();
    await heading(admin.page, 'Incidents');
    const options = () => admin.page.getByLabel('Category').locator('option').allTextContents();
    await expect.poll(options).toContain('Vandalism');
    expect(await options()).not.toContain('Skadegörelse');
    await checkA11y(admin.page, 'incidents in English');
    await admin.page.getByRole('button', { name: 'Svenska' }).click();
    await heading(admin.page, 'Händelser');
    expect([...reg.problems, ...rep.problems, ...admin.problems]).toEqual([]);
  });
});
