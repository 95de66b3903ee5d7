import { z } from 'zod';
import { listOffset, optionalText, text, uuid, version } from './common.ts';
import { DOCUMENT_STATES } from './documents.ts';

/** Kinds of program/plan that share one follow-up. UI names: program.kind.<id>. */
export const PROGRAM_KINDS = ['safety_program', 'crime_prevention_plan', 'rescue_programme', 'action_plan', 'other'] as const;
/**
 * A program is its entry in the governing-document register (issue #11 item 3), so its status is the entry's as
 * it reads today (UI names: documentState.<id>): utkast until a decision adopts it, gällande, upphört att gälla
 * when its validity has run out, upphävd or ersatt by a decision.
 */
export const PROGRAM_STATUSES = DOCUMENT_STATES;
/** The twelve sub-areas of the memo (KS 2018/0316). UI names: program.subArea.<id>. */
export const SUB_AREAS = [
  'crisis_preparedness',
  'civil_defence',
  'protective_security',
  'accident_prevention',
  'it_security',
  'information_security',
  'staff_safety',
  'perimeter_protection',
  'fire_safety',
  'crime_accident_coordination',
  'sense_of_safety',
  'insurance',
] as const;
/** ej påbörjad, pågår, genomförd, försenad, avbruten. */
export const ACTION_STATUSES = ['not_started', 'in_progress', 'done', 'delayed', 'cancelled'] as const;
export const REPORT_STATES = ['not_started', 'draft', 'submitted', 'returned'] as const;
export const HEALTH = ['green', 'amber', 'red', 'none'] as const;

const isoDate = z.iso.date();
const period = <T extends { startDate?: string | null; endDate?: string | null }>(v: T) =>
  !v.startDate || !v.endDate || v.endDate >= v.startDate;
const periodIssue = { message: 'END_BEFORE_START', path: ['endDate'] };

export const programActions = ['program.manage', 'followup.manage'] as const;

export const program = z.object({
  id: uuid,
  kind: z.enum(PROGRAM_KINDS),
  title: z.string(),
  description: z.string().nullable(),
  ownerOrganisationId: uuid,
  /** Its entry in the governing-document register: the one record of status, validity and decision. */
  documentId: uuid,
  /** The body that adopted (or is to adopt) it. */
  adoptedByOrganisationId: uuid.nullable(),
  adoptedBy: z.string().nullable(),
  /** The adopting decision as cited ("KF 2020-02-27 § 31"), or the reference of one outside the registry. */
  decisionRef: z.string().nullable(),
  decisionId: uuid.nullable(),
  /** The case of the adopting decision, for a link. */
  decisionCaseId: uuid.nullable(),
  decisionCaseNumber: z.string().nullable(),
  adoptedOn: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  status: z.enum(PROGRAM_STATUSES),
  isExample: z.boolean(),
  version: z.number().int(),
  allowedActions: z.array(z.enum(programActions)),
});
export type Program = z.infer<typeof program>;
export const programList = z.object({ items: z.array(program) });

const programFields = {
  kind: z.enum(PROGRAM_KINDS),
  title: text(300),
  description: optionalText(5000),
  ownerOrganisationId: uuid,
  /** The body that is to adopt it; the program is a draft until that body's decision adopts it. */
  adoptedByOrganisationId: uuid.nullable().optional(),
  /** The proposed period (the decision that adopts it starts it on its date when no start is given). */
  validFrom: isoDate.nullable().optional(),
  validTo: isoDate.nullable().optional(),
  /**
   * Not set here: a program is a draft until a decision adopts it, and is repealed by decision. Only "draft" is
   * accepted, for clients that send it; anything else is refused (PROGRAM_STATUS_BY_DECISION).
   */
  status: z.enum(PROGRAM_STATUSES).optional(),
};
const programPeriod = (v: { validFrom?: string | null; validTo?: string | null }) => !v.validFrom || !v.validTo || v.validTo >= v.validFrom;
export const createProgram = z.object(programFields).refine(programPeriod, { message: 'END_BEFORE_START', path: ['validTo'] });
export const updateProgram = z
  .object({ version, ...z.object(programFields).partial().shape })
  .refine(programPeriod, { message: 'END_BEFORE_START', path: ['validTo'] });

export const focusArea = z.object({ id: uuid, programId: uuid, number: z.number().int(), title: z.string(), description: z.string().nullable(), version: z.number().int() });
export const createFocusArea = z.object({ number: z.number().int().min(1).max(999), title: text(300), description: optionalText(5000) });
export const updateFocusArea = z.object({ version, ...createFocusArea.partial().shape });

const decimal = z.number().min(-1e12).max(1e12);
export const goal = z.object({
  id: uuid,
  focusAreaId: uuid,
  number: z.number().int(),
  text: z.string(),
  indicator: z.string().nullable(),
  unit: z.string().nullable(),
  baseline: z.number().nullable(),
  targetValue: z.number().nullable(),
  targetYear: z.number().int().nullable(),
  /** The key figure's id in Kolada (the national municipal key-figure database): imports map to this indicator by it. */
  kpiId: z.string().nullable(),
  /** The indicator's scale; a unit of % without one means 0–100. */
  scaleMin: z.number().nullable(),
  scaleMax: z.number().nullable(),
  /** The organisation that reports the indicator's value in a follow-up round; null: the programme's owner. */
  indicatorOrganisationId: uuid.nullable().optional(),
  version: z.number().int(),
});
const goalBase = z.object({
  number: z.number().int().min(1).max(999),
  text: text(2000),
  indicator: optionalText(500),
  unit: optionalText(50),
  baseline: decimal.nullable().optional(),
  targetValue: decimal.nullable().optional(),
  targetYear: z.number().int().min(2000).max(2100).nullable().optional(),
  kpiId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,20}$/, 'KPI_ID_FORMAT').nullable().optional(),
  scaleMin: decimal.nullable().optional(),
  scaleMax: decimal.nullable().optional(),
  indicatorOrganisationId: uuid.nullable().optional(),
});
const scaleOrdered = (g: { scaleMin?: number | null; scaleMax?: number | null }) => g.scaleMin == null || g.scaleMax == null || g.scaleMax >= g.scaleMin;
const scaleIssue = { message: 'SCALE_MAX_BELOW_MIN', path: ['scaleMax'] };
export const createGoal = goalBase.refine(scaleOrdered, scaleIssue);
export const updateGoal = z.object({ version, ...goalBase.partial().shape }).refine(scaleOrdered, scaleIssue);

export const actionActions = ['program.manage'] as const;
export const planAction = z.object({
  id: uuid,
  goalId: uuid,
  parentActionId: uuid.nullable(),
  title: z.string(),
  description: z.string().nullable(),
  responsibleOrganisationId: uuid,
  responsibleOrganisationName: z.string(),
  contributorIds: z.array(uuid),
  contactPerson: z.string().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  status: z.enum(ACTION_STATUSES),
  progress: z.number().int(),
  weight: z.number(),
  subAreas: z.array(z.enum(SUB_AREAS)),
  isExample: z.boolean(),
  version: z.number().int(),
  allowedActions: z.array(z.enum(actionActions)),
});
export type PlanAction = z.infer<typeof planAction>;
export const planActionList = z.object({ items: z.array(planAction), total: z.number().int() });

const actionFields = {
  goalId: uuid,
  parentActionId: uuid.nullable().optional(),
  title: text(300),
  description: optionalText(5000),
  responsibleOrganisationId: uuid,
  contributorIds: z.array(uuid).max(100).default([]),
  contactPerson: optionalText(200),
  startDate: isoDate.nullable().optional(),
  endDate: isoDate.nullable().optional(),
  status: z.enum(ACTION_STATUSES).default('not_started'),
  progress: z.number().int().min(0).max(100).default(0),
  weight: z.number().positive().max(1000).default(1),
  subAreas: z.array(z.enum(SUB_AREAS)).max(SUB_AREAS.length).default([]),
};
export const createPlanAction = z.object(actionFields).refine(period, periodIssue);
export type CreatePlanAction = z.infer<typeof createPlanAction>;
export const updatePlanAction = z
  .object({
    version,
    ...z.object(actionFields).omit({ contributorIds: true, subAreas: true, status: true, progress: true, weight: true }).partial().shape,
    contributorIds: z.array(uuid).max(100).optional(),
    subAreas: z.array(z.enum(SUB_AREAS)).max(SUB_AREAS.length).optional(),
    status: z.enum(ACTION_STATUSES).optional(),
    progress: z.number().int().min(0).max(100).optional(),
    weight: z.number().positive().max(1000).optional(),
  })
  .refine(period, periodIssue);
export type UpdatePlanAction = z.infer<typeof updatePlanAction>;

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const planActionQuery = z.object({
  programId: uuid.optional(),
  goalId: uuid.optional(),
  organisationId: uuid.optional(),
  subArea: z.enum(SUB_AREAS).optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  mine: flag.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: listOffset,
});

export const historyEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
});
export const history = z.object({ items: z.array(historyEntry) });

// --- Roll-up ---
export const rollupNode = z.object({
  id: uuid,
  title: z.string(),
  number: z.number().int().nullable(),
  progress: z.number().nullable(),
  health: z.enum(HEALTH),
  actionCount: z.number().int(),
  statusCounts: z.record(z.enum(ACTION_STATUSES), z.number().int()),
  /**
   * Goal fulfilment (måluppfyllelse), 0–100, from the goals' indicators: the latest measured value's way from
   * baseline to target (a focus area and the programme: the mean over their goals that have one); null without
   * measured indicators. Not on actions.
   */
  fulfilment: z.number().nullable().optional(),
  /** Implementation rate (genomförandegrad): the share of the counted actions that are done, 0–100 (cancelled ones do not count). */
  implementationRate: z.number().nullable().optional(),
});
/**
 * `actions` only for the goal drilled into (rollupQuery.goalId), and in reports: the counted actions the
 * reader may see. The figures (progress, health, counts) cover every action of the goal, whoever reads;
 * `hiddenActionCount` says how many of the counted actions the reader may not see the detail of.
 */
export const goalRollup = rollupNode.extend({
  /** The goal's indicator and its latest measured value (null: the goal has no indicator). */
  indicator: z
    .object({ name: z.string(), unit: z.string().nullable(), baseline: z.number().nullable(), targetValue: z.number().nullable(), targetYear: z.number().int().nullable(), latest: z.number().nullable(), latestOn: z.string().nullable(), reached: z.boolean().nullable() })
    .nullable()
    .optional(),
  actions: z.array(rollupNode.extend({ status: z.enum(ACTION_STATUSES), responsibleOrganisationId: uuid, isExample: z.boolean() })).optional(),
  hiddenActionCount: z.number().int().optional(),
});
export const focusAreaRollup = rollupNode.extend({ goals: z.array(goalRollup) });
export const programRollup = rollupNode.extend({ focusAreas: z.array(focusAreaRollup) });
export type ProgramRollup = z.infer<typeof programRollup>;
export const rollupQuery = z.object({
  goalId: uuid.optional(),
  organisationId: uuid.optional(),
  subArea: z.enum(SUB_AREAS).optional(),
  status: z.enum(ACTION_STATUSES).optional(),
});

// --- Follow-up rounds and reports ---
export const roundActions = ['followup.manage'] as const;
export const round = z.object({
  id: uuid,
  programId: uuid,
  name: z.string(),
  deadline: z.string(),
  scopeOrganisationIds: z.array(uuid),
  status: z.enum(['open', 'closed']),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
  counts: z.record(z.enum([...REPORT_STATES, 'overdue']), z.number().int()),
  allowedActions: z.array(z.enum(roundActions)),
});
export const roundList = z.object({ items: z.array(round) });
export const createRound = z.object({
  programId: uuid,
  name: text(200),
  deadline: isoDate,
  scopeOrganisationIds: z.array(uuid).max(200).default([]),
});
export const closeRound = z.object({ version });

export const roundOverview = z.object({
  items: z.array(
    z.object({
      organisationId: uuid,
      organisationName: z.string(),
      total: z.number().int(),
      submitted: z.number().int(),
      draft: z.number().int(),
      returned: z.number().int(),
      notStarted: z.number().int(),
      overdue: z.boolean(),
    }),
  ),
});

export const reportActions = ['followup.report', 'followup.manage'] as const;
export const report = z.object({
  id: uuid,
  roundId: uuid,
  roundName: z.string(),
  roundStatus: z.enum(['open', 'closed']),
  deadline: z.string(),
  actionId: uuid,
  actionTitle: z.string(),
  organisationId: uuid,
  organisationName: z.string(),
  state: z.enum(REPORT_STATES),
  actionStatus: z.enum(ACTION_STATUSES).nullable(),
  progress: z.number().int().nullable(),
  done: z.string().nullable(),
  nextSteps: z.string().nullable(),
  risks: z.string().nullable(),
  returnComment: z.string().nullable(),
  submittedAt: z.string().nullable(),
  /** The same action's submitted report in the previous closed round, for the trend. */
  previous: z.object({ roundName: z.string(), actionStatus: z.enum(ACTION_STATUSES).nullable(), progress: z.number().int().nullable() }).nullable(),
  /** A secret attachment the viewer may not read is listed as hidden: no name, type or size (issue #10 item 1). */
  attachments: z.array(z.object({ id: uuid, filename: z.string(), contentType: z.string(), size: z.number().int(), secrecyRef: z.string().nullable().optional(), hidden: z.boolean().optional() })),
  version: z.number().int(),
  allowedActions: z.array(z.enum(reportActions)),
});
export type Report = z.infer<typeof report>;
export const reportList = z.object({ items: z.array(report) });
export const reportQuery = z.object({
  roundId: uuid.optional(),
  /** One action's reports across rounds (the drill-down to an action). */
  actionId: uuid.optional(),
  organisationId: uuid.optional(),
  state: z.enum(REPORT_STATES).optional(),
  /** Only reports the actor may write in open rounds (Mina uppgifter). */
  mine: flag.optional(),
});
export const saveReport = z.object({
  version,
  actionStatus: z.enum(ACTION_STATUSES).nullable().optional(),
  progress: z.number().int().min(0).max(100).nullable().optional(),
  done: optionalText(10_000),
  nextSteps: optionalText(10_000),
  risks: optionalText(10_000),
});
export const returnReport = z.object({ version, comment: text(5000) });
export const attachmentParams = z.object({ id: uuid, attachmentId: uuid });
export const attachment = z.object({ id: uuid, filename: z.string(), contentType: z.string(), size: z.number().int() });

// --- Import of actions from XLSX/CSV ---
export const importQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') });
export const importResult = z.object({
  valid: z.boolean(),
  applied: z.boolean(),
  counts: z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int(), invalid: z.number().int() }),
  fileErrors: z.array(z.string()),
  rows: z.array(
    z.object({
      row: z.number().int(),
      id: z.string().nullable(),
      title: z.string(),
      operation: z.enum(['create', 'update', 'unchanged']),
      errors: z.array(z.object({ column: z.string(), message: z.string() })),
    }),
  ),
});

// --- The board report as data (the print page renders what the DOCX/PDF show) ---
export const documentBlock = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heading'), level: z.union([z.literal(1), z.literal(2), z.literal(3)]), text: z.string() }),
  z.object({ type: z.literal('paragraph'), text: z.string(), muted: z.boolean().optional() }),
  z.object({ type: z.literal('table'), caption: z.string().optional(), columns: z.array(z.object({ header: z.string(), width: z.number().optional() })), rows: z.array(z.array(z.string())) }),
  z.object({ type: z.literal('pageBreak') }),
  // A chart (src/shared/charts.ts): the print page draws it as the PDF does.
  z.object({
    type: z.literal('chart'),
    kind: z.enum(['bar', 'stackedBar', 'line']),
    title: z.string(),
    alt: z.string(),
    categories: z.array(z.string()),
    series: z.array(z.object({ name: z.string(), values: z.array(z.number().nullable()), labels: z.array(z.string()).optional(), color: z.string(), dashed: z.boolean().optional() })),
    max: z.number().optional(),
    unit: z.string().optional(),
    dashedLegend: z.string().optional(),
  }),
]);
export const documentModel = z.object({
  organisation: z.string(),
  title: z.string(),
  subtitle: z.string().optional(),
  meta: z.array(z.object({ label: z.string(), value: z.string() })),
  blocks: z.array(documentBlock),
  lang: z.enum(['sv-SE', 'en-GB']),
  footer: z.string().optional(),
});
export type DocumentModelT = z.infer<typeof documentModel>;

// --- Measured indicators (issue #11 item 4) ---
export const INDICATOR_SOURCES = ['round', 'manual', 'import'] as const;
export const indicatorValue = z.object({
  id: uuid,
  goalId: uuid,
  measuredOn: z.string(),
  period: z.string().nullable(),
  value: z.number(),
  source: z.enum(INDICATOR_SOURCES),
  note: z.string().nullable(),
  roundId: uuid.nullable(),
  municipalityCode: z.string().nullable(),
  kpiId: z.string().nullable(),
  enteredByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type IndicatorValue = z.infer<typeof indicatorValue>;
const indicatorValueFields = {
  measuredOn: isoDate,
  period: optionalText(50),
  value: decimal,
  note: optionalText(2000),
};
export const createIndicatorValue = z.object(indicatorValueFields);
export const updateIndicatorValue = z.object({ version, ...z.object(indicatorValueFields).partial().shape });
/** DELETE carries the version in its query (?version=3). */
export const deleteIndicatorValue = z.object({ version: z.coerce.number().int().min(1) });
/** A goal's indicator: its definition, its measured values oldest first, and the fulfilment they give. */
export const indicatorTrend = z.object({
  goalId: uuid,
  programId: uuid,
  goalText: z.string(),
  // The indicator's definition as the goal holds it.
  ...goal.pick({ indicator: true, unit: true, baseline: true, targetValue: true, targetYear: true, kpiId: true, scaleMin: true, scaleMax: true }).shape,
  latest: z.object({ value: z.number(), measuredOn: z.string() }).nullable(),
  /** 0–100: how far the latest value has come from the baseline to the target; null without values or baseline/target. */
  fulfilment: z.number().nullable(),
  reached: z.boolean().nullable(),
  values: z.array(indicatorValue),
  mayManage: z.boolean(),
});
export type IndicatorTrend = z.infer<typeof indicatorTrend>;
export const indicatorImportResult = z.object({
  valid: z.boolean(),
  applied: z.boolean(),
  counts: z.object({ import: z.number().int(), invalid: z.number().int() }),
  fileErrors: z.array(z.string()),
  rows: z.array(
    z.object({
      row: z.number().int(),
      municipalityCode: z.string(),
      kpiId: z.string(),
      year: z.string(),
      value: z.string(),
      goalId: uuid.nullable(),
      errors: z.array(z.object({ column: z.string(), message: z.string() })),
    }),
  ),
});
export type IndicatorImportResult = z.infer<typeof indicatorImportResult>;

// --- Indicator values entered in a follow-up round (issue #11 item 4) ---
/**
 * A goal's indicator as a follow-up round asks for it: who reports it (the goal's indicator organisation, or the
 * programme's owner), the value entered in this round (if any) and the latest value before it.
 */
export const roundIndicator = z.object({
  goalId: uuid,
  number: z.string(),
  goalText: z.string(),
  indicator: z.string(),
  ...goal.pick({ unit: true, baseline: true, targetValue: true, scaleMin: true, scaleMax: true }).shape,
  organisationId: uuid,
  organisationName: z.string(),
  value: indicatorValue.nullable(),
  previous: z.object({ value: z.number(), measuredOn: z.string(), period: z.string().nullable() }).nullable(),
  mayEnter: z.boolean(),
});
export type RoundIndicator = z.infer<typeof roundIndicator>;
export const roundIndicatorList = z.object({ roundId: uuid, roundName: z.string(), roundStatus: z.enum(['open', 'closed']), deadline: z.string(), items: z.array(roundIndicator) });
export const roundIndicatorQuery = z.object({ mine: flag.optional() });
export const roundIndicatorParams = z.object({ id: uuid, goalId: uuid });
/** The round's value of one indicator; `version` when it replaces the value already entered in the round. */
export const enterRoundIndicator = z.object({ ...indicatorValueFields, version: z.number().int().min(1).optional() });
