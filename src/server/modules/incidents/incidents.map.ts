import { policeCountedSql } from './incidents.police.ts';
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { loadOrgTree } from '../../lib/context.ts';
import type { Actor } from '../../lib/policies.ts';
import { MAP_POINTS_ZOOM, type mapQuery, type mapResult } from '../../../shared/schemas/incidents.ts';
import { accessOf, incidentVisibleSql, type Access } from '../../access/index.ts';
import { aggregateRows, type AggregatePath } from './incidents.aggregate.ts';

/** At most this many single points in one answer (high zoom); `truncated` tells the client. */
export const MAP_MAX_POINTS = 2000;
/** Grid cell size in degrees: a quarter of a 256-pixel web-mercator tile's width at this zoom (≈ 64 px). */
export const cellSizeOf = (zoom: number) => 360 / 2 ** zoom / 4;

type Query = z.infer<typeof mapQuery>;
type Result = z.infer<typeof mapResult>;

/**
 * The map: incidents (what the actor may see, as in the list) or police events (their own layer) in the
 * visible box, clustered in SQL on a zoom-dependent grid — count, centroid and most common category per
 * cell — or as single points from MAP_POINTS_ZOOM on. Incident clusters come from the aggregates kept by
 * triggers (incidents.aggregate.ts), the same answer as grouping the table. Nothing about the reporter is part of the answer.
 */
export function createIncidentMap({ db }: { db: Db }) {
  const accessFor = async (actor: Actor) => accessOf(actor, await loadOrgTree(db));
  function incidentWhere(vis: Access, q: Query) {
    const [w, s, e, n] = q.bbox;
    const where: SQL[] = [incidentVisibleSql(vis), sql`i.lon between ${w} and ${e} and i.lat between ${s} and ${n}`];
    if (q.categoryId) where.push(sql`i.category_id = ${q.categoryId}`);
    if (q.organisationId) where.push(sql`i.organisation_id = ${q.organisationId}`);
    if (q.areaId) where.push(sql`i.area_id = ${q.areaId}`);
    if (q.status) where.push(sql`i.status = ${q.status}`);
    if (q.from) where.push(sql`i.occurred_at >= ${q.from}`);
    if (q.to) where.push(sql`i.occurred_at < ${q.to}`);
    return sql.join(where, sql` and `);
  }
  function policeWhere(q: Query) {
    const [w, s, e, n] = q.bbox;
    const where: SQL[] = [sql`p.lon between ${w} and ${e} and p.lat between ${s} and ${n}`, policeCountedSql('p')];
    if (q.type) where.push(sql`p.type = ${q.type}`);
    if (q.categoryId) where.push(sql`p.type in (select m.police_type from police_type_mappings m where m.category_id = ${q.categoryId})`);
    if (q.from) where.push(sql`p.datetime >= ${q.from}`);
    if (q.to) where.push(sql`p.datetime < ${q.to}`);
    return sql.join(where, sql` and `);
  }

  return {
    /** `path`: `base` clusters from the incidents table itself (the reference the aggregates are tested and measured against), `aggregates` whenever they can answer, `auto` by size. */
    async map(actor: Actor, q: Query, opts: { path?: AggregatePath } = {}): Promise<Result> {
      const points = q.zoom >= MAP_POINTS_ZOOM;
      const size = cellSizeOf(q.zoom);
      const base = { source: q.source, zoom: q.zoom, mode: points ? ('points' as const) : ('clusters' as const), cellSize: size };
      if (q.source === 'incidents') {
        const vis = await accessFor(actor);
        const where = incidentWhere(vis, q);
        if (points) {
          const res = await db.execute<{ id: string; lat: number; lon: number; key: string; category_id: string; status: Result['points'][number]['status']; at: Date | string; total: number }>(sql`
            select i.id, i.lat, i.lon, c.key, i.category_id, i.status, i.occurred_at as at, count(*) over ()::int as total
            from incidents i join incident_categories c on c.id = i.category_id
            where ${where}
            order by i.occurred_at desc, i.id limit ${MAP_MAX_POINTS}`);
          return pointsResult(base, res.rows);
        }
        // From the aggregates (incidents.aggregate.ts): the cell's count and coordinate sums per category, then
        // the most common category (the most incidents, on a tie the first category id, as mode() picks it).
        const rows = await aggregateRows(db, vis, q, { kind: 'clusters', zoom: q.zoom }, opts.path);
        const res = rows
          ? await db.execute<ClusterRow>(sql`
          select g.gx, g.gy, g.n, g.lat, g.lon, c.key, g.category_id
          from (select cc.cx as gx, cc.cy as gy, sum(cc.n)::int as n, sum(cc.sum_lat) / sum(cc.n) as lat, sum(cc.sum_lon) / sum(cc.n) as lon,
                       (array_agg(cc.category_id order by cc.n desc, cc.category_id))[1] as category_id
                from (select u.cx, u.cy, u.category_id, sum(u.n) as n, sum(u.sum_lat) as sum_lat, sum(u.sum_lon) as sum_lon
                      from ${rows} u group by 1, 2, 3 having sum(u.n) > 0) cc
                group by 1, 2) g
          join incident_categories c on c.id = g.category_id
          order by g.gy, g.gx`)
          : await db.execute<ClusterRow>(sql`
          select g.gx, g.gy, g.n, g.lat, g.lon, c.key, g.category_id
          from (select floor(i.lon / ${size})::int as gx, floor(i.lat / ${size})::int as gy, count(*)::int as n,
                       avg(i.lat) as lat, avg(i.lon) as lon, mode() within group (order by i.category_id) as category_id
                from incidents i where ${where} group by 1, 2) g
          join incident_categories c on c.id = g.category_id
          order by g.gy, g.gx`);
        return clustersResult(base, res.rows);
      }
      const where = policeWhere(q);
      if (points) {
        const res = await db.execute<{ id: string | number; lat: number; lon: number; key: string; category_id: string | null; status: null; at: Date | string; total: number }>(sql`
          select p.id, p.lat, p.lon, p.type as key, m.category_id, null as status, p.datetime as at, count(*) over ()::int as total
          from police_events p left join police_type_mappings m on m.police_type = p.type
          where ${where}
          order by p.datetime desc, p.id limit ${MAP_MAX_POINTS}`);
        return pointsResult(base, res.rows);
      }
      const res = await db.execute<ClusterRow>(sql`
        select g.gx, g.gy, g.n, g.lat, g.lon, g.key, m.category_id
        from (select floor(p.lon / ${size})::int as gx, floor(p.lat / ${size})::int as gy, count(*)::int as n,
                     avg(p.lat) as lat, avg(p.lon) as lon, mode() within group (order by p.type) as key
              from police_events p where ${where} group by 1, 2) g
        left join police_type_mappings m on m.police_type = g.key
        order by g.gy, g.gx`);
      return clustersResult(base, res.rows);
    },
  };
}

interface ClusterRow extends Record<string, unknown> {
  gx: number;
  gy: number;
  n: number;
  lat: number | string;
  lon: number | string;
  key: string;
  category_id: string | null;
}
type Base = Pick<Result, 'source' | 'zoom' | 'mode' | 'cellSize'>;

function clustersResult(base: Base, rows: ClusterRow[]): Result {
  return {
    ...base,
    clusters: rows.map((r) => ({ cell: [r.gx, r.gy] as [number, number], lat: Number(r.lat), lon: Number(r.lon), count: r.n, key: r.key, categoryId: r.category_id })),
    points: [],
    total: rows.reduce((s, r) => s + r.n, 0),
    truncated: false,
  };
}
function pointsResult(base: Base, rows: { id: string | number; lat: number; lon: number; key: string; category_id: string | null; status: Result['points'][number]['status']; at: Date | string; total: number }[]): Result {
  const total = rows[0]?.total ?? 0;
  return {
    ...base,
    clusters: [],
    points: rows.map((r) => ({ id: String(r.id), lat: r.lat, lon: r.lon, key: r.key, categoryId: r.category_id, status: r.status, at: new Date(r.at).toISOString() })),
    total,
    truncated: total > rows.length,
  };
}
