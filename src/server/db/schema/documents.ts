import { sql, type SQL } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { secrecyColumns } from './access.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';
import { decisions, swedish, tsvector } from './cases.ts';

/**
 * The governing-document register (styrdokument): programs, plans, policies, guidelines, strategies,
 * action plans and routines, with the decision that adopted them, their validity, review date, status
 * and the links between a document and the one that replaced it. The file itself lives in the file
 * store (FILES_DIR), addressed and checked by SHA-256.
 */
export const governingDocuments = pgTable(
  'governing_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** program | plan | policy | guideline | strategy | action_plan | routine. */
    type: text('type').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    ownerOrganisationId: uuid('owner_organisation_id').notNull().references(() => organisations.id),
    /** The body that adopted (or is to adopt) the document: KF, KS, a committee. */
    adoptedByOrganisationId: uuid('adopted_by_organisation_id').references(() => organisations.id),
    /** The adopting decision when it is in the registry. */
    decisionId: uuid('decision_id').references(() => decisions.id),
    /** Free-text reference for decisions not in the system, e.g. "KF 2017-09-28 § 180". */
    decisionRef: text('decision_ref'),
    adoptedOn: date('adopted_on'),
    validFrom: date('valid_from'),
    validTo: date('valid_to'),
    nextReviewOn: date('next_review_on'),
    /** draft | in_force | repealed | replaced (utkast, gällande, upphävd, ersatt). */
    status: text('status').notNull().default('draft'),
    /** The decision that repealed or replaced the document (or its free-text reference) and when. */
    statusDecisionId: uuid('status_decision_id').references(() => decisions.id),
    statusDecisionRef: text('status_decision_ref'),
    statusChangedOn: date('status_changed_on'),
    ...secrecyColumns(),
    /** The document that replaced this one; "replaces" is the reverse of this link. */
    replacedById: uuid('replaced_by_id').references((): AnyPgColumn => governingDocuments.id),
    fileName: text('file_name'),
    fileContentType: text('file_content_type'),
    fileSize: integer('file_size'),
    fileSha256: text('file_sha256'),
    fileUploadedAt: timestamp('file_uploaded_at', { withTimezone: true }),
    fileUploadedBy: uuid('file_uploaded_by').references(() => users.id),
    /** The review date a reminder has been sent for: one reminder per review date. */
    reviewRemindedFor: date('review_reminded_for'),
    createdBy: uuid('created_by').references(() => users.id),
    isExample: boolean('is_example').notNull().default(false),
    search: tsvector('search').generatedAlwaysAs((): SQL => swedish(sql`title`, sql`description`, sql`decision_ref`)),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('governing_documents_status_idx').on(t.status, t.title),
    index('governing_documents_owner_idx').on(t.ownerOrganisationId),
    // The register's order (title, id): its first page stops early.
    index('governing_documents_title_idx').on(t.title, t.id),
    index('governing_documents_replaced_by_idx').on(t.replacedById),
    index('governing_documents_review_idx').on(t.nextReviewOn),
    // In force past its validity (expired): the register's in-force total is the kept count less these (few).
    index('governing_documents_expiry_idx').on(t.validTo).where(sql`status = 'in_force' and valid_to is not null`),
    index('governing_documents_search_idx').using('gin', t.search),
    check('governing_documents_type', sql`${t.type} in ('program', 'plan', 'policy', 'guideline', 'strategy', 'action_plan', 'routine')`),
    check('governing_documents_status', sql`${t.status} in ('draft', 'in_force', 'repealed', 'replaced')`),
    check('governing_documents_period', sql`${t.validTo} is null or ${t.validFrom} is null or ${t.validTo} >= ${t.validFrom}`),
    check('governing_documents_not_own_successor', sql`${t.replacedById} <> ${t.id}`),
    check('governing_documents_replaced_has_successor', sql`${t.status} <> 'replaced' or ${t.replacedById} is not null`),
  ],
);

/**
 * How many governing documents there are per owner × status × type × secret (× validity end for those in force):
 * the register's total without
 * counting the table (issue #12). Kept by statement triggers on `governing_documents` with transition tables,
 * in the same transaction as each change (hand-written SQL at the end of migration 0022_list_counts); derived,
 * so not backed up (db/backup.ts DERIVED_TABLES). No foreign keys: it is a figure, not a record.
 */
export const documentCounts = pgTable(
  'document_counts',
  {
    ownerOrganisationId: uuid('owner_organisation_id').notNull(),
    status: text('status').notNull(),
    type: text('type').notNull(),
    secret: boolean('secret').notNull(),
    /**
     * In force with a validity end: that end (valid_to); otherwise 'infinity'. The in-force total by type is then
     * the rows ending today or later, one scan, without counting the expired documents apart (migration 0032).
     */
    endsOn: date('ends_on', { mode: 'string' }).notNull().default(sql`'infinity'`),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'document_counts_pk', columns: [t.ownerOrganisationId, t.status, t.type, t.secret, t.endsOn] })],
);

/**
 * document_counts rolled up over the type: how many governing documents there are per owner × status × secret,
 * which is all that the access core's document rule (owner, draft or not, secret) and the register's filters other
 * than the type (status, owner) read. The register's total when it is not filtered by type (the register as it
 * opens) sums these rows (at most organisations × 4 statuses × 2) instead of document_counts' (× 7 types), issue
 * #12 item 1. Kept by document_counts' own statement triggers, in the same transaction as each change (migration
 * 0032_document_status_counts); derived, so not backed up (db/backup.ts DERIVED_TABLES). Rows whose n falls to 0
 * stay; the readers sum over n.
 */
export const documentStatusCounts = pgTable(
  'document_status_counts',
  {
    ownerOrganisationId: uuid('owner_organisation_id').notNull(),
    status: text('status').notNull(),
    secret: boolean('secret').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'document_status_counts_pk', columns: [t.ownerOrganisationId, t.status, t.secret] })],
);
