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
   * Actions with their program, responsible organisation's name and contributors; filtered in SQL. The page is
   * the bare page (the visible actions sorted, names and contributors for the page's rows only); the total is
   * counted on its own in the same statement, an uncorrelated subquery computed once, over plan_actions alone
   * unless the filter names the programme (issue #12): no sort and no joins of every visible row, as the former
   * `count(*) over ()` did. The page and the count read the same conditions, so the total is the number of rows
   * the reader can page through.
   */
  async listActions(ex: Executor, f: ActionFilter): Promise<ActionListRow[] & { total: number }> {
    const conds = [sql`true`];
    if (f.id) conds.push(sql`a.id = ${f.id}`);
    // Over the action's goal, so that the count need not join the focus areas.
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
      select p.*, o.name as responsible_organisation_name,
        coalesce((select array_agg(c.organisation_id order by c.organisation_id) from plan_action_contributors c where c.action_id = p.id), '{}') as contributor_ids,
        (${counted}) as total
      from (select a.*, f.program_id, f.number as focus_number, g.number as goal_number
            from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id
            where ${where}
            order by f.number, g.number, a.parent_action_id nulls first, a.created_at, a.id
            limit ${f.limit ?? 100000} offset ${f.offset ?? 0}) p
      join organisations o on o.id = p.responsible_organisation_id
      order by p.focus_number, p.goal_number, p.parent_action_id nulls first, p.created_at, p.id`);
    const rows = r.rows.map(toActionListRow);
    // A page past the end has no row to carry the total: count on its own then.
    const total = rows[0]?.total ?? (f.offset ? (await ex.execute<{ n: number }>(sql`select (${counted}) as n`)).rows[0].n : 0);
    return Object.assign(rows, { total });
  },
};

function toActionListRow(row: Record<string, unknown>): ActionListRow {
  // The sort keys of the page (focus area and goal numbers) are not the action's.
  const { focusNumber: _f, goalNumber: _g, ...c } = camel(row) as Record<string, unknown>;
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
