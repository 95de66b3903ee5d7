import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { can, type Actor, type OrgTree } from '../../lib/policies.ts';
import type { Assignment, assignmentQuery, updateAssignment } from '../../../shared/schemas/decisions.ts';
import { accessOf } from '../../access/index.ts';
import { mayHandle } from './cases.core.ts';
import { assignmentsRepo as repo } from './cases.assignments.repo.ts';
import { decisionReference, type DecisionPartDeps } from './cases.decisions.shared.ts';

/** Assignments (uppdrag) a decided decision gives: the list, marking one done, and linking plan actions to it. */
export function createAssignmentsPart({ db, today }: DecisionPartDeps) {
  async function assignmentRows(ex: Executor, actor: Actor, tree: OrgTree, filter: { id?: string } & Partial<z.infer<typeof assignmentQuery>>): Promise<{ items: Assignment[]; total: number }> {
    const { rows, total } = await repo.list(
      ex,
      accessOf(actor, tree),
      { id: filter.id, organisationIds: filter.organisationId ? tree.subtreeOf(filter.organisationId) : undefined, caseId: filter.caseId, status: filter.status },
      filter,
    );
    const actions = await repo.actionsOf(ex, rows.map((r) => r.id));
    const now = today();
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        clauseId: r.clause_id,
        decisionId: r.decision_id,
        caseId: r.case_id,
        registryNumber: r.registry_number,
        caseTitle: r.case_title,
        decisionRef: decisionReference({ decidedOn: r.decided_on, paragraph: r.paragraph }, { name: r.body_name, shortName: r.body_short }),
        organisationId: r.organisation_id,
        organisationName: r.organisation_name,
        text: r.text,
        dueDate: r.due_date,
        status: r.status,
        doneOn: r.done_on,
        overdue: r.status === 'open' && !!r.due_date && r.due_date < now,
        actions: actions.filter((a) => a.assignment_id === r.id).map((a) => ({ id: a.id, title: a.title, status: a.status, progress: a.progress })),
        version: r.version,
        allowedActions:
          can(actor, 'cases.handle', r.organisation_id, tree) || mayHandle(actor, tree, { organisationId: r.case_org, registryOrganisationId: r.case_registry_org, officerId: r.case_officer })
            ? ['cases.handle' as const]
            : [],
      })),
    };
  }

  async function handledAssignment(ex: Executor, actor: Actor, tree: OrgTree, id: string) {
    const { items } = await assignmentRows(ex, actor, tree, { id, limit: 1 });
    if (!items[0]) throw new AppError('ASSIGNMENT_NOT_FOUND');
    if (!items[0].allowedActions.includes('cases.handle')) throw new AppError('FORBIDDEN');
    return items[0];
  }

  return {
    async listAssignments(actor: Actor, q: z.infer<typeof assignmentQuery>) {
      const tree = await loadOrgTree(db);
      return assignmentRows(db, actor, tree, q);
    },

    async updateAssignment(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateAssignment>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await handledAssignment(tx, actor, tree, id);
        const row = await repo.setStatus(tx, id, input.version, { status: input.status, doneOn: input.status === 'done' ? (before.doneOn ?? today()) : null });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'assignment', entityId: id, action: 'update', before, after: row });
        return (await assignmentRows(tx, actor, tree, { id, limit: 1 })).items[0];
      });
    },

    async linkAction(ctx: RequestContext, actor: Actor, id: string, actionId: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await handledAssignment(tx, actor, tree, id);
        // The action must exist and be readable by the actor (program.read on the program's owner or on the responsible organisation).
        const row = await repo.actionOrganisations(tx, actionId);
        if (!row || !(can(actor, 'program.read', row.owner, tree) || can(actor, 'program.read', row.responsible, tree)))
          throw new AppError('VALIDATION_FAILED', [{ path: 'actionId', message: 'ACTION_NOT_FOUND' }]);
        if (before.actions.some((a) => a.id === actionId)) throw new AppError('ACTION_ALREADY_LINKED');
        await repo.linkAction(tx, { assignmentId: id, actionId, createdBy: actor.id });
        await recordAudit(tx, ctx, { entityType: 'assignment', entityId: id, action: 'link_action', after: { actionId } });
        return (await assignmentRows(tx, actor, tree, { id, limit: 1 })).items[0];
      });
    },

    async unlinkAction(ctx: RequestContext, actor: Actor, id: string, actionId: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await handledAssignment(tx, actor, tree, id);
        if (!before.actions.some((a) => a.id === actionId)) throw new AppError('ACTION_NOT_FOUND');
        await repo.unlinkAction(tx, id, actionId);
        await recordAudit(tx, ctx, { entityType: 'assignment', entityId: id, action: 'unlink_action', before: { actionId } });
        return (await assignmentRows(tx, actor, tree, { id, limit: 1 })).items[0];
      });
    },
  };
}
