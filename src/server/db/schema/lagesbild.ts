import { sql } from 'drizzle-orm';
import { check, date, doublePrecision, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { secrecyColumns } from './access.ts';
import { incidentCategories } from './incidents.ts';
import { planActions } from './program.ts';
import { users } from './users.ts';

/**
 * The weekly lägesbild (EST): one note per ISO week from the weekly review ("2026-W47"), editable with
 * a version like every other record.
 */
export const lagesbildWeekNotes = pgTable(
  'lagesbild_week_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    week: text('week').notNull(),
    text: text('text').notNull(),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    updatedBy: uuid('updated_by').notNull().references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lagesbild_week_notes_week_uq').on(t.week)],
);

/**
 * The lägesbild per Lag (2023:196) 4 §: period, the three parts (the mapping's tables come from the data,
 * with the coordinator's text beside them), status draft → submitted → adopted. It is put to a body through a
 * case (registered there as a drawn-up record, with a draft decision whose att-sats adopts it); the body's
 * decision adopts it and freezes it (its data snapshot kept in `snapshot`); a new version reopens it as a
 * draft. Every save is kept in the versions table.
 */
export const lagesbildReports = pgTable(
  'lagesbild_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    periodFrom: date('period_from').notNull(),
    periodTo: date('period_to').notNull(),
    status: text('status').notNull().default('draft'),
    /** Part 1: the coordinator's text on the mapping of crime, its extent and consequences. */
    mappingText: text('mapping_text').notNull().default(''),
    /** Part 2: other relevant information. */
    otherText: text('other_text').notNull().default(''),
    /** Part 3: the analysis of the mapping and the information. */
    analysisText: text('analysis_text').notNull().default(''),
    /** The generated tables of part 1, frozen when the report is adopted; null while a draft (live data). */
    snapshot: jsonb('snapshot'),
    /** The same tables without restricted or secret incidents: what readers without incidents.manage see of an adopted report. */
    openSnapshot: jsonb('open_snapshot'),
    ...secrecyColumns(),
    adoptedAt: timestamp('adopted_at', { withTimezone: true }),
    adoptedBy: uuid('adopted_by').references(() => users.id),
    /** The case the report is put to a body through (cases module; no FK to keep the modules apart). */
    caseId: uuid('case_id'),
    /** The drawn-up record the report is registered as in that case. */
    recordId: uuid('record_id'),
    /** The att-sats that adopts it ("att fastställa lägesbilden …"); a forwarded proposal continues it. */
    decisionClauseId: uuid('decision_clause_id'),
    /** The decision that adopted it, and how it is cited ("KS 2026-03-04 § 12"). */
    adoptedByDecisionId: uuid('adopted_by_decision_id'),
    decisionReference: text('decision_reference'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').references(() => users.id),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    updatedBy: uuid('updated_by').notNull().references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lagesbild_reports_period_idx').on(t.periodFrom),
    index('lagesbild_reports_clause_idx').on(t.decisionClauseId),
    check('lagesbild_reports_status', sql`${t.status} in ('draft', 'submitted', 'adopted')`),
    check('lagesbild_reports_period', sql`${t.periodTo} >= ${t.periodFrom}`),
  ],
);

/** Every saved state of a report (the full content, who and when): never changed or deleted. */
export const lagesbildReportVersions = pgTable(
  'lagesbild_report_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id').notNull().references(() => lagesbildReports.id),
    version: integer('version').notNull(),
    /** create | update | adopt | reopen */
    event: text('event').notNull(),
    content: jsonb('content').notNull(),
    savedBy: uuid('saved_by').notNull().references(() => users.id),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lagesbild_report_versions_uq').on(t.reportId, t.version)],
);

/**
 * The findings (slutsatser) of a report's analysis: numbered, edited with the report while it is a draft, frozen
 * with it. The action plan's actions link to the findings they answer (plan_action_findings).
 */
export const lagesbildFindings = pgTable(
  'lagesbild_findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id').notNull().references(() => lagesbildReports.id),
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lagesbild_findings_ordinal_uq').on(t.reportId, t.ordinal)],
);

/** Which findings of the lägesbild an action of the action plan (a crime-prevention programme) answers. */
export const planActionFindings = pgTable(
  'plan_action_findings',
  {
    actionId: uuid('action_id').notNull().references(() => planActions.id),
    findingId: uuid('finding_id').notNull().references(() => lagesbildFindings.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.findingId] }), index('plan_action_findings_finding_idx').on(t.findingId)],
);

/**
 * Imported crime statistics for the municipality (public data, not secret-capable): reported crimes per
 * category and year from the national crime-statistics files (Brå, "anmälda brott"), and safety-survey figures
 * (NTU or a local trygghetsmätning) per question and year. A re-import of the same kind, municipality,
 * category and year replaces the value.
 */
export const crimeStatistics = pgTable(
  'crime_statistics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** reported (anmälda brott, a count) | survey (a share in per cent) */
    kind: text('kind').notNull(),
    municipalityCode: text('municipality_code').notNull(),
    category: text('category').notNull(),
    year: integer('year').notNull(),
    value: numeric('value').notNull(),
    /** Reported crimes per 100 000 inhabitants, when the file has it. */
    per100k: numeric('per_100k'),
    /** Where the figure comes from, as the file or the importer says ("Brå", "NTU 2025", "Trygghetsmätning Lund"). */
    source: text('source').notNull(),
    importedBy: uuid('imported_by').notNull().references(() => users.id),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('crime_statistics_uq').on(t.kind, t.municipalityCode, t.category, t.year),
    check('crime_statistics_kind', sql`${t.kind} in ('reported', 'survey')`),
  ],
);

/**
 * A map extract: the incidents in one box and period (and category) as they stood when it was made — for
 * sharing with a partner (shares, record type `map_extract`). Only open incidents are taken (not restricted,
 * not secret), with category, time and position only: never the reporter, the description or the organisation.
 * The points are a snapshot, so the partner sees exactly what was shared, not what has been added since.
 */
export const mapExtracts = pgTable(
  'map_extracts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    west: doublePrecision('west').notNull(),
    south: doublePrecision('south').notNull(),
    east: doublePrecision('east').notNull(),
    north: doublePrecision('north').notNull(),
    periodFrom: timestamp('period_from', { withTimezone: true }),
    periodTo: timestamp('period_to', { withTimezone: true }),
    categoryId: uuid('category_id').references(() => incidentCategories.id),
    /** [{ lat, lon, category (key), occurredAt }] at the time of making. */
    points: jsonb('points').notNull(),
    createdBy: uuid('created_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('map_extracts_box', sql`${t.west} < ${t.east} and ${t.south} < ${t.north}`)],
);
