/**
 * Issue #11 item 8 in a real browser: a reporter whose follow-up report is returned sees it under
 * Aviseringar (through the header's bell and the menu), marks it read and all read, chooses e-mail
 * preferences and makes a calendar address on the account page; the feed holds the report's deadline, and
 * after revoking (with confirmation) the address answers 404. Axe on every page and dialog.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, escapeRe, h1, useBrowserJourney } from './browser.ts';

const journey = useBrowserJourney();
const { url } = journey;

/** A browser signed in as `email`. */
async function open(email: string) {
  const b = await journey.open();
  await journey.signIn(b.page, email);
  return b;
}

/** The reporter submits an open report, the coordinator returns it (through the API, as the pages do). */
async function returnedReport(reporter: Page, coordinator: Page) {
  const mine = (await (await reporter.request.get(url('/api/follow-up-reports?mine=true'))).json()).items as { id: string; version: number; state: string; roundStatus: string; actionTitle: string }[];
  const r = mine.find((x) => x.roundStatus === 'open' && x.state !== 'submitted')!;
  const sub = await reporter.request.post(url(`/api/follow-up-reports/${r.id}/submit`), { data: { version: r.version, actionStatus: 'in_progress', progress: 40 } });
  expect(sub.status(), await sub.text()).toBe(200);
  const ret = await coordinator.request.post(url(`/api/follow-up-reports/${r.id}/return`), { data: { version: (await sub.json()).version, comment: 'Ange antal deltagare.' } });
  expect(ret.status(), await ret.text()).toBe(200);
  return r;
}

describe('notifications in the browser', () => {
  it('a reporter sees the returned report, marks read, and makes and revokes a calendar address', async () => {
    const coordinator = await open('samordnare@lund.example');
    const reporter = await open('rapportor.son@lund.example');
    const page = reporter.page;
    const report = await returnedReport(page, coordinator.page);

    await page.goto(url('/'));
    await h1(page).filter({ hasText: /Välkommen/ }).waitFor();
    // The header's bell says how many are unread.
    const bell = page.getByRole('banner').getByRole('link', { name: /^Aviseringar\W*\d+ olästa?$/ });
    await bell.waitFor();
    await bell.click();
    await h1(page).filter({ hasText: 'Aviseringar' }).waitFor();
    const item = page.locator('li.notification', { hasText: 'Återsänd rapport' }).filter({ hasText: report.actionTitle });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('Ange antal deltagare.');
    // The menu marks Aviseringar as the current page.
    await expect(page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Aviseringar' }).getAttribute('aria-current')).resolves.toBe('page');
    await checkA11y(page, 'Aviseringar');

    await item.getByRole('button', { name: new RegExp(`^Markera som läst\\W+${escapeRe(report.actionTitle)}$`) }).click();
    await item.getByText('Läst', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Markera alla som lästa' }).click();
    await page.getByText('Alla aviseringar är markerade som lästa.').waitFor();
    await page.getByRole('banner').getByRole('link', { name: 'Aviseringar', exact: true }).waitFor();
    await checkA11y(page, 'Aviseringar, alla lästa');

    // The account page: e-mail choices and the calendar address.
    await page.goto(url('/konto'));
    await h1(page).filter({ hasText: 'Mitt konto' }).waitFor();
    const mail = page.getByLabel('När en uppföljningsrapport jag har lämnat skickas tillbaka');
    await expect(mail.isChecked()).resolves.toBe(true);
    await mail.uncheck();
    await page.getByRole('button', { name: 'Spara e-postval' }).click();
    await page.getByText('E-postvalen är sparade.').waitFor();
    expect((await (await page.request.get(url('/api/me/notification-settings'))).json()).emailKinds).toEqual([]);

    await page.getByRole('button', { name: 'Skapa kalenderadress' }).click();
    const address = page.getByLabel('Din kalenderadress');
    await address.waitFor();
    const feedUrl = await address.inputValue();
    expect(feedUrl).toMatch(/\/api\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    await checkA11y(page, 'Mitt konto med kalenderadress');
    // Fetched without a session, as a calendar program does.
    const anon = await journey.open();
    const feed = await anon.page.request.get(url(new URL(feedUrl).pathname));
    expect(feed.status()).toBe(200);
    expect(feed.headers()['content-type']).toMatch(/^text\/calendar/);
    const mine = (await (await page.request.get(url('/api/me/notifications'))).json()).items as { id: string; dueOn: string | null }[];
    const deadline = mine.find((i) => i.id.startsWith('report:'))!;
    expect(await feed.text()).toContain(`DTSTART;VALUE=DATE:${deadline.dueOn!.replace(/-/g, '')}`);

    // Revoking asks first; then the address answers 404 with a Swedish message.
    await page.getByRole('button', { name: 'Återkalla adressen' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Återkalla adressen' });
    await confirm.waitFor();
    await checkA11y(page, 'bekräfta återkallelse');
    await confirm.getByRole('button', { name: 'Återkalla adressen' }).click();
    await page.getByText('Kalenderadressen är återkallad.').waitFor();
    const gone = await anon.page.request.get(url(new URL(feedUrl).pathname));
    expect(gone.status()).toBe(404);
    expect((await gone.json()).error.message).toMatch(/återkallats/);
    await page.getByRole('button', { name: 'Skapa kalenderadress' }).waitFor();
    await checkA11y(page, 'Mitt konto');
    expect([...reporter.problems, ...coordinator.problems]).toEqual([]);
  });
});
