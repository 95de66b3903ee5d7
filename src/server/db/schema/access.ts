import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

/**
 * The record half of the access core (src/server/access/): secrecy markings on every record type that can
 * hold secret information, and shares with partner organisations. See docs/architecture.md.
 */

/**
 * The secrecy marking every secret-capable table carries (OSL 5 kap. 5 §): the legal reference, why, who
 * marked it and when. Set → only those with the type's secret right read it. Unmarking clears it; both are
 * in the audit chain with the reason.
 */
export const secrecyColumns = () => ({
  secrecyRef: text('secrecy_ref'),
  secrecyReason: text('secrecy_reason'),
  secrecyMarkedBy: uuid('secrecy_marked_by').references(() => users.id),
  secrecyMarkedAt: timestamp('secrecy_marked_at', { withTimezone: true }),
});

/**
 * One record (of src/shared/schemas/access.ts SHARE_RECORD_TYPES) shared with one partner organisation until an end date (inclusive, Stockholm time), with a
 * reason. Access is decided when reading (ends_on >= today and not revoked), never by a job.
 */
export const shares = pgTable(
  'shares',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    partnerOrganisationId: uuid('partner_organisation_id').notNull().references(() => organisations.id),
    reason: text('reason').notNull(),
    endsOn: date('ends_on').notNull(),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokeReason: text('revoke_reason'),
    /** The day the coordinator was told that the share ends soon (once per share). */
    expiryNoticeOn: date('expiry_notice_on'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('shares_record_idx').on(t.recordType, t.recordId),
    index('shares_partner_idx').on(t.partnerOrganisationId, t.endsOn),
    check('shares_record_type', sql`${t.recordType} in ('incident', 'case', 'record', 'lagesbild_report', 'action', 'map_extract')`),
  ],
);

/** What a partner (or the coordinator) writes about a shared record; kept with the share, never edited. */
export const shareComments = pgTable(
  'share_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    shareId: uuid('share_id').notNull().references(() => shares.id),
    authorId: uuid('author_id').notNull().references(() => users.id),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('share_comments_share_idx').on(t.shareId, t.createdAt)],
);
