import type { z } from 'zod';
import { indicatorValues } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { can, type Actor } from '../../lib/policies.ts';
import type { Executor } from '../../db/client.ts';
import type { createIndicatorValue, IndicatorTrend, IndicatorValue, updateIndicatorValue } from '../../../shared/schemas/program.ts';
import { indicatorsRepo, type IndicatorValueRow } from './program.indicators.repo.ts';
import { programsRepo, type GoalRow } from './program.programs.repo.ts';
import { num, requireOn, type ProgramPartDeps } from './program.shared.ts';
import { fulfilmentOf, scaleOf, withinScale } from './indicators.ts';

type GoalIndicator = { goal: GoalRow; programId: string; owner: string };

/** The goal with its indicator and programme; a goal without an indicator has nothing to measure. */
export async function goalIndicatorOrThrow(ex: Executor, goalId: string, opts: { needIndicator?: boolean } = {}): Promise<GoalIndicator> {
  const goal = await programsRepo.findGoal(ex, goalId);
  if (!goal) throw new AppError('GOAL_NOT_FOUND');
  if (opts.needIndicator && !goal.indicator) throw new AppError('INDICATOR_NOT_FOUND');
  const p = await programsRepo.programOfGoal(ex, goalId);
  return { goal, programId: p.program_id, owner: p.owner };
}

export const indicatorDef = (g: GoalRow) => ({ unit: g.unit, baseline: num(g.baseline), targetValue: num(g.targetValue), scaleMin: num(g.scaleMin), scaleMax: num(g.scaleMax) });

/** A value outside the indicator's scale: 400 with the scale in words, nothing written. */
export function requireWithinScale(g: GoalRow, value: number) {
  if (withinScale(indicatorDef(g), value)) return;
  const s = scaleOf(indicatorDef(g));
  const range = s.min !== null && s.max !== null ? `mellan ${s.min} och ${s.max}` : s.min !== null ? `minst ${s.min}` : `högst ${s.max}`;
  throw new AppError('INDICATOR_VALUE_OUT_OF_SCALE', [{ path: 'value', message: `Ange ett värde ${range}${g.unit ? ` (${g.unit})` : ''}.` }]);
}

export const toIndicatorValue = (r: IndicatorValueRow | (typeof indicatorValues.$inferSelect & { enteredByName?: string | null })): IndicatorValue => ({
  id: r.id,
  goalId: r.goalId,
  measuredOn: r.measuredOn,
  period: r.period,
  value: Number(r.value),
  source: r.source as IndicatorValue['source'],
  note: r.note,
  roundId: r.roundId,
  municipalityCode: r.municipalityCode,
  kpiId: r.kpiId,
  enteredByName: r.enteredByName ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  version: r.version,
});

/**
 * Measured indicator values (issue #11 item 4): a goal's indicator over time, entered by hand here, imported
 * from a key-figure file (program.indicators.import.ts). Reading needs program.read (the route); the values
 * are the programme's figures, the same for everyone who may see the programme. Entering, changing and
 * removing need program.manage on the programme's owner.
 */
export function createIndicatorsPart({ db }: ProgramPartDeps) {
  async function trend(ex: Executor, actor: Actor, goalId: string): Promise<IndicatorTrend> {
    const tree = await loadOrgTree(ex);
    const { goal, programId, owner } = await goalIndicatorOrThrow(ex, goalId);
    const values = (await indicatorsRepo.listValues(ex, goalId)).map(toIndicatorValue);
    const latestRow = latestOf(values);
    const def = indicatorDef(goal);
    return {
      goalId,
      programId,
      goalText: goal.text,
      indicator: goal.indicator,
      unit: goal.unit,
      baseline: def.baseline,
      targetValue: def.targetValue,
      targetYear: goal.targetYear,
      kpiId: goal.kpiId,
      scaleMin: def.scaleMin,
      scaleMax: def.scaleMax,
      latest: latestRow ? { value: latestRow.value, measuredOn: latestRow.measuredOn } : null,
      ...fulfilmentOf(def, latestRow?.value ?? null),
      values,
      mayManage: can(actor, 'program.manage', owner, tree),
    };
  }

  return {
    async indicatorTrend(actor: Actor, goalId: string) {
      return trend(db, actor, goalId);
    },

    async addIndicatorValue(ctx: RequestContext, actor: Actor, goalId: string, input: z.infer<typeof createIndicatorValue>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { goal, owner } = await goalIndicatorOrThrow(tx, goalId, { needIndicator: true });
        requireOn(actor, 'program.manage', owner, tree);
        requireWithinScale(goal, input.value);
        if (await indicatorsRepo.findSame(tx, goalId, input.measuredOn, 'manual')) throw new AppError('INDICATOR_VALUE_EXISTS', [{ path: 'measuredOn', message: 'Det finns redan ett mätvärde för det datumet.' }]);
        const row = await indicatorsRepo.insertValue(tx, {
          goalId,
          measuredOn: input.measuredOn,
          period: input.period ?? null,
          value: String(input.value),
          source: 'manual',
          note: input.note ?? null,
          enteredBy: actor.id,
        });
        await recordAudit(tx, ctx, { entityType: 'indicator_value', entityId: row.id, action: 'create', after: row });
        return toIndicatorValue({ ...row, enteredByName: actor.name });
      });
    },

    async updateIndicatorValue(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateIndicatorValue>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await indicatorsRepo.findValue(tx, id);
        if (!before) throw new AppError('INDICATOR_VALUE_NOT_FOUND');
        const { goal, owner } = await goalIndicatorOrThrow(tx, before.goalId);
        requireOn(actor, 'program.manage', owner, tree);
        const { version, value, ...rest } = input;
        if (value !== undefined) requireWithinScale(goal, value);
        if (rest.measuredOn && rest.measuredOn !== before.measuredOn) {
          const same = await indicatorsRepo.findSame(tx, before.goalId, rest.measuredOn, before.source);
          if (same && same.id !== id) throw new AppError('INDICATOR_VALUE_EXISTS', [{ path: 'measuredOn', message: 'Det finns redan ett mätvärde för det datumet.' }]);
        }
        const row = await indicatorsRepo.updateVersioned(tx, indicatorValues, id, version, { ...rest, ...(value !== undefined ? { value: String(value) } : {}), enteredBy: actor.id });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'indicator_value', entityId: id, action: 'update', before, after: row });
        return toIndicatorValue({ ...row, enteredByName: actor.name });
      });
    },

    async deleteIndicatorValue(ctx: RequestContext, actor: Actor, id: string, version: number) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await indicatorsRepo.findValue(tx, id);
        if (!before) throw new AppError('INDICATOR_VALUE_NOT_FOUND');
        const { owner } = await goalIndicatorOrThrow(tx, before.goalId);
        requireOn(actor, 'program.manage', owner, tree);
        const gone = await indicatorsRepo.deleteValue(tx, id, version);
        if (gone.length === 0) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'indicator_value', entityId: id, action: 'delete', before });
        return trend(tx, actor, before.goalId);
      });
    },
  };
}

/** The latest value: the latest day; on one day a hand-entered value over a round's over an import's (as latestByGoal). */
export function latestOf(values: IndicatorValue[]): IndicatorValue | null {
  const rank = { manual: 0, round: 1, import: 2 } as const;
  let best: IndicatorValue | null = null;
  for (const v of values) if (!best || v.measuredOn > best.measuredOn || (v.measuredOn === best.measuredOn && rank[v.source] < rank[best.source])) best = v;
  return best;
}

