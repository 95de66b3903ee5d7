import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { indicatorValues } from '../../db/schema/index.ts';
import { one } from '../../db/helpers.ts';
import type { Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { can, type Actor, type OrgTree } from '../../lib/policies.ts';
import type { enterRoundIndicator, RoundIndicator } from '../../../shared/schemas/program.ts';
import { indicatorsRepo } from './program.indicators.repo.ts';
import { programsRepo, type GoalRow, type ProgramRow } from './program.programs.repo.ts';
import { roundsRepo } from './program.rounds.repo.ts';
import { requireWithinScale, toIndicatorValue } from './program.indicators.ts';
import { num, programOrThrow, type ProgramPartDeps } from './program.shared.ts';

/**
 * Indicator values entered in a follow-up round (issue #11 item 4). The organisation that measures a goal's
 * indicator (`goals.indicator_organisation_id`; without one, the programme's owner) reports its value in the
 * round, as it reports on its actions: whoever holds `followup.report` there, in Mina uppgifter. The
 * coordinator (`followup.manage` on the programme's owner) may enter any of them on the round's page, as they
 * would type in a value sent by e-mail. The value becomes one of the indicator's values with source `round` and
 * the round as its origin, one per goal and round (entered again, it is replaced while the round is open), and
 * is in the trend and the council report like any other. A value outside the scale is refused as by hand.
 */
export function createRoundIndicatorsPart({ db }: ProgramPartDeps) {
  const reporterOf = (g: GoalRow, program: ProgramRow) => g.indicatorOrganisationId ?? program.ownerOrganisationId;
  const reportsFor = (actor: Actor, tree: OrgTree, g: GoalRow, program: ProgramRow) => can(actor, 'followup.report', reporterOf(g, program), tree);

  /**
   * The round, its programme and its goals with an indicator, if the actor has anything to do with it: follows
   * the programme up, reads it, or reports one of its indicators (else ROUND_NOT_FOUND: nothing is revealed).
   */
  async function roundFor(ex: Executor, actor: Actor, tree: OrgTree, roundId: string, opts: { mine?: boolean } = {}) {
    const round = await roundsRepo.findRound(ex, roundId);
    if (!round) throw new AppError('ROUND_NOT_FOUND');
    const program = await programOrThrow(ex, round.programId);
    const goals = (await programsRepo.listGoals(ex, program.id)).filter((g) => g.indicator);
    const manages = can(actor, 'followup.manage', program.ownerOrganisationId, tree);
    const involved = manages || can(actor, 'program.read', program.ownerOrganisationId, tree) || goals.some((g) => reportsFor(actor, tree, g, program));
    // "Mine" in a round the actor may list but has nothing to do with is simply none (Mina uppgifter asks for
    // every open round it lists); the round as such stays hidden (ROUND_NOT_FOUND).
    if (!involved && !opts.mine) throw new AppError('ROUND_NOT_FOUND');
    return { round, program, manages, goals: involved ? goals : [] };
  }

  const roundValue = (ex: Executor, goalId: string, roundId: string) =>
    one(ex.select().from(indicatorValues).where(and(eq(indicatorValues.goalId, goalId), eq(indicatorValues.roundId, roundId))));

  return {
    /**
     * The indicators of the round's programme that the actor reports (`mine`), or every one for the coordinator:
     * with this round's value and the latest one before it.
     */
    async roundIndicators(actor: Actor, roundId: string, opts: { mine?: boolean } = {}) {
      const tree = await loadOrgTree(db);
      const { round, program, manages, goals } = await roundFor(db, actor, tree, roundId, opts);
      const areas = new Map((await programsRepo.listFocusAreas(db, program.id)).map((f) => [f.id, f.number]));
      const shown = goals.filter((g) => reportsFor(actor, tree, g, program) || (!opts.mine && manages));
      const orgIds = [...new Set(shown.map((g) => reporterOf(g, program)))];
      const names = new Map(
        orgIds.length
          ? (await db.execute<{ id: string; name: string }>(sql`select id, name from organisations where id in (${sql.join(orgIds.map((id) => sql`${id}`), sql`, `)})`)).rows.map((r) => [r.id, r.name])
          : [],
      );
      const [all, inRound] = await Promise.all([indicatorsRepo.valuesOfProgram(db, program.id), indicatorsRepo.valuesOfRound(db, round.id)]);
      const ofRound = new Map(inRound.map((v) => [v.goalId, v]));
      const items: RoundIndicator[] = [];
      for (const g of shown) {
        const own = ofRound.get(g.id) ?? null;
        // The latest value before this round's: the newest day among the others.
        const before = all.filter((v) => v.goal_id === g.id && !(own && v.measured_on === own.measuredOn && v.source === 'round')).at(-1) ?? null;
        items.push({
          goalId: g.id,
          number: `${areas.get(g.focusAreaId) ?? ''}.${g.number}`,
          goalText: g.text,
          indicator: g.indicator!,
          unit: g.unit,
          baseline: num(g.baseline),
          targetValue: num(g.targetValue),
          scaleMin: num(g.scaleMin),
          scaleMax: num(g.scaleMax),
          organisationId: reporterOf(g, program),
          organisationName: names.get(reporterOf(g, program)) ?? '',
          value: own ? toIndicatorValue(own) : null,
          previous: before ? { value: Number(before.value), measuredOn: before.measured_on, period: before.period } : null,
          mayEnter: round.status === 'open' && (manages || reportsFor(actor, tree, g, program)),
        });
      }
      return { roundId: round.id, roundName: round.name, roundStatus: round.status as 'open' | 'closed', deadline: round.deadline, items };
    },

    /** Enters (or, with the version, replaces) the round's value of a goal's indicator. */
    async enterRoundIndicator(ctx: RequestContext, actor: Actor, roundId: string, goalId: string, input: z.infer<typeof enterRoundIndicator>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { round, program, manages, goals } = await roundFor(tx, actor, tree, roundId);
        const goal = goals.find((g) => g.id === goalId);
        if (!goal) throw new AppError((await programsRepo.programOfGoal(tx, goalId))?.program_id === program.id ? 'INDICATOR_NOT_FOUND' : 'GOAL_NOT_FOUND');
        if (!manages && !reportsFor(actor, tree, goal, program)) throw new AppError('FORBIDDEN');
        if (round.status !== 'open') throw new AppError('ROUND_CLOSED');
        requireWithinScale(goal, input.value);
        const fields = { measuredOn: input.measuredOn, period: input.period ?? round.name, value: String(input.value), note: input.note ?? null, enteredBy: actor.id };
        const clash = await indicatorsRepo.findSame(tx, goalId, input.measuredOn, 'round');
        const before = await roundValue(tx, goalId, round.id);
        if (clash && clash.id !== before?.id) throw new AppError('INDICATOR_VALUE_EXISTS', [{ path: 'measuredOn', message: 'Det finns redan ett mätvärde från en annan uppföljningsomgång för det datumet.' }]);
        if (before) {
          if (input.version === undefined) throw new AppError('VERSION_CONFLICT');
          const row = await indicatorsRepo.updateVersioned(tx, indicatorValues, before.id, input.version, fields);
          if (!row) throw new AppError('VERSION_CONFLICT');
          await recordAudit(tx, ctx, { entityType: 'indicator_value', entityId: row.id, action: 'update', before, after: row });
          return toIndicatorValue({ ...row, enteredByName: actor.name });
        }
        const row = await indicatorsRepo.insertValue(tx, { goalId, roundId: round.id, source: 'round', ...fields });
        await recordAudit(tx, ctx, { entityType: 'indicator_value', entityId: row.id, action: 'create', after: row });
        return toIndicatorValue({ ...row, enteredByName: actor.name });
      });
    },
  };
}
