import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createCase, signIn as cookieFor } from '../helpers/factories.ts';
import { appealEndsOn } from '../../src/shared/appeal.ts';
import { todayInStockholm } from '../../src/server/lib/time.ts';
import { checkA11y, h1, useBrowserJourney } from './browser.ts';

/**
 * Issue #11 item 1 in a real browser: the chair and the adjuster, each signed in, adjust the minutes of a
 * meeting; someone else is offered no adjustment; the secretary posts the notice; the case shows the appeal
 * clock and offers dispatch; the public notice board shows the notice without sign-in. Axe on every page.
 */
const { server, url, signIn, open, problems } = useBrowserJourney();
const today = todayInStockholm();
let meetingId = '';
let caseId = '';

beforeAll(async () => {
  // The secretary's preparations through the API: a KS meeting today, a case on its agenda decided as § 7,
  // attendance, and the chair (samordnare) and the adjuster (läsare) appointed.
  const officer = await cookieFor(server.app, 'handlaggare@lund.example');
  const call = async (method: 'POST' | 'PUT', path: string, payload: object) => {
    const res = await server.app.inject({ method, url: path, headers: { cookie: officer }, payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${path} → ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const ks = (await server.database.db.execute<{ id: string }>(sql`select id from organisations where key = 'ks'`)).rows[0].id;
  const userId = async (email: string) => (await server.database.db.execute<{ id: string }>(sql`select id from users where email = ${email}`)).rows[0].id;
  const c = await createCase(server.database, { title: 'Krisledningsnämndens reglemente (E2E)' });
  caseId = c.id;
  const meeting = await call('POST', '/api/meetings', { bodyOrganisationId: ks, meetingDate: today });
  meetingId = meeting.id;
  const d = await call('POST', `/api/cases/${c.id}/decisions`, { bodyOrganisationId: ks, title: 'Krisledningsnämndens reglemente', clauses: [{ text: 'att anta reglementet' }] });
  await call('POST', `/api/meetings/${meeting.id}/items`, { caseId: c.id, decisionId: d.id });
  const decided = await call('POST', `/api/decisions/${d.id}/decide`, { version: d.version, decidedOn: today, paragraph: 7 });
  await call('PUT', `/api/decisions/${d.id}/dispatch-list`, { version: decided.version, organisationIds: [], file: true });
  let m = await call('PUT', `/api/meetings/${meeting.id}/attendees`, { version: 1, attendees: [{ name: 'Anna Ordförande', role: 'chair', party: 'S' }, { name: 'Bertil Ledamot', role: 'member', party: 'M' }] });
  m = await call('PUT', `/api/meetings/${meeting.id}/adjusters`, { version: m.version, chairUserId: await userId('samordnare@lund.example'), adjusterUserIds: [await userId('lasare@lund.example')] });
  await call('POST', `/api/decisions/${d.id}/reservations`, { name: 'Bertil Ledamot', party: 'M', written: true });
}, 120_000);

async function as(page: Page, email: string | null) {
  await page.context().clearCookies();
  if (email) await signIn(page, email);
}
async function openMeeting(page: Page) {
  await page.goto(url(`/sammantraden/${meetingId}`));
  await h1(page).filter({ hasText: `Kommunstyrelsen ${today}` }).waitFor();
}

describe('the meeting process in Chromium', () => {
  it('the chair and the adjuster adjust the minutes, the notice is posted, the clock runs and the board shows it', async () => {
    const { page } = await open();

    // The secretary finds the meeting in the list: agenda, § 7 with its reservation; no notice before adjustment.
    await as(page, 'handlaggare@lund.example');
    await page.goto(url('/sammantraden'));
    await h1(page).filter({ hasText: 'Sammanträden' }).waitFor();
    await checkA11y(page, 'meetings list');
    await page.getByRole('link', { name: today }).first().click();
    await h1(page).filter({ hasText: `Kommunstyrelsen ${today}` }).waitFor();
    const agenda = page.getByRole('region', { name: 'Föredragningslista' });
    await agenda.getByText('Krisledningsnämndens reglemente (E2E)').waitFor();
    const minutes = page.getByRole('region', { name: 'Protokoll' });
    await minutes.getByText('§ 7', { exact: true }).waitFor();
    await minutes.getByText(/Bertil Ledamot \(M\) reserverar sig, skriftlig reservation bilagd/).waitFor();
    await page.getByRole('region', { name: 'Anslag' }).getByText('Anslaget sätts upp när protokollet är justerat.').waitFor();
    // The secretary is not an adjuster: no adjustment offered, the rule said.
    const adjustment = page.getByRole('region', { name: 'Justering' });
    await adjustment.getByText(/Bara ordföranden och de utsedda justerarna/).waitFor();
    expect(await adjustment.getByRole('button', { name: 'Justera protokollet' }).count()).toBe(0);
    await checkA11y(page, 'meeting page before adjustment');

    // The chair adjusts.
    await as(page, 'samordnare@lund.example');
    await openMeeting(page);
    await adjustment.getByRole('button', { name: 'Justera protokollet' }).click();
    let d = page.getByRole('alertdialog', { name: 'Justera protokollet' });
    await d.waitFor();
    await checkA11y(page, 'adjust confirmation');
    await d.getByRole('button', { name: 'Justera protokollet' }).click();
    await d.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Du har justerat.' }).waitFor();
    await adjustment.getByText(`Sam Samordnare, ordförande: justerat ${today}`).waitFor();
    await adjustment.getByText('Lars Läsare, justerare: inte justerat').waitFor();

    // The adjuster adjusts: the minutes are adjusted today.
    await as(page, 'lasare@lund.example');
    await openMeeting(page);
    await adjustment.getByRole('button', { name: 'Justera protokollet' }).click();
    d = page.getByRole('alertdialog', { name: 'Justera protokollet' });
    await d.getByRole('button', { name: 'Justera protokollet' }).click();
    await d.waitFor({ state: 'detached' });
    await adjustment.getByText(`Protokollet justerades ${today}.`).waitFor();
    await checkA11y(page, 'adjusted minutes');

    // The secretary posts the notice: the appeal clock starts.
    await as(page, 'handlaggare@lund.example');
    await openMeeting(page);
    const board = page.getByRole('region', { name: 'Anslag' });
    await board.getByRole('button', { name: 'Sätt upp anslaget' }).click();
    await board.getByText(`Anslaget sattes upp ${today}. Överklagandetiden går ut ${appealEndsOn(today)}.`, { exact: false }).waitFor();
    await checkA11y(page, 'notice posted');

    // The case shows the clock (on its overview and on the decision) and now offers dispatch.
    await page.goto(url(`/arenden/${caseId}`));
    await page.getByRole('region', { name: 'Laglighetsprövning' }).getByText(`Överklagandetiden går ut ${appealEndsOn(today)}`, { exact: false }).waitFor();
    await checkA11y(page, 'case overview with the appeal clock');
    await page.goto(url(`/arenden/${caseId}/beslut`));
    const card = page.getByRole('region', { name: /KS .* § 7 – Krisledningsnämndens reglemente/ });
    await card.getByText(`Överklagandetiden går ut ${appealEndsOn(today)}`, { exact: false }).waitFor();
    await card.getByRole('button', { name: 'Expediera' }).waitFor();
    await checkA11y(page, 'decision with the appeal clock');

    // The public notice board, signed out.
    await as(page, null);
    await page.goto(url('/anslagstavla'));
    await h1(page).filter({ hasText: 'Anslagstavla' }).waitFor();
    const notice = page.getByRole('listitem').filter({ hasText: `Protokoll: Kommunstyrelsen ${today} § 7` });
    await notice.waitFor();
    await notice.getByText(appealEndsOn(today), { exact: true }).waitFor();
    expect(await page.getByText('Krisledningsnämndens reglemente').count()).toBe(0);
    await checkA11y(page, 'public notice board');

    expect(problems).toEqual([]);
  }, 180_000);
});
