import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { one, updateVersioned, uuids } from '../../db/helpers.ts';
import { followUpReports, reportAttachments } from '../../db/schema/index.ts';
import { camel } from './program.rows.ts';

/** The SQL of follow-up reports and their attachments. */

export type ReportRow = typeof followUpReports.$inferSelect;

export const reportsRepo = {
  updateVersioned,
  insertAttachment: (ex: Executor, v: typeof reportAttachments.$inferInsert) =>
    one(ex.insert(reportAttachments).values(v).returning({ id: reportAttachments.id, filename: reportAttachments.filename, contentType: reportAttachments.contentType, size: reportAttachments.size, sha256: reportAttachments.sha256 })),
  findAttachment: (ex: Executor, reportId: string, id: string) =>
    one(ex.select().from(reportAttachments).where(and(eq(reportAttachments.id, id), eq(reportAttachments.reportId, reportId)))),
  deleteAttachment: (ex: Executor, id: string) => ex.delete(reportAttachments).where(eq(reportAttachments.id, id)),
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
        coalesce((select json_agg(json_build_object('id', x.id, 'filename', x.filename, 'contentType', x.content_type, 'size', x.size, 'secrecyRef', x.secrecy_ref) order by x.created_at)
                  from report_attachments x where x.report_id = r.id), '[]') as attachments
      from follow_up_reports r
      join follow_up_rounds rd on rd.id = r.round_id
      join plan_actions a on a.id = r.action_id
      join organisations o on o.id = r.organisation_id
      left join lateral (
        select pr.name as round_name, p.action_status, p.progress from follow_up_reports p
        join follow_up_rounds pr on pr.id = p.round_id
        where p.action_id = r.action_id and pr.program_id = rd.program_id and pr.status = 'closed' and pr.opened_at < rd.opened_at and p.state = 'submitted'
        order by pr.opened_at desc limit 1
      ) prev on true
      where ${sql.join(conds, sql` and `)}
      order by rd.deadline, o.name, a.title`);
    return res.rows.map((row) => camel(row));
  },
};
