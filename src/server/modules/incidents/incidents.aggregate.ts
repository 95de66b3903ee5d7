import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { incidentSecretSql, incidentsAllVisibleByOrg, incidentVisibleByOrgSql, incidentVisibleSql, type Access } from '../../access/index.ts';

/**
 * The lägesbild's statistics and map clusters from the aggregates (issue #12 item 3): incident_month_counts
 * (month × category × area × organisation × secret flag × status), incident_cells (the same per grid cell of
 * zoom AGGREGATE_ZOOM) and incident_cells_all (per cell over all time), kept by triggers in the same
 * transaction as every change (migration `incident_aggregates`). The answer is exactly the base query's (the
 * incidents table grouped), because what the aggregates cannot answer is read from the incidents themselves,
 * in disjoint parts:
 *
 * - the aggregates: whole Stockholm months inside the period, whole grid cells inside the box, and the
 *   incidents visible through the organisation part of the access rule (organisation scope and secret flag,
 *   `incidentVisibleByOrgSql`, the same clause the list's counts use);
 * - B1: the period's ends that are not whole months (at most part of a month at each end);
 * - B2: in whole months, the box's edges that are not whole cells (strips narrower than a cell);
 * - B3: in whole months and cells, the incidents the actor sees only as their reporter (the rule's personal
 *   tie), which a figure per organisation cannot tell apart.
 *
 * Every incident part carries the whole visibility clause and the filters, as the base query does. Category,
 * organisation, area and status filters are key columns of every aggregate; there is no filter the aggregates
 * cannot take, but a map period open at one end (from without to, or the reverse) is answered by the base query.
 */

/** The map's grid cell of the aggregates: every cluster cell of a zoom up to this one is a whole block of them. */
export const AGGREGATE_ZOOM = 14;
/** The cell size in degrees at AGGREGATE_ZOOM, as incidents.map.ts cellSizeOf (360 / 2^zoom / 4), exactly. */
export const AGGREGATE_CELL = 360 / 2 ** AGGREGATE_ZOOM / 4;
/** The aggregates' area key for "in no area" (the key has no nulls). */
export const NO_AREA = '00000000-0000-0000-0000-000000000000';
/** A cell is whole inside the box only with this margin (degrees, about a centimetre) to spare. */
const EPS = 1e-7;
/** Above this many whole cells, the box's cells are matched by range rather than listed for the index. */
const MAX_LISTED_CELLS = 20_000;

export interface AggregateFilter {
  from?: string;
  to?: string;
  bbox?: readonly [number, number, number, number];
  categoryId?: string;
  organisationId?: string;
  areaId?: string;
  status?: string;
}

interface Months {
  /** The first and the one-past-last whole month (Stockholm), as dates, and their starts as instants; none when m0 >= m1. */
  m0: string;
  m1: string;
  at0: string;
  at1: string;
}

/** The whole Stockholm months inside [from, to). */
async function wholeMonths(ex: Executor, from: string, to: string): Promise<Months | null> {
  const r = await ex.execute<{ m0: string; m1: string; at0: Date | string; at1: Date | string }>(sql`
    select to_char(m0, 'YYYY-MM-DD') as m0, to_char(m1, 'YYYY-MM-DD') as m1,
           m0 at time zone 'Europe/Stockholm' as at0, m1 at time zone 'Europe/Stockholm' as at1
    from (select case when date_trunc('month', f) = f then f else date_trunc('month', f) + interval '1 month' end as m0, date_trunc('month', t) as m1
          from (select ${from}::timestamptz at time zone 'Europe/Stockholm' as f, ${to}::timestamptz at time zone 'Europe/Stockholm' as t) x) y`);
  const row = r.rows[0];
  if (!row || row.m0 >= row.m1) return null;
  return { m0: row.m0, m1: row.m1, at0: new Date(row.at0).toISOString(), at1: new Date(row.at1).toISOString() };
}

/** The rectangle of whole aggregate cells inside the box, or null when there is none. */
export function wholeCells(bbox: readonly [number, number, number, number]) {
  const [w, s, e, n] = bbox;
  const gx0 = Math.ceil((w + EPS) / AGGREGATE_CELL);
  const gx1 = Math.floor((e - EPS) / AGGREGATE_CELL) - 1;
  const gy0 = Math.ceil((s + EPS) / AGGREGATE_CELL);
  const gy1 = Math.floor((n - EPS) / AGGREGATE_CELL) - 1;
  return gx0 <= gx1 && gy0 <= gy1 ? { gx0, gx1, gy0, gy1 } : null;
}

const ints = (from: number, to: number) => sql`${sql.param(Array.from({ length: to - from + 1 }, (_, i) => from + i))}::int[]`;

/** What the rows are grouped into: statistics (category, area, month) or clusters at a zoom (cell, category, coordinate sums). */
export type AggregateShape = { kind: 'stats' } | { kind: 'clusters'; zoom: number };

/**
 * One statement's sub-select of rows (category_id, area_id or null, month (date, null over all time), cx, cy
 * (the cluster cell, null for statistics), n, sum_lat, sum_lon) whose sums per group are the base query's
 * counts (and coordinate sums) for the visible incidents matching the filter; null when the period is open
 * at one end (the caller uses the base query).
 */
export async function aggregateRows(ex: Executor, vis: Access, f: AggregateFilter, shape: AggregateShape): Promise<SQL | null> {
  if (!!f.from !== !!f.to || (shape.kind === 'clusters' && shape.zoom > AGGREGATE_ZOOM)) return null;
  const months = f.from && f.to ? await wholeMonths(ex, f.from, f.to) : null;
  const timed = !!(f.from && f.to);
  const cells = f.bbox ? wholeCells(f.bbox) : null;
  const clusters = shape.kind === 'clusters';
  if (clusters && !f.bbox) throw new Error('clusters need a box');
  const size = clusters ? 360 / 2 ** shape.zoom / 4 : 0;
  const shift = clusters ? 2 ** (AGGREGATE_ZOOM - shape.zoom) : 1;


  // --- Filters, on an aggregate (k) and on the incidents (i) ---
  const keyFilter = (a: string) => {
    const k = sql.raw(a);
    const w: SQL[] = [];
    if (f.categoryId) w.push(sql`${k}.category_id = ${f.categoryId}`);
    if (f.organisationId) w.push(sql`${k}.organisation_id = ${f.organisationId}`);
    if (f.areaId) w.push(sql`${k}.area_id = ${f.areaId}`);
    if (f.status) w.push(sql`${k}.status = ${f.status}`);
    return w;
  };
  const inBox: SQL[] = [];
  if (f.bbox) inBox.push(sql`i.lon between ${f.bbox[0]} and ${f.bbox[2]} and i.lat between ${f.bbox[1]} and ${f.bbox[3]}`);
  const inPeriod: SQL[] = timed ? [sql`i.occurred_at >= ${f.from} and i.occurred_at < ${f.to}`] : [];
  const innerCellOf = cells
    ? sql`(floor(i.lon / ${AGGREGATE_CELL}::float8)::int between ${cells.gx0} and ${cells.gx1} and floor(i.lat / ${AGGREGATE_CELL}::float8)::int between ${cells.gy0} and ${cells.gy1})`
    : null;
  const inWholeMonths = months ? sql`i.occurred_at >= ${months.at0} and i.occurred_at < ${months.at1}` : null;

  // --- What each part selects ---
  const baseCols = clusters
    ? sql`floor(i.lon / ${size}::float8)::int as cx, floor(i.lat / ${size}::float8)::int as cy, i.category_id, null::uuid as area_id, null::date as month, count(*) as n, sum(i.lat) as sum_lat, sum(i.lon) as sum_lon`
    : sql`null::int as cx, null::int as cy, i.category_id, i.area_id, date_trunc('month', i.occurred_at at time zone 'Europe/Stockholm')::date as month, count(*) as n, 0::float8 as sum_lat, 0::float8 as sum_lon`;
  const baseGroup = clusters ? sql`group by 1, 2, 3` : sql`group by 3, 4, 5`;
  const base = (conds: SQL[]) => sql`select ${baseCols} from incidents i where ${sql.join(conds, sql` and `)} ${baseGroup}`;
  const visible = incidentVisibleSql(vis);
  const parts: SQL[] = [];

  // The aggregates: whole months (or all time), whole cells (or no box), visible by organisation.
  const aggregated = timed ? !!months : true;
  const spatialOk = f.bbox ? !!cells : true;
  if (aggregated && spatialOk) {
    const w: SQL[] = [incidentVisibleByOrgSql(vis, sql`k.organisation_id`, sql`k.secret`), ...keyFilter('k')];
    if (months) w.push(sql`k.month >= ${months.m0}::date and k.month < ${months.m1}::date`);
    if (cells) {
      w.push(sql`k.gx between ${cells.gx0} and ${cells.gx1} and k.gy between ${cells.gy0} and ${cells.gy1}`);
      const nx = cells.gx1 - cells.gx0 + 1;
      const ny = cells.gy1 - cells.gy0 + 1;
      // Listed, the unique index (gx, gy, month, …) is entered once per cell and read for the months only.
      if (nx * ny <= MAX_LISTED_CELLS) w.push(sql`k.gx = any(${ints(cells.gx0, cells.gx1)}) and k.gy = any(${ints(cells.gy0, cells.gy1)})`);
    }
    const area = sql`nullif(k.area_id, ${NO_AREA}::uuid)`;
    if (!f.bbox) {
      parts.push(sql`select null::int as cx, null::int as cy, k.category_id, ${area} as area_id, k.month, sum(k.n) as n, 0::float8 as sum_lat, 0::float8 as sum_lon
        from incident_month_counts k where ${sql.join(w, sql` and `)} group by 3, 4, 5`);
    } else if (clusters) {
      const table = months ? sql`incident_cells` : sql`incident_cells_all`;
      const cx = shift === 1 ? sql`k.gx` : sql`floor(k.gx / ${shift}::float8)::int`;
      const cy = shift === 1 ? sql`k.gy` : sql`floor(k.gy / ${shift}::float8)::int`;
      parts.push(sql`select ${cx} as cx, ${cy} as cy, k.category_id, null::uuid as area_id, null::date as month, sum(k.n) as n, sum(k.sum_lat) as sum_lat, sum(k.sum_lon) as sum_lon
        from ${table} k where ${sql.join(w, sql` and `)} group by 1, 2, 3`);
    } else {
      if (!months) throw new Error('statistics need a period');
      parts.push(sql`select null::int as cx, null::int as cy, k.category_id, ${area} as area_id, k.month, sum(k.n) as n, 0::float8 as sum_lat, 0::float8 as sum_lon
        from incident_cells k where ${sql.join(w, sql` and `)} group by 3, 4, 5`);
    }
  }

  const common = (conds: SQL[]) => [visible, ...keyFilter('i'), ...inBox, ...inPeriod, ...conds];
  if (!aggregated) {
    // No whole month in the period: all from the incidents.
    parts.push(base(common([])));
    return union(parts);
  }
  // B1: the period's ends outside the whole months.
  if (months) parts.push(base(common([sql`(i.occurred_at < ${months.at0} or i.occurred_at >= ${months.at1})`])));
  // B2: in whole months (or all time), the box's edges outside the whole cells.
  if (f.bbox) {
    const inMonths = inWholeMonths ? [inWholeMonths] : [];
    if (!cells) parts.push(base(common(inMonths)));
    else {
      // The strips (a superset of "not a whole cell", so that the (lon, lat) and (lat, lon) indexes can find them), then exactly.
      const m = 1e-6;
      const x0 = cells.gx0 * AGGREGATE_CELL, x1 = (cells.gx1 + 1) * AGGREGATE_CELL, y0 = cells.gy0 * AGGREGATE_CELL, y1 = (cells.gy1 + 1) * AGGREGATE_CELL;
      const strips = sql`(i.lon < ${x0 + m} or i.lon >= ${x1 - m} or i.lat < ${y0 + m} or i.lat >= ${y1 - m})`;
      parts.push(base(common([...inMonths, strips, sql`not ${innerCellOf!}`])));
    }
  }
  // B3: in whole months and cells, what the actor sees only as the reporter (only beside the aggregates: without
  // whole cells, B2 has read the whole box with the whole visibility clause).
  if (spatialOk && !incidentsAllVisibleByOrg(vis)) {
    const ownOnly = sql`i.reported_by = ${vis.actorId} and not ${incidentVisibleByOrgSql(vis, sql`i.organisation_id`, incidentSecretSql('i'))}`;
    const conds = [ownOnly, ...keyFilter('i'), ...inBox, ...inPeriod];
    if (inWholeMonths) conds.push(inWholeMonths);
    if (innerCellOf) conds.push(innerCellOf);
    parts.push(base(conds));
  }
  return union(parts);
}

const union = (parts: SQL[]) => sql`(${sql.join(parts, sql` union all `)})`;
