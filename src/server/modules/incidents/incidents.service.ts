import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { describeClock, startClock } from '../../lib/clocks.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { allowedActions, can, roleAllows, scopeOf, type Actor, type OrgTree } from '../../lib/policies.ts';
import { mayReportFor } from '../../../shared/access.ts';
import { ROLES } from '../../../shared/roles.ts';
import {
  incidentActions,
  type CategoryField,
  type Category,
  type CreateIncident,
  type createCategory,
  type createLink,
  type createTask,
  type linkTargetQuery,
  type Incident,
  type incidentQuery,
  type stopClock,
  type UpdateIncident,
  type updateCategory,
  type updateTask,
} from '../../../shared/schemas/incidents.ts';
import { areaAt } from './incidents.areas.ts';
import { accessOf, logIfSecret } from '../../access/index.ts';
import { incidentsRepo as repo, peopleWithRoleOn, rawIncident, type CategoryRow, type ClockRow, type IncidentListRow, type TaskRow } from './incidents.repo.ts';
import { CONTENT_TYPE_OF, type SniffedKind } from '../../lib/uploads.ts';
import { todayInStockholm } from '../../lib/time.ts';

type Ctx = RequestContext;
const iso = (d: Date | string) => new Date(d).toISOString();
const todayIso = () => todayInStockholm();
/** Roles that may handle incidents: the owner and task assignee are chosen among their holders. */
const HANDLER_ROLES = ROLES.filter((r) => roleAllows(r, 'incidents.manage'));

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

export function toCategory(c: CategoryRow): Category {
  return { id: c.id, key: c.key, name: c.name, active: c.active, staffSafety: c.staffSafety, fields: c.fields as CategoryField[], sortOrder: c.sortOrder, version: c.version };
}

/** The extra values a category asks for: known keys only, of the declared type; required ones present. */
function checkExtra(fields: CategoryField[], extra: Record<string, unknown>) {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const [key, value] of Object.entries(extra)) {
    const f = byKey.get(key);
    const path = `extra.${key}`;
    if (!f) throw new AppError('VALIDATION_FAILED', [{ path, message: 'INVALID' }]);
    if (value === null) continue;
    const ok =
      (f.type === 'text' && typeof value === 'string') ||
      (f.type === 'number' && typeof value === 'number') ||
      (f.type === 'boolean' && typeof value === 'boolean') ||
      (f.type === 'select' && typeof value === 'string' && (f.options ?? []).includes(value));
    if (!ok) throw new AppError('VALIDATION_FAILED', [{ path, message: 'INVALID' }]);
  }
  for (const f of fields) if (f.required && (!Object.hasOwn(extra, f.key) || extra[f.key] === undefined || extra[f.key] === null || extra[f.key] === '')) throw new AppError('VALIDATION_FAILED', [{ path: `extra.${f.key}`, message: 'REQUIRED' }]);
}

export function createIncidentService({ db, now = () => new Date() }: { db: Db; now?: () => Date }) {
  const visibility = (actor: Actor, tree: OrgTree) => accessOf(actor, tree);

  async function requireOrganisation(ex: Executor, tree: OrgTree, id: string, path: string) {
    if (!tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_NOT_FOUND' }]);
    const r = await ex.execute<{ active: boolean }>(sql`select active from organisations where id = ${id}`);
    if (!r.rows[0]?.active) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_INACTIVE' }]);
  }

  async function categoryFor(ex: Executor, id: string, path = 'categoryId') {
    const c = await repo.findCategory(ex, id);
    if (!c) throw new AppError('VALIDATION_FAILED', [{ path, message: 'CATEGORY_NOT_FOUND' }]);
    if (!c.active) throw new AppError('VALIDATION_FAILED', [{ path, message: 'CATEGORY_INACTIVE' }]);
    return c;
  }

  function toIncident(r: IncidentListRow, clocks: ClockRow[], actor: Actor, tree: OrgTree): Incident {
    const manages = can(actor, 'incidents.manage', r.organisation_id, tree);
    const showReporter = !r.anonymous || manages || r.reported_by === actor.id;
    return {
      id: r.id,
      categoryId: r.category_id,
      categoryKey: r.category_key,
      categoryName: r.category_name,
      description: r.description,
      occurredAt: iso(r.occurred_at),
      knownAt: iso(r.known_at),
      location: r.lat !== null && r.lon !== null ? { lat: Number(r.lat), lon: Number(r.lon) } : null,
      place: r.place,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      premises: r.premises,
      anonymous: r.anonymous,
      reporter: showReporter ? { id: r.reported_by, name: r.reporter_name } : null,
      status: r.status as Incident['status'],
      severity: r.severity,
      owner: r.owner_id ? { id: r.owner_id, name: r.owner_name ?? '' } : null,
      areaId: (r.area_id as string | null) ?? null,
      restricted: r.restricted,
      extra: r.extra ?? {},
      staff: r.staff ?? null,
      isExample: r.is_example,
      version: r.version,
      clocks: clocks.filter((c) => c.incidentId === r.id).map((c) => describeClock(c, now())),
      allowedActions: allowedActions(actor, incidentActions, r.organisation_id, tree),
    };
  }

  /** The incident if the actor may see it, else INCIDENT_NOT_FOUND (nothing leaks about restricted ones). */
  async function visibleIncident(ex: Executor, actor: Actor, tree: OrgTree, id: string) {
    const [row] = await repo.listIncidents(ex, visibility(actor, tree), { id, limit: 1 });
    if (!row) throw new AppError('INCIDENT_NOT_FOUND');
    return row;
  }

  /** Visible and managed by the actor: else 404 when invisible, 403 when only readable. */
  async function managedIncident(ex: Executor, actor: Actor, tree: OrgTree, id: string) {
    const row = await visibleIncident(ex, actor, tree, id);
    if (!can(actor, 'incidents.manage', row.organisation_id, tree)) throw new AppError('FORBIDDEN');
    return row;
  }

  const toTask = (t: TaskRow & { assigneeName?: string | null }) => ({
    id: t.id,
    incidentId: t.incidentId,
    title: t.title,
    dueDate: t.dueDate,
    assigneeId: t.assigneeId,
    assigneeName: t.assigneeName ?? null,
    done: !!t.doneAt,
    doneAt: t.doneAt ? iso(t.doneAt) : null,
    overdue: !t.doneAt && t.dueDate < todayIso(),
    version: t.version,
  });

  /** The incident with timeline, tasks, photos and links; `known` is its joined row when the caller has just read or written it. */
  async function detail(ex: Executor, actor: Actor, tree: OrgTree, id: string, known?: IncidentListRow) {
    const row = known ?? (await visibleIncident(ex, actor, tree, id));
    const clocks = await repo.clocksOf(ex, [id]);
    const timeline = (await repo.timelineOf(ex, id)).map((t) => ({
      id: Number(t.id),
      at: iso(t.at),
      actorId: t.actor_id,
      // The reporter's own entries stay anonymous to those who may not see who reported.
      actorName: t.actor_name,
      kind: t.kind,
      text: t.text,
      data: t.data ?? null,
      struck: t.struck_at ? { at: iso(t.struck_at), byName: t.struck_by_name, reason: t.strike_reason ?? '' } : null,
    }));
    const base = toIncident(row, clocks, actor, tree);
    if (!base.reporter) for (const e of timeline) if (e.actorId === row.reported_by) Object.assign(e, { actorId: null, actorName: null });
    return {
      ...base,
      timeline,
      tasks: (await repo.tasksOf(ex, id)).map(toTask),
      photos: (await repo.photosOf(ex, id)).map((p) => ({ ...p, createdAt: iso(p.createdAt) })),
      links: (await repo.linksOf(ex, id, scopeOf(actor, 'program.read', tree), accessOf(actor, tree))).map((l) => ({
        id: l.id,
        kind: l.target_kind,
        targetId: l.target_id,
        title: l.title,
        reference: l.reference ?? null,
        createdAt: iso(l.created_at),
      })),
    };
  }

  /** The people who may handle incidents of the organisation (incidents.manage on it); with `userId`, whether that one may. */
  const handlersOf = (ex: Executor, tree: OrgTree, orgId: string, userId?: string) => peopleWithRoleOn(ex, HANDLER_ROLES, orgId, tree.ancestorsOf(orgId), userId);

  async function requireHandler(ex: Executor, tree: OrgTree, orgId: string, userId: string, path: string) {
    await requireUser(ex, userId, path);
    const [person] = await handlersOf(ex, tree, orgId, userId);
    if (!person) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ASSIGNEE_NOT_HANDLER' }]);
    return person;
  }

  /**
   * Who may report for which organisation: where the actor holds incidents.report (by the usual scope
   * rules), or, for an employee (home organisation inside the municipality, not a partner), their own
   * organisation and its units. A partner such as the police reports only where granted.
   */
  async function requireMayReport(ex: Executor, actor: Actor, tree: OrgTree, orgId: string) {
    const r = await ex.execute<{ home: string }>(sql`select home_organisation_id as home from users where id = ${actor.id}`);
    if (mayReportFor(actor, r.rows[0]?.home, orgId, tree)) return;
    throw new AppError('REPORT_ORGANISATION_NOT_ALLOWED', [{ path: 'organisationId', message: 'REPORT_ORGANISATION_NOT_ALLOWED' }]);
  }

  async function requireUser(ex: Executor, id: string, path: string) {
    const r = await ex.execute<{ active: boolean }>(sql`select active from users where id = ${id}`);
    if (!r.rows[0]) throw new AppError('VALIDATION_FAILED', [{ path, message: 'USER_NOT_FOUND' }]);
    if (!r.rows[0].active) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ACCOUNT_INACTIVE' }]);
  }

  const timeline = (ex: Executor, ctx: Ctx, incidentId: string, kind: string, text: string | null, data?: unknown) =>
    repo.addTimeline(ex, { incidentId, actorId: ctx.actor?.id ?? null, kind, text, data: data ?? null });

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
        if (category.staffSafety) {
          const clock = await repo.insertClock(tx, { incidentId: row.id, ...startClock('work_environment_report', knownAt) });
          await timeline(tx, ctx, row.id, 'clock_started', null, { kind: clock?.kind, due: clock ? describeClock(clock).due : null });
        }
        // Anonymity is towards other readers of the incident. The audit trail records who acted, as for
        // every change; it is readable only with audit.read on the municipality.
        await recordAudit(tx, ctx, { entityType: 'incident', entityId: row.id, action: 'create', after: row });
        return detail(tx, actor, tree, row.id);
      });
    },

    async list(actor: Actor, q: z.infer<typeof incidentQuery>) {
      const tree = await loadOrgTree(db);
      const rows = await repo.listIncidents(db, visibility(actor, tree), { ...q, reportedBy: q.mine ? actor.id : undefined });
      const clocks = await repo.clocksOf(db, rows.map((r) => r.id));
      return { items: rows.map((r) => toIncident(r, clocks, actor, tree)), total: rows[0]?.total ?? 0 };
    },

    /** With `ctx`, opening a secret or restricted incident is logged as a secret read. */
    async get(actor: Actor, id: string, ctx?: Ctx) {
      const tree = await loadOrgTree(db);
      const d = await detail(db, actor, tree, id);
      if (ctx) await logIfSecret(db, ctx, 'incident', id, 'open');
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
        if (category?.staffSafety) {
          const clock = await repo.insertClock(tx, { incidentId: id, ...startClock('work_environment_report', row.knownAt) });
          if (clock) await timeline(tx, ctx, id, 'clock_started', null, { kind: clock.kind, due: describeClock(clock).due });
        }
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

    async addTask(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof createTask>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const inc = await managedIncident(tx, actor, tree, id);
        const assignee = input.assigneeId ? await requireHandler(tx, tree, inc.organisation_id, input.assigneeId, 'assigneeId') : null;
        const row = await repo.insertTask(tx, { incidentId: id, title: input.title, dueDate: input.dueDate, assigneeId: input.assigneeId ?? null });
        await timeline(tx, ctx, id, 'task', input.title, { taskId: row.id, dueDate: row.dueDate, assigneeId: row.assigneeId, assigneeName: assignee?.name ?? null });
        await recordAudit(tx, ctx, { entityType: 'incident_task', entityId: row.id, action: 'create', after: row });
        return toTask({ ...row, assigneeName: assignee?.name ?? null });
      });
    },

    async updateTask(ctx: Ctx, actor: Actor, taskId: string, input: z.infer<typeof updateTask>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await repo.findTask(tx, taskId);
        if (!before) throw new AppError('TASK_NOT_FOUND');
        let inc: IncidentListRow;
        try {
          inc = await managedIncident(tx, actor, tree, before.incidentId);
        } catch (e) {
          if (e instanceof AppError && e.code === 'INCIDENT_NOT_FOUND') throw new AppError('TASK_NOT_FOUND');
          throw e;
        }
        if (input.assigneeId && input.assigneeId !== before.assigneeId) await requireHandler(tx, tree, inc.organisation_id, input.assigneeId, 'assigneeId');
        const { version, done, ...rest } = input;
        const changes: Partial<TaskRow> = { ...rest };
        if (done !== undefined) changes.doneAt = done ? (before.doneAt ?? now()) : null;
        const row = await repo.updateTask(tx, taskId, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        const assigneeName = row.assigneeId ? ((await tx.execute<{ name: string }>(sql`select name from users where id = ${row.assigneeId}`)).rows[0]?.name ?? null) : null;
        await timeline(tx, ctx, before.incidentId, 'task_update', row.title, { taskId, done: !!row.doneAt, dueDate: row.dueDate, assigneeId: row.assigneeId, assigneeName });
        await recordAudit(tx, ctx, { entityType: 'incident_task', entityId: taskId, action: 'update', before, after: row });
        return toTask({ ...row, assigneeName });
      });
    },

    async addPhoto(ctx: Ctx, actor: Actor, id: string, file: { filename: string; data: Buffer; kind: SniffedKind }) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const row = await visibleIncident(tx, actor, tree, id);
        if (row.reported_by !== actor.id && !can(actor, 'incidents.manage', row.organisation_id, tree)) throw new AppError('FORBIDDEN');
        const filename = (file.filename || 'bild').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'bild';
        const photo = (await repo.insertPhoto(tx, { incidentId: id, filename, contentType: CONTENT_TYPE_OF[file.kind], size: file.data.length, content: file.data, uploadedBy: actor.id }))!;
        await timeline(tx, ctx, id, 'photo', filename, { photoId: photo.id, size: photo.size });
        await recordAudit(tx, ctx, { entityType: 'incident_photo', entityId: photo.id, action: 'create', after: { incidentId: id, filename, size: photo.size, contentType: photo.contentType } });
        return { ...photo, createdAt: iso(photo.createdAt) };
      });
    },

    async getPhoto(actor: Actor, id: string, photoId: string) {
      const tree = await loadOrgTree(db);
      await visibleIncident(db, actor, tree, id);
      const photo = await repo.findPhoto(db, id, photoId);
      if (!photo) throw new AppError('PHOTO_NOT_FOUND');
      return photo;
    },

    // --- Handlers, own tasks, links ---
    async handlers(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      const inc = await managedIncident(db, actor, tree, id);
      return { items: await handlersOf(db, tree, inc.organisation_id) };
    },

    async myTasks(actor: Actor) {
      const tree = await loadOrgTree(db);
      const rows = await repo.openTasksOf(db, visibility(actor, tree), actor.id);
      return {
        items: rows.map((r) => ({
          ...toTask({ id: r.id, incidentId: r.incident_id, title: r.title, dueDate: r.due_date, assigneeId: r.assignee_id, assigneeName: r.assignee_name, doneAt: null, version: r.version } as TaskRow & { assigneeName: string }),
          incidentCategoryName: r.category_name,
          incidentOccurredAt: iso(r.occurred_at),
          incidentOrganisationName: r.organisation_name,
        })),
      };
    },

    async linkTargets(actor: Actor, q: z.infer<typeof linkTargetQuery>) {
      const tree = await loadOrgTree(db);
      const items: { kind: 'action' | 'case'; id: string; title: string; context: string }[] = [];
      // Cases first when both kinds are asked for: a registry number is the likelier search.
      if (q.kind !== 'action') {
        const cases = await repo.searchCases(db, accessOf(actor, tree), q.q || undefined, q.limit);
        items.push(...cases.map((c) => ({ kind: 'case' as const, id: c.id, title: c.title, context: c.registry_number })));
      }
      if (q.kind !== 'case') {
        const actions = await repo.searchActions(db, scopeOf(actor, 'program.read', tree), q.q || undefined, q.limit);
        items.push(...actions.map((r) => ({ kind: 'action' as const, id: r.id, title: r.title, context: r.program_title })));
      }
      return { items: items.slice(0, q.limit) };
    },

    async addLink(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof createLink>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const inc = await managedIncident(tx, actor, tree, id);
        // The actor must be able to read what they link (else it is "not found", as on the action and case pages).
        const target =
          input.kind === 'case'
            ? await repo.readableCase(tx, input.targetId, accessOf(actor, tree))
            : await repo.readableAction(tx, input.targetId, scopeOf(actor, 'program.read', tree));
        if (!target) throw new AppError('VALIDATION_FAILED', [{ path: 'targetId', message: input.kind === 'case' ? 'CASE_NOT_FOUND' : 'ACTION_NOT_FOUND' }]);
        const link = await repo.insertLink(tx, { incidentId: id, targetKind: input.kind, targetId: target.id, createdBy: actor.id });
        if (!link) throw new AppError('INCIDENT_LINK_EXISTS');
        // No title in the timeline: its readers need not be readers of the action or case (the links list shows titles to those who are).
        await timeline(tx, ctx, id, 'link_added', null, { linkId: link.id, kind: link.targetKind, targetId: link.targetId });
        await recordAudit(tx, ctx, { entityType: 'incident_link', entityId: link.id, action: 'create', after: link });
        return detail(tx, actor, tree, id, inc);
      });
    },

    async removeLink(ctx: Ctx, actor: Actor, id: string, linkId: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const inc = await managedIncident(tx, actor, tree, id);
        const link = await repo.findLink(tx, id, linkId);
        if (!link) throw new AppError('INCIDENT_LINK_NOT_FOUND');
        const gone = await repo.deleteLink(tx, linkId);
        if (!gone) throw new AppError('INCIDENT_LINK_NOT_FOUND');
        // The link lives on in the timeline and the audit trail.
        await timeline(tx, ctx, id, 'link_removed', null, { linkId, kind: link.targetKind, targetId: link.targetId });
        await recordAudit(tx, ctx, { entityType: 'incident_link', entityId: linkId, action: 'delete', before: link });
        return detail(tx, actor, tree, id, inc);
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

export type IncidentService = ReturnType<typeof createIncidentService>;
