import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.ts';
import { one, updateVersioned } from '../../db/helpers.ts';
import { cases, decisions, focusAreas, goals, governingDocuments, organisations, programs } from '../../db/schema/index.ts';

/** The SQL of programmes, focus areas and goals: typed rows, no rules. */

const adopter = alias(organisations, 'adopter');
const body = alias(organisations, 'decision_body');
/**
 * A program with what its register entry holds (issue #11 item 3): the stored status, validity, the body
 * that adopts it and the adopting decision, cited as the minutes cite it ("KF 2020-02-27 § 31") or by the
 * free-text reference of a decision outside the registry.
 */
const programWithEntry = () =>
  ({
    ...getTableColumns(programs),
    status: governingDocuments.status,
    validFrom: governingDocuments.validFrom,
    validTo: governingDocuments.validTo,
    adoptedOn: governingDocuments.adoptedOn,
    adoptedByOrganisationId: governingDocuments.adoptedByOrganisationId,
    adoptedBy: adopter.name,
    decisionId: governingDocuments.decisionId,
    decisionCaseId: decisions.caseId,
    decisionCaseNumber: cases.registryNumber,
    decisionRef: sql<string | null>`coalesce(${governingDocuments.decisionRef}, case when ${decisions.decidedOn} is not null then concat_ws(' ', coalesce(${body.shortName}, ${body.name}), ${decisions.decidedOn}::text, '§ ' || ${decisions.paragraph}) end)`,
    statusChangedOn: governingDocuments.statusChangedOn,
  }) as const;
const selectPrograms = (ex: Executor) =>
  ex
    .select(programWithEntry())
    .from(programs)
    .innerJoin(governingDocuments, eq(governingDocuments.id, programs.documentId))
    .leftJoin(adopter, eq(adopter.id, governingDocuments.adoptedByOrganisationId))
    .leftJoin(decisions, sql`${decisions.id} = ${governingDocuments.decisionId} and ${decisions.status} = 'decided'`)
    .leftJoin(cases, eq(cases.id, decisions.caseId))
    .leftJoin(body, eq(body.id, decisions.bodyOrganisationId));

export type ProgramRow = Awaited<ReturnType<typeof selectPrograms>>[number];
export type FocusAreaRow = typeof focusAreas.$inferSelect;
export type GoalRow = typeof goals.$inferSelect;

export const programsRepo = {
  updateVersioned,
  listPrograms: (ex: Executor) => selectPrograms(ex).orderBy(asc(programs.title)),
  findProgram: (ex: Executor, id: string) => one(selectPrograms(ex).where(eq(programs.id, id))),
  /** The program's row; without `documentId` (tests, benchmarks) it gets a bare draft register entry of its own. */
  insertProgram: async (ex: Executor, v: Omit<typeof programs.$inferInsert, 'documentId'> & { documentId?: string }) => {
    const documentId =
      v.documentId ??
      (await ex.insert(governingDocuments).values({ type: 'program', title: v.title, description: v.description ?? null, ownerOrganisationId: v.ownerOrganisationId, status: 'draft' }).returning({ id: governingDocuments.id }))[0].id;
    const [row] = await ex.insert(programs).values({ ...v, documentId }).returning({ id: programs.id });
    return (await one(selectPrograms(ex).where(eq(programs.id, row.id))))!;
  },
  /** The program's own row (for a versioned update and its audit entry). */
  findProgramRow: (ex: Executor, id: string) => one(ex.select().from(programs).where(eq(programs.id, id))),
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
