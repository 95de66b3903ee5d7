import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { one, updateVersioned, uuids } from '../../db/helpers.ts';
import { incidentCategories, incidentClocks, incidentPhotos, incidentTasks, incidentTimeline, incidents } from '../../db/schema/index.ts';

export type CategoryRow = typeof incidentCategories.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type TaskRow = typeof incidentTasks.$inferSelect;
export type ClockRow = typeof incidentClocks.$inferSelect;


/** Who may see which incidents, as SQL over the alias `i`: their own reports, managed organisations, and non-restricted ones they may read. */
export interface Visibility {
  actorId: string;
  manage: string[];
  read: string[];
}
export const visibleSql = (v: Visibility) => sql`(i.reported_by = ${v.actorId}
  or i.organisation_id = any(${uuids(v.manage)})
  or (not i.restricted and i.organisation_id = any(${uuids(v.read)})))`;

export interface IncidentFilter {
  status?: string;
  categoryId?: string;
  organisationId?: string;
  from?: string;
  to?: string;
  bbox?: [number, number, number, number];
  reportedBy?: string;
  id?: string;
  limit?: number;
  offset?: number;
}

export interface IncidentListRow extends Record<string, unknown> {
  id: string;
  category_id: string;
  category_key: string;
  category_name: string;
  description: string;
  occurred_at: Date;
  known_at: Date;
  lat: number | null;
  lon: number | null;
  place: string | null;
  organisation_id: string;
  organisation_name: string;
  premises: string | null;
  reported_by: string;
  reporter_name: string;
  anonymous: boolean;
  status: string;
  severity: number | null;
  owner_id: string | null;
  owner_name: string | null;
  restricted: boolean;
  extra: Record<string, unknown>;
  staff: unknown;
  is_example: boolean;
  version: number;
  total: number;
}

export const incidentsRepo = {
  listCategories: (ex: Executor) => ex.select().from(incidentCategories).orderBy(asc(incidentCategories.sortOrder), asc(incidentCategories.name)),
  findCategory: (ex: Executor, id: string) => one(ex.select().from(incidentCategories).where(eq(incidentCategories.id, id))),
  findCategoryByKey: (ex: Executor, key: string) => one(ex.select().from(incidentCategories).where(eq(incidentCategories.key, key))),
  insertCategory: (ex: Executor, v: typeof incidentCategories.$inferInsert) => one(ex.insert(incidentCategories).values(v).returning()) as Promise<CategoryRow>,
  updateCategory: (ex: Executor, id: string, version: number, v: Partial<typeof incidentCategories.$inferInsert>) => updateVersioned(ex, incidentCategories, id, version, v),

  findIncident: (ex: Executor, id: string) => one(ex.select().from(incidents).where(eq(incidents.id, id))),
  insertIncident: (ex: Executor, v: typeof incidents.$inferInsert) => one(ex.insert(incidents).values(v).returning()) as Promise<IncidentRow>,
  updateIncident: (ex: Executor, id: string, version: number, v: Partial<typeof incidents.$inferInsert>) => updateVersioned(ex, incidents, id, version, v),

  /** Incidents the actor may see, filtered and paged in SQL. */
  async listIncidents(ex: Executor, vis: Visibility, f: IncidentFilter) {
    const where: SQL[] = [visibleSql(vis)];
    if (f.id) where.push(sql`i.id = ${f.id}`);
    if (f.status) where.push(sql`i.status = ${f.status}`);
    if (f.categoryId) where.push(sql`i.category_id = ${f.categoryId}`);
    if (f.organisationId) where.push(sql`i.organisation_id = ${f.organisationId}`);
    if (f.from) where.push(sql`i.occurred_at >= ${f.from}`);
    if (f.to) where.push(sql`i.occurred_at < ${f.to}`);
    if (f.reportedBy) where.push(sql`i.reported_by = ${f.reportedBy}`);
    if (f.bbox) {
      const [minLon, minLat, maxLon, maxLat] = f.bbox;
      where.push(sql`i.lon between ${minLon} and ${maxLon} and i.lat between ${minLat} and ${maxLat}`);
    }
    const res = await ex.execute<IncidentListRow>(sql`
      select i.*, c.key as category_key, c.name as category_name, o.name as organisation_name,
             r.name as reporter_name, w.name as owner_name, count(*) over ()::int as total
      from incidents i
      join incident_categories c on c.id = i.category_id
      join organisations o on o.id = i.organisation_id
      join users r on r.id = i.reported_by
      left join users w on w.id = i.owner_id
      where ${sql.join(where, sql` and `)}
      order by i.occurred_at desc, i.id
      limit ${f.limit ?? 100} offset ${f.offset ?? 0}`);
    return res.rows;
  },

  clocksOf: (ex: Executor, incidentIds: string[]) =>
    incidentIds.length ? ex.select().from(incidentClocks).where(sql`${incidentClocks.incidentId} = any(${uuids(incidentIds)})`).orderBy(asc(incidentClocks.startedAt)) : Promise.resolve([] as ClockRow[]),
  findClock: (ex: Executor, id: string) => one(ex.select().from(incidentClocks).where(eq(incidentClocks.id, id))),
  insertClock: (ex: Executor, v: typeof incidentClocks.$inferInsert) => one(ex.insert(incidentClocks).values(v).onConflictDoNothing().returning()),
  stopClock: (ex: Executor, id: string, v: { stoppedAt: Date; stopReason: string; stopNote: string | null; stoppedBy: string | null }) =>
    one(ex.update(incidentClocks).set(v).where(and(eq(incidentClocks.id, id), sql`${incidentClocks.stoppedAt} is null`)).returning()),

  addTimeline: (ex: Executor, v: typeof incidentTimeline.$inferInsert) => one(ex.insert(incidentTimeline).values(v).returning()),
  timelineOf: async (ex: Executor, incidentId: string) =>
    (
      await ex.execute<{ id: string | number; at: Date; actor_id: string | null; actor_name: string | null; kind: string; text: string | null; data: unknown; struck_at: Date | null; struck_by_name: string | null; strike_reason: string | null }>(sql`
        select t.id, t.at, t.actor_id, a.name as actor_name, t.kind, t.text, t.data, t.struck_at, s.name as struck_by_name, t.strike_reason
        from incident_timeline t left join users a on a.id = t.actor_id left join users s on s.id = t.struck_by
        where t.incident_id = ${incidentId} order by t.id`)
    ).rows,
  findTimelineEntry: (ex: Executor, id: number) => one(ex.select().from(incidentTimeline).where(eq(incidentTimeline.id, id))),
  /** Only an entry not yet struck: the second strike finds nothing. */
  strikeEntry: (ex: Executor, id: number, v: { struckBy: string | null; strikeReason: string }) =>
    one(ex.update(incidentTimeline).set({ ...v, struckAt: new Date() }).where(and(eq(incidentTimeline.id, id), sql`${incidentTimeline.struckAt} is null`)).returning()),

  tasksOf: (ex: Executor, incidentId: string) => ex.select().from(incidentTasks).where(eq(incidentTasks.incidentId, incidentId)).orderBy(asc(incidentTasks.dueDate), asc(incidentTasks.createdAt)),
  findTask: (ex: Executor, id: string) => one(ex.select().from(incidentTasks).where(eq(incidentTasks.id, id))),
  insertTask: (ex: Executor, v: typeof incidentTasks.$inferInsert) => one(ex.insert(incidentTasks).values(v).returning()) as Promise<TaskRow>,
  updateTask: (ex: Executor, id: string, version: number, v: Partial<typeof incidentTasks.$inferInsert>) => updateVersioned(ex, incidentTasks, id, version, v),

  photosOf: (ex: Executor, incidentId: string) =>
    ex
      .select({ id: incidentPhotos.id, filename: incidentPhotos.filename, contentType: incidentPhotos.contentType, size: incidentPhotos.size, createdAt: incidentPhotos.createdAt })
      .from(incidentPhotos)
      .where(eq(incidentPhotos.incidentId, incidentId))
      .orderBy(asc(incidentPhotos.createdAt)),
  findPhoto: (ex: Executor, incidentId: string, id: string) => one(ex.select().from(incidentPhotos).where(and(eq(incidentPhotos.id, id), eq(incidentPhotos.incidentId, incidentId)))),
  insertPhoto: (ex: Executor, v: typeof incidentPhotos.$inferInsert) =>
    one(ex.insert(incidentPhotos).values(v).returning({ id: incidentPhotos.id, filename: incidentPhotos.filename, contentType: incidentPhotos.contentType, size: incidentPhotos.size, createdAt: incidentPhotos.createdAt })),
};
