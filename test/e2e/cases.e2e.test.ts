import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, field, h1, useBrowserJourney } from './browser.ts';

const { open, url, signIn } = useBrowserJourney();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

async function expectHeading(page: Page, text: string | RegExp) {
  await h1(page).filter({ hasText: text }).waitFor();
}
async function goVia(page: Page, link: string, heading: string | RegExp = link) {
  const menu = page.getByRole('button', { name: 'Meny' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: link, exact: true }).click();
  await expectHeading(page, heading);
}

describe('the registry in Chromium', () => {
  it('a registrar registers a case, adds a record with a PDF, and finds it by search; a reader sees it but cannot change it', async () => {
    const word = `stadsparksbelysning${Date.now() % 100_000}`;
    const title = `Trygghetsvandring och ${word}`;
    const reg = await open();
    const p = reg.page;
    await signIn(p, 'registrator@lund.example');
    await goVia(p, 'Diarium');
    await p.getByText('KS 2018/0316').first().waitFor();
    await checkA11y(p, 'registry list');

    // Register: empty first → Swedish messages, focus on the first problem.
    await p.getByRole('button', { name: 'Registrera ärende' }).click();
    const dialog = p.getByRole('dialog', { name: 'Registrera ärende' });
    await dialog.waitFor();
    await checkA11y(p, 'register dialog');
    await dialog.getByRole('button', { name: 'Registrera', exact: true }).click();
    await expect(field(dialog, 'Ärendemening').getAttribute('aria-invalid')).resolves.toBe('true');
    await p.waitForFunction(() => document.activeElement?.id === 'reg-title');
    await field(dialog, 'Registrerande organ').selectOption({ label: 'Kommunstyrelsen (KS)' });
    await field(dialog, 'Ärendemening').fill(title);
    await field(dialog, 'Beskrivning').fill('Kommunkontoret och polisen går en trygghetsvandring i stadsparken.');
    await field(dialog, 'Ärendetyp').selectOption({ label: 'Uppdrag' });
    const responsible = field(dialog, 'Ansvarig organisation');
    await responsible.selectOption((await responsible.locator('option', { hasText: 'Enheten för trygghet och säkerhet' }).getAttribute('value'))!);
    await field(dialog, 'Handläggare').selectOption({ label: 'Hugo Handläggare' });
    await field(dialog, 'Berör ärendet barn?').selectOption({ label: 'Ja' });
    // Yes needs its motivation (checked in the form and by the server).
    await dialog.getByRole('button', { name: 'Registrera', exact: true }).click();
    await dialog.getByText('Motivera bedömningen av om ärendet berör barn.').waitFor();
    await field(dialog, 'Barnkonsekvensanalys (motivering)').fill('Barn och unga rör sig i parken på kvällarna.');
    await checkA11y(p, 'register dialog filled in');
    await dialog.getByRole('button', { name: 'Registrera', exact: true }).click();

    const year = new Date().getFullYear();
    await expectHeading(p, new RegExp(`KS ${year}/\\d{4} ${escape(title)}`));
    const number = (await p.locator('.case-number').textContent())!;
    expect(number).toMatch(new RegExp(`^KS ${year}/\\d{4}$`));
    const tabs = p.getByRole('navigation', { name: `Ärendets delar, ${number}` });
    await expect(tabs.getByRole('link', { name: 'Översikt och handlingar' }).getAttribute('aria-current')).resolves.toBe('page');
    expect(await tabs.getByRole('link').allTextContents()).toEqual(['Översikt och handlingar', 'Beslut', 'Remiss']);
    await p.getByText('Inga handlingar är registrerade i ärendet.').waitFor();
    await checkA11y(p, 'new case');

    // A record with a PDF; a disguised file is refused with a Swedish message and the record is kept.
    await p.getByRole('button', { name: 'Registrera handling' }).click();
    const rd = p.getByRole('dialog', { name: `Registrera handling i ${number}` });
    await rd.waitFor();
    await field(rd, 'Typ').selectOption({ label: 'Inkommen' });
    await field(rd, 'Handling').fill(`Skrivelse om ${word}`);
    await field(rd, 'Avsändare eller mottagare').fill('Boende i Stadsparken');
    await rd.getByLabel('Fil (valfritt)').setInputFiles({ name: 'skrivelse.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>inte en pdf</html>') });
    await checkA11y(p, 'record dialog');
    await rd.getByRole('button', { name: 'Registrera handling' }).click();
    await rd.getByText('Filen är inte av en tillåten typ. Innehållet kontrolleras, inte filnamnet.').waitFor();
    await rd.getByText(`Handlingen ${number}-1 är registrerad, men filen kunde inte sparas.`, { exact: false }).waitFor();
    await rd.getByLabel('Fil (valfritt)').setInputFiles({ name: 'skrivelse.pdf', mimeType: 'application/pdf', buffer: PDF });
    await rd.getByRole('button', { name: 'Spara filen' }).click();
    await status(p, `Handlingen ${number}-1 är registrerad.`);
    const row = p.getByRole('row').filter({ hasText: `${number}-1` });
    await row.getByText(`Skrivelse om ${word}`).waitFor();
    const link = row.getByRole('link', { name: 'skrivelse.pdf' });
    const href = (await link.getAttribute('href'))!;
    const download = await p.evaluate(async (h) => {
      const r = await fetch(h);
      return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), body: await r.text() };
    }, href);
    expect(download).toMatchObject({ status: 200, type: 'application/pdf', disposition: "attachment; filename*=UTF-8''skrivelse.pdf" });
    expect(download.body.startsWith('%PDF-')).toBe(true);
    await checkA11y(p, 'case with a record');

    // Edit with a version conflict: someone else changed the case meanwhile → reload and redo.
    await p.getByRole('button', { name: 'Ändra ärende' }).click();
    const ed = p.getByRole('dialog', { name: `Ändra ${number}` });
    await ed.waitFor();
    const caseId = p.url().split('/').pop()!;
    await p.evaluate(async (id) => {
      const c = await (await fetch(`/api/cases/${id}`)).json();
      await fetch(`/api/cases/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: c.version, status: 'dormant' }) });
    }, caseId);
    await field(ed, 'Status').selectOption({ label: 'Avslutat' });
    await ed.getByRole('button', { name: 'Spara' }).click();
    await ed.getByText('Någon annan har ändrat uppgifterna medan du arbetade.', { exact: false }).waitFor();
    await checkA11y(p, 'edit conflict');
    await ed.getByRole('button', { name: /Ladda om/ }).click();
    await p.getByRole('definition').filter({ hasText: 'Vilande' }).waitFor();
    await p.getByRole('button', { name: 'Ändra ärende' }).click();
    await field(p.getByRole('dialog'), 'Status').selectOption({ label: 'Avslutat' });
    await p.getByRole('dialog').getByRole('button', { name: 'Spara' }).click();
    await status(p, 'Ärendet är sparat.');
    await p.getByRole('definition').filter({ hasText: /Avslutat \(\d{4}-\d{2}-\d{2}\)/ }).waitFor();

    // Search: the record and the case are found by a word, with the match marked.
    await goVia(p, 'Diarium');
    await field(p, 'Sökord').fill(word);
    await p.getByRole('search').getByRole('button', { name: 'Sök' }).click();
    await p.getByRole('heading', { level: 2, name: `Sökträffar för ”${word}”` }).waitFor();
    await status(p, '2 träffar');
    const hits = p.getByRole('listitem').filter({ has: p.locator('mark', { hasText: word }) });
    expect(await hits.count()).toBe(2);
    await p.getByRole('link', { name: `${number}-1 Skrivelse om ${word}` }).waitFor();
    await checkA11y(p, 'search results');
    await p.getByRole('link', { name: `${number} ${title}` }).click();
    await expectHeading(p, title);
    expect(reg.problems).toEqual([]);

    // The reader finds it and reads it, but has no register or edit buttons.
    const rdr = await open();
    const rp = rdr.page;
    await signIn(rp, 'lasare@lund.example');
    await goVia(rp, 'Diarium');
    expect(await rp.getByRole('button', { name: 'Registrera ärende' }).count()).toBe(0);
    // One search box (issue #13 item 7): the number finds the case.
    await field(rp, 'Sökord').fill(number);
    await rp.getByRole('search').getByRole('button', { name: 'Sök' }).click();
    await rp.getByRole('link', { name: `${number} ${title}` }).click();
    await expectHeading(rp, title);
    await rp.getByRole('link', { name: 'skrivelse.pdf' }).waitFor();
    expect(await rp.getByRole('button', { name: 'Ändra ärende' }).count()).toBe(0);
    expect(await rp.getByRole('button', { name: 'Registrera handling' }).count()).toBe(0);
    await checkA11y(rp, 'case as reader');
    expect(rdr.problems).toEqual([]);
  });
});
