import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { cases, decisions, meetings } from './cases.ts';
import { users } from './users.ts';

/**
 * The meeting process (issue #11 item 1): the agenda (föredragningslista) of the cases put on a meeting,
 * the attendance and reservations of the minutes, the chair and adjusters who adjust them (justering, also
 * of one § at once), and the notice of adjusted minutes on the public notice board (anslag) with the day
 * the three-week appeal period ends. None of these tables holds case text: an agenda item and a § are read
 * through their case (the access core's case rule); names of elected members are public.
 */

/** One item of a meeting's agenda: a case put on the meeting, with the draft decision it takes up. */
export const meetingItems = pgTable(
  'meeting_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id').notNull().references(() => meetings.id),
    ordinal: integer('ordinal').notNull(),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    decisionId: uuid('decision_id').references(() => decisions.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('meeting_items_case_uq').on(t.meetingId, t.caseId), index('meeting_items_case_idx').on(t.caseId)],
);

/** Who attended (närvaro): members, serving substitutes, substitutes and officials, as the minutes list them. */
export const meetingAttendees = pgTable(
  'meeting_attendees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id').notNull().references(() => meetings.id),
    ordinal: integer('ordinal').notNull(),
    name: text('name').notNull(),
    /** chair | vice_chair | member | substitute_serving | substitute | official */
    role: text('role').notNull(),
    party: text('party'),
    present: boolean('present').notNull().default(true),
  },
  (t) => [
    index('meeting_attendees_meeting_idx').on(t.meetingId),
    check('meeting_attendees_role', sql`${t.role} in ('chair', 'vice_chair', 'member', 'substitute_serving', 'substitute', 'official')`),
  ],
);

/** The chair and the appointed adjusters (justerare): the users who adjust the minutes. */
export const meetingAdjusters = pgTable(
  'meeting_adjusters',
  {
    meetingId: uuid('meeting_id').notNull().references(() => meetings.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    /** chair | adjuster */
    role: text('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.userId] }), check('meeting_adjusters_role', sql`${t.role} in ('chair', 'adjuster')`)],
);

/** An adjuster's signature: of the whole minutes (decisionId null) or of one § adjusted at once. */
export const meetingSignatures = pgTable(
  'meeting_signatures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id').notNull().references(() => meetings.id),
    decisionId: uuid('decision_id').references(() => decisions.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    signedOn: date('signed_on').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('meeting_signatures_minutes_uq').on(t.meetingId, t.userId).where(sql`decision_id is null`),
    uniqueIndex('meeting_signatures_paragraph_uq').on(t.decisionId, t.userId).where(sql`decision_id is not null`),
  ],
);

/** A member's reservation against a § (name and party; a written reservation is appended to the minutes). */
export const decisionReservations = pgTable(
  'decision_reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    decisionId: uuid('decision_id').notNull().references(() => decisions.id),
    name: text('name').notNull(),
    party: text('party'),
    written: boolean('written').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('decision_reservations_decision_idx').on(t.decisionId)],
);

/**
 * The notice of adjusted minutes on the municipality's digital notice board (anslag, kommunallagen 8 kap.
 * 12 §): of the whole minutes, or of one § adjusted at once. The appeal period (laglighetsprövning,
 * kommunallagen 13 kap. 5 §) is three weeks from the day it was posted.
 */
export const meetingNotices = pgTable(
  'meeting_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id').notNull().references(() => meetings.id),
    decisionId: uuid('decision_id').references(() => decisions.id),
    postedOn: date('posted_on').notNull(),
    appealEndsOn: date('appeal_ends_on').notNull(),
    postedBy: uuid('posted_by').references(() => users.id),
    isExample: boolean('is_example').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('meeting_notices_minutes_uq').on(t.meetingId).where(sql`decision_id is null`),
    uniqueIndex('meeting_notices_paragraph_uq').on(t.decisionId).where(sql`decision_id is not null`),
    index('meeting_notices_appeal_idx').on(t.appealEndsOn),
  ],
);
