import { sql } from 'drizzle-orm';
import { check, date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { secrecyColumns } from './access.ts';
import { incidentCategories } from './incidents.ts';
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
 * with the coordinator's text beside them), status draft → adopted. An adopted report is frozen (its data
 * snapshot kept in `snapshot`); a new version reopens it as a draft. Every save is kept in the versions table.
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
    createdBy: uuid('created_by').notNull().references(() => users.id),
    updatedBy: uuid('updated_by').notNull().references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lagesbild_reports_period_idx').on(t.periodFrom),
    check('lagesbild_reports_status', sql`${t.status} in ('draft', 'adopted')`),
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
