import { eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { caseRecordFiles, remissRecipients, remissReplies } from '../../db/schema/index.ts';

/** The SQL of remiss replies and the inbox of remisses to the actor's organisations: typed rows, no rules. */

export type ReplyRow = typeof remissReplies.$inferSelect;

export interface InboxRow extends Record<string, unknown> {
  recipient_id: string; round_id: string; registry_number: string; title: string; letter: string; sent_on: string; round_status: 'open' | 'closed';
  organisation_name: string; reply_by: string; status: 'pending' | 'answered'; letter_record_id: string | null;
  reply_id: string | null; received_on: string | null; kind: 'decision' | 'no_objection' | 'reply' | null; deciding_body: string | null; decided_on: string | null;
  paragraph: number | null; text: string | null; via: 'internal' | 'link' | 'registered' | null; record_id: string | null; seq: number | null;
  reply_hidden: boolean; letter_hidden: boolean;
}

export interface InboxLetterFileRow extends Record<string, unknown> {
  record_id: string; id: string; filename: string; content_type: string; size: number;
}

export const remissRepliesRepo = {
  async insert(ex: Executor, values: typeof remissReplies.$inferInsert): Promise<ReplyRow> {
    const [reply] = await ex.insert(remissReplies).values(values).returning();
    return reply;
  },

  async markAnswered(ex: Executor, recipientId: string) {
    await ex
      .update(remissRecipients)
      .set({ status: 'answered', version: sql`${remissRecipients.version} + 1`, updatedAt: new Date() })
      .where(eq(remissRecipients.id, recipientId));
  },

  /**
   * Internal recipients among `scope` with their round, case and reply. `replyHidden` / `letterHidden`:
   * the access core's clause over the case c and the reply's record r / the letter's record lr.
   */
  async inbox(ex: Executor, scope: string[], replyHidden: SQL, letterHidden: SQL): Promise<InboxRow[]> {
    const rows = await ex.execute<InboxRow>(sql`
        select p.id as recipient_id, o.id as round_id, c.registry_number, o.title, o.letter, o.sent_on::text as sent_on, o.status as round_status,
               g.name as organisation_name, p.reply_by::text as reply_by, p.status, o.letter_record_id,
               y.id as reply_id, y.received_on::text as received_on, y.kind, y.deciding_body, y.decided_on::text as decided_on, y.paragraph, y.text, y.via, y.record_id, r.seq,
               coalesce(${replyHidden}, false) as reply_hidden, coalesce(${letterHidden}, false) as letter_hidden
        from remiss_recipients p
        join remiss_rounds o on o.id = p.round_id
        join cases c on c.id = o.case_id
        join organisations g on g.id = p.organisation_id
        left join remiss_replies y on y.recipient_id = p.id
        left join case_records r on r.id = y.record_id
        left join case_records lr on lr.id = o.letter_record_id
        where p.channel = 'internal' and p.organisation_id = any(${uuids(scope)})
        order by (o.status = 'open' and p.status = 'pending') desc, p.reply_by, g.name
        limit 500`);
    return rows.rows;
  },

  /** Each record's newest file. */
  async newestFiles(ex: Executor, recordIds: string[]): Promise<InboxLetterFileRow[]> {
    const lf = await ex.execute<InboxLetterFileRow>(sql`
        select distinct on (record_id) record_id, id, filename, content_type, size from case_record_files where record_id = any(${uuids(recordIds)}) order by record_id, created_at desc, id`);
    return lf.rows;
  },

  /** Whether the round has an internal recipient among `scope`. */
  async answersForRound(ex: Executor, roundId: string, scope: string[]): Promise<boolean> {
    const r = await ex.execute(sql`select 1 from remiss_recipients where round_id = ${roundId} and channel = 'internal' and organisation_id = any(${uuids(scope)})`);
    return r.rows.length > 0;
  },

  async replyOf(ex: Executor, recipientId: string): Promise<ReplyRow | undefined> {
    return ex.query.remissReplies.findFirst({ where: (r, { eq: e }) => e(r.recipientId, recipientId) });
  },

  /** The record's newest file (by upload time). */
  async newestFile(ex: Executor, recordId: string): Promise<typeof caseRecordFiles.$inferSelect | undefined> {
    const [f] = await ex.select().from(caseRecordFiles).where(eq(caseRecordFiles.recordId, recordId)).orderBy(sql`${caseRecordFiles.createdAt} desc`).limit(1);
    return f;
  },
};
