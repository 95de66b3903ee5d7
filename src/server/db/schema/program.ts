import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { secrecyColumns } from './access.ts';
import { organisations } from './organisations.ts';
import { governingDocuments } from './documents.ts';
import { users } from './users.ts';
import { bytea } from './types.ts';

const stamps = {
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** A program or plan adopted by a body: the safety program, an åtgärdsplan (Lag 2023:196), a handlingsprogram (LSO)… */
export const programs = pgTable('programs', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  description: text('description'),
  /** The organisation that owns the follow-up (normally the executive board / municipal office). */
  ownerOrganisationId: uuid('owner_organisation_id').notNull().references(() => organisations.id),
  /**
   * The program's entry in the governing-document register: the one record of its status, validity and the
   * decision that adopted it (issue #11 item 3). Created with the program, as a draft; an adopt att-sats
   * decided by the adopting body puts it in force.
   */
  documentId: uuid('document_id').notNull().unique('programs_document_uq').references(() => governingDocuments.id),
  isExample: boolean('is_example').notNull().default(false),
  ...stamps,
});

export const focusAreas = pgTable(
  'focus_areas',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programId: uuid('program_id').notNull().references(() => programs.id),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    ...stamps,
  },
  (t) => [uniqueIndex('focus_areas_number_uq').on(t.programId, t.number)],
);

export const goals = pgTable(
  'goals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    focusAreaId: uuid('focus_area_id').notNull().references(() => focusAreas.id),
    number: integer('number').notNull(),
    text: text('text').notNull(),
    indicator: text('indicator'),
    unit: text('unit'),
    baseline: numeric('baseline'),
    targetValue: numeric('target_value'),
    targetYear: integer('target_year'),
    /** The key figure's id in the national municipal key-figure database (Kolada, e.g. "N07403"): an import maps rows to this goal's indicator by it. */
    kpiId: text('kpi_id'),
    /** The indicator's scale: a measured value outside it is refused (a unit of % without a scale means 0–100). */
    scaleMin: numeric('scale_min'),
    scaleMax: numeric('scale_max'),
    /**
     * The organisation that measures the indicator and reports its value in a follow-up round (issue #11 item
     * 4); null: the programme's owner (the coordinator) does.
     */
    indicatorOrganisationId: uuid('indicator_organisation_id').references(() => organisations.id),
    ...stamps,
  },
  (t) => [uniqueIndex('goals_number_uq').on(t.focusAreaId, t.number)],
);

export const planActions = pgTable(
  'plan_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    goalId: uuid('goal_id').notNull().references(() => goals.id),
    /** Sub-actions roll up into their parent action. */
    parentActionId: uuid('parent_action_id').references((): AnyPgColumn => planActions.id),
    title: text('title').notNull(),
    description: text('description'),
    responsibleOrganisationId: uuid('responsible_organisation_id').notNull().references(() => organisations.id),
    contactPerson: text('contact_person'),
    startDate: date('start_date'),
    endDate: date('end_date'),
    status: text('status').notNull().default('not_started'),
    progress: integer('progress').notNull().default(0),
    weight: numeric('weight').notNull().default('1'),
    subAreas: text('sub_areas').array().notNull().default(sql`'{}'::text[]`),
    isExample: boolean('is_example').notNull().default(false),
    ...stamps,
  },
  (t) => [
    index('plan_actions_goal_idx').on(t.goalId),
    index('plan_actions_responsible_idx').on(t.responsibleOrganisationId),
    index('plan_actions_parent_idx').on(t.parentActionId),
    check('plan_actions_progress', sql`${t.progress} between 0 and 100`),
    check('plan_actions_weight', sql`${t.weight} > 0`),
    check('plan_actions_period', sql`${t.endDate} is null or ${t.startDate} is null or ${t.endDate} >= ${t.startDate}`),
    check('plan_actions_not_own_parent', sql`${t.parentActionId} <> ${t.id}`),
  ],
);

export const planActionContributors = pgTable(
  'plan_action_contributors',
  {
    actionId: uuid('action_id').notNull().references(() => planActions.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.organisationId] })],
);

/** A follow-up round: every responsible organisation reports on its actions before the deadline. */
export const followUpRounds = pgTable('follow_up_rounds', {
  id: uuid('id').primaryKey().defaultRandom(),
  programId: uuid('program_id').notNull().references(() => programs.id),
  name: text('name').notNull(),
  deadline: date('deadline').notNull(),
  /** Limited to these organisations' actions (and their subtrees); empty = the whole program. */
  scopeOrganisationIds: uuid('scope_organisation_ids').array().notNull().default(sql`'{}'::uuid[]`),
  status: text('status').notNull().default('open'),
  openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  /** Frozen on close: the roll-up as it stood. */
  snapshot: jsonb('snapshot'),
  ...stamps,
});

export const followUpReports = pgTable(
  'follow_up_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roundId: uuid('round_id').notNull().references(() => followUpRounds.id),
    actionId: uuid('action_id').notNull().references(() => planActions.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    state: text('state').notNull().default('not_started'),
    actionStatus: text('action_status'),
    progress: integer('progress'),
    done: text('done'),
    nextSteps: text('next_steps'),
    risks: text('risks'),
    returnComment: text('return_comment'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').references(() => users.id),
    ...stamps,
  },
  (t) => [
    uniqueIndex('follow_up_reports_uq').on(t.roundId, t.actionId),
    index('follow_up_reports_org_idx').on(t.organisationId),
    check('follow_up_reports_progress', sql`${t.progress} is null or ${t.progress} between 0 and 100`),
  ],
);


/** Files a reporter attaches to a follow-up report (minutes, photos, evidence). */
export const reportAttachments = pgTable(
  'report_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id').notNull().references(() => followUpReports.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: uuid('uploaded_by').notNull().references(() => users.id),
    ...secrecyColumns(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('report_attachments_report_idx').on(t.reportId)],
);

/**
 * A measured value of a goal's indicator (the goal's `indicator`, `unit`, `baseline`, `targetValue`): entered by
 * hand, in a follow-up round, or imported from a file of key figures. Holds no secret information: the goal's
 * figures are the programme's and read with it (program.read on the programme's owner).
 */
export const indicatorValues = pgTable(
  'indicator_values',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    goalId: uuid('goal_id').notNull().references(() => goals.id),
    /** The day the value refers to (for a year's key figure, the year's last day). */
    measuredOn: date('measured_on').notNull(),
    /** The period as the source names it ("2024", "2024 T1"), or null. */
    period: text('period'),
    value: numeric('value').notNull(),
    source: text('source').notNull(),
    note: text('note'),
    roundId: uuid('round_id').references(() => followUpRounds.id),
    /** For imported values: the municipality code and KPI id of the row. */
    municipalityCode: text('municipality_code'),
    kpiId: text('kpi_id'),
    enteredBy: uuid('entered_by').references(() => users.id),
    ...stamps,
  },
  (t) => [
    uniqueIndex('indicator_values_uq').on(t.goalId, t.measuredOn, t.source),
    /** One value per goal and follow-up round (a round's value is entered again, not added). */
    uniqueIndex('indicator_values_round_uq').on(t.goalId, t.roundId),
    check('indicator_values_source', sql`${t.source} in ('round', 'manual', 'import')`),
  ],
);
