import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { calendarTokens, notificationReads, notificationSettings, notifications } from '../../db/schema/index.ts';

/**
 * The notifications' own SQL: typed rows, no rules. The list's stored events are read through their record
 * with the access core's clause, passed in by the service (the derived ones come from the agenda's repo).
 */

export type ReturnedReportRow = {
  id: string;
  created_at: Date | string;
  read_at: Date | string | null;
  report_id: string;
  round_name: string;
  deadline: string;
  action_title: string;
  organisation_name: string;
  return_comment: string | null;
};

const LIMIT = 100;

export const notificationsRepo = {
  /** The user's "report returned" events whose report is of `scope`'s organisations; `actionVisible` over the action `a`. */
  async returnedReports(ex: Executor, userId: string, scope: string[], actionVisible: SQL): Promise<ReturnedReportRow[]> {
    if (!scope.length) return [];
    const r = await ex.execute<ReturnedReportRow>(sql`
      select n.id, n.created_at, n.read_at, fr.id as report_id, ro.name as round_name, ro.deadline::text as deadline,
             a.title as action_title, o.name as organisation_name, fr.return_comment
      from notifications n
        join follow_up_reports fr on fr.id = n.record_id
        join follow_up_rounds ro on ro.id = fr.round_id
        join plan_actions a on a.id = fr.action_id
        join organisations o on o.id = fr.organisation_id
      where n.user_id = ${userId} and n.kind = 'report_returned' and n.record_type = 'follow_up_report'
        and fr.organisation_id = any(${uuids(scope)}) and ${actionVisible}
      order by n.created_at desc limit ${LIMIT}`);
    return r.rows;
  },

  async insert(ex: Executor, values: typeof notifications.$inferInsert) {
    await ex.insert(notifications).values(values);
  },

  /** Marks a stored event read if it is the user's; false when there is none. */
  async markStoredRead(ex: Executor, userId: string, id: string): Promise<boolean> {
    const rows = await ex
      .update(notifications)
      .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
      .returning({ id: notifications.id });
    return rows.length > 0;
  },

  async markStoredReadMany(ex: Executor, userId: string, ids: string[]) {
    if (!ids.length) return;
    await ex.execute(sql`update notifications set read_at = now() where user_id = ${userId} and read_at is null and id = any(${uuids(ids)})`);
  },

  async readKeys(ex: Executor, userId: string): Promise<Set<string>> {
    const rows = await ex.select({ key: notificationReads.key }).from(notificationReads).where(eq(notificationReads.userId, userId));
    return new Set(rows.map((r) => r.key));
  },

  async markKeysRead(ex: Executor, userId: string, keys: string[]) {
    if (!keys.length) return;
    await ex
      .insert(notificationReads)
      .values(keys.map((key) => ({ userId, key })))
      .onConflictDoNothing();
  },

  async emailKinds(ex: Executor, userId: string): Promise<string[] | undefined> {
    const [row] = await ex.select({ kinds: notificationSettings.emailKinds }).from(notificationSettings).where(eq(notificationSettings.userId, userId));
    return row?.kinds;
  },

  async setEmailKinds(ex: Executor, userId: string, kinds: string[]) {
    await ex
      .insert(notificationSettings)
      .values({ userId, emailKinds: kinds })
      .onConflictDoUpdate({ target: notificationSettings.userId, set: { emailKinds: kinds, updatedAt: new Date() } });
  },

  async calendarToken(ex: Executor, userId: string) {
    const [row] = await ex.select({ createdAt: calendarTokens.createdAt }).from(calendarTokens).where(eq(calendarTokens.userId, userId));
    return row;
  },

  /** Creates or replaces the user's token (the old address stops working at once). */
  async setCalendarToken(ex: Executor, userId: string, tokenHash: string) {
    const [row] = await ex
      .insert(calendarTokens)
      .values({ userId, tokenHash })
      .onConflictDoUpdate({ target: calendarTokens.userId, set: { tokenHash, createdAt: new Date() } })
      .returning({ createdAt: calendarTokens.createdAt });
    return row;
  },

  async deleteCalendarToken(ex: Executor, userId: string): Promise<boolean> {
    const rows = await ex.delete(calendarTokens).where(eq(calendarTokens.userId, userId)).returning({ userId: calendarTokens.userId });
    return rows.length > 0;
  },

  async userOfCalendarToken(ex: Executor, tokenHash: string): Promise<string | undefined> {
    const [row] = await ex.select({ userId: calendarTokens.userId }).from(calendarTokens).where(eq(calendarTokens.tokenHash, tokenHash));
    return row?.userId;
  },

  /** The one who submitted a report, if still active: whom "your report was returned" is for. */
  async submitterOf(ex: Executor, reportId: string): Promise<{ id: string; email: string; locale: string } | undefined> {
    const r = await ex.execute<{ id: string; email: string; locale: string }>(sql`
      select u.id, u.email, u.locale from follow_up_reports fr join users u on u.id = fr.submitted_by and u.active where fr.id = ${reportId}`);
    return r.rows[0];
  },
};
