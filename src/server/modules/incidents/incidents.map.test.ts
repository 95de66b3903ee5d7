import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { cellSizeOf } from './incidents.map.ts';
import { loadConfig } from '../../config.ts';
import { expectError } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
let coordinator: string;
let reporterSon: string;
let reporterTn: string;
let reader: string;
let son: string;
const cats: Record<string, string> = {};
/** A box of its own, away from the demo incidents in central Lund. */
const BOX = '13.39,55.59,13.41,55.61';

const call = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) => ctx.app.inject({ method, url, payload, headers: { cookie } });
async function get<T = Record<string, any>>(cookie: string, url: string): Promise<T> {
  const res = await call(cookie, 'GET', url);
  if (res.statusCode !== 200) throw new Error(`GET ${url} → ${res.statusCode} ${res.body}`);
  return res.json() as T;
}
async function fails(cookie: string, url: string, status: number, code: string) {
  return expectError(await call(cookie, 'GET', url), status, code);
}
async function report(cookie: string, body: object) {
  const res = await call(cookie, 'POST', '/api/incidents', body);
  if (res.statusCode !== 201) throw new Error(`report → ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

const ids: string[] = [];
beforeAll(async () => {
  ctx = await createTestApp();
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reporterSon = await signIn(ctx.app, 'rapportor.son@lund.example');
  reporterTn = await signIn(ctx.app, 'rapportor.tn@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  son = await orgId(ctx.database, 'son');
  for (const c of (await get<{ items: { id: string; key: string }[] }>(reporterSon, '/api/incident-categories')).items) cats[c.key] = c.id;
  const at = (lat: number, lon: number) => ({ lat, lon });
  const base = { description: 'Händelse för kartan', organisationId: son, occurredAt: '2026-03-01T10:00:00Z' };
  ids.push((await report(reporterSon, { ...base, categoryId: cats.vandalism, location: at(55.6001, 13.4001), anonymous: true })).id);
  ids.push((await report(reporterSon, { ...base, categoryId: cats.vandalism, location: at(55.6002, 13.4002) })).id);
  ids.push((await report(reporterSon, { ...base, categoryId: cats.vandalism, location: at(55.6004, 13.4004) })).id);
  ids.push((await report(reporterSon, { ...base, categoryId: cats.littering, location: at(55.6005, 13.4005), occurredAt: '2025-06-01T10:00:00Z' })).id);
  ids.push(
    (
      await report(reporterSon, {
        ...base,
        categoryId: cats.staff_threat,
        location: at(55.6003, 13.4003),
        staff: { victimRole: 'employee', perpetratorRelation: 'student', sickLeave: false },
      })
    ).id,
  );
  await ctx.database.db.execute(sql`insert into police_events (id, datetime, name, summary, type, location_name, lat, lon) values
    (990001, '2026-03-01T10:00:00Z', '1 mars, Skadegörelse, Lund', '', 'Skadegörelse', 'Lund', 55.6001, 13.4001),
    (990002, '2026-03-02T10:00:00Z', '2 mars, Skadegörelse, Lund', '', 'Skadegörelse', 'Lund', 55.6002, 13.4002),
    (990003, '2026-03-03T10:00:00Z', '3 mars, Stöld, Lund', '', 'Stöld', 'Lund', 55.6003, 13.4003)`);
});
afterAll(() => ctx?.close());

type Map = { mode: string; cellSize: number; total: number; truncated: boolean; clusters: { cell: [number, number]; lat: number; lon: number; count: number; key: string; categoryId: string | null }[]; points: { id: string; key: string; status: string | null; lat: number; lon: number }[] };

describe('GET /api/incident-map', () => {
  it('clusters what the actor may see on a zoom-dependent grid, the same as SQL over the table', async () => {
    const m = await get<Map>(coordinator, `/api/incident-map?bbox=${BOX}&zoom=10`);
    expect(m.mode).toBe('clusters');
    expect(m.cellSize).toBeCloseTo(cellSizeOf(10), 12);
    expect(m.total).toBe(5);
    const size = cellSizeOf(10);
    const direct = await ctx.database.db.execute<{ gx: number; gy: number; n: number; lat: number; lon: number }>(sql`
      select floor(lon / ${size})::int as gx, floor(lat / ${size})::int as gy, count(*)::int as n, avg(lat)::float8 as lat, avg(lon)::float8 as lon
      from incidents where lon between 13.39 and 13.41 and lat between 55.59 and 55.61 group by 1, 2 order by 2, 1`);
    expect(m.clusters.map((c) => [c.cell, c.count])).toEqual(direct.rows.map((r) => [[r.gx, r.gy], r.n]));
    expect(m.clusters[0].lat).toBeCloseTo(Number(direct.rows[0].lat), 9);
    expect(m.clusters[0].lon).toBeCloseTo(Number(direct.rows[0].lon), 9);
    // 3 of 5 are vandalism: the most common category.
    expect(m.clusters).toHaveLength(1);
    expect(m.clusters[0]).toMatchObject({ count: 5, key: 'vandalism', categoryId: cats.vandalism });
  });

  it('hides restricted staff incidents from a reader and refuses those who read no incidents', async () => {
    expect((await get<Map>(reader, `/api/incident-map?bbox=${BOX}&zoom=10`)).total).toBe(4);
    expect((await get<Map>(reader, `/api/incident-map?bbox=${BOX}&zoom=16`)).points.map((p) => p.key)).not.toContain('staff_threat');
    await fails(reporterTn, `/api/incident-map?bbox=${BOX}&zoom=10`, 403, 'FORBIDDEN');
  });

  it('answers single points at high zoom, without anything about the reporter', async () => {
    const res = await call(coordinator, 'GET', `/api/incident-map?bbox=${BOX}&zoom=16`);
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json() as Map;
    expect(m.mode).toBe('points');
    expect(m.clusters).toEqual([]);
    expect(m.points.map((p) => p.id).sort()).toEqual([...ids].sort());
    expect(m.points.every((p) => p.status === 'new')).toBe(true);
    expect(res.body).not.toMatch(/report|anonym|rapportor/i);
  });

  it('applies the same filters as the list: category, status, period, organisation', async () => {
    const q = `/api/incident-map?bbox=${BOX}&zoom=10`;
    expect((await get<Map>(coordinator, `${q}&categoryId=${cats.littering}`)).total).toBe(1);
    expect((await get<Map>(coordinator, `${q}&status=closed`)).total).toBe(0);
    expect((await get<Map>(coordinator, `${q}&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`)).total).toBe(4);
    expect((await get<Map>(coordinator, `${q}&organisationId=${son}`)).total).toBe(5);
    expect((await get<Map>(coordinator, `${q}&organisationId=${await orgId(ctx.database, 'tn')}`)).total).toBe(0);
    // Outside the box: nothing.
    expect((await get<Map>(coordinator, `/api/incident-map?bbox=13.42,55.59,13.43,55.61&zoom=10`)).total).toBe(0);
  });

  it('shows police events as their own source', async () => {
    const m = await get<Map>(reader, `/api/incident-map?bbox=${BOX}&zoom=10&source=police`);
    expect(m.total).toBe(3);
    expect(m.clusters).toHaveLength(1);
    expect(m.clusters[0]).toMatchObject({ count: 3, key: 'Skadegörelse' });
    const p = await get<Map>(reader, `/api/incident-map?bbox=${BOX}&zoom=17&source=police&type=St%C3%B6ld`);
    expect(p.points).toEqual([expect.objectContaining({ id: '990003', key: 'Stöld', status: null })]);
  });

  it('refuses a bad box or zoom with a Swedish message', async () => {
    for (const bbox of ['13.41,55.59,13.39,55.61', '13,55,14', 'abc', '13,55,200,56', '13,56,14,55', '1e3,55,14,56']) {
      const e = await fails(coordinator, `/api/incident-map?bbox=${encodeURIComponent(bbox)}&zoom=10`, 400, 'VALIDATION_FAILED');
      expect(e.fields?.[0]).toMatchObject({ path: 'querystring.bbox' });
      expect(e.fields?.[0].message).toMatch(/kartutsnitt/);
    }
    for (const zoom of ['23', '-1', '1.5', 'x', '']) {
      const e = await fails(coordinator, `/api/incident-map?bbox=${BOX}&zoom=${zoom}`, 400, 'VALIDATION_FAILED');
      expect(e.fields?.[0].message).toMatch(/zoomnivå/);
    }
    await fails(coordinator, `/api/incident-map?bbox=${BOX}`, 400, 'VALIDATION_FAILED');
    await fails(coordinator, `/api/incident-map?bbox=${BOX}&zoom=10&source=twitter`, 400, 'VALIDATION_FAILED');
    await fails(coordinator, `/api/incident-map?bbox=${BOX}&zoom=10&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`, 400, 'VALIDATION_FAILED');
  });
});

describe('map filters by area, areas can be removed, statistics per area against last year', () => {
  // A square inside BOX's western half (GeoJSON is [lon, lat]): holds the incidents at 13.4001–13.4003, not 13.4004–13.4005.
  const square = (lon: number, lat: number, d: number) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });
  let admin: string;
  beforeAll(async () => {
    admin = await signIn(ctx.app, 'admin@lund.example');
  });

  it('narrows the incidents layer to an area; police events (without area) are not narrowed', async () => {
    const res = await call(admin, 'POST', '/api/incident-areas', { name: 'Kartruta', geometry: square(13.4, 55.6, 0.00035) });
    expect(res.statusCode, res.body).toBe(201);
    const areaId = res.json().id as string;
    const q = `/api/incident-map?bbox=${BOX}&zoom=10&areaId=${areaId}`;
    const inArea = await get<Map>(coordinator, q);
    expect(inArea.total).toBe(3);
    const direct = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incidents where area_id = ${areaId}`);
    expect(inArea.total).toBe(direct.rows[0].n);
    expect((await get<Map>(coordinator, `${q.replace('zoom=10', 'zoom=16')}`)).points.map((p) => p.id).sort()).toEqual([ids[0], ids[1], ids[4]].sort());
    // The reader does not see the restricted staff incident in the area either.
    expect((await get<Map>(reader, q)).total).toBe(2);
    expect((await get<Map>(reader, `${q}&source=police`)).total).toBe(3);
    await fails(coordinator, `/api/incident-map?bbox=${BOX}&zoom=10&areaId=nej`, 400, 'VALIDATION_FAILED');

    // Statistics per area carry last year's count for the trend.
    const st = await get<{ byArea: { areaId: string | null; count: number; previousYear: number }[] }>(coordinator, `/api/incident-statistics?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z&bbox=${BOX}`);
    expect(st.byArea.find((a) => a.areaId === areaId)).toMatchObject({ count: 3, previousYear: 0 });
    const lastYear = await get<{ byArea: { areaId: string | null; count: number; previousYear: number }[] }>(coordinator, `/api/incident-statistics?from=2026-05-01T00:00:00Z&to=2026-07-01T00:00:00Z&bbox=${BOX}`);
    // The littering incident of June 2025 lies outside the area: last year's count of "no area".
    expect(lastYear.byArea.find((a) => a.areaId === null)).toMatchObject({ count: 0, previousYear: 1 });
  });

  it('removes an area with its version; its incidents leave it; the audit keeps the polygon', async () => {
    // Holds the incidents at 13.4004 and 13.4005 only (beside the other test's area).
    const created = (await call(admin, 'POST', '/api/incident-areas', { name: 'Tillfälligt område', geometry: square(13.40038, 55.6003, 0.0005) })).json() as { id: string; version: number };
    const inside = await ctx.database.db.execute<{ id: string }>(sql`select id from incidents where area_id = ${created.id}`);
    expect(inside.rows.map((r) => r.id).sort()).toEqual([ids[2], ids[3]].sort());
    const del = (cookie: string, v: number | string) => ctx.app.inject({ method: 'DELETE', url: `/api/incident-areas/${created.id}?version=${v}`, headers: { cookie } });
    expect((await del(coordinator, 1)).statusCode).toBe(403);
    const stale = await del(admin, 2);
    expectError(stale, 409, 'VERSION_CONFLICT');
    expect((await del(admin, 'x')).statusCode).toBe(400);
    const ok = await del(admin, 1);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ ok: true });
    const left = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incidents where area_id = ${created.id}`);
    expect(left.rows[0].n).toBe(0);
    expect((await get<{ items: { id: string }[] }>(admin, '/api/incident-areas')).items.map((a) => a.id)).not.toContain(created.id);
    const audit = await ctx.database.db.execute<{ before: { name: string; geometry: { type: string } } }>(sql`select before from audit_log where entity_type = 'incident_area' and entity_id = ${created.id} and action = 'delete'`);
    expect(audit.rows[0].before).toMatchObject({ name: 'Tillfälligt område', geometry: { type: 'Polygon' } });
    const gone = await del(admin, 1);
    expect(gone.statusCode).toBe(404);
  });

  it('tells the web app the tile URL, or none (offline)', async () => {
    expect(() => loadConfig({ MAP_TILE_URL: 'tiles/{z}/{x}/{y}.png' })).toThrow(/MAP_TILE_URL: måste börja med http/);
    expect(await get(reader, '/api/incident-map/settings')).toEqual({ basemap: { kind: 'none' } });
    await fails(reporterTn, '/api/incident-map/settings', 403, 'FORBIDDEN');
    const other = await createTestApp({ env: { MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png', MAP_TILE_ATTRIBUTION: '© Exempel' } });
    try {
      const cookie = await signIn(other.app, 'lasare@lund.example');
      const res = await other.app.inject({ method: 'GET', url: '/api/incident-map/settings', headers: { cookie } });
      expect(res.json()).toEqual({ basemap: { kind: 'xyz', url: 'https://tiles.example/{z}/{x}/{y}.png', attribution: '© Exempel' } });
      // The tiles' origin is allowed as an image source, nothing else.
      expect(res.headers['content-security-policy']).toMatch(/img-src 'self' data: blob: https:\/\/tiles\.example;/);
    } finally {
      await other.close();
    }
  });
});
