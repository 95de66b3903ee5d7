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
  /** Actions with their program, responsible organisation's name and contributors; filtered in SQL. */
  async listActions(ex: Executor, f: ActionFilter): Promise<ActionListRow[] & { total: number }> {
    const conds = [sql`true`];
    if (f.id) conds.push(sql`a.id = ${f.id}`);
    if (f.programId) conds.push(sql`f.program_id = ${f.programId}`);
    if (f.goalId) conds.push(sql`a.goal_id = ${f.goalId}`);
    if (f.subArea) conds.push(sql`${f.subArea} = any(a.sub_areas)`);
    if (f.status) conds.push(sql`a.status = ${f.status}`);
    const orgMatch = (ids: string[]) =>
      sql`(a.responsible_organisation_id = any(${uuids(ids)}) or exists (select 1 from plan_action_contributors c where c.action_id = a.id and c.organisation_id = any(${uuids(ids)})))`;
    if (f.organisationIds) conds.push(sql`a.responsible_organisation_id = any(${uuids(f.organisationIds)})`);
    if (f.visible) conds.push(f.visible);
    if (f.involving) conds.push(orgMatch(f.involving));
    // The page and the count in one statement, the way the case list does it (cases.repo listCases): the
    // page walks the actions goal by goal (index on goal, parent, creation) and stops after `limit` rows;
    // the responsible organisation's name and the contributors are fetched for the page's rows only; the total
    // is counted on its own (a window count, `count(*) over ()`, joins and sorts every matching row before the
    // limit). The count is the driving row, so a page past the end still carries the total.
    const where = sql.join(conds, sql` and `);
    const r = await ex.execute<Record<string, unknown>>(sql`
      with counted as (
        select count(*)::int as total from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id where ${where}
      )
      select p.*, counted.total
      from counted
      left join lateral (
        select p.*, o.name as responsible_organisation_name,
          coalesce((select array_agg(c.organisation_id order by c.organisation_id) from plan_action_contributors c where c.action_id = p.id), '{}') as contributor_ids
        from (
          select a.*, f.program_id, f.number as focus_number, g.number as goal_number
          from plan_actions a
          join goals g on g.id = a.goal_id
          join focus_areas f on f.id = g.focus_area_id
          where ${where}
          order by f.number, g.number, a.parent_action_id nulls first, a.created_at, a.id
          limit ${f.limit ?? 100000} offset ${f.offset ?? 0}
        ) p
        join organisations o on o.id = p.responsible_organisation_id
      ) p on true
      order by p.focus_number, p.goal_number, p.parent_action_id nulls first, p.created_at, p.id`);
    const total = Number(r.rows[0]?.total ?? 0);
    return Object.assign(r.rows.filter((row) => row.id !== null).map(toActionListRow), { total });
  },
};

function toActionListRow(row: Record<string, unknown>): ActionListRow {
  const { total: _total, focusNumber: _focus, goalNumber: _goal, ...c } = camel(row) as Record<string, unknown>;
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
  };
}
