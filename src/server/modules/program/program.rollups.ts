import type { Executor } from '../../db/client.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { type Actor, type OrgTree } from '../../lib/policies.ts';
import { accessOf, actionVisibleSql } from '../../access/index.ts';
import type { z } from 'zod';
import { type PlanAction, type ProgramRollup, type rollupQuery } from '../../../shared/schemas/program.ts';
import { type ProgramRow } from './program.programs.repo.ts';
import { rollupsRepo, type RollupGoalHead } from './program.rollups.repo.ts';
import { indicatorsRepo } from './program.indicators.repo.ts';
import { fulfilmentOf, implementationRate, meanFulfilment } from './indicators.ts';
import { AMBER_SHARE, combine, healthFromShares, PACE_AMBER, PACE_RED, RED_SHARE, round1, rollUpActions, type Rolled } from './rollup.ts';
import type { ProgramPartDeps } from './program.shared.ts';

/** The roll-up of a programme (SQL to goal level, in memory with per-action nodes). */
export function createRollupPart({ db, now }: ProgramPartDeps) {
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
  function assemble(
    head: { program: { id: string; title: string }; focus: { id: string; number: number; title: string }[] },
    goalsIn: { node: GoalNode; focusAreaId: string; head: RollupGoalHead }[],
    latest: Map<string, { value: number; measuredOn: string }>,
  ): ProgramRollup {
    // Goal fulfilment from the indicators (the latest measured value against baseline and target), and the
    // implementation rate from the actions: two figures, both the programme's, the same for every reader.
    const goals = goalsIn.map((g) => {
      const h = g.head;
      const last = latest.get(h.id) ?? null;
      const f = fulfilmentOf(h, last?.value ?? null);
      return {
        focusAreaId: g.focusAreaId,
        node: {
          ...g.node,
          fulfilment: f.fulfilment,
          implementationRate: implementationRate(g.node.statusCounts),
          indicator: h.indicator
            ? { name: h.indicator, unit: h.unit, baseline: h.baseline, targetValue: h.targetValue, targetYear: h.targetYear, latest: last?.value ?? null, latestOn: last?.measuredOn ?? null, reached: f.reached }
            : null,
        },
      };
    });
    const asRolled = (n: { progress: number | null; health: Rolled['health'] }): Rolled => ({ ...n, weight: n.progress === null ? 0 : 1 });
    const focusNodes = head.focus.map((f) => {
      const gs = goals.filter((g) => g.focusAreaId === f.id).map((g) => g.node);
      const statusCounts = addCounts(gs.map((g) => g.statusCounts));
      return { id: f.id, title: f.title, number: f.number, ...combine(gs.map(asRolled)), actionCount: gs.reduce((n, g) => n + g.actionCount, 0), statusCounts, fulfilment: meanFulfilment(gs.map((g) => g.fulfilment)), implementationRate: implementationRate(statusCounts), goals: gs };
    });
    const statusCounts = addCounts(focusNodes.map((f) => f.statusCounts));
    return {
      id: head.program.id,
      title: head.program.title,
      number: null,
      ...combine(focusNodes.map(asRolled)),
      actionCount: focusNodes.reduce((n, f) => n + f.actionCount, 0),
      statusCounts,
      fulfilment: meanFulfilment(goals.map((g) => g.node.fulfilment)),
      implementationRate: implementationRate(statusCounts),
      focusAreas: focusNodes,
    };
  }

  /**
   * The roll-up of a program: sub-actions into actions, actions into goals by weight, goals into focus
   * areas and focus areas into the program. The figures are the program's, computed over all its actions
   * and the same for everyone who may see the program; what the access core hides is the detail of the
   * actions one may not see (their titles, their rows in a drill-down), never their weight. Filters pick
   * the top-level actions that count. To goal level it is computed in SQL (rollupsRepo.rollupGoals); with
   * per-action nodes — one goal drilled into (`goalId`), or the whole program for reports — in memory by
   * rollup.ts.
   */
  async function rollup(ex: Executor, programId: string, actor: Actor, tree: OrgTree, q: z.infer<typeof rollupQuery> = {}, opts: { includeActions?: boolean; inMemory?: boolean } = {}): Promise<ProgramRollup> {
    const withActions = opts.includeActions || !!q.goalId;
    const organisationIds = q.organisationId ? tree.subtreeOf(q.organisationId) : undefined;
    if (!withActions && !opts.inMemory) {
      const head = await rollupsRepo.rollupHead(ex, programId);
      if (!head.program) throw new AppError('PROGRAM_NOT_FOUND');
      const rows = await rollupsRepo.rollupGoals(ex, programId, { organisationIds, subArea: q.subArea, status: q.status }, {
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
            head: g,
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
        await latestValues(ex, programId),
      );
    }

    const data = await rollupsRepo.rollupData(ex, programId, withActions ? { visible: actionVisibleSql(accessOf(actor, tree), 'a') } : undefined);
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
      visible: a.visible ?? false,
      title: a.title ?? '',
      isExample: a.is_example ?? false,
    }));
    const rolled = rollUpActions(actions, now());
    const inFilter = organisationIds ? new Set(organisationIds) : undefined;
    const matches = (a: (typeof actions)[number]) =>
      (!inFilter || inFilter.has(a.responsibleOrganisationId)) && (!q.subArea || a.subAreas.includes(q.subArea)) && (!q.status || a.status === q.status);
    // What counts: the program's top-level actions that match the filter, seen or not.
    const top = actions.filter((a) => !a.parentActionId && matches(a));
    // What is shown: the matching actions the reader may see, at the top level of what they see (a visible
    // sub-action of an action they may not see stands on its own).
    const visibleIds = new Set(actions.filter((a) => a.visible).map((a) => a.id));
    const shown = actions.filter((a) => a.visible && (!a.parentActionId || !visibleIds.has(a.parentActionId)) && matches(a));
    type A = (typeof actions)[number];
    const statusCounts = (list: A[]) => {
      const c = noCounts();
      for (const a of list) c[a.status]++;
      return c;
    };
    const group = (list: A[]) => {
      const m = new Map<string, A[]>();
      for (const a of list) {
        const g = m.get(a.goalId);
        if (g) g.push(a);
        else m.set(a.goalId, [a]);
      }
      return m;
    };
    const byGoal = group(top);
    const shownByGoal = group(shown);
    return assemble(
      data as { program: { id: string; title: string }; focus: { id: string; number: number; title: string }[] },
      data.goals.map((g) => {
        const list = byGoal.get(g.id) ?? [];
        const seen = shownByGoal.get(g.id) ?? [];
        return {
          focusAreaId: g.focusAreaId,
          head: g,
          node: {
            id: g.id,
            title: g.text,
            number: g.number,
            ...combine(list.map((a) => rolled.get(a.id)!)),
            actionCount: list.length,
            statusCounts: statusCounts(list),
            ...(withActions && (!q.goalId || q.goalId === g.id)
              ? {
                  hiddenActionCount: list.filter((a) => !a.visible).length,
                  actions: seen.map((a) => ({
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
      await latestValues(ex, programId),
    );
  }

  /** Each goal's latest measured indicator value: every value of the programme, whoever asks. */
  async function latestValues(ex: Executor, programId: string) {
    return new Map((await indicatorsRepo.latestByGoal(ex, programId)).map((r) => [r.goal_id, { value: Number(r.value), measuredOn: r.measured_on }]));
  }

  return {
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

  };
}
