import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { one, updateVersioned, uuids } from '../../db/helpers.ts';
import { focusAreas, followUpReports, followUpRounds, goals, planActionContributors, planActions, programs, reportAttachments } from '../../db/schema/index.ts';

export type ProgramRow = typeof programs.$inferSelect;
export type FocusAreaRow = typeof focusAreas.$inferSelect;
export type GoalRow = typeof goals.$inferSelect;
export type ActionRow = typeof planActions.$inferSelect;
export type RoundRow = typeof followUpRounds.$inferSelect;
export type ReportRow = typeof followUpReports.$inferSelect;

export type RollupActionRow = {
  id: string;
  parent_action_id: string | null;
  goal_id: string;
  status: string;
  progress: number;
  weight: string;
  start_date: string | null;
  end_date: string | null;
  responsible_organisation_id: string;
  sub_areas: string[];
  title?: string;
  is_example?: boolean;
};

export interface ActionFilter {
  /** One action (still subject to `scope`). */
  id?: string;
  programId?: string;
  goalId?: string;
  /** Responsible organisation (or contributor) within these ids. */
  organisationIds?: string[];
  /** Visibility: responsible or contributing organisation within these ids; undefined = all. */
  scope?: string[];
  subArea?: string;
  status?: string;
  limit?: number;
  offset?: number;
}

export interface ActionListRow extends ActionRow {
  responsibleOrganisationName: string;
  contributorIds: string[];
  programId: string;
  total: number;
}

export const programRepo = {
  updateVersioned,

  listPrograms: (ex: Executor) => ex.select().from(programs).orderBy(asc(programs.title)),
  findProgram: (ex: Executor, id: string) => one(ex.select().from(programs).where(eq(programs.id, id))),
  insertProgram: (ex: Executor, v: typeof programs.$inferInsert) => one(ex.insert(programs).values(v).returning()) as Promise<ProgramRow>,

  listFocusAreas: (ex: Executor, programId: string) =>
    ex.select().from(focusAreas).where(eq(focusAreas.programId, programId)).orderBy(asc(focusAreas.number)),
  findFocusArea: (ex: Executor, id: string) => one(ex.select().from(focusAreas).where(eq(focusAreas.id, id))),
  insertFocusArea: (ex: Executor, v: typeof focusAreas.$inferInsert) => one(ex.insert(focusAreas).values(v).returning()) as Promise<FocusAreaRow>,

  listGoals: (ex: Executor, programId: string) =>
    ex
      .select({ goal: goals })
      .from(goals)
      .innerJoin(focusAreas, eq(focusAreas.id, goals.focusAreaId))
      .where(eq(focusAreas.programId, programId))
      .orderBy(asc(focusAreas.number), asc(goals.number))
      .then((rows) => rows.map((r) => r.goal)),
  findGoal: (ex: Executor, id: string) => one(ex.select().from(goals).where(eq(goals.id, id))),
  insertGoal: (ex: Executor, v: typeof goals.$inferInsert) => one(ex.insert(goals).values(v).returning()) as Promise<GoalRow>,

  /** The program a goal, focus area or action belongs to (for policies on the program's owner). */
  async programOfGoal(ex: Executor, goalId: string) {
    const r = await ex.execute<{ program_id: string; owner: string }>(sql`
      select p.id as program_id, p.owner_organisation_id as owner from goals g
      join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id where g.id = ${goalId}`);
    return r.rows[0];
  },

  async hasSubActions(ex: Executor, id: string) {
    const r = await ex.execute(sql`select 1 from plan_actions where parent_action_id = ${id} limit 1`);
    return r.rows.length > 0;
  },
  findAction: (ex: Executor, id: string) => one(ex.select().from(planActions).where(eq(planActions.id, id))),
  insertAction: (ex: Executor, v: typeof planActions.$inferInsert) => one(ex.insert(planActions).values(v).returning()) as Promise<ActionRow>,
  async contributorsOf(ex: Executor, actionId: string) {
    const rows = await ex.select({ id: planActionContributors.organisationId }).from(planActionContributors).where(eq(planActionContributors.actionId, actionId));
    return rows.map((r) => r.id).sort();
  },
  async setContributors(ex: Executor, actionId: string, orgIds: string[]) {
    await ex.delete(planActionContributors).where(eq(planActionContributors.actionId, actionId));
    if (orgIds.length) await ex.insert(planActionContributors).values([...new Set(orgIds)].map((organisationId) => ({ actionId, organisationId })));
  },

  /** Actions with their program, responsible organisation's name and contributors; filtered in SQL. */
  async listActions(ex: Executor, f: ActionFilter): Promise<ActionListRow[]> {
    const conds = [sql`true`];
    if (f.id) conds.push(sql`a.id = ${f.id}`);
    if (f.programId) conds.push(sql`f.program_id = ${f.programId}`);
    if (f.goalId) conds.push(sql`a.goal_id = ${f.goalId}`);
    if (f.subArea) conds.push(sql`${f.subArea} = any(a.sub_areas)`);
    if (f.status) conds.push(sql`a.status = ${f.status}`);
    const orgMatch = (ids: string[]) =>
      sql`(a.responsible_organisation_id = any(${uuids(ids)}) or exists (select 1 from plan_action_contributors c where c.action_id = a.id and c.organisation_id = any(${uuids(ids)})))`;
    if (f.organisationIds) conds.push(sql`a.responsible_organisation_id = any(${uuids(f.organisationIds)})`);
    if (f.scope) conds.push(orgMatch(f.scope));
    const r = await ex.execute<Record<string, unknown>>(sql`
      select a.*, o.name as responsible_organisation_name, f.program_id,
        coalesce((select array_agg(c.organisation_id order by c.organisation_id) from plan_action_contributors c where c.action_id = a.id), '{}') as contributor_ids,
        count(*) over () as total
      from plan_actions a
      join goals g on g.id = a.goal_id
      join focus_areas f on f.id = g.focus_area_id
      join organisations o on o.id = a.responsible_organisation_id
      where ${sql.join(conds, sql` and `)}
      order by f.number, g.number, a.parent_action_id nulls first, a.created_at, a.id
      limit ${f.limit ?? 100000} offset ${f.offset ?? 0}`);
    return r.rows.map(toActionListRow);
  },

  /**
   * Everything the roll-up needs, in two round trips: the program, its focus areas and goals, and its
   * actions in compact form — only those the reader may see (`scope`: organisations where they hold
   * program.read; holding it on the program's owner shows every action).
   */
  /** The program (and whether the reader sees all of it), its focus areas and goals. */
  async rollupHead(ex: Executor, programId: string, scope: string[]) {
    const head = await ex.execute<{ program: { id: string; title: string; owner: string; seesAll: boolean } | null; focus: { id: string; number: number; title: string }[]; goals: { id: string; focusAreaId: string; number: number; text: string }[] }>(sql`
      select
        (select json_build_object('id', id, 'title', title, 'owner', owner_organisation_id, 'seesAll', owner_organisation_id = any(${uuids(scope)})) from programs where id = ${programId}) as program,
        (select coalesce(json_agg(json_build_object('id', f.id, 'number', f.number, 'title', f.title) order by f.number), '[]') from focus_areas f where f.program_id = ${programId}) as focus,
        (select coalesce(json_agg(json_build_object('id', g.id, 'focusAreaId', g.focus_area_id, 'number', g.number, 'text', g.text) order by g.number), '[]')
           from goals g join focus_areas f on f.id = g.focus_area_id where f.program_id = ${programId}) as goals`);
    return head.rows[0];
  },

  async rollupData(ex: Executor, programId: string, scope: string[], withTitles: boolean) {
    const { program, focus, goals } = await programRepo.rollupHead(ex, programId, scope);
    if (!program) return { program: null, focus: [], goals: [], actions: [] as RollupActionRow[] };
    // Plain rows: building JSON for thousands of actions costs more than the driver's row parsing.
    const actions = await ex.execute<RollupActionRow>(sql`
      select a.id, a.parent_action_id, a.goal_id, a.status, a.progress, a.weight, a.start_date, a.end_date, a.responsible_organisation_id, a.sub_areas${withTitles ? sql`, a.title, a.is_example` : sql``}
      from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id
      where f.program_id = ${programId}
      ${program.seesAll ? sql`` : sql`and (a.responsible_organisation_id = any(${uuids(scope)})
        or exists (select 1 from plan_action_contributors c where c.action_id = a.id and c.organisation_id = any(${uuids(scope)})))`}`);
    return { program, focus, goals, actions: actions.rows };
  },

  /**
   * The roll-up to goal level in one statement (sub-actions are one level deep): per visible top-level
   * action its progress (its sub-actions' weighted mean, else its own) and health (status, pace against
   * its dates, its sub-actions' red/amber weight shares), then per goal the weighted progress and the
   * red/amber shares. rollup.ts holds the same rules for the per-action drill-down; a test keeps them equal.
   */
  async rollupGoals(
    ex: Executor,
    programId: string,
    visibility: { seesAll: boolean; scope: string[] },
    f: { organisationIds?: string[]; subArea?: string; status?: string },
    rules: { today: string; paceRed: number; paceAmber: number; redShare: number; amberShare: number },
  ) {
    const r = await ex.execute<{ goal_id: string; progress: number | null; red: number | null; amber: number | null; n: number; not_started: number; in_progress: number; done: number; delayed: number; cancelled: number }>(sql`
      with v as (
        select a.id, a.parent_action_id, a.goal_id, a.status, a.progress, a.weight::float8 as w, a.start_date, a.end_date, a.responsible_organisation_id as org, a.sub_areas
        from plan_actions a join goals g on g.id = a.goal_id join focus_areas fa on fa.id = g.focus_area_id
        where fa.program_id = ${programId}
        ${visibility.seesAll ? sql`` : sql`and (a.responsible_organisation_id = any(${uuids(visibility.scope)})
          or exists (select 1 from plan_action_contributors c where c.action_id = a.id and c.organisation_id = any(${uuids(visibility.scope)})))`}
      ), h as (
        select v.*, case
          when status = 'cancelled' then 'none' when status = 'done' then 'green' when status = 'delayed' then 'red'
          when start_date is null or end_date is null then 'green'
          else case
            when (case when ${rules.today}::date <= start_date then 0 when ${rules.today}::date >= end_date then 100
                       else round(((${rules.today}::date - start_date)::numeric / greatest(end_date - start_date, 1)) * 100) end) - progress > ${rules.paceRed} then 'red'
            when (case when ${rules.today}::date <= start_date then 0 when ${rules.today}::date >= end_date then 100
                       else round(((${rules.today}::date - start_date)::numeric / greatest(end_date - start_date, 1)) * 100) end) - progress > ${rules.paceAmber} then 'amber'
            else 'green' end
          end as health
        from v
      ), kids as (
        select k.parent_action_id as id, round((sum(k.w * k.progress) / sum(k.w))::numeric, 1)::float8 as progress,
          coalesce(sum(k.w) filter (where k.health = 'red'), 0) / sum(k.w) as red,
          coalesce(sum(k.w) filter (where k.health = 'amber'), 0) / sum(k.w) as amber
        from h k where k.status <> 'cancelled' and k.parent_action_id in (select id from v)
        group by k.parent_action_id
      ), top as (
        select t.goal_id, t.status,
          case when t.status = 'cancelled' then 0 else t.w end as w,
          coalesce(k.progress, t.progress) as progress,
          case when t.status = 'cancelled' then 'none'
               when k.id is null then t.health
               when t.status = 'delayed' then 'red'
               when k.red >= ${rules.redShare} then 'red'
               when k.red > 0 or k.amber >= ${rules.amberShare} then 'amber'
               else 'green' end as health
        from h t left join kids k on k.id = t.id
        where (t.parent_action_id is null or t.parent_action_id not in (select id from v))
          ${f.organisationIds ? sql`and t.org = any(${uuids(f.organisationIds)})` : sql``}
          ${f.subArea ? sql`and ${f.subArea} = any(t.sub_areas)` : sql``}
          ${f.status ? sql`and t.status = ${f.status}` : sql``}
      )
      select goal_id,
        sum(w * progress) filter (where w > 0) / nullif(sum(w) filter (where w > 0), 0) as progress,
        coalesce(sum(w) filter (where w > 0 and health = 'red'), 0) / nullif(sum(w) filter (where w > 0), 0) as red,
        coalesce(sum(w) filter (where w > 0 and health = 'amber'), 0) / nullif(sum(w) filter (where w > 0), 0) as amber,
        count(*)::int as n,
        count(*) filter (where status = 'not_started')::int as not_started, count(*) filter (where status = 'in_progress')::int as in_progress,
        count(*) filter (where status = 'done')::int as done, count(*) filter (where status = 'delayed')::int as delayed,
        count(*) filter (where status = 'cancelled')::int as cancelled
      from top group by goal_id`);
    return r.rows;
  },

  insertAttachment: (ex: Executor, v: typeof reportAttachments.$inferInsert) =>
    one(ex.insert(reportAttachments).values(v).returning({ id: reportAttachments.id, filename: reportAttachments.filename, contentType: reportAttachments.contentType, size: reportAttachments.size, sha256: reportAttachments.sha256 })),
  findAttachment: (ex: Executor, reportId: string, id: string) =>
    one(ex.select().from(reportAttachments).where(and(eq(reportAttachments.id, id), eq(reportAttachments.reportId, reportId)))),
  deleteAttachment: (ex: Executor, id: string) => ex.delete(reportAttachments).where(eq(reportAttachments.id, id)),

  findRound: (ex: Executor, id: string) => one(ex.select().from(followUpRounds).where(eq(followUpRounds.id, id))),
  listRounds: (ex: Executor, programId?: string) =>
    ex
      .select()
      .from(followUpRounds)
      .where(programId ? eq(followUpRounds.programId, programId) : undefined)
      .orderBy(sql`${followUpRounds.openedAt} desc`),
  insertRound: (ex: Executor, v: typeof followUpRounds.$inferInsert) => one(ex.insert(followUpRounds).values(v).returning()) as Promise<RoundRow>,
  /** Counts of reports per state for rounds, limited to reports on organisations in scope (undefined = all). */
  async roundCounts(ex: Executor, roundIds: string[], scope?: string[]) {
    if (!roundIds.length) return new Map<string, Record<string, number>>();
    const r = await ex.execute<{ round_id: string; state: string; n: number }>(sql`
      select round_id, state, count(*)::int as n from follow_up_reports
      where round_id = any(${uuids(roundIds)}) ${scope ? sql`and organisation_id = any(${uuids(scope)})` : sql``}
      group by round_id, state`);
    const out = new Map<string, Record<string, number>>();
    for (const row of r.rows) {
      const m = out.get(row.round_id) ?? {};
      m[row.state] = row.n;
      out.set(row.round_id, m);
    }
    return out;
  },
  insertReports: (ex: Executor, rows: (typeof followUpReports.$inferInsert)[]) =>
    rows.length ? ex.insert(followUpReports).values(rows) : Promise.resolve(),
  findReport: (ex: Executor, id: string) => one(ex.select().from(followUpReports).where(eq(followUpReports.id, id))),

  /** Reports with their round, action and organisation; `scope` limits to reports of those organisations. */
  /**
   * `scope`: only reports of these organisations — or, with `managedPrograms`, also every report in
   * those programs (what a coordinator follows up).
   */
  async listReports(ex: Executor, f: { id?: string; roundId?: string; actionId?: string; organisationId?: string; state?: string; scope?: string[]; managedPrograms?: string[]; openOnly?: boolean }) {
    const conds = [sql`true`];
    if (f.id) conds.push(sql`r.id = ${f.id}`);
    if (f.actionId) conds.push(sql`r.action_id = ${f.actionId}`);
    if (f.roundId) conds.push(sql`r.round_id = ${f.roundId}`);
    if (f.organisationId) conds.push(sql`r.organisation_id = ${f.organisationId}`);
    if (f.state) conds.push(sql`r.state = ${f.state}`);
    if (f.scope)
      conds.push(
        f.managedPrograms?.length
          ? sql`(r.organisation_id = any(${uuids(f.scope)}) or rd.program_id = any(${uuids(f.managedPrograms)}))`
          : sql`r.organisation_id = any(${uuids(f.scope)})`,
      );
    if (f.openOnly) conds.push(sql`rd.status = 'open'`);
    const res = await ex.execute<Record<string, unknown>>(sql`
      select r.*, rd.name as round_name, rd.status as round_status, rd.deadline, rd.program_id, a.title as action_title, o.name as organisation_name,
        prev.round_name as prev_round_name, prev.action_status as prev_action_status, prev.progress as prev_progress,
        coalesce((select json_agg(json_build_object('id', x.id, 'filename', x.filename, 'contentType', x.content_type, 'size', x.size) order by x.created_at)
                  from report_attachments x where x.report_id = r.id), '[]') as attachments
      from follow_up_reports r
      join follow_up_rounds rd on rd.id = r.round_id
      join plan_actions a on a.id = r.action_id
      join organisations o on o.id = r.organisation_id
      left join lateral (
        select pr.name as round_name, p.action_status, p.progress from follow_up_reports p
        join follow_up_rounds pr on pr.id = p.round_id
        where p.action_id = r.action_id and pr.program_id = rd.program_id and pr.status = 'closed' and pr.opened_at < rd.opened_at
        order by pr.opened_at desc limit 1
      ) prev on true
      where ${sql.join(conds, sql` and `)}
      order by rd.deadline, o.name, a.title`);
    return res.rows.map((row) => camel(row));
  },

  /** Per organisation: how far its reports in a round have come. */
  async roundOverview(ex: Executor, roundId: string, scope?: string[]) {
    const r = await ex.execute<Record<string, unknown>>(sql`
      select r.organisation_id, o.name as organisation_name, count(*)::int as total,
        count(*) filter (where r.state = 'submitted')::int as submitted,
        count(*) filter (where r.state = 'draft')::int as draft,
        count(*) filter (where r.state = 'returned')::int as returned,
        count(*) filter (where r.state = 'not_started')::int as not_started
      from follow_up_reports r join organisations o on o.id = r.organisation_id
      where r.round_id = ${roundId} ${scope ? sql`and r.organisation_id = any(${uuids(scope)})` : sql``}
      group by r.organisation_id, o.name order by o.name`);
    return r.rows.map((row) => camel(row));
  },
};

function camel(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

function toActionListRow(row: Record<string, unknown>): ActionListRow {
  const c = camel(row) as Record<string, unknown>;
  return {
    ...(c as unknown as ActionRow),
    createdAt: new Date(c.createdAt as string),
    updatedAt: new Date(c.updatedAt as string),
    startDate: dateOnly(c.startDate),
    endDate: dateOnly(c.endDate),
    subAreas: (c.subAreas as string[]) ?? [],
    contributorIds: (c.contributorIds as string[]) ?? [],
    responsibleOrganisationName: c.responsibleOrganisationName as string,
    programId: c.programId as string,
    total: Number(c.total),
  };
}

/** A `date` column read through a raw query: pg gives a Date at local midnight, drizzle a string; keep the string. */
export function dateOnly(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    const y = v.getFullYear();
    const m = String(v.getMonth() + 1).padStart(2, '0');
    const d = String(v.getDate()).padStart(2, '0');
    return `${y}-${m}-${d}`;
  }
  return String(v).slice(0, 10);
}
