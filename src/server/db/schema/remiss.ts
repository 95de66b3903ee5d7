import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { caseRecords, cases, decisions } from './cases.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

/**
 * Remiss rounds: a case sent for consultation to bodies in the organisation register (committees,
 * companies, outside bodies), each with its own reply date. Internal recipients answer in Trygg;
 * external ones through a personal, time-limited link without an account (remiss_links). Every reply
 * is registered as an incoming record in the case.
 */

const stamps = {
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

export const remissRounds = pgTable(
  'remiss_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    /** The decision (kind 'remiss') that sent the case on remiss, when there is one. */
    decisionId: uuid('decision_id').references(() => decisions.id),
    title: text('title').notNull(),
    /** The remiss letter (remissbrev) as text; its file, if any, is a file of letterRecordId. */
    letter: text('letter').notNull(),
    /** What the source does not give and the demo made up about this round (example data), said plainly. */
    exampleNote: text('example_note'),
    sentOn: date('sent_on').notNull(),
    /** open | closed. A closed round takes no more replies and sends no more reminders. */
    status: text('status').notNull().default('open'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The outgoing record (the letter as sent) registered in the case when the round was sent. */
    letterRecordId: uuid('letter_record_id').references(() => caseRecords.id),
    createdBy: uuid('created_by').references(() => users.id),
    isExample: boolean('is_example').notNull().default(false),
    ...stamps,
  },
  (t) => [index('remiss_rounds_case_idx').on(t.caseId), check('remiss_rounds_status', sql`${t.status} in ('open', 'closed')`)],
);

export const remissRecipients = pgTable(
  'remiss_recipients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roundId: uuid('round_id').notNull().references(() => remissRounds.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    /** internal: answers in Trygg (users with cases.handle on the organisation); link: a personal link by e-mail. */
    channel: text('channel').notNull(),
    /** Where the remiss is mailed: the organisation's address, or one entered for this round. */
    email: text('email'),
    replyBy: date('reply_by').notNull(),
    /** pending | answered */
    status: text('status').notNull().default('pending'),
    ...stamps,
  },
  (t) => [
    uniqueIndex('remiss_recipients_round_org_uq').on(t.roundId, t.organisationId),
    index('remiss_recipients_org_idx').on(t.organisationId),
    check('remiss_recipients_channel', sql`${t.channel} in ('internal', 'link')`),
    check('remiss_recipients_status', sql`${t.status} in ('pending', 'answered')`),
  ],
);

/**
 * A personal reply link: good for one recipient's reply only. The token itself is only in the e-mail;
 * its SHA-256 is stored. Expires, can be revoked (and a new one issued), and is used up by the reply.
 */
export const remissLinks = pgTable(
  'remiss_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recipientId: uuid('recipient_id').notNull().references(() => remissRecipients.id),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('remiss_links_token_uq').on(t.tokenHash), index('remiss_links_recipient_idx').on(t.recipientId)],
);

/**
 * A recipient's reply (one per recipient). kind: decision (the replying body's own decision: body, date, §) |
 * no_objection ("inget att erinra") | reply (a plain letter). The reply is also an incoming record in the case.
 */
export const remissReplies = pgTable(
  'remiss_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recipientId: uuid('recipient_id').notNull().references(() => remissRecipients.id),
    receivedOn: date('received_on').notNull(),
    kind: text('kind').notNull(),
    /** The body that decided the reply (e.g. "Miljönämndens presidieutskott"); default the recipient's name. */
    decidingBody: text('deciding_body'),
    decidedOn: date('decided_on'),
    paragraph: integer('paragraph'),
    text: text('text'),
    /** internal (answered in Trygg) | link (the recipient's personal link) | registered (recorded by the case officer). */
    via: text('via').notNull(),
    recordId: uuid('record_id').notNull().references(() => caseRecords.id),
    registeredBy: uuid('registered_by').references(() => users.id),
    isExample: boolean('is_example').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('remiss_replies_recipient_uq').on(t.recipientId),
    check('remiss_replies_kind', sql`${t.kind} in ('decision', 'no_objection', 'reply')`),
    check('remiss_replies_via', sql`${t.via} in ('internal', 'link', 'registered')`),
    check('remiss_replies_paragraph', sql`${t.paragraph} is null or ${t.paragraph} between 1 and 99999`),
    check('remiss_replies_decision_complete', sql`${t.kind} <> 'decision' or (${t.decidedOn} is not null and ${t.paragraph} is not null)`),
  ],
);
