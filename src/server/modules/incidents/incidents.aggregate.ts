import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { incidentSecretSql, incidentVisibleByOrgSql, incidentVisibleSql, type Access } from '../../access/index.ts';

/**
 * The lägesbild's statistics and map clusters from the aggregates (issue #12 item 3): `incident_aggregates`,
 * counts (and coordinate sums) per category, area and secret flag — per Stockholm month for every incident
 * (level z 0), per month and per year in the map's grid cells of zoom 12 and 14 (levels z 12 and 14), and over
 * all time in the same cells (levels z -12 and -14, for the map without a period) — kept by one statement trigger
 * in the same transaction as every change (migrations `incident_aggregates`, `lagesbild_all_time`).
 * The answer is exactly the base query's (the incidents table grouped), because what the aggregates cannot
 * answer is read from the incidents themselves, in disjoint parts:
 *
 * - the aggregates, for the incidents visible through the organisation part of the access rule: whole years
 *   (clusters) and whole months inside the period (or all time), whole zoom-12 cells inside the box, then the
 *   ring of whole zoom-14 cells around them;
 * - B1: the period's ends that are not whole months (at most part of a month at each end);
 * - B2: in whole months, the box's edges that are not whole zoom-14 cells (four strips narrower than a cell),
 *   index-only scans of the position indexes, which include the columns these parts read;
 * - B3: in whole months and cells, the incidents the actor sees only as their reporter (the rule's personal
 *   tie), which a figure without the organisation cannot tell apart.
 *
 * Every incident part carries the whole visibility clause and the filters, as the base query does.
 *
 * When the aggregates are not used (the caller runs the base query; `aggregateRows` answers null):
 * - the reader's visibility differs between organisations (a reporter or a manager of some units): the key has
 *   no organisation, and their incidents are few enough for the base query and its indexes;
 * - an organisation or status filter (not in the key, for the same reason: the common lägesbild filters by
 *   neither, and keeping them would multiply the rows — see bench/README.md);
 * - a map period open at one end, and zooms above 14 (single points from zoom 15);
 * - fewer than AGGREGATE_MIN_INCIDENTS incidents in all (read from incident_counts, at most once a minute):
 *   there the base query is about as fast and needs no extra statement (bench/README.md, 20 000 incidents).
 */

/** The finest grid of the aggregates: every cluster cell of a zoom up to this one is a whole block of its cells. */
export const AGGREGATE_ZOOM = 14;
/** The coarser grid, for low zooms and the inside of large boxes. */
export const COARSE_ZOOM = 12;
/** The cell size in degrees at a zoom, as incidents.map.ts cellSizeOf (360 / 2^zoom / 4), exactly. */
export const cellOf = (zoom: number) => 360 / 2 ** zoom / 4;
/** The aggregates' cell size at AGGREGATE_ZOOM. */
export const AGGREGATE_CELL = cellOf(AGGREGATE_ZOOM);
/** The aggregates' area key for "in no area" (the key has no nulls). */
export const NO_AREA = '00000000-0000-0000-0000-000000000000';
/** Below this many incidents in all, the base query answers (it is as fast there, and needs no extra statement). */
export const AGGREGATE_MIN_INCIDENTS = 100_000;
/** How long the size read from incident_counts decides the path (both paths answer exactly; only the speed depends on it). */
const SIZE_TTL_MS = 60_000;
const sizes = new WeakMap<object, { total: number; at: number }>();

/** How many incidents there are in all (incident_counts), read at most once a minute per database handle. */
async function incidentTotal(ex: Executor): Promise<number> {
  const cached = sizes.get(ex);
  if (cached && Date.now() - cached.at < SIZE_TTL_MS) return cached.total;
  const r = await ex.execute<{ total: number }>(sql`select coalesce(sum(n), 0)::float8 as total from incident_counts`);
  const total = Number(r.rows[0]?.total ?? 0);
  sizes.set(ex, { total, at: Date.now() });
  return total;
}

/** A cell is whole inside the box only with this margin (degrees, about a centimetre) to spare. */
const EPS = 1e-7;
/** Above this many cells, a rectangle of the aggregates is read by range rather than cell by cell. */
const MAX_LISTED_CELLS = 5_000;
const ints = (from: number, to: number) => sql`${sql.param(Array.from({ length: to - from + 1 }, (_, i) => from + i))}::int[]`;

export interface AggregateFilter {
  from?: string;
  to?: string;
  bbox?: readonly [number, number, number, number];
  categoryId?: string;
  organisationId?: string;
  areaId?: string;
  status?: string;
}

/** Which path: `auto` (the aggregates from AGGREGATE_MIN_INCIDENTS on), or forced (tests, the benchmark). */
export type AggregatePath = 'auto' | 'aggregates' | 'base';

/**
 * How the organisation part of the rule reads on the aggregates, which have the secret flag but no organisation:
 * `all` (incidents.manage everywhere: every incident), `open` (incidents.read everywhere and manage nowhere: the
 * incidents that are not secret), or null (it depends on the organisation: the aggregates cannot answer).
 */
export function aggregateVisibility(vis: Access): 'all' | 'open' | null {
  const size = vis.tree.size;
  const manage = vis.scope('incidents.manage');
  if (manage.length >= size) return 'all';
  if (manage.length === 0 && vis.scope('incidents.read').length >= size) return 'open';
  return null;
}

interface Periods {
  /** Whole Stockholm months [m0, m1) as dates (first days) and as instants. */
  m0: string;
  m1: string;
  at0: string;
  at1: string;
}

/** The whole Stockholm months inside [from, to). */
async function periodsOf(ex: Executor, from: string, to: string): Promise<Periods | null> {
  const r = await ex.execute<{ m0: string; m1: string; at0: Date | string; at1: Date | string }>(sql`
    select to_char(m0, 'YYYY-MM-DD') as m0, to_char(m1, 'YYYY-MM-DD') as m1,
           m0 at time zone 'Europe/Stockholm' as at0, m1 at time zone 'Europe/Stockholm' as at1
    from (select case when date_trunc('month', f) = f then f else date_trunc('month', f) + interval '1 month' end as m0, date_trunc('month', t) as m1
          from (select ${from}::timestamptz at time zone 'Europe/Stockholm' as f, ${to}::timestamptz at time zone 'Europe/Stockholm' as t) x) y`);
  const row = r.rows[0];
  if (!row || row.m0 >= row.m1) return null;
  return { m0: row.m0, m1: row.m1, at0: new Date(row.at0).toISOString(), at1: new Date(row.at1).toISOString() };
}

/** A calendar year's months from this many on are read as the year less the others (a year's rows are a few months' worth). */
export const YEAR_LESS_MONTHS_FROM = 9;
const monthStart = (y: number, m: number) => `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;

/**
 * The clusters' rows for the whole months [m0, m1) (first days, 'YYYY-MM-DD'), as few as the levels allow: the whole
 * calendar years inside as year rows (`years`, [first, end)); in a year of which the period holds
 * YEAR_LESS_MONTHS_FROM months or more, the year's row added and its months outside the period taken away
 * (`minus`) — the lägesbild's twelve months up to today are a year less a month or two, not twelve months' rows;
 * other months as month rows (`plus`). Ranges of adjacent months are joined.
 */
export function clusterSpans(m0: string, m1: string) {
  const [y0, mo0] = [Number(m0.slice(0, 4)), Number(m0.slice(5, 7)) - 1];
  const [y1, mo1] = [Number(m1.slice(0, 4)), Number(m1.slice(5, 7)) - 1];
  const years: number[] = [];
  const plus: [string, string][] = [];
  const minus: [string, string][] = [];
  const add = (list: [string, string][], a: string, b: string) => {
    if (a >= b) return;
    const last = list[list.length - 1];
    if (last && last[1] === a) last[1] = b;
    else list.push([a, b]);
  };
  for (let y = y0; y < y1 || (y === y1 && mo1 > 0); y++) {
    const from = y === y0 ? mo0 : 0; // the period's first month in this year (0-based)
    const to = y === y1 ? mo1 : 12; // and the month after its last
    if (to - from === 12) years.push(y);
    else if (to - from >= YEAR_LESS_MONTHS_FROM) {
      years.push(y);
      add(minus, monthStart(y, 0), monthStart(y, from));
      add(minus, to === 12 ? monthStart(y + 1, 0) : monthStart(y, to), monthStart(y + 1, 0));
    } else add(plus, monthStart(y, from), to === 12 ? monthStart(y + 1, 0) : monthStart(y, to));
  }
  // The years are consecutive: the first and the last may be months only, every one between is whole.
  return { years: years.length ? ([monthStart(years[0], 0), monthStart(years[years.length - 1] + 1, 0)] as [string, string]) : null, plus, minus };
}

type Rect = { gx0: number; gx1: number; gy0: number; gy1: number };
/** The rectangle of whole cells of `size` inside the box, or null when there is none. */
export function wholeCells(bbox: readonly [number, number, number, number], size = AGGREGATE_CELL): Rect | null {
  const [w, s, e, n] = bbox;
  const gx0 = Math.ceil((w + EPS) / size);
  const gx1 = Math.floor((e - EPS) / size) - 1;
  const gy0 = Math.ceil((s + EPS) / size);
  const gy1 = Math.floor((n - EPS) / size) - 1;
  return gx0 <= gx1 && gy0 <= gy1 ? { gx0, gx1, gy0, gy1 } : null;
}

/** What the rows are grouped into: statistics (category, area, month) or clusters at a zoom (cell, category, coordinate sums). */
export type AggregateShape = { kind: 'stats' } | { kind: 'clusters'; zoom: number };

/**
 * One statement's sub-select of rows (category_id, area_id or null, month (date, null for clusters), cx, cy
 * (the cluster cell, null for statistics), n, sum_lat, sum_lon) whose sums per group are the base query's
 * counts (and coordinate sums) for the visible incidents matching the filter; null when the base query
 * answers (see the module's comment).
 */
export async function aggregateRows(ex: Executor, vis: Access, f: AggregateFilter, shape: AggregateShape, path: AggregatePath = 'auto'): Promise<SQL | null> {
  if (path === 'base') return null;
  const clusters = shape.kind === 'clusters';
  if (clusters && !f.bbox) throw new Error('clusters need a box');
  const seen = aggregateVisibility(vis);
  if (!seen || f.organisationId || f.status) return null;
  if (!!f.from !== !!f.to || (clusters && shape.zoom > AGGREGATE_ZOOM)) return null;
  const timed = !!(f.from && f.to);
  if (path === 'auto' && (await incidentTotal(ex)) < AGGREGATE_MIN_INCIDENTS) return null;
  const months = f.from && f.to ? await periodsOf(ex, f.from, f.to) : null;

  const fine = f.bbox ? wholeCells(f.bbox, AGGREGATE_CELL) : null;
  // The coarse grid only where it is a whole block of cluster cells (zoom up to 12) or for the statistics.
  const coarse = f.bbox && fine && (!clusters || shape.zoom <= COARSE_ZOOM) ? wholeCells(f.bbox, cellOf(COARSE_ZOOM)) : null;

  // --- Filters, on the aggregates (k) and on the incidents (i) ---
  const keyFilter = (a: string) => {
    const k = sql.raw(a);
    const w: SQL[] = [];
    if (f.categoryId) w.push(sql`${k}.category_id = ${f.categoryId}`);
    if (f.areaId) w.push(sql`${k}.area_id = ${f.areaId}`);
    if (f.organisationId) w.push(sql`${k}.organisation_id = ${f.organisationId}`);
    if (f.status) w.push(sql`${k}.status = ${f.status}`);
    return w;
  };
  const inBox: SQL[] = [];
  if (f.bbox) inBox.push(sql`i.lon between ${f.bbox[0]} and ${f.bbox[2]} and i.lat between ${f.bbox[1]} and ${f.bbox[3]}`);
  const inPeriod: SQL[] = timed ? [sql`i.occurred_at >= ${f.from} and i.occurred_at < ${f.to}`] : [];
  const innerCellOf = fine
    ? sql`(floor(i.lon / ${AGGREGATE_CELL}::float8)::int between ${fine.gx0} and ${fine.gx1} and floor(i.lat / ${AGGREGATE_CELL}::float8)::int between ${fine.gy0} and ${fine.gy1})`
    : null;
  const inWholeMonths = months ? sql`i.occurred_at >= ${months.at0} and i.occurred_at < ${months.at1}` : null;

  // --- What each part selects ---
  const size = clusters ? cellOf(shape.zoom) : 0;
  const baseCols = clusters
    ? sql`floor(i.lon / ${size}::float8)::int as cx, floor(i.lat / ${size}::float8)::int as cy, i.category_id, null::uuid as area_id, null::date as month, count(*) as n, sum(i.lat) as sum_lat, sum(i.lon) as sum_lon`
    : sql`null::int as cx, null::int as cy, i.category_id, i.area_id, date_trunc('month', i.occurred_at at time zone 'Europe/Stockholm')::date as month, count(*) as n, 0::float8 as sum_lat, 0::float8 as sum_lon`;
  const baseGroup = clusters ? sql`group by 1, 2, 3` : sql`group by 3, 4, 5`;
  const base = (conds: SQL[]) => sql`select ${baseCols} from incidents i where ${sql.join(conds, sql` and `)} ${baseGroup}`;
  const parts: SQL[] = [];

  const aggregated = timed ? !!months : true;
  const spatialOk = f.bbox ? !!fine : true;
  if (aggregated && spatialOk) {
    const common: SQL[] = [...keyFilter('k')];
    if (seen === 'open') common.push(sql`not k.secret`);
    const area = sql`nullif(k.area_id, ${NO_AREA}::uuid)`;
    /**
     * The period's rows at a level, each added or taken away: for the statistics whole months; for clusters the
     * spans of clusterSpans (whole years, a year less the months of it outside the period, months); for clusters
     * without a period the level of all time (z negative, its one row per cell, category, area and flag).
     */
    const times: { at: SQL; sign: 1 | -1 }[] = [];
    const allTime = !months;
    const monthRange = ([a, b]: readonly [string, string]) => sql`not k.year and k.period >= ${a}::date and k.period < ${b}::date`;
    if (allTime) times.push({ at: sql`true`, sign: 1 });
    else if (!clusters) times.push({ at: monthRange([months.m0, months.m1]), sign: 1 });
    else {
      const spans = clusterSpans(months.m0, months.m1);
      if (spans.years) times.push({ at: sql`k.year and k.period >= ${spans.years[0]}::date and k.period < ${spans.years[1]}::date`, sign: 1 });
      for (const r of spans.plus) times.push({ at: monthRange(r), sign: 1 });
      for (const r of spans.minus) times.push({ at: monthRange(r), sign: -1 });
    }
    const select = (z: number, where: SQL[], sign: 1 | -1) => {
      const w = sql.join([sql`k.z = ${allTime ? -z : z}`, ...where, ...common], sql` and `);
      if (!clusters)
        return sql`select null::int as cx, null::int as cy, k.category_id, ${area} as area_id, k.period as month, k.n, 0::float8 as sum_lat, 0::float8 as sum_lon
          from incident_aggregates k where ${w}`;
      // Cluster cells of this zoom are whole blocks of the level's cells: floor(g / 2^(z - zoom)), exact in floating point.
      const shift = 2 ** (z - shape.zoom);
      const cx = shift === 1 ? sql`k.gx` : sql`floor(k.gx / ${shift}::float8)::int`;
      const cy = shift === 1 ? sql`k.gy` : sql`floor(k.gy / ${shift}::float8)::int`;
      const sums = sign > 0 ? sql`k.n, k.sum_lat, k.sum_lon` : sql`-k.n as n, -k.sum_lat as sum_lat, -k.sum_lon as sum_lon`;
      return sql`select ${cx} as cx, ${cy} as cy, k.category_id, null::uuid as area_id, null::date as month, ${sums}
        from incident_aggregates k where ${w}`;
    };
    /**
     * A rectangle of cells. The unique index is (z, year, gx, gy, period, …): with the cells listed, each cell is
     * one descent of the index that reads its period only; a very large rectangle is read by range instead.
     */
    const rect = (r: Rect) => {
      const nx = r.gx1 - r.gx0 + 1, ny = r.gy1 - r.gy0 + 1;
      const range = sql`k.gx between ${r.gx0} and ${r.gx1} and k.gy between ${r.gy0} and ${r.gy1}`;
      return nx * ny <= MAX_LISTED_CELLS ? sql`${range} and k.gx = any(${ints(r.gx0, r.gx1)}) and k.gy = any(${ints(r.gy0, r.gy1)})` : range;
    };
    /** The fine rectangle without the coarse one (a coarse cell is a block of 4 × 4 fine cells): up to four disjoint rectangles. */
    const ring = (fr: Rect, c: Rect | null): Rect[] => {
      if (!c) return [fr];
      const [cx0, cx1, cy0, cy1] = [c.gx0 * 4, c.gx1 * 4 + 3, c.gy0 * 4, c.gy1 * 4 + 3];
      return [
        { gx0: fr.gx0, gx1: cx0 - 1, gy0: fr.gy0, gy1: fr.gy1 }, // west
        { gx0: cx1 + 1, gx1: fr.gx1, gy0: fr.gy0, gy1: fr.gy1 }, // east
        { gx0: cx0, gx1: cx1, gy0: fr.gy0, gy1: cy0 - 1 }, // south
        { gx0: cx0, gx1: cx1, gy0: cy1 + 1, gy1: fr.gy1 }, // north
      ].filter((r) => r.gx0 <= r.gx1 && r.gy0 <= r.gy1);
    };
    for (const { at, sign } of times) {
      if (!f.bbox) parts.push(select(0, [at], sign));
      else {
        if (coarse) parts.push(select(COARSE_ZOOM, [at, rect(coarse)], sign));
        for (const r of ring(fine!, coarse)) parts.push(select(AGGREGATE_ZOOM, [at, rect(r)], sign));
      }
    }
  }

  const visible = incidentVisibleSql(vis);
  const withVisible = (conds: SQL[]) => [visible, ...keyFilter('i'), ...inBox, ...inPeriod, ...conds];
  if (!aggregated) {
    // No whole month in the period: all from the incidents.
    parts.push(base(withVisible([])));
    return union(parts);
  }
  // B1: the period's ends outside the whole months, each its own range of the occurred_at index (and none when
  // the period starts or ends on a month's start: an `or` of both would read the whole period from the index).
  if (months && f.from && f.to) {
    const [from, to, at0, at1] = [f.from, f.to, months.at0, months.at1].map((v) => Date.parse(v));
    const visibleOnly = [visible, ...keyFilter('i'), ...inBox];
    if (from < at0) parts.push(base([...visibleOnly, sql`i.occurred_at >= ${f.from} and i.occurred_at < ${months.at0}`]));
    if (at1 < to) parts.push(base([...visibleOnly, sql`i.occurred_at >= ${months.at1} and i.occurred_at < ${f.to}`]));
  }
  // B2: in whole months (or all time), the box's edges outside the whole fine cells.
  if (f.bbox) {
    const inMonths = inWholeMonths ? [inWholeMonths] : [];
    if (!fine) parts.push(base(withVisible(inMonths)));
    else {
      // Four disjoint strips, each exact by the cell expression and found through a narrow range of the (lon, lat)
      // or the (lat, lon) index (the range a superset by a margin m, the cell expression deciding).
      const m = 1e-6;
      const x0 = fine.gx0 * AGGREGATE_CELL, x1 = (fine.gx1 + 1) * AGGREGATE_CELL, y0 = fine.gy0 * AGGREGATE_CELL, y1 = (fine.gy1 + 1) * AGGREGATE_CELL;
      const gx = sql`floor(i.lon / ${AGGREGATE_CELL}::float8)::int`, gy = sql`floor(i.lat / ${AGGREGATE_CELL}::float8)::int`;
      for (const strip of [
        sql`i.lon < ${x0 + m} and ${gx} < ${fine.gx0}`,
        sql`i.lon >= ${x1 - m} and ${gx} > ${fine.gx1}`,
        sql`${gx} between ${fine.gx0} and ${fine.gx1} and i.lat < ${y0 + m} and ${gy} < ${fine.gy0}`,
        sql`${gx} between ${fine.gx0} and ${fine.gx1} and i.lat >= ${y1 - m} and ${gy} > ${fine.gy1}`,
      ])
        // The time is the position indexes' last column: it leaves out other periods in the index.
        parts.push(base([visible, ...keyFilter('i'), ...inBox, strip, ...inMonths]));
    }
  }
  // B3: in whole months and cells, what the actor sees only as the reporter (only beside the aggregates: without
  // whole cells, B2 has read the whole box with the whole visibility clause). The aggregates counted every incident
  // that is not secret (the reader reads in every organisation), so this is their own secret reports: the secret
  // flag, written out as the partial index incidents_reported_secret_idx (reported_by, occurred_at) declares it, lets
  // that index find them in the period instead of every report of theirs over all years.
  if (spatialOk && seen === 'open') {
    const ownOnly = sql`i.reported_by = ${vis.actorId} and ${incidentSecretSql('i')} and not ${incidentVisibleByOrgSql(vis, sql`i.organisation_id`, incidentSecretSql('i'))}`;
    const conds = [ownOnly, ...keyFilter('i'), ...inBox, ...inPeriod];
    if (inWholeMonths) conds.push(inWholeMonths);
    if (innerCellOf) conds.push(innerCellOf);
    parts.push(base(conds));
  }
  return union(parts);
}

const union = (parts: SQL[]) => sql`(${sql.join(parts, sql` union all `)})`;
