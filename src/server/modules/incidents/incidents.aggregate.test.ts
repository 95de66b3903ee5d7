import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromDb } from '../../../../test/helpers/actors.ts';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId } from '../../../../test/helpers/factories.ts';
import type { Actor } from '../../lib/policies.ts';
import { createIncidentStats } from './incidents.stats.ts';
import { createIncidentMap } from './incidents.map.ts';
import { createAreaService } from './incidents.areas.ts';
import { accessOf } from '../../access/index.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AGGREGATE_CELL, aggregateRows, aggregateVisibility, clusterSpans } from './incidents.aggregate.ts';

/**
 * The lägesbild's aggregates (issue #12 item 3): the statistics and the map clusters from incident_aggregates
 * (forced with path 'aggregates') answer exactly what grouping the incidents table answers, for readers
 * with different visibility, for every kind of filter, period and box, through every kind of change.
 */
let ctx: TestContext;
let stats: ReturnType<typeof createIncidentStats>;
let map: ReturnType<typeof createIncidentMap>;
const actors: Record<string, Actor> = {};
const ids: Record<string, string> = {};
const cats: Record<string, string> = {};
const ctxOf = (a: Actor) => ({ actor: { id: a.id, name: a.name }, requestId: 'test' });

const actorOf = (email: string) => actorFromDb(ctx.database.db, { email });

/** A box of its own, away from the demo incidents; cells of the aggregates are about 0.0055° wide. */
const W = 14.0, S = 56.0;
/** A point in the test box: cell (cx, cy) from the box's corner cell, at a fraction inside it (0 = on the cell's edge). */
const at = (cx: number, cy: number, fx = 0.5, fy = 0.5) => {
  const gx = Math.floor(W / AGGREGATE_CELL) + cx, gy = Math.floor(S / AGGREGATE_CELL) + cy;
  return { lon: (gx + fx) * AGGREGATE_CELL, lat: (gy + fy) * AGGREGATE_CELL };
};

async function insert(n: number, o: { cat: string; org: string; by: string; at: string; pos: { lat: number; lon: number } | null; status?: string; restricted?: boolean; secret?: boolean }) {
  const res = await ctx.database.db.execute<{ id: string }>(sql`
    insert into incidents (category_id, description, occurred_at, known_at, lat, lon, organisation_id, reported_by, status, restricted, secrecy_ref)
    select ${o.cat}, 'Aggregattest', ${o.at}::timestamptz + (g * interval '1 minute'), now(), ${o.pos?.lat ?? null}::float8 + g * 1e-7, ${o.pos?.lon ?? null}::float8 + g * 1e-7,
           ${o.org}, ${o.by}, ${o.status ?? 'new'}, ${o.restricted ?? false}, ${o.secret ? 'OSL 18:8' : null}
    from generate_series(0, ${n - 1}) g returning id`);
  return res.rows.map((r) => r.id);
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** Every reader, every filter: the aggregates' statistics and clusters equal the incidents table's. */
async function expectSameAnswers(label: string) {
  const boxes: ([number, number, number, number] | undefined)[] = [
    undefined,
    [W, S, W + 0.1, S + 0.05],
    [W + 0.0031, S + 0.0017, W + 0.0431, S + 0.0213],
    [W + 0.001, S + 0.001, W + 0.004, S + 0.004], // no whole cell
    [-180, -90, 180, 90],
  ];
  const periods: [string, string][] = [
    ['2025-01-01T00:00:00+01:00', '2026-01-01T00:00:00+01:00'], // whole months
    ['2025-03-14T09:30:00Z', '2025-11-02T17:00:00+01:00'], // ends inside months
    ['2025-05-03T00:00:00+02:00', '2025-05-20T00:00:00+02:00'], // no whole month
    ['2024-12-31T23:00:00Z', '2025-02-28T23:00:00Z'], // Stockholm month starts given in UTC
  ];
  const filters = [{}, { categoryId: cats.vandalism }, { organisationId: ids.son }, { status: 'closed' as const }, { areaId: ids.areaA }];
  for (const [who, actor] of Object.entries(actors)) {
    // Every period with every box, and every filter with two of them.
    const combos = [
      ...periods.flatMap(([from, to]) => boxes.map((bbox) => ({ from, to, bbox }))),
      ...filters.slice(1).flatMap((filter) => [{ from: periods[1][0], to: periods[1][1], ...filter }, { from: periods[0][0], to: periods[0][1], bbox: boxes[2], ...filter }]),
    ];
    for (const q of combos) {
      const a = await stats.stats(actor, q, { path: 'aggregates' });
      const b = await stats.stats(actor, q, { path: 'base' });
      expect(a, `${label}: statistics for ${who}, ${JSON.stringify(q)}`).toEqual(b);
    }
    // All time; a whole year; months inside a year; twelve months to the middle of a month (a month of 2024, then
    // 2025 less its last month, then part of that month from the incidents); three years and a bit.
    const mapPeriods = [{}, ...[periods[0], periods[1], ['2024-12-01T00:00:00+01:00', '2025-12-10T12:00:00+01:00'], ['2022-11-15T00:00:00Z', '2025-10-20T00:00:00Z']].map(([from, to]) => ({ from, to }))];
    for (const zoom of [6, 11, 12, 13, 14])
      for (const period of mapPeriods)
        for (const bbox of [boxes[1]!, boxes[2]!, boxes[4]!])
          for (const filter of zoom === 14 ? filters.slice(0, 3) : [{}]) {
            const q = { bbox, zoom, source: 'incidents' as const, ...period, ...filter };
            const a = await map.map(actor, q, { path: 'aggregates' });
            const b = await map.map(actor, q, { path: 'base' });
            const what = `${label}: clusters for ${who}, ${JSON.stringify(q)}`;
            expect(a.clusters.map((c) => [c.cell, c.count, c.key, c.categoryId]), what).toEqual(b.clusters.map((c) => [c.cell, c.count, c.key, c.categoryId]));
            expect(a.total, what).toBe(b.total);
            a.clusters.forEach((c, i) => expect(close(c.lat, b.clusters[i].lat) && close(c.lon, b.clusters[i].lon), what).toBe(true));
          }
  }
  // The kept aggregates are the incidents grouped, level by level.
  const db = ctx.database.db;
  const kept = await db.execute<{ k: string }>(sql`select concat_ws('|', z, year, period, gx, gy, category_id, area_id, secret, n) as k from incident_aggregates order by 1`);
  const grouped = await db.execute<{ k: string }>(sql`
    select concat_ws('|', z, year, period, gx, gy, category_id, area_id, secret, count(*)) as k from (
      select l.z, l.y as year, (case when l.z < 0 then '-infinity' when l.y then date_trunc('year', t) else date_trunc('month', t) end)::date as period,
             case when l.z = 0 then 0 else floor(lon / (360 / 2 ^ abs(l.z) / 4))::int end as gx, case when l.z = 0 then 0 else floor(lat / (360 / 2 ^ abs(l.z) / 4))::int end as gy,
             category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000') as area_id, restricted or secrecy_ref is not null as secret
      from (select *, occurred_at at time zone 'Europe/Stockholm' as t from incidents) i
      cross join (values (0, false), (12, false), (12, true), (14, false), (14, true), (-12, true), (-14, true)) l(z, y)
      where l.z = 0 or lat is not null) x group by z, year, period, gx, gy, category_id, area_id, secret order by 1`);
  expect(kept.rows.map((r) => r.k), label).toEqual(grouped.rows.map((r) => r.k));
  const sums = await db.execute<{ ok: boolean }>(sql`
    select bool_and(abs(k.sum_lat - g.sum_lat) < 1e-6 and abs(k.sum_lon - g.sum_lon) < 1e-6) as ok from incident_aggregates k
    join (select floor(lon / ${AGGREGATE_CELL}::float8)::int as gx, floor(lat / ${AGGREGATE_CELL}::float8)::int as gy, date_trunc('month', occurred_at at time zone 'Europe/Stockholm')::date as period,
                 category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000') as area_id, restricted or secrecy_ref is not null as secret, sum(lat) as sum_lat, sum(lon) as sum_lon
          from incidents where lat is not null group by 1, 2, 3, 4, 5, 6) g
      on k.z = 14 and not k.year and (k.gx, k.gy, k.period, k.category_id, k.area_id, k.secret) = (g.gx, g.gy, g.period, g.category_id, g.area_id, g.secret)`);
  expect(sums.rows[0].ok, label).not.toBe(false);
  // And over all time (level z -14), which the map without a period reads.
  const allTime = await db.execute<{ ok: boolean; n: number }>(sql`
    select bool_and(abs(k.sum_lat - g.sum_lat) < 1e-6 and abs(k.sum_lon - g.sum_lon) < 1e-6) as ok, count(*)::int as n from incident_aggregates k
    join (select floor(lon / ${AGGREGATE_CELL}::float8)::int as gx, floor(lat / ${AGGREGATE_CELL}::float8)::int as gy,
                 category_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000') as area_id, restricted or secrecy_ref is not null as secret, sum(lat) as sum_lat, sum(lon) as sum_lon
          from incidents where lat is not null group by 1, 2, 3, 4, 5) g
      on k.z = -14 and (k.gx, k.gy, k.category_id, k.area_id, k.secret) = (g.gx, g.gy, g.category_id, g.area_id, g.secret)`);
  expect(allTime.rows[0].ok, label).not.toBe(false);
  expect(allTime.rows[0].n, label).toBeGreaterThan(0);
}

beforeAll(async () => {
  ctx = await createTestApp();
  const db = ctx.database.db;
  stats = createIncidentStats({ db });
  map = createIncidentMap({ db });
  for (const [k, email] of Object.entries({ coordinator: 'samordnare@lund.example', reader: 'lasare@lund.example', reporterSon: 'rapportor.son@lund.example', reporterTn: 'rapportor.tn@lund.example' }))
    actors[k] = await actorOf(email);
  for (const k of ['son', 'tn']) ids[k] = await orgId(ctx.database, k);
  for (const c of (await db.execute<{ id: string; key: string }>(sql`select id, key from incident_categories`)).rows) cats[c.key] = c.id;
  // An area over the box's western half (reassigns the incidents in it as they come).
  const ring = [[W, S], [W + 0.05, S], [W + 0.05, S + 0.05], [W, S + 0.05], [W, S]];
  ids.areaA = (await createAreaService({ db }).create(ctxOf(actors.coordinator), { name: 'Aggregatområde A', geometry: { type: 'Polygon', coordinates: [ring] } } as never)).id;
});
afterAll(() => ctx?.close());

describe('the lägesbild aggregates', () => {
  it('answer as the incidents table does through inserts, edits, moves, secrecy, areas, deletion and truncation', async () => {
    const son = actors.reporterSon.id, tn = actors.reporterTn.id;
    // Spread over cells (on a cell's edge too), Stockholm month boundaries, categories, organisations, statuses.
    await insert(5, { cat: cats.vandalism, org: ids.son, by: son, at: '2025-01-31T22:58:00Z', pos: at(0, 0) }); // 23:58 in Stockholm: January
    await insert(4, { cat: cats.vandalism, org: ids.tn, by: tn, at: '2025-03-14T09:00:00Z', pos: at(3, 2, 0, 0) });
    await insert(3, { cat: cats.graffiti, org: ids.son, by: son, at: '2024-06-01T10:00:00Z', pos: at(1, 1), status: 'closed' });
    await insert(3, { cat: cats.graffiti, org: ids.tn, by: tn, at: '2025-05-10T10:00:00Z', pos: at(7, 3, 0.99, 0.01) });
    await insert(2, { cat: cats.littering, org: ids.son, by: son, at: '2025-11-01T22:30:00Z', pos: null });
    // Restricted (a staff threat) and secrecy-marked: counted for the reporter and those who manage, not for readers.
    const restricted = await insert(2, { cat: cats.staff_threat, org: ids.son, by: son, at: '2025-04-04T08:00:00Z', pos: at(2, 2), restricted: true });
    const marked = await insert(1, { cat: cats.vandalism, org: ids.tn, by: tn, at: '2025-04-05T08:00:00Z', pos: at(2, 2), secret: true });
    await insert(6, { cat: cats.vandalism, org: ids.son, by: tn, at: '2025-08-08T08:00:00Z', pos: at(12, 6) });
    // In the months a cluster period of a year less a month takes away, and the month before it.
    await insert(3, { cat: cats.vandalism, org: ids.tn, by: son, at: '2025-12-03T10:00:00Z', pos: at(5, 3) });
    await insert(2, { cat: cats.graffiti, org: ids.son, by: tn, at: '2025-12-20T10:00:00Z', pos: at(1, 1) });
    await insert(2, { cat: cats.graffiti, org: ids.son, by: son, at: '2024-12-20T10:00:00Z', pos: at(6, 1) });
    await insert(2, { cat: cats.vandalism, org: ids.tn, by: tn, at: '2022-12-01T10:00:00Z', pos: at(9, 4) });
    // The reader's own secret reports (seen by them as the reporter only): one restricted inside a whole cell, one
    // secrecy-marked on a box edge, one restricted outside the test periods (2023).
    const reader = actors.reader.id;
    await insert(1, { cat: cats.staff_threat, org: ids.tn, by: reader, at: '2025-04-20T08:00:00Z', pos: at(4, 2), restricted: true });
    await insert(1, { cat: cats.vandalism, org: ids.son, by: reader, at: '2025-06-02T08:00:00Z', pos: at(0, 0, 0.1, 0.1), secret: true });
    await insert(1, { cat: cats.staff_threat, org: ids.son, by: reader, at: '2023-02-02T08:00:00Z', pos: at(4, 2), restricted: true });
    // The area's incidents get their area (as reporting does).
    await createAreaService({ db: ctx.database.db }).update(ctxOf(actors.coordinator), ids.areaA, { name: 'Aggregatområde A', version: 1 } as never);
    await expectSameAnswers('inserted');

    // The restricted incidents: the reader does not count them, their reporter and the coordinator do.
    const q = { from: '2025-04-01T00:00:00+02:00', to: '2025-05-01T00:00:00+02:00', categoryId: cats.staff_threat };
    expect((await stats.stats(actors.reader, q)).total).toBe(1); // their own only
    expect((await stats.stats(actors.reporterTn, q)).total).toBe(0);
    expect((await stats.stats(actors.reporterSon, q)).total).toBe(2);
    expect((await stats.stats(actors.coordinator, q)).total).toBe(3);
    expect((await stats.stats(actors.reader, q, { path: 'aggregates' })).total).toBe(1);
    const box = { bbox: [W, S, W + 0.1, S + 0.05] as [number, number, number, number], zoom: 14, source: 'incidents' as const, from: q.from, to: q.to };
    const cellTotal = async (a: Actor) => (await map.map(a, box)).total;
    expect(await cellTotal(actors.reader)).toBe(1); // their own restricted one
    expect(await cellTotal(actors.reporterSon)).toBe(2);
    expect(await cellTotal(actors.reporterTn)).toBe(1); // their own secrecy-marked one
    expect(await cellTotal(actors.coordinator)).toBe(4);

    const db = ctx.database.db;
    const some = (await db.execute<{ id: string }>(sql`select id from incidents where description = 'Aggregattest' order by occurred_at, id`)).rows.map((r) => r.id);
    // Category, time (across a month), position (to another cell, out of the area, to none and back), organisation, status.
    await db.execute(sql`update incidents set category_id = ${cats.graffiti} where id = ${some[0]}`);
    await db.execute(sql`update incidents set occurred_at = occurred_at + interval '40 days' where id = any(${sql.param(some.slice(1, 4))}::uuid[])`);
    await db.execute(sql`update incidents set lat = ${at(20, 9).lat}, lon = ${at(20, 9).lon} where id = ${some[4]}`);
    await db.execute(sql`update incidents set lat = null, lon = null, area_id = null where id = ${some[5]}`);
    await db.execute(sql`update incidents set lat = ${at(0, 1).lat}, lon = ${at(0, 1).lon} where id = ${some[8]}`);
    await db.execute(sql`update incidents set lat = lat + 1e-6 where id = ${some[9]}`); // within its cell
    await db.execute(sql`update incidents set organisation_id = ${ids.tn} where id = any(${sql.param(some.slice(10, 13))}::uuid[])`);
    await db.execute(sql`update incidents set status = 'closed' where id = any(${sql.param(some.slice(13, 18))}::uuid[])`);
    await db.execute(sql`update incidents set description = description`); // every row, nothing counted changes
    await expectSameAnswers('edited');

    // Restriction lifted and set, a secrecy marking removed.
    await db.execute(sql`update incidents set restricted = false where id = ${restricted[0]}`);
    await db.execute(sql`update incidents set restricted = true where id = ${some[20]}`);
    await db.execute(sql`update incidents set secrecy_ref = null where id = ${marked[0]}`);
    await expectSameAnswers('secrecy');

    // Areas: a second one drawn (overlapping, first by priority), the first one removed.
    const areas = createAreaService({ db });
    const ring = [[W + 0.02, S], [W + 0.1, S], [W + 0.1, S + 0.05], [W + 0.02, S + 0.05], [W + 0.02, S]];
    const b = await areas.create(ctxOf(actors.coordinator), { name: 'Aggregatområde B', priority: 0, geometry: { type: 'Polygon', coordinates: [ring] } } as never);
    await expectSameAnswers('area added');
    await areas.remove(ctxOf(actors.coordinator), ids.areaA, 2);
    ids.areaA = b.id;
    await expectSameAnswers('area removed');

    // Deleted; then the aggregates hold no rows with n = 0.
    await db.execute(sql`delete from incidents where id = any(${sql.param(some.slice(0, 6))}::uuid[])`);
    await expectSameAnswers('deleted');
    expect((await db.execute<{ n: number }>(sql`select count(*)::int as n from incident_aggregates where n <= 0`)).rows[0].n).toBe(0);

    // Emptied (as a restore does first): the aggregates go too.
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`truncate incidents cascade`);
        expect((await tx.execute<{ n: number }>(sql`select count(*)::int as n from incident_aggregates`)).rows[0].n).toBe(0);
        tx.rollback();
      })
      .catch((e: Error) => {
        if (!/rollback/i.test(e.message)) throw e;
      });
  }, 400_000);

  it('read a period of clusters as whole years, a year less the months outside the period, and months', () => {
    // The lägesbild's twelve months up to a day of December: December 2024, then 2025 less December.
    expect(clusterSpans('2024-12-01', '2025-12-01')).toEqual({ years: ['2025-01-01', '2026-01-01'], plus: [['2024-12-01', '2025-01-01']], minus: [['2025-12-01', '2026-01-01']] });
    expect(clusterSpans('2025-01-01', '2026-01-01')).toEqual({ years: ['2025-01-01', '2026-01-01'], plus: [], minus: [] });
    // Few months of a year: months; months at both ends of a year taken away; years between.
    expect(clusterSpans('2025-04-01', '2025-11-01')).toEqual({ years: null, plus: [['2025-04-01', '2025-11-01']], minus: [] });
    expect(clusterSpans('2025-02-01', '2025-12-01')).toEqual({ years: ['2025-01-01', '2026-01-01'], plus: [], minus: [['2025-01-01', '2025-02-01'], ['2025-12-01', '2026-01-01']] });
    expect(clusterSpans('2022-12-01', '2025-11-01')).toEqual({
      years: ['2023-01-01', '2026-01-01'],
      plus: [['2022-12-01', '2023-01-01']],
      minus: [['2025-11-01', '2026-01-01']],
    });
    expect(clusterSpans('2024-11-01', '2025-03-01')).toEqual({ years: null, plus: [['2024-11-01', '2025-03-01']], minus: [] });
  });

  it('are used only where they can answer: readers who see alike in every organisation, no organisation or status filter, enough incidents', async () => {
    const tree = await loadOrgTree(ctx.database.db);
    const db = ctx.database.db;
    expect(aggregateVisibility(accessOf(actors.coordinator, tree))).toBe('all');
    expect(aggregateVisibility(accessOf(actors.reader, tree))).toBe('open');
    expect(aggregateVisibility(accessOf(actors.reporterSon, tree))).toBe(null);
    const f = { from: '2025-01-01T00:00:00+01:00', to: '2026-01-01T00:00:00+01:00' };
    const coordinator = accessOf(actors.coordinator, tree);
    expect(await aggregateRows(db, coordinator, f, { kind: 'stats' }, 'aggregates')).not.toBe(null);
    // The test database holds far fewer than AGGREGATE_MIN_INCIDENTS: by size, the base query.
    expect(await aggregateRows(db, coordinator, f, { kind: 'stats' }, 'auto')).toBe(null);
    expect(await aggregateRows(db, coordinator, { ...f, status: 'closed' }, { kind: 'stats' }, 'aggregates')).toBe(null);
    expect(await aggregateRows(db, coordinator, { ...f, organisationId: ids.son }, { kind: 'stats' }, 'aggregates')).toBe(null);
    expect(await aggregateRows(db, accessOf(actors.reporterSon, tree), f, { kind: 'stats' }, 'aggregates')).toBe(null);
  });
});
