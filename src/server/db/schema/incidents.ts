import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, primaryKey, date, doublePrecision, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { secrecyColumns } from './access.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';
import { bytea } from './types.ts';


const stamps = {
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** Incident categories, configured by administrators; `fields` lists extra fields asked for in this category. */
export const incidentCategories = pgTable(
  'incident_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    /** Threats and violence against staff: restricted visibility, the staff form and the legal clocks. */
    staffSafety: boolean('staff_safety').notNull().default(false),
    fields: jsonb('fields').notNull().default([]),
    sortOrder: integer('sort_order').notNull().default(0),
    ...stamps,
  },
  (t) => [uniqueIndex('incident_categories_key_uq').on(t.key)],
);

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    categoryId: uuid('category_id').notNull().references(() => incidentCategories.id),
    description: text('description').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** When the employer learnt of it: the start of the legal clocks. */
    knownAt: timestamp('known_at', { withTimezone: true }).notNull().defaultNow(),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    place: text('place'),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    premises: text('premises'),
    reportedBy: uuid('reported_by').notNull().references(() => users.id),
    anonymous: boolean('anonymous').notNull().default(false),
    status: text('status').notNull().default('new'),
    severity: integer('severity'),
    ownerId: uuid('owner_id').references(() => users.id),
    /** The area the position lies in (see incidentAreas); null without position or outside every area. */
    areaId: uuid('area_id'),
    /** Copied from the category when reported: only managers of the organisation and the reporter see it. */
    restricted: boolean('restricted').notNull().default(false),
    ...secrecyColumns(),
    extra: jsonb('extra').notNull().default({}),
    staff: jsonb('staff'),
    isExample: boolean('is_example').notNull().default(false),
    ...stamps,
  },
  (t) => [
    index('incidents_org_idx').on(t.organisationId, t.occurredAt),
    index('incidents_occurred_idx').on(t.occurredAt),
    index('incidents_reported_by_idx').on(t.reportedBy),
    /**
     * A reader's own restricted or secrecy-marked reports in a period (issue #12 item 3: the lägesbild's
     * aggregates count only what is not secret for a reader; their own secret reports come from here).
     */
    index('incidents_reported_secret_idx').on(t.reportedBy, t.occurredAt).where(sql`${t.restricted} or ${t.secrecyRef} is not null`),
    index('incidents_area_idx').on(t.areaId),
    /**
     * The map's box at high zoom: a narrow longitude range, then latitude (issue #6 benchmark); the time last, so
     * that the lägesbild's box edges west and east (issue #12, incidents.aggregate.ts) leave out other periods'
     * incidents in the index, before reading the table. Both position indexes are made in hand-written SQL
     * (migration `lagesbild_all_time`) with INCLUDE (category_id, area_id, organisation_id, reported_by,
     * restricted, secrecy_ref), which drizzle cannot declare: the edges are index-only scans.
     */
    index('incidents_lon_lat_idx').on(t.lon, t.lat, t.occurredAt),
    /** The lägesbild's box edges north and south (issue #12): a narrow latitude range, then longitude, then the time. */
    index('incidents_lat_lon_idx').on(t.lat, t.lon, t.occurredAt),
    check('incidents_lat', sql`${t.lat} is null or (${t.lat} between -90 and 90)`),
    check('incidents_lon', sql`${t.lon} is null or (${t.lon} between -180 and 180)`),
    check('incidents_severity', sql`${t.severity} is null or ${t.severity} between 1 and 3`),
  ],
);

/**
 * How many incidents there are per organisation, secret flag (restricted or secrecy-marked), status and
 * category: the incidents list's total without counting the table (issue #12). Kept by statement triggers on
 * `incidents` with transition tables, in the same transaction as each change (hand-written SQL at the end of
 * migration 0013_incident_counts); derived, so not backed up (db/backup.ts DERIVED_TABLES). No foreign keys:
 * it is a figure, not a record.
 */
export const incidentCounts = pgTable(
  'incident_counts',
  {
    organisationId: uuid('organisation_id').notNull(),
    secret: boolean('secret').notNull(),
    status: text('status').notNull(),
    categoryId: uuid('category_id').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.secret, t.status, t.categoryId] })],
);

/**
 * The same counts per reporter: how many incidents each user has reported per organisation, secret flag, status
 * and category. The list's total adds the actor's own reports that only the reporter tie lets them see (their
 * restricted reports where they may read but not manage, their reports in organisations they may not read) as a
 * sum here instead of counting them one by one, and `mine=true` is a sum here too (issue #12 item 5: a reader who
 * has reported many incidents). Kept by the same statement triggers as incident_counts, in the same transaction
 * as each change (hand-written SQL at the end of migration 0031_incident_reporter_counts); derived, so not
 * backed up (db/backup.ts DERIVED_TABLES). No foreign keys: it is a figure, not a record.
 */
export const incidentReporterCounts = pgTable(
  'incident_reporter_counts',
  {
    reportedBy: uuid('reported_by').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    secret: boolean('secret').notNull(),
    status: text('status').notNull(),
    categoryId: uuid('category_id').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'incident_reporter_counts_pk', columns: [t.reportedBy, t.organisationId, t.secret, t.status, t.categoryId] })],
);

/**
 * The lägesbild's aggregates (issue #12 item 3): how many incidents there are per category, area and secret
 * flag (restricted or secrecy-marked), per period and grid cell — the dimensions the statistics and the map
 * clusters group and filter by for readers whose visibility is the same for every organisation (organisation
 * and status are not in the key: readers scoped to some organisations and those filters use the incidents
 * table). One table, one statement trigger on `incidents` with transition tables, in the same transaction as
 * each change (hand-written SQL at the end of the migration `incident_aggregates`, which declares the unique
 * index, covering n and the coordinate sums for index-only scans); derived, so not backed up
 * (db/backup.ts DERIVED_TABLES). No foreign keys: they are figures, not records. Rows whose n falls to 0 are
 * deleted by the same trigger. Each incident is counted in seven rows (its levels):
 *
 * - `z` 0: every incident, per Stockholm month (`year` false), `gx` = `gy` = 0 — the statistics without a box;
 * - `z` 12 and 14 (positioned incidents only): the map's grid cell at that zoom, `floor(lon / cellSizeOf(z))`,
 *   per Stockholm month and per Stockholm year (`year` true, `period` its first day);
 * - `z` -12 and -14 (positioned incidents only): the same cells over all time (`year` true, `period` -infinity,
 *   a constant) — the map without a period (migration `lagesbild_all_time`).
 *
 * `area_id` is the nil uuid for incidents outside every area, so that the key has no nulls.
 */
export const incidentAggregates = pgTable('incident_aggregates', {
  z: smallint('z').notNull(),
  year: boolean('year').notNull(),
  period: date('period').notNull(),
  gx: integer('gx').notNull(),
  gy: integer('gy').notNull(),
  categoryId: uuid('category_id').notNull(),
  areaId: uuid('area_id').notNull(),
  secret: boolean('secret').notNull(),
  n: bigint('n', { mode: 'number' }).notNull(),
  sumLat: doublePrecision('sum_lat').notNull(),
  sumLon: doublePrecision('sum_lon').notNull(),
});

/** Append-only: entries are struck out with a reason, never deleted or edited. */
export const incidentTimeline = pgTable(
  'incident_timeline',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: uuid('incident_id').notNull().references(() => incidents.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id),
    kind: text('kind').notNull(),
    text: text('text'),
    data: jsonb('data'),
    struckAt: timestamp('struck_at', { withTimezone: true }),
    struckBy: uuid('struck_by').references(() => users.id),
    strikeReason: text('strike_reason'),
  },
  (t) => [index('incident_timeline_incident_idx').on(t.incidentId, t.id)],
);

export const incidentTasks = pgTable(
  'incident_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id').notNull().references(() => incidents.id),
    title: text('title').notNull(),
    dueDate: date('due_date').notNull(),
    assigneeId: uuid('assignee_id').references(() => users.id),
    doneAt: timestamp('done_at', { withTimezone: true }),
    ...stamps,
  },
  (t) => [index('incident_tasks_incident_idx').on(t.incidentId), index('incident_tasks_assignee_idx').on(t.assigneeId).where(sql`${t.doneAt} is null`)],
);

export const incidentPhotos = pgTable(
  'incident_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id').notNull().references(() => incidents.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: uuid('uploaded_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('incident_photos_incident_idx').on(t.incidentId)],
);

/** Legal clocks on an incident (lib/clocks.ts computes due and state). */
export const incidentClocks = pgTable(
  'incident_clocks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id').notNull().references(() => incidents.id),
    kind: text('kind').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    stopReason: text('stop_reason'),
    stopNote: text('stop_note'),
    stoppedBy: uuid('stopped_by').references(() => users.id),
    /** When the responsible manager and the coordinators were told that the deadline had passed (once). */
    alertedAt: timestamp('alerted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('incident_clocks_kind_uq').on(t.incidentId, t.kind)],
);

/**
 * The employer's work-environment handling of a threat or violence against an employee (arbetsmiljölagen
 * 3 kap. 3 a §, AFS 2023:1): the seriousness assessment, the report to Arbetsmiljöverket with its reference,
 * the safety representative informed, the manager's investigation and measures, and the occupational-injury
 * report to Försäkringskassan where someone was injured. One row per incident; not for elected officials.
 */
export const incidentWorkEnvironment = pgTable('incident_work_environment', {
  incidentId: uuid('incident_id').primaryKey().references(() => incidents.id),
  serious: boolean('serious'),
  assessmentNote: text('assessment_note'),
  assessedBy: uuid('assessed_by').references(() => users.id),
  assessedAt: timestamp('assessed_at', { withTimezone: true }),
  avReportedAt: timestamp('av_reported_at', { withTimezone: true }),
  avReference: text('av_reference'),
  safetyRepInformedOn: date('safety_rep_informed_on', { mode: 'string' }),
  investigation: text('investigation'),
  measures: text('measures'),
  injury: boolean('injury').notNull().default(false),
  injuryReportedOn: date('injury_reported_on', { mode: 'string' }),
  injuryReference: text('injury_reference'),
  version: integer('version').notNull().default(1),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Events from the Swedish Police open events API: a separate source, deduplicated by the police id. */
export const policeEvents = pgTable(
  'police_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    datetime: timestamp('datetime', { withTimezone: true }).notNull(),
    name: text('name').notNull(),
    summary: text('summary').notNull().default(''),
    url: text('url'),
    type: text('type').notNull(),
    locationName: text('location_name').notNull(),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('police_events_datetime_idx').on(t.datetime), index('police_events_type_idx').on(t.type), index('police_events_lon_lat_idx').on(t.lon, t.lat)],
);

/**
 * How many police events there are of each type: kept by statement triggers in the same transaction as every
 * change of police_events (hand-written SQL at the end of migration 0029_police_event_counts), so the police
 * list's total without a period or box is a sum here instead of a count of every event (issue #12 item 1).
 */
export const policeEventCounts = pgTable('police_event_counts', {
  type: text('type').primaryKey(),
  n: bigint('n', { mode: 'number' }).notNull(),
});

/** Police event type → the municipality's category (editable). */
export const policeTypeMappings = pgTable('police_type_mappings', {
  policeType: text('police_type').primaryKey(),
  categoryId: uuid('category_id').references(() => incidentCategories.id),
  /** Not an event (the police's summaries of a day or night, updates): kept in the list, never counted or drawn. */
  excluded: boolean('excluded').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Areas (districts, school zones) as GeoJSON polygons. Each incident gets the area it lies in when it
 * is reported or moved, and again when areas change, so that statistics group by area in plain SQL.
 */
export const incidentAreas = pgTable('incident_areas', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind').notNull().default('district'),
  geometry: jsonb('geometry').notNull(),
  minLat: doublePrecision('min_lat').notNull(),
  minLon: doublePrecision('min_lon').notNull(),
  maxLat: doublePrecision('max_lat').notNull(),
  maxLon: doublePrecision('max_lon').notNull(),
  /** Lower first: where areas overlap, the incident belongs to the first. */
  priority: integer('priority').notNull().default(0),
  active: boolean('active').notNull().default(true),
  ...stamps,
}, (t) => [
  /** Reporting or moving an incident asks only the areas whose box holds the point (then point-in-polygon on those). */
  index('incident_areas_bbox_idx').on(t.minLon, t.maxLon, t.minLat, t.maxLat),
]);

/**
 * Links from an incident to records of other modules: `target_kind` names the module's record ('action'
 * = plan_actions, 'case' = cases), `target_id` its id. One table for every kind,
 * so that the timeline, permissions and the "linked incidents" lists work the same way for each: a new kind
 * adds its value to INCIDENT_LINK_KINDS, a join in incidentsRepo.linksOf and a readability check. No foreign
 * key (the target table depends on the kind); plan actions and cases are never deleted, and a later kind whose
 * records can be must remove its links in the same transaction.
 */
export const incidentLinks = pgTable(
  'incident_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id').notNull().references(() => incidents.id),
    targetKind: text('target_kind').notNull(),
    targetId: uuid('target_id').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('incident_links_uq').on(t.incidentId, t.targetKind, t.targetId),
    /** "Incidents linked to this action": the reverse direction. */
    index('incident_links_target_idx').on(t.targetKind, t.targetId),
    check('incident_links_kind', sql`${t.targetKind} in ('action', 'case')`),
  ],
);
