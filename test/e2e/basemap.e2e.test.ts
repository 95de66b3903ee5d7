import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import proj4 from 'proj4';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.ts';
import { buildPmtiles, solidPng, tilesCovering } from '../helpers/pmtiles.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/seed.ts';
import { checkA11y, field, h1, signInAs, useBrowserJourney } from './browser.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-basemap-e2e-'));
const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };

// The municipality's own basemap: a PMTiles file made here (one light-green PNG over Lund, zooms 7–13),
// configured on the server; the browser must draw it with no request leaving Trygg. Registered before the
// journey's hooks: the file is made before the server starts and removed after it has closed.
const file = path.join(dir, 'lund.pmtiles');
beforeAll(() => {
  fs.writeFileSync(file, buildPmtiles(tilesCovering([12.95, 55.55, 13.65, 55.85], 7, 13, solidPng([200, 230, 200])), { bounds: [12.95, 55.55, 13.65, 55.85] }));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
const setup = useBrowserJourney({ env: { MAP_PMTILES: file, MAP_TILE_ATTRIBUTION: '© Testkommunens karta' } });
const { server, url } = setup;

async function open(viewport: { width: number; height: number }) {
  const b = await setup.open(viewport);
  const outside: string[] = [];
  const tiles: { url: string; status: number; type: string | undefined }[] = [];
  b.page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !/^(data|blob):/.test(r.url())) outside.push(r.url());
  });
  b.page.on('response', (r) => {
    if (r.url().includes('/api/basemap/')) tiles.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
  });
  await signIn(b.page, 'samordnare@lund.example');
  return { ...b, outside, tiles };
}

const signIn = (page: Page, email: string, base = server.url) => signInAs(page, base, email, DEMO_PASSWORD);

/** An incident of a category of its own, alone in a corner of Lund: a cluster of one at the municipality's zoom. */
async function lonelyIncident(tag: string) {
  const adm = await setup.open();
  const page = adm.page;
  await signIn(page, 'admin@lund.example');
  const cat = await page.request.post(url('/api/incident-categories'), { data: { key: `basemap_${tag}`, name: `Ensam ${tag}` } });
  expect(cat.status(), await cat.text()).toBe(201);
  const categoryId = (await cat.json()).id as string;
  const orgs = (await (await page.request.get(url('/api/organisations'))).json()).items as { id: string; name: string }[];
  const res = await page.request.post(url('/api/incidents'), {
    data: { categoryId, organisationId: orgs.find((o) => o.name === 'Tekniska nämnden')!.id, description: `Ensam ${tag}`, location: { lat: 55.66, lon: 13.35 }, place: `Ensam plats ${tag}` },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { categoryId, name: `Ensam ${tag}`, id: (await res.json()).id as string };
}

/** Every count badge: the number's box lies inside the badge's border and its centre is the badge's. */
async function badgeGeometry(page: Page) {
  return page.locator('.map-cluster').evaluateAll((els) =>
    els.map((el) => {
      const icon = el.getBoundingClientRect();
      const text = el.querySelector('span')!.getBoundingClientRect();
      const border = parseFloat(getComputedStyle(el).borderLeftWidth);
      return {
        count: el.textContent,
        inside: text.left >= icon.left + border - 0.5 && text.right <= icon.right - border + 0.5 && text.top >= icon.top + border - 0.5 && text.bottom <= icon.bottom - border + 0.5,
        dx: Math.abs(text.left + text.width / 2 - (icon.left + icon.width / 2)),
        dy: Math.abs(text.top + text.height / 2 - (icon.top + icon.height / 2)),
        overflow: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight,
      };
    }),
  );
}

async function journey(viewport: { width: number; height: number }, tag: string) {
  const co = await open(viewport);
  const page = co.page;
  const lonely = await lonelyIncident(tag);

  // --- The lägesbild map on the self-hosted basemap ---
  await page.goto(url('/lagesbild'));
  await h1(page).filter({ hasText: 'Lägesbild' }).waitFor();
  const map = page.getByRole('region', { name: 'Karta över händelser' });
  await expect.poll(() => map.getAttribute('data-basemap')).toBe('pmtiles');
  // Tiles drawn: images that loaded, every one from Trygg's own tile route, as PNG.
  await expect.poll(() => page.locator('.incident-map img.leaflet-tile-loaded').count()).toBeGreaterThan(0);
  const srcs = await page.locator('.incident-map img.leaflet-tile').evaluateAll((imgs) => imgs.map((i) => ({ src: (i as HTMLImageElement).src, w: (i as HTMLImageElement).naturalWidth })));
  expect(srcs.length).toBeGreaterThan(0);
  for (const s of srcs) expect(s.src.startsWith(url('/api/basemap/'))).toBe(true);
  expect(srcs.some((s) => s.w === 256)).toBe(true);
  expect(co.tiles.filter((t) => t.status === 200).length).toBeGreaterThan(0);
  for (const t of co.tiles.filter((x) => x.status === 200)) expect(t.type).toBe('image/png');
  await page.getByText('© Testkommunens karta').waitFor();
  expect(await page.getByText('Ingen bakgrundskarta är inställd').count()).toBe(0);
  expect(await page.getByText('Bakgrundskartan kunde inte laddas').count()).toBe(0);
  await checkA11y(page, `lägesbild on the PMTiles basemap (${tag})`);

  // The badges' numbers are centred and not clipped.
  await expect.poll(() => page.locator('.map-cluster-incidents').count()).toBeGreaterThan(0);
  const geometry = await badgeGeometry(page);
  expect(geometry.length).toBeGreaterThan(0);
  for (const g of geometry) {
    expect(g, JSON.stringify(g)).toMatchObject({ inside: true, overflow: false });
    expect(g.dx, JSON.stringify(g)).toBeLessThanOrEqual(1);
    expect(g.dy, JSON.stringify(g)).toBeLessThanOrEqual(1);
  }

  // A cluster of one: choosing it shows the point itself, centred, with the municipal boundary still drawn in view.
  await page.getByLabel('Kategori', { exact: true }).selectOption({ label: lonely.name });
  await page.getByTestId('map-summary').filter({ hasText: 'I kartutsnittet: 1 händelse från kommunen' }).waitFor();
  const one = page.locator('.map-cluster-incidents[data-count="1"]');
  await one.waitFor();
  await one.click();
  const point = page.locator(`.map-point-incidents a[data-incident="${lonely.id}"]`);
  await point.waitFor();
  const [box, pt, outline] = await Promise.all([map.boundingBox(), point.boundingBox(), page.locator('.incident-map .leaflet-overlay-pane path').first().boundingBox()]);
  expect(Math.abs(pt!.x + pt!.width / 2 - (box!.x + box!.width / 2))).toBeLessThanOrEqual(2);
  expect(Math.abs(pt!.y + pt!.height / 2 - (box!.y + box!.height / 2))).toBeLessThanOrEqual(2);
  // The outline's shape covers the view (the point lies inside the municipality) and tiles still come from Trygg.
  expect(outline!.x).toBeLessThanOrEqual(box!.x + box!.width);
  expect(outline!.x + outline!.width).toBeGreaterThanOrEqual(box!.x);
  await expect.poll(() => page.locator('.incident-map img.leaflet-tile-loaded').count()).toBeGreaterThan(0);
  await checkA11y(page, `lägesbild, a single point (${tag})`);

  // --- A position typed in SWEREF 99 TM in the report form, shown in both systems ---
  await page.goto(url('/rapportera'));
  await h1(page).filter({ hasText: 'Rapportera händelse' }).waitFor();
  const coords = page.getByRole('group', { name: 'Ange koordinater' });
  expect(await field(coords, 'Koordinatsystem').locator('option:checked').textContent()).toBe('SWEREF 99 TM (meter, N och E)');
  // Northing and easting swapped: outside Sweden, said in Swedish.
  await field(coords, 'Nordlig koordinat (N)').fill('387500');
  await field(coords, 'Östlig koordinat (E)').fill('6176500');
  await coords.getByRole('button', { name: 'Använd koordinaterna' }).click();
  await page.getByRole('alert').filter({ hasText: 'Positionen ligger utanför Sverige' }).waitFor();
  await field(coords, 'Nordlig koordinat (N)').fill('61765OO');
  await coords.getByRole('button', { name: 'Använd koordinaterna' }).click();
  await coords.getByText('Ange ett tal (decimaler med komma eller punkt).').waitFor();
  await checkA11y(page, `report form, coordinate errors (${tag})`);
  await field(coords, 'Nordlig koordinat (N)').fill('6 176 500');
  await field(coords, 'Östlig koordinat (E)').fill('387500');
  await coords.getByRole('button', { name: 'Använd koordinaterna' }).click();
  await page.getByRole('status').filter({ hasText: 'Position sparad: SWEREF 99 TM: N 6176500, E 387500 WGS 84: 55,72117° N, 13,20895° E' }).waitFor();
  // The same place in WGS 84, with a decimal comma.
  await field(coords, 'Koordinatsystem').selectOption({ label: 'WGS 84 (grader, latitud och longitud)' });
  await field(coords, 'Latitud').fill('55,7047');
  await field(coords, 'Longitud').fill('13.191');
  await coords.getByRole('button', { name: 'Använd koordinaterna' }).click();
  await page.getByRole('status').filter({ hasText: 'Position sparad: SWEREF 99 TM: N 6174697, E 386325 WGS 84: 55,70470° N, 13,19100° E' }).waitFor();
  await checkA11y(page, `report form with a typed position (${tag})`);

  await field(page, 'Kategori').selectOption({ label: 'Skadegörelse' });
  await field(page, 'Vad hände?').fill(`Klotter på gavel (${tag})`);
  await field(page, 'Berörd verksamhet').selectOption({ label: 'Tekniska nämnden' });
  await page.getByRole('button', { name: 'Skicka rapport' }).click();
  await page.getByRole('link', { name: 'Visa händelsen' }).click();
  await page.getByTestId('position-text').filter({ hasText: 'SWEREF 99 TM: N 6174697, E 386325' }).filter({ hasText: 'WGS 84: 55,70470° N, 13,19100° E' }).waitFor();
  await checkA11y(page, `incident with its position (${tag})`);

  // Nothing outside Trygg was asked for, and nothing broke.
  expect(co.outside).toEqual([]);
  expect(co.problems).toEqual([]);
}

describe('the self-hosted basemap and positions in Chromium', () => {
  it('at desktop size', { timeout: 240_000 }, async () => {
    await journey(DESKTOP, 'desk');
  });
  it('at phone size', { timeout: 240_000 }, async () => {
    await journey(PHONE, 'phone');
  });
});

describe('a WMTS in SWEREF 99 TM in Chromium', () => {
  it('asks the WMTS for the tiles of the Lantmäteriet grid that cover Lund, and shows the incidents on it', { timeout: 240_000 }, async () => {
    // A stand-in for the municipality's GIS server on this machine: any tile is a light-blue PNG; requests are recorded.
    const png = solidPng([200, 215, 235]);
    const asked: string[] = [];
    const gis = http.createServer((req, res) => {
      asked.push(req.url!);
      res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(png);
    });
    await new Promise<void>((r) => gis.listen(0, '127.0.0.1', r));
    const gisUrl = `http://127.0.0.1:${(gis.address() as AddressInfo).port}`;
    const wmts = await startTestServer({ env: { MAP_WMTS_URL: `${gisUrl}/wmts/topowebb/default/3006/{z}/{y}/{x}.png`, MAP_TILE_ATTRIBUTION: '© Lantmäteriet' } });
    try {
      const b = await setup.open(DESKTOP);
      const page = b.page;
      const elsewhere: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(wmts.url) && !r.url().startsWith(gisUrl) && !/^(data|blob):/.test(r.url())) elsewhere.push(r.url());
      });
      await signIn(page, 'samordnare@lund.example', wmts.url);
      await page.goto(new URL('/lagesbild', wmts.url).toString());
      const map = page.getByRole('region', { name: 'Karta över händelser' });
      await expect.poll(() => map.getAttribute('data-basemap')).toBe('wmts3006');
      await expect.poll(() => page.locator('.incident-map img.leaflet-tile-loaded').count()).toBeGreaterThan(0);
      await page.getByText('© Lantmäteriet').waitFor();
      // Tiles by the grid's own arithmetic: origin (-1200000, 8500000), 4096 m/px at matrix 0, 256 px tiles.
      const paths = asked.map((u) => u.match(/\/3006\/(\d+)\/(\d+)\/(\d+)\.png$/)).filter((m) => !!m).map((m) => m!.slice(1).map(Number) as [number, number, number]);
      expect(paths.length).toBe(asked.length);
      const zoom = paths[0]![0];
      const [e, n] = proj4('EPSG:4326', '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs').forward([13.19, 55.7]);
      const res = 4096 / 2 ** zoom;
      const col = Math.floor((e - -1200000) / (256 * res));
      const row = Math.floor((8500000 - n) / (256 * res));
      // Central Lund lies in the municipality shown, so its tile is among those asked for.
      expect(paths.some(([z, y, x]) => z === zoom && y === row && x === col), JSON.stringify({ zoom, row, col, paths })).toBe(true);
      // Incidents are drawn on it (the server clusters at the web-mercator zoom of the same scale).
      await expect.poll(() => page.locator('.map-cluster-incidents').count()).toBeGreaterThan(0);
      await page.getByTestId('map-summary').filter({ hasText: /I kartutsnittet: [1-9]\d* händelse/ }).waitFor();
      const merc = Number(await map.getAttribute('data-zoom'));
      expect(merc).toBeGreaterThanOrEqual(9);
      expect(merc).toBeLessThanOrEqual(13);
      await checkA11y(page, 'lägesbild on a SWEREF 99 TM WMTS');
      expect(elsewhere).toEqual([]);
    } finally {
      await wmts.close();
      gis.closeAllConnections();
      await new Promise((r) => gis.close(r));
    }
  });
});
