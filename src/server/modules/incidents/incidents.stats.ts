import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { loadOrgTree } from '../../lib/context.ts';
import type { Actor } from '../../lib/policies.ts';
import type { statsQuery } from '../../../shared/schemas/incidents.ts';
import { accessOf, incidentVisibleSql } from '../../access/index.ts';
import { aggregateRows, type AggregatePath } from './incidents.aggregate.ts';

/**
 * Statistics over the incidents the actor may see (the same visibility as the list), grouped in SQL: from the
 * aggregates kept by triggers (incidents.aggregate.ts), with the same answer as grouping the incidents table.
 */
export function createIncidentStats({ db }: { db: Db }) {
  return {
    /** `path`: `base` from the incidents table itself (the reference the aggregates are tested and measured against), `aggregates` whenever they can answer, `auto` by size. */
    async stats(actor: Actor, q: z.infer<typeof statsQuery>, opts: { path?: AggregatePath } = {}) {
      const tree = await loadOrgTree(db);
      const vis = accessOf(actor, tree);
      const where = (from: string, to: string) => {
        const w: SQL[] = [incidentVisibleSql(vis), sql`i.occurred_at >= ${from}`, sql`i.occurred_at < ${to}`];
        if (q.categoryId) w.push(sql`i.category_id = ${q.categoryId}`);
        if (q.organisationId) w.push(sql`i.organisation_id = ${q.organisationId}`);
        if (q.areaId) w.push(sql`i.area_id = ${q.areaId}`);
        if (q.status) w.push(sql`i.status = ${q.status}`);
        if (q.bbox) w.push(sql`i.lon between ${q.bbox[0]} and ${q.bbox[2]} and i.lat between ${q.bbox[1]} and ${q.bbox[3]}`);
        return sql.join(w, sql` and `);
      };
      const lastYear = (v: string) => {
        const d = new Date(v);
        d.setUTCFullYear(d.getUTCFullYear() - 1);
        return d.toISOString();
      };
      type Cell = { category_id: string; category_key: string; month: string; area_id: string | null; area_name: string | null; count: number };
      // From the aggregates (incidents.aggregate.ts), or — the reference they are tested and measured against — the incidents table.
      const fromAggregates = async (from: string, to: string, shift: boolean) => {
        const rows = await aggregateRows(db, vis, { ...q, from, to }, { kind: 'stats' }, opts.path);
        if (!rows) return null;
        const month = shift ? sql`to_char(g.month + interval '1 year', 'YYYY-MM')` : sql`to_char(g.month, 'YYYY-MM')`;
        return (
          await db.execute<Cell>(sql`
            select g.category_id, c.key as category_key, ${month} as month, g.area_id, a.name as area_name, g.count
            from (select u.category_id, u.month, u.area_id, sum(u.n)::int as count from ${rows} u group by 1, 2, 3 having sum(u.n) > 0) g
            join incident_categories c on c.id = g.category_id left join incident_areas a on a.id = g.area_id
            order by 3, 2, 5 nulls last, 4`)
        ).rows;
      };
      // This period and last year's, side by side (two connections on PostgreSQL).
      const current = async () => (await fromAggregates(q.from, q.to, false)) || (await db.execute<Cell>(sql`
        select i.category_id, c.key as category_key, to_char(i.occurred_at at time zone 'Europe/Stockholm', 'YYYY-MM') as month,
               i.area_id, a.name as area_name, count(*)::int as count
        from incidents i join incident_categories c on c.id = i.category_id left join incident_areas a on a.id = i.area_id
        where ${where(q.from, q.to)}
        group by 1, 2, 3, 4, 5 order by 3, 2, 5 nulls last, 4`)).rows;
      // Last year by category, area and month (an incident's area is the one it lies in today; its month is
      // named by the month a year later, the one of this period it compares with).
      const before = async () => (await fromAggregates(lastYear(q.from), lastYear(q.to), true)) || (await db.execute<Cell>(sql`
        select i.category_id, c.key as category_key, i.area_id, a.name as area_name,
               to_char((i.occurred_at at time zone 'Europe/Stockholm') + interval '1 year', 'YYYY-MM') as month, count(*)::int as count
        from incidents i join incident_categories c on c.id = i.category_id left join incident_areas a on a.id = i.area_id
        where ${where(lastYear(q.from), lastYear(q.to))} group by 1, 2, 3, 4, 5 order by 5, 2, 4 nulls last, 3`)).rows;
      const [cells, previous] = await Promise.all([current(), before()]);
      const previousByMonth = new Map<string, { categoryKey: string; month: string; count: number }>();
      for (const r of previous) {
        const key = `${r.category_key} ${r.month}`;
        previousByMonth.set(key, { categoryKey: r.category_key, month: r.month, count: (previousByMonth.get(key)?.count ?? 0) + r.count });
      }
      const byCat = new Map<string, { count: number; previousYear: number }>();
      for (const r of cells) byCat.set(r.category_key, { count: (byCat.get(r.category_key)?.count ?? 0) + r.count, previousYear: 0 });
      for (const r of previous) byCat.set(r.category_key, { count: byCat.get(r.category_key)?.count ?? 0, previousYear: (byCat.get(r.category_key)?.previousYear ?? 0) + r.count });
      const byArea = new Map<string | null, { areaName: string | null; count: number; previousYear: number }>();
      for (const r of cells) byArea.set(r.area_id, { areaName: r.area_name, count: (byArea.get(r.area_id)?.count ?? 0) + r.count, previousYear: 0 });
      for (const r of previous) {
        const a = byArea.get(r.area_id);
        byArea.set(r.area_id, { areaName: r.area_name, count: a?.count ?? 0, previousYear: (a?.previousYear ?? 0) + r.count });
      }
      return {
        cells: cells.map((r) => ({ categoryId: r.category_id, categoryKey: r.category_key, month: r.month, areaId: r.area_id, areaName: r.area_name, count: r.count })),
        byCategory: [...byCat].map(([categoryKey, v]) => ({ categoryKey, ...v })).sort((a, b) => b.count - a.count || a.categoryKey.localeCompare(b.categoryKey)),
        byArea: [...byArea].map(([areaId, v]) => ({ areaId, ...v })),
        total: cells.reduce((s, r) => s + r.count, 0),
        previousYearTotal: previous.reduce((s, r) => s + r.count, 0),
        previousByMonth: [...previousByMonth.values()].sort((a, b) => a.month.localeCompare(b.month) || a.categoryKey.localeCompare(b.categoryKey)),
      };
    },
  };
}
