import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { decisionReservations, meetingAdjusters, meetingAttendees, meetingNotices, meetingSignatures, meetings } from '../../db/schema/index.ts';

/** The SQL of meetings (a deciding body's meeting dates): typed rows, no rules. */

export type MeetingRow = typeof meetings.$inferSelect;

export interface MeetingListRow extends Record<string, unknown> {
  id: string; body_organisation_id: string; body_name: string; meeting_date: string; title: string | null; version: number; adjusted_on: string | null;
}

export const meetingsRepo = {
  async list(ex: Executor, f: { bodyOrganisationId?: string; from?: string; to?: string }): Promise<MeetingListRow[]> {
    const conditions = [
      f.bodyOrganisationId ? sql`m.body_organisation_id = ${f.bodyOrganisationId}` : undefined,
      f.from ? sql`m.meeting_date >= ${f.from}` : undefined,
      f.to ? sql`m.meeting_date <= ${f.to}` : undefined,
    ].filter(Boolean) as ReturnType<typeof sql>[];
    const res = await ex.execute<MeetingListRow>(sql`
        select m.id, m.body_organisation_id, o.name as body_name, to_char(m.meeting_date, 'YYYY-MM-DD') as meeting_date, m.title, m.version, to_char(m.adjusted_on, 'YYYY-MM-DD') as adjusted_on
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

/** The SQL of the meeting process (agenda, attendance, adjusters and signatures, reservations, notices): typed rows, no rules. */

export interface ItemRow extends Record<string, unknown> {
  id: string; ordinal: number; case_id: string; registry_number: string; case_title: string; decision_id: string | null; decision_title: string | null; visible: boolean;
}
export interface ParagraphRow extends Record<string, unknown> {
  id: string; paragraph: number; title: string; kind: string; case_id: string; registry_number: string; immediate_adjustment: boolean; adjusted_on: string | null;
}
export interface SignatureRow extends Record<string, unknown> {
  user_id: string; name: string; role: 'chair' | 'adjuster'; decision_id: string | null; signed_on: string | null;
}
export interface NoticeRow extends Record<string, unknown> {
  id: string; meeting_id: string; decision_id: string | null; posted_on: string; appeal_ends_on: string; is_example: boolean;
}

export const meetingProcessRepo = {
  async meeting(ex: Executor, id: string, lock = false) {
    const res = await ex.execute<{
      id: string; body_organisation_id: string; body_name: string; body_short: string | null; meeting_date: string; title: string | null; starts_at: string | null;
      location: string | null; minutes_kept_at: string | null; adjusted_on: string | null; version: number; example_note: string | null;
    }>(sql`
      select m.id, m.body_organisation_id, o.name as body_name, o.short_name as body_short, to_char(m.meeting_date, 'YYYY-MM-DD') as meeting_date, m.title,
        m.starts_at, m.location, m.minutes_kept_at, to_char(m.adjusted_on, 'YYYY-MM-DD') as adjusted_on, m.version, m.example_note
      from meetings m join organisations o on o.id = m.body_organisation_id where m.id = ${id} ${lock ? sql`for update of m` : sql``}`);
    return res.rows[0];
  },

  async bump(ex: Executor, id: string, version: number): Promise<boolean> {
    const res = await ex.execute<{ id: string }>(sql`update meetings set version = version + 1, updated_at = now() where id = ${id} and version = ${version} returning id`);
    return !!res.rows[0];
  },

  async update(ex: Executor, id: string, values: Partial<typeof meetings.$inferInsert>) {
    await ex.update(meetings).set({ ...values, updatedAt: new Date() }).where(eq(meetings.id, id));
  },

  /** The agenda; `visible` is the access core's case clause over alias c. */
  async items(ex: Executor, meetingId: string, visible: SQL): Promise<ItemRow[]> {
    const res = await ex.execute<ItemRow>(sql`
      select i.id, i.ordinal, i.case_id, c.registry_number, c.title as case_title, i.decision_id, d.title as decision_title, ${visible} as visible
      from meeting_items i join cases c on c.id = i.case_id left join decisions d on d.id = i.decision_id
      where i.meeting_id = ${meetingId} order by i.ordinal`);
    return res.rows;
  },

  async addItem(ex: Executor, meetingId: string, caseId: string, decisionId: string | null, createdBy: string) {
    const res = await ex.execute<{ id: string }>(sql`
      insert into meeting_items (meeting_id, ordinal, case_id, decision_id, created_by)
      values (${meetingId}, (select coalesce(max(ordinal), 0) + 1 from meeting_items where meeting_id = ${meetingId}), ${caseId}, ${decisionId}, ${createdBy})
      on conflict do nothing returning id`);
    return res.rows[0]?.id;
  },

  async removeItem(ex: Executor, meetingId: string, itemId: string) {
    const res = await ex.execute<{ id: string }>(sql`delete from meeting_items where id = ${itemId} and meeting_id = ${meetingId} returning id`);
    if (res.rows[0]) await ex.execute(sql`
      update meeting_items i set ordinal = n.rn from (select id, row_number() over (order by ordinal) as rn from meeting_items where meeting_id = ${meetingId}) n
      where i.id = n.id`);
    return !!res.rows[0];
  },

  /** The §§ of the meeting (decided decisions at it); `visible` as for items. */
  async paragraphs(ex: Executor, meetingId: string, visible: SQL): Promise<ParagraphRow[]> {
    const res = await ex.execute<ParagraphRow>(sql`
      select d.id, d.paragraph, d.title, d.kind, d.case_id, c.registry_number, d.immediate_adjustment, to_char(d.adjusted_on, 'YYYY-MM-DD') as adjusted_on
      from decisions d join cases c on c.id = d.case_id
      where d.meeting_id = ${meetingId} and d.status = 'decided' and ${visible} order by d.paragraph`);
    return res.rows;
  },

  /** Every decided § of the meeting, whoever looks (for adjustment and the notice board's § range). */
  async allParagraphs(ex: Executor, meetingId: string) {
    const res = await ex.execute<{ id: string; paragraph: number; adjusted_on: string | null }>(sql`
      select id, paragraph, to_char(adjusted_on, 'YYYY-MM-DD') as adjusted_on from decisions where meeting_id = ${meetingId} and status = 'decided' order by paragraph`);
    return res.rows;
  },

  async attendees(ex: Executor, meetingId: string) {
    return ex.select().from(meetingAttendees).where(eq(meetingAttendees.meetingId, meetingId)).orderBy(asc(meetingAttendees.ordinal));
  },

  async setAttendees(ex: Executor, meetingId: string, list: { name: string; role: string; party: string | null; present: boolean }[]) {
    await ex.delete(meetingAttendees).where(eq(meetingAttendees.meetingId, meetingId));
    if (list.length) await ex.insert(meetingAttendees).values(list.map((a, i) => ({ meetingId, ordinal: i + 1, ...a })));
  },

  /** The chair and adjusters, each with their signature of the minutes (decision null) and of §§ adjusted at once. */
  async signatures(ex: Executor, meetingId: string): Promise<SignatureRow[]> {
    const res = await ex.execute<SignatureRow>(sql`
      select a.user_id, u.name, a.role, s.decision_id, to_char(s.signed_on, 'YYYY-MM-DD') as signed_on
      from meeting_adjusters a join users u on u.id = a.user_id
      left join meeting_signatures s on s.meeting_id = a.meeting_id and s.user_id = a.user_id
      where a.meeting_id = ${meetingId} order by a.role, u.name`);
    return res.rows;
  },

  async setAdjusters(ex: Executor, meetingId: string, list: { userId: string; role: 'chair' | 'adjuster' }[]) {
    await ex.delete(meetingAdjusters).where(eq(meetingAdjusters.meetingId, meetingId));
    await ex.insert(meetingAdjusters).values(list.map((a) => ({ meetingId, ...a })));
  },

  async hasSignatures(ex: Executor, meetingId: string) {
    const res = await ex.execute<{ n: number }>(sql`select count(*)::int as n from meeting_signatures where meeting_id = ${meetingId}`);
    return res.rows[0].n > 0;
  },

  async sign(ex: Executor, values: typeof meetingSignatures.$inferInsert) {
    await ex.insert(meetingSignatures).values(values);
  },

  async reservations(ex: Executor, decisionIds: string[]) {
    if (!decisionIds.length) return [];
    return ex.select().from(decisionReservations).where(inArray(decisionReservations.decisionId, decisionIds)).orderBy(asc(decisionReservations.createdAt));
  },

  async notices(ex: Executor, meetingId: string): Promise<NoticeRow[]> {
    const res = await ex.execute<NoticeRow>(sql`
      select id, meeting_id, decision_id, to_char(posted_on, 'YYYY-MM-DD') as posted_on, to_char(appeal_ends_on, 'YYYY-MM-DD') as appeal_ends_on, is_example
      from meeting_notices where meeting_id = ${meetingId}`);
    return res.rows;
  },

  /** The notice that covers each decision: its own (a § adjusted at once) or its minutes'. */
  async noticesOfDecisions(ex: Executor, decisionIds: string[]) {
    if (!decisionIds.length) return [];
    const res = await ex.execute<NoticeRow & { for_decision: string }>(sql`
      select distinct on (d.id) d.id as for_decision, n.id, n.meeting_id, n.decision_id, to_char(n.posted_on, 'YYYY-MM-DD') as posted_on,
        to_char(n.appeal_ends_on, 'YYYY-MM-DD') as appeal_ends_on, n.is_example
      from decisions d join meeting_notices n on n.meeting_id = d.meeting_id and (n.decision_id = d.id or n.decision_id is null)
      where d.id = any(${uuids(decisionIds)})
      order by d.id, n.decision_id nulls last`);
    return res.rows;
  },

  /** Notices on the board on `today` (the appeal period not yet over), newest first, with what the board shows. */
  async board(ex: Executor, today: string) {
    const res = await ex.execute<{
      id: string; body_name: string; meeting_date: string; decision_id: string | null; paragraph: number | null; first: number | null; last: number | null;
      adjusted_on: string; posted_on: string; appeal_ends_on: string; minutes_kept_at: string | null; is_example: boolean;
    }>(sql`
      select n.id, o.name as body_name, to_char(m.meeting_date, 'YYYY-MM-DD') as meeting_date, n.decision_id, pd.paragraph,
        (select min(paragraph) from decisions where meeting_id = m.id and status = 'decided') as first,
        (select max(paragraph) from decisions where meeting_id = m.id and status = 'decided') as last,
        to_char(coalesce(pd.adjusted_on, m.adjusted_on), 'YYYY-MM-DD') as adjusted_on,
        to_char(n.posted_on, 'YYYY-MM-DD') as posted_on, to_char(n.appeal_ends_on, 'YYYY-MM-DD') as appeal_ends_on, m.minutes_kept_at, n.is_example
      from meeting_notices n join meetings m on m.id = n.meeting_id join organisations o on o.id = m.body_organisation_id
      left join decisions pd on pd.id = n.decision_id
      where n.posted_on <= ${today} and n.appeal_ends_on >= ${today}
      order by n.posted_on desc, o.name limit 200`);
    return res.rows;
  },

  async insertNotice(ex: Executor, values: typeof meetingNotices.$inferInsert) {
    const [row] = await ex.insert(meetingNotices).values(values).onConflictDoNothing().returning();
    return row;
  },
};
