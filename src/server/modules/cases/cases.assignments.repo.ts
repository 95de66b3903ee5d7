import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { pageBound, uuids } from '../../db/helpers.ts';
import { assignmentActions, assignments } from '../../db/schema/index.ts';
import type { Assignment } from '../../../shared/schemas/decisions.ts';
import { assignmentVisibleSql, type Access } from '../../access/index.ts';

/** The SQL of assignments (uppdrag) and their linked plan actions: typed rows, no rules. */

export type AssignmentRow = typeof assignments.$inferSelect;

export interface AssignmentListRow extends Record<string, unknown> {
  id: string; clause_id: string; decision_id: string; case_id: string; registry_number: string; case_title: string; body_name: string; body_short: string | null;
  decided_on: string | null; paragraph: number | null; organisation_id: string; organisation_name: string; text: string; due_date: string | null;
  status: Assignment['status']; done_on: string | null; version: number; case_org: string; case_registry_org: string; case_officer: string | null;
}

export interface AssignmentActionRow extends Record<string, unknown> {
  assignment_id: string; id: string; title: string; status: string; progress: number;
}

export interface AssignmentFilter {
  id?: string;
  /** Assignee organisation within these ids (a subtree). */
  organisationIds?: string[];
  caseId?: string;
  status?: string;
}

/**
 * Assignee organisation among `ids`: an equality for one organisation (a leaf, the list filtered on one
 * organisation), which the executor tests on each row the index scan reads more cheaply than `= any` of a
 * one-element array (1 000+ rows for a page of one organisation's open assignments); `= any` otherwise.
 */
function assigneeIn(ids: string[]): SQL {
  return ids.length === 1 ? sql`a.organisation_id = ${ids[0]}::uuid` : sql`a.organisation_id = any(${uuids(ids)})`;
}

/** The zero uuid: assignment_counts' key for a case without officer. */
const NO_OFFICER = sql.raw(`'00000000-0000-0000-0000-000000000000'::uuid`);

/**
 * The total of the list. Filtered by status and assignee organisation at most: a sum over assignment_counts
 * (kept by triggers, migration 0022), each counter row seen through aliases c and a that carry the columns the
 * access core's assignment rule reads, so the rule is the same clause as for the rows. Otherwise the matching
 * rows are counted.
 */
function countSql(vis: Access, f: AssignmentFilter, where: SQL): SQL {
  if (f.id || f.caseId)
    return sql`(select count(*)::int from assignments a join cases c on c.id = a.case_id where ${where})`;
  return sql`(select coalesce(sum(k.n), 0)::int from assignment_counts k
    cross join lateral (select k.case_organisation_id as organisation_id, k.case_registry_organisation_id as registry_organisation_id,
      nullif(k.case_officer_id, ${NO_OFFICER}) as officer_id, case when k.case_secret then 'secret' end as secrecy_ref) c
    cross join lateral (select k.organisation_id, k.status) a
    where k.n <> 0 and ${assignmentVisibleSql(vis)}
      ${f.organisationIds ? sql`and ${assigneeIn(f.organisationIds)}` : sql``}
      ${f.status ? sql`and a.status = ${f.status}` : sql``})`;
}

export const assignmentsRepo = {
  /**
   * One page of assignments and how many there are, in one statement, the way the case list does it
   * (cases.repo listCases): the page walks assignments in list order (index on status, due date) and stops
   * after `limit` rows, names are joined for the page's rows only, and the total is counted on its own (a
   * window count, `count(*) over ()`, would join and sort every matching row before the limit). The count is
   * the driving row, so a page past the end still carries the total. Filtered by status and assignee
   * organisation at most (the list as it opens), the total is a sum over assignment_counts with the access
   * core's own clause (countSql); otherwise the matching rows are counted.
   */
  async list(ex: Executor, vis: Access, f: AssignmentFilter, page: { limit?: number; offset?: number }): Promise<{ rows: AssignmentListRow[]; total: number }> {
    const conditions = [
      assignmentVisibleSql(vis),
      f.id ? sql`a.id = ${f.id}` : undefined,
      f.organisationIds ? assigneeIn(f.organisationIds) : undefined,
      f.caseId ? sql`a.case_id = ${f.caseId}` : undefined,
      f.status ? sql`a.status = ${f.status}` : undefined,
    ].filter((c): c is SQL => !!c);
    const where = sql.join(conditions, sql` and `);
    // The page first (the inner query walks assignments_list_idx and stops at the limit), then its decision and
    // the two organisations' names joined for the page's 50 rows only, and the total an uncorrelated subquery
    // (computed once) on every row. The names were scalar subqueries: three per row, each a scan of the
    // organisations, 150 per page — 0.3–0.4 ms of a 1.1 ms execution, where joins hash the organisations once
    // (bench/README.md item 1, 2026-12-08). An empty page (past the end, or nothing visible) carries no row to
    // hold the total: it is counted in a second statement. The dates are answered as the driver gives a date
    // ('YYYY-MM-DD', db/client.ts), without a to_char per date (about 0.7 µs a call, 150 a page).
    const res = await ex.execute<AssignmentListRow & { total: number }>(sql`
      select p.id, p.clause_id, p.decision_id, p.case_id, p.registry_number, p.case_title,
        b.name as body_name, b.short_name as body_short,
        d.decided_on, d.paragraph, p.organisation_id, o.name as organisation_name, p.text,
        p.due_date, p.status, p.done_on, p.version,
        p.case_org, p.case_registry_org, p.case_officer, ${countSql(vis, f, where)} as total
      from (
        select a.id, a.clause_id, a.decision_id, a.case_id, c.registry_number, c.title as case_title, a.organisation_id, a.text, a.due_date,
          a.status, a.done_on, a.version, c.organisation_id as case_org, c.registry_organisation_id as case_registry_org, c.officer_id as case_officer
        from assignments a
        join cases c on c.id = a.case_id
        where ${where}
        order by a.status, a.due_date nulls last, c.registry_number, a.id
        limit ${pageBound(page.limit ?? 100)} offset ${pageBound(page.offset ?? 0)}
      ) p
      join decisions d on d.id = p.decision_id
      join organisations b on b.id = d.body_organisation_id
      join organisations o on o.id = p.organisation_id
      order by p.status, p.due_date nulls last, p.registry_number, p.id`);
    const total = res.rows.length ? Number(res.rows[0].total) : (await ex.execute<{ total: number }>(sql`select ${countSql(vis, f, where)} as total`)).rows[0].total;
    return { rows: res.rows, total };
  },

  async actionsOf(ex: Executor, ids: string[]): Promise<AssignmentActionRow[]> {
    if (!ids.length) return [];
    const res = await ex.execute<AssignmentActionRow>(sql`
          select aa.assignment_id, p.id, p.title, p.status, p.progress from assignment_actions aa join plan_actions p on p.id = aa.action_id
          where aa.assignment_id = any(${uuids(ids)}) order by p.title`);
    return res.rows;
  },

  async insert(ex: Executor, values: typeof assignments.$inferInsert): Promise<AssignmentRow> {
    const [row] = await ex.insert(assignments).values(values).returning();
    return row;
  },

  /** Sets the status if the version still is `version`; undefined when it is not. */
  async setStatus(ex: Executor, id: string, version: number, values: { status: AssignmentRow['status']; doneOn: string | null }): Promise<AssignmentRow | undefined> {
    const res = await ex
      .update(assignments)
      .set({ status: values.status, doneOn: values.doneOn, version: sql`${assignments.version} + 1`, updatedAt: new Date() })
      .where(and(eq(assignments.id, id), eq(assignments.version, version)))
      .returning();
    return res[0];
  },

  /** The plan action's programme owner and responsible organisation, if it exists. */
  async actionOrganisations(ex: Executor, actionId: string): Promise<{ owner: string; responsible: string } | undefined> {
    const action = await ex.execute<{ owner: string; responsible: string }>(sql`
          select p.owner_organisation_id as owner, a.responsible_organisation_id as responsible
          from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id
          where a.id = ${actionId}`);
    return action.rows[0];
  },

  async linkAction(ex: Executor, values: typeof assignmentActions.$inferInsert) {
    await ex.insert(assignmentActions).values(values);
  },

  async unlinkAction(ex: Executor, assignmentId: string, actionId: string) {
    await ex.delete(assignmentActions).where(and(eq(assignmentActions.assignmentId, assignmentId), eq(assignmentActions.actionId, actionId)));
  },
};
