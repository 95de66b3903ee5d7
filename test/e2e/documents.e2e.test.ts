import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { readXlsx } from '../../src/server/lib/documents/xlsx.ts';
import { checkA11y, field, h1, useBrowserJourney } from './browser.ts';
import { pdfText } from '../helpers/pdf.ts';

// The exports are jobs: a runner polls for them as in production.
const { server, url, signIn, open } = useBrowserJourney({ jobs: true });
const nav = (page: Page) => page.getByRole('navigation', { name: /Huvudmeny|Main menu/ });
const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function download(page: Page, panel: Locator, format: 'PDF' | 'XLSX') {
  await panel.getByRole('button', { name: `Skapa ${format}` }).click();
  const link = panel.getByRole('link', { name: new RegExp(`^Ladda ner .*\\.${format.toLowerCase()}$`) });
  await link.waitFor({ timeout: 30_000 });
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return { name: dl.suggestedFilename(), body: fs.readFileSync((await dl.path())!) };
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

describe('governing documents in Chromium', () => {
  it('a coordinator registers a document with a file, sees it in the list and exports the list in force', async () => {
    const title = `Riktlinje för trygga mötesplatser ${Date.now() % 100000}`;
    const b = await open();
    const page = b.page;
    await signIn(page, 'samordnare@lund.example');
    await nav(page).getByRole('link', { name: 'Styrdokument', exact: true }).click();
    await h1(page).filter({ hasText: 'Styrdokument' }).waitFor();
    const table = page.getByRole('table', { name: 'Styrdokument' });
    // The demo strategy's period ended 2022-12-31: upphört att gälla (not repealed: no decision yet); the overdue guideline says so in text.
    await table.getByRole('row').filter({ hasText: 'Strategi för våld i nära relationer 2017-2022' }).getByText('Upphört att gälla').waitFor();
    await table.getByRole('row').filter({ hasText: 'Exempel: Riktlinje för informationssäkerhet' }).getByText('Revidering försenad').waitFor();
    await checkA11y(page, 'governing documents');

    // Register: required fields first, then a document in force.
    await page.getByRole('button', { name: 'Registrera styrdokument' }).click();
    const dialog = page.getByRole('dialog', { name: 'Registrera styrdokument' });
    await dialog.getByRole('button', { name: 'Skapa' }).click();
    expect(await dialog.getByText('Fältet måste fyllas i.').count()).toBe(2);
    await field(dialog, 'Titel').fill(title);
    await field(dialog, 'Typ').selectOption({ label: 'Riktlinje' });
    // Options are indented by their depth in the organisation tree (Kommunstyrelsen: one level).
    await field(dialog, 'Ägare').selectOption({ label: '\u00a0\u00a0Kommunstyrelsen' });
    await field(dialog, 'Gäller från').fill('2026-01-01');
    await field(dialog, 'Gäller till').fill('2025-12-31');
    await dialog.getByRole('button', { name: 'Skapa' }).click();
    await dialog.getByText('Slutdatum kan inte vara före startdatum.').waitFor();
    await field(dialog, 'Gäller till').fill('');
    await field(dialog, 'Beslutsreferens (om beslutet inte finns i diariet)').fill('KS 2026-02-04 § 21');
    await field(dialog, 'Revideras senast').fill(inDays(400));
    await field(dialog, 'Status').selectOption({ label: 'Gällande' });
    await checkA11y(page, 'register dialog');
    await dialog.getByRole('button', { name: 'Skapa' }).click();
    await status(page, `Styrdokumentet ${title} är registrerat.`);

    // The details open; a disguised file is refused, a PDF is stored.
    const details = page.getByRole('dialog', { name: title });
    await details.waitFor();
    const input = details.getByLabel('Välj fil (PDF eller Word, högst 20 MB)');
    await input.setInputFiles({ name: 'riktlinje.pdf', mimeType: 'application/pdf', buffer: PNG });
    await details.getByRole('button', { name: 'Ladda upp fil' }).click();
    await details.getByRole('alert').getByText('Filen är inte av en tillåten typ. Innehållet kontrolleras, inte filnamnet.').waitFor();
    await input.setInputFiles({ name: 'riktlinje.pdf', mimeType: 'application/pdf', buffer: PDF });
    await details.getByRole('button', { name: 'Ladda upp fil' }).click();
    await status(page, 'Filen riktlinje.pdf är uppladdad.');
    const link = details.getByRole('link', { name: 'Ladda ner riktlinje.pdf' });
    await link.waitFor();
    const res = await page.request.get(url((await link.getAttribute('href'))!));
    expect(res.status()).toBe(200);
    expect(Buffer.from(await res.body()).equals(PDF)).toBe(true);
    await checkA11y(page, 'document details');
    await details.getByRole('button', { name: 'Stäng' }).click();
    await details.waitFor({ state: 'detached' });

    // In the list, also when filtered to documents in force.
    await field(page, 'Status').selectOption({ label: 'Gällande' });
    const row = table.getByRole('row').filter({ hasText: title });
    await row.getByText('KS 2026-02-04 § 21').waitFor();
    expect(await table.getByRole('row').filter({ hasText: 'Program för trygghet och säkerhet i Lunds kommun' }).count()).toBe(0);
    expect(await table.getByRole('row').filter({ hasText: 'Strategi för våld i nära relationer 2017-2022' }).count()).toBe(0);
    await checkA11y(page, 'filtered list');
    // Expired is its own filter (issue #11 item 3).
    await field(page, 'Status').selectOption({ label: 'Upphört att gälla' });
    await table.getByRole('row').filter({ hasText: 'Strategi för våld i nära relationer 2017-2022' }).getByText('Upphört att gälla').waitFor();
    expect(await table.getByRole('row').filter({ hasText: title }).count()).toBe(0);

    // Export the list in force: PDF and XLSX, with the new document and without the drafts.
    const panel = page.getByRole('region', { name: 'Exportera gällande styrdokument' });
    const pdf = await download(page, panel, 'PDF');
    expect(pdf.name).toMatch(/^Gällande styrdokument .*\.pdf$/);
    const text = await pdfText(pdf.body);
    // The expired strategy is not in force, so not in the list.
    expect(text).not.toContain('Strategi för våld i nära relationer');
    expect(text).toContain('trygga mötesplatser');
    expect(text).not.toContain('Program för trygghet och säkerhet');
    const xlsx = await download(page, panel, 'XLSX');
    const sheet = await readXlsx(xlsx.body);
    expect(sheet.rows.find((r) => r.Titel === title)).toMatchObject({ Typ: 'Riktlinje', Ägare: 'Kommunstyrelsen', Beslut: 'KS 2026-02-04 § 21' });
    expect(sheet.rows.map((r) => r.Titel)).not.toContain('Program för trygghet och säkerhet i Lunds kommun');
    await checkA11y(page, 'after export');

    // The reminder link opens the details directly.
    const id = res.url().split('/').at(-2)!;
    await page.goto(url(`/styrdokument?dokument=${id}`));
    await page.getByRole('dialog', { name: title }).waitFor();
    await checkA11y(page, 'details from a link');
    expect(b.problems).toEqual([]);
  });

  it('a reader sees the register and the details of a document, without editing', async () => {
    const b = await open();
    const page = b.page;
    await signIn(page, 'lasare@lund.example');
    await nav(page).getByRole('link', { name: 'Styrdokument', exact: true }).click();
    await h1(page).filter({ hasText: 'Styrdokument' }).waitFor();
    expect(await page.getByRole('button', { name: 'Registrera styrdokument' }).count()).toBe(0);
    await page.getByRole('table', { name: 'Styrdokument' }).getByRole('link', { name: 'Strategi för våld i nära relationer 2017-2022' }).click();
    const details = page.getByRole('dialog', { name: 'Strategi för våld i nära relationer 2017-2022' });
    await details.getByText('Kommunfullmäktige').waitFor();
    expect(await details.getByRole('button', { name: 'Ändra' }).count()).toBe(0);
    await checkA11y(page, 'details as reader');
    expect(b.problems).toEqual([]);
  });
});
