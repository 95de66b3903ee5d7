import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createCase } from '../helpers/factories.ts';
import { startSmtpServer } from '../helpers/smtp.ts';
import { silentLog } from '../helpers/jobs.ts';
import { createJobRunner } from '../../src/server/lib/job-runner.ts';
import { checkA11y, field, dialog, useBrowserJourney } from './browser.ts';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
// Registered before the journey's hooks: the SMTP server starts before the app and closes after it.
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});
// The demo data holds the governing-document register (the strategy in force that the decision repeals).
const { server, url, signIn, open, problems } = useBrowserJourney({ env: () => ({ SMTP_URL: smtp.url }) });

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function addClause(page: Page, card: Locator, text: string, opts: { assignee?: string; due?: string; repeal?: string } = {}) {
  await card.getByRole('button', { name: 'Lägg till att-sats' }).click();
  const d = await dialog(page, 'Lägg till att-sats');
  await field(d, 'Text').fill(text);
  if (opts.assignee) {
    await field(d, 'Verkan').selectOption({ label: 'Uppdrag' });
    await field(d, 'Uppdraget ges till').selectOption({ label: opts.assignee });
    await field(d, 'Slutdatum för uppdraget').fill(opts.due!);
  }
  if (opts.repeal) {
    await field(d, 'Verkan').selectOption({ label: 'Upphäver styrdokument' });
    // A picker of the documents in force, by title and state as it reads today (the demo strategy's period ended
    // 2022-12-31: in force until repealed, but upphört att gälla); no free-text id.
    const picker = field(d, 'Styrdokument');
    const options = await picker.locator('option').allTextContents();
    expect(options).toContain(`${opts.repeal} (upphört att gälla)`);
    expect(options.some((o) => o.endsWith('(utkast)'))).toBe(false);
    expect(await field(d, 'Ersätts av').count()).toBe(0);
    await checkA11y(page, 'att-sats dialog with the document picker');
    await picker.selectOption({ label: `${opts.repeal} (upphört att gälla)` });
  }
  await d.getByRole('button', { name: 'Spara' }).click();
  await d.waitFor({ state: 'detached' });
  await card.getByText(text, { exact: true }).waitFor();
}

describe('decisions in Chromium', () => {
  it('a handläggare records a referral back, then a decision with three att-satser, and dispatches it', async () => {
    const c = await createCase(server.database, { title: 'Program för trygghet och säkerhet (E2E)', concernsChildren: null });
    const { page } = await open();
    await signIn(page, 'handlaggare@lund.example');
    await page.goto(url(`/arenden/${c.id}/beslut`));
    await page.getByRole('heading', { level: 1, name: new RegExp(`Beslut.*${escape(c.registryNumber)}`) }).waitFor();
    await page.getByText('Inga beslut i ärendet än.').waitFor();
    await page.getByText(/Barnkonsekvensanalys saknas i ärendet/).waitFor();
    await checkA11y(page, 'decisions page (empty)');

    // --- Referral back ---
    await page.getByRole('button', { name: 'Nytt beslut' }).click();
    let d = await dialog(page, 'Nytt beslut');
    await field(d, 'Beslutande organ').selectOption({ label: 'Kommunstyrelsen' });
    await field(d, 'Typ av beslut').selectOption({ label: 'Återremiss' });
    await field(d, 'Rubrik').fill('Återremiss av programförslaget');
    await field(d, 'Motivering till återremissen').fill('Strategin mot våld i nära relationer ska arbetas in i programmet.');
    // (KS 2019-12-04 § 333, the memo's own referral back, is in the demo data: another meeting here.)
    await field(d, 'Sammanträdesdatum').fill('2019-12-11');
    await field(d, 'Paragraf (§)').fill('334');
    await d.getByRole('button', { name: 'Spara' }).click();
    await d.waitFor({ state: 'detached' });
    const referral = page.getByRole('region', { name: /Återremiss av programförslaget/ });
    await referral.getByText('Strategin mot våld i nära relationer ska arbetas in i programmet.').waitFor();
    await checkA11y(page, 'decisions page (referral back draft)');

    // Without the child assessment the card says what is missing before any dialog (issue #13 item 3), and
    // offers no "Markera som fattat".
    await referral.getByRole('region', { name: 'Det här saknas innan beslutet kan markeras som fattat' }).getByText(/Barnkonsekvensanalys/).waitFor();
    expect(await referral.getByRole('button', { name: 'Markera som fattat' }).count()).toBe(0);
    await checkA11y(page, 'decision card with what is missing');

    // The registrar records the assessment in the case (the registry's page is another branch's): then it goes through.
    await server.database.db.execute(sql`update cases set concerns_children = true, child_assessment = 'Ärendet berör barn: tryggare miljöer gagnar barn och unga.', status = 'dormant' where id = ${c.id}`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Beslut/ }).waitFor();
    await page.getByText(/Ärendets status: Vilande/).waitFor();
    await referral.getByRole('button', { name: 'Markera som fattat' }).click();
    d = await dialog(page, 'Markera som fattat');
    await d.getByRole('button', { name: 'Markera som fattat' }).click();
    await d.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: /KS 2019-12-11 § 334 – Återremiss av programförslaget/ }).getByText('Fattat', { exact: true }).waitFor();
    await page.getByText(/Ärendets status: Öppet/).waitFor();
    await checkA11y(page, 'decisions page (referral back decided)');

    // --- The decision with three att-satser ---
    await page.getByRole('button', { name: 'Nytt beslut' }).click();
    d = await dialog(page, 'Nytt beslut');
    await field(d, 'Beslutande organ').selectOption({ label: 'Kommunstyrelsen' });
    await field(d, 'Rubrik').fill('Program och plan för trygghet och säkerhet');
    await d.getByRole('button', { name: 'Spara' }).click();
    await d.waitFor({ state: 'detached' });
    const decision = page.getByRole('region', { name: /Program och plan för trygghet och säkerhet/ });
    await addClause(page, decision, 'att anta Program för trygghet och säkerhet');
    await addClause(page, decision, 'att ge kommunkontoret i uppdrag att utarbeta handlingsplaner', { assignee: 'Kommunkontoret', due: '2021-06-30' });
    await addClause(page, decision, 'att Strategi för våld i nära relationer 2017-2022 upphör att gälla', { repeal: 'Strategi för våld i nära relationer 2017-2022' });
    // The att-sats names the document and links to it in the register.
    const strategyLink = decision.getByRole('link', { name: 'Strategi för våld i nära relationer 2017-2022' });
    expect(await strategyLink.getAttribute('href')).toMatch(/^\/styrdokument\?dokument=[0-9a-f-]{36}$/);
    await addClause(page, decision, 'att en felaktig sats tas bort');

    // Move the third att-sats up with the keyboard, then back down.
    const items = decision.getByRole('listitem');
    await decision.getByRole('button', { name: 'Flytta upp att-sats 3' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Att-satsen är flyttad till plats 2.' }).waitFor();
    await expect.poll(() => items.nth(1).innerText()).toContain('att Strategi för våld');
    await decision.getByRole('button', { name: 'Flytta ned att-sats 2' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => items.nth(2).innerText()).toContain('att Strategi för våld');

    // Remove the fourth, after confirmation.
    await decision.getByRole('button', { name: 'Ta bort att-sats 4' }).click();
    d = page.getByRole('alertdialog', { name: 'Ta bort att-satsen?' });
    await d.waitFor();
    await checkA11y(page, 'remove confirmation');
    await d.getByRole('button', { name: 'Ta bort' }).click();
    await d.waitFor({ state: 'detached' });
    await decision.getByText('att en felaktig sats tas bort').waitFor({ state: 'detached' });
    await checkA11y(page, 'decision draft with three att-satser');

    // Dispatch list: all committees and boards, plus the file.
    await decision.getByRole('button', { name: 'Ändra sändlista' }).click();
    d = await dialog(page, 'Ändra sändlista');
    await d.getByRole('button', { name: 'Lägg till alla nämnder och styrelser' }).click();
    await d.getByRole('checkbox', { name: 'Akten', exact: true }).check();
    // Försvarsmakten has no e-mail address in the register: it is kept and reported for manual dispatch.
    await server.database.db.execute(sql`update organisations set email = null where key = 'fm'`);
    await d.getByRole('checkbox', { name: /^Försvarsmakten/ }).check();
    await d.getByRole('button', { name: 'Spara' }).click();
    await d.waitFor({ state: 'detached' });
    await decision.getByRole('cell', { name: 'Socialnämnden' }).waitFor();

    // Decide: date and §.
    await decision.getByRole('button', { name: 'Markera som fattat' }).click();
    d = await dialog(page, 'Markera som fattat');
    await field(d, 'Sammanträdesdatum').fill('2020-02-05');
    await field(d, 'Paragraf (§)').fill('21');
    await d.getByRole('button', { name: 'Markera som fattat' }).click();
    await d.waitFor({ state: 'detached' });
    const decided = page.getByRole('region', { name: /KS 2020-02-05 § 21 – Program och plan/ });
    await decided.getByText(/Uppdrag:.*Kommunkontoret/).waitFor();
    expect(await decided.getByRole('button', { name: 'Lägg till att-sats' }).count()).toBe(0);
    await checkA11y(page, 'decided decision with its assignment');
    // The repeal att-sats changed the register when the decision was made.
    const strategy = await server.database.db.execute<{ status: string }>(sql`select status from governing_documents where title = 'Strategi för våld i nära relationer 2017-2022'`);
    expect(strategy.rows.map((r) => r.status)).toEqual(['repealed']);

    // Expediera, after adjustment, with confirmation and the result. Before the minutes are adjusted there is
    // no dispatch button; the adjustment itself is the meeting browser test's (meetings.both.e2e.test.ts).
    await decided.getByText('Beslutet kan expedieras när protokollet är justerat.').waitFor();
    await server.database.db.execute(sql`update decisions set adjusted_on = decided_on where case_id = ${c.id} and status = 'decided'`);
    await page.reload();
    await decided.getByRole('button', { name: 'Expediera' }).click();
    d = page.getByRole('alertdialog', { name: 'Expediera' });
    await d.waitFor();
    await checkA11y(page, 'dispatch confirmation');
    await d.getByRole('button', { name: 'Expediera' }).click();
    await d.waitFor({ state: 'detached' });
    await decided.getByRole('status').filter({ hasText: /e-postmeddelanden köade/ }).waitFor();
    await decided.getByRole('alert').filter({ hasText: /saknar e-postadress.*Försvarsmakten/ }).waitFor();
    await decided.getByRole('cell', { name: 'Expedieras manuellt' }).waitFor();
    await decided.getByRole('cell', { name: 'Skickad per e-post' }).first().waitFor();
    await decided.getByRole('cell', { name: 'Diarieförd i akten' }).waitFor();
    expect(await decided.getByRole('button', { name: 'Expediera' }).count()).toBe(0);
    await checkA11y(page, 'dispatched decision');

    // The mails go out with the extract attached.
    const runner = createJobRunner({ db: server.database.db, config: server.config, log: silentLog, handlers: server.app.contributions.jobHandlers, recurring: [] });
    while ((await runner.runDue()) > 0);
    expect(smtp.messages.length).toBeGreaterThan(5);
    expect(smtp.messages.every((m) => m.attachments[0]?.contentType === 'application/pdf')).toBe(true);
    expect(smtp.messages.map((m) => m.to[0])).toContain('son@lund.example');
    const outgoing = await server.database.db.execute<{ n: number }>(sql`select count(*)::int as n from case_records where case_id = ${c.id} and direction = 'outgoing'`);
    expect(outgoing.rows[0].n).toBe(smtp.messages.length + 1); // + Försvarsmakten, by hand
    expect(problems).toEqual([]);
  });
});
