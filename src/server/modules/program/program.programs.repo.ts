import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { one, updateVersioned } from '../../db/helpers.ts';
import { focusAreas, goals, programs } from '../../db/schema/index.ts';

/** The SQL of programmes, focus areas and goals: typed rows, no rules. */

export type ProgramRow = typeof programs.$inferSelect;
export type FocusAreaRow = typeof focusAreas.$inferSelect;
export type GoalRow = typeof goals.$inferSelect;

export const programsRepo = {
  updateVersioned,
  listPrograms: (ex: Executor) => ex.select().from(programs).orderBy(asc(programs.title)),
  findProgram: (ex: Executor, id: string) => one(ex.select().from(programs).where(eq(programs.id, id))),
  insertProgram: (ex: Executor, v: typeof programs.$inferInsert) => one(ex.insert(programs).values(v).returning()) as Promise<ProgramRow>,
  listFocusAreas: (ex: Executor, programId: string) =>
    ex.select().from(focusAreas).where(eq(focusAreas.programId, programId)).orderBy(asc(focusAreas.number)),
  findFocusArea: (ex: Executor, id: string) => one(ex.select().from(focusAreas).where(eq(focusAreas.id, id))),
  insertFocusArea: (ex: Executor, v: typeof focusAreas.$inferInsert) => one(ex.insert(focusAreas).values(v).returning()) as Promise<FocusAreaRow>,
  listGoals: (ex: Executor, programId: string) =>
    ex
      .select({ goal: goals })
      .from(goals)
      .innerJoin(focusAreas, eq(focusAreas.id, goals.focusAreaId))
      .where(eq(focusAreas.programId, programId))
      .orderBy(asc(focusAreas.number), asc(goals.number))
      .then((rows) => rows.map((r) => r.goal)),
  findGoal: (ex: Executor, id: string) => one(ex.select().from(goals).where(eq(goals.id, id))),
  insertGoal: (ex: Executor, v: typeof goals.$inferInsert) => one(ex.insert(goals).values(v).returning()) as Promise<GoalRow>,
  /** The program a goal, focus area or action belongs to (for policies on the program's owner). */
  async programOfGoal(ex: Executor, goalId: string) {
    const r = await ex.execute<{ program_id: string; owner: string }>(sql`
      select p.id as program_id, p.owner_organisation_id as owner from goals g
      join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id where g.id = ${goalId}`);
    return r.rows[0];
  },
};
