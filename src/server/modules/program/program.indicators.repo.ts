import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { one, updateVersioned } from '../../db/helpers.ts';
import { indicatorValues } from '../../db/schema/index.ts';

/** The SQL of measured indicator values: typed rows, no rules. */

export type IndicatorValueRow = typeof indicatorValues.$inferSelect & { enteredByName: string | null };

const withName = sql<string | null>`(select u.name from users u where u.id = ${indicatorValues.enteredBy})`;

export const indicatorsRepo = {
  updateVersioned,
  listValues: (ex: Executor, goalId: string): Promise<IndicatorValueRow[]> =>
    ex
      .select({ v: indicatorValues, enteredByName: withName })
      .from(indicatorValues)
      .where(eq(indicatorValues.goalId, goalId))
      .orderBy(asc(indicatorValues.measuredOn), asc(indicatorValues.createdAt))
      .then((rows) => rows.map((r) => ({ ...r.v, enteredByName: r.enteredByName }))),
  /** The values entered in one follow-up round, for every goal at once (one per goal and round). */
  valuesOfRound: (ex: Executor, roundId: string): Promise<IndicatorValueRow[]> =>
    ex
      .select({ v: indicatorValues, enteredByName: withName })
      .from(indicatorValues)
      .where(eq(indicatorValues.roundId, roundId))
      .then((rows) => rows.map((r) => ({ ...r.v, enteredByName: r.enteredByName }))),
  findValue: (ex: Executor, id: string) => one(ex.select().from(indicatorValues).where(eq(indicatorValues.id, id))),
  findSame: (ex: Executor, goalId: string, measuredOn: string, source: string) =>
    one(ex.select().from(indicatorValues).where(and(eq(indicatorValues.goalId, goalId), eq(indicatorValues.measuredOn, measuredOn), eq(indicatorValues.source, source)))),
  insertValue: (ex: Executor, v: typeof indicatorValues.$inferInsert) => one(ex.insert(indicatorValues).values(v).returning()) as Promise<typeof indicatorValues.$inferSelect>,
  deleteValue: (ex: Executor, id: string, version: number) =>
    ex.delete(indicatorValues).where(and(eq(indicatorValues.id, id), eq(indicatorValues.version, version))).returning({ id: indicatorValues.id }),
  /**
   * Per goal of a programme: the latest measured value (the latest day; on one day a hand-entered value over a
   * round's over an import's). Every value, whoever asks: the figures are the programme's.
   */
  async latestByGoal(ex: Executor, programId: string) {
    const r = await ex.execute<{ goal_id: string; value: string; measured_on: string }>(sql`
      select distinct on (v.goal_id) v.goal_id, v.value, v.measured_on::text as measured_on
      from indicator_values v join goals g on g.id = v.goal_id join focus_areas f on f.id = g.focus_area_id
      where f.program_id = ${programId}
      order by v.goal_id, v.measured_on desc, case v.source when 'manual' then 0 when 'round' then 1 else 2 end, v.updated_at desc`);
    return r.rows;
  },
  /** Every value of a programme's goals, oldest first (the council report's trends). */
  async valuesOfProgram(ex: Executor, programId: string) {
    const r = await ex.execute<{ goal_id: string; value: string; measured_on: string; period: string | null; source: string }>(sql`
      select v.goal_id, v.value, v.measured_on::text as measured_on, v.period, v.source
      from indicator_values v join goals g on g.id = v.goal_id join focus_areas f on f.id = g.focus_area_id
      where f.program_id = ${programId}
      order by v.goal_id, v.measured_on, case v.source when 'manual' then 0 when 'round' then 1 else 2 end`);
    return r.rows;
  },
};
