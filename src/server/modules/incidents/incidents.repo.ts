import { and, asc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.ts';
import { one, updateVersioned, uuids } from '../../db/helpers.ts';
import { incidentCategories, incidentClocks, incidentLinks, incidentPhotos, incidentTasks, incidentTimeline, incidents } from '../../db/schema/index.ts';
import { caseVisibleSql, incidentsAllVisibleByOrg, incidentVisibleByOrgSql, incidentVisibleSql, type Access } from '../../access/index.ts';

export type CategoryRow = typeof incidentCategories.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type TaskRow = typeof incidentTasks.$inferSelect;
export type ClockRow = typeof incidentClocks.$inferSelect;
const clockColumns = getTableColumns(incidentClocks);
/** A clock from `json_agg` (snake-case keys, timestamps as text) as drizzle's own select returns it. */
const clockFromJson = (j: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(clockColumns).map(([k, c]) => [k, j[c.name] === null || j[c.name] === undefined ? null : c.mapFromDriverValue(j[c.name])])) as ClockRow;


export interface IncidentFilter {
  status?: string;
  categoryId?: string;
  organisationId?: string;
  from?: string;
  to?: string;
  bbox?: [number, number, number, number];
  reportedBy?: string;
  id?: string;
  /** Linked to this program action. */
  actionId?: string;
  /** Linked to this case. */
  caseId?: string;
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
  secrecy_ref: string | null;
  extra: Record<string, unknown>;
  staff: unknown;
  is_example: boolean;
  version: number;
  /** Null from `listIncidents` (no count), the list's total from `pageIncidents`. */
  total: number | null;
  /** `pageIncidents` only: the incident's clocks as JSON rows. */
  clocks?: unknown;
}

const joinedColumns = sql`i.*, c.key as category_key, c.name as category_name, o.name as organisation_name, r.name as reporter_name, w.name as owner_name`;
const joins = sql`
      join incident_categories c on c.id = i.category_id
      join organisations o on o.id = i.organisation_id
      join users r on r.id = i.reported_by
      left join users w on w.id = i.owner_id`;

const incidentColumns = getTableColumns(incidents);
/** A joined row's incident columns under their TypeScript names (as `findIncident` would return them). */
export const rawIncident = (r: IncidentListRow) =>
  // Raw queries answer timestamps as text (drizzle's driver setup): map each value as drizzle's own select would.
  Object.fromEntries(Object.entries(incidentColumns).map(([k, c]) => [k, r[c.name] === null || r[c.name] === undefined ? null : c.mapFromDriverValue(r[c.name])])) as IncidentRow;

/** Rows of the people (active users) holding one of `roles` on the organisation itself or, with subtree, on one of its ancestors. */
export async function peopleWithRoleOn(ex: Executor, roles: string[], orgId: string, ancestors: string[], userId?: string) {
  const r = await ex.execute<{ id: string; name: string }>(sql`
    select u.id, u.name from users u
    where u.active ${userId ? sql`and u.id = ${userId}` : sql``}
      and exists (select 1 from role_grants g where g.user_id = u.id and g.role = any(${sql.param(roles)}::text[])
                  and (g.organisation_id = ${orgId} or (g.include_subtree and g.organisation_id = any(${uuids(ancestors)}))))
    order by u.name, u.id`);
  return r.rows;
}

/** Plan actions the reader may see (program.read on the program's owner, the responsible organisation or a contributor), as SQL over `a` and `p`. */
const actionReadableSql = (scope: string[]) => sql`(p.owner_organisation_id = any(${uuids(scope)}) or a.responsible_organisation_id = any(${uuids(scope)})
  or exists (select 1 from plan_action_contributors pc where pc.action_id = a.id and pc.organisation_id = any(${uuids(scope)})))`;
const actionJoins = sql`join goals g on g.id = a.goal_id join focus_areas fa on fa.id = g.focus_area_id join programs p on p.id = fa.program_id`;

/** The list's filter as SQL over `i`, the access core's visibility clause first. */
function incidentListWhere(vis: Access, f: IncidentFilter): SQL {
  const where: SQL[] = [incidentVisibleSql(vis)];
  if (f.id) where.push(sql`i.id = ${f.id}`);
  if (f.status) where.push(sql`i.status = ${f.status}`);
  if (f.categoryId) where.push(sql`i.category_id = ${f.categoryId}`);
  if (f.organisationId) where.push(sql`i.organisation_id = ${f.organisationId}`);
  if (f.from) where.push(sql`i.occurred_at >= ${f.from}`);
  if (f.to) where.push(sql`i.occurred_at < ${f.to}`);
  if (f.reportedBy) where.push(sql`i.reported_by = ${f.reportedBy}`);
  if (f.actionId) where.push(sql`exists (select 1 from incident_links l where l.incident_id = i.id and l.target_kind = 'action' and l.target_id = ${f.actionId})`);
  if (f.caseId) where.push(sql`exists (select 1 from incident_links l where l.incident_id = i.id and l.target_kind = 'case' and l.target_id = ${f.caseId})`);
  if (f.bbox) {
    const [minLon, minLat, maxLon, maxLat] = f.bbox;
    where.push(sql`i.lon between ${minLon} and ${maxLon} and i.lat between ${minLat} and ${maxLat}`);
  }
  return sql.join(where, sql` and `);
}

/**
 * The list's total. Filtered by status, category and organisation at most (the list as it opens), it is summed
 * from kept counts — rows kept by triggers in the same transaction as each change — in two parts that do not
 * overlap (the access core's rule split in two): from incident_counts the incidents visible through the
 * organisation rule, and from incident_reporter_counts the actor's own reports that only the reporter tie makes
 * visible (restricted ones where they read but do not manage, any in organisations they may not read). Their own
 * reports alone (`mine`), with the same filters at most, are a sum over incident_reporter_counts too: each is
 * visible to its reporter. Any other filter (period, box, links, one incident) counts the matching incidents themselves.
 */
function countSql(vis: Access, f: IncidentFilter, where: SQL): SQL {
  const mine = f.reportedBy !== undefined && f.reportedBy === vis.actorId;
  if (f.from || f.to || f.bbox || (f.reportedBy && !mine) || f.id || f.actionId || f.caseId) return sql`(select count(*)::int from incidents i where ${where})`;
  const keys = (alias: string) => {
    const k: SQL[] = [];
    if (f.status) k.push(sql`${sql.raw(alias)}.status = ${f.status}`);
    if (f.categoryId) k.push(sql`${sql.raw(alias)}.category_id = ${f.categoryId}`);
    if (f.organisationId) k.push(sql`${sql.raw(alias)}.organisation_id = ${f.organisationId}`);
    return k.length ? sql` and ${sql.join(k, sql` and `)}` : sql``;
  };
  const byReporter = (only: SQL) => sql`(select coalesce(sum(r.n), 0) from incident_reporter_counts r where r.reported_by = ${vis.actorId}${only}${keys('r')})`;
  if (mine) return sql`${byReporter(sql``)}::int`;
  const byOrg = incidentVisibleByOrgSql(vis, sql`k.organisation_id`, sql`k.secret`);
  const own = incidentsAllVisibleByOrg(vis) ? sql`0` : byReporter(sql` and not ${incidentVisibleByOrgSql(vis, sql`r.organisation_id`, sql`r.secret`)}`);
  return sql`((select coalesce(sum(k.n), 0) from incident_counts k where ${byOrg}${keys('k')}) + ${own})::int`;
}

/** The page's incident rows, newest first (the occurred-at index, stopping at `limit`). */
const pageSql = (where: SQL, f: IncidentFilter) => sql`
  select i.* from incidents i where ${where}
  order by i.occurred_at desc, i.id
  limit ${f.limit ?? 100} offset ${f.offset ?? 0}`;

export const incidentsRepo = {
  listCategories: (ex: Executor) => ex.select().from(incidentCategories).orderBy(asc(incidentCategories.sortOrder), asc(incidentCategories.name)),
  findCategory: (ex: Executor, id: string) => one(ex.select().from(incidentCategories).where(eq(incidentCategories.id, id))),
  findCategoryByKey: (ex: Executor, key: string) => one(ex.select().from(incidentCategories).where(eq(incidentCategories.key, key))),
  insertCategory: (ex: Executor, v: typeof incidentCategories.$inferInsert) => one(ex.insert(incidentCategories).values(v).returning()) as Promise<CategoryRow>,
  updateCategory: (ex: Executor, id: string, version: number, v: Partial<typeof incidentCategories.$inferInsert>) => updateVersioned(ex, incidentCategories, id, version, v),

  findIncident: (ex: Executor, id: string) => one(ex.select().from(incidents).where(eq(incidents.id, id))),
  insertIncident: (ex: Executor, v: typeof incidents.$inferInsert) => one(ex.insert(incidents).values(v).returning()) as Promise<IncidentRow>,
  updateIncident: (ex: Executor, id: string, version: number, v: Partial<typeof incidents.$inferInsert>) => updateVersioned(ex, incidents, id, version, v),
  /** The optimistic update answering the joined row (names of category, organisation, people), in one statement; undefined on a stale version. */
  async updateIncidentJoined(ex: Executor, id: string, version: number, v: Partial<typeof incidents.$inferInsert>) {
    const sets: SQL[] = [];
    for (const [k, value] of Object.entries(v)) {
      const col = (incidentColumns as Record<string, AnyPgColumn>)[k];
      if (!col || value === undefined) continue;
      sets.push(sql`${sql.identifier(col.name)} = ${value === null ? sql`null` : sql.param(value, col)}`);
    }
    sets.push(sql`version = version + 1`, sql`updated_at = now()`);
    const res = await ex.execute<IncidentListRow>(sql`
      with i as (update incidents set ${sql.join(sets, sql`, `)} where id = ${id} and version = ${version} returning *)
      select ${joinedColumns}, 1 as total from i ${joins}`);
    return res.rows[0];
  },

  /** Incidents the actor may see, filtered and paged in SQL (no total: one incident, or a page without a count). */
  async listIncidents(ex: Executor, vis: Access, f: IncidentFilter) {
    const res = await ex.execute<IncidentListRow>(sql`
      select ${joinedColumns}, null::int as total
      from (${pageSql(incidentListWhere(vis, f), f)}) i ${joins}
      order by i.occurred_at desc, i.id`);
    return res.rows;
  },

  /**
   * One page of the incidents the actor may see and how many there are, in one statement: the page walks the
   * occurred-at index and stops after `limit` rows, and names are read for the page's rows only; the total is
   * counted on its own (a window count, `count(*) over ()`, would join and sort every matching row before the
   * limit) and rides on every row; an empty page asks for it in a second statement. Without a filter, or
   * filtered by status, category or organisation only, the total comes from the kept counts (see countSql).
   */
  async pageIncidents(ex: Executor, vis: Access, f: IncidentFilter) {
    const where = incidentListWhere(vis, f);
    // One join (the category, two columns) and the other names as scalar subqueries: planning the statement
    // with four joins and the count as a lateral driving row cost more than running it (0.4–0.5 ms against
    // 0.3 ms at 200 000 incidents; bench/README.md item 1). The total is an uncorrelated subquery, computed once.
    const res = await ex.execute<IncidentListRow>(sql`
      select i.*, c.key as category_key, c.name as category_name,
        (select o.name from organisations o where o.id = i.organisation_id) as organisation_name,
        (select r.name from users r where r.id = i.reported_by) as reporter_name,
        (select w.name from users w where w.id = i.owner_id) as owner_name,
        (select coalesce(json_agg(ck.* order by ck.started_at), '[]'::json) from incident_clocks ck where ck.incident_id = i.id) as clocks,
        ${countSql(vis, f, where)} as total
      from (${pageSql(where, f)}) i
      join incident_categories c on c.id = i.category_id
      order by i.occurred_at desc, i.id`);
    // An empty page (past the end, or nothing visible) carries no row to hold the total: count on its own.
    const total = res.rows.length ? res.rows[0].total! : (await ex.execute<{ total: number }>(sql`select ${countSql(vis, f, where)} as total`)).rows[0].total;
    const rows = res.rows;
    // The page's legal clocks come in the same statement (one round trip for the whole list), as JSON rows.
    const clocks = rows.flatMap((r) => ((r.clocks ?? []) as Record<string, unknown>[]).map(clockFromJson));
    return { rows, total, clocks };
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

  tasksOf: (ex: Executor, incidentId: string) =>
    ex
      .select({ ...getTableColumns(incidentTasks), assigneeName: sql<string | null>`(select u.name from users u where u.id = ${incidentTasks.assigneeId})` })
      .from(incidentTasks)
      .where(eq(incidentTasks.incidentId, incidentId))
      .orderBy(asc(incidentTasks.dueDate), asc(incidentTasks.createdAt)),
  /** Open tasks assigned to the user, on incidents they (still) may see. */
  async openTasksOf(ex: Executor, vis: Access, userId: string) {
    const res = await ex.execute<{ id: string; incident_id: string; title: string; due_date: string; assignee_id: string; assignee_name: string; done_at: null; version: number; category_name: string; occurred_at: Date; organisation_name: string }>(sql`
      select t.id, t.incident_id, t.title, t.due_date::text as due_date, t.assignee_id, u.name as assignee_name, t.done_at, t.version,
             c.name as category_name, i.occurred_at, o.name as organisation_name
      from incident_tasks t join incidents i on i.id = t.incident_id join incident_categories c on c.id = i.category_id
        join organisations o on o.id = i.organisation_id join users u on u.id = t.assignee_id
      where t.assignee_id = ${userId} and t.done_at is null and ${incidentVisibleSql(vis)}
      order by t.due_date, t.created_at limit 500`);
    return res.rows;
  },
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

  // --- Links (see the incident_links table) ---
  /** The incident's links; a target's title (and a case's number) only where the reader may see the target. */
  async linksOf(ex: Executor, incidentId: string, programScope: string[], caseVis: Access) {
    const res = await ex.execute<{ id: string; target_kind: 'action' | 'case'; target_id: string; created_at: Date; title: string | null; reference: string | null }>(sql`
      select l.id, l.target_kind, l.target_id, l.created_at,
             case when l.target_kind = 'action' then (select a.title from plan_actions a ${actionJoins} where a.id = l.target_id and ${actionReadableSql(programScope)})
                  when l.target_kind = 'case' then (select c.title from cases c where c.id = l.target_id and ${caseVisibleSql(caseVis)}) end as title,
             case when l.target_kind = 'case' then (select c.registry_number from cases c where c.id = l.target_id and ${caseVisibleSql(caseVis)}) end as reference
      from incident_links l where l.incident_id = ${incidentId} order by l.created_at, l.id`);
    return res.rows;
  },
  findLink: (ex: Executor, incidentId: string, id: string) => one(ex.select().from(incidentLinks).where(and(eq(incidentLinks.id, id), eq(incidentLinks.incidentId, incidentId)))),
  /** Undefined when the link already exists. */
  insertLink: (ex: Executor, v: typeof incidentLinks.$inferInsert) => one(ex.insert(incidentLinks).values(v).onConflictDoNothing().returning()),
  deleteLink: (ex: Executor, id: string) => one(ex.delete(incidentLinks).where(eq(incidentLinks.id, id)).returning()),
  /** The action's title if it exists and the reader may see it. */
  async readableAction(ex: Executor, id: string, programScope: string[]) {
    const res = await ex.execute<{ id: string; title: string }>(sql`select a.id, a.title from plan_actions a ${actionJoins} where a.id = ${id} and ${actionReadableSql(programScope)}`);
    return res.rows[0];
  },
  /** Actions the reader may see whose title contains `q`, with their program as context. */
  async searchActions(ex: Executor, programScope: string[], q: string | undefined, limit: number) {
    const like = q ? `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
    const res = await ex.execute<{ id: string; title: string; program_title: string }>(sql`
      select a.id, a.title, p.title as program_title from plan_actions a ${actionJoins}
      where ${actionReadableSql(programScope)} ${like ? sql`and a.title ilike ${like}` : sql``}
      order by a.title, a.id limit ${limit}`);
    return res.rows;
  },
  /** The case's title and number if it exists and the reader may see it (a secret case only to those who may read it). */
  async readableCase(ex: Executor, id: string, vis: Access) {
    const res = await ex.execute<{ id: string; title: string; registry_number: string }>(sql`select c.id, c.title, c.registry_number from cases c where c.id = ${id} and ${caseVisibleSql(vis)}`);
    return res.rows[0];
  },
  /** Cases the reader may see whose title or registry number contains `q`, newest first. */
  async searchCases(ex: Executor, vis: Access, q: string | undefined, limit: number) {
    const like = q ? `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
    const res = await ex.execute<{ id: string; title: string; registry_number: string }>(sql`
      select c.id, c.title, c.registry_number from cases c
      where ${caseVisibleSql(vis)} ${like ? sql`and (c.title ilike ${like} or c.registry_number ilike ${like})` : sql``}
      order by c.registered_on desc, c.registry_number desc, c.id limit ${limit}`);
    return res.rows;
  },
};
