import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PDF } from '../helpers/multipart.ts';
import { checkA11y, dialog, field, h1, waitFor, useBrowserJourney } from './browser.ts';

/**
 * Issue #10, "done when", in a real browser (on both databases, by this file's name): a registrar marks a remiss
 * reply's record secret and a reader sees neither its text nor its file; a coordinator shares one incident with the
 * police for a week, the police user sees that incident and nothing else, comments, the share is revoked and access
 * ends at once; the administrator finds both reads in the audit log. axe on every page and dialog visited.
 */
const journey = useBrowserJourney();
const { server, url, problems } = journey;
/** A browser signed in as `email`; its problems go to the journey's `problems`. */
async function as(email: string) {
  const { page } = await journey.open();
  await journey.signIn(page, email);
  return page;
}
/** A confirmation (role alertdialog), checked with axe while it is open. */
async function confirmation(page: Page, name: string) {
  const d = page.getByRole('alertdialog', { name });
  await d.waitFor();
  await checkA11y(page, `confirmation ${name}`);
  return d;
}
const rows = async <T,>(q: ReturnType<typeof sql>) => (await server.database.db.execute(q)).rows as T[];

describe('secrecy and partner sharing, in Chromium', () => {
  it('a secret remiss reply is hidden from a reader; a share with the police is seen, commented, revoked; both reads are in the log', async () => {
    // --- (a) The registrar marks a remiss reply's record secret in KS 2018/0316 ---
    const [reply] = await rows<{ case_id: string; record_id: string; recipient_id: string; text: string }>(sql`
      select c.id as case_id, rr.record_id, rr.recipient_id, rr.text
      from remiss_replies rr join case_records cr on cr.id = rr.record_id join cases c on c.id = cr.case_id
      where c.registry_number = 'KS 2018/0316' and rr.text is not null and length(rr.text) > 40
      order by rr.received_on limit 1`);
    expect(reply, 'the demo data has a remiss reply with text in KS 2018/0316').toBeTruthy();
    const snippet = reply!.text.slice(0, 40);

    const registrar = await as('registrator@lund.example');
    // The reply gets a file (the demo replies are text only), so that its file link can be checked too.
    const uploaded = await registrar.request.post(url(`/api/cases/${reply!.case_id}/records/${reply!.record_id}/files`), {
      multipart: { file: { name: 'Remissvar.pdf', mimeType: 'application/pdf', buffer: PDF } },
    });
    expect(uploaded.status()).toBe(201);
    const fileUrl = `/api/remiss-recipients/${reply!.recipient_id}/reply-file`;
    expect((await registrar.request.get(url(fileUrl))).status()).toBe(200);
    const caseDetail = (await (await registrar.request.get(url(`/api/cases/${reply!.case_id}`))).json()) as { records: { id: string; number: string }[] };
    const recordNumber = caseDetail.records.find((r) => r.id === reply!.record_id)!.number;

    await registrar.goto(url(`/arenden/${reply!.case_id}`));
    await h1(registrar).filter({ hasText: 'KS 2018/0316' }).waitFor();
    await checkA11y(registrar, 'case page (registrar)');
    await registrar.getByRole('button', { name: `Sekretessmarkering: ${recordNumber}` }).click();
    let d = await dialog(registrar, 'Sekretessmarkering');
    await d.getByText('Uppgiften är inte sekretessmarkerad.').waitFor();
    await field(d, 'Hänvisning till OSL').fill('');
    await d.getByRole('button', { name: 'Sekretessmarkera' }).click();
    // Empty fields get clear Swedish errors before anything is sent.
    await d.getByText('Fältet måste fyllas i.').first().waitFor();
    await field(d, 'Hänvisning till OSL').fill('18 kap. 8 § OSL');
    await field(d, 'Skäl').fill('Svaret beskriver kommunens sårbarheter i detalj.');
    await d.getByRole('button', { name: 'Sekretessmarkera' }).click();
    d = await confirmation(registrar, 'Sekretessmarkera');
    await d.getByRole('button', { name: 'Ja, sekretessmarkera' }).click();
    d = await dialog(registrar, 'Sekretessmarkering');
    await d.getByText('Rebecka Registrator').waitFor();
    await d.getByRole('button', { name: 'Stäng' }).click();
    await registrar.getByText('Sekretessmarkerad (18 kap. 8 § OSL)').first().waitFor();

    // The reader sees neither the reply's text nor its file, on the remiss page and on the case page.
    const reader = await as('lasare@lund.example');
    await reader.goto(url(`/arenden/${reply!.case_id}/remiss`));
    await reader.getByText('Sekretessmarkerat svar').first().waitFor();
    await checkA11y(reader, 'remiss page (reader)');
    expect(await reader.locator('main').innerText()).not.toContain(snippet);
    expect(await reader.locator(`a[href="${fileUrl}"]`).count()).toBe(0);
    await reader.goto(url(`/arenden/${reply!.case_id}`));
    await h1(reader).filter({ hasText: 'KS 2018/0316' }).waitFor();
    await reader.getByRole('heading', { name: 'Handlingar' }).waitFor();
    await checkA11y(reader, 'case page (reader)');
    const caseText = await reader.locator('main').innerText();
    expect(caseText).not.toContain(snippet);
    expect(caseText).not.toContain('Remissvar.pdf');
    expect(await reader.locator(`a[href*="/records/${reply!.record_id}/"]`).count()).toBe(0);
    expect((await reader.request.get(url(fileUrl))).status()).toBe(404);
    // The registrar still reads it (and that read of secret material is logged).
    expect((await registrar.request.get(url(fileUrl))).status()).toBe(200);

    // --- (b) The coordinator shares one incident with the police for a week ---
    const [incident] = await rows<{ id: string }>(sql`select id from incidents where restricted = false order by occurred_at desc limit 1`);
    const coordinator = await as('samordnare@lund.example');
    await coordinator.goto(url(`/handelser/${incident!.id}`));
    await coordinator.getByRole('heading', { name: 'Delningar' }).waitFor();
    await checkA11y(coordinator, 'incident page (coordinator)');
    await coordinator.getByRole('button', { name: 'Dela med samverkanspart' }).click();
    d = await dialog(coordinator, 'Dela med samverkanspart');
    const partner = field(d, 'Samverkanspart');
    // Only partner organisations are offered.
    const offered = await partner.locator('option').allInnerTexts();
    expect(offered).toContain('Polismyndigheten');
    expect(offered).not.toContain('Socialnämnden');
    await partner.selectOption({ label: 'Polismyndigheten' });
    const endsOn = await field(d, 'Delas till och med').inputValue();
    await field(d, 'Skäl till delningen').fill('Polisen behöver underlag inför samverkansmötet.');
    await d.getByRole('button', { name: 'Dela med samverkanspart' }).click();
    await coordinator.getByText(`Uppgiften är delad med Polismyndigheten till och med ${endsOn}.`).waitFor();
    await coordinator.getByRole('cell', { name: 'aktiv' }).waitFor();
    await checkA11y(coordinator, 'incident page with a share');

    // The police user sees that incident, and nothing else, on /delat.
    const police = await as('polisen@lund.example');
    await police.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Delat med oss' }).waitFor();
    await police.goto(url('/delat'));
    await h1(police).filter({ hasText: 'Delat med oss' }).waitFor();
    const items = police.locator('main li.card');
    await items.first().waitFor();
    await checkA11y(police, 'shared with us');
    expect(await items.count()).toBe(1);
    const link = items.first().getByRole('link');
    const title = (await link.innerText()).trim();
    await link.click();
    await h1(police).filter({ hasText: title }).waitFor();
    await police.getByText('Polisen behöver underlag inför samverkansmötet.').waitFor();
    await checkA11y(police, 'shared record');
    await field(police, 'Kommentar').fill('Vi har en patrull i området på fredag.');
    await police.getByRole('button', { name: 'Skicka kommentar' }).click();
    await police.getByText('Kommentaren är skickad.').waitFor();
    await police.getByText('Vi har en patrull i området på fredag.').waitFor();
    const sharedPath = new URL(police.url()).pathname;

    // The coordinator sees the comment, then revokes the share.
    await coordinator.reload();
    await coordinator.getByRole('button', { name: '1 kommentar' }).click();
    d = await dialog(coordinator, /Kommentarer: Polismyndigheten/);
    await d.getByText('Vi har en patrull i området på fredag.').waitFor();
    await d.getByRole('button', { name: 'Stäng' }).last().click();
    await coordinator.getByRole('button', { name: 'Återkalla: Polismyndigheten' }).click();
    d = await dialog(coordinator, 'Återkalla delningen med Polismyndigheten');
    await field(d, 'Skäl till återkallelsen').fill('Mötet är genomfört.');
    await d.getByRole('button', { name: 'Återkalla' }).click();
    d = await confirmation(coordinator, 'Återkalla delningen med Polismyndigheten');
    await d.getByRole('button', { name: 'Ja, återkalla' }).click();
    await coordinator.getByText('Delningen är återkallad.').waitFor();
    await coordinator.getByRole('cell', { name: /återkallad/ }).waitFor();

    // Access ends at once: the police user's page says so.
    await police.goto(url(sharedPath));
    await h1(police).filter({ hasText: 'Delningen har upphört' }).waitFor();
    await checkA11y(police, 'ended share');
    expect(await police.locator('main').innerText()).not.toContain('Vi har en patrull i området på fredag.');
    await police.goto(url('/delat'));
    await police.getByText('Inget är delat med er ännu.', { exact: false }).waitFor();

    // The coordinator's overview lists the share, filtered per partner and status.
    await coordinator.goto(url('/delningar'));
    await h1(coordinator).filter({ hasText: 'Delningar med samverkanspart' }).waitFor();
    await field(coordinator, 'Status').selectOption({ label: 'återkallad' });
    await coordinator.getByRole('cell', { name: /återkallad/ }).first().waitFor();
    await checkA11y(coordinator, 'shares overview');

    // --- (c) The administrator sees both reads in the audit log ---
    const admin = await as('admin@lund.example');
    await admin.goto(url('/logg'));
    await h1(admin).waitFor();
    await field(admin, 'Händelse').selectOption({ label: 'Läsning av sekretessmarkerad uppgift' });
    await admin.getByRole('button', { name: 'Filtrera' }).click();
    await waitFor(async () => {
      const text = await admin.locator('main table').innerText().catch(() => '');
      return text.includes('Petra Polis') && text.includes('Rebecka Registrator') ? true : undefined;
    }, 'the reads of the police user and the registrar in the audit log');
    await checkA11y(admin, 'audit log, secret reads');

    expect(problems).toEqual([]);
  }, 240_000);
});
