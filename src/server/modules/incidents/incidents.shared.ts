import type { Db, Executor } from '../../db/client.ts';
import type { RequestContext } from '../../lib/audit.ts';
import { describeClock } from '../../lib/clocks.ts';
import { AppError } from '../../lib/errors.ts';
import { allowedActions, can, roleAllows, scopeOf, type Actor, type OrgTree } from '../../lib/policies.ts';
import { mayReportFor } from '../../../shared/access.ts';
import { ROLES } from '../../../shared/roles.ts';
import { incidentActions, type Category, type CategoryField, type Incident } from '../../../shared/schemas/incidents.ts';
import { accessOf } from '../../access/index.ts';
import { incidentsRepo as repo, peopleWithRoleOn, type CategoryRow, type ClockRow, type IncidentListRow, type TaskRow } from './incidents.repo.ts';
import { incidentPeopleRepo as people } from './incidents.people.repo.ts';
import { todayInStockholm } from '../../lib/time.ts';
import { toWorkEnvironment, workEnvironmentRepo } from './incidents.workenv.repo.ts';

/**
 * What the parts of the incident service (reports, tasks, links, photos) share: the deps, the incident
 * and task as the API shows them, "the incident is visible / managed by the actor", the checks on
 * organisations, users and handlers, and the timeline entry every change writes.
 */
export interface IncidentPartDeps {
  db: Db;
  /** The current instant; tests pass a fixed one. */
  now: () => Date;
}

export type Ctx = RequestContext;

export const iso = (d: Date | string) => new Date(d).toISOString();
export const todayIso = () => todayInStockholm();
/** Roles that may handle incidents: the owner and task assignee are chosen among their holders. */
export const HANDLER_ROLES = ROLES.filter((r) => roleAllows(r, 'incidents.manage'));

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

export function toCategory(c: CategoryRow): Category {
  return { id: c.id, key: c.key, name: c.name, active: c.active, staffSafety: c.staffSafety, fields: c.fields as CategoryField[], sortOrder: c.sortOrder, version: c.version };
}

/** The extra values a category asks for: known keys only, of the declared type; required ones present. */
export function checkExtra(fields: CategoryField[], extra: Record<string, unknown>) {
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

/** The shared helpers, built once per service over its deps. */
export function createIncidentCore({ now }: IncidentPartDeps) {
  const visibility = (actor: Actor, tree: OrgTree) => accessOf(actor, tree);

  async function requireOrganisation(ex: Executor, tree: OrgTree, id: string, path: string) {
    if (!tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_NOT_FOUND' }]);
    if (!(await people.organisationActive(ex, id))) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_INACTIVE' }]);
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
      secrecyRef: r.secrecy_ref,
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
      workEnvironment: row.restricted ? toWorkEnvironment(row.staff, await workEnvironmentRepo.find(ex, id)) : null,
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
    if (mayReportFor(actor, await people.homeOrganisation(ex, actor.id), orgId, tree)) return;
    throw new AppError('REPORT_ORGANISATION_NOT_ALLOWED', [{ path: 'organisationId', message: 'REPORT_ORGANISATION_NOT_ALLOWED' }]);
  }

  async function requireUser(ex: Executor, id: string, path: string) {
    const user = await people.userActive(ex, id);
    if (!user) throw new AppError('VALIDATION_FAILED', [{ path, message: 'USER_NOT_FOUND' }]);
    if (!user.active) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ACCOUNT_INACTIVE' }]);
  }

  const timeline = (ex: Executor, ctx: Ctx, incidentId: string, kind: string, text: string | null, data?: unknown) =>
    repo.addTimeline(ex, { incidentId, actorId: ctx.actor?.id ?? null, kind, text, data: data ?? null });

  return { visibility, requireOrganisation, categoryFor, toIncident, visibleIncident, managedIncident, toTask, detail, handlersOf, requireHandler, requireMayReport, requireUser, timeline };
}

export type IncidentCore = ReturnType<typeof createIncidentCore>;
