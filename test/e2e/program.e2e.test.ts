import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { checkA11y, escapeRe as escape, field, h1, useBrowserJourney } from './browser.ts';
import { signIn as apiSignIn } from '../helpers/factories.ts';

// The exports are jobs: a runner polls for them as in production (main.ts starts one).
const { server, url, signIn, open, jobs } = useBrowserJourney({ jobs: true });
const LUND = 'Program för trygghet och säkerhet i Lunds kommun';

const nav = (page: Page) => page.getByRole('navigation', { name: /Huvudmeny|Main menu/ });

async function expectHeading(page: Page, text: string | RegExp) {
  await h1(page).filter({ hasText: text }).waitFor();
}

async function goVia(page: Page, link: string, heading: string | RegExp = link) {
  await nav(page).getByRole('link', { name: link, exact: true }).click();
  await expectHeading(page, heading);
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
}

const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

async function api<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(url(path));
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

/** YYYY-MM-DD, `days` from today. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const pct = (v: number | null) => (v === null ? '–' : `${new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 }).format(v)} %`);

interface Task {
  id: string;
  roundName: string;
  actionId: string;
  actionTitle: string;
  organisationName: string;
  state: string;
  progress: number | null;
  previous: { roundName: string; progress: number | null } | null;
}
interface Rollup {
  progress: number | null;
  health: string;
  focusAreas: { number: number; actionCount: number; goals: { id: string; number: number; title: string; actions?: { id: string; progress: number | null }[] }[] }[];
}

/** Submits one task in Mina uppgifter (status, progress, what was done), through the confirmation. */
async function submitTask(page: Page, task: Locator, title: string, progress: number, done: string) {
  await field(task, 'Åtgärdens status').selectOption({ label: 'Pågår' });
  await field(task, 'Genomförandegrad (0–100 %)').fill(String(progress));
  await field(task, 'Vad har gjorts').fill(done);
  await task.getByRole('button', { name: 'Skicka in' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Skicka in rapporten?' });
  await confirm.getByRole('button', { name: 'Skicka in' }).click();
  await status(page, `Rapporten för ${title} är inskickad.`);
  await task.getByText(/Inskickad .*Rapporten kan inte ändras\./).waitFor();
  // The form is gone: focus stays with this task, on its heading.
  await page.waitForFunction((t) => document.activeElement?.tagName === 'H3' && document.activeElement.textContent === t, title);
}

/** Asks for a file in an export panel (unless `create` is false: it was asked for already) and downloads it when ready. */
async function download(page: Page, panel: Locator, format: 'DOCX' | 'PDF' | 'XLSX' | 'CSV', create = true) {
  if (create) await panel.getByRole('button', { name: `Skapa ${format}` }).click();
  const link = panel.getByRole('link', { name: new RegExp(`^Ladda ner .*\\.${format.toLowerCase()}$`) });
  await link.waitFor({ timeout: 30_000 });
  const href = (await link.getAttribute('href'))!;
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = fs.readFileSync((await dl.path())!);
  const res = await page.request.get(url(href));
  return { file, contentType: res.headers()['content-type'], filename: dl.suggestedFilename(), body: await res.body() };
}

describe('program, follow-up and Mina uppgifter in Chromium', () => {
  it('the follow-up journey: open a round, report, return, fix, close, 100 % submitted, roll-up and the board report', async () => {
    const roundName = `Tertial 1 2027 E2E ${Date.now() % 100000}`;

    // --- The coordinator opens a round scoped to Socialnämnden ---
    const coord = await open();
    const cp = coord.page;
    await signIn(cp, 'samordnare@lund.example');
    expect(await nav(cp).getByRole('link').allTextContents()).toEqual(expect.arrayContaining(['Program', 'Uppföljning', 'Mina uppgifter']));
    const programs = await api<{ items: { id: string; title: string }[] }>(cp, '/api/programs');
    const programId = programs.items.find((p) => p.title === LUND)!.id;
    const rollupBefore = await api<Rollup>(cp, `/api/programs/${programId}/rollup`);
    const sonActions = (await api<{ items: { id: string; title: string; status: string; responsibleOrganisationName: string }[] }>(cp, `/api/actions?programId=${programId}`)).items.filter(
      (a) => a.responsibleOrganisationName === 'Socialnämnden' && a.status !== 'cancelled',
    );
    expect(sonActions.length).toBeGreaterThan(1);

    await goVia(cp, 'Uppföljning');
    await field(cp, 'Program').selectOption({ label: LUND });
    const rounds = cp.getByRole('table', { name: 'Uppföljningsomgångar' });
    await rounds.getByRole('link', { name: 'Tertial 2 2026' }).waitFor();
    await rounds.getByRole('link', { name: 'Tertial 3 2026' }).waitFor();
    await checkA11y(cp, 'follow-up rounds');

    await cp.getByRole('button', { name: 'Öppna omgång' }).click();
    const dialog = cp.getByRole('dialog', { name: 'Öppna en uppföljningsomgång' });
    // Nothing filled in: Swedish field errors, nothing sent.
    await dialog.getByRole('button', { name: 'Öppna omgång' }).click();
    await dialog.getByText('Fältet måste fyllas i.').first().waitFor();
    expect(await dialog.getByText('Fältet måste fyllas i.').count()).toBe(2);
    await field(dialog, 'Namn (t.ex. Tertial 2 2026)').fill(roundName);
    await field(dialog, 'Sista dag för rapportering').fill(inDays(-3));
    await dialog.getByRole('button', { name: 'Öppna omgång' }).click();
    await dialog.getByText('Sista dag får inte ha passerat.').waitFor();
    await field(dialog, 'Sista dag för rapportering').fill(inDays(30));
    await dialog.getByRole('group', { name: 'Omfattning' }).getByLabel('Socialnämnden', { exact: true }).check();
    await checkA11y(cp, 'open round dialog');
    await dialog.getByRole('button', { name: 'Öppna omgång' }).click();
    await status(cp, `Omgången ${roundName} är öppnad.`);
    const newRow = rounds.getByRole('row').filter({ hasText: roundName });
    await newRow.getByText(`0 av ${sonActions.length} inskickade (0 %)`).waitFor();
    await newRow.getByRole('link', { name: roundName }).click();
    await expectHeading(cp, `Uppföljning: ${roundName}`);
    const overview = cp.getByRole('table', { name: 'Rapporteringsläge per organisation' });
    await overview.getByRole('rowheader', { name: 'Socialnämnden' }).waitFor();
    expect(await overview.getByRole('row').count()).toBe(2); // header + Socialnämnden only: the scope
    await checkA11y(cp, 'round page');

    // --- A reporter of Socialnämnden: only their tasks; a draft, then submits every task of the round ---
    const rep = await open();
    const rp = rep.page;
    await signIn(rp, 'rapportor.son@lund.example');
    expect(await nav(rp).getByRole('link').allTextContents()).toEqual(['Start', 'Aviseringar', 'Mina uppgifter', 'Rapportera händelse', 'Styrdokument', 'Program', 'Uppföljning', 'Organisationer']);
    await goVia(rp, 'Mina uppgifter');
    const section = rp.getByRole('region', { name: new RegExp(escape(roundName)) });
    await section.waitFor();
    const mine = (await api<{ items: Task[] }>(rp, '/api/follow-up-reports?mine=true')).items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((t) => t.organisationName === 'Socialnämnden')).toBe(true);
    const tasks = mine.filter((t) => t.roundName === roundName);
    expect(tasks.map((t) => t.actionId).sort()).toEqual(sonActions.map((a) => a.id).sort());
    expect(await section.getByRole('article').count()).toBe(tasks.length);
    // Every task on the page is Socialnämnden's.
    const orgLines = await rp.getByRole('article').getByText(/^Organisation: /).allTextContents();
    expect(orgLines.length).toBe(mine.length);
    for (const line of orgLines) expect(line).toMatch(/^Organisation: Socialnämnden/);
    // The trend against the last closed round.
    const first = tasks[0];
    expect(first.previous?.roundName).toBe('Tertial 2 2026');
    const firstTask = section.getByRole('article', { name: first.actionTitle });
    await firstTask.getByText(`Förra omgången (Tertial 2 2026): `, { exact: false }).waitFor();
    await checkA11y(rp, 'Mina uppgifter');

    // Bad progress is caught at the field; a draft is saved and survives a reload.
    await field(firstTask, 'Genomförandegrad (0–100 %)').fill('150');
    await firstTask.getByRole('button', { name: 'Spara utkast' }).click();
    await firstTask.getByText('Ange ett heltal mellan 0 och 100.').waitFor();
    expect(await field(firstTask, 'Genomförandegrad (0–100 %)').getAttribute('aria-invalid')).toBe('true');
    await checkA11y(rp, 'Mina uppgifter with a field error');
    await field(firstTask, 'Åtgärdens status').selectOption({ label: 'Pågår' });
    await field(firstTask, 'Genomförandegrad (0–100 %)').fill('65');
    await field(firstTask, 'Vad har gjorts').fill('Två utbildningstillfällen genomförda.');
    await firstTask.getByRole('button', { name: 'Spara utkast' }).click();
    await status(rp, `Utkastet för ${first.actionTitle} är sparat.`);
    await rp.reload();
    await expectHeading(rp, 'Mina uppgifter');
    await expect.poll(() => field(firstTask, 'Genomförandegrad (0–100 %)').inputValue()).toBe('65');
    await firstTask.getByText('Utkast', { exact: true }).waitFor();
    // An attachment: a disguised file is refused with the server's message, a real PDF is kept.
    await firstTask.getByLabel('Bifoga fil').setInputFiles({ name: 'falsk.pdf', mimeType: 'application/pdf', buffer: Buffer.from('inte en pdf') });
    await firstTask.getByRole('button', { name: 'Bifoga', exact: true }).click();
    await firstTask.getByText('Filen är inte av en tillåten typ. Innehållet kontrolleras, inte filnamnet.').waitFor();
    await firstTask.getByLabel('Bifoga fil').setInputFiles({ name: 'Närvarolista.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n') });
    await firstTask.getByRole('button', { name: 'Bifoga', exact: true }).click();
    await firstTask.getByRole('link', { name: 'Närvarolista.pdf' }).waitFor();
    await checkA11y(rp, 'Mina uppgifter with an attachment');
    // Submitting asks for what is missing first.
    const second = tasks[1];
    const secondTask = section.getByRole('article', { name: second.actionTitle });
    await secondTask.getByRole('button', { name: 'Skicka in' }).click();
    await secondTask.getByText('Fältet måste fyllas i.').first().waitFor();
    expect(await rp.getByRole('alertdialog').count()).toBe(0);

    await submitTask(rp, firstTask, first.actionTitle, 65, 'Två utbildningstillfällen genomförda.');
    for (const t of tasks.slice(1)) await submitTask(rp, section.getByRole('article', { name: t.actionTitle }), t.actionTitle, 40, 'Arbetet pågår.');
    await checkA11y(rp, 'Mina uppgifter, all submitted');

    // --- The coordinator returns one report with a comment ---
    await cp.reload();
    await expectHeading(cp, `Uppföljning: ${roundName}`);
    await cp.getByTestId('round-total').getByText(`${tasks.length} av ${tasks.length} inskickade (100 %)`).waitFor();
    await field(cp, 'Rapportstatus').selectOption({ label: 'Inskickad' });
    const reports = cp.getByRole('table', { name: 'Rapporter', exact: true });
    await reports.getByRole('rowheader', { name: new RegExp(escape(first.actionTitle)) }).waitFor();
    // The coordinator sees the reporter's attachment and can fetch it.
    const attachmentLink = reports.getByRole('link', { name: 'Närvarolista.pdf' });
    const attachmentHref = await attachmentLink.getAttribute('href');
    const fetched = await cp.evaluate(async (href) => {
      const r = await fetch(href!);
      return { status: r.status, type: r.headers.get('content-type'), head: (await r.text()).slice(0, 5) };
    }, attachmentHref);
    expect(fetched).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });
    await cp.getByRole('button', { name: `Skicka tillbaka rapporten för ${first.actionTitle}` }).click();
    const ret = cp.getByRole('dialog', { name: 'Skicka tillbaka rapporten' });
    await ret.getByRole('button', { name: 'Skicka tillbaka' }).click();
    await ret.getByText('Fältet måste fyllas i.').waitFor();
    await checkA11y(cp, 'return dialog');
    await field(ret, 'Kommentar till rapportören').fill('Ange hur många som har utbildats.');
    await ret.getByRole('button', { name: 'Skicka tillbaka' }).click();
    await status(cp, 'Rapporten är återsänd.');
    await overview.getByRole('row', { name: /Socialnämnden/ }).getByRole('cell').nth(3).filter({ hasText: /^1$/ }).waitFor(); // Återsända
    await checkA11y(cp, 'round page after return');

    // --- The reporter sees the comment, fixes and resubmits ---
    await rp.reload();
    await expectHeading(rp, 'Mina uppgifter');
    const returned = section.getByRole('article', { name: first.actionTitle });
    await returned.getByRole('note', { name: 'Rapporten har skickats tillbaka' }).getByText('Samordnarens kommentar: Ange hur många som har utbildats.').waitFor();
    await returned.getByText('Återsänd', { exact: true }).waitFor();
    // The submitted values are still there to be fixed.
    expect(await field(returned, 'Genomförandegrad (0–100 %)').inputValue()).toBe('65');
    await checkA11y(rp, 'Mina uppgifter with a returned report');
    await submitTask(rp, returned, first.actionTitle, 70, 'Två utbildningstillfällen, 48 medarbetare utbildade.');

    // --- A reporter of Tekniska nämnden sees none of Socialnämnden's tasks ---
    const tn = await open();
    await signIn(tn.page, 'rapportor.tn@lund.example');
    await goVia(tn.page, 'Mina uppgifter');
    await tn.page.getByRole('article').first().waitFor();
    const tnLines = await tn.page.getByRole('article').getByText(/^Organisation: /).allTextContents();
    expect(tnLines.length).toBeGreaterThan(0);
    for (const line of tnLines) expect(line).toMatch(/^Organisation: Tekniska nämnden/);
    expect(await tn.page.getByRole('region', { name: new RegExp(escape(roundName)) }).count()).toBe(0);
    for (const t of tasks) expect(await tn.page.getByText(t.actionTitle).count()).toBe(0);
    const sonId = (await api<{ items: { id: string; name: string }[] }>(tn.page, '/api/organisations')).items.find((o) => o.name === 'Socialnämnden')!.id;
    expect((await api<{ items: unknown[] }>(tn.page, `/api/follow-up-reports?organisationId=${sonId}`)).items).toEqual([]);
    await checkA11y(tn.page, 'Mina uppgifter for Tekniska nämnden');

    // --- The coordinator closes the round: 100 % submitted, frozen ---
    await cp.reload();
    await expectHeading(cp, `Uppföljning: ${roundName}`);
    await cp.getByTestId('round-total').getByText(`${tasks.length} av ${tasks.length} inskickade (100 %)`).waitFor();
    const sonRow = overview.getByRole('row', { name: /Socialnämnden/ });
    expect(await sonRow.getByRole('cell').allTextContents()).toEqual([String(tasks.length), String(tasks.length), '0', '0', '0', 'I tid']);
    await cp.getByRole('button', { name: 'Stäng omgången' }).click();
    const close = cp.getByRole('alertdialog', { name: 'Stäng omgången?' });
    await close.getByText('Rapporterna fryses').waitFor();
    await checkA11y(cp, 'close round dialog');
    await close.getByRole('button', { name: 'Stäng omgången' }).click();
    await status(cp, 'Omgången är stängd.');
    await cp.getByRole('definition').filter({ hasText: /^Stängd / }).waitFor();
    expect(await cp.getByRole('button', { name: 'Stäng omgången' }).count()).toBe(0);
    expect(await cp.getByRole('button', { name: /^Skicka tillbaka rapporten/ }).count()).toBe(0);
    await cp.getByTestId('round-total').getByText(`${tasks.length} av ${tasks.length} inskickade (100 %)`).waitFor();
    await checkA11y(cp, 'closed round');

    // The board report as DOCX, PDF and XLSX, built by the job runner.
    const board = cp.getByRole('region', { name: 'Rapport till kommunstyrelsen' });
    // While no runner is free the page says that the file is waiting, then follows it to the end.
    await jobs.stop();
    await board.getByRole('button', { name: 'Skapa PDF' }).click();
    await board.getByRole('status').filter({ hasText: 'Väntar på att byggas …' }).waitFor();
    expect(await board.getByRole('button', { name: 'Skapa PDF' }).isDisabled()).toBe(true);
    jobs.start();
    const docx = await download(cp, board, 'DOCX');
    expect(docx.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.file.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(docx.file.length).toBeGreaterThan(5_000);
    expect(docx.filename).toBe(`Uppföljning ${roundName}.docx`);
    const pdf = await download(cp, board, 'PDF', false);
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.file.length).toBeGreaterThan(5_000);
    const xlsx = await download(cp, board, 'XLSX');
    expect(xlsx.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.file.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(xlsx.file.length).toBeGreaterThan(3_000);
    for (const f of [docx, pdf, xlsx]) expect(f.body.equals(f.file)).toBe(true);
    await checkA11y(cp, 'round page with downloads');

    // The print-friendly page: the same parts as the board report.
    await board.getByRole('link', { name: 'Utskriftsvänlig version' }).click();
    await cp.getByRole('heading', { level: 2, name: 'Sammanfattning' }).waitFor();
    await cp.getByRole('heading', { level: 3, name: 'Bilaga 1: Socialnämnden' }).waitFor();
    await cp.getByRole('definition').filter({ hasText: `${tasks.length} av ${tasks.length}` }).waitFor();
    const actionsTable = cp.getByRole('table', { name: 'Åtgärder' });
    for (const t of tasks) await actionsTable.getByRole('row', { name: new RegExp(escape(t.actionTitle)) }).waitFor();
    await actionsTable.getByText('48 medarbetare utbildade', { exact: false }).waitFor();
    // The summary page's charts, as in the PDF: each a figure named by its title, its drawing described in words.
    const charts = cp.getByRole('figure');
    await charts.first().waitFor();
    // The summary's three, and the trend of the safety survey's indicator (the demo's measured values).
    expect(await charts.count()).toBe(4);
    await cp.getByRole('figure', { name: /^Mål 2\.\d: Andel som känner sig trygga ute ensamma/ }).getByRole('img', { name: /^Linjediagram\. .*Mätvärde: 2022 68 %, 2024 70 %, 2025 72 %/ }).waitFor();
    await cp.getByRole('figure', { name: 'Genomförandegrad och andel genomförda åtgärder per fokusområde' }).getByRole('img', { name: /^Liggande stapeldiagram\. .*Förebyggande arbete: genomförandegrad \d/ }).waitFor();
    await cp.getByRole('figure', { name: 'Genomförandegrad per mål över uppföljningsomgångarna' }).getByRole('img', { name: new RegExp(`Mål 2\\.1: .*${escape(roundName)}`) }).waitFor();
    await cp.getByRole('figure', { name: 'Åtgärdernas status per fokusområde' }).waitFor();
    await checkA11y(cp, 'print page');
    await cp.emulateMedia({ media: 'print' });
    expect(await cp.getByRole('banner').isVisible()).toBe(false);
    expect(await cp.getByRole('button', { name: 'Skriv ut' }).isVisible()).toBe(false);
    expect(await cp.getByRole('heading', { level: 2, name: 'Sammanfattning' }).isVisible()).toBe(true);
    await cp.emulateMedia({ media: 'screen' });

    // --- The roll-up on the program page reflects what was reported ---
    const rollup = await api<Rollup>(cp, `/api/programs/${programId}/rollup`);
    expect(rollup.progress).not.toBe(rollupBefore.progress);
    await goVia(cp, 'Program', 'Program och planer');
    await checkA11y(cp, 'program list');
    await cp.getByRole('link', { name: LUND }).click();
    await expectHeading(cp, LUND);
    const summary = cp.getByRole('region', { name: 'Måluppfyllelse och genomförande' });
    await summary.getByText(`Genomförandegrad ${pct(rollup.progress)}`).waitFor();
    await summary.getByText(/Läge: (Enligt plan|Viss risk|Stor risk|Ingen bedömning)$/).first().waitFor();
    await checkA11y(cp, 'program page');
    // Drill down: the goal of the first task, to its action, showing the reported progress.
    const drilled = await Promise.all(
      rollup.focusAreas.flatMap((f) => f.goals.map(async (g) => ({ f, g: (await api<Rollup>(cp, `/api/programs/${programId}/rollup?goalId=${g.id}`)).focusAreas.flatMap((x) => x.goals).find((x) => x.id === g.id)! }))),
    );
    const home = drilled.find(({ g }) => g.actions?.some((a) => a.id === first.actionId))!;
    const toggle = cp.getByRole('button', { name: `Mål ${home.f.number}.${home.g.number}: ${home.g.title}` });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const actionLink = cp.getByRole('link', { name: first.actionTitle });
    await actionLink.waitFor();
    await actionLink.locator('xpath=..').getByText('70 %').waitFor();
    // The demo actions are marked as example data.
    await actionLink.locator('xpath=..').getByText('Exempeldata', { exact: true }).waitFor();
    await checkA11y(cp, 'program page, goal expanded');
    // Filter by organisation: only Socialnämnden's actions count.
    await field(cp, 'Organisation').selectOption({ label: 'Socialnämnden' });
    const filtered = await api<Rollup>(cp, `/api/programs/${programId}/rollup?organisationId=${sonId}`);
    const total = filtered.focusAreas.reduce((n, f) => n + f.actionCount, 0);
    await summary.getByText(`${total} åtgärder`).waitFor();
    expect(total).toBe(sonActions.length);

    await actionLink.click();
    await expectHeading(cp, first.actionTitle);
    const history = cp.getByRole('table', { name: 'Historik' });
    await history.getByRole('row').filter({ hasText: 'Uppdaterad genom rapport' }).filter({ hasText: 'Genomförandegrad: 65 % → 70 %' }).waitFor();
    await history.getByRole('row').filter({ hasText: 'Skapad' }).first().waitFor();
    // The drill-down reaches the action's reports: this round's, with its attachment.
    const actionReports = cp.getByRole('region', { name: 'Rapporter i uppföljningen' });
    await actionReports.getByRole('heading', { name: `${roundName} · Inskickad` }).waitFor();
    await actionReports.getByText('Två utbildningstillfällen, 48 medarbetare utbildade.').waitFor();
    await actionReports.getByRole('link', { name: 'Närvarolista.pdf' }).waitFor();
    await checkA11y(cp, 'action page');

    expect([...coord.problems, ...rep.problems, ...tn.problems]).toEqual([]);
  });

  it('import: a bad file gets a Swedish row-by-row report and cannot be imported; an exported plan re-imports after confirmation', async () => {
    const { page, problems } = await open();
    await signIn(page, 'samordnare@lund.example');
    await goVia(page, 'Program', 'Program och planer');
    await page.getByRole('link', { name: LUND }).click();
    await expectHeading(page, LUND);
    const section = page.getByRole('region', { name: 'Importera åtgärder' });
    const run = section.getByRole('button', { name: 'Importera', exact: true });
    expect(await run.isDisabled()).toBe(true);
    // No file chosen.
    await section.getByRole('button', { name: 'Granska filen' }).click();
    await section.getByText('Välj en fil.').waitFor();

    const bad = Buffer.from('\uFEFFFokusområde;Mål;Åtgärd;Ansvarig;Genomförandegrad\r\n9;9;Ny åtgärd;Socialnämnden;10\r\n2;1;Annan åtgärd;Finns inte AB;150\r\n', 'utf8');
    await section.getByLabel('Fil (xlsx eller csv)').setInputFiles({ name: 'plan.csv', mimeType: 'text/csv', buffer: bad });
    await section.getByRole('button', { name: 'Granska filen' }).click();
    await section.getByRole('status').filter({ hasText: /2 rader har fel/ }).waitFor();
    const rows = section.getByRole('table', { name: 'Granskning rad för rad' });
    await rows.getByRole('row', { name: /Ny åtgärd/ }).getByText('Fokusområde 9, mål 9 finns inte i planen.', { exact: false }).waitFor();
    const other = rows.getByRole('row', { name: /Annan åtgärd/ });
    await other.getByText('Organisationen "Finns inte AB" finns inte eller är avaktiverad.', { exact: false }).waitFor();
    await other.getByText('Ange ett heltal mellan 0 och 100.', { exact: false }).waitFor();
    expect(await run.isDisabled()).toBe(true);
    await checkA11y(page, 'import preview with errors');

    // A file that is not a spreadsheet at all: the server's Swedish message.
    await section.getByLabel('Fil (xlsx eller csv)').setInputFiles({ name: 'bild.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]) });
    await section.getByRole('button', { name: 'Granska filen' }).click();
    await section.getByRole('alert').filter({ hasText: 'Filen är inte av en tillåten typ. Innehållet kontrolleras, inte filnamnet.' }).waitFor();
    expect(await section.getByRole('table', { name: 'Granskning rad för rad' }).count()).toBe(0);
    expect(await run.isDisabled()).toBe(true);

    // The plan exported as CSV re-imports to the same plan: valid, nothing new.
    const exportPanel = page.getByRole('region', { name: 'Exportera planen' });
    const csv = await download(page, exportPanel, 'CSV');
    expect(csv.contentType).toMatch(/^text\/csv/);
    const count = (await api<{ total: number }>(page, `/api/actions?programId=${(await api<{ items: { id: string; title: string }[] }>(page, '/api/programs')).items.find((p) => p.title === LUND)!.id}`)).total;
    await section.getByLabel('Fil (xlsx eller csv)').setInputFiles({ name: csv.filename, mimeType: 'text/csv', buffer: csv.file });
    await section.getByRole('button', { name: 'Granska filen' }).click();
    await section.getByRole('status').filter({ hasText: `Alla rader är giltiga: 0 nya, 0 ändrade, ${count} oförändrade.` }).waitFor();
    expect(await run.isDisabled()).toBe(false);
    await run.click();
    const confirm = page.getByRole('alertdialog', { name: 'Importera åtgärderna?' });
    await checkA11y(page, 'import confirmation');
    await confirm.getByRole('button', { name: 'Importera' }).click();
    await status(page, 'Importen är klar: 0 nya och 0 ändrade åtgärder.');
    expect(problems).toEqual([]);
  });

  it('a coordinator builds a program in the UI; an action edit that lost a race offers to reload; a reader only reads', async () => {
    const { page, problems } = await open();
    await signIn(page, 'samordnare@lund.example');
    await goVia(page, 'Program', 'Program och planer');
    await page.getByRole('button', { name: 'Nytt program' }).click();
    const dlg = page.getByRole('dialog', { name: 'Nytt program eller ny plan' });
    await dlg.getByRole('button', { name: 'Skapa' }).click();
    await dlg.getByText('Fältet måste fyllas i.').first().waitFor();
    expect(await field(dlg, 'Titel').getAttribute('aria-invalid')).toBe('true');
    await field(dlg, 'Titel').fill('Handlingsprogram för skydd mot olyckor E2E');
    await field(dlg, 'Typ').selectOption({ label: 'Handlingsprogram enligt LSO' });
    const owner = field(dlg, 'Ägande organisation');
    await owner.selectOption((await owner.locator('option', { hasText: 'Kommunstyrelsen' }).first().getAttribute('value'))!);
    await field(dlg, 'Gäller från').fill('2027-01-01');
    await field(dlg, 'Gäller till').fill('2026-01-01');
    await dlg.getByRole('button', { name: 'Skapa' }).click();
    await dlg.getByText('Slutdatum kan inte vara före startdatum.').waitFor();
    await field(dlg, 'Gäller till').fill('2030-12-31');
    // No status to choose: a new program is a draft until the adopting body's decision (issue #11 item 3).
    expect(await field(dlg, 'Status').count()).toBe(0);
    const body = field(dlg, 'Beslutande organ');
    await body.selectOption((await body.locator('option', { hasText: 'Kommunfullmäktige' }).first().getAttribute('value'))!);
    await checkA11y(page, 'create program dialog');
    await dlg.getByRole('button', { name: 'Skapa' }).click();
    await status(page, 'Handlingsprogram för skydd mot olyckor E2E har skapats.');
    const row = page.getByRole('row').filter({ hasText: 'Handlingsprogram för skydd mot olyckor E2E' });
    await row.getByText('Handlingsprogram enligt LSO').waitFor();
    await row.getByText('2027-01-01–2030-12-31').waitFor();
    await row.getByText('Utkast', { exact: true }).waitFor();
    await row.getByText('Antas av Kommunfullmäktige').waitFor();
    await row.getByRole('link').click();
    await expectHeading(page, 'Handlingsprogram för skydd mot olyckor E2E');
    // It is registered as a governing document, a draft there too.
    await page.getByRole('link', { name: 'Visa Handlingsprogram för skydd mot olyckor E2E i registret över styrdokument' }).waitFor();
    await page.getByText('Programmet har inga fokusområden ännu.').waitFor();

    await page.getByRole('button', { name: 'Nytt fokusområde' }).click();
    const fa = page.getByRole('dialog', { name: 'Nytt fokusområde' });
    await field(fa, 'Rubrik').fill('Förebyggande brandskydd');
    await fa.getByRole('button', { name: 'Skapa' }).click();
    await status(page, 'Fokusområdet har skapats.');
    await page.getByRole('heading', { level: 2, name: 'Fokusområde 1: Förebyggande brandskydd' }).waitFor();
    await page.getByRole('button', { name: 'Nytt mål i fokusområde 1' }).click();
    const gd = page.getByRole('dialog', { name: 'Nytt mål i fokusområde 1' });
    await field(gd, 'Mål').fill('Färre bränder i bostäder');
    await field(gd, 'Målvärde').fill('50');
    await gd.getByRole('button', { name: 'Skapa' }).click();
    await status(page, 'Målet har skapats.');
    const goalToggle = page.getByRole('button', { name: 'Mål 1.1: Färre bränder i bostäder' });
    await goalToggle.click();
    // A goal without actions says so (not "no actions match": no filter is set).
    await page.getByText('Målet har inga åtgärder ännu.').waitFor();
    await page.getByRole('button', { name: 'Ny åtgärd för mål 1.1' }).click();
    const ad = page.getByRole('dialog', { name: 'Ny åtgärd för mål 1.1' });
    await field(ad, 'Titel').fill('Hembesök med brandskyddsinformation');
    const resp = field(ad, 'Ansvarig organisation');
    await resp.selectOption((await resp.locator('option', { hasText: 'Tekniska nämnden' }).first().getAttribute('value'))!);
    await ad.getByRole('group', { name: 'Medverkande organisationer' }).getByLabel('Socialnämnden', { exact: true }).check();
    await field(ad, 'Startdatum').fill('2027-02-01');
    await field(ad, 'Slutdatum').fill('2027-01-01');
    await field(ad, 'Genomförandegrad (0–100 %)').fill('101');
    await ad.getByRole('button', { name: 'Skapa' }).click();
    await ad.getByText('Slutdatum kan inte vara före startdatum.').waitFor();
    await ad.getByText('Ange ett heltal mellan 0 och 100.').waitFor();
    await field(ad, 'Slutdatum').fill('2027-12-31');
    await field(ad, 'Genomförandegrad (0–100 %)').fill('20');
    await field(ad, 'Status').selectOption({ label: 'Pågår' });
    const subAreas = ad.getByRole('group', { name: 'Delområden' });
    expect(await subAreas.getByRole('checkbox').count()).toBe(12);
    await subAreas.getByLabel('Systematiskt brandskyddsarbete').check();
    await subAreas.getByLabel('Skydd mot olyckor').check();
    await checkA11y(page, 'action dialog');
    await ad.getByRole('button', { name: 'Skapa' }).click();
    await status(page, 'Åtgärden Hembesök med brandskyddsinformation har skapats.');
    await page.getByRole('region', { name: 'Måluppfyllelse och genomförande' }).getByText('Genomförandegrad 20 %').waitFor();
    const created = page.getByRole('link', { name: 'Hembesök med brandskyddsinformation' });
    await created.waitFor();
    expect(await created.locator('xpath=..').getByText('Exempeldata').count()).toBe(0);
    await created.click();
    await expectHeading(page, 'Hembesök med brandskyddsinformation');
    await page.getByRole('definition').filter({ hasText: 'Systematiskt brandskyddsarbete, Skydd mot olyckor' }).waitFor();
    await page.getByRole('definition').filter({ hasText: /^Socialnämnden$/ }).waitFor();

    // Someone else changes the action while the dialog is open: 409, reload, save again.
    await page.getByRole('button', { name: 'Ändra åtgärden' }).click();
    const ed = page.getByRole('dialog', { name: 'Ändra Hembesök med brandskyddsinformation' });
    const actionId = new URL(page.url()).pathname.split('/').pop()!;
    const current = await api<{ version: number }>(page, `/api/actions/${actionId}`);
    const other = await page.request.patch(url(`/api/actions/${actionId}`), { data: { version: current.version, contactPerson: 'Kim Annan' } });
    expect(other.status()).toBe(200);
    await field(ed, 'Genomförandegrad (0–100 %)').fill('35');
    await ed.getByRole('button', { name: 'Spara' }).click();
    await ed.getByRole('alert').filter({ hasText: /ändrats av någon annan|ändrad av någon annan|Någon annan/i }).waitFor();
    await checkA11y(page, 'action edit conflict');
    await ed.getByRole('button', { name: 'Ladda om uppgifterna' }).click();
    await ed.getByRole('alert').waitFor({ state: 'detached' });
    await ed.getByRole('button', { name: 'Spara' }).click();
    await status(page, 'Åtgärden är sparad.');
    await page.getByRole('definition').filter({ hasText: /^35 %$/ }).waitFor();
    const history = page.getByRole('table', { name: 'Historik' });
    await history.getByRole('row').filter({ hasText: 'Genomförandegrad: 20 % → 35 %' }).waitFor();
    await history.getByRole('row').filter({ hasText: 'Kontaktperson: – → Kim Annan' }).waitFor();
    await history.getByRole('row').filter({ hasText: 'Sam Samordnare' }).first().waitFor();
    await checkA11y(page, 'action page with history');

    // A reader: programs and follow-up to read, no tasks, no buttons to change anything.
    const reader = await open();
    const rp = reader.page;
    await signIn(rp, 'lasare@lund.example');
    expect(await nav(rp).getByRole('link').allTextContents()).toEqual([
      'Start', 'Aviseringar', 'Rapportera händelse', 'Händelser', 'Lägesbild', 'Veckolägesbild', 'Lägesbildsrapporter',
      'Diarium', 'Sammanträden', 'Styrdokument', 'Program', 'Uppföljning', 'Organisationer',
    ]);
    await goVia(rp, 'Program', 'Program och planer');
    expect(await rp.getByRole('button', { name: 'Nytt program' }).count()).toBe(0);
    await rp.getByRole('link', { name: LUND }).click();
    await expectHeading(rp, LUND);
    await rp.getByRole('region', { name: 'Måluppfyllelse och genomförande' }).getByText(/^Genomförandegrad \d+ %$/).waitFor();
    for (const name of ['Nytt fokusområde', 'Granska filen', /^Nytt mål/])
      expect(await rp.getByRole('button', { name }).count(), String(name)).toBe(0);
    await rp.getByRole('region', { name: 'Exportera planen' }).waitFor();
    await checkA11y(rp, 'program page as reader');
    await goVia(rp, 'Uppföljning');
    expect(await rp.getByRole('button', { name: 'Öppna omgång' }).count()).toBe(0);
    await field(rp, 'Program').selectOption({ label: LUND });
    await rp.getByRole('link', { name: 'Tertial 3 2026' }).click();
    await expectHeading(rp, 'Uppföljning: Tertial 3 2026');
    // The overview per organisation, or (while the reader's overview is scoped to the organisations they report
    // for) a sentence saying so instead of an empty table and "0 av 0" (issue #13 item 4).
    await rp
      .getByRole('table', { name: 'Rapporteringsläge per organisation' })
      .or(rp.getByText('Omgångens rapporter gäller andra organisationer än dina.', { exact: false }))
      .waitFor();
    expect(await rp.getByText(/\b0 av 0\b/).count()).toBe(0);
    expect(await rp.getByRole('button', { name: 'Stäng omgången' }).count()).toBe(0);
    // The reader may not see reports (followup.report), only the overview.
    expect(await rp.getByRole('table', { name: 'Rapporter', exact: true }).count()).toBe(0);
    await checkA11y(rp, 'round page as reader');
    await rp.goto(url('/mina-uppgifter'));
    await expectHeading(rp, 'Ingen behörighet');
    expect([...problems, ...reader.problems]).toEqual([]);
  });

  it('works on a 375 px wide phone: Mina uppgifter and the program page without horizontal scroll', async () => {
    const { page, problems } = await open({ width: 375, height: 800 });
    await signIn(page, 'rapportor.son@lund.example');
    const noScroll = async (label: string) => {
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(scroll, `horizontal scroll on ${label}: ${scroll}px in ${client}px`).toBeLessThanOrEqual(client);
    };
    for (const [link, heading] of [
      ['Mina uppgifter', 'Mina uppgifter'],
      ['Uppföljning', 'Uppföljning'],
      ['Program', 'Program och planer'],
    ] as const) {
      await page.getByRole('button', { name: 'Meny' }).click();
      await goVia(page, link, heading);
      await page.waitForLoadState('networkidle');
      await noScroll(link);
      await checkA11y(page, `${link} at 375 px`);
    }
    await page.getByRole('link', { name: LUND }).click();
    await expectHeading(page, LUND);
    await page.getByRole('region', { name: 'Måluppfyllelse och genomförande' }).getByText(/^Genomförandegrad /).waitFor();
    await noScroll('program page');
    await checkA11y(page, 'program page at 375 px');
    expect(problems).toEqual([]);
  });

  it("a goal's indicator: its trend, a value outside the scale refused in Swedish, a value entered, fulfilment apart from the implementation rate (issue #11 item 4)", async () => {
    const { page, problems } = await open();
    await signIn(page, 'samordnare@lund.example');
    await goVia(page, 'Program', 'Program och planer');
    await page.getByRole('link', { name: LUND }).click();
    await expectHeading(page, LUND);
    await page.getByText(/^Indikatorernas måluppfyllelse: \d/).first().waitFor();
    await page.getByText(/Andel genomförda åtgärder: \d+(,\d)? %/).first().waitFor();
    await page.getByRole('button', { name: /Fler känner sig trygga i offentlig miljö/ }).click();
    await page.getByRole('figure', { name: /^Indikatorns utveckling: Andel som känner sig trygga/ }).getByRole('img', { name: /Mätvärde: 2022 68 %, 2024 70 %, 2025 72 %/ }).waitFor();
    await page.getByRole('button', { name: 'Registrera mätvärde' }).click();
    const dlg = page.getByRole('dialog', { name: /^Registrera mätvärde för/ });
    await field(dlg, 'Datum').fill('2026-06-30');
    await field(dlg, 'Värde (%)').fill('101');
    await dlg.getByRole('button', { name: 'Registrera mätvärde' }).click();
    await dlg.getByText('Ange ett värde mellan 0 och 100 (%).').waitFor();
    await checkA11y(page, 'indicator value dialog');
    await field(dlg, 'Värde (%)').fill('74');
    await dlg.getByRole('button', { name: 'Registrera mätvärde' }).click();
    await status(page, 'Mätvärdet är registrerat.');
    await page.getByRole('region', { name: 'Mätvärden' }).getByRole('row', { name: /2026-06-30/ }).waitFor();
    await checkA11y(page, 'goal indicator');
    expect(problems).toEqual([]);
  });

  it("a reporter enters the round's value of the indicator their committee measures in Mina uppgifter; it joins the goal's trend (issue #11 item 4)", async () => {
    // A programme whose goal's indicator Socialnämnden measures, with an action of theirs and an open round.
    const cookie = await apiSignIn(server.app, 'samordnare@lund.example');
    const call = async <T,>(method: 'GET' | 'POST', path: string, payload?: object) => {
      const res = await server.app.inject({ method, url: path, headers: { cookie, origin: 'http://localhost' }, payload });
      expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300);
      return res.json() as T;
    };
    const orgs = (await call<{ items: { id: string; name: string }[] }>('GET', '/api/organisations')).items;
    const org = (name: string) => orgs.find((o) => o.name === name)!.id;
    const tag = Date.now().toString(36);
    const program = await call<{ id: string; title: string }>('POST', '/api/programs', { kind: 'safety_program', title: `Skolans trygghet ${tag}`, ownerOrganisationId: org('Kommunstyrelsen') });
    const area = await call<{ id: string }>('POST', `/api/programs/${program.id}/focus-areas`, { number: 1, title: 'Skolan' });
    const indicator = `Andel elever som känner sig trygga ${tag}`;
    const goal = await call<{ id: string }>('POST', `/api/focus-areas/${area.id}/goals`, { number: 1, text: 'Fler elever känner sig trygga', indicator, unit: '%', baseline: 70, targetValue: 90, indicatorOrganisationId: org('Socialnämnden') });
    await call('POST', `/api/goals/${goal.id}/indicator-values`, { measuredOn: '2024-12-31', period: '2024', value: 74 });
    await call('POST', '/api/actions', { goalId: goal.id, title: `Trygghetsvandring ${tag}`, responsibleOrganisationId: org('Socialnämnden'), status: 'in_progress', progress: 40 });
    const roundName = `Indikatoromgång ${tag}`;
    await call('POST', '/api/follow-up-rounds', { programId: program.id, name: roundName, deadline: inDays(30) });

    const { page, problems } = await open();
    await signIn(page, 'rapportor.son@lund.example');
    await goVia(page, 'Mina uppgifter');
    const form = page.getByRole('form', { name: `Mål 1.1: ${indicator}` });
    await form.getByText('Rapporteras av Socialnämnden').waitFor();
    await form.getByText('Senaste mätvärde: 74 % (2024)').waitFor();
    // Outside the scale: refused in Swedish at the field, nothing saved.
    await field(form, 'Mätvärde (%)').fill('120');
    await form.getByRole('button', { name: 'Spara mätvärde' }).click();
    await form.getByText('Ange ett värde mellan 0 och 100 (%).').waitFor();
    expect(await field(form, 'Mätvärde (%)').getAttribute('aria-invalid')).toBe('true');
    await checkA11y(page, 'round indicator refused');
    await field(form, 'Mätvärde (%)').fill('78');
    await form.getByRole('button', { name: 'Spara mätvärde' }).click();
    await status(page, `Mätvärdet för ${indicator} är sparat.`);
    await page.getByRole('form', { name: `Mål 1.1: ${indicator}` }).getByText(/^Registrerat i omgången: 78 %/).waitFor();
    await checkA11y(page, 'round indicator entered');

    // The goal's trend on the programme page: the round's value under the round's name.
    await page.goto(url(`/program/${program.id}`));
    await expectHeading(page, program.title);
    await page.getByRole('button', { name: /Fler elever känner sig trygga/ }).click();
    await page.getByRole('figure', { name: `Indikatorns utveckling: ${indicator}` }).getByRole('img', { name: new RegExp(`Mätvärde: 2024 74 %, ${escape(roundName)} 78 %`) }).waitFor();
    await page.getByRole('region', { name: 'Mätvärden' }).getByRole('row', { name: /Uppföljningsomgång/ }).waitFor();
    await checkA11y(page, 'goal trend with a round value');
    expect(problems).toEqual([]);
  });
});
