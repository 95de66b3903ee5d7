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

export const REPORT_STATUSES = ['draft', 'adopted'] as const;
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
  /** `secrecy`: may mark or unmark the report secret (incidents.manage on the municipality). */
  allowedActions: z.array(z.enum(['edit', 'adopt', 'reopen', 'secrecy'])),
});
export type LagesbildReportT = z.infer<typeof lagesbildReport>;
export const REPORT_EVENTS = ['create', 'update', 'adopt', 'reopen'] as const;
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
  }),
  /** The generated tables as they stood in that version (frozen for an adopted one, else today's data). */
  generated: z.array(documentBlock),
});
export const reportVersionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1).max(2_147_483_647) });

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
