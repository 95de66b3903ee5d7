import { sql, type SQL } from 'drizzle-orm';
import { type AnyPgColumn, bigint, boolean, check, customType, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

/**
 * The registry (diarium): cases, their records (handlingar), the bodies' meetings and decisions with
 * their att-satser. Remiss, dispatch and the governing-document register build on these tables.
 */

const stamps = {
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** PostgreSQL full-text vector (Swedish configuration), maintained as a generated column. */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** A Swedish to_tsvector over the given columns (null-safe), for generated `search` columns. */
export const swedish = (...parts: SQL[]) =>
  sql`to_tsvector('swedish'::regconfig, ${sql.join(
    parts.map((p) => sql`coalesce(${p}, '')`),
    sql` || ' ' || `,
  )})`;

/**
 * Gap-free sequence per registry series and year: the next number is taken with
 * `insert … on conflict do update set last = last + 1 returning last` inside the case's transaction,
 * so a rolled-back registration gives its number back and concurrent ones queue on the row lock.
 */
export const caseNumberCounters = pgTable(
  'case_number_counters',
  {
    series: text('series').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.series, t.year] })],
);

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Registry series: the registering body's short name (KS, BSN…), upper case letters. */
    series: text('series').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    /** The number in the municipality's own registry system, when the case is kept there as well (shown beside Trygg's). */
    externalRegistryNumber: text('external_registry_number'),
    /** `KS 2026/0001`: series, year and the sequence padded to four digits. */
    registryNumber: text('registry_number').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    caseType: text('case_type').notNull(),
    /** The registering body (KS…), an organisation. */
    registryOrganisationId: uuid('registry_organisation_id').notNull().references(() => organisations.id),
    /** The organisation responsible for handling the case; scopes who may read it. */
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    officerId: uuid('officer_id').references(() => users.id),
    /** open | dormant | closed (öppet, vilande, avslutat). */
    status: text('status').notNull().default('open'),
    registeredOn: date('registered_on').notNull(),
    closedOn: date('closed_on'),
    /** Best interests of the child: null = not yet assessed; required before a decision. */
    concernsChildren: boolean('concerns_children'),
    childAssessment: text('child_assessment'),
    /** Secrecy marking (OSL 5 kap. 5 §): the legal reference (e.g. "18 kap. 8 § OSL"); set → restricted reading. */
    secrecyRef: text('secrecy_ref'),
    secrecyMarkedBy: uuid('secrecy_marked_by').references(() => users.id),
    secrecyMarkedOn: date('secrecy_marked_on'),
    secrecyReason: text('secrecy_reason'),
    secrecyMarkedAt: timestamp('secrecy_marked_at', { withTimezone: true }),
    /** The next record number within the case (`KS 2018/0316-12`), allocated like the registry number. */
    lastRecordSeq: integer('last_record_seq').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id),
    isExample: boolean('is_example').notNull().default(false),
    search: tsvector('search').generatedAlwaysAs(
      (): SQL => swedish(sql`registry_number`, sql`title`, sql`description`, sql`case_type`),
    ),
    ...stamps,
  },
  (t) => [
    uniqueIndex('cases_registry_number_uq').on(t.registryNumber),
    uniqueIndex('cases_series_year_seq_uq').on(t.series, t.year, t.seq),
    index('cases_org_idx').on(t.organisationId, t.registeredOn),
    index('cases_registered_idx').on(t.registeredOn),
    // registry: the case list's officer filter ("my cases")
    index('cases_officer_idx').on(t.officerId, t.registeredOn),
    index('cases_search_idx').using('gin', t.search),
    check('cases_status', sql`${t.status} in ('open', 'dormant', 'closed')`),
    check('cases_seq', sql`${t.seq} between 1 and 99999`),
  ],
);

/**
 * How many cases there are per status × what the access core's case rule reads (responsible organisation,
 * registering body, officer — the zero uuid for none —, secret): the case list's total without counting the
 * cases (issue #12). Kept by statement triggers on `cases` with transition tables, in the same transaction as
 * each change (hand-written SQL in the migration 0027_case_counts); derived, so not backed up (db/backup.ts
 * DERIVED_TABLES). No foreign keys: it is a figure, not a record.
 */
export const caseCounts = pgTable(
  'case_counts',
  {
    organisationId: uuid('organisation_id').notNull(),
    registryOrganisationId: uuid('registry_organisation_id').notNull(),
    officerId: uuid('officer_id').notNull(),
    secret: boolean('secret').notNull(),
    status: text('status').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'case_counts_pk', columns: [t.organisationId, t.registryOrganisationId, t.officerId, t.secret, t.status] })],
);

export const caseRecords = pgTable(
  'case_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    /** Number within the case: `KS 2018/0316-12`. */
    seq: integer('seq').notNull(),
    /** incoming | drawn_up | outgoing (inkommen, upprättad, utgående). */
    direction: text('direction').notNull(),
    recordDate: date('record_date').notNull(),
    title: text('title').notNull(),
    /** Sender (incoming) or recipient (outgoing), as free text; counterpartOrganisationId when in the register. */
    counterpart: text('counterpart'),
    counterpartOrganisationId: uuid('counterpart_organisation_id').references(() => organisations.id),
    secrecyRef: text('secrecy_ref'),
    secrecyReason: text('secrecy_reason'),
    secrecyMarkedBy: uuid('secrecy_marked_by').references(() => users.id),
    secrecyMarkedAt: timestamp('secrecy_marked_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    isExample: boolean('is_example').notNull().default(false),
    search: tsvector('search').generatedAlwaysAs((): SQL => swedish(sql`title`, sql`counterpart`)),
    ...stamps,
  },
  (t) => [
    uniqueIndex('case_records_case_seq_uq').on(t.caseId, t.seq),
    index('case_records_search_idx').using('gin', t.search),
    check('case_records_direction', sql`${t.direction} in ('incoming', 'drawn_up', 'outgoing')`),
  ],
);

/** A record's files: bytes in the configured files folder, addressed and checked by SHA-256. */
export const caseRecordFiles = pgTable(
  'case_record_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordId: uuid('record_id').notNull().references(() => caseRecords.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_record_files_record_idx').on(t.recordId)],
);

/** A meeting of a body (KF, KS, KSAU, a committee): decisions cite body, date and §. */
export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bodyOrganisationId: uuid('body_organisation_id').notNull().references(() => organisations.id),
    meetingDate: date('meeting_date').notNull(),
    title: text('title'),
    /** The notice (kallelse): time ("13.00") and place of the meeting. */
    startsAt: text('starts_at'),
    location: text('location'),
    /** Where the adjusted minutes are kept (förvaringsplats), as the notice board says. */
    minutesKeptAt: text('minutes_kept_at'),
    /** The day the minutes were adjusted (justerade) by the chair and every appointed adjuster; null until then. */
    adjustedOn: date('adjusted_on'),
    /** What the source does not give and the demo made up about this meeting (example data), said plainly. */
    exampleNote: text('example_note'),
    ...stamps,
  },
  (t) => [uniqueIndex('meetings_body_date_uq').on(t.bodyOrganisationId, t.meetingDate)],
);

/**
 * A decision in a case. kind: decision | referral_back (återremiss: reopens the case with its reason) |
 * remiss (sends the case on remiss) | delegation. status: draft (proposed, e.g. in the officer's report) |
 * decided (its att-satser take effect).
 */
export const decisions = pgTable(
  'decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    meetingId: uuid('meeting_id').references(() => meetings.id),
    bodyOrganisationId: uuid('body_organisation_id').notNull().references(() => organisations.id),
    decidedOn: date('decided_on'),
    paragraph: integer('paragraph'),
    kind: text('kind').notNull().default('decision'),
    status: text('status').notNull().default('draft'),
    title: text('title').notNull(),
    /** Reason for a referral back; background text otherwise. */
    reason: text('reason'),
    /**
     * The decision whose proposal this one decides (KSAU's for KS, KS's for KF): the case's way through
     * the bodies that prepare and decide it. Made by forwarding the decided proposal.
     */
    preparedByDecisionId: uuid('prepared_by_decision_id').references((): AnyPgColumn => decisions.id),
    /** The meeting decided that this § is adjusted at once (omedelbar justering), before the rest of the minutes. */
    immediateAdjustment: boolean('immediate_adjustment').notNull().default(false),
    /** The day the § was adjusted: with its minutes, or on its own when adjusted at once. Dispatch needs it. */
    adjustedOn: date('adjusted_on'),
    /** Which facts the source does not give and the demo made up (e.g. "Datum och § är exempeldata"); shown with the decision. */
    exampleNote: text('example_note'),
    createdBy: uuid('created_by').references(() => users.id),
    isExample: boolean('is_example').notNull().default(false),
    ...stamps,
  },
  (t) => [
    index('decisions_case_idx').on(t.caseId),
    index('decisions_prepared_by_idx').on(t.preparedByDecisionId),
    uniqueIndex('decisions_body_date_paragraph_uq').on(t.bodyOrganisationId, t.decidedOn, t.paragraph),
    check('decisions_kind', sql`${t.kind} in ('decision', 'referral_back', 'remiss', 'delegation')`),
    check('decisions_status', sql`${t.status} in ('draft', 'decided')`),
    check('decisions_paragraph', sql`${t.paragraph} is null or ${t.paragraph} between 1 and 99999`),
    check('decisions_decided_complete', sql`${t.status} = 'draft' or (${t.decidedOn} is not null and ${t.paragraph} is not null)`),
  ],
);

/**
 * The ordered att-satser of a decision. effect: none | assignment (an uppdrag to an organisation with a
 * deadline) | repeal (a governing document upphör att gälla) | replace | adopt | adopt_lagesbild (fastställa
 * a lägesbild under Lag 2023:196: the report names the att-sats, lagesbild_reports.decision_clause_id). The
 * targets are filled by the modules that own them (assignments, governing documents, lägesbild reports).
 */
export const decisionClauses = pgTable(
  'decision_clauses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    decisionId: uuid('decision_id').notNull().references(() => decisions.id),
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    /** The body the proposal is addressed to ("föreslår kommunfullmäktige besluta"), when not the deciding body. */
    toBodyOrganisationId: uuid('to_body_organisation_id').references(() => organisations.id),
    effect: text('effect').notNull().default('none'),
    /** assignment: the organisation given the uppdrag and its deadline. */
    assigneeOrganisationId: uuid('assignee_organisation_id').references(() => organisations.id),
    dueDate: date('due_date'),
    /** repeal / replace / adopt: the governing document concerned (documents module; no FK to keep modules apart). */
    documentId: uuid('document_id'),
    /** replace: the document that replaces documentId. */
    replacementDocumentId: uuid('replacement_document_id'),
    /** A condition the att-sats is decided under ("under förutsättning att kommunfullmäktige antar …"). */
    condition: text('condition'),
    /** The att-sats of the preparing body's decision this one continues (set when a proposal is forwarded). */
    proposedFromClauseId: uuid('proposed_from_clause_id').references((): AnyPgColumn => decisionClauses.id),
    ...stamps,
  },
  (t) => [
    uniqueIndex('decision_clauses_ordinal_uq').on(t.decisionId, t.ordinal),
    check('decision_clauses_effect', sql`${t.effect} in ('none', 'assignment', 'repeal', 'replace', 'adopt', 'adopt_lagesbild')`),
  ],
);
