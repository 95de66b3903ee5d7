import { eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { one, updateVersioned, uuids } from '../../db/helpers.ts';
import { planActionContributors, planActions } from '../../db/schema/index.ts';
import { camel, dateOnly } from './program.rows.ts';

/** The SQL of plan actions and their contributing organisations: typed rows, no rules. */

export type ActionRow = typeof planActions.$inferSelect;

export interface ActionFilter {
  /** One action (still subject to `visible`). */
  id?: string;
  programId?: string;
  goalId?: string;
  /** Responsible organisation (or contributor) within these ids. */
  organisationIds?: string[];
  /** Visibility: the access core's clause for plan actions over alias `a` (actionVisibleSql); undefined = all. */
  visible?: SQL;
  /** Responsible or contributing organisation within these ids (Mina uppgifter: where the reader reports). */
  involving?: string[];
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

export const actionsRepo = {
  updateVersioned,
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
  /**
   * Actions with their program, responsible organisation's name and contributors; filtered in SQL. One pass over
   * the matching actions (issue #12): the filter and the access core's clause are applied once, into a
   * materialised set of their ids and sort keys (the goal's rank by focus-area and goal number: equal numbers in
   * two programmes rank equal, as they sorted before), the total is that set's size and the page its first rows by the
   * list's order (a top-N sort of the narrow keys), the page's rows then read by primary key with their names
   * and contributors. The order runs over focus areas and goals, so no index gives the page and every matching
   * action is read anyway; the former `count(*) over ()` sorted every matching row whole (2–5× the bare page at
   * 200 000 actions), a separate count read them twice (2× with a selective filter). The total is by
   * construction the number of rows the reader can page through.
   */
  async listActions(ex: Executor, f: ActionFilter): Promise<ActionListRow[] & { total: number }> {
    const conds = [sql`true`];
    if (f.id) conds.push(sql`a.id = ${f.id}`);
    // Over the action's goal, so that the count of a page past the end (plan_actions alone) can read it too.
    if (f.programId) conds.push(sql`a.goal_id in (select pg.id from goals pg join focus_areas pf on pf.id = pg.focus_area_id where pf.program_id = ${f.programId})`);
    if (f.goalId) conds.push(sql`a.goal_id = ${f.goalId}`);
    if (f.subArea) conds.push(sql`${f.subArea} = any(a.sub_areas)`);
    if (f.status) conds.push(sql`a.status = ${f.status}`);
    const orgMatch = (ids: string[]) =>
      sql`(a.responsible_organisation_id = any(${uuids(ids)}) or exists (select 1 from plan_action_contributors c where c.action_id = a.id and c.organisation_id = any(${uuids(ids)})))`;
    if (f.organisationIds) conds.push(sql`a.responsible_organisation_id = any(${uuids(f.organisationIds)})`);
    if (f.visible) conds.push(f.visible);
    if (f.involving) conds.push(orgMatch(f.involving));
    const where = sql.join(conds, sql` and `);
    const counted = sql`select count(*)::int from plan_actions a where ${where}`;
    const r = await ex.execute<Record<string, unknown>>(sql`
      with k as (
        select g.id, f.program_id, dense_rank() over (order by f.number, g.number)::int as goal_rank
        from goals g join focus_areas f on f.id = g.focus_area_id),
      m as materialized (
        select a.id, k.goal_rank, a.parent_action_id, a.created_at from plan_actions a join k on k.id = a.goal_id where ${where})
      select a.*, k.program_id, o.name as responsible_organisation_name,
        coalesce((select array_agg(c.organisation_id order by c.organisation_id) from plan_action_contributors c where c.action_id = a.id), '{}') as contributor_ids,
        (select count(*)::int from m) as total
      from (select * from m order by goal_rank, parent_action_id nulls first, created_at, id
            limit ${f.limit ?? 100000} offset ${f.offset ?? 0}) p
      join plan_actions a on a.id = p.id
      join k on k.id = a.goal_id
      join organisations o on o.id = a.responsible_organisation_id
      order by p.goal_rank, p.parent_action_id nulls first, p.created_at, p.id`);
    const rows = r.rows.map(toActionListRow);
    // A page past the end has no row to carry the total: count on its own then (the same conditions).
    const total = rows[0]?.total ?? (f.offset ? (await ex.execute<{ n: number }>(sql`select (${counted}) as n`)).rows[0].n : 0);
    return Object.assign(rows, { total });
  },
};

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
