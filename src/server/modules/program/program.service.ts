import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
import { focusAreas, followUpReports, followUpRounds, goals, planActions, programs } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueueJob } from '../../lib/jobs.ts';
import { allowedActions, can, scopeOf, type Actor, type OrgTree } from '../../lib/policies.ts';
import type { z } from 'zod';
import {
  actionActions,
  programActions,
  reportActions,
  roundActions,
  type createFocusArea,
  type createGoal,
  type createProgram,
  type createRound,
  type CreatePlanAction,
  type PlanAction,
  type Program,
  type ProgramRollup,
  type Report,
  type rollupQuery,
  type saveReport,
  type updateFocusArea,
  type updateGoal,
  type UpdatePlanAction,
  type updateProgram,
  type planActionQuery,
  type reportQuery,
} from '../../../shared/schemas/program.ts';
import { programRepo as repo, type ActionListRow, type ProgramRow, type RoundRow } from './program.repo.ts';
import { AMBER_SHARE, combine, healthFromShares, PACE_AMBER, PACE_RED, RED_SHARE, round1, rollUpActions, type Rolled } from './rollup.ts';
import { REMINDER_JOB } from './program.jobs.ts';
import { accessOf, maySeeReportAttachmentSecrets } from '../../access/index.ts';

const today = () => new Date().toISOString().slice(0, 10);
/** Files per report; each at most ATTACHMENT_MAX_BYTES (the route's upload limit). */
export const MAX_ATTACHMENTS = 10;
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
const num = (v: string | null) => (v === null ? null : Number(v));

export function createProgramService({ db, now = today }: { db: Db; now?: () => string }) {
  // --- Helpers ---

  async function programOrThrow(ex: Executor, id: string) {
    const p = await repo.findProgram(ex, id);
    if (!p) throw new AppError('PROGRAM_NOT_FOUND');
    return p;
  }

  function requireOn(actor: Actor, action: Parameters<typeof can>[1], orgId: string, tree: OrgTree) {
    if (!can(actor, action, orgId, tree)) throw new AppError('FORBIDDEN');
  }

  /** undefined = the actor sees every action of the program (holds program.read on its owner); else the organisations whose actions are visible. */
  function visibility(actor: Actor, program: Pick<ProgramRow, 'ownerOrganisationId'> | undefined, tree: OrgTree): string[] | undefined {
    if (program && can(actor, 'program.read', program.ownerOrganisationId, tree)) return undefined;
    if (!program && tree.rootId && can(actor, 'program.read', tree.rootId, tree)) return undefined;
    return scopeOf(actor, 'program.read', tree);
  }

  async function requireOrganisation(ex: Executor, tree: OrgTree, id: string, path: string) {
    if (!tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_NOT_FOUND' }]);
    const r = await ex.execute<{ active: boolean }>(sqlActive(id));
    if (!r.rows[0]?.active) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_INACTIVE' }]);
  }

  const toProgram = (p: ProgramRow, actor: Actor, tree: OrgTree): Program => ({
    id: p.id,
    kind: p.kind as Program['kind'],
    title: p.title,
    description: p.description,
    ownerOrganisationId: p.ownerOrganisationId,
    adoptedBy: p.adoptedBy,
    decisionRef: p.decisionRef,
    validFrom: p.validFrom,
    validTo: p.validTo,
    status: p.status as Program['status'],
    isExample: p.isExample,
    version: p.version,
    allowedActions: allowedActions(actor, programActions, p.ownerOrganisationId, tree),
  });

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
    const base = await repo.findAction(ex, id);
    if (!base) throw new AppError('ACTION_NOT_FOUND');
    const owner = await repo.programOfGoal(ex, base.goalId);
    const [row] = await repo.listActions(ex, { id, scope: visibility(actor, { ownerOrganisationId: owner.owner }, tree) });
    if (!row) throw new AppError('ACTION_NOT_FOUND');
    return { row, owner };
  }

  async function checkActionRefs(ex: Executor, tree: OrgTree, input: Partial<CreatePlanAction>, goalProgramId: string, selfId?: string) {
    if (input.responsibleOrganisationId) await requireOrganisation(ex, tree, input.responsibleOrganisationId, 'responsibleOrganisationId');
    for (const [i, id] of (input.contributorIds ?? []).entries()) if (!tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path: `contributorIds.${i}`, message: 'ORGANISATION_NOT_FOUND' }]);
    if (input.parentActionId) {
      const parent = await repo.findAction(ex, input.parentActionId);
      if (!parent) throw new AppError('VALIDATION_FAILED', [{ path: 'parentActionId', message: 'ACTION_NOT_FOUND' }]);
      const parentProgram = await repo.programOfGoal(ex, parent.goalId);
      if (parentProgram.program_id !== goalProgramId) throw new AppError('VALIDATION_FAILED', [{ path: 'parentActionId', message: 'ACTION_NOT_FOUND' }]);
      if (parent.id === selfId) throw new AppError('ACTION_CYCLE');
      // Sub-actions are one level deep: the parent must be a top-level action, and an action with
      // sub-actions of its own cannot become one.
      if (parent.parentActionId) throw new AppError('ACTION_DEPTH');
      if (selfId && (await repo.hasSubActions(ex, selfId))) throw new AppError('ACTION_DEPTH');
    }
  }

  // --- Rounds and reports helpers ---

  const toReport = (r: Record<string, unknown>, actor: Actor, tree: OrgTree, ownerOrg: string): Report => ({
    id: r.id as string,
    roundId: r.roundId as string,
    roundName: r.roundName as string,
    roundStatus: r.roundStatus as Report['roundStatus'],
    deadline: r.deadline as string,
    actionId: r.actionId as string,
    actionTitle: r.actionTitle as string,
    organisationId: r.organisationId as string,
    organisationName: r.organisationName as string,
    state: r.state as Report['state'],
    actionStatus: (r.actionStatus as Report['actionStatus']) ?? null,
    progress: (r.progress as number | null) ?? null,
    done: (r.done as string | null) ?? null,
    nextSteps: (r.nextSteps as string | null) ?? null,
    risks: (r.risks as string | null) ?? null,
    returnComment: (r.returnComment as string | null) ?? null,
    submittedAt: r.submittedAt ? new Date(r.submittedAt as string).toISOString() : null,
    previous: r.prevRoundName
      ? { roundName: r.prevRoundName as string, actionStatus: (r.prevActionStatus as Report['actionStatus']) ?? null, progress: (r.prevProgress as number | null) ?? null }
      : null,
    attachments: (r.attachments as Report['attachments'] | undefined) ?? [],
    version: r.version as number,
    allowedActions: [
      ...(r.roundStatus === 'open' && r.state !== 'submitted' && can(actor, 'followup.report', r.organisationId as string, tree) ? (['followup.report'] as const) : []),
      ...allowedActions(actor, ['followup.manage'] as const, ownerOrg, tree),
    ].filter((a) => reportActions.includes(a)),
  });

  /** A report the actor may see: their organisation's (followup.report) or any in a program they manage. */
  async function reportFor(ex: Executor, id: string, actor: Actor, tree: OrgTree) {
    const [r] = await repo.listReports(ex, { id });
    if (!r) throw new AppError('REPORT_NOT_FOUND');
    const program = await programOrThrow(ex, r.programId as string);
    const manages = can(actor, 'followup.manage', program.ownerOrganisationId, tree);
    if (!manages && !can(actor, 'followup.report', r.organisationId as string, tree)) throw new AppError('REPORT_NOT_FOUND');
    return { r, program, manages };
  }

  /** The report's organisation may write it while the round is open and it is not submitted. */
  function requireEditable(r: Record<string, unknown>, actor: Actor, tree: OrgTree) {
    if (!can(actor, 'followup.report', r.organisationId as string, tree)) throw new AppError('FORBIDDEN');
    if (r.roundStatus !== 'open') throw new AppError('ROUND_CLOSED');
    if (r.state === 'submitted') throw new AppError('REPORT_SUBMITTED');
  }

  async function roundFor(ex: Executor, id: string) {
    const round = await repo.findRound(ex, id);
    if (!round) throw new AppError('ROUND_NOT_FOUND');
    return round;
  }

  const toRound = (r: RoundRow, counts: Record<string, number>, overdue: number, actor: Actor, tree: OrgTree, ownerOrg: string) => ({
    id: r.id,
    programId: r.programId,
    name: r.name,
    deadline: r.deadline,
    scopeOrganisationIds: r.scopeOrganisationIds,
    status: r.status as 'open' | 'closed',
    openedAt: r.openedAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
    version: r.version,
    counts: { not_started: counts.not_started ?? 0, draft: counts.draft ?? 0, submitted: counts.submitted ?? 0, returned: counts.returned ?? 0, overdue },
    allowedActions: r.status === 'open' ? allowedActions(actor, roundActions, ownerOrg, tree) : [],
  });

  // --- Roll-up ---

  type StatusCounts = ProgramRollup['statusCounts'];
  type GoalNode = ProgramRollup['focusAreas'][number]['goals'][number];
  const noCounts = (): StatusCounts => ({ not_started: 0, in_progress: 0, done: 0, delayed: 0, cancelled: 0 });
  const addCounts = (list: StatusCounts[]) =>
    list.reduce((acc, c) => {
      for (const k of Object.keys(acc) as (keyof StatusCounts)[]) acc[k] += c[k];
      return acc;
    }, noCounts());

  /** Goals into focus areas, focus areas into the program: plain means of the levels below. */
  function assemble(head: { program: { id: string; title: string }; focus: { id: string; number: number; title: string }[] }, goals: { node: GoalNode; focusAreaId: string }[]): ProgramRollup {
    const asRolled = (n: { progress: number | null; health: Rolled['health'] }): Rolled => ({ ...n, weight: n.progress === null ? 0 : 1 });
    const focusNodes = head.focus.map((f) => {
      const gs = goals.filter((g) => g.focusAreaId === f.id).map((g) => g.node);
      return { id: f.id, title: f.title, number: f.number, ...combine(gs.map(asRolled)), actionCount: gs.reduce((n, g) => n + g.actionCount, 0), statusCounts: addCounts(gs.map((g) => g.statusCounts)), goals: gs };
    });
    return {
      id: head.program.id,
      title: head.program.title,
      number: null,
      ...combine(focusNodes.map(asRolled)),
      actionCount: focusNodes.reduce((n, f) => n + f.actionCount, 0),
      statusCounts: addCounts(focusNodes.map((f) => f.statusCounts)),
      focusAreas: focusNodes,
    };
  }

  /**
   * The roll-up of a program as the actor may see it: sub-actions into actions, actions into goals by
   * weight, goals into focus areas and focus areas into the program. Filters pick the top-level actions
   * that count. To goal level it is computed in SQL (repo.rollupGoals); with per-action nodes — one goal
   * drilled into (`goalId`), or the whole program for reports — in memory by rollup.ts.
   */
  async function rollup(ex: Executor, programId: string, actor: Actor, tree: OrgTree, q: z.infer<typeof rollupQuery> = {}, opts: { includeActions?: boolean; inMemory?: boolean } = {}): Promise<ProgramRollup> {
    const withActions = opts.includeActions || !!q.goalId;
    const scope = scopeOf(actor, 'program.read', tree);
    const organisationIds = q.organisationId ? tree.subtreeOf(q.organisationId) : undefined;
    if (!withActions && !opts.inMemory) {
      const head = await repo.rollupHead(ex, programId, scope);
      if (!head.program) throw new AppError('PROGRAM_NOT_FOUND');
      const rows = await repo.rollupGoals(ex, programId, { seesAll: head.program.seesAll, scope }, { organisationIds, subArea: q.subArea, status: q.status }, {
        today: now(),
        paceRed: PACE_RED,
        paceAmber: PACE_AMBER,
        redShare: RED_SHARE,
        amberShare: AMBER_SHARE,
      });
      const byGoal = new Map(rows.map((r) => [r.goal_id, r]));
      return assemble(
        head as { program: { id: string; title: string }; focus: { id: string; number: number; title: string }[] },
        head.goals.map((g) => {
          const r = byGoal.get(g.id);
          const counted = r && r.progress !== null;
          return {
            focusAreaId: g.focusAreaId,
            node: {
              id: g.id,
              title: g.text,
              number: g.number,
              progress: counted ? round1(Number(r.progress)) : null,
              health: counted ? healthFromShares(Number(r.red), Number(r.amber)) : 'none',
              actionCount: r?.n ?? 0,
              statusCounts: r ? { not_started: r.not_started, in_progress: r.in_progress, done: r.done, delayed: r.delayed, cancelled: r.cancelled } : noCounts(),
            },
          };
        }),
      );
    }

    const data = await repo.rollupData(ex, programId, scope, withActions);
    if (!data.program) throw new AppError('PROGRAM_NOT_FOUND');
    const actions = data.actions.map((a) => ({
      id: a.id,
      parentActionId: a.parent_action_id,
      goalId: a.goal_id,
      status: a.status as PlanAction['status'],
      progress: a.progress,
      weight: Number(a.weight),
      startDate: a.start_date,
      endDate: a.end_date,
      responsibleOrganisationId: a.responsible_organisation_id,
      subAreas: a.sub_areas,
      title: a.title ?? '',
      isExample: a.is_example ?? false,
    }));
    const rolled = rollUpActions(actions, now());
    const inFilter = organisationIds ? new Set(organisationIds) : undefined;
    const visibleIds = new Set(actions.map((a) => a.id));
    const top = actions.filter(
      (a) =>
        (!a.parentActionId || !visibleIds.has(a.parentActionId)) &&
        (!inFilter || inFilter.has(a.responsibleOrganisationId)) &&
        (!q.subArea || a.subAreas.includes(q.subArea)) &&
        (!q.status || a.status === q.status),
    );
    type A = (typeof actions)[number];
    const statusCounts = (list: A[]) => {
      const c = noCounts();
      for (const a of list) c[a.status]++;
      return c;
    };
    const byGoal = new Map<string, A[]>();
    for (const a of top) byGoal.set(a.goalId, [...(byGoal.get(a.goalId) ?? []), a]);
    return assemble(
      data as { program: { id: string; title: string }; focus: { id: string; number: number; title: string }[] },
      data.goals.map((g) => {
        const list = byGoal.get(g.id) ?? [];
        return {
          focusAreaId: g.focusAreaId,
          node: {
            id: g.id,
            title: g.text,
            number: g.number,
            ...combine(list.map((a) => rolled.get(a.id)!)),
            actionCount: list.length,
            statusCounts: statusCounts(list),
            ...(withActions && (!q.goalId || q.goalId === g.id)
              ? {
                  actions: list.map((a) => ({
                    id: a.id,
                    title: a.title,
                    number: null,
                    progress: rolled.get(a.id)!.progress,
                    health: rolled.get(a.id)!.health,
                    actionCount: 1,
                    statusCounts: statusCounts([a]),
                    status: a.status,
                    responsibleOrganisationId: a.responsibleOrganisationId,
                    isExample: a.isExample,
                  })),
                }
              : {}),
          },
        };
      }),
    );
  }

  return {
    // --- Programs ---
    async listPrograms(actor: Actor) {
      const tree = await loadOrgTree(db);
      return (await repo.listPrograms(db)).map((p) => toProgram(p, actor, tree));
    },

    async getProgram(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      const p = await programOrThrow(db, id);
      const focus = await repo.listFocusAreas(db, id);
      const goalRows = await repo.listGoals(db, id);
      return {
        ...toProgram(p, actor, tree),
        focusAreas: focus.map((f) => ({
          id: f.id,
          programId: f.programId,
          number: f.number,
          title: f.title,
          description: f.description,
          version: f.version,
          goals: goalRows
            .filter((g) => g.focusAreaId === f.id)
            .map((g) => ({ ...g, baseline: num(g.baseline), targetValue: num(g.targetValue), createdAt: undefined, updatedAt: undefined })),
        })),
      };
    },

    async createProgram(ctx: RequestContext, actor: Actor, input: z.infer<typeof createProgram>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await requireOrganisation(tx, tree, input.ownerOrganisationId, 'ownerOrganisationId');
        requireOn(actor, 'program.manage', input.ownerOrganisationId, tree);
        const row = await repo.insertProgram(tx, { ...input, description: input.description ?? null, adoptedBy: input.adoptedBy ?? null, decisionRef: input.decisionRef ?? null });
        await recordAudit(tx, ctx, { entityType: 'program', entityId: row.id, action: 'create', after: row });
        return toProgram(row, actor, tree);
      });
    },

    async updateProgram(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateProgram>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await programOrThrow(tx, id);
        requireOn(actor, 'program.manage', before.ownerOrganisationId, tree);
        if (input.ownerOrganisationId) {
          await requireOrganisation(tx, tree, input.ownerOrganisationId, 'ownerOrganisationId');
          requireOn(actor, 'program.manage', input.ownerOrganisationId, tree);
        }
        const { version, ...changes } = input;
        const from = changes.validFrom !== undefined ? changes.validFrom : before.validFrom;
        const to = changes.validTo !== undefined ? changes.validTo : before.validTo;
        if (from && to && to < from) throw new AppError('VALIDATION_FAILED', [{ path: 'validTo', message: 'END_BEFORE_START' }]);
        const row = await repo.updateVersioned(tx, programs, id, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'program', entityId: id, action: 'update', before, after: row });
        return toProgram(row, actor, tree);
      });
    },

    // --- Focus areas and goals ---
    async createFocusArea(ctx: RequestContext, actor: Actor, programId: string, input: z.infer<typeof createFocusArea>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const program = await programOrThrow(tx, programId);
        requireOn(actor, 'program.manage', program.ownerOrganisationId, tree);
        if ((await repo.listFocusAreas(tx, programId)).some((f) => f.number === input.number)) throw new AppError('NUMBER_TAKEN', [{ path: 'number', message: 'NUMBER_TAKEN' }]);
        const row = await repo.insertFocusArea(tx, { programId, number: input.number, title: input.title, description: input.description ?? null });
        await recordAudit(tx, ctx, { entityType: 'focus_area', entityId: row.id, action: 'create', after: row });
        return row;
      });
    },

    async updateFocusArea(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateFocusArea>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await repo.findFocusArea(tx, id);
        if (!before) throw new AppError('FOCUS_AREA_NOT_FOUND');
        const program = await programOrThrow(tx, before.programId);
        requireOn(actor, 'program.manage', program.ownerOrganisationId, tree);
        if (input.number !== undefined && (await repo.listFocusAreas(tx, before.programId)).some((f) => f.number === input.number && f.id !== id))
          throw new AppError('NUMBER_TAKEN', [{ path: 'number', message: 'NUMBER_TAKEN' }]);
        const { version, ...changes } = input;
        const row = await repo.updateVersioned(tx, focusAreas, id, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'focus_area', entityId: id, action: 'update', before, after: row });
        return row;
      });
    },

    async createGoal(ctx: RequestContext, actor: Actor, focusAreaId: string, input: z.infer<typeof createGoal>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const area = await repo.findFocusArea(tx, focusAreaId);
        if (!area) throw new AppError('FOCUS_AREA_NOT_FOUND');
        const program = await programOrThrow(tx, area.programId);
        requireOn(actor, 'program.manage', program.ownerOrganisationId, tree);
        const siblings = (await repo.listGoals(tx, area.programId)).filter((g) => g.focusAreaId === focusAreaId);
        if (siblings.some((g) => g.number === input.number)) throw new AppError('NUMBER_TAKEN', [{ path: 'number', message: 'NUMBER_TAKEN' }]);
        const row = await repo.insertGoal(tx, {
          focusAreaId,
          number: input.number,
          text: input.text,
          indicator: input.indicator ?? null,
          unit: input.unit ?? null,
          baseline: input.baseline == null ? null : String(input.baseline),
          targetValue: input.targetValue == null ? null : String(input.targetValue),
          targetYear: input.targetYear ?? null,
        });
        await recordAudit(tx, ctx, { entityType: 'goal', entityId: row.id, action: 'create', after: row });
        return { ...row, baseline: num(row.baseline), targetValue: num(row.targetValue) };
      });
    },

    async updateGoal(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateGoal>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await repo.findGoal(tx, id);
        if (!before) throw new AppError('GOAL_NOT_FOUND');
        const owner = await repo.programOfGoal(tx, id);
        requireOn(actor, 'program.manage', owner.owner, tree);
        const { version, baseline, targetValue, ...rest } = input;
        if (rest.number !== undefined) {
          const siblings = (await repo.listGoals(tx, owner.program_id)).filter((g) => g.focusAreaId === before.focusAreaId && g.id !== id);
          if (siblings.some((g) => g.number === rest.number)) throw new AppError('NUMBER_TAKEN', [{ path: 'number', message: 'NUMBER_TAKEN' }]);
        }
        const changes = {
          ...rest,
          ...(baseline !== undefined ? { baseline: baseline === null ? null : String(baseline) } : {}),
          ...(targetValue !== undefined ? { targetValue: targetValue === null ? null : String(targetValue) } : {}),
        };
        const row = await repo.updateVersioned(tx, goals, id, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'goal', entityId: id, action: 'update', before, after: row });
        return { ...row, baseline: num(row.baseline), targetValue: num(row.targetValue) };
      });
    },

    // --- Actions ---
    async listActions(actor: Actor, q: z.infer<typeof planActionQuery>) {
      const tree = await loadOrgTree(db);
      const program = q.programId ? await programOrThrow(db, q.programId) : undefined;
      let scope = visibility(actor, program, tree);
      if (q.mine) scope = scopeOf(actor, 'followup.report', tree).filter((id) => !scope || scope.includes(id));
      const rows = await repo.listActions(db, {
        programId: q.programId,
        goalId: q.goalId,
        organisationIds: q.organisationId ? tree.subtreeOf(q.organisationId) : undefined,
        scope,
        subArea: q.subArea,
        status: q.status,
        limit: q.limit,
        offset: q.offset,
      });
      const owners = new Map((await repo.listPrograms(db)).map((p) => [p.id, p.ownerOrganisationId]));
      return { items: rows.map((r) => toAction(r, actor, tree, owners.get(r.programId)!)), total: rows[0]?.total ?? 0 };
    },

    async getAction(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      const { row, owner } = await actionDetail(db, id, actor, tree);
      return toAction(row, actor, tree, owner.owner);
    },

    async createAction(ctx: RequestContext, actor: Actor, input: CreatePlanAction) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const owner = await repo.programOfGoal(tx, input.goalId);
        if (!owner) throw new AppError('VALIDATION_FAILED', [{ path: 'goalId', message: 'GOAL_NOT_FOUND' }]);
        requireOn(actor, 'program.manage', owner.owner, tree);
        await checkActionRefs(tx, tree, input, owner.program_id);
        const { contributorIds, weight, ...rest } = input;
        const row = await repo.insertAction(tx, { ...rest, weight: String(weight), description: rest.description ?? null, contactPerson: rest.contactPerson ?? null, parentActionId: rest.parentActionId ?? null });
        await repo.setContributors(tx, row.id, contributorIds);
        await recordAudit(tx, ctx, { entityType: 'plan_action', entityId: row.id, action: 'create', after: { ...row, contributorIds } });
        return toAction((await actionDetail(tx, row.id, actor, tree)).row, actor, tree, owner.owner);
      });
    },

    async updateAction(ctx: RequestContext, actor: Actor, id: string, input: UpdatePlanAction) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await repo.findAction(tx, id);
        if (!before) throw new AppError('ACTION_NOT_FOUND');
        const owner = await repo.programOfGoal(tx, before.goalId);
        requireOn(actor, 'program.manage', owner.owner, tree);
        if (input.goalId && input.goalId !== before.goalId) {
          const target = await repo.programOfGoal(tx, input.goalId);
          if (!target || target.program_id !== owner.program_id) throw new AppError('VALIDATION_FAILED', [{ path: 'goalId', message: 'GOAL_NOT_FOUND' }]);
        }
        await checkActionRefs(tx, tree, input, owner.program_id, id);
        const start = input.startDate !== undefined ? input.startDate : before.startDate;
        const end = input.endDate !== undefined ? input.endDate : before.endDate;
        if (start && end && end < start) throw new AppError('VALIDATION_FAILED', [{ path: 'endDate', message: 'END_BEFORE_START' }]);
        const { version, contributorIds, weight, ...changes } = input;
        const beforeContributors = await repo.contributorsOf(tx, id);
        const row = await repo.updateVersioned(tx, planActions, id, version, {
          ...changes,
          ...(weight !== undefined ? { weight: String(weight) } : {}),
        });
        if (!row) throw new AppError('VERSION_CONFLICT');
        if (contributorIds) await repo.setContributors(tx, id, contributorIds);
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

    /** The roll-up inside a caller's transaction or job (reports use it). */
    async rollupWith(ex: Executor, program: ProgramRow, actor: Actor) {
      return rollup(ex, program.id, actor, await loadOrgTree(ex), {}, { includeActions: true });
    },

    /** The in-memory roll-up, to goal level: the consistency test compares it with the SQL one. */
    async rollupInMemory(actor: Actor, programId: string, q: z.infer<typeof rollupQuery> = {}) {
      return rollup(db, programId, actor, await loadOrgTree(db), q, { inMemory: true });
    },

    async rollup(actor: Actor, programId: string, q: z.infer<typeof rollupQuery>) {
      const tree = await loadOrgTree(db);
      return rollup(db, programId, actor, tree, q);
    },

    // --- Follow-up rounds ---
    async listRounds(actor: Actor, programId?: string) {
      const tree = await loadOrgTree(db);
      const rounds = await repo.listRounds(db, programId);
      const programs = new Map((await repo.listPrograms(db)).map((p) => [p.id, p]));
      // Counts of every report in the rounds the actor follows up, of their own organisations' elsewhere: two queries in all.
      const manages = (r: RoundRow) => can(actor, 'followup.manage', programs.get(r.programId)!.ownerOrganisationId, tree);
      const managed = rounds.filter(manages).map((r) => r.id);
      const others = rounds.filter((r) => !manages(r)).map((r) => r.id);
      const counts = new Map([...(await repo.roundCounts(db, managed)), ...(await repo.roundCounts(db, others, scopeOf(actor, 'followup.report', tree)))]);
      return {
        items: rounds.map((r) => {
          const c = counts.get(r.id) ?? {};
          const overdue = r.status === 'open' && r.deadline < now() ? (c.not_started ?? 0) + (c.draft ?? 0) + (c.returned ?? 0) : 0;
          return toRound(r, c, overdue, actor, tree, programs.get(r.programId)!.ownerOrganisationId);
        }),
      };
    },

    async openRound(ctx: RequestContext, actor: Actor, input: z.infer<typeof createRound>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const program = await programOrThrow(tx, input.programId);
        requireOn(actor, 'followup.manage', program.ownerOrganisationId, tree);
        for (const [i, id] of input.scopeOrganisationIds.entries())
          if (!tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path: `scopeOrganisationIds.${i}`, message: 'ORGANISATION_NOT_FOUND' }]);
        const inScope = input.scopeOrganisationIds.length ? new Set(input.scopeOrganisationIds.flatMap((id) => tree.subtreeOf(id))) : undefined;
        const actions = (await repo.listActions(tx, { programId: program.id })).filter((a) => a.status !== 'cancelled' && (!inScope || inScope.has(a.responsibleOrganisationId)));
        if (actions.length === 0) throw new AppError('ROUND_EMPTY');
        const round = await repo.insertRound(tx, { programId: program.id, name: input.name, deadline: input.deadline, scopeOrganisationIds: input.scopeOrganisationIds });
        await repo.insertReports(tx, actions.map((a) => ({ roundId: round.id, actionId: a.id, organisationId: a.responsibleOrganisationId })));
        await recordAudit(tx, ctx, { entityType: 'follow_up_round', entityId: round.id, action: 'open', after: { ...round, reports: actions.length } });
        // Reminders: a week before the deadline and the day after it (the handler skips what has been submitted).
        const deadline = Date.parse(`${input.deadline}T08:00:00Z`);
        for (const [kind, at] of [['before', deadline - 7 * 86_400_000], ['overdue', deadline + 86_400_000]] as const)
          await enqueueJob(tx, { type: REMINDER_JOB, payload: { roundId: round.id, kind }, uniqueKey: `${REMINDER_JOB}:${round.id}:${kind}`, runAt: new Date(Math.max(at, Date.now())) });
        const counts = { not_started: actions.length };
        return toRound(round, counts, 0, actor, tree, program.ownerOrganisationId);
      });
    },

    async roundOverview(actor: Actor, roundId: string) {
      const tree = await loadOrgTree(db);
      const round = await roundFor(db, roundId);
      const program = await programOrThrow(db, round.programId);
      const scope = can(actor, 'followup.manage', program.ownerOrganisationId, tree) ? undefined : scopeOf(actor, 'followup.report', tree);
      const rows = await repo.roundOverview(db, roundId, scope);
      const late = round.status === 'open' && round.deadline < now();
      return {
        items: rows.map((r) => ({
          organisationId: r.organisationId as string,
          organisationName: r.organisationName as string,
          total: r.total as number,
          submitted: r.submitted as number,
          draft: r.draft as number,
          returned: r.returned as number,
          notStarted: r.notStarted as number,
          overdue: late && (r.submitted as number) < (r.total as number),
        })),
      };
    },

    async closeRound(ctx: RequestContext, actor: Actor, roundId: string, version: number) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const round = await roundFor(tx, roundId);
        const program = await programOrThrow(tx, round.programId);
        requireOn(actor, 'followup.manage', program.ownerOrganisationId, tree);
        if (round.status === 'closed') throw new AppError('ROUND_CLOSED');
        const snapshot = {
          rollup: await rollup(tx, program.id, actor, tree, {}, { includeActions: true }),
          reports: await repo.listReports(tx, { roundId }),
        };
        const row = await repo.updateVersioned(tx, followUpRounds, roundId, version, { status: 'closed', closedAt: new Date(), snapshot });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'follow_up_round', entityId: roundId, action: 'close', before: { status: 'open' }, after: { status: 'closed' } });
        // Its reminders have nothing left to remind of.
        await tx.execute(sql`delete from jobs where type = ${REMINDER_JOB} and status = 'pending' and payload->>'roundId' = ${roundId}`);
        const counts = (await repo.roundCounts(tx, [roundId])).get(roundId) ?? {};
        return toRound(row, counts, 0, actor, tree, program.ownerOrganisationId);
      });
    },

    // --- Reports ---
    async listReports(actor: Actor, q: z.infer<typeof reportQuery>) {
      const tree = await loadOrgTree(db);
      const programs = await repo.listPrograms(db);
      const owners = new Map(programs.map((p) => [p.id, p.ownerOrganisationId]));
      // Filtered in SQL: their organisations' reports, and (except for Mina uppgifter) every report of the programs they follow up.
      const managedPrograms = q.mine ? [] : programs.filter((p) => can(actor, 'followup.manage', p.ownerOrganisationId, tree)).map((p) => p.id);
      const rows = await repo.listReports(db, {
        roundId: q.roundId,
        actionId: q.actionId,
        organisationId: q.organisationId,
        state: q.state,
        openOnly: q.mine,
        scope: scopeOf(actor, 'followup.report', tree),
        managedPrograms,
      });
      return { items: rows.map((r) => toReport(r, actor, tree, owners.get(r.programId as string)!)) };
    },

    async getReport(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      const { r, program } = await reportFor(db, id, actor, tree);
      return toReport(r, actor, tree, program.ownerOrganisationId);
    },

    /** Attaches a file to a report its organisation may still edit. */
    async addAttachment(ctx: RequestContext, actor: Actor, id: string, file: { filename: string; data: Buffer; contentType: string }) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { r, program } = await reportFor(tx, id, actor, tree);
        requireEditable(r, actor, tree);
        if (((r.attachments as unknown[] | undefined) ?? []).length >= MAX_ATTACHMENTS) throw new AppError('TOO_MANY_ATTACHMENTS');
        const sha256 = createHash('sha256').update(file.data).digest('hex');
        const row = (await repo.insertAttachment(tx, { reportId: id, filename: file.filename.slice(0, 200) || 'bilaga', contentType: file.contentType, size: file.data.length, sha256, content: file.data, uploadedBy: actor.id }))!;
        await recordAudit(tx, ctx, { entityType: 'follow_up_report', entityId: id, action: 'attach', after: row });
        const [fresh] = await repo.listReports(tx, { id });
        return toReport(fresh, actor, tree, program.ownerOrganisationId);
      });
    },

    async getAttachment(actor: Actor, id: string, attachmentId: string) {
      const tree = await loadOrgTree(db);
      const { r, program } = await reportFor(db, id, actor, tree);
      const a = await repo.findAttachment(db, id, attachmentId);
      if (!a) throw new AppError('ATTACHMENT_NOT_FOUND');
      // A secrecy-marked attachment exists only for those with the right to its secrets.
      if (a.secrecyRef && !maySeeReportAttachmentSecrets(accessOf(actor, tree), r.organisationId as string, program.ownerOrganisationId)) throw new AppError('ATTACHMENT_NOT_FOUND');
      return a;
    },

    async removeAttachment(ctx: RequestContext, actor: Actor, id: string, attachmentId: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { r, program } = await reportFor(tx, id, actor, tree);
        requireEditable(r, actor, tree);
        const a = await repo.findAttachment(tx, id, attachmentId);
        if (!a) throw new AppError('ATTACHMENT_NOT_FOUND');
        await repo.deleteAttachment(tx, attachmentId);
        const { content: _content, ...meta } = a;
        await recordAudit(tx, ctx, { entityType: 'follow_up_report', entityId: id, action: 'detach', before: meta });
        const [fresh] = await repo.listReports(tx, { id });
        return toReport(fresh, actor, tree, program.ownerOrganisationId);
      });
    },

    async saveReport(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof saveReport>, submit = false) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { r, program } = await reportFor(tx, id, actor, tree);
        requireEditable(r, actor, tree);
        const { version, ...fields } = input;
        const merged = {
          actionStatus: fields.actionStatus !== undefined ? fields.actionStatus : (r.actionStatus as string | null),
          progress: fields.progress !== undefined ? fields.progress : (r.progress as number | null),
        };
        if (submit && (!merged.actionStatus || merged.progress === null || merged.progress === undefined)) {
          const missing = [...(!merged.actionStatus ? [{ path: 'actionStatus', message: 'REQUIRED' }] : []), ...(merged.progress == null ? [{ path: 'progress', message: 'REQUIRED' }] : [])];
          throw new AppError('REPORT_INCOMPLETE', missing);
        }
        const row = await repo.updateVersioned(tx, followUpReports, id, version, {
          ...fields,
          state: submit ? 'submitted' : 'draft',
          ...(submit ? { submittedAt: new Date(), submittedBy: actor.id } : {}),
        });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'follow_up_report', entityId: id, action: submit ? 'submit' : 'save', before: { state: r.state, actionStatus: r.actionStatus, progress: r.progress }, after: row });
        if (submit) {
          // The submitted report moves the action itself: its status and progress are what the owner reported.
          const action = (await repo.findAction(tx, r.actionId as string))!;
          const updated = await repo.updateVersioned(tx, planActions, action.id, action.version, { status: merged.actionStatus!, progress: merged.progress! });
          await recordAudit(tx, ctx, { entityType: 'plan_action', entityId: action.id, action: 'report', before: action, after: updated });
        }
        const [fresh] = await repo.listReports(tx, { id });
        return toReport(fresh, actor, tree, program.ownerOrganisationId);
      });
    },

    async returnReport(ctx: RequestContext, actor: Actor, id: string, version: number, comment: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { r, program, manages } = await reportFor(tx, id, actor, tree);
        if (!manages) throw new AppError('FORBIDDEN');
        if (r.roundStatus !== 'open') throw new AppError('ROUND_CLOSED');
        if (r.state !== 'submitted') throw new AppError('REPORT_NOT_SUBMITTED');
        const row = await repo.updateVersioned(tx, followUpReports, id, version, { state: 'returned', returnComment: comment });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'follow_up_report', entityId: id, action: 'return', before: { state: r.state }, after: { state: 'returned', returnComment: comment } });
        const [fresh] = await repo.listReports(tx, { id });
        return toReport(fresh, actor, tree, program.ownerOrganisationId);
      });
    },
  };
}

const sqlActive = (id: string) => sql`select active from organisations where id = ${id}`;
const sqlHistory = (id: string) =>
  sql`select id, at, actor_name, action, before, after from audit_log where entity_type = 'plan_action' and entity_id = ${id} order by id`;

export type ProgramService = ReturnType<typeof createProgramService>;
