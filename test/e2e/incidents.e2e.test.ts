import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, field, h1, useBrowserJourney } from './browser.ts';
import { signIn as apiSignIn } from '../helpers/factories.ts';

const { server, url, signIn, open: openAt } = useBrowserJourney();
const PHONE = { width: 375, height: 800 };
/** Three events in Lund and three elsewhere, in the police's format (see test/fixtures/README.md). */
const FIXTURE = JSON.parse(fs.readFileSync(new URL('../fixtures/police-events-lund.json', import.meta.url), 'utf8')) as { id: number }[];
/** The fixture with ids of this run's own (as in lagesbild-map.e2e.test.ts), its Lund events on the given August day. */
function policeFile(day: number) {
  const base = 980_100_000 + Math.floor(Math.random() * 1_000_000) * 10;
  return Buffer.from(JSON.stringify(FIXTURE.map((e, i) => (i < 3 ? { ...e, id: base + i, datetime: `2026-08-${day} 1${i}:15:00 +02:00` } : e))));
}
/** The counts on the map's badges of one layer. */
async function badgeCounts(page: Page, layer: 'incidents' | 'police') {
  return page.locator(`.map-cluster-${layer}`).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
}
/** A real 1×1 PNG (the server sniffs the content). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A browser, at phone size unless told. */
const open = (viewport = PHONE) => openAt(viewport);
const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

async function expectHeading(page: Page, text: string | RegExp) {
  await h1(page).filter({ hasText: text }).waitFor();
}

/** Follows a navigation entry; on a phone through the menu button. */
async function goVia(page: Page, link: string, heading: string | RegExp = link) {
  const menu = page.getByRole('button', { name: 'Meny' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: link, exact: true }).click();
  await expectHeading(page, heading);
}

async function noHorizontalScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
}

describe('incidents in Chromium at phone size', () => {
  it('a reporter reports a threat against staff at a school with a photo; the coordinator sees it on the map and in the statistics, sees the 24-hour clock, assigns it, imports police events as their own layer and closes it; another reporter cannot see it', { timeout: 180_000 }, async () => {
    const marker = `E2E ${Date.now() % 1_000_000}`;
    const description = `En elev hotade en lärare i korridoren (${marker})`;

    // --- The reporter on a phone ---
    const rep = await open();
    const rp = rep.page;
    await signIn(rp, 'rapportor.son@lund.example');
    // A reporter may report but not browse all incidents.
    const menu = rp.getByRole('button', { name: 'Meny' });
    await menu.click();
    const links = await rp.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allTextContents();
    expect(links).toContain('Rapportera händelse');
    expect(links).not.toContain('Händelser');
    await menu.click().catch(() => {});
    await goVia(rp, 'Rapportera händelse');
    await checkA11y(rp, 'report form');
    await noHorizontalScroll(rp);

    // Submitting empty: Swedish messages next to the fields, focus on the first.
    await rp.getByRole('button', { name: 'Skicka rapport' }).click();
    await rp.getByText('Rätta de markerade fälten och försök igen.').waitFor();
    const cat = field(rp, 'Kategori');
    await expect(cat.getAttribute('aria-invalid')).resolves.toBe('true');
    await rp.waitForFunction(() => document.activeElement?.id === 'inc-categoryId');
    await checkA11y(rp, 'report form with errors');

    // The device position: denied in this browser, with a clear message.
    await rp.getByRole('button', { name: 'Använd min position' }).click();
    await rp.getByText(/Positionen (kunde inte hämtas|är inte tillgänglig)/).waitFor();
    // Allowed and known: the position is taken and shown in text.
    await rep.context.grantPermissions(['geolocation'], { origin: server.url });
    await rep.context.setGeolocation({ latitude: 55.7047, longitude: 13.191 });
    await rp.getByRole('button', { name: 'Använd min position' }).click();
    await status(rp, 'Position sparad: SWEREF 99 TM: N 6174697, E 386325 WGS 84: 55,70470° N, 13,19100° E');

    await cat.selectOption({ label: 'Hot och våld mot anställda och förtroendevalda' });
    // The staff form with its explanation of restricted visibility.
    const staff = rp.getByRole('group', { name: 'Hot och våld mot anställda' });
    await staff.getByText(/syns bara för dig och för dem som handlägger/).waitFor();
    await field(staff, 'Den utsattes roll').selectOption({ label: 'Anställd' });
    await field(staff, 'Gärningspersonens relation till verksamheten').selectOption({ label: 'Elev' });
    await field(staff, 'Polisanmälans K-nummer').fill('5000-K123456-26');
    await field(staff, 'Ledde händelsen till sjukskrivning?').selectOption({ label: 'Ja' });
    await field(staff, 'Antal sjukdagar').fill('2');
    await field(rp, 'Vad hände?').fill(description);
    // "When" is prefilled with now; so is "known at" (the clock's start), asked in this category only.
    expect(await field(rp, 'När hände det?').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const knownAt = field(rp, 'När fick du eller arbetsgivaren kännedom om händelsen?');
    expect(await knownAt.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    // Known before it happened: a Swedish message at the field (yesterday 10:00 vs 09:00), then back to now.
    const occurred = await field(rp, 'När hände det?').inputValue();
    const day = new Date(`${occurred.slice(0, 10)}T12:00:00Z`);
    day.setUTCDate(day.getUTCDate() - 1);
    const yesterday = day.toISOString().slice(0, 10);
    await field(rp, 'När hände det?').fill(`${yesterday}T10:00`);
    await knownAt.fill(`${yesterday}T09:00`);
    await rp.getByRole('button', { name: 'Skicka rapport' }).click();
    await rp.getByText('Tidpunkten när ni fick kännedom kan inte ligga före tidpunkten när händelsen inträffade.').waitFor();
    await rp.waitForFunction(() => document.activeElement?.id === 'inc-knownAt');
    await field(rp, 'När hände det?').fill(occurred);
    await knownAt.fill(occurred);
    await field(rp, 'Plats eller adress').fill('Vikingaskolan, korridor B');
    await expect(field(rp, 'Berörd verksamhet').locator('option:checked').textContent()).resolves.toMatch(/Socialnämnden/);
    await field(rp, 'Lokal eller byggnad').fill('Vikingaskolan');
    await rp.getByLabel('Bilder').setInputFiles({ name: 'korridor.png', mimeType: 'image/png', buffer: PNG });
    await rp.getByText('korridor.png').waitFor();
    await checkA11y(rp, 'report form filled in');
    await noHorizontalScroll(rp);
    await rp.getByRole('button', { name: 'Skicka rapport' }).click();
    await rp.getByRole('heading', { level: 2, name: 'Tack! Händelsen är rapporterad.' }).waitFor();
    await rp.waitForFunction(() => document.activeElement?.tagName === 'H2');
    await checkA11y(rp, 'report confirmation');
    await rp.getByRole('link', { name: 'Visa händelsen' }).click();
    await expectHeading(rp, 'Hot och våld mot anställda och förtroendevalda');
    await rp.getByText(description).waitFor();
    await rp.getByRole('img', { name: 'Bild: korridor.png' }).waitFor();
    const incidentUrl = rp.url();
    const incidentId = incidentUrl.split('/').pop()!;
    // The reporter does not handle it.
    expect(await rp.getByRole('button', { name: 'Spara handläggning' }).count()).toBe(0);
    await checkA11y(rp, 'incident as reporter');
    expect(rep.problems).toEqual([]);

    // --- The coordinator, also on a phone ---
    const co = await open();
    const cp = co.page;
    await signIn(cp, 'samordnare@lund.example');
    await goVia(cp, 'Händelser');
    await checkA11y(cp, 'incident list');
    await noHorizontalScroll(cp);
    await field(cp, 'Kategori').selectOption({ label: 'Hot och våld mot anställda och förtroendevalda' });
    const item = cp.getByRole('listitem').filter({ hasText: 'Vikingaskolan, korridor B' });
    await item.first().waitFor();
    await item.first().getByText(/Anmälningsfrist: \d+ h \d+ min kvar/).waitFor();
    await item.first().getByText('Status: Ny', { exact: false }).waitFor();
    // Filtering to a status with none of these shows the empty state.
    await field(cp, 'Status').selectOption({ label: 'Avslutad' });
    await field(cp, 'Från datum').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    await cp.getByText('Inga händelser matchar filtret.').waitFor();
    await checkA11y(cp, 'incident list empty');
    await cp.getByRole('button', { name: 'Rensa filter' }).click();
    await field(cp, 'Kategori').selectOption({ label: 'Hot och våld mot anställda och förtroendevalda' });

    await cp.goto(incidentUrl);
    await expectHeading(cp, 'Hot och våld mot anställda och förtroendevalda');
    const clocks = cp.getByRole('region', { name: 'Anmälningsfrister' });
    await clocks.getByText(/^(23|24) h \d+ min kvar$/).waitFor();
    await cp.getByRole('region', { name: 'Uppgifter', exact: true }).getByText('Rasmus Rapportör').waitFor();
    await checkA11y(cp, 'incident as coordinator');

    // Handling: in progress, severity high, owner the coordinator.
    const handling = cp.getByRole('region', { name: 'Handläggning' });
    await field(handling, 'Status').selectOption({ label: 'Under handläggning' });
    await field(handling, 'Allvarlighet').selectOption({ label: 'Hög' });
    await field(handling, 'Ansvarig').selectOption({ label: 'Sam Samordnare' });
    await handling.getByRole('button', { name: 'Spara handläggning' }).click();
    await status(cp, 'Händelsen är sparad.');
    const details = cp.getByRole('region', { name: 'Uppgifter', exact: true });
    await details.getByText('Under handläggning').waitFor();
    await details.getByText('Sam Samordnare').waitFor();
    // Every change is recorded in the timeline automatically.
    const timeline = cp.getByRole('region', { name: 'Tidslinje' });
    await timeline.getByText('Status: Ny → Under handläggning').waitFor();
    await timeline.getByText('Allvarlighet: Ej bedömd → Hög').waitFor();
    await timeline.getByText('Ansvarig: – → Sam Samordnare').waitFor();

    // --- The lägesbild: the reported incident on the map and in the statistics; police events from a file as their own layer ---
    const threatName = 'Hot och våld mot anställda och förtroendevalda';
    const categories = (await (await cp.request.get(url('/api/incident-categories'))).json()).items as { id: string; name: string }[];
    const threatCategory = categories.find((c) => c.name === threatName)!.id;
    // All of the category the coordinator may see (the demo's threat has no position, so only this report is on the map).
    const ofCategory = (await (await cp.request.get(url(`/api/incidents?categoryId=${threatCategory}&limit=100`))).json()) as { total: number; items: { id: string; location: unknown }[] };
    expect(ofCategory.items.map((i) => i.id)).toContain(incidentId);
    const positioned = ofCategory.items.filter((i) => i.location !== null).length;
    expect(positioned).toBe(1);
    await goVia(cp, 'Lägesbild');
    const map = cp.getByRole('region', { name: 'Karta över händelser' });
    await map.waitFor();
    const summary = cp.getByTestId('map-summary');
    await summary.filter({ hasText: /I kartutsnittet: \d+ händelse/ }).waitFor();
    await checkA11y(cp, 'lägesbild');
    await noHorizontalScroll(cp);
    await field(cp, 'Kategori').selectOption({ label: threatName });
    await expect.poll(() => new URL(cp.url()).searchParams.get('categoryId')).toBe(threatCategory);
    await summary.filter({ hasText: 'I kartutsnittet: 1 händelse från kommunen' }).waitFor();
    await expect.poll(() => badgeCounts(cp, 'incidents').then((c) => c.reduce((sum, n) => sum + n, 0))).toBe(1);
    // The statistics beside the map count every one of the category in the period, positioned or not.
    const table = cp.getByRole('table', { name: 'Händelser per kategori och månad, jämfört med samma period förra året' });
    const statRow = table.getByRole('row').filter({ has: cp.getByRole('rowheader', { name: threatName }) });
    await statRow.waitFor();
    const statCells = await statRow.getByRole('cell').allTextContents();
    expect(statCells.at(-3)).toBe(String(ofCategory.total));
    await checkA11y(cp, 'lägesbild filtered to the threat');
    // Into the cluster until the point shows; it is this report.
    for (let i = 0; i < 8 && (await cp.locator('.map-point-incidents a').count()) === 0; i++) {
      const zoom = await map.getAttribute('data-zoom');
      await cp.locator('.map-cluster-incidents').first().focus();
      await cp.keyboard.press('Enter');
      await expect.poll(() => map.getAttribute('data-zoom')).not.toBe(zoom);
      await cp.waitForTimeout(300);
    }
    await summary.filter({ hasText: 'Enskilda händelser visas.' }).waitFor();
    await expect.poll(() => cp.locator('.map-point-incidents a').count()).toBe(1);
    expect(await cp.locator('.map-point-incidents a').getAttribute('href')).toBe(`/handelser/${incidentId}`);
    await checkA11y(cp, 'lägesbild with the point');

    // Police events: a day of their own in August 2026, imported from a file by the coordinator (on the whole municipality's view again).
    await cp.getByRole('button', { name: 'Rensa filter' }).click();
    await expect.poll(() => new URL(cp.url()).search).toBe('');
    await cp.goto(url('/lagesbild'));
    await expectHeading(cp, 'Lägesbild');
    await summary.filter({ hasText: 'Siffrorna visar antal; zooma in för enskilda händelser.' }).waitFor();
    await field(cp, 'Från datum').fill('2026-08-22');
    await field(cp, 'Till datum').fill('2026-08-22');
    await summary.filter({ hasText: 'I kartutsnittet: 0 händelser från kommunen, 0 från Polisen.' }).waitFor();
    await cp.getByLabel('Fil från Polisen (JSON)').setInputFiles({ name: 'handelser.json', mimeType: 'application/json', buffer: policeFile(22) });
    await cp.getByRole('button', { name: 'Importera', exact: true }).click();
    await status(cp, 'Importen är klar: 3 nya, 0 uppdaterade, 0 dubbletter, 3 utanför kommunen, 0 rader med fel.');
    await summary.filter({ hasText: 'I kartutsnittet: 0 händelser från kommunen, 3 från Polisen.' }).waitFor();
    await expect.poll(() => badgeCounts(cp, 'police').then((c) => c.reduce((sum, n) => sum + n, 0))).toBe(3);
    expect(await cp.locator('.map-cluster-police').first().getAttribute('aria-label')).toMatch(/från Polisen här/);
    await checkA11y(cp, 'lägesbild with police events');
    // Their own layer: off and on independently of the municipality's incidents.
    await cp.getByRole('checkbox', { name: 'Polisens händelser' }).uncheck();
    await expect.poll(() => new URL(cp.url()).searchParams.get('source')).toBe('incidents');
    await expect.poll(() => cp.locator('.map-cluster-police').count()).toBe(0);
    await summary.filter({ hasText: /^I kartutsnittet: 0 händelser från kommunen\.?/ }).waitFor();
    await cp.getByRole('checkbox', { name: 'Polisens händelser' }).check();
    await cp.getByRole('checkbox', { name: 'Kommunens händelser' }).uncheck();
    await expect.poll(() => new URL(cp.url()).searchParams.get('source')).toBe('police');
    await expect.poll(() => badgeCounts(cp, 'police').then((c) => c.reduce((sum, n) => sum + n, 0))).toBe(3);
    await checkA11y(cp, 'lägesbild, police layer only');
    await noHorizontalScroll(cp);
    await cp.goto(incidentUrl);
    await expectHeading(cp, threatName);

    // A comment, then a wrong one struck out with a reason.
    await field(timeline, 'Kommentar').fill('Rektor kontaktad, samtal med läraren bokat.');
    await timeline.getByRole('button', { name: 'Lägg till kommentar' }).click();
    await status(cp, 'Kommentaren är tillagd.');
    await field(timeline, 'Kommentar').fill('Fel händelse – skrivet av misstag.');
    await timeline.getByRole('button', { name: 'Lägg till kommentar' }).click();
    const wrong = timeline.getByRole('listitem').filter({ hasText: 'Fel händelse – skrivet av misstag.' });
    await wrong.waitFor();
    await wrong.getByRole('button', { name: /^Stryk posten från/ }).click();
    const dialog = cp.getByRole('dialog', { name: 'Stryk post i tidslinjen' });
    await dialog.getByRole('button', { name: 'Stryk' }).click();
    await dialog.getByText('Fältet måste fyllas i.').waitFor();
    await checkA11y(cp, 'strike dialog');
    await field(dialog, 'Skäl').fill('Skrevs på fel händelse');
    await dialog.getByRole('button', { name: 'Stryk' }).click();
    await status(cp, 'Posten är struken.');
    await cp.waitForFunction(() => document.activeElement?.id === 'inc-timeline-h');
    await wrong.getByText(/Struken .* av Sam Samordnare: Skrevs på fel händelse/).waitFor();
    expect(await wrong.locator('del').textContent()).toBe('Fel händelse – skrivet av misstag.');
    await timeline.getByText('Rektor kontaktad, samtal med läraren bokat.').waitFor();

    // A follow-up task, assigned to the coordinator (chosen among those who may handle it), then found in Mina uppgifter.
    const tasks = cp.getByRole('region', { name: 'Uppföljningsuppgifter' });
    await field(tasks, 'Uppgift').fill('Uppföljningssamtal med läraren');
    await field(tasks, 'Ansvarig för uppgiften').selectOption({ label: 'Sam Samordnare' });
    await tasks.getByRole('button', { name: 'Lägg till uppgift' }).click();
    await status(cp, 'Uppgiften är tillagd.');
    await tasks.getByText('Uppföljningssamtal med läraren').waitFor();
    await tasks.getByText('Tilldelad: Sam Samordnare').waitFor();
    await goVia(cp, 'Mina uppgifter');
    const mine = cp.getByRole('region', { name: 'Uppföljningsuppgifter på händelser' });
    await checkA11y(cp, 'Mina uppgifter with an incident task');
    await mine.getByRole('link', { name: 'Uppföljningssamtal med läraren' }).click();
    await expectHeading(cp, 'Hot och våld mot anställda och förtroendevalda');

    // A link to a program action, found by title; the action page lists the incident.
    const linksRegion = cp.getByRole('region', { name: 'Kopplingar' });
    await linksRegion.getByText('Händelsen är inte kopplad till någon åtgärd eller något ärende.').waitFor();
    await field(linksRegion, 'Sök åtgärd eller ärende att koppla (titel eller diarienummer)').fill('elevhälsan');
    await linksRegion.getByRole('button', { name: 'Sök' }).click();
    await linksRegion.getByRole('button', { name: 'Koppla till Kompetenshöjning för elevhälsan' }).click();
    await status(cp, 'Kopplingen är sparad.');
    await linksRegion.getByText('Redan kopplad').waitFor();
    await cp.getByRole('region', { name: 'Tidslinje' }).getByText('Kopplad till åtgärd: Kompetenshöjning för elevhälsan').waitFor();
    await checkA11y(cp, 'incident with a linked action');
    await linksRegion.getByRole('link', { name: 'Kompetenshöjning för elevhälsan' }).click();
    await expectHeading(cp, 'Kompetenshöjning för elevhälsan');
    await cp.getByRole('region', { name: 'Kopplade händelser' }).getByRole('link', { name: 'Hot och våld mot anställda och förtroendevalda' }).click();
    await expectHeading(cp, 'Hot och våld mot anställda och förtroendevalda');
    // A link to a case, found by its registry number; the case page lists the incident too.
    await field(linksRegion, 'Sök åtgärd eller ärende att koppla (titel eller diarienummer)').fill('KS 2018/0316');
    await linksRegion.getByRole('button', { name: 'Sök' }).click();
    const found = linksRegion.getByRole('list', { name: 'Åtgärder och ärenden som matchar' }).getByRole('listitem');
    await expect.poll(() => found.count()).toBe(1);
    await found.getByText('Ärende', { exact: true }).waitFor();
    await found.getByRole('button', { name: /^Koppla till / }).click();
    await status(cp, 'Kopplingen är sparad.');
    const caseLink = linksRegion.getByRole('link', { name: /^KS 2018\/0316 / });
    await caseLink.waitFor();
    await cp.getByRole('region', { name: 'Tidslinje' }).getByText(/^Kopplad till ärende: KS 2018\/0316 /).waitFor();
    await checkA11y(cp, 'incident with a linked case');
    await caseLink.click();
    await expectHeading(cp, /KS 2018\/0316/);
    const caseIncidents = cp.getByRole('region', { name: 'Kopplade händelser' });
    await caseIncidents.getByRole('link', { name: 'Hot och våld mot anställda och förtroendevalda' }).waitFor();
    await checkA11y(cp, 'case with its linked incident');
    await caseIncidents.getByRole('link', { name: 'Hot och våld mot anställda och förtroendevalda' }).click();
    await expectHeading(cp, 'Hot och våld mot anställda och förtroendevalda');
    await tasks.getByRole('button', { name: 'Markera som klar: Uppföljningssamtal med läraren' }).click();
    await tasks.getByText(/Klar /).waitFor();

    // Stop the 24-hour clock as reported.
    await clocks.getByRole('button', { name: 'Rapporterad till Arbetsmiljöverket' }).click();
    const stop = cp.getByRole('dialog', { name: 'Rapporterad till Arbetsmiljöverket?' });
    await field(stop, 'Anteckning (t.ex. ärendenummer)').fill('AV 2026/123');
    await checkA11y(cp, 'stop clock dialog');
    await stop.getByRole('button', { name: 'Rapporterad till Arbetsmiljöverket' }).click();
    await status(cp, 'Klockan är stoppad.');
    await cp.waitForFunction(() => document.activeElement?.id === 'inc-clocks-h');
    await clocks.getByText(/Stoppad .*: anmäld till myndigheten \(i tid\) – AV 2026\/123/).waitFor();
    expect(await clocks.getByRole('button', { name: 'Rapporterad till Arbetsmiljöverket' }).count()).toBe(0);

    // Someone else changes the incident meanwhile: saving answers a version conflict that offers to reload.
    const current = await (await cp.request.get(url(`/api/incidents/${incidentId}`))).json();
    const other = await cp.request.patch(url(`/api/incidents/${incidentId}`), { data: { version: current.version - 1, severity: 2 } });
    expect(other.status()).toBe(409);
    const changed = await cp.request.patch(url(`/api/incidents/${incidentId}`), { data: { version: current.version, severity: 2 } });
    expect(changed.status()).toBe(200);
    await field(handling, 'Status').selectOption({ label: 'Avslutad' });
    await handling.getByRole('button', { name: 'Spara handläggning' }).click();
    await handling.getByRole('alert').waitFor();
    await checkA11y(cp, 'version conflict');
    await handling.getByRole('button', { name: 'Ladda om uppgifterna' }).click();
    await expect.poll(() => field(cp.getByRole('region', { name: 'Handläggning' }), 'Allvarlighet').locator('option:checked').textContent()).toBe('Medel');
    await details.getByText('Medel').waitFor();

    // Close it.
    await field(handling, 'Status').selectOption({ label: 'Avslutad' });
    await handling.getByRole('button', { name: 'Spara handläggning' }).click();
    await status(cp, 'Händelsen är sparad.');
    await details.getByText('Avslutad').waitFor();
    await noHorizontalScroll(cp);
    await checkA11y(cp, 'closed incident');
    const stored = await (await cp.request.get(url(`/api/incidents/${incidentId}`))).json();
    expect(stored).toMatchObject({ status: 'closed', severity: 2, owner: { name: 'Sam Samordnare' }, restricted: true });
    expect(stored.clocks[0]).toMatchObject({ state: 'stopped', stopReason: 'reported', stoppedInTime: true });
    expect(stored.photos).toHaveLength(1);
    expect(stored.location).toEqual({ lat: 55.7047, lon: 13.191 });
    expect(stored.staff).toMatchObject({ victimRole: 'employee', perpetratorRelation: 'student', policeReportNumber: '5000-K123456-26', sickLeave: true, sickLeaveDays: 2 });
    expect(co.problems).toEqual([]);

    // --- The reporter of Tekniska nämnden sees nothing of it ---
    const tn = await open();
    const tp = tn.page;
    await signIn(tp, 'rapportor.tn@lund.example');
    await tp.goto(incidentUrl);
    await tp.getByRole('alert').filter({ hasText: /hittades inte|finns inte/i }).waitFor();
    const list = await (await tp.request.get(url('/api/incidents?limit=500'))).json();
    expect((list.items as { id: string }[]).some((i) => i.id === incidentId)).toBe(false);
    expect((await tp.request.get(url(`/api/incidents/${incidentId}/photos/${stored.photos[0].id}`))).status()).toBe(404);
    await checkA11y(tp, 'incident not found');
  });

  it('category fields come from the category; a disguised photo is refused with a Swedish message after the report is saved', async () => {
    // An administrator adds a category with its own fields (through the API, as there is no admin page yet).
    const adm = await open();
    await signIn(adm.page, 'admin@lund.example');
    const key = `e2e_${Date.now() % 1_000_000}`;
    const created = await adm.page.request.post(url('/api/incident-categories'), {
      data: {
        key,
        name: 'Nedskräpning vid återvinningsstation',
        fields: [
          { key: 'station', label: 'Vilken station?', type: 'select', options: ['Norra', 'Södra'], required: true },
          { key: 'bulky', label: 'Grovavfall', type: 'boolean' },
        ],
      },
    });
    expect(created.status(), await created.text()).toBe(201);

    const rep = await open();
    const rp = rep.page;
    await signIn(rp, 'rapportor.son@lund.example');
    await goVia(rp, 'Rapportera händelse');
    await field(rp, 'Kategori').selectOption({ label: 'Nedskräpning vid återvinningsstation' });
    const extra = rp.getByRole('group', { name: 'Uppgifter för kategorin' });
    await extra.waitFor();
    // No staff form for an ordinary category.
    expect(await rp.getByRole('group', { name: 'Hot och våld mot anställda' }).count()).toBe(0);
    await field(rp, 'Vad hände?').fill('Säckar dumpade bredvid containrarna');
    await field(rp, 'Plats eller adress').fill('Återvinningsstationen Norra');
    await rp.getByRole('button', { name: 'Skicka rapport' }).click();
    const station = field(extra, 'Vilken station?');
    await rp.waitForFunction(() => document.activeElement?.id === 'inc-extra-station');
    await expect(station.getAttribute('aria-invalid')).resolves.toBe('true');
    await extra.getByText('Fältet måste fyllas i.').waitFor();
    await checkA11y(rp, 'report form with category fields');
    await station.selectOption('Norra');
    await extra.getByLabel('Grovavfall').check();
    await rp.getByLabel('Anonym gentemot andra läsare').check();
    await rp.getByLabel('Bilder').setInputFiles([
      { name: 'falsk.png', mimeType: 'image/png', buffer: Buffer.from('inte en bild') },
      { name: 'riktig.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await rp.getByRole('button', { name: 'Skicka rapport' }).click();
    await rp.getByRole('heading', { level: 2, name: 'Tack! Händelsen är rapporterad.' }).waitFor();
    await rp.getByRole('alert').filter({ hasText: /^Bilden falsk\.png kunde inte laddas upp: .+/ }).waitFor();
    await checkA11y(rp, 'confirmation with a refused photo');
    await rp.getByRole('link', { name: 'Visa händelsen' }).click();
    await expectHeading(rp, 'Nedskräpning vid återvinningsstation');
    const id = rp.url().split('/').pop()!;
    // The category's fields by their labels, not their keys.
    const shown = rp.getByRole('region', { name: 'Uppgifter', exact: true });
    await shown.getByText('Vilken station?').waitFor();
    await shown.getByText('Grovavfall').waitFor();
    expect(await shown.getByText('station', { exact: true }).count()).toBe(0);
    const stored = await (await rp.request.get(url(`/api/incidents/${id}`))).json();
    expect(stored).toMatchObject({ extra: { station: 'Norra', bulky: true }, anonymous: true, restricted: false, location: null, place: 'Återvinningsstationen Norra' });
    expect(stored.photos.map((p: { filename: string }) => p.filename)).toEqual(['riktig.png']);

    // The same pages in English.
    await rp.getByRole('button', { name: 'English' }).click();
    await rp.getByRole('region', { name: 'Timeline' }).waitFor();
    await rp.getByRole('region', { name: 'Details' }).getByText('Not assessed').waitFor();
    await checkA11y(rp, 'incident in English');
    await rp.goto(url('/rapportera'));
    await expectHeading(rp, 'Report incident');
    // Category names in English too (issue #13 item 9).
    await field(rp, 'Category').selectOption({ label: 'Threats and violence against employees and elected officials' });
    await rp.getByRole('group', { name: 'Threats and violence against staff' }).waitFor();
    await rp.getByRole('button', { name: 'Send report' }).click();
    await rp.getByText('Correct the marked fields and try again.').waitFor();
    await checkA11y(rp, 'report form in English');
    expect(rep.problems).toEqual([]);
  });

  it('the coordinator assesses a threat against a teacher as serious, reports it to Arbetsmiljöverket and the clock stops; a threat against an elected official has no such duty', { timeout: 120_000 }, async () => {
    const cookie = await apiSignIn(server.app, 'samordnare@lund.example');
    const cats = (await server.app.inject({ method: 'GET', url: '/api/incident-categories', headers: { cookie } })).json().items as { id: string; key: string }[];
    const orgs = (await server.app.inject({ method: 'GET', url: '/api/organisations', headers: { cookie } })).json().items as { id: string; name: string }[];
    const son = orgs.find((o) => o.name === 'Socialnämnden')!.id;
    const threat = cats.find((c) => c.key === 'staff_threat')!.id;
    const create = async (victimRole: string) => {
      const res = await server.app.inject({ method: 'POST', url: '/api/incidents', headers: { cookie, origin: 'http://localhost' }, payload: { categoryId: threat, description: `Hot (${victimRole})`, organisationId: son, occurredAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), staff: { victimRole, perpetratorRelation: 'client', sickLeave: false } } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const employee = await create('employee');
    const official = await create('elected_official');

    const co = await open({ width: 1280, height: 900 });
    const cp = co.page;
    await signIn(cp, 'samordnare@lund.example');
    await cp.goto(url(`/handelser/${employee}`));
    await expectHeading(cp, 'Hot och våld mot anställda och förtroendevalda');
    const section = cp.getByRole('region', { name: 'Arbetsmiljö' });
    await section.getByText('Inte bedömd').waitFor();
    await checkA11y(cp, 'staff incident with its work-environment section');
    await section.getByRole('button', { name: 'Uppdatera arbetsmiljöhanteringen' }).click();
    const dialog = cp.getByRole('dialog', { name: 'Arbetsmiljöhantering' });
    await field(dialog, 'Allvarlighetsbedömning').selectOption({ label: 'Inte allvarligt' });
    await field(dialog, 'Anmäld till Arbetsmiljöverket').fill(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }).format(new Date(Date.now() - 60 * 60_000)).replace(' ', 'T'));
    await dialog.getByRole('button', { name: 'Spara' }).click();
    await dialog.getByText('Anmälan till Arbetsmiljöverket gäller allvarliga tillbud och olyckor', { exact: false }).first().waitFor();
    await checkA11y(cp, 'work-environment dialog with errors');
    await field(dialog, 'Allvarlighetsbedömning').selectOption({ label: 'Allvarligt tillbud eller olycka' });
    await field(dialog, 'Arbetsmiljöverkets ärendenummer').fill('AV 2026/4711');
    await field(dialog, 'Skyddsombudet informerat').fill(new Date().toISOString().slice(0, 10));
    await field(dialog, 'Åtgärder').fill('Larmknapp i receptionen.');
    await dialog.getByRole('button', { name: 'Spara' }).click();
    await status(cp, 'Arbetsmiljöhanteringen är sparad.');
    await section.getByText('Allvarligt tillbud eller olycka').waitFor();
    await section.getByText('AV 2026/4711', { exact: false }).waitFor();
    await cp.getByRole('region', { name: 'Anmälningsfrister' }).getByText('anmäld', { exact: false }).first().waitFor();
    await checkA11y(cp, 'staff incident reported');

    await cp.goto(url(`/handelser/${official}`));
    await expectHeading(cp, 'Hot och våld mot anställda och förtroendevalda');
    await cp.getByRole('region', { name: 'Arbetsmiljö' }).getByText('inte arbetsgivarens arbetstagare', { exact: false }).waitFor();
    expect(await cp.getByRole('button', { name: 'Uppdatera arbetsmiljöhanteringen' }).count()).toBe(0);
    await checkA11y(cp, 'threat against an elected official');
    expect(co.problems).toEqual([]);
  });
});
