import { eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { caseRecordFiles, remissRecipients, remissRounds } from '../../db/schema/index.ts';

/**
 * The SQL of remiss rounds and their recipients, and what showing a round reads (its links, replies and
 * letter): typed rows, no rules. Secret text is withheld with the access core's clause, passed in.
 */

export type RoundRow = typeof remissRounds.$inferSelect;
export type RecipientRow = typeof remissRecipients.$inferSelect;
export type RecordFileRow = typeof caseRecordFiles.$inferSelect;

export interface OrgListRow extends Record<string, unknown> {
  id: string; name: string; parent_id: string | null; type: string; email: string | null; active: boolean;
}

export interface RecipientListRow extends Record<string, unknown> {
  id: string; round_id: string; organisation_id: string; channel: 'internal' | 'link'; email: string | null; reply_by: string; status: 'pending' | 'answered'; version: number;
}

export interface LatestLinkRow extends Record<string, unknown> {
  recipient_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null; created_at: Date;
}

export interface ReplyListRow extends Record<string, unknown> {
  id: string; recipient_id: string; received_on: string; kind: 'decision' | 'no_objection' | 'reply'; deciding_body: string | null; decided_on: string | null;
  paragraph: number | null; text: string | null; via: 'internal' | 'link' | 'registered'; record_id: string; seq: number;
  file_id: string | null; filename: string | null; content_type: string | null; size: number | null; hidden: boolean;
}

export interface LetterListRow extends Record<string, unknown> {
  round_id: string; seq: number; file_id: string | null; filename: string | null; content_type: string | null; size: number | null; hidden: boolean;
}

export interface RemissDecisionRow extends Record<string, unknown> {
  id: string; body: string; decided_on: string | null; paragraph: number | null; title: string;
}

export const remissRepo = {
  async organisations(ex: Executor): Promise<OrgListRow[]> {
    const rows = await ex.execute<OrgListRow>(sql`select id, name, parent_id, type, email, active from organisations`);
    return rows.rows;
  },

  async roundExists(ex: Executor, roundId: string, lock: boolean): Promise<boolean> {
    const rows = await ex.execute<{ id: string }>(sql`select id from remiss_rounds where id = ${roundId} ${lock ? sql`for update` : sql``}`);
    return !!rows.rows[0];
  },

  async findRound(ex: Executor, roundId: string): Promise<RoundRow | undefined> {
    return ex.query.remissRounds.findFirst({ where: (r, { eq: e }) => e(r.id, roundId) });
  },

  async recipientExists(ex: Executor, id: string, lock: boolean): Promise<boolean> {
    const rows = await ex.execute<{ id: string }>(sql`select id from remiss_recipients where id = ${id} ${lock ? sql`for update` : sql``}`);
    return !!rows.rows[0];
  },

  async findRecipient(ex: Executor, id: string): Promise<RecipientRow | undefined> {
    return ex.query.remissRecipients.findFirst({ where: (r, { eq: e }) => e(r.id, id) });
  },

  async findCase(ex: Executor, caseId: string) {
    return ex.query.cases.findFirst({ where: (x, { eq: e }) => e(x.id, caseId) });
  },

  /** Whether the case passes `visible` (the access core's case clause over alias c). */
  async caseVisible(ex: Executor, caseId: string, visible: SQL): Promise<boolean> {
    return (await ex.execute(sql`select 1 from cases c where c.id = ${caseId} and ${visible}`)).rows.length > 0;
  },

  /** `hidden`: the access core's "secret and not readable" clause over aliases c and r. */
  async recordHidden(ex: Executor, recordId: string, hidden: SQL): Promise<boolean> {
    const r = await ex.execute<{ hidden: boolean }>(sql`select ${hidden} as hidden from case_records r join cases c on c.id = r.case_id where r.id = ${recordId}`);
    return r.rows[0]?.hidden ?? false;
  },

  async decisionRefRow(ex: Executor, decisionId: string): Promise<Omit<RemissDecisionRow, 'id'> | undefined> {
    const r = await ex.execute<{ body: string; decided_on: string | null; paragraph: number | null; title: string }>(sql`
      select coalesce(o.short_name, o.name) as body, d.decided_on::text as decided_on, d.paragraph, d.title
      from decisions d join organisations o on o.id = d.body_organisation_id where d.id = ${decisionId}`);
    return r.rows[0];
  },

  async recipientsOf(ex: Executor, roundIds: string[]): Promise<RecipientListRow[]> {
    const recipients = await ex.execute<RecipientListRow>(
      sql`select id, round_id, organisation_id, channel, email, reply_by::text as reply_by, status, version from remiss_recipients where round_id = any(${uuids(roundIds)})`,
    );
    return recipients.rows;
  },

  /** Each recipient's newest link. */
  async latestLinks(ex: Executor, recipientIds: string[]): Promise<LatestLinkRow[]> {
    const links = await ex.execute<LatestLinkRow>(sql`
      select distinct on (recipient_id) recipient_id, expires_at, used_at, revoked_at, created_at
      from remiss_links where recipient_id = any(${uuids(recipientIds)}) order by recipient_id, created_at desc, id`);
    return links.rows;
  },

  /** The recipients' replies with their newest file; `hidden` is the access core's clause over aliases c and r. */
  async repliesOf(ex: Executor, recipientIds: string[], hidden: SQL): Promise<ReplyListRow[]> {
    const replies = await ex.execute<ReplyListRow>(sql`
      select p.id, p.recipient_id, p.received_on::text as received_on, p.kind, p.deciding_body, p.decided_on::text as decided_on, p.paragraph, p.text, p.via,
             p.record_id, r.seq, f.id as file_id, f.filename, f.content_type, f.size, ${hidden} as hidden
      from remiss_replies p join case_records r on r.id = p.record_id join cases c on c.id = r.case_id
      left join lateral (select id, filename, content_type, size from case_record_files where record_id = r.id order by created_at desc, id limit 1) f on true
      where p.recipient_id = any(${uuids(recipientIds)})`);
    return replies.rows;
  },

  /** The rounds' letter records with their newest file; `hidden` as in repliesOf. */
  async lettersOf(ex: Executor, roundIds: string[], hidden: SQL): Promise<LetterListRow[]> {
    const letters = await ex.execute<LetterListRow>(sql`
      select o.id as round_id, r.seq, f.id as file_id, f.filename, f.content_type, f.size, ${hidden} as hidden
      from remiss_rounds o join case_records r on r.id = o.letter_record_id join cases c on c.id = r.case_id
      left join lateral (select id, filename, content_type, size from case_record_files where record_id = r.id order by created_at desc, id limit 1) f on true
      where o.id = any(${uuids(roundIds)})`);
    return letters.rows;
  },

  async roundsOfCase(ex: Executor, caseId: string): Promise<RoundRow[]> {
    return ex.select().from(remissRounds).where(eq(remissRounds.caseId, caseId)).orderBy(sql`${remissRounds.sentOn} desc, ${remissRounds.createdAt} desc`);
  },

  async remissDecisionsOfCase(ex: Executor, caseId: string): Promise<RemissDecisionRow[]> {
    const decisions = await ex.execute<RemissDecisionRow>(sql`
        select d.id, coalesce(o.short_name, o.name) as body, d.decided_on::text as decided_on, d.paragraph, d.title
        from decisions d join organisations o on o.id = d.body_organisation_id
        where d.case_id = ${caseId} and d.kind = 'remiss' order by d.decided_on nulls last, d.created_at`);
    return decisions.rows;
  },

  async decisionKind(ex: Executor, decisionId: string, caseId: string): Promise<string | undefined> {
    const d = await ex.execute<{ kind: string }>(sql`select kind from decisions where id = ${decisionId} and case_id = ${caseId}`);
    return d.rows[0]?.kind;
  },

  async insertRound(ex: Executor, values: typeof remissRounds.$inferInsert): Promise<RoundRow> {
    const [round] = await ex.insert(remissRounds).values(values).returning();
    return round;
  },

  async insertRecipient(ex: Executor, values: typeof remissRecipients.$inferInsert): Promise<RecipientRow> {
    const [recipient] = await ex.insert(remissRecipients).values(values).returning();
    return recipient;
  },

  /** Users who answer for an organisation: one of `roles` granted on the organisation itself. */
  async handlersOf(ex: Executor, orgId: string, roles: readonly string[]): Promise<{ email: string; locale: string }[]> {
    const r = await ex.execute<{ email: string; locale: string }>(sql`
      select distinct u.email, u.locale from role_grants g join users u on u.id = g.user_id and u.active
      where g.organisation_id = ${orgId} and g.role = any(${sql.param([...roles])}::text[])`);
    return r.rows;
  },

  async insertRecordFile(ex: Executor, values: typeof caseRecordFiles.$inferInsert) {
    await ex.insert(caseRecordFiles).values(values);
  },

  async closeRound(ex: Executor, round: RoundRow) {
    await ex.update(remissRounds).set({ status: 'closed', closedAt: new Date(), version: round.version + 1, updatedAt: new Date() }).where(eq(remissRounds.id, round.id));
  },

  /** Removes the round's reminders still waiting (of job type `jobType`). */
  async deletePendingReminders(ex: Executor, jobType: string, roundId: string) {
    await ex.execute(sql`delete from jobs where type = ${jobType} and status = 'pending' and payload->>'roundId' = ${roundId}`);
  },

  async letterFileOf(ex: Executor, letterRecordId: string): Promise<RecordFileRow | undefined> {
    const [f] = await ex
      .select()
      .from(caseRecordFiles)
      .where(eq(caseRecordFiles.recordId, letterRecordId))
      .orderBy(sql`${caseRecordFiles.createdAt} desc, ${caseRecordFiles.id}`)
      .limit(1);
    return f;
  },
};
