import type { z } from 'zod';
import { recordAudit } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { describeClock } from '../../lib/clocks.ts';
import { startWorkEnvironmentClock } from './incidents.workenv.ts';
import { can, type Actor } from '../../lib/policies.ts';
import type { CategoryField, CreateIncident, createCategory, incidentQuery, stopClock, UpdateIncident, updateCategory } from '../../../shared/schemas/incidents.ts';
import { logSecretReads } from '../../access/index.ts';
import { areaAt } from './incidents.areas.ts';
import { incidentsRepo as repo, rawIncident, type CategoryRow } from './incidents.repo.ts';
import { checkExtra, toCategory, type Ctx, type IncidentCore, type IncidentPartDeps } from './incidents.shared.ts';

/**
 * Reports of incidents and their handling: categories, reporting, the list and one incident, changes
 * (each changed field on the timeline), comments, striking a timeline entry, and stopping a deadline clock.
 */
export function createReportsPart(deps: IncidentPartDeps, core: IncidentCore) {
  const { db, now } = deps;
  const { visibility, requireOrganisation, categoryFor, toIncident, managedIncident, visibleIncident, detail, requireMayReport, requireUser, timeline } = core;
  return {
    // --- Categories ---
    async listCategories() {
      return (await repo.listCategories(db)).map(toCategory);
    },
    async createCategory(ctx: Ctx, input: z.infer<typeof createCategory>) {
      return db.transaction(async (tx) => {
        if (await repo.findCategoryByKey(tx, input.key)) throw new AppError('CATEGORY_KEY_TAKEN', [{ path: 'key', message: 'CATEGORY_KEY_TAKEN' }]);
        const row = await repo.insertCategory(tx, { key: input.key, name: input.name, active: input.active ?? true, staffSafety: input.staffSafety ?? false, fields: input.fields ?? [], sortOrder: input.sortOrder ?? 1000 });
        await recordAudit(tx, ctx, { entityType: 'incident_category', entityId: row.id, action: 'create', after: row });
        return toCategory(row);
      });
    },
    async updateCategory(ctx: Ctx, id: string, input: z.infer<typeof updateCategory>) {
      return db.transaction(async (tx) => {
        const before = await repo.findCategory(tx, id);
        if (!before) throw new AppError('CATEGORY_NOT_FOUND');
        const { version, ...changes } = input;
        const row = await repo.updateCategory(tx, id, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'incident_category', entityId: id, action: 'update', before, after: row });
        return toCategory(row);
      });
    },

    // --- Incidents ---
    async report(ctx: Ctx, actor: Actor, input: CreateIncident, opts: { isExample?: boolean } = {}) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const category = await categoryFor(tx, input.categoryId);
        await requireOrganisation(tx, tree, input.organisationId, 'organisationId');
        await requireMayReport(tx, actor, tree, input.organisationId);
        checkExtra(category.fields as CategoryField[], input.extra ?? {});
        if (input.staff && !category.staffSafety) throw new AppError('VALIDATION_FAILED', [{ path: 'staff', message: 'INVALID' }]);
        if (category.staffSafety && !input.staff) throw new AppError('VALIDATION_FAILED', [{ path: 'staff', message: 'REQUIRED' }]);
        const at = now();
        const knownAt = input.knownAt ? new Date(input.knownAt) : at;
        // Known at a given time but no time of the event: it happened then at the latest.
        const occurredAt = input.occurredAt ? new Date(input.occurredAt) : input.knownAt ? knownAt : at;
        // The schema compares the two when both are given; here also against a defaulted occurredAt.
        if (knownAt < occurredAt) throw new AppError('VALIDATION_FAILED', [{ path: 'knownAt', message: 'KNOWN_BEFORE_OCCURRED' }]);
        const row = await repo.insertIncident(tx, {
          categoryId: category.id,
          description: input.description,
          occurredAt,
          knownAt,
          lat: input.location?.lat ?? null,
          lon: input.location?.lon ?? null,
          place: input.place ?? null,
          organisationId: input.organisationId,
          premises: input.premises ?? null,
          reportedBy: actor.id,
          anonymous: input.anonymous ?? false,
          severity: input.severity ?? null,
          restricted: category.staffSafety,
          extra: input.extra ?? {},
          staff: input.staff ?? null,
          isExample: opts.isExample ?? false,
          areaId: input.location ? await areaAt(tx, input.location.lat, input.location.lon) : null,
        });
        await timeline(tx, ctx, row.id, 'reported', null, { categoryKey: category.key });
        const clock = await startWorkEnvironmentClock(tx, row.id);
        if (clock) await timeline(tx, ctx, row.id, 'clock_started', null, { kind: clock.kind, due: describeClock(clock).due });
        // Anonymity is towards other readers of the incident. The audit trail records who acted, as for
        // every change; it is readable only with audit.read on the municipality.
        await recordAudit(tx, ctx, { entityType: 'incident', entityId: row.id, action: 'create', after: row });
        return detail(tx, actor, tree, row.id);
      });
    },

    async list(actor: Actor, q: z.infer<typeof incidentQuery>) {
      const tree = await loadOrgTree(db);
      const { rows, total, clocks } = await repo.pageIncidents(db, visibility(actor, tree), { ...q, reportedBy: q.mine ? actor.id : undefined });
      return { items: rows.map((r) => toIncident(r, clocks, actor, tree)), total };
    },

    /** With `ctx`, opening a secret or restricted incident is logged as a secret read. */
    async get(actor: Actor, id: string, ctx?: Ctx) {
      const tree = await loadOrgTree(db);
      const d = await detail(db, actor, tree, id);
      if (ctx && (d.secrecyRef || d.restricted)) await logSecretReads(db, ctx, [{ type: 'incident', id, how: 'open' }]);
      return d;
    },

    async update(ctx: Ctx, actor: Actor, id: string, input: UpdateIncident) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        // The one read of the incident: visibility, management and the state before the change.
        const before = rawIncident(await managedIncident(tx, actor, tree, id));
        const { version, location, ...rest } = input;
        const changes: Record<string, unknown> = { ...rest };
        if (location !== undefined)
          Object.assign(changes, { lat: location?.lat ?? null, lon: location?.lon ?? null, areaId: location ? await areaAt(tx, location.lat, location.lon) : null });
        if (input.occurredAt) changes.occurredAt = new Date(input.occurredAt);
        let category: CategoryRow | undefined;
        if (input.categoryId && input.categoryId !== before.categoryId) {
          category = await categoryFor(tx, input.categoryId);
          // Once restricted, always restricted: a reclassification must not expose a threat report.
          changes.restricted = before.restricted || category.staffSafety;
        }
        const effective = category ?? (await repo.findCategory(tx, before.categoryId))!;
        if (input.extra) checkExtra(effective.fields as CategoryField[], input.extra);
        if (input.staff && !effective.staffSafety) throw new AppError('VALIDATION_FAILED', [{ path: 'staff', message: 'INVALID' }]);
        // Moved into the staff category: its form is required, as when reporting.
        if (effective.staffSafety && !input.staff && !before.staff) throw new AppError('VALIDATION_FAILED', [{ path: 'staff', message: 'REQUIRED' }]);
        if (input.organisationId && input.organisationId !== before.organisationId) {
          await requireOrganisation(tx, tree, input.organisationId, 'organisationId');
          if (!can(actor, 'incidents.manage', input.organisationId, tree)) throw new AppError('FORBIDDEN');
        }
        if (input.ownerId) await requireUser(tx, input.ownerId, 'ownerId');
        // The update answers the joined row: no read after it either.
        const joined = await repo.updateIncidentJoined(tx, id, version, changes);
        if (!joined) throw new AppError('VERSION_CONFLICT');
        const row = rawIncident(joined);
        // One timeline entry per changed field, automatically.
        const fields = ['categoryId', 'description', 'occurredAt', 'lat', 'lon', 'place', 'organisationId', 'premises', 'status', 'severity', 'ownerId', 'extra', 'staff'] as const;
        for (const f of fields) {
          const a = (before as Record<string, unknown>)[f];
          const b = (row as Record<string, unknown>)[f];
          const norm = (v: unknown) => (v instanceof Date ? v.toISOString() : JSON.stringify(v ?? null));
          if (norm(a) !== norm(b)) await timeline(tx, ctx, id, 'change', null, { field: f, from: a instanceof Date ? a.toISOString() : (a ?? null), to: b instanceof Date ? b.toISOString() : (b ?? null) });
        }
        // A new staff category or a victim who is now the employer's worker starts the report clock.
        // Only a change of category or staff form can start it: other edits skip the lookup.
        const clock = 'categoryId' in changes || 'staff' in changes ? await startWorkEnvironmentClock(tx, id) : undefined;
        if (clock) await timeline(tx, ctx, id, 'clock_started', null, { kind: clock.kind, due: describeClock(clock).due });
        await recordAudit(tx, ctx, { entityType: 'incident', entityId: id, action: 'update', before, after: row });
        return detail(tx, actor, tree, id, joined);
      });
    },

    async comment(ctx: Ctx, actor: Actor, id: string, text: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const row = await visibleIncident(tx, actor, tree, id);
        if (row.reported_by !== actor.id && !can(actor, 'incidents.manage', row.organisation_id, tree)) throw new AppError('FORBIDDEN');
        const entry = await timeline(tx, ctx, id, 'comment', text);
        await recordAudit(tx, ctx, { entityType: 'incident', entityId: id, action: 'comment', after: entry });
        return detail(tx, actor, tree, id);
      });
    },

    async strike(ctx: Ctx, actor: Actor, id: string, entryId: number, reason: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await managedIncident(tx, actor, tree, id);
        const entry = await repo.findTimelineEntry(tx, entryId);
        if (!entry || entry.incidentId !== id) throw new AppError('TIMELINE_ENTRY_NOT_FOUND');
        if (entry.struckAt) throw new AppError('ALREADY_STRUCK');
        const after = await repo.strikeEntry(tx, entryId, { struckBy: actor.id, strikeReason: reason });
        if (!after) throw new AppError('ALREADY_STRUCK');
        await recordAudit(tx, ctx, { entityType: 'incident_timeline', entityId: String(entryId), action: 'strike', before: entry, after });
        return detail(tx, actor, tree, id);
      });
    },

    async stopClock(ctx: Ctx, actor: Actor, id: string, clockId: string, input: z.infer<typeof stopClock>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await managedIncident(tx, actor, tree, id);
        const clock = await repo.findClock(tx, clockId);
        if (!clock || clock.incidentId !== id) throw new AppError('CLOCK_NOT_FOUND');
        if (clock.stoppedAt) throw new AppError('CLOCK_STOPPED');
        const stoppedAt = input.stoppedAt ? new Date(input.stoppedAt) : now();
        if (stoppedAt < clock.startedAt) throw new AppError('VALIDATION_FAILED', [{ path: 'stoppedAt', message: 'END_BEFORE_START' }]);
        const after = await repo.stopClock(tx, clockId, { stoppedAt, stopReason: input.reason, stopNote: input.note ?? null, stoppedBy: actor.id });
        if (!after) throw new AppError('CLOCK_STOPPED');
        const shown = describeClock(after, now());
        await timeline(tx, ctx, id, 'clock_stopped', input.note ?? null, { kind: after.kind, reason: input.reason, stoppedAt: shown.stoppedAt, inTime: shown.stoppedInTime });
        await recordAudit(tx, ctx, { entityType: 'incident_clock', entityId: clockId, action: 'stop', before: clock, after });
        return detail(tx, actor, tree, id);
      });
    },
  };
}
