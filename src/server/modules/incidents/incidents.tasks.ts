import type { z } from 'zod';
import { recordAudit } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../../lib/policies.ts';
import type { createTask, updateTask } from '../../../shared/schemas/incidents.ts';
import { incidentsRepo as repo, type IncidentListRow, type TaskRow } from './incidents.repo.ts';
import { incidentPeopleRepo as people } from './incidents.people.repo.ts';
import { iso, type Ctx, type IncidentCore, type IncidentPartDeps } from './incidents.shared.ts';

/** Tasks on an incident: adding and updating them, the people who may be given one, and the actor's own open tasks. */
export function createTasksPart(deps: IncidentPartDeps, core: IncidentCore) {
  const { db, now } = deps;
  const { visibility, managedIncident, toTask, handlersOf, requireHandler, timeline } = core;
  return {
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
        const assigneeName = row.assigneeId ? await people.userName(tx, row.assigneeId) : null;
        await timeline(tx, ctx, before.incidentId, 'task_update', row.title, { taskId, done: !!row.doneAt, dueDate: row.dueDate, assigneeId: row.assigneeId, assigneeName });
        await recordAudit(tx, ctx, { entityType: 'incident_task', entityId: taskId, action: 'update', before, after: row });
        return toTask({ ...row, assigneeName });
      });
    },

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

  };
}
