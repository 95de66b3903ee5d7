import { z } from 'zod';
import { optionalText, pageQuery, periodWithinLimit, plainString, text, uuid, version } from './common.ts';

import { INCIDENT_STATUSES } from './incident-status.ts';
export { INCIDENT_STATUSES };
/** 1 låg, 2 medel, 3 hög. */
export const SEVERITIES = [1, 2, 3] as const;
export const VICTIM_ROLES = ['employee', 'elected_official', 'contractor', 'student_trainee', 'other'] as const;
export const PERPETRATOR_RELATIONS = ['client', 'student', 'relative', 'member_of_public', 'colleague', 'unknown', 'other'] as const;
export const CLOCK_STOP_REASONS = ['reported', 'not_required'] as const;

/** Sweden's extent in WGS84 (with a margin): coordinates outside are refused with a clear message. */
export const SWEDEN_BOUNDS = { minLat: 55.0, maxLat: 69.1, minLon: 10.5, maxLon: 24.2 } as const;
const inSweden = (p: { lat: number; lon: number }) =>
  p.lat >= SWEDEN_BOUNDS.minLat && p.lat <= SWEDEN_BOUNDS.maxLat && p.lon >= SWEDEN_BOUNDS.minLon && p.lon <= SWEDEN_BOUNDS.maxLon;
export const location = z
  .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
  .refine(inSweden, { params: { i18n: 'validation.outsideSweden' } });

/** Five minutes of clock skew between phone and server is not "the future". */
const notFuture = z.iso
  .datetime({ offset: true })
  .refine((v) => Date.parse(v) <= Date.now() + 5 * 60_000, { params: { i18n: 'validation.futureTime' } });

// --- Categories ---

export const CATEGORY_FIELD_TYPES = ['text', 'number', 'boolean', 'select'] as const;
export const categoryField = z.object({
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/),
  label: text(200),
  type: z.enum(CATEGORY_FIELD_TYPES),
  options: z.array(text(100)).max(50).optional(),
  required: z.boolean().optional(),
});
export type CategoryField = z.infer<typeof categoryField>;
export const category = z.object({
  id: uuid,
  key: z.string(),
  name: z.string(),
  active: z.boolean(),
  staffSafety: z.boolean(),
  fields: z.array(categoryField),
  sortOrder: z.number().int(),
  version: z.number().int(),
});
export type Category = z.infer<typeof category>;
export const categoryList = z.object({ items: z.array(category) });
export const createCategory = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  name: text(200),
  active: z.boolean().optional(),
  staffSafety: z.boolean().optional(),
  fields: z.array(categoryField).max(30).optional(),
  sortOrder: z.number().int().min(0).max(100_000).optional(),
});
export const updateCategory = createCategory.omit({ key: true }).partial().extend({ version });

// --- Incidents ---

export const staffDetails = z
  .object({
    victimRole: z.enum(VICTIM_ROLES),
    perpetratorRelation: z.enum(PERPETRATOR_RELATIONS),
    policeReportNumber: optionalText(50),
    sickLeave: z.boolean(),
    sickLeaveDays: z.number().int().min(1).max(3650).nullable().optional(),
  })
  .refine((v) => v.sickLeave || v.sickLeaveDays == null, { params: { i18n: 'validation.sickLeaveDays' }, path: ['sickLeaveDays'] });
export type StaffDetails = z.infer<typeof staffDetails>;

const extraValue = z.union([plainString().max(2000), z.number(), z.boolean(), z.null()]);

export const createIncident = z.object({
  categoryId: uuid,
  description: text(10_000),
  occurredAt: notFuture.optional(),
  /** When the employer learnt of it (default now): starts the legal clocks. */
  knownAt: notFuture.optional(),
  location: location.nullable().optional(),
  place: optionalText(300),
  organisationId: uuid,
  premises: optionalText(300),
  anonymous: z.boolean().optional(),
  severity: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable().optional(),
  extra: z.record(z.string().max(40), extraValue).optional(),
  staff: staffDetails.nullable().optional(),
})
  // One cannot learn of an incident before it happened (the service also checks against a defaulted occurredAt).
  .refine((v) => !v.knownAt || !v.occurredAt || Date.parse(v.knownAt) >= Date.parse(v.occurredAt), { message: 'KNOWN_BEFORE_OCCURRED', path: ['knownAt'] });
export type CreateIncident = z.infer<typeof createIncident>;

export const updateIncident = z.object({
  version,
  categoryId: uuid.optional(),
  description: text(10_000).optional(),
  occurredAt: notFuture.optional(),
  location: location.nullable().optional(),
  place: optionalText(300),
  organisationId: uuid.optional(),
  premises: optionalText(300),
  status: z.enum(INCIDENT_STATUSES).optional(),
  severity: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable().optional(),
  ownerId: uuid.nullable().optional(),
  extra: z.record(z.string().max(40), extraValue).optional(),
  staff: staffDetails.nullable().optional(),
});
export type UpdateIncident = z.infer<typeof updateIncident>;

export const incidentActions = ['incidents.manage'] as const;

export const clock = z.object({
  id: uuid,
  kind: z.string(),
  name: z.string(),
  legalRef: z.string(),
  startedAt: z.string(),
  durationMinutes: z.number().int(),
  due: z.string(),
  state: z.enum(['running', 'overdue', 'stopped']),
  stoppedAt: z.string().nullable(),
  stoppedInTime: z.boolean().nullable(),
  stopReason: z.string().nullable(),
  stopNote: z.string().nullable(),
  remainingMinutes: z.number().int().nullable(),
});
export const stopClock = z.object({
  reason: z.enum(CLOCK_STOP_REASONS),
  /** When the report was made (default now). */
  stoppedAt: notFuture.optional(),
  note: optionalText(2000),
});

export const timelineEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: uuid.nullable(),
  actorName: z.string().nullable(),
  kind: z.string(),
  text: z.string().nullable(),
  data: z.unknown().nullable(),
  struck: z.object({ at: z.string(), byName: z.string().nullable(), reason: z.string() }).nullable(),
});
export const task = z.object({
  id: uuid,
  incidentId: uuid,
  title: z.string(),
  dueDate: z.string(),
  assigneeId: uuid.nullable(),
  assigneeName: z.string().nullable(),
  done: z.boolean(),
  doneAt: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
});
export const createTask = z.object({ title: text(300), dueDate: z.iso.date(), assigneeId: uuid.nullable().optional() });
export const updateTask = z.object({ version, title: text(300).optional(), dueDate: z.iso.date().optional(), assigneeId: uuid.nullable().optional(), done: z.boolean().optional() });
export const photo = z.object({ id: uuid, filename: z.string(), contentType: z.string(), size: z.number().int(), createdAt: z.string() });

// --- Links to other modules' records (program actions and cases) ---

/** What an incident can be linked to: a new module adds its kind here (and in incidentsRepo.linksOf). */
export const INCIDENT_LINK_KINDS = ['action', 'case'] as const;
export const incidentLink = z.object({
  id: uuid,
  kind: z.enum(INCIDENT_LINK_KINDS),
  targetId: uuid,
  /** Null when the reader may not see the target (the link itself is part of the incident). */
  title: z.string().nullable(),
  /** The case's registry number (cases only; null when the reader may not see the case). */
  reference: z.string().nullable(),
  createdAt: z.string(),
});
export const createLink = z.object({ kind: z.enum(INCIDENT_LINK_KINDS), targetId: uuid });
export const linkParams = z.object({ id: uuid, linkId: uuid });
export const linkTargetQuery = z.object({
  /** Absent: both kinds. */
  kind: z.enum(INCIDENT_LINK_KINDS).optional(),
  /** Part of the title (case-insensitive), or of a case's registry number; empty lists the first ones. */
  q: plainString().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const linkTarget = z.object({ kind: z.enum(INCIDENT_LINK_KINDS), id: uuid, title: z.string(), context: z.string() });
export const linkTargetList = z.object({ items: z.array(linkTarget) });

export const incident = z.object({
  id: uuid,
  categoryId: uuid,
  categoryKey: z.string(),
  categoryName: z.string(),
  description: z.string(),
  occurredAt: z.string(),
  knownAt: z.string(),
  location: z.object({ lat: z.number(), lon: z.number() }).nullable(),
  place: z.string().nullable(),
  organisationId: uuid,
  organisationName: z.string(),
  premises: z.string().nullable(),
  anonymous: z.boolean(),
  /** Null when anonymous and the reader may not see who reported. */
  reporter: z.object({ id: uuid, name: z.string() }).nullable(),
  status: z.enum(INCIDENT_STATUSES),
  severity: z.number().int().nullable(),
  owner: z.object({ id: uuid, name: z.string() }).nullable(),
  areaId: uuid.nullable(),
  restricted: z.boolean(),
  /** The OSL reference of a secrecy-marked incident (only those who may read it get it at all). */
  secrecyRef: z.string().nullable(),
  extra: z.record(z.string(), z.unknown()),
  staff: z.unknown().nullable(),
  isExample: z.boolean(),
  version: z.number().int(),
  clocks: z.array(clock),
  allowedActions: z.array(z.enum(incidentActions)),
});
export type Incident = z.infer<typeof incident>;
/** The victim roles the employer's work-environment duties cover (arbetsmiljölagen 1 kap. 3 §: employees, and pupils/trainees in practice). */
export const AML_VICTIM_ROLES = ['employee', 'student_trainee'] as const;
export const amlApplies = (staff: unknown) => AML_VICTIM_ROLES.includes((staff as { victimRole?: string } | null)?.victimRole as (typeof AML_VICTIM_ROLES)[number]);

const notFutureDate = z.iso.date().refine((v) => v <= new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10), { params: { i18n: 'validation.futureTime' } });

/**
 * The employer's work-environment handling of a staff incident (arbetsmiljölagen 3 kap. 3 a §, AFS 2023:1):
 * the seriousness assessment; for a serious one the report to Arbetsmiljöverket ("anmäld") with its reference;
 * the safety representative informed; the manager's investigation and measures; the occupational-injury
 * report (arbetsskadeanmälan) to Försäkringskassan when someone was injured.
 */
export const saveWorkEnvironment = z
  .object({
    version: version.nullable(),
    serious: z.boolean().nullable(),
    assessmentNote: optionalText(2000),
    avReportedAt: notFuture.nullable().optional(),
    avReference: optionalText(100),
    safetyRepInformedOn: notFutureDate.nullable().optional(),
    investigation: optionalText(5000),
    measures: optionalText(5000),
    injury: z.boolean(),
    injuryReportedOn: notFutureDate.nullable().optional(),
    injuryReference: optionalText(100),
  })
  .superRefine((v, ctx) => {
    if (v.avReportedAt && v.serious !== true) ctx.addIssue({ code: 'custom', path: ['avReportedAt'], params: { i18n: 'validation.avReportOnlySerious' } });
    if (v.avReportedAt && !v.avReference) ctx.addIssue({ code: 'custom', path: ['avReference'], params: { i18n: 'validation.avReferenceRequired' } });
    if (v.injuryReportedOn && !v.injury) ctx.addIssue({ code: 'custom', path: ['injuryReportedOn'], params: { i18n: 'validation.injuryReportOnlyInjury' } });
  });
export const workEnvironment = z.object({
  /** false: the victim is not the employer's worker (e.g. an elected official): the duties do not apply. */
  applies: z.boolean(),
  serious: z.boolean().nullable(),
  assessmentNote: z.string().nullable(),
  assessedBy: z.string().nullable(),
  assessedAt: z.string().nullable(),
  avReportedAt: z.string().nullable(),
  avReference: z.string().nullable(),
  safetyRepInformedOn: z.string().nullable(),
  investigation: z.string().nullable(),
  measures: z.string().nullable(),
  injury: z.boolean(),
  injuryReportedOn: z.string().nullable(),
  injuryReference: z.string().nullable(),
  version: z.number().int().nullable(),
});
export type WorkEnvironment = z.infer<typeof workEnvironment>;

export const incidentDetail = incident.extend({
  timeline: z.array(timelineEntry),
  tasks: z.array(task),
  photos: z.array(photo),
  links: z.array(incidentLink),
  /** Only for staff-safety incidents (threats and violence against staff and elected officials). */
  workEnvironment: workEnvironment.nullable().optional(),
});
export const incidentList = z.object({ items: z.array(incident), total: z.number().int() });

/** minLon,minLat,maxLon,maxLat in WGS84 degrees, within the world (a box around the world is allowed). */
const bboxString = z
  .string()
  .max(200)
  .refine(
    (v) => {
      if (!/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$/.test(v)) return false;
      const [w, s, e, n] = v.split(',').map(Number);
      return w >= -180 && e <= 180 && s >= -90 && n <= 90 && w <= e && s <= n;
    },
    { params: { i18n: 'validation.bbox' } },
  )
  .transform((v) => v.split(',').map(Number) as [number, number, number, number]);

export const incidentQuery = z.object({
  status: z.enum(INCIDENT_STATUSES).optional(),
  categoryId: uuid.optional(),
  organisationId: uuid.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** minLon,minLat,maxLon,maxLat */
  bbox: bboxString.optional(),
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Incidents linked to this program action (the action page's list). */
  actionId: uuid.optional(),
  /** Incidents linked to this case (the case page's list). */
  caseId: uuid.optional(),
  ...pageQuery,
}).refine(...periodWithinLimit);

export const comment = z.object({ text: text(5000) });
export const strike = z.object({ reason: text(1000) });
export const timelineParams = z.object({ id: uuid, entryId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
export const photoParams = z.object({ id: uuid, photoId: uuid });
export const clockParams = z.object({ id: uuid, clockId: uuid });

// --- Police events ---

export const policeEvent = z.object({
  id: z.number().int(),
  datetime: z.string(),
  name: z.string(),
  summary: z.string(),
  url: z.string().nullable(),
  type: z.string(),
  locationName: z.string(),
  lat: z.number(),
  lon: z.number(),
  categoryId: uuid.nullable(),
  categoryKey: z.string().nullable(),
});
export const policeEventList = z.object({ items: z.array(policeEvent), total: z.number().int() });
export const policeEventQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  type: plainString().max(100).optional(),
  bbox: bboxString.optional(),
  ...pageQuery,
}).refine(...periodWithinLimit);
export const policeImportResult = z.object({
  total: z.number().int(),
  imported: z.number().int(),
  updated: z.number().int(),
  duplicates: z.number().int(),
  outsideMunicipality: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), id: z.unknown().optional(), message: z.string() })),
  /** The event types in the file that have no category (and are not excluded as summaries): to be mapped. */
  unmappedTypes: z.array(z.string()),
});
/** excluded: the type is not an event (the police's summaries, updates): never counted or drawn. */
export const typeMapping = z.object({ policeType: z.string(), categoryId: uuid.nullable(), excluded: z.boolean() });
export const typeMappingList = z.object({ items: z.array(typeMapping.extend({ categoryKey: z.string().nullable() })) });
export const saveTypeMappings = z.object({ items: z.array(z.object({ policeType: text(100), categoryId: uuid.nullable(), excluded: z.boolean().optional() })).min(1).max(500) });

// --- Map: clusters (or single points at high zoom) for the visible box ---

/** From this zoom on, the map answers single points instead of grid clusters. */
export const MAP_POINTS_ZOOM = 15;
export const MAP_SOURCES = ['incidents', 'police'] as const;
/** west,south,east,north in WGS84 degrees; west < east, south < north. */
export const mapBbox = z
  .string()
  .max(200)
  .refine(
    (v) => {
      const p = v.split(',');
      if (p.length !== 4 || !p.every((x) => /^-?\d{1,3}(\.\d{1,15})?$/.test(x))) return false;
      const [w, s, e, n] = p.map(Number);
      return w >= -180 && e <= 180 && s >= -90 && n <= 90 && w < e && s < n;
    },
    { params: { i18n: 'validation.bbox' } },
  )
  .transform((v) => v.split(',').map(Number) as [number, number, number, number]);
export const mapZoom = z
  .string()
  .refine((v) => /^\d{1,2}$/.test(v) && Number(v) <= 22, { params: { i18n: 'validation.zoom' } })
  .transform(Number);
export const mapQuery = z
  .object({
    bbox: mapBbox,
    zoom: mapZoom,
    source: z.enum(MAP_SOURCES).default('incidents'),
    categoryId: uuid.optional(),
    organisationId: uuid.optional(),
    /** Incidents in this area (incident_areas); police events have no area and ignore it. */
    areaId: uuid.optional(),
    status: z.enum(INCIDENT_STATUSES).optional(),
    /** Police event type (source=police). */
    type: plainString().max(100).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), { message: 'END_BEFORE_START', path: ['to'] })
  .refine(...periodWithinLimit);
export const mapCluster = z.object({
  /** Grid cell (column, row) at this zoom; stable for the same zoom. */
  cell: z.tuple([z.number().int(), z.number().int()]),
  lat: z.number(),
  lon: z.number(),
  count: z.number().int(),
  /** Most common category (incidents) or police type (police) in the cell. */
  key: z.string(),
  categoryId: uuid.nullable(),
});
export const mapPoint = z.object({
  id: z.string(),
  lat: z.number(),
  lon: z.number(),
  key: z.string(),
  categoryId: uuid.nullable(),
  /** Incident status; null for police events. */
  status: z.enum(INCIDENT_STATUSES).nullable(),
  at: z.string(),
});
export const mapResult = z.object({
  source: z.enum(MAP_SOURCES),
  zoom: z.number().int(),
  mode: z.enum(['clusters', 'points']),
  /** Grid cell size in degrees (clusters). */
  cellSize: z.number(),
  clusters: z.array(mapCluster),
  points: z.array(mapPoint),
  /** Incidents or events in the box (all of them, also when points are truncated). */
  total: z.number().int(),
  truncated: z.boolean(),
});

/** People who may handle an incident (incidents.manage on its organisation): the owner and assignee choices. */
export const incidentPeople = z.object({ items: z.array(z.object({ id: uuid, name: z.string() })) });
/** Open follow-up tasks assigned to the reader, with their incident. */
export const myIncidentTasks = z.object({
  items: z.array(task.extend({ incidentCategoryName: z.string(), incidentOccurredAt: z.string(), incidentOrganisationName: z.string() })),
});
/** What the web map needs from the server's configuration: no tile URL → the offline boundary only. */
/** Where the lägesbild's background map comes from (one at a time; none → the municipal boundary alone, offline). */
export const basemap = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** Web-mercator tiles from a URL template ({z}/{x}/{y}, optionally {s}). */
  z.object({ kind: z.literal('xyz'), url: z.string(), attribution: z.string().nullable() }),
  /** A WMTS in SWEREF 99 TM (EPSG:3006): URL template with {z}, {y}, {x}, the matrix set's top-left corner and resolutions (m/px). */
  z.object({ kind: z.literal('wmts3006'), url: z.string(), attribution: z.string().nullable(), origin: z.tuple([z.number(), z.number()]), resolutions: z.array(z.number()) }),
  /** Raster tiles from a PMTiles file served by Trygg itself (web mercator). */
  z.object({
    kind: z.literal('pmtiles'),
    url: z.string(),
    attribution: z.string().nullable(),
    minZoom: z.number().int(),
    maxZoom: z.number().int(),
    /** West, south, east, north (WGS 84). */
    bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  }),
]);
export const mapSettings = z.object({ basemap });
/** z/x/y of a basemap tile (web-mercator scheme). */
export const basemapTileParams = z
  .object({
    z: z.coerce.number().int().min(0).max(26),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
  })
  .refine((p) => p.x < 2 ** p.z && p.y < 2 ** p.z, { message: 'x och y måste ligga inom zoomnivån (0 till 2^z − 1)', path: ['x'] });

// --- Statistics and areas (moved here from the server module so the web app can parse answers) ---

export const statsQuery = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    bbox: bboxString.optional(),
    categoryId: uuid.optional(),
    organisationId: uuid.optional(),
    areaId: uuid.optional(),
    status: z.enum(INCIDENT_STATUSES).optional(),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'END_BEFORE_START', path: ['to'] })
  .refine(...periodWithinLimit);

const cell = z.object({ categoryId: uuid, categoryKey: z.string(), month: z.string(), areaId: uuid.nullable(), areaName: z.string().nullable(), count: z.number().int() });
export const statsResult = z.object({
  /** Counts per category × month (Europe/Stockholm) × area; area null = outside every area or without position. */
  cells: z.array(cell),
  byCategory: z.array(z.object({ categoryKey: z.string(), count: z.number().int(), previousYear: z.number().int() })),
  byArea: z.array(z.object({ areaId: uuid.nullable(), areaName: z.string().nullable(), count: z.number().int(), previousYear: z.number().int() })),
  total: z.number().int(),
  previousYearTotal: z.number().int(),
  /** Last year's counts per category and month, each named by the month a year later (the one it compares with). */
  previousByMonth: z.array(z.object({ categoryKey: z.string(), month: z.string(), count: z.number().int() })),
});


const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
const ring = z.array(position).min(4).max(100_000);
const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(1000) });
const multiPolygon = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(1000)).min(1).max(1000) });
/** A GeoJSON Polygon or MultiPolygon, or a Feature holding one (WGS84, [lon, lat]). */
export const areaGeometry = z.union([polygon, multiPolygon, z.object({ type: z.literal('Feature'), geometry: z.union([polygon, multiPolygon]) }).transform((f) => f.geometry)]);

export const createArea = z.object({ name: z.string().trim().min(1).max(200), kind: z.enum(['district', 'school_zone', 'other']).optional(), priority: z.number().int().min(0).max(10_000).optional(), geometry: areaGeometry });
export const updateArea = z.object({ version: z.number().int().min(1), name: z.string().trim().min(1).max(200).optional(), active: z.boolean().optional(), priority: z.number().int().min(0).max(10_000).optional(), geometry: areaGeometry.optional() });
export const deleteAreaQuery = z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647) });
export const area = z.object({ id: uuid, name: z.string(), kind: z.string(), priority: z.number().int(), active: z.boolean(), geometry: z.unknown(), version: z.number().int() });
export const areaList = z.object({ items: z.array(area) });
