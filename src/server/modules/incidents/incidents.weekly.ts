import { policeCountedSql } from './incidents.police.ts';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import { lagesbildWeekNotes } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { can, type Actor } from '../../lib/policies.ts';
import type { saveWeekNote, weeklyQuery, WeeklyView } from '../../../shared/schemas/lagesbild.ts';
import { addDays, lastFullWeek, localMidnight, mondayOfWeek, shiftWeek } from '../../lib/time.ts';
import { areaOf, listAreas } from './incidents.areas.ts';
import { accessOf, incidentVisibleSql, type Access } from '../../access/index.ts';


// Local dates, midnights and weeks: lib/time.ts (re-exported for the lägesbild reports).
export { addDays, localMidnight };

/** One group of counted events: a source, optionally a week, a category (null: police type not mapped), an area and a police type. */
export interface CountRow {
  source: 'incident' | 'police';
  week: string | null;
  categoryId: string | null;
  categoryKey: string | null;
  categoryName: string | null;
  areaId: string | null;
  areaName: string | null;
  policeType: string | null;
  count: number;
}

/**
 * Counts municipal incidents (visible to the actor) and police events over [from, to) — local dates —
 * grouped in SQL by category, area (and ISO week when asked). Police events carry the category their
 * type maps to; their area is found by point in polygon (few distinct positions: the police give centroids).
 */
export async function countEvents(ex: Executor, vis: Access, from: string, to: string, opts: { byWeek?: boolean; where?: SQL[]; policeWhere?: SQL[] } = {}): Promise<CountRow[]> {
  const weekOf = (col: SQL) => (opts.byWeek ? sql`to_char(${col} at time zone 'Europe/Stockholm', 'IYYY-"W"IW')` : sql`null::text`);
  const incidents = await ex.execute<{ week: string | null; category_id: string; category_key: string; category_name: string; area_id: string | null; area_name: string | null; count: number }>(sql`
    select ${weekOf(sql`i.occurred_at`)} as week, i.category_id, c.key as category_key, c.name as category_name, i.area_id, a.name as area_name, count(*)::int as count
    from incidents i join incident_categories c on c.id = i.category_id left join incident_areas a on a.id = i.area_id
    where ${sql.join([incidentVisibleSql(vis), sql`i.occurred_at >= ${localMidnight(from)}`, sql`i.occurred_at < ${localMidnight(to)}`, ...(opts.where ?? [])], sql` and `)}
    group by 1, 2, 3, 4, 5, 6`);
  const police = await ex.execute<{ week: string | null; type: string; category_id: string | null; category_key: string | null; category_name: string | null; lat: number; lon: number; count: number }>(sql`
    select ${weekOf(sql`e.datetime`)} as week, e.type, m.category_id, c.key as category_key, c.name as category_name, e.lat, e.lon, count(*)::int as count
    from police_events e left join police_type_mappings m on m.police_type = e.type left join incident_categories c on c.id = m.category_id
    where ${sql.join([sql`e.datetime >= ${localMidnight(from)}`, sql`e.datetime < ${localMidnight(to)}`, policeCountedSql('e'), ...(opts.policeWhere ?? [])], sql` and `)}
    group by 1, 2, 3, 4, 5, 6, 7`);
  const rows: CountRow[] = incidents.rows.map((r) => ({
    source: 'incident',
    week: r.week,
    categoryId: r.category_id,
    categoryKey: r.category_key,
    categoryName: r.category_name,
    areaId: r.area_id,
    areaName: r.area_name,
    policeType: null,
    count: r.count,
  }));
  if (police.rows.length) {
    const areas = await listAreas(ex);
    const names = new Map(areas.map((a) => [a.id, a.name]));
    for (const r of police.rows) {
      const areaId = areaOf(areas, Number(r.lat), Number(r.lon));
      rows.push({ source: 'police', week: r.week, categoryId: r.category_id, categoryKey: r.category_key, categoryName: r.category_name, areaId, areaName: areaId ? (names.get(areaId) ?? null) : null, policeType: r.type, count: r.count });
    }
  }
  return rows;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
export function trendOf(total: number, average: number): 'higher' | 'lower' | 'same' {
  const diff = total - average;
  return Math.abs(diff) < 0.5 ? 'same' : diff > 0 ? 'higher' : 'lower';
}

type NoteRow = { week: string; text: string; created_by: string; created_by_name: string; updated_by: string; updated_by_name: string; created_at: Date; updated_at: Date; version: number };
const noteOf = (r: NoteRow) => ({
  week: r.week,
  text: r.text,
  createdBy: { id: r.created_by, name: r.created_by_name },
  updatedBy: { id: r.updated_by, name: r.updated_by_name },
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
});
async function findNote(ex: Executor, week: string) {
  const r = await ex.execute<NoteRow>(sql`
    select n.week, n.text, n.created_by, c.name as created_by_name, n.updated_by, u.name as updated_by_name, n.created_at, n.updated_at, n.version
    from lagesbild_week_notes n join users c on c.id = n.created_by join users u on u.id = n.updated_by where n.week = ${week}`);
  return r.rows[0] ? noteOf(r.rows[0]) : null;
}

/**
 * The weekly lägesbild (EST): a full ISO week against the average of the weeks before it, per category
 * and per area, municipal incidents and (mapped) police events together, with the note from the weekly review.
 */
export function createWeeklyLagesbild({ db, now = () => new Date() }: { db: Db; now?: () => Date }) {
  return {
    async view(actor: Actor, q: z.infer<typeof weeklyQuery>): Promise<WeeklyView> {
      const tree = await loadOrgTree(db);
      const week = q.week ?? lastFullWeek(now());
      const monday = mondayOfWeek(week)!;
      const firstCompare = shiftWeek(week, -q.compare);
      const from = mondayOfWeek(firstCompare)!;
      const to = addDays(monday, 7);
      const rows = await countEvents(db, accessOf(actor, tree), from, to, { byWeek: true });
      const counted = rows.filter((r) => r.source === 'incident' || r.categoryId);
      const unmapped = rows.filter((r) => r.source === 'police' && !r.categoryId && r.week === week);
      const unmappedPolice = unmapped.reduce((s, r) => s + r.count, 0);
      const byType = new Map<string, number>();
      for (const r of unmapped) byType.set(r.policeType!, (byType.get(r.policeType!) ?? 0) + r.count);
      const unmappedTypes = [...byType].map(([policeType, count]) => ({ policeType, count })).sort((a, b) => b.count - a.count || a.policeType.localeCompare(b.policeType, 'sv'));

      const compareWeeks = Array.from({ length: q.compare }, (_, i) => shiftWeek(week, i - q.compare));
      const summarise = <K extends string | null>(keyOf: (r: CountRow) => K) => {
        const groups = new Map<K, { incidents: number; police: number; before: number; sample: CountRow }>();
        for (const r of counted) {
          const k = keyOf(r);
          const g = groups.get(k) ?? { incidents: 0, police: 0, before: 0, sample: r };
          if (r.week === week) {
            if (r.source === 'incident') g.incidents += r.count;
            else g.police += r.count;
          } else g.before += r.count;
          groups.set(k, g);
        }
        return [...groups.values()].map((g) => {
          const total = g.incidents + g.police;
          const average = round1(g.before / q.compare);
          return { sample: g.sample, incidents: g.incidents, police: g.police, total, average, trend: trendOf(total, average) };
        });
      };
      const byCategory = summarise((r) => r.categoryId)
        .map(({ sample, ...c }) => ({ ...c, categoryId: sample.categoryId, categoryKey: sample.categoryKey, categoryName: sample.categoryName ?? '' }))
        .sort((a, b) => b.total - a.total || b.average - a.average || a.categoryName.localeCompare(b.categoryName, 'sv'));
      const byArea = summarise((r) => r.areaId)
        .map(({ sample, ...c }) => ({ ...c, areaId: sample.areaId, areaName: sample.areaName }))
        .sort((a, b) => (a.areaName === null ? 1 : 0) - (b.areaName === null ? 1 : 0) || b.total - a.total || (a.areaName ?? '').localeCompare(b.areaName ?? '', 'sv'));
      const sum = (pick: (r: CountRow) => boolean) => counted.filter(pick).reduce((s, r) => s + r.count, 0);
      const incidents = sum((r) => r.week === week && r.source === 'incident');
      const police = sum((r) => r.week === week && r.source === 'police');
      const average = round1(sum((r) => r.week !== week) / q.compare);
      return {
        week,
        from: monday,
        to: addDays(monday, 6),
        compareWeeks: [...compareWeeks, week].map((w) => ({ week: w, from: mondayOfWeek(w)!, total: sum((r) => r.week === w) })),
        total: { incidents, police, total: incidents + police, average, trend: trendOf(incidents + police, average) },
        byCategory,
        byArea,
        unmappedPolice,
        unmappedTypes,
        note: await findNote(db, week),
        allowedActions: tree.rootId
          ? ([...(can(actor, 'incidents.manage', tree.rootId, tree) ? ['note'] : []), ...(can(actor, 'incidents.configure', tree.rootId, tree) ? ['mapTypes'] : [])] as WeeklyView['allowedActions'])
          : [],
      };
    },

    /** Writes the week's review note: the first one with version null, later edits with the version they were based on. */
    async saveNote(ctx: RequestContext, actor: Actor, week: string, input: z.infer<typeof saveWeekNote>) {
      return db.transaction(async (tx) => {
        const [before] = await tx.select().from(lagesbildWeekNotes).where(eq(lagesbildWeekNotes.week, week));
        if (input.version === null) {
          // Someone else wrote the first note meanwhile: the same as a stale edit.
          if (before) throw new AppError('VERSION_CONFLICT');
          const inserted = await tx.insert(lagesbildWeekNotes).values({ week, text: input.text, createdBy: actor.id, updatedBy: actor.id }).onConflictDoNothing().returning();
          if (!inserted[0]) throw new AppError('VERSION_CONFLICT');
          await recordAudit(tx, ctx, { entityType: 'lagesbild_week_note', entityId: week, action: 'create', after: inserted[0] });
        } else {
          if (!before || before.version !== input.version) throw new AppError('VERSION_CONFLICT');
          const [after] = await tx
            .update(lagesbildWeekNotes)
            .set({ text: input.text, updatedBy: actor.id, updatedAt: new Date(), version: sql`${lagesbildWeekNotes.version} + 1` })
            .where(sql`${lagesbildWeekNotes.week} = ${week} and ${lagesbildWeekNotes.version} = ${input.version}`)
            .returning();
          if (!after) throw new AppError('VERSION_CONFLICT');
          await recordAudit(tx, ctx, { entityType: 'lagesbild_week_note', entityId: week, action: 'update', before, after });
        }
        return (await findNote(tx, week))!;
      });
    },
  };
}
