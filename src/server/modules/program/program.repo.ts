import { actionsRepo } from './program.actions.repo.ts';
import { programsRepo } from './program.programs.repo.ts';
import { reportsRepo } from './program.reports.repo.ts';
import { rollupsRepo } from './program.rollups.repo.ts';
import { roundsRepo } from './program.rounds.repo.ts';

/**
 * The programme module's SQL is one repo per service part (program.<part>.repo.ts). This is all of them
 * together, for what spans the parts: the plan import and export, the follow-up report, tests and benchmarks.
 */
export type { ProgramRow, FocusAreaRow, GoalRow } from './program.programs.repo.ts';
export type { ActionRow, ActionFilter, ActionListRow } from './program.actions.repo.ts';
export type { RollupActionRow } from './program.rollups.repo.ts';
export type { RoundRow } from './program.rounds.repo.ts';
export type { ReportRow } from './program.reports.repo.ts';
export { dateOnly } from './program.rows.ts';

export const programRepo = { ...programsRepo, ...actionsRepo, ...rollupsRepo, ...roundsRepo, ...reportsRepo };
