import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, dialog, escapeRe, h1, useBrowserJourney } from './browser.ts';

const journey = useBrowserJourney();
const { server, url, signIn } = journey;
const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
/** Three events in Lund and three elsewhere, in the police's format (see test/fixtures/README.md). */
const FIXTURE = JSON.parse(fs.readFileSync(new URL('../fixtures/police-events-lund.json', import.meta.url), 'utf8')) as { id: number }[];

// No MAP_TILE_URL: the map must work offline on the bundled boundary.
async function open(viewport: { width: number; height: number }) {
  const b = await journey.open(viewport);
  const requests: string[] = [];
  // Nothing but the app itself is asked for (no tiles, no CDN).
  b.page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) requests.push(r.url());
  });
  return { ...b, requests };
}

async function goVia(page: Page, link: string, heading: string) {
  const menu = page.getByRole('button', { name: 'Meny' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: link, exact: true }).click();
  await h1(page).filter({ hasText: heading }).waitFor();
}

/** The counts on the map's badges of one layer, once the map has settled. */
async function badgeCounts(page: Page, layer: 'incidents' | 'police') {
  return page.locator(`.map-cluster-${layer}`).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
}
const summary = (page: Page) => page.getByTestId('map-summary');

/** Reports two incidents of a category of its own (made by the administrator) next to each other in Lund. */
async function setUp(tag: string) {
  const adm = await journey.open();
  await signIn(adm.page, 'admin@lund.example');
  const name = `Kartkategori ${tag}`;
  const cat = await adm.page.request.post(url('/api/incident-categories'), { data: { key: `map_${tag}`, name } });
  expect(cat.status(), await cat.text()).toBe(201);
  const categoryId = (await cat.json()).id as string;
  const orgs = (await (await adm.page.request.get(url('/api/organisations'))).json()).items as { id: string; name: string }[];
  const tn = orgs.find((o) => o.name === 'Tekniska nämnden')!.id;
  const ids: string[] = [];
  for (const [lat, lon] of [
    [55.7001, 13.2001],
    [55.7004, 13.2004],
  ]) {
    const res = await adm.page.request.post(url('/api/incidents'), { data: { categoryId, organisationId: tn, description: `Kartprov ${tag}`, location: { lat, lon }, place: `Kartplats ${tag}` } });
    expect(res.status(), await res.text()).toBe(201);
    ids.push((await res.json()).id);
  }
  return { name, categoryId, ids };
}

/** The fixture with ids and a day of this test's own, so that each test imports and sees exactly three new events. */
function fixtureFile(base: number, day: number) {
  return Buffer.from(JSON.stringify(FIXTURE.map((e, i) => (i < 3 ? { ...e, id: base + i, datetime: `2026-08-${day} 1${i}:15:00 +02:00` } : e))));
}

async function lagesbild(viewport: { width: number; height: number }, tag: string) {
  const { name, categoryId, ids } = await setUp(tag);
  const co = await open(viewport);
  const page = co.page;
  await signIn(page, 'samordnare@lund.example');
  await goVia(page, 'Lägesbild', 'Lägesbild');
  const map = page.getByRole('region', { name: 'Karta över händelser' });
  await map.waitFor();
  await page.getByText('Ingen bakgrundskarta är inställd: kartan visar kommungränsen.').waitFor();
  // The municipal boundary is drawn (an SVG path) without any tiles.
  await expect.poll(() => page.locator('.incident-map .leaflet-overlay-pane path').count()).toBeGreaterThan(0);
  expect(await page.locator('.leaflet-tile').count()).toBe(0);
  await summary(page).filter({ hasText: /I kartutsnittet: \d+ händelse/ }).waitFor();
  await checkA11y(page, `lägesbild (${tag})`);

  // Filter by the test's category: the address keeps it, the map and the statistics follow.
  await page.getByLabel('Kategori', { exact: true }).selectOption({ label: name });
  await expect.poll(() => new URL(page.url()).searchParams.get('categoryId')).toBe(categoryId);
  await summary(page).filter({ hasText: 'I kartutsnittet: 2 händelser från kommunen' }).waitFor();
  await expect.poll(() => badgeCounts(page, 'incidents').then((c) => c.reduce((s, n) => s + n, 0))).toBe(2);
  const badge = page.locator('.map-cluster-incidents').first();
  expect(await badge.textContent()).toMatch(/^[12]$/);
  expect(await badge.getAttribute('aria-label')).toMatch(new RegExp(`händelser? här, (vanligast )?${name}`));
  const table = page.getByRole('table', { name: 'Händelser per kategori och månad, jämfört med samma period förra året' });
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await row.waitFor();
  const cells = await row.getByRole('cell').allTextContents();
  // …, this month: 2, total 2, last year 0, "ökning +2 (inga förra året)".
  expect(cells.slice(-4)).toEqual(['2', '2', '0', 'ökning +2 (inga förra året)']);
  const areaTable = page.getByRole('table', { name: 'Händelser per område, jämfört med samma period förra året' });
  await areaTable.getByRole('row', { name: /Utanför områden eller utan position 2 0/ }).waitFor();
  await checkA11y(page, `lägesbild filtered (${tag})`);

  // The statistics export beside the map follows the same selection: period as ISO times and the category.
  const exportPanel = page.getByRole('region', { name: 'Statistik', exact: true }).getByRole('heading', { name: 'Statistiken som fil' });
  await exportPanel.waitFor();
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.url().endsWith('/api/exports') && r.method() === 'POST'),
    page.getByRole('button', { name: 'Skapa XLSX' }).click(),
  ]);
  const body = request.postDataJSON() as { kind: string; format: string; params: Record<string, string> };
  expect(body.kind).toBe('incidents.statistics');
  expect(body.format).toBe('xlsx');
  expect(body.params.categoryId).toBe(categoryId);
  expect(Date.parse(body.params.to)).toBeGreaterThan(Date.parse(body.params.from));
  await page.getByRole('status').filter({ hasText: /Väntar|Byggs|Klar/ }).first().waitFor();

  // A reload keeps the filters.
  await page.reload();
  await summary(page).filter({ hasText: 'I kartutsnittet: 2 händelser från kommunen' }).waitFor();
  expect(await page.getByLabel('Kategori', { exact: true }).locator('option:checked').textContent()).toBe(name);

  // The time slider narrows the period to one month: last month has none of them, this month both.
  const slider = page.getByLabel('Tidsreglage: visa en månad av perioden');
  const max = Number(await slider.getAttribute('max'));
  await slider.fill(String(max - 1));
  await page.getByText(/^Visar: \S+ \d{4}$/).waitFor();
  await summary(page).filter({ hasText: 'I kartutsnittet: 0 händelser från kommunen' }).waitFor();
  await page.getByText('Inga händelser i perioden med de valda filtren.').waitFor();
  await slider.fill(String(max));
  await summary(page).filter({ hasText: 'I kartutsnittet: 2 händelser från kommunen' }).waitFor();
  await slider.fill('0');
  await page.getByText('Visar: hela perioden').waitFor();

  // Heat layer on and off.
  await page.getByRole('checkbox', { name: 'Värmekarta' }).check();
  await page.locator('.leaflet-heatmap-layer').waitFor();
  await page.getByRole('checkbox', { name: 'Värmekarta' }).uncheck();
  await expect.poll(() => page.locator('.leaflet-heatmap-layer').count()).toBe(0);

  // Police events: imported from a file (the coordinator imports for the municipality), shown as their own layer.
  await page.getByLabel('Kategori', { exact: true }).selectOption({ label: 'Alla kategorier' });
  // Each test's events get a day of their own in August 2026; the period is that day.
  const day = viewport.width < 600 ? 20 : 21;
  await page.getByLabel('Från datum').fill(`2026-08-${day}`);
  await page.getByLabel('Till datum').fill(`2026-08-${day}`);
  await summary(page).filter({ hasText: 'I kartutsnittet: 0 händelser från kommunen, 0 från Polisen.' }).waitFor();
  const file = page.getByLabel('Fil från Polisen (JSON)');
  await file.setInputFiles({ name: 'handelser.json', mimeType: 'application/json', buffer: fixtureFile(990_100_000 + Math.floor(Math.random() * 1_000_000) * 10, day) });
  await page.getByRole('button', { name: 'Importera', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Importen är klar: 3 nya, 0 uppdaterade, 0 dubbletter, 3 utanför kommunen, 0 rader med fel.' }).waitFor();
  await summary(page).filter({ hasText: 'I kartutsnittet: 0 händelser från kommunen, 3 från Polisen.' }).waitFor();
  await expect.poll(() => badgeCounts(page, 'police').then((c) => c.reduce((s, n) => s + n, 0))).toBe(3);
  expect(await page.locator('.map-cluster-police').first().getAttribute('aria-label')).toMatch(/från Polisen här/);
  await checkA11y(page, `lägesbild with police events (${tag})`);
  // Only the police layer: no incident badges; the address says so.
  await page.getByRole('checkbox', { name: 'Kommunens händelser' }).uncheck();
  await expect.poll(() => new URL(page.url()).searchParams.get('source')).toBe('police');
  await expect.poll(() => page.locator('.map-cluster-incidents').count()).toBe(0);
  expect(await page.locator('.map-cluster-police').count()).toBeGreaterThan(0);
  await page.getByRole('checkbox', { name: 'Kommunens händelser' }).check();
  await page.getByRole('checkbox', { name: 'Polisens händelser' }).uncheck();
  await expect.poll(() => page.locator('.map-cluster-police').count()).toBe(0);

  // Into the cluster until single points show; a point opens the incident.
  await page.getByRole('button', { name: 'Rensa filter' }).click();
  await expect.poll(() => new URL(page.url()).search).toBe('');
  await page.getByRole('checkbox', { name: 'Polisens händelser' }).uncheck();
  await page.getByLabel('Kategori', { exact: true }).selectOption({ label: name });
  await summary(page).filter({ hasText: 'I kartutsnittet: 2 händelser från kommunen' }).waitFor();
  for (let i = 0; i < 6 && (await page.locator('.map-point-incidents a').count()) === 0; i++) {
    const zoom = await map.getAttribute('data-zoom');
    // Enter on the focused badge zooms in, as a click does.
    await page.locator('.map-cluster-incidents').first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => map.getAttribute('data-zoom')).not.toBe(zoom);
    await page.waitForTimeout(300);
  }
  await summary(page).filter({ hasText: 'Enskilda händelser visas.' }).waitFor();
  const points = page.locator('.map-point-incidents a');
  await expect.poll(() => points.count()).toBe(2);
  await checkA11y(page, `lägesbild points (${tag})`);
  const href = await points.first().getAttribute('href');
  expect(ids.map((id) => `/handelser/${id}`)).toContain(href);
  await points.first().click();
  await h1(page).filter({ hasText: name }).waitFor();
  expect(new URL(page.url()).pathname).toBe(href);
  await checkA11y(page, `incident from the map (${tag})`);

  expect(co.problems).toEqual([]);
  expect(co.requests).toEqual([]);
  return co;
}

describe('lägesbild in Chromium, offline (no tile URL)', () => {
  it('at phone size: the coordinator sees the incidents reported in the test on the map and in the statistics, imports police events and sees them as their own layer', { timeout: 120_000 }, async () => {
    const co = await lagesbild(PHONE, `p${Date.now() % 1_000_000}`);
    await co.page.goBack();
    await co.page.locator('.map-cluster-incidents').first().waitFor();
    await co.page.goto(url('/lagesbild'));
    await h1(co.page).filter({ hasText: 'Lägesbild' }).waitFor();
    expect(await co.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    // In English.
    await co.page.getByRole('button', { name: 'English' }).click();
    await h1(co.page).filter({ hasText: 'Situation overview' }).waitFor();
    await co.page.getByRole('region', { name: 'Map of incidents' }).waitFor();
    await co.page.getByRole('button', { name: 'Zoom in', exact: true }).waitFor();
    await checkA11y(co.page, 'lägesbild in English');
    // The choice is the account's: back to Swedish for the other tests.
    await co.page.getByRole('button', { name: 'Svenska' }).click();
    await h1(co.page).filter({ hasText: 'Lägesbild' }).waitFor();
    expect(co.problems).toEqual([]);
  });

  it('at desktop size: the same', { timeout: 120_000 }, async () => {
    await lagesbild(DESKTOP, `d${Date.now() % 1_000_000}`);
  });

  it('at desktop size: the coordinator shares a map extract with the police, who see its incidents and nothing else', { timeout: 120_000 }, async () => {
    const tag = `x${Date.now() % 1_000_000}`;
    const { name, categoryId } = await setUp(tag);
    const co = await open(DESKTOP);
    const page = co.page;
    await signIn(page, 'samordnare@lund.example');
    await page.goto(url(`/lagesbild?categoryId=${categoryId}`));
    await h1(page).filter({ hasText: 'Lägesbild' }).waitFor();
    await summary(page).filter({ hasText: /I kartutsnittet: 2 händelser/ }).waitFor();
    await page.getByRole('button', { name: 'Dela kartutsnitt' }).click();
    let d = await dialog(page, 'Dela kartutsnitt med samverkanspart');
    await d.getByRole('button', { name: 'Gör utsnitt' }).click();
    await d.getByText('Fältet måste fyllas i.').waitFor();
    await checkA11y(page, 'map extract dialog with an error');
    await d.getByLabel('Namn på utsnittet').fill(`Utsnitt ${tag}`);
    await d.getByRole('button', { name: 'Gör utsnitt' }).click();
    d = await dialog(page, `Kartutsnitt: Utsnitt ${tag}`);
    await d.getByText('Utsnittet innehåller 2 händelser.', { exact: false }).waitFor();
    await checkA11y(page, 'map extract made');
    await d.getByRole('button', { name: 'Dela med samverkanspart' }).click();
    const s = await dialog(page, 'Dela med samverkanspart');
    await s.getByLabel('Samverkanspart').selectOption({ label: 'Polismyndigheten' });
    await s.getByLabel('Skäl till delningen').fill('Underlag inför helgens samverkan.');
    await s.getByRole('button', { name: 'Dela med samverkanspart' }).click();
    await page.getByText('Uppgiften är delad med Polismyndigheten', { exact: false }).waitFor();
    await checkA11y(page, 'map extract shared');

    const police = await open(DESKTOP);
    await signIn(police.page, 'polisen@lund.example');
    await police.page.goto(url('/delat'));
    await h1(police.page).filter({ hasText: 'Delat med oss' }).waitFor();
    await police.page.getByRole('link', { name: `Utsnitt ${tag}` }).click();
    await h1(police.page).filter({ hasText: `Utsnitt ${tag}` }).waitFor();
    await police.page.getByText('Kartutsnitt', { exact: true }).waitFor();
    expect(await police.page.locator('main li').filter({ hasText: name }).count()).toBe(2);
    expect(await police.page.locator('main').innerText()).not.toContain(`Kartprov ${tag}`);
    // Drawn on the map as well (issue #13): exactly the two shared points, each reachable with the keyboard, the list kept as the text alternative.
    const sharedMap = police.page.getByRole('region', { name: 'Karta med 2 delade händelser' });
    await sharedMap.waitFor();
    const points = sharedMap.getByRole('button', { name: new RegExp(`^Händelse [12] av 2: ${escapeRe(name)}$`) });
    await expect.poll(() => points.count()).toBe(2);
    expect(await sharedMap.locator('.leaflet-marker-icon').count()).toBe(2);
    await sharedMap.focus();
    await police.page.keyboard.press('Tab');
    await expect.poll(() => police.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Händelse 1 av 2: ${name}`);
    // The focused point names itself on screen too.
    await sharedMap.locator('.leaflet-tooltip').filter({ hasText: `Händelse 1 av 2: ${name}` }).waitFor();
    await police.page.keyboard.press('Tab');
    await expect.poll(() => police.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Händelse 2 av 2: ${name}`);
    await checkA11y(police.page, 'shared map extract (police)');
    expect([...co.problems, ...police.problems]).toEqual([]);
  });

  it('at desktop size: the administrator draws an area and imports one, sees the imported one in the statistics and removes both', { timeout: 120_000 }, async () => {
    const adm = await open(DESKTOP);
    const page = adm.page;
    await signIn(page, 'admin@lund.example');
    await page.goto(url('/lagesbild'));
    await h1(page).filter({ hasText: 'Lägesbild' }).waitFor();
    const areas = page.getByRole('region', { name: 'Områden' });
    await areas.getByRole('button', { name: 'Börja rita på kartan' }).click();
    const drawing = page.getByRole('form', { name: 'Rita nytt område' });
    // Too few corners and no name: Swedish messages.
    await drawing.getByRole('button', { name: 'Spara området' }).click();
    await drawing.getByText('Området behöver minst tre hörn.').waitFor();
    await drawing.getByText('Fältet måste fyllas i.').waitFor();
    await checkA11y(page, 'drawing an area with errors');
    // Click three corners around central Lund, undo one and click it again.
    const mapRegion = page.getByRole('region', { name: 'Karta över händelser' });
    const at = async (fx: number, fy: number) => {
      await mapRegion.scrollIntoViewIfNeeded();
      const box = (await mapRegion.boundingBox())!;
      await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    };
    await at(0.3, 0.3);
    await at(0.7, 0.3);
    await at(0.9, 0.9);
    await drawing.getByText('3 hörn').waitFor();
    await drawing.getByRole('button', { name: 'Ångra senaste hörnet' }).click();
    await drawing.getByText('2 hörn').waitFor();
    await at(0.3, 0.8);
    await drawing.getByText('3 hörn').waitFor();
    // The keyboard path: the map's centre as a corner.
    await drawing.getByRole('button', { name: 'Lägg till kartans mitt' }).click();
    await drawing.getByText('4 hörn').waitFor();
    const areaName = `Testområde ${Date.now() % 1_000_000}`;
    await drawing.getByLabel(/^Områdets namn/).fill(areaName);
    await drawing.getByRole('button', { name: 'Spara området' }).click();
    await page.getByRole('status').filter({ hasText: `Området ${areaName} är sparat.` }).waitFor();
    await areas.getByRole('listitem').filter({ hasText: areaName }).waitFor();
    await page.getByLabel('Område', { exact: true }).locator('option', { hasText: areaName }).waitFor({ state: 'attached' });
    await checkA11y(page, 'area saved');

    // GeoJSON import: a bad file is refused in Swedish; a good one becomes an area.
    await areas.getByLabel(/^GeoJSON-fil/).setInputFiles({ name: 'trasig.geojson', mimeType: 'application/json', buffer: Buffer.from('{"type":"Point","coordinates":[13.2,55.7]}') });
    await areas.getByRole('button', { name: 'Importera område' }).click();
    await areas.getByText('Filen innehåller ingen polygon (GeoJSON Polygon eller MultiPolygon).').waitFor();
    const square = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Importerat kvarter' }, geometry: { type: 'Polygon', coordinates: [[[13.19, 55.70], [13.2, 55.70], [13.2, 55.71], [13.19, 55.71], [13.19, 55.70]]] } }] };
    await areas.getByLabel(/^GeoJSON-fil/).setInputFiles({ name: 'kvarter.geojson', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(square)) });
    await areas.getByRole('button', { name: 'Importera område' }).click();
    await page.getByRole('status').filter({ hasText: 'Området Importerat kvarter är sparat.' }).waitFor();
    const stored = (await (await page.request.get(url('/api/incident-areas'))).json()).items as { name: string; geometry: { coordinates: number[][][] } }[];
    expect(stored.find((a) => a.name === 'Importerat kvarter')?.geometry.coordinates[0]).toHaveLength(5);
    expect(stored.find((a) => a.name === areaName)?.geometry.coordinates[0]).toHaveLength(5);
    // The block holds the demo's graffiti at Stortorget: the area has its own row in the statistics.
    const areaRow = page.getByRole('table', { name: 'Händelser per område, jämfört med samma period förra året' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Importerat kvarter' }) });
    await areaRow.waitFor();
    expect(Number((await areaRow.getByRole('cell').first().textContent()) ?? 0)).toBeGreaterThanOrEqual(1);

    // Remove with confirmation.
    for (const n of [areaName, 'Importerat kvarter']) {
      await areas.getByRole('button', { name: `Ta bort området ${n}` }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Ta bort området?' });
      await dialog.getByText(`Området "${n}" tas bort.`, { exact: false }).waitFor();
      await checkA11y(page, 'remove area dialog');
      await dialog.getByRole('button', { name: 'Ta bort' }).click();
      await page.getByRole('status').filter({ hasText: `Området ${n} är borttaget.` }).waitFor();
      await expect.poll(() => areas.getByRole('listitem').filter({ hasText: n }).count()).toBe(0);
    }
    await checkA11y(page, 'areas removed');
    expect(adm.problems).toEqual([]);
    expect(adm.requests).toEqual([]);
  });
});
