import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createCase, signIn as apiSignIn } from '../helpers/factories.ts';
import { multipartForm } from '../helpers/multipart.ts';
import { checkA11y, dialog, field, h1, useBrowserJourney } from './browser.ts';
import { pdfText } from '../helpers/pdf.ts';

// The documents are export jobs: a runner polls for them as in production.
const { server, url, signIn, open } = useBrowserJourney({ jobs: true });
/** The case the report is put on (registered by the registrar), and an action of the crime-prevention action plan. */
let caseNumber = '';
let planActionId = '';

beforeAll(async () => {
  // Incidents in a known week (2025-W20) and the week before, reported through the API.
  const cookie = await apiSignIn(server.app, 'samordnare@lund.example');
  const cats = (await server.app.inject({ method: 'GET', url: '/api/incident-categories', headers: { cookie } })).json().items as { id: string; key: string }[];
  const tn = (await server.app.inject({ method: 'GET', url: '/api/organisations', headers: { cookie } })).json().items.find((o: { key?: string; name: string }) => o.name === 'Tekniska nämnden').id;
  const vandalism = cats.find((c) => c.key === 'vandalism')!.id;
  for (const occurredAt of ['2025-05-12T10:00:00+02:00', '2025-05-14T22:00:00+02:00', '2025-05-06T09:00:00+02:00']) {
    const res = await server.app.inject({ method: 'POST', url: '/api/incidents', headers: { cookie }, payload: { categoryId: vandalism, description: 'Krossade rutor (e2e)', organisationId: tn, occurredAt, location: { lat: 55.7047, lon: 13.191 } } });
    expect(res.statusCode, res.body).toBe(201);
  }
  caseNumber = (await createCase(server.database, { title: 'Lägesbild och åtgärdsplan enligt lag (2023:196)' })).registryNumber;
  // The demo's crime-prevention action plan gets a focus area, a goal and an action (through the API).
  const post = async (u: string, payload: object) => {
    const r = await server.app.inject({ method: 'POST', url: u, headers: { cookie, origin: 'http://localhost' }, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  const plan = (await server.app.inject({ method: 'GET', url: '/api/programs', headers: { cookie } })).json().items.find((p: { kind: string }) => p.kind === 'crime_prevention_plan');
  const fa = await post(`/api/programs/${plan.id}/focus-areas`, { number: 9, title: 'Trygga offentliga miljöer' });
  const goal = await post(`/api/focus-areas/${fa.id}/goals`, { number: 1, text: 'Mindre skadegörelse i centrum' });
  const kkts = (await server.app.inject({ method: 'GET', url: '/api/organisations', headers: { cookie } })).json().items.find((o: { name: string }) => o.name === 'Tekniska nämnden').id;
  planActionId = (await post('/api/actions', { goalId: goal.id, title: 'Kvällsronder i centrum', responsibleOrganisationId: kkts })).id;
});

const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

async function goVia(page: Page, link: string, heading = link) {
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: link, exact: true }).click();
  await h1(page).filter({ hasText: heading }).waitFor();
}
/** Asks for a file in an export panel and downloads it when the job has built it. */
async function download(page: Page, panel: Locator, format: 'DOCX' | 'PDF' | 'XLSX') {
  await panel.getByRole('button', { name: `Skapa ${format}` }).click();
  const link = panel.getByRole('link', { name: new RegExp(`^Ladda ner .*\\.${format.toLowerCase()}$`) });
  await link.waitFor({ timeout: 30_000 });
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return { file: fs.readFileSync((await dl.path())!), filename: dl.suggestedFilename() };
}

describe('lägesbild in Chromium', () => {
  it('the coordinator reviews the week, imports crime statistics, writes the Lag 2023:196 report with a finding an action answers, and puts it to the executive board, whose decision adopts it', async () => {
    const co = await open();
    const page = co.page;
    await signIn(page, 'samordnare@lund.example');

    // --- The weekly view ---
    await goVia(page, 'Veckolägesbild');
    await page.getByRole('heading', { level: 2, name: /^Vecka \d+, \d{4}/ }).waitFor();
    await checkA11y(page, 'weekly view (last full week)');
    await field(page, 'Vecka').fill('2025-W20');
    await page.getByRole('heading', { level: 2, name: 'Vecka 20, 2025 (2025-05-12 – 2025-05-18)' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Totalt 2 händelser (2 från kommunens verksamheter, 0 från Polisen). Snittet för de 4 veckorna före: 0,3 per vecka. Det är fler än snittet.' }).waitFor();
    const byCategory = page.getByRole('table', { name: 'Per kategori' });
    const row = byCategory.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Skadegörelse' }) });
    expect(await row.getByRole('cell').allTextContents()).toEqual(['2', '0', '2', '0,3', 'Fler än snittet']);
    await page.getByRole('table', { name: 'Per område' }).waitFor();
    await checkA11y(page, 'weekly view 2025-W20');
    // Back one week: one incident, nothing before it.
    await page.getByRole('button', { name: 'Föregående vecka' }).click();
    await page.getByRole('heading', { level: 2, name: /^Vecka 19, 2025/ }).waitFor();
    await page.getByRole('button', { name: 'Nästa vecka' }).click();
    await page.getByRole('heading', { level: 2, name: /^Vecka 20, 2025/ }).waitFor();

    // The note from the review.
    const note = page.getByRole('region', { name: 'Anteckningar från veckans avstämning' });
    await field(note, 'Anteckning').fill('Avstämning med kommunpolisen: skadegörelse vid Stortorget, extra ronder fredag–lördag.');
    await note.getByRole('button', { name: 'Spara anteckningen' }).click();
    await status(page, 'Anteckningen är sparad.');
    await note.getByText(/^Senast ändrad av Sam Samordnare .* \(version 1\)\.$/).waitFor();
    await checkA11y(page, 'weekly view with note');

    // --- The Lag 2023:196 report ---
    await goVia(page, 'Lägesbildsrapporter');
    await page.getByText('Det finns inga lägesbildsrapporter än.').waitFor();
    await checkA11y(page, 'report list, empty');

    // Brå's reported crimes for the municipality: a file with an unknown municipality code is refused row by row, nothing imported.
    const stats = page.getByRole('form', { name: 'Importera' });
    const bra = (text: string) => ({ name: 'anmalda-brott.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
    await field(stats, 'Fil (XLSX eller CSV)').setInputFiles(bra('Kommunkod;Brottstyp;År;Antal\n0180 Stockholm;Skadegörelse;2024;9000\n'));
    await stats.getByRole('button', { name: 'Importera' }).click();
    await stats.getByRole('region', { name: 'Fel i filen' }).getByText('rad 2: Kommunkod: Kommunkoden 0180 Stockholm är inte kommunens (tillåtna: 1281).').waitFor();
    await page.getByText('Ingen statistik är importerad än.').waitFor();
    await checkA11y(page, 'crime statistics refused');
    await field(stats, 'Fil (XLSX eller CSV)').setInputFiles(bra('Kommunkod;Brottstyp;År;Antal\n1281 Lund;Skadegörelse;2024;1 480\n1281 Lund;Skadegörelse;2025;1 350\n'));
    await stats.getByRole('button', { name: 'Importera' }).click();
    await status(page, '2 rader är importerade.');
    await page.getByRole('table', { name: 'Importerad statistik' }).getByRole('rowheader', { name: 'Skadegörelse' }).first().waitFor();
    await checkA11y(page, 'crime statistics imported');
    const form = page.getByRole('region', { name: 'Ny lägesbild' });
    await form.getByRole('button', { name: 'Skapa lägesbild' }).click();
    await field(form, 'Rubrik').and(page.locator('[aria-invalid="true"]')).waitFor();
    await form.getByText('Fältet måste fyllas i.').waitFor();
    await field(form, 'Rubrik').fill('Lägesbild tertial 2 2025');
    await field(form, 'Period från').fill('2025-05-01');
    await field(form, 'Period till').fill('2025-08-31');
    await form.getByRole('button', { name: 'Skapa lägesbild' }).click();
    await h1(page).filter({ hasText: 'Lägesbild tertial 2 2025' }).waitFor();
    // Part 1's tables come from the data.
    const generated = page.getByRole('table', { name: 'Händelser per kategori' });
    expect(await generated.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Skadegörelse' }) }).getByRole('cell').allTextContents()).toEqual(['3', '0', '3', '0', '+3']);
    // … and the imported statistics, over years.
    const reported = page.getByRole('table', { name: 'Anmälda brott i kommunen per år (Brottsförebyggande rådet)' });
    expect(await reported.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Skadegörelse' }) }).getByRole('cell').allTextContents()).toEqual(['1\u00a0480', '1\u00a0350']);
    await checkA11y(page, 'report editor');

    const texts = {
      mapping: 'Skadegörelsen är koncentrerad till centrum kvällstid.',
      other: 'Trygghetsvandringen i maj pekade ut mörka gångstråk.',
      analysis: 'Bristande belysning och få vuxna ute är troliga orsaker.',
    };
    await field(page, 'Samordnarens beskrivning av kartläggningen').fill(texts.mapping);
    await field(page, 'Annan relevant information').fill(texts.other);
    await field(page, 'Analys').fill(texts.analysis);
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await status(page, 'Lägesbilden är sparad (version 2).');

    // The PDF, built by the job runner, holds the tables and the three parts.
    const docs = page.getByRole('region', { name: 'Dokument' });
    const pdf = await download(page, docs, 'PDF');
    expect(pdf.filename).toBe('Lägesbild tertial 2 2025 v2.pdf');
    expect(pdf.file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf.file);
    for (const s of [texts.mapping, texts.other, texts.analysis, '1. Kartläggning av brottsligheten, dess omfattning och konsekvenser', '2. Annan relevant information', '3. Analys', 'Händelser per kategori', 'Skadegörelse 3 0 3 0 +3']) expect(text).toContain(s);
    await checkA11y(page, 'report with the PDF ready');

    // The findings of the analysis.
    const findings = page.getByRole('form', { name: 'Slutsatser' });
    await findings.getByRole('button', { name: 'Lägg till slutsats' }).click();
    await field(findings, 'Slutsats 1').fill('Skadegörelsen i centrum ökar kvällstid.');
    await findings.getByRole('button', { name: 'Spara slutsatserna' }).click();
    await status(page, 'Slutsatserna är sparade (version 3).');
    await findings.getByText('Ingen åtgärd i åtgärdsplanen är kopplad till slutsatsen än.').waitFor();
    await checkA11y(page, 'report with a finding');

    // The action plan's action answers the finding.
    await page.goto(url(`/atgarder/${planActionId}`));
    const answers = page.getByRole('region', { name: 'Svarar mot lägesbildens slutsatser' });
    await answers.getByText('Åtgärden är inte kopplad till någon slutsats.').waitFor();
    await answers.getByRole('button', { name: 'Ändra kopplingar' }).click();
    await answers.getByRole('checkbox', { name: 'Lägesbild tertial 2 2025, slutsats 1: Skadegörelsen i centrum ökar kvällstid.' }).check();
    await checkA11y(page, 'action linking a finding');
    await answers.getByRole('button', { name: 'Spara kopplingarna' }).click();
    await answers.getByRole('status').filter({ hasText: 'Kopplingarna är sparade.' }).waitFor();
    await answers.getByRole('link', { name: /slutsats 1: Skadegörelsen i centrum/ }).click();
    await h1(page).filter({ hasText: 'Lägesbild tertial 2 2025' }).waitFor();
    await page.getByRole('list', { name: 'Åtgärder som följer av slutsatsen 1' }).getByRole('link', { name: 'Kvällsronder i centrum' }).waitFor();
    await checkA11y(page, 'report showing the action that follows from the finding');

    // Put forward for decision to the executive board through the case.
    await page.getByRole('button', { name: 'Lägg fram för beslut' }).click();
    let d = await dialog(page, 'Lägga fram lägesbilden för beslut');
    await d.getByRole('button', { name: 'Lägg fram för beslut' }).click();
    await field(d, 'Ärende').and(page.locator('[aria-invalid="true"]')).waitFor();
    await field(d, 'Ärende').selectOption({ label: `${caseNumber} Lägesbild och åtgärdsplan enligt lag (2023:196)` });
    await field(d, 'Beslutande organ').selectOption({ label: 'Kommunstyrelsen' });
    await d.getByRole('button', { name: 'Lägg fram för beslut' }).click();
    await status(page, `Lägesbilden är framlagd för beslut i ${caseNumber}.`);
    await page.getByText(/Lägesbilden är framlagd för beslut och kan inte ändras/).waitFor();
    const caseBox = page.getByRole('region', { name: 'Ärende och beslut' });
    await caseBox.getByText(`${caseNumber}-1`).waitFor();
    await caseBox.getByText('Förslag till Kommunstyrelsen, inte beslutat än').waitFor();
    expect(await page.getByRole('button', { name: 'Spara', exact: true }).count()).toBe(0);
    await checkA11y(page, 'report put forward for decision');

    // The body decides it in the case: that adopts and freezes the report.
    const reportUrl = page.url();
    await caseBox.getByRole('link', { name: `Öppna ärendet ${caseNumber}` }).click();
    const proposal = page.getByRole('region', { name: /Fastställande av lägesbild/ });
    await proposal.getByText('Fastställer lägesbild (lag 2023:196)', { exact: false }).waitFor();
    await checkA11y(page, 'case decisions with the lägesbild proposal');
    await proposal.getByRole('button', { name: 'Markera som fattat' }).click();
    d = await dialog(page, 'Markera som fattat');
    await field(d, 'Sammanträdesdatum').fill('2025-09-10');
    await field(d, 'Paragraf (§)').fill('88');
    await d.getByRole('button', { name: 'Markera som fattat' }).click();
    await d.waitFor({ state: 'detached' });
    const decided = page.getByRole('region', { name: /KS 2025-09-10 § 88 – Fastställande av lägesbild/ });
    await decided.getByText('Fattat', { exact: true }).waitFor();
    // The att-sats links to the report it adopted.
    await decided.getByRole('link', { name: 'Öppna lägesbildsrapporten' }).click();
    await page.waitForURL(reportUrl);
    await h1(page).filter({ hasText: 'Lägesbild tertial 2 2025' }).waitFor();
    await page.getByText(/Lägesbilden är fastställd genom beslut och kan inte ändras/).waitFor();
    await page.getByText(/Fastställd .* genom beslut KS 2025-09-10 § 88/).first().waitFor();
    expect(await page.getByRole('button', { name: 'Spara', exact: true }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: /Analys/ }).count()).toBe(0);
    await page.getByText(texts.analysis).waitFor();
    await page.getByRole('button', { name: 'Starta ny version' }).waitFor();
    const versions = page.getByRole('table', { name: 'Versioner' });
    expect(await versions.getByRole('row').nth(1).getByRole('cell').first().textContent()).toBe('Fastställd genom beslut');
    expect(await versions.getByRole('rowheader').allTextContents()).toEqual(['5', '4', '3', '2', '1']);
    await checkA11y(page, 'adopted report');

    // An earlier version can be read.
    await versions.getByRole('button', { name: 'Visa version 1' }).click();
    const v1 = page.getByRole('region', { name: 'Version 1' });
    await v1.getByText('Lägesbild tertial 2 2025 · 2025-05-01–2025-08-31 · Utkast').waitFor();
    await checkA11y(page, 'version 1 shown');

    // The list shows it as adopted.
    await page.getByRole('link', { name: 'Alla lägesbildsrapporter' }).click();
    await h1(page).filter({ hasText: 'Lägesbildsrapporter' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Lägesbild tertial 2 2025' }).getByText('Fastställd').waitFor();
    expect(co.problems).toEqual([]);
  });

  it('the administrator maps a police event type without a category from the weekly view, and the week counts it at once', async () => {
    // A police event of a type no category knows, and a night summary (not an event), in 2025-W30.
    const cookie = await apiSignIn(server.app, 'admin@lund.example');
    const event = (id: number, datetime: string, type: string) => ({ id, datetime, name: `${type}, Lund`, summary: 'e2e', url: `/aktuellt/handelser/${id}/`, type, location: { name: 'Lund', gps: '55.70466,13.191007' } });
    const form = multipartForm({}, { filename: 'events.json', contentType: 'application/json', data: Buffer.from(JSON.stringify([event(990001, '2025-07-22 10:00:00 +02:00', 'Nytt e2e-ärende'), event(990002, '2025-07-23 07:00:00 +02:00', 'Sammanfattning natt')])) });
    const imp = await server.app.inject({ method: 'POST', url: '/api/police-events/import', headers: { ...form.headers, cookie, origin: 'http://localhost' }, payload: form.payload });
    expect(imp.statusCode, imp.body).toBe(200);
    expect(imp.json().unmappedTypes).toEqual(['Nytt e2e-ärende']);

    const adm = await open();
    const page = adm.page;
    await signIn(page, 'admin@lund.example');
    await page.goto(url('/lagesbild/vecka'));
    await page.getByRole('heading', { level: 2, name: /^Vecka \d+, \d{4}/ }).waitFor();
    await field(page, 'Vecka').fill('2025-W30');
    await page.getByRole('heading', { level: 2, name: /^Vecka 30, 2025/ }).waitFor();
    const section = page.getByRole('region', { name: 'Polisens händelsetyper utan kategori' });
    await section.waitFor();
    expect(await section.innerText()).not.toContain('Sammanfattning natt');
    await checkA11y(page, 'weekly view with an unmapped police type');
    await section.getByRole('button', { name: 'Spara kopplingarna' }).click();
    await section.getByText('Välj en kategori för minst en typ.').waitFor();
    await field(section, 'Kategori för Nytt e2e-ärende (1)').selectOption({ label: 'Övrigt' });
    await section.getByRole('button', { name: 'Spara kopplingarna' }).click();
    await status(page, 'Kopplingarna är sparade.');
    await section.waitFor({ state: 'detached' });
    const row = page.getByRole('table', { name: 'Per kategori' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Övrigt' }) });
    expect((await row.getByRole('cell').allTextContents()).slice(0, 3)).toEqual(['0', '1', '1']);
    await checkA11y(page, 'weekly view after mapping');
    expect(adm.problems).toEqual([]);
  });

  it('a reader sees the weekly view and the reports but cannot write; a reporter has no such pages', async () => {
    // A note of its own week, written by the coordinator through the API.
    const cookie = await apiSignIn(server.app, 'samordnare@lund.example');
    const res = await server.app.inject({ method: 'PUT', url: '/api/lagesbild/weeks/2025-W18/note', headers: { cookie }, payload: { text: 'Lugn vecka; inga insatser.', version: null } });
    expect(res.statusCode, res.body).toBe(200);
    const rd = await open();
    await signIn(rd.page, 'lasare@lund.example');
    await goVia(rd.page, 'Veckolägesbild');
    await field(rd.page, 'Vecka').fill('2025-W18');
    const note = rd.page.getByRole('region', { name: 'Anteckningar från veckans avstämning' });
    await note.getByText('Lugn vecka; inga insatser.').waitFor();
    expect(await note.getByRole('button').count()).toBe(0);
    await checkA11y(rd.page, 'weekly view as reader');
    await goVia(rd.page, 'Lägesbildsrapporter');
    expect(await rd.page.getByRole('region', { name: 'Ny lägesbild' }).count()).toBe(0);
    expect(rd.problems).toEqual([]);

    const rp = await open();
    await signIn(rp.page, 'rapportor.son@lund.example');
    const links = await rp.page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allTextContents();
    expect(links).not.toContain('Veckolägesbild');
    await rp.page.goto(url('/lagesbild/vecka'));
    await h1(rp.page).filter({ hasText: 'Ingen behörighet' }).waitFor();
    await checkA11y(rp.page, 'weekly view forbidden');
  });
});
