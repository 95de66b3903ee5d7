import { z } from 'zod';
import { periodWithinLimit, plainString, text, uuid, version } from './common.ts';
import { mapBbox } from './incidents.ts';
import { documentBlock } from './program.ts';

// ISO weeks (Monday–Sunday, Europe/Stockholm): src/shared/time.ts, re-exported for the schemas' users.
import { mondayOfWeek } from '../time.ts';
export { lastFullWeek, mondayOfWeek, shiftWeek, weekOfDate, weeksInYear, todayInStockholm as swedishToday } from '../time.ts';

export const isoWeek = z.string().refine((v) => mondayOfWeek(v) !== null, { params: { i18n: 'validation.isoWeek' } });

// --- The weekly view ---

export const weeklyQuery = z.object({
  week: isoWeek.optional(),
  /** How many weeks before it make the average (EST: the weeks before; default 4). */
  compare: z.coerce.number().int().min(1).max(12).default(4),
});
export const TRENDS = ['higher', 'lower', 'same'] as const;
const counts = z.object({
  /** Municipal incidents reported in Trygg. */
  incidents: z.number().int(),
  /** Police events (open events API), counted on the category their type maps to. */
  police: z.number().int(),
  total: z.number().int(),
  /** Average total per week over the comparison weeks (one decimal). */
  average: z.number(),
  trend: z.enum(TRENDS),
});
export const weekNote = z.object({
  week: z.string(),
  text: z.string(),
  createdBy: z.object({ id: z.uuid(), name: z.string() }),
  updatedBy: z.object({ id: z.uuid(), name: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export const weeklyView = z.object({
  week: z.string(),
  /** Monday and Sunday of the week (dates, Europe/Stockholm). */
  from: z.string(),
  to: z.string(),
  compareWeeks: z.array(z.object({ week: z.string(), from: z.string(), total: z.number().int() })),
  total: counts,
  byCategory: z.array(counts.extend({ categoryId: z.uuid().nullable(), categoryKey: z.string().nullable(), categoryName: z.string() })),
  byArea: z.array(counts.extend({ areaId: z.uuid().nullable(), areaName: z.string().nullable() })),
  /** Police events in the week whose type is not mapped to a category: not counted above (map them to count them). */
  unmappedPolice: z.number().int(),
  /** The week's police event types without a category, most frequent first, to map from the weekly view. */
  unmappedTypes: z.array(z.object({ policeType: z.string(), count: z.number().int() })),
  note: weekNote.nullable(),
  /** What the actor may do here: 'note' (write the review note). */
  allowedActions: z.array(z.enum(['note', 'mapTypes'])),
});
export type WeeklyView = z.infer<typeof weeklyView>;
export const weekParams = z.object({ week: isoWeek });
export const saveWeekNote = z.object({
  text: plainString().trim().max(20_000),
  /** The version the edit is based on; null when writing the week's first note. */
  version: version.nullable(),
});

// --- The lägesbild report (Lag 2023:196 4 §) ---

export const REPORT_STATUSES = ['draft', 'submitted', 'adopted'] as const;
const dateOnly = z.iso.date();
const partText = plainString().max(100_000);
export const createLagesbildReport = z
  .object({
    title: plainString().trim().min(1).max(300),
    periodFrom: dateOnly,
    periodTo: dateOnly,
    mappingText: partText.optional(),
    otherText: partText.optional(),
    analysisText: partText.optional(),
  })
  .refine((v) => v.periodTo >= v.periodFrom, { message: 'END_BEFORE_START', path: ['periodTo'] })
  .refine((v) => Date.parse(v.periodTo) - Date.parse(v.periodFrom) <= 10 * 366 * 86_400_000, { params: { i18n: 'validation.invalid' }, path: ['periodTo'] });
export const updateLagesbildReport = z
  .object({
    version,
    title: plainString().trim().min(1).max(300).optional(),
    periodFrom: dateOnly.optional(),
    periodTo: dateOnly.optional(),
    mappingText: partText.optional(),
    otherText: partText.optional(),
    analysisText: partText.optional(),
  })
  .refine((v) => !v.periodFrom || !v.periodTo || v.periodTo >= v.periodFrom, { message: 'END_BEFORE_START', path: ['periodTo'] });
export const versionBody = z.object({ version });
/** Put the report to a body through a case: registered there as a record, with a draft decision that adopts it. */
export const submitLagesbildReport = z.object({ version, caseId: uuid, bodyOrganisationId: uuid });
/** The findings of the analysis, in order: an id keeps an existing one (and the actions linked to it). */
export const saveFindings = z.object({
  version,
  findings: z.array(z.object({ id: uuid.optional(), text: plainString().trim().min(1).max(4000) })).max(100),
});
export const findingAction = z.object({ id: z.uuid(), title: z.string(), status: z.string(), programId: z.uuid(), programTitle: z.string() });
export const finding = z.object({
  id: z.uuid(),
  ordinal: z.number().int(),
  text: z.string(),
  /** The action plan's actions that answer it (those the reader may see). */
  actions: z.array(findingAction),
  /** Linked actions the reader may not see (counted, not named). */
  hiddenActions: z.number().int(),
});
/** Where the report stands in its case: the record, the decision that is to adopt it (or did), the body. */
export const reportDecision = z.object({
  caseId: z.uuid(),
  registryNumber: z.string(),
  recordNumber: z.string().nullable(),
  decisionId: z.uuid().nullable(),
  bodyName: z.string().nullable(),
  decisionStatus: z.enum(['draft', 'decided']).nullable(),
  /** "KS 2026-03-04 § 12" once decided. */
  reference: z.string().nullable(),
});

const person = z.object({ id: z.uuid(), name: z.string() }).nullable();
export const lagesbildReportSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  status: z.enum(REPORT_STATUSES),
  adoptedAt: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: person,
  /** The OSL reference of a secrecy-marked report (only those who may read it get it at all). */
  secrecyRef: z.string().nullable(),
  version: z.number().int(),
});
export const lagesbildReportList = z.object({ items: z.array(lagesbildReportSummary) });
export const lagesbildReport = lagesbildReportSummary.extend({
  mappingText: z.string(),
  otherText: z.string(),
  analysisText: z.string(),
  adoptedBy: person,
  createdAt: z.string(),
  createdBy: person,
  /** Part 1's generated tables (live for a draft, frozen for an adopted report), as the documents show them. */
  generated: z.array(documentBlock),
  findings: z.array(finding),
  decision: reportDecision.nullable(),
  submittedAt: z.string().nullable(),
  /**
   * `submit`: put it to a body through a case; `withdraw`: take it back to a draft before the body decides;
   * `secrecy`: may mark or unmark the report secret (incidents.manage on the municipality).
   */
  allowedActions: z.array(z.enum(['edit', 'submit', 'withdraw', 'reopen', 'secrecy'])),
});
export type LagesbildReportT = z.infer<typeof lagesbildReport>;
export const REPORT_EVENTS = ['create', 'update', 'submit', 'withdraw', 'adopt', 'reopen'] as const;
export const lagesbildVersionList = z.object({
  items: z.array(z.object({ version: z.number().int(), event: z.enum(REPORT_EVENTS), status: z.enum(REPORT_STATUSES), title: z.string(), savedBy: person, savedAt: z.string() })),
});
export const lagesbildVersion = z.object({
  version: z.number().int(),
  event: z.enum(REPORT_EVENTS),
  savedBy: person,
  savedAt: z.string(),
  content: z.object({
    title: z.string(),
    periodFrom: z.string(),
    periodTo: z.string(),
    status: z.enum(REPORT_STATUSES),
    mappingText: z.string(),
    otherText: z.string(),
    analysisText: z.string(),
    adoptedAt: z.string().nullable(),
    findings: z.array(z.object({ ordinal: z.number().int(), text: z.string() })),
  }),
  /** The generated tables as they stood in that version (frozen for an adopted one, else today's data). */
  generated: z.array(documentBlock),
});
export const reportVersionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1).max(2_147_483_647) });

/** Findings to link an action of the action plan to: those of the reports the reader may see. */
export const findingOptions = z.object({
  items: z.array(z.object({ id: z.uuid(), reportId: z.uuid(), reportTitle: z.string(), reportStatus: z.enum(REPORT_STATUSES), ordinal: z.number().int(), text: z.string() })),
});
/** An action's findings; `applies`: the action is in a crime-prevention action plan (only those link to findings). */
export const actionFindings = z.object({ applies: z.boolean(), items: findingOptions.shape.items });
export const setActionFindings = z.object({ findingIds: z.array(uuid).max(100) });

// --- Imported crime statistics (public data): Brå's reported crimes and a safety survey ---

export const CRIME_STAT_KINDS = ['reported', 'survey'] as const;
export const crimeStatQuery = z.object({ kind: z.enum(CRIME_STAT_KINDS).optional() });
export const crimeStat = z.object({
  id: z.uuid(),
  kind: z.enum(CRIME_STAT_KINDS),
  municipalityCode: z.string(),
  category: z.string(),
  year: z.number().int(),
  value: z.number(),
  per100k: z.number().nullable(),
  source: z.string(),
  importedAt: z.string(),
});
export const crimeStatList = z.object({ items: z.array(crimeStat) });
export const crimeStatImportQuery = z.object({
  kind: z.enum(CRIME_STAT_KINDS),
  dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Where the figures come from, when the file does not say ("NTU 2025"). */
  source: plainString().trim().max(200).optional(),
});
export const crimeStatImportResult = z.object({
  valid: z.boolean(),
  applied: z.boolean(),
  counts: z.object({ import: z.number().int(), invalid: z.number().int() }),
  fileErrors: z.array(z.string()),
  rows: z.array(z.object({ row: z.number().int(), municipalityCode: z.string(), category: z.string(), year: z.string(), value: z.string(), errors: z.array(z.object({ column: z.string(), message: z.string() })) })),
});
export type CrimeStatImportResultT = z.infer<typeof crimeStatImportResult>;

/** Export kinds (see /api/exports). */
export const LAGESBILD_REPORT_EXPORT = 'incidents.lagesbild-report';
export const STATISTICS_EXPORT = 'incidents.statistics';

// --- Map extracts (shared with partners) ---

/** A map extract: the open incidents in the box, period and category as they stand now, kept as a snapshot. */
export const createMapExtract = z
  .object({
    title: text(200),
    bbox: mapBbox,
    categoryId: uuid.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), { message: 'END_BEFORE_START', path: ['to'] })
  .refine(...periodWithinLimit);
export const mapExtractPoint = z.object({ lat: z.number(), lon: z.number(), categoryKey: z.string(), category: z.string(), occurredAt: z.string() });
export const mapExtract = z.object({
  id: z.uuid(),
  title: z.string(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  from: z.string().nullable(),
  to: z.string().nullable(),
  category: z.string().nullable(),
  points: z.array(mapExtractPoint),
  createdBy: z.object({ id: z.uuid(), name: z.string() }),
  createdAt: z.string(),
});
export type MapExtractT = z.infer<typeof mapExtract>;
export const mapExtractList = z.object({ items: z.array(mapExtract.omit({ points: true }).extend({ count: z.number().int() })) });
