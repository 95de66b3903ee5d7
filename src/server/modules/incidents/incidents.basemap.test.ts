import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { signIn } from '../../../../test/helpers/factories.ts';
import { expectError } from '../../../../test/helpers/http.ts';
import { buildPmtiles, solidPng, tileOf } from '../../../../test/helpers/pmtiles.ts';
import { loadConfig } from '../../config.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-basemap-'));
const GREEN = solidPng([40, 160, 60]);
const BLUE = solidPng([40, 60, 160]);
/** Two tiles over Lund at zoom 10 and one at zoom 11: the archive made here, in the test. */
const [X10, Y10] = tileOf(13.19, 55.7, 10);
const [X11, Y11] = tileOf(13.19, 55.7, 11);
const file = path.join(dir, 'lund.pmtiles');
fs.writeFileSync(
  file,
  buildPmtiles(
    [
      { z: 10, x: X10, y: Y10, data: GREEN },
      { z: 10, x: X10, y: Y10 + 1, data: GREEN },
      { z: 11, x: X11, y: Y11, data: BLUE },
    ],
    { bounds: [13.0, 55.5, 13.6, 55.9] },
  ),
);

let ctx: TestContext;
let reader: string;
let reporter: string;
beforeAll(async () => {
  ctx = await createTestApp({ env: { MAP_PMTILES: file, MAP_TILE_ATTRIBUTION: '© Kommunens karta' } });
  reader = await signIn(ctx.app, 'lasare@lund.example');
  reporter = await signIn(ctx.app, 'rapportor.tn@lund.example');
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
const get = (url: string, cookie?: string) => ctx.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

describe('the self-hosted PMTiles basemap', () => {
  it('is what the settings name, with the zooms and bounds of the file', async () => {
    const res = await get('/api/incident-map/settings', reader);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ basemap: { kind: 'pmtiles', url: '/api/basemap/{z}/{x}/{y}', attribution: '© Kommunens karta', minZoom: 10, maxZoom: 11, bounds: [13, 55.5, 13.6, 55.9] } });
    // Served by Trygg itself: no other image origin is allowed.
    expect(res.headers['content-security-policy']).toMatch(/img-src 'self' data: blob:;/);
  });

  it('serves a tile from the file: its bytes and content type', async () => {
    const a = await get(`/api/basemap/10/${X10}/${Y10 + 1}`, reader);
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toBe('image/png');
    expect(a.rawPayload.equals(GREEN)).toBe(true);
    const b = await get(`/api/basemap/11/${X11}/${Y11}`, reader);
    expect(b.statusCode).toBe(200);
    expect(b.rawPayload.equals(BLUE)).toBe(true);
  });

  it('answers 404 for a tile the file lacks, 400 for a bad address, 401 without a session, 403 without the map', async () => {
    await expectError(await get(`/api/basemap/10/${X10 + 1}/${Y10}`, reader), 404, 'NOT_FOUND');
    await expectError(await get('/api/basemap/3/4/4', reader), 404, 'NOT_FOUND');
    await expectError(await get('/api/basemap/2/4/1', reader), 400, 'VALIDATION_FAILED');
    await expectError(await get('/api/basemap/x/1/1', reader), 400, 'VALIDATION_FAILED');
    await expectError(await get('/api/basemap/27/1/1', reader), 400, 'VALIDATION_FAILED');
    await expectError(await get('/api/basemap/10/-1/322', reader), 400, 'VALIDATION_FAILED');
    await expectError(await get(`/api/basemap/10/${X10}/${Y10 + 1}`), 401, 'UNAUTHENTICATED');
    await expectError(await get(`/api/basemap/10/${X10}/${Y10 + 1}`, reporter), 403, 'FORBIDDEN');
  });
});

describe('basemap configuration', () => {
  it('takes a WMTS in SWEREF 99 TM with the matrix set of Lantmäteriet by default', async () => {
    const other = await createTestApp({ env: { MAP_WMTS_URL: 'https://karta.kommun.example/wmts/topowebb/default/3006/{z}/{y}/{x}.png' } });
    try {
      const cookie = await signIn(other.app, 'lasare@lund.example');
      const res = await other.app.inject({ method: 'GET', url: '/api/incident-map/settings', headers: { cookie } });
      expect(res.json()).toEqual({
        basemap: {
          kind: 'wmts3006',
          url: 'https://karta.kommun.example/wmts/topowebb/default/3006/{z}/{y}/{x}.png',
          attribution: null,
          origin: [-1200000, 8500000],
          resolutions: [4096, 2048, 1024, 512, 256, 128, 64, 32, 16, 8, 4, 2, 1, 0.5, 0.25, 0.125],
        },
      });
      expect(res.headers['content-security-policy']).toMatch(/img-src 'self' data: blob: https:\/\/karta\.kommun\.example;/);
      // No PMTiles file: the tile route has nothing to serve.
      await expectError(await other.app.inject({ method: 'GET', url: `/api/basemap/10/${X10}/${Y10 + 1}`, headers: { cookie } }), 404, 'NOT_FOUND');
    } finally {
      await other.close();
    }
  });

  it('refuses to start on a missing file, two basemaps at once or a bad matrix set, in Swedish', () => {
    expect(() => loadConfig({ MAP_PMTILES: path.join(dir, 'saknas.pmtiles') })).toThrow(/MAP_PMTILES: filen finns inte/);
    expect(() => loadConfig({ MAP_PMTILES: file, MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png' })).toThrow(/ange bara en bakgrundskarta/);
    expect(() => loadConfig({ MAP_WMTS_URL: 'karta/{z}/{y}/{x}.png' })).toThrow(/MAP_WMTS_URL: måste börja med http/);
    expect(() => loadConfig({ MAP_WMTS_RESOLUTIONS: '1024,2048' })).toThrow(/MAP_WMTS_RESOLUTIONS: måste vara positiva och minska/);
    expect(() => loadConfig({ MAP_WMTS_ORIGIN: 'väst' })).toThrow(/MAP_WMTS_ORIGIN: måste vara två tal/);
  });

  it('refuses to start on a file that is not a raster PMTiles archive', async () => {
    const junk = path.join(dir, 'junk.pmtiles');
    fs.writeFileSync(junk, 'inte en karta');
    await expect(createTestApp({ seed: false, env: { MAP_PMTILES: junk } })).rejects.toThrow(/MAP_PMTILES: .* är ingen läsbar PMTiles-fil/);
    const vector = path.join(dir, 'vector.pmtiles');
    fs.writeFileSync(vector, buildPmtiles([{ z: 0, x: 0, y: 0, data: Buffer.from('mvt') }], { tileType: 1 }));
    await expect(createTestApp({ seed: false, env: { MAP_PMTILES: vector } })).rejects.toThrow(/innehåller inte rasterbilder/);
  });
});
