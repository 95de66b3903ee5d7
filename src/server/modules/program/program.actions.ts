import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { planActions } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { allowedActions, scopeOf, type Actor, type OrgTree } from '../../lib/policies.ts';
import type { z } from 'zod';
import { actionActions, type CreatePlanAction, type PlanAction, type UpdatePlanAction, type planActionQuery } from '../../../shared/schemas/program.ts';
import { actionsRepo, type ActionListRow } from './program.actions.repo.ts';
import { programsRepo } from './program.programs.repo.ts';
import { programOrThrow, requireOn, requireOrganisation, type ProgramPartDeps } from './program.shared.ts';
import { accessOf, actionVisibleSql } from '../../access/index.ts';

/** The actions of a programme: list, detail, create, update and their history from the audit trail. */
export function createActionsPart({ db }: ProgramPartDeps) {
  const toAction = (a: ActionListRow, actor: Actor, tree: OrgTree, ownerOrg: string): PlanAction => ({
    id: a.id,
    goalId: a.goalId,
    parentActionId: a.parentActionId,
    title: a.title,
    description: a.description,
    responsibleOrganisationId: a.responsibleOrganisationId,
    responsibleOrganisationName: a.responsibleOrganisationName,
    contributorIds: a.contributorIds,
    contactPerson: a.contactPerson,
    startDate: a.startDate,
    endDate: a.endDate,
    status: a.status as PlanAction['status'],
    progress: a.progress,
    weight: Number(a.weight),
    subAreas: a.subAreas as PlanAction['subAreas'],
    isExample: a.isExample,
    version: a.version,
    allowedActions: allowedActions(actor, actionActions, ownerOrg, tree),
  });

  async function actionDetail(ex: Executor, id: string, actor: Actor, tree: OrgTree) {
    const base = await actionsRepo.findAction(ex, id);
    if (!base) throw new AppError('ACTION_NOT_FOUND');
    const owner = await programsRepo.programOfGoal(ex, base.goalId);
    const [row] = await actionsRepo.listActions(ex, { id, visible: actionVisibleSql(accessOf(actor, tree), 'a') });
    if (!row) throw new AppError('ACTION_NOT_FOUND');
    return { row, owner };
  }

  async function checkActionRefs(ex: Executor, tree: OrgTree, input: Partial<CreatePlanAction>, goalProgramId: string, selfId?: string) {
    if (input.responsibleOrganisationId) await requireOrganisation(ex, tree, input.responsibleOrganisationId, 'responsibleOrganisationId');
    for (const [i, id] of (input.contributorIds ?? []).entries()) if (!tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path: `contributorIds.${i}`, message: 'ORGANISATION_NOT_FOUND' }]);
    if (input.parentActionId) {
      const parent = await actionsRepo.findAction(ex, input.parentActionId);
      if (!parent) throw new AppError('VALIDATION_FAILED', [{ path: 'parentActionId', message: 'ACTION_NOT_FOUND' }]);
      const parentProgram = await programsRepo.programOfGoal(ex, parent.goalId);
      if (parentProgram.program_id !== goalProgramId) throw new AppError('VALIDATION_FAILED', [{ path: 'parentActionId', message: 'ACTION_NOT_FOUND' }]);
      if (parent.id === selfId) throw new AppError('ACTION_CYCLE');
      // Sub-actions are one level deep: the parent must be a top-level action, and an action with
      // sub-actions of its own cannot become one.
      if (parent.parentActionId) throw new AppError('ACTION_DEPTH');
      if (selfId && (await actionsRepo.hasSubActions(ex, selfId))) throw new AppError('ACTION_DEPTH');
    }
  }

  return {
    // --- Actions ---
    async listActions(actor: Actor, q: z.infer<typeof planActionQuery>) {
      const tree = await loadOrgTree(db);
      if (q.programId) await programOrThrow(db, q.programId);
      // Which actions the reader sees is the access core's rule (actionVisibleSql), as everywhere.
      const rows = await actionsRepo.listActions(db, {
        visible: actionVisibleSql(accessOf(actor, tree), 'a'),
        involving: q.mine ? scopeOf(actor, 'followup.report', tree) : undefined,
        programId: q.programId,
        goalId: q.goalId,
        organisationIds: q.organisationId ? tree.subtreeOf(q.organisationId) : undefined,
        subArea: q.subArea,
        status: q.status,
        limit: q.limit,
        offset: q.offset,
      });
      const owners = new Map((await programsRepo.listPrograms(db)).map((p) => [p.id, p.ownerOrganisationId]));
      return { items: rows.map((r) => toAction(r, actor, tree, owners.get(r.programId)!)), total: rows.total };
    },

    async getAction(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      const { row, owner } = await actionDetail(db, id, actor, tree);
      return toAction(row, actor, tree, owner.owner);
    },

    async createAction(ctx: RequestContext, actor: Actor, input: CreatePlanAction) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const owner = await programsRepo.programOfGoal(tx, input.goalId);
        if (!owner) throw new AppError('VALIDATION_FAILED', [{ path: 'goalId', message: 'GOAL_NOT_FOUND' }]);
        requireOn(actor, 'program.manage', owner.owner, tree);
        await checkActionRefs(tx, tree, input, owner.program_id);
        const { contributorIds, weight, ...rest } = input;
        const row = await actionsRepo.insertAction(tx, { ...rest, weight: String(weight), description: rest.description ?? null, contactPerson: rest.contactPerson ?? null, parentActionId: rest.parentActionId ?? null });
        await actionsRepo.setContributors(tx, row.id, contributorIds);
        await recordAudit(tx, ctx, { entityType: 'plan_action', entityId: row.id, action: 'create', after: { ...row, contributorIds } });
        return toAction((await actionDetail(tx, row.id, actor, tree)).row, actor, tree, owner.owner);
      });
    },

    async updateAction(ctx: RequestContext, actor: Actor, id: string, input: UpdatePlanAction) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await actionsRepo.findAction(tx, id);
        if (!before) throw new AppError('ACTION_NOT_FOUND');
        const owner = await programsRepo.programOfGoal(tx, before.goalId);
        requireOn(actor, 'program.manage', owner.owner, tree);
        if (input.goalId && input.goalId !== before.goalId) {
          const target = await programsRepo.programOfGoal(tx, input.goalId);
          if (!target || target.program_id !== owner.program_id) throw new AppError('VALIDATION_FAILED', [{ path: 'goalId', message: 'GOAL_NOT_FOUND' }]);
        }
        await checkActionRefs(tx, tree, input, owner.program_id, id);
        const start = input.startDate !== undefined ? input.startDate : before.startDate;
        const end = input.endDate !== undefined ? input.endDate : before.endDate;
        if (start && end && end < start) throw new AppError('VALIDATION_FAILED', [{ path: 'endDate', message: 'END_BEFORE_START' }]);
        const { version, contributorIds, weight, ...changes } = input;
        const beforeContributors = await actionsRepo.contributorsOf(tx, id);
        const row = await actionsRepo.updateVersioned(tx, planActions, id, version, {
          ...changes,
          ...(weight !== undefined ? { weight: String(weight) } : {}),
        });
        if (!row) throw new AppError('VERSION_CONFLICT');
        if (contributorIds) await actionsRepo.setContributors(tx, id, contributorIds);
        await recordAudit(tx, ctx, {
          entityType: 'plan_action',
          entityId: id,
          action: 'update',
          before: { ...before, contributorIds: beforeContributors },
          after: { ...row, contributorIds: contributorIds ? [...new Set(contributorIds)].sort() : beforeContributors },
        });
        return toAction((await actionDetail(tx, id, actor, tree)).row, actor, tree, owner.owner);
      });
    },

    /** The action's history from the audit trail, as field changes. */
    async actionHistory(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      await actionDetail(db, id, actor, tree);
      const r = await db.execute<{ id: number; at: Date; actor_name: string | null; action: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
        sqlHistory(id),
      );
      const skip = new Set(['version', 'updatedAt', 'createdAt', 'id']);
      return {
        items: r.rows.map((e) => {
          const keys = new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})]);
          const changes = [...keys]
            .filter((k) => !skip.has(k) && JSON.stringify(e.before?.[k] ?? null) !== JSON.stringify(e.after?.[k] ?? null))
            .map((k) => ({ field: k, before: e.before?.[k] ?? null, after: e.after?.[k] ?? null }));
          return { id: Number(e.id), at: new Date(e.at).toISOString(), actorName: e.actor_name, action: e.action, changes };
        }),
      };
    },

  };
}

const sqlHistory = (id: string) =>
  sql`select id, at, actor_name, action, before, after from audit_log where entity_type = 'plan_action' and entity_id = ${id} order by id`;
