import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, webDir } from '../helpers/server.ts';
import { signIn as apiSignIn } from '../helpers/factories.ts';
import { multipartForm } from '../helpers/multipart.ts';
import { silentLog } from '../helpers/jobs.ts';
import { createJobRunner, type JobRunner } from '../../src/server/lib/job-runner.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/seed.ts';
import { checkA11y, launchBrowser, type Browser, field, h1, signInAs } from './browser.ts';
import { pdfText } from '../helpers/pdf.ts';

if (!fs.existsSync(`${webDir}/index.html`)) {
  throw new Error(`The browser test needs the built web app, but ${webDir}/index.html is missing: run \`npm run build\` first.`);
}

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let runner: JobRunner;
const browsers: Browser[] = [];

beforeAll(async () => {
  server = await startTestServer();
  // The documents are export jobs: a runner polls for them as in production.
  runner = createJobRunner({ db: server.database.db, config: server.config, log: silentLog, handlers: server.app.contributions.jobHandlers, recurring: [], pollMs: 150 });
  runner.start();
  // Incidents in a known week (2025-W20) and the week before, reported through the API.
  const cookie = await apiSignIn(server.app, 'samordnare@lund.example');
  const cats = (await server.app.inject({ method: 'GET', url: '/api/incident-categories', headers: { cookie } })).json().items as { id: string; key: string }[];
  const tn = (await server.app.inject({ method: 'GET', url: '/api/organisations', headers: { cookie } })).json().items.find((o: { key?: string; name: string }) => o.name === 'Tekniska nämnden').id;
  const vandalism = cats.find((c) => c.key === 'vandalism')!.id;
  for (const occurredAt of ['2025-05-12T10:00:00+02:00', '2025-05-14T22:00:00+02:00', '2025-05-06T09:00:00+02:00']) {
    const res = await server.app.inject({ method: 'POST', url: '/api/incidents', headers: { cookie }, payload: { categoryId: vandalism, description: 'Krossade rutor (e2e)', organisationId: tn, occurredAt, location: { lat: 55.7047, lon: 13.191 } } });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await runner?.stop();
  await server?.close();
});

const url = (p: string) => new URL(p, server.url).toString();
const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

async function open() {
  const b = await launchBrowser();
  browsers.push(b);
  const problems: string[] = [];
  b.page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  b.page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  return { ...b, problems };
}
async function signIn(page: Page, email: string) {
  await signInAs(page, server.url, email, DEMO_PASSWORD);
}
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
  it('the coordinator reviews the week, writes the note, writes the Lag 2023:196 report, generates the PDF and adopts it', async () => {
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

    // Fastställ, after a confirmation.
    await page.getByRole('button', { name: 'Fastställ' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Fastställa lägesbilden?' });
    await dialog.getByText(/kan inte ändras/).waitFor();
    await checkA11y(page, 'adopt dialog');
    await dialog.getByRole('button', { name: 'Fastställ' }).click();
    await status(page, 'Lägesbilden är fastställd.');
    await page.getByText(/Lägesbilden är fastställd och kan inte ändras/).waitFor();
    expect(await page.getByRole('button', { name: 'Spara', exact: true }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: /Analys/ }).count()).toBe(0);
    await page.getByText(texts.analysis).waitFor();
    await page.getByRole('button', { name: 'Starta ny version' }).waitFor();
    const versions = page.getByRole('table', { name: 'Versioner' });
    expect(await versions.getByRole('row').nth(1).getByRole('cell').first().textContent()).toBe('Fastställd');
    expect(await versions.getByRole('rowheader').allTextContents()).toEqual(['3', '2', '1']);
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
