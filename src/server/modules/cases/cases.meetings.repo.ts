import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { meetings } from '../../db/schema/index.ts';

/** The SQL of meetings (a deciding body's meeting dates): typed rows, no rules. */

export type MeetingRow = typeof meetings.$inferSelect;

export interface MeetingListRow extends Record<string, unknown> {
  id: string; body_organisation_id: string; body_name: string; meeting_date: string; title: string | null; version: number;
}

export const meetingsRepo = {
  async list(ex: Executor, f: { bodyOrganisationId?: string; from?: string; to?: string }): Promise<MeetingListRow[]> {
    const conditions = [
      f.bodyOrganisationId ? sql`m.body_organisation_id = ${f.bodyOrganisationId}` : undefined,
      f.from ? sql`m.meeting_date >= ${f.from}` : undefined,
      f.to ? sql`m.meeting_date <= ${f.to}` : undefined,
    ].filter(Boolean) as ReturnType<typeof sql>[];
    const res = await ex.execute<MeetingListRow>(sql`
        select m.id, m.body_organisation_id, o.name as body_name, to_char(m.meeting_date, 'YYYY-MM-DD') as meeting_date, m.title, m.version
        from meetings m join organisations o on o.id = m.body_organisation_id
        ${conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``}
        order by m.meeting_date desc, o.name limit 500`);
    return res.rows;
  },

  async find(ex: Executor, bodyOrganisationId: string, meetingDate: string): Promise<MeetingRow | undefined> {
    return (await ex.select().from(meetings).where(and(eq(meetings.bodyOrganisationId, bodyOrganisationId), eq(meetings.meetingDate, meetingDate))))[0];
  },

  async insert(ex: Executor, values: typeof meetings.$inferInsert): Promise<MeetingRow> {
    const [row] = await ex.insert(meetings).values(values).returning();
    return row;
  },

  /** The body's meeting on that date, created if there is none. */
  async ensure(ex: Executor, bodyOrganisationId: string, meetingDate: string): Promise<MeetingRow> {
    await ex.execute(sql`insert into meetings (body_organisation_id, meeting_date) values (${bodyOrganisationId}, ${meetingDate}) on conflict do nothing`);
    return (await meetingsRepo.find(ex, bodyOrganisationId, meetingDate))!;
  },
};
