import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { caseRecords, cases, decisionClauses, decisions } from './cases.ts';
import { organisations } from './organisations.ts';
import { planActions } from './program.ts';
import { users } from './users.ts';

/**
 * What a decided decision sets going: assignments (uppdrag) from its att-satser, and its dispatch
 * (expediering) to organisations and to the case file (akten).
 */

/**
 * How many assignments there are per assignee organisation × status × what the access core's assignment rule
 * reads of the case (responsible organisation, registering body, officer — the zero uuid for none —, secret):
 * the assignments list's total without joining and counting the tables (issue #12). Kept by statement
 * triggers on `assignments` and `cases` with transition tables, in the same transaction as each change
 * (hand-written SQL at the end of the migration 0022_list_counts); derived, so not backed up (db/backup.ts
 * DERIVED_TABLES). No foreign keys: it is a figure, not a record.
 */
export const assignmentCounts = pgTable(
  'assignment_counts',
  {
    organisationId: uuid('organisation_id').notNull(),
    status: text('status').notNull(),
    caseOrganisationId: uuid('case_organisation_id').notNull(),
    caseRegistryOrganisationId: uuid('case_registry_organisation_id').notNull(),
    caseOfficerId: uuid('case_officer_id').notNull(),
    caseSecret: boolean('case_secret').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'assignment_counts_pk', columns: [t.organisationId, t.status, t.caseOrganisationId, t.caseRegistryOrganisationId, t.caseOfficerId, t.caseSecret] })],
);

/** An uppdrag given by an att-sats with effect `assignment`, created when the decision is decided. */
export const assignments = pgTable(
  'assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clauseId: uuid('clause_id').notNull().references(() => decisionClauses.id),
    decisionId: uuid('decision_id').notNull().references(() => decisions.id),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    /** The att-sats text at the time of the decision. */
    text: text('text').notNull(),
    dueDate: date('due_date'),
    /** open | done. */
    status: text('status').notNull().default('open'),
    doneOn: date('done_on'),
    isExample: boolean('is_example').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('assignments_clause_uq').on(t.clauseId),
    index('assignments_org_idx').on(t.organisationId, t.status),
    index('assignments_case_idx').on(t.caseId),
    // The list's order (status, due date; nulls last is btree's default): its first page stops early.
    index('assignments_list_idx').on(t.status, t.dueDate),
    check('assignments_status', sql`${t.status} in ('open', 'done')`),
  ],
);

/** An assignment carried out through actions of a program's plan. */
export const assignmentActions = pgTable(
  'assignment_actions',
  {
    assignmentId: uuid('assignment_id').notNull().references(() => assignments.id),
    actionId: uuid('action_id').notNull().references(() => planActions.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.actionId] }), index('assignment_actions_action_idx').on(t.actionId)],
);

/**
 * A decision's dispatch list: organisations from the register, and the case file (akten, kind 'file').
 * status: pending (not yet dispatched) | sent (e-mailed with the extract) | manual (no e-mail address:
 * the extract is in its outgoing record, to be sent by hand) | filed (akten: a drawn-up record).
 */
export const dispatchEntries = pgTable(
  'decision_dispatch_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    decisionId: uuid('decision_id').notNull().references(() => decisions.id),
    kind: text('kind').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    status: text('status').notNull().default('pending'),
    /** The address the extract was sent to. */
    email: text('email'),
    recordId: uuid('record_id').references(() => caseRecords.id),
    jobId: bigint('job_id', { mode: 'number' }),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    dispatchedBy: uuid('dispatched_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('dispatch_entries_decision_idx').on(t.decisionId),
    uniqueIndex('dispatch_entries_org_uq').on(t.decisionId, t.organisationId),
    uniqueIndex('dispatch_entries_file_uq').on(t.decisionId).where(sql`kind = 'file'`),
    check('dispatch_entries_kind', sql`${t.kind} in ('organisation', 'file')`),
    check('dispatch_entries_org', sql`(${t.kind} = 'file') = (${t.organisationId} is null)`),
    check('dispatch_entries_status', sql`${t.status} in ('pending', 'sent', 'manual', 'filed')`),
  ],
);
