import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';

/**
 * The agenda's SQL: typed rows, no rules. Every query takes the organisations (scope) and the access core's
 * visibility clause from the service; nothing here decides who may see what.
 */

export type ReportRow = { id: string; round_id: string; round_name: string; deadline: string; action_id: string; action_title: string; organisation_name: string; state: string };
export type TaskRow = { id: string; incident_id: string; title: string; due_date: string; category_name: string; category_key: string | null };
export type RemissRow = { recipient_id: string; case_id: string; registry_number: string; title: string; organisation_name: string; reply_by: string };
export type AssignmentRow = { id: string; case_id: string; registry_number: string; text: string; organisation_name: string; due_date: string | null };
export type ReviewRow = { id: string; title: string; next_review_on: string };

const LIMIT = 50;

export type WorkEnvironmentDueRow = { id: string; incident_id: string; category_name: string; due_at: Date | string };

export const agendaRepo = {
  /** Unsubmitted reports of open rounds for actions of `scope`'s organisations; `actionVisible` over the action `a`. */
  async reportsDue(ex: Executor, scope: string[], actionVisible: SQL): Promise<ReportRow[]> {
    if (!scope.length) return [];
    const r = await ex.execute<ReportRow>(sql`
      select fr.id, fr.round_id, ro.name as round_name, ro.deadline::text as deadline, a.id as action_id, a.title as action_title,
             o.name as organisation_name, fr.state
      from follow_up_reports fr
        join follow_up_rounds ro on ro.id = fr.round_id
        join plan_actions a on a.id = fr.action_id
        join organisations o on o.id = fr.organisation_id
      where ro.status = 'open' and fr.state <> 'submitted' and fr.organisation_id = any(${uuids(scope)}) and ${actionVisible}
      order by ro.deadline, a.title limit ${LIMIT}`);
    return r.rows;
  },

  /** Open incident tasks assigned to `userId`; `incidentVisible` over the incident `i`. */
  async incidentTasks(ex: Executor, userId: string, incidentVisible: SQL): Promise<TaskRow[]> {
    const r = await ex.execute<TaskRow>(sql`
      select t.id, t.incident_id, t.title, t.due_date::text as due_date, c.name as category_name, c.key as category_key
      from incident_tasks t join incidents i on i.id = t.incident_id join incident_categories c on c.id = i.category_id
      where t.assignee_id = ${userId} and t.done_at is null and ${incidentVisible}
      order by t.due_date, t.created_at limit ${LIMIT}`);
    return r.rows;
  },

  /**
   * Serious staff incidents not yet reported to Arbetsmiljöverket (a running work-environment clock) that the
   * user owns or may manage (`scope`: incidents.manage); `incidentVisible` over `i`. The same people get the
   * overdue mail (incidents.workenv.ts).
   */
  async workEnvironmentDue(ex: Executor, userId: string, scope: string[], incidentVisible: SQL): Promise<WorkEnvironmentDueRow[]> {
    const r = await ex.execute<WorkEnvironmentDueRow>(sql`
      select k.id, k.incident_id, c.name as category_name, k.started_at + make_interval(mins => k.duration_minutes) as due_at
      from incident_clocks k join incidents i on i.id = k.incident_id join incident_categories c on c.id = i.category_id
      where k.kind = 'work_environment_report' and k.stopped_at is null
        and (i.owner_id = ${userId} or i.organisation_id = any(${uuids(scope)})) and ${incidentVisible}
      order by due_at limit ${LIMIT}`);
    return r.rows;
  },

  /** New (not taken up) incidents of `scope`'s organisations; `incidentVisible` over `i`. */
  async newIncidents(ex: Executor, scope: string[], incidentVisible: SQL): Promise<{ count: number; oldest: string | null }> {
    if (!scope.length) return { count: 0, oldest: null };
    const r = await ex.execute<{ count: number; oldest: Date | string | null }>(sql`
      select count(*)::int as count, min(i.occurred_at) as oldest from incidents i
      where i.status = 'new' and i.organisation_id = any(${uuids(scope)}) and ${incidentVisible}`);
    const row = r.rows[0];
    const oldest = row?.oldest ? new Date(row.oldest).toISOString() : null;
    return { count: Number(row?.count ?? 0), oldest };
  },

  /** Pending internal remiss recipients among `scope` in open rounds; `caseVisible` is not needed: the letter is addressed to them. */
  async remissesToAnswer(ex: Executor, scope: string[]): Promise<RemissRow[]> {
    if (!scope.length) return [];
    const r = await ex.execute<RemissRow>(sql`
      select p.id as recipient_id, c.id as case_id, c.registry_number, o.title, g.name as organisation_name, p.reply_by::text as reply_by
      from remiss_recipients p join remiss_rounds o on o.id = p.round_id join cases c on c.id = o.case_id join organisations g on g.id = p.organisation_id
      where p.channel = 'internal' and p.status = 'pending' and o.status = 'open' and p.organisation_id = any(${uuids(scope)})
      order by p.reply_by, g.name limit ${LIMIT}`);
    return r.rows;
  },

  /** Open assignments to `scope`'s organisations; `assignmentVisible` over the case `c` and the assignment `a`. */
  async openAssignments(ex: Executor, scope: string[], assignmentVisible: SQL): Promise<AssignmentRow[]> {
    if (!scope.length) return [];
    const r = await ex.execute<AssignmentRow>(sql`
      select a.id, c.id as case_id, c.registry_number, a.text, o.name as organisation_name, a.due_date::text as due_date
      from assignments a join cases c on c.id = a.case_id join organisations o on o.id = a.organisation_id
      where a.status = 'open' and a.organisation_id = any(${uuids(scope)}) and ${assignmentVisible}
      order by a.due_date nulls last, c.registry_number limit ${LIMIT}`);
    return r.rows;
  },

  /** Documents in force owned by `scope`'s organisations due for review by `until`; `documentVisible` over `governing_documents`. */
  async reviewsDue(ex: Executor, scope: string[], until: string, documentVisible: SQL): Promise<ReviewRow[]> {
    if (!scope.length) return [];
    const r = await ex.execute<ReviewRow>(sql`
      select governing_documents.id, governing_documents.title, governing_documents.next_review_on::text as next_review_on
      from governing_documents
      where governing_documents.status = 'in_force' and governing_documents.next_review_on <= ${until}::date
        and governing_documents.owner_organisation_id = any(${uuids(scope)}) and ${documentVisible}
      order by governing_documents.next_review_on limit ${LIMIT}`);
    return r.rows;
  },

  /** Active shares with the partner (`active` is the access core's clause over `s`). */
  async activeShares(ex: Executor, active: SQL): Promise<{ count: number; next_ending: string | null }> {
    const r = await ex.execute<{ count: number; next_ending: string | null }>(sql`
      select count(*)::int as count, min(s.ends_on)::text as next_ending from shares s where ${active}`);
    return { count: Number(r.rows[0]?.count ?? 0), next_ending: r.rows[0]?.next_ending ?? null };
  },

  /** Active users holding `role` on the organisation itself (the municipality's coordinators). */
  async holdersOf(ex: Executor, organisationId: string, role: string): Promise<{ name: string; email: string }[]> {
    const r = await ex.execute<{ name: string; email: string }>(sql`
      select distinct u.name, u.email from users u join role_grants g on g.user_id = u.id
      where g.organisation_id = ${organisationId} and g.role = ${role} and u.active order by u.name limit 5`);
    return r.rows;
  },

  async organisationName(ex: Executor, id: string): Promise<string> {
    const r = await ex.execute<{ name: string }>(sql`select name from organisations where id = ${id}`);
    return r.rows[0]?.name ?? '';
  },
};
