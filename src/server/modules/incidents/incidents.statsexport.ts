import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import type { ChartBlock, DocumentModel, FigureBlock, Shape } from '../../lib/documents/model.ts';
import { SERIES_COLORS } from '../../../shared/charts.ts';
import { renderPdf } from '../../lib/documents/pdf.ts';
import { renderXlsx, type Sheet } from '../../lib/documents/xlsx.ts';
import { AppError } from '../../lib/errors.ts';
import { defineExportKind } from '../../lib/exports.ts';
import type { Locale } from '../../lib/i18n.ts';
import { canSomewhere, type Actor, type OrgTree } from '../../lib/policies.ts';
import boundary from '../../seed/lund-boundary.json' with { type: 'json' };
import { INCIDENT_STATUSES } from '../../../shared/schemas/incidents.ts';
import { periodWithinLimit } from '../../../shared/schemas/common.ts';
import { STATISTICS_EXPORT } from '../../../shared/schemas/lagesbild.ts';
import { createIncidentStats } from './incidents.stats.ts';
import { change } from './incidents.lagesbild.ts';
import { polygonsOfGeometry } from './incidents.areas.ts';
import { accessOf, incidentVisibleSql } from '../../access/index.ts';
import { lt } from './lagesbild.messages.ts';
import { todayInStockholm } from '../../lib/time.ts';

/** The statistics filters as export parameters: stored as given and parsed again by the job, so no transforms. */
export const statsExportParams = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    bbox: z.string().regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/).optional(),
    categoryId: z.uuid().optional(),
    organisationId: z.uuid().optional(),
    areaId: z.uuid().optional(),
    status: z.enum(INCIDENT_STATUSES).optional(),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'END_BEFORE_START', path: ['to'] })
  .refine(...periodWithinLimit);
type Params = z.infer<typeof statsExportParams>;
const bboxOf = (b?: string) => (b ? (b.split(',').map(Number) as [number, number, number, number]) : undefined);

type Ring = number[][];
const BOUNDARY: Ring[][] = (boundary as { features: { geometry: { type: string; coordinates: unknown } }[] }).features.flatMap((f) => polygonsOfGeometry(f.geometry));

/** Positions of the incidents in the selection, gathered on a ~100 m grid in SQL (the map's points). */
async function positions(ex: Executor, actor: Actor, tree: OrgTree, p: Params) {
  const where: SQL[] = [incidentVisibleSql(accessOf(actor, tree)), sql`i.occurred_at >= ${p.from}`, sql`i.occurred_at < ${p.to}`, sql`i.lat is not null and i.lon is not null`];
  if (p.categoryId) where.push(sql`i.category_id = ${p.categoryId}`);
  if (p.organisationId) where.push(sql`i.organisation_id = ${p.organisationId}`);
  if (p.areaId) where.push(sql`i.area_id = ${p.areaId}`);
  if (p.status) where.push(sql`i.status = ${p.status}`);
  const bbox = bboxOf(p.bbox);
  if (bbox) where.push(sql`i.lon between ${bbox[0]} and ${bbox[2]} and i.lat between ${bbox[1]} and ${bbox[3]}`);
  const r = await ex.execute<{ lat: number; lon: number; count: number; place: string | null }>(sql`
    select avg(i.lat)::float8 as lat, avg(i.lon)::float8 as lon, count(*)::int as count, min(coalesce(i.place, a.name)) as place
    from incidents i left join incident_areas a on a.id = i.area_id
    where ${sql.join(where, sql` and `)}
    group by floor(i.lat / 0.001), floor(i.lon / 0.002) order by count desc limit 3000`);
  return r.rows.map((x) => ({ lat: Number(x.lat), lon: Number(x.lon), count: x.count, place: x.place }));
}

/**
 * The map as a vector figure: the municipal boundary, the areas' outlines and a circle per point (area ∝
 * count), in an equirectangular projection corrected for latitude. No tiles, no network.
 */
export function mapFigure(opts: {
  boundary: Ring[][];
  areas: { name: string; polygons: Ring[][] }[];
  points: { lat: number; lon: number; count: number }[];
  alt: string;
  caption: string;
}): FigureBlock {
  const all = [...opts.boundary.flatMap((p) => p[0]), ...opts.points.map((p) => [p.lon, p.lat])];
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  for (const [lon, lat] of all) {
    minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
  }
  if (!Number.isFinite(minLon)) [minLon, maxLon, minLat, maxLat] = [13, 13.5, 55.5, 56];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const W = 480;
  const spanX = Math.max((maxLon - minLon) * k, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const pad = 12;
  const scale = (W - 2 * pad) / spanX;
  const H = Math.min(640, Math.max(160, spanY * scale + 2 * pad));
  const s = Math.min(scale, (H - 2 * pad) / spanY);
  const xy = (lon: number, lat: number): [number, number] => [pad + (lon - minLon) * k * s, pad + (maxLat - lat) * s];
  const shapes: Shape[] = [];
  for (const poly of opts.boundary) shapes.push({ kind: 'polygon', rings: poly.map((r) => r.map(([lon, lat]) => xy(lon, lat))), fill: '#F2F5F8', stroke: '#1F3A5F', lineWidth: 1.2 });
  for (const a of opts.areas) for (const poly of a.polygons) shapes.push({ kind: 'polygon', rings: poly.map((r) => r.map(([lon, lat]) => xy(lon, lat))), stroke: '#7A8A9A', lineWidth: 0.6 });
  const max = Math.max(1, ...opts.points.map((p) => p.count));
  for (const p of [...opts.points].sort((a, b) => b.count - a.count)) {
    const [x, y] = xy(p.lon, p.lat);
    shapes.push({ kind: 'circle', x, y, r: 2.5 + 9 * Math.sqrt(p.count / max), fill: '#B3261E', stroke: '#FFFFFF', opacity: 0.75 });
  }
  return { type: 'figure', alt: opts.alt, caption: opts.caption, width: W, height: H, shapes };
}

/** Months "YYYY-MM" from the month of `from` to the month of `to`, both included. */
function monthsBetween(from: string, to: string) {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number);
  const end = to.slice(0, 7);
  for (let i = 0; i < 240; i++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= end) break;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/**
 * The trend per category over the period's months against the same months last year: a solid line per
 * category (the four largest; the rest together), a dashed one in its colour for last year. Null when the
 * selection holds nothing in either year.
 */
export function trendChart(o: {
  from: string;
  to: string;
  current: { categoryKey: string; month: string; count: number }[];
  previous: { categoryKey: string; month: string; count: number }[];
  categories: { key: string; name: string; weight: number }[];
  L: (k: string, v?: Record<string, string | number>) => string;
}): ChartBlock | null {
  const cats = o.categories.filter((c) => c.weight > 0).sort((a, b) => b.weight - a.weight);
  if (!cats.length) return null;
  const months = monthsBetween(o.from, o.to);
  const shown = cats.length <= 5 ? cats : cats.slice(0, 4);
  const groups = [...shown.map((c) => ({ name: c.name, keys: new Set([c.key]) })), ...(cats.length > 5 ? [{ name: o.L('stats.trendOther'), keys: new Set(cats.slice(4).map((c) => c.key)) }] : [])];
  const sum = (rows: typeof o.current, keys: Set<string>, month: string) => rows.filter((r) => r.month === month && keys.has(r.categoryKey)).reduce((s, r) => s + r.count, 0);
  const series = groups.flatMap((g, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    const now = months.map((m) => sum(o.current, g.keys, m));
    const before = months.map((m) => sum(o.previous, g.keys, m));
    return [
      { name: g.name, values: now, color },
      { name: o.L('stats.trendLastYear', { name: g.name }), values: before, color, dashed: true },
    ];
  });
  const title = o.L('stats.trend');
  const alt = `${o.L('stats.trendKind')}. ${title}. ${groups
    .map((g, i) => `${g.name}: ${months.map((m, j) => o.L('stats.trendValue', { month: m, count: series[2 * i].values[j] ?? 0, previous: series[2 * i + 1].values[j] ?? 0 })).join(', ')}`)
    .join('; ')}.`;
  return { type: 'chart', kind: 'line', title, alt, categories: months, series, dashedLegend: o.L('stats.trendDashed') };
}

async function buildStatistics(db: Db, actor: Actor, tree: OrgTree, p: Params, locale: Locale) {
  const L = (k: string, v?: Record<string, string | number>) => lt(locale, k, v);
  const stats = await createIncidentStats({ db }).stats(actor, { ...p, bbox: bboxOf(p.bbox) });
  const categories = new Map((await db.execute<{ key: string; name: string; id: string }>(sql`select id, key, name from incident_categories`)).rows.map((c) => [c.key, c]));
  const catName = (key: string) => categories.get(key)?.name ?? key;
  const areaName = (n: string | null) => n ?? L('stats.areaNone');
  const filters: { label: string; value: string }[] = [];
  const lookup = async (table: 'incident_categories' | 'organisations' | 'incident_areas', id: string) =>
    (await db.execute<{ name: string }>(sql`select name from ${sql.identifier(table)} where id = ${id}`)).rows[0]?.name ?? id;
  if (p.categoryId) filters.push({ label: L('stats.category'), value: await lookup('incident_categories', p.categoryId) });
  if (p.organisationId) filters.push({ label: L('stats.organisation'), value: await lookup('organisations', p.organisationId) });
  if (p.areaId) filters.push({ label: L('stats.area'), value: await lookup('incident_areas', p.areaId) });
  if (p.status) filters.push({ label: L('stats.status'), value: L(`stats.statuses.${p.status}`) });
  if (p.bbox) filters.push({ label: L('stats.bbox'), value: p.bbox });
  const day = (v: string) => todayInStockholm(new Date(v));
  // The end is exclusive: show the last day included.
  const period = L('stats.period', { from: day(p.from), to: day(new Date(Date.parse(p.to) - 1).toISOString()) });

  const points = await positions(db, actor, tree, p);
  const areaRows = (await db.execute<{ name: string; geometry: { type: string; coordinates: unknown } }>(sql`select name, geometry from incident_areas where active order by priority, name`)).rows;
  const municipality = (await db.execute<{ name: string }>(sql`select name from organisations where id = ${tree.rootId}`)).rows[0]?.name ?? '';
  const counted = points.reduce((s, x) => s + x.count, 0);
  const top = points.slice(0, 3).map((x) => `${x.place ?? `${x.lat.toFixed(4)}, ${x.lon.toFixed(4)}`} (${x.count})`);
  const figure = mapFigure({
    boundary: BOUNDARY,
    areas: areaRows.map((a) => ({ name: a.name, polygons: polygonsOfGeometry(a.geometry) })),
    points,
    alt: counted
      ? L('stats.mapAlt', { municipality, areas: areaRows.length ? L('stats.mapAreas') : '', count: counted, points: points.length, top: L('stats.mapTop', { list: top.join(', ') }) })
      : `${L('stats.mapAlt', { municipality, areas: areaRows.length ? L('stats.mapAreas') : '', count: 0, points: 0, top: '' })} ${L('stats.mapNone')}`.trim(),
    caption: L('stats.mapCaption'),
  });

  const months = [...new Set(stats.cells.map((c) => c.month))].sort();
  const trend = trendChart({
    from: day(p.from),
    to: day(new Date(Date.parse(p.to) - 1).toISOString()),
    current: stats.cells,
    previous: stats.previousByMonth,
    categories: stats.byCategory.map((c) => ({ key: c.categoryKey, name: catName(c.categoryKey), weight: c.count + c.previousYear })),
    L,
  });
  const catKeys = stats.byCategory.map((c) => c.categoryKey);
  const monthRows = months.map((m) => [m, ...catKeys.map((k) => String(stats.cells.filter((c) => c.month === m && c.categoryKey === k).reduce((s, c) => s + c.count, 0))), String(stats.cells.filter((c) => c.month === m).reduce((s, c) => s + c.count, 0))]);
  const c = (k: string) => L(`col.${k}`);
  const model: DocumentModel = {
    organisation: municipality,
    title: L('stats.title'),
    subtitle: period,
    lang: locale === 'sv' ? 'sv-SE' : 'en-GB',
    footer: `${L('stats.title')} ${period}`,
    meta: [
      { label: L('stats.filters'), value: filters.length ? filters.map((f) => `${f.label}: ${f.value}`).join('; ') : L('stats.allFilters') },
      { label: L('stats.total'), value: String(stats.total) },
      { label: L('stats.previousTotal'), value: `${stats.previousYearTotal} (${change(stats.total, stats.previousYearTotal, locale)})` },
      { label: L('generated'), value: todayInStockholm() },
    ],
    blocks: [
      { type: 'heading', level: 1, text: L('stats.map') },
      figure,
      { type: 'heading', level: 1, text: L('byCategory') },
      ...(trend ? [trend] : []),
      stats.byCategory.length
        ? {
            type: 'table',
            caption: L('byCategory'),
            columns: [{ header: c('category'), width: 3 }, { header: c('count'), width: 1 }, { header: c('previous'), width: 1.2 }, { header: c('change'), width: 1.5 }],
            rows: stats.byCategory.map((r) => [catName(r.categoryKey), String(r.count), String(r.previousYear), change(r.count, r.previousYear, locale)]),
          }
        : { type: 'paragraph', text: L('none'), muted: true },
      { type: 'heading', level: 1, text: L('byArea') },
      stats.byArea.length
        ? { type: 'table', caption: L('byArea'), columns: [{ header: c('area'), width: 3 }, { header: c('count'), width: 1 }], rows: stats.byArea.map((r) => [areaName(r.areaName), String(r.count)]) }
        : { type: 'paragraph', text: L('none'), muted: true },
      ...(months.length
        ? [
            { type: 'heading' as const, level: 1 as const, text: L('stats.byMonth') },
            { type: 'table' as const, caption: L('stats.byMonth'), columns: [{ header: c('month'), width: 1.2 }, ...catKeys.map((k) => ({ header: catName(k), width: 1 })), { header: c('total'), width: 1 }], rows: monthRows },
          ]
        : []),
    ],
  };
  const sheets: Sheet[] = [
    {
      name: L('byCategory'),
      columns: [{ header: c('category'), key: 'category', width: 40 }, { header: c('count'), key: 'count', width: 12 }, { header: c('previous'), key: 'previous', width: 16 }],
      rows: stats.byCategory.map((r) => ({ category: catName(r.categoryKey), count: r.count, previous: r.previousYear })),
    },
    { name: L('byArea'), columns: [{ header: c('area'), key: 'area', width: 40 }, { header: c('count'), key: 'count', width: 12 }], rows: stats.byArea.map((r) => ({ area: areaName(r.areaName), count: r.count })) },
    {
      name: L('stats.cells'),
      columns: [{ header: c('month'), key: 'month', width: 12 }, { header: c('category'), key: 'category', width: 36 }, { header: c('area'), key: 'area', width: 30 }, { header: c('count'), key: 'count', width: 10 }],
      rows: stats.cells.map((x) => ({ month: x.month, category: catName(x.categoryKey), area: areaName(x.areaName), count: x.count })),
    },
  ];
  return { model, sheets, period };
}

export const statisticsExport = defineExportKind<Params>(STATISTICS_EXPORT, {
  params: statsExportParams,
  formats: ['pdf', 'xlsx'],
  // Like the statistics endpoint: for those who read incidents somewhere; the figures cover what each may see.
  async authorize(_ex, actor) {
    if (!canSomewhere(actor, 'incidents.read') && !canSomewhere(actor, 'incidents.manage')) throw new AppError('FORBIDDEN');
  },
  async build(ctx, format) {
    const { model, sheets, period } = await buildStatistics(ctx.db, ctx.actor, ctx.tree, ctx.params, ctx.locale);
    await ctx.progress(0.3);
    const base = `${lt(ctx.locale, 'stats.title')} ${period}`.replace(/[\\/:*?"<>|]/g, '').replace(/\s+/g, ' ');
    if (format === 'xlsx') return { filename: `${base}.xlsx`, body: await renderXlsx(sheets, { title: model.title }) };
    return { filename: `${base}.pdf`, body: await renderPdf(model, (s) => ctx.progress(0.3 + s * 0.7)) };
  },
});
