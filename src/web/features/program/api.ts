import { z } from 'zod';
import {
  createFocusArea,
  createGoal,
  createPlanAction,
  createProgram,
  createRound,
  createIndicatorValue,
  enterRoundIndicator,
  roundIndicatorList,
  indicatorImportResult,
  indicatorTrend,
  indicatorValue,
  documentModel,
  focusArea,
  goal,
  history,
  importResult,
  planAction,
  planActionList,
  program,
  programList,
  programRollup,
  report,
  reportList,
  rollupQuery,
  round,
  roundList,
  roundOverview,
  saveReport,
  updatePlanAction,
  type ACTION_STATUSES,
  type PROGRAM_KINDS,
  type PROGRAM_STATUSES,
  type REPORT_STATES,
  type SUB_AREAS,
} from '../../../shared/schemas/program.ts';
import { api, upload } from '../../api/client.ts';

export type ProgramT = z.infer<typeof program>;
export const programDetail = program.extend({ focusAreas: z.array(focusArea.extend({ goals: z.array(goal) })) });
export type ProgramDetailT = z.infer<typeof programDetail>;
export type PlanActionT = z.infer<typeof planAction>;
export type RollupT = z.infer<typeof programRollup>;
export type RoundT = z.infer<typeof round>;
export type ReportT = z.infer<typeof report>;
export type ImportResultT = z.infer<typeof importResult>;
export type IndicatorTrendT = z.infer<typeof indicatorTrend>;
export type IndicatorImportResultT = z.infer<typeof indicatorImportResult>;
export type HistoryEntryT = z.infer<typeof history>['items'][number];
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type SubArea = (typeof SUB_AREAS)[number];
export type ProgramKind = (typeof PROGRAM_KINDS)[number];
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];
export type ReportState = (typeof REPORT_STATES)[number];

/** Request bodies as the server's schemas take them. */
export type ProgramInput = z.input<typeof createProgram>;
export type ActionInput = z.input<typeof createPlanAction>;
export type ActionUpdate = z.input<typeof updatePlanAction>;
export type RollupFilter = z.input<typeof rollupQuery>;
export type ReportInput = z.input<typeof saveReport>;
export type RoundInput = z.input<typeof createRound>;

export const programs = {
  list: () => api.get('/api/programs', programList),
  get: (id: string) => api.get(`/api/programs/${id}`, programDetail),
  create: (body: ProgramInput) => api.post('/api/programs', program, body),
  rollup: (id: string, q: RollupFilter) => api.get(`/api/programs/${id}/rollup`, programRollup, { ...q }),
  createFocusArea: (programId: string, body: z.input<typeof createFocusArea>) =>
    api.post(`/api/programs/${programId}/focus-areas`, focusArea, body),
  createGoal: (focusAreaId: string, body: z.input<typeof createGoal>) => api.post(`/api/focus-areas/${focusAreaId}/goals`, goal, body),
  importPlan: (programId: string, file: File, dryRun: boolean) => upload(`/api/programs/${programId}/import`, importResult, file, file.name, { dryRun }),
};

export const planActions = {
  list: (q: { programId?: string; goalId?: string; limit?: number }) => api.get('/api/actions', planActionList, q),
  get: (id: string) => api.get(`/api/actions/${id}`, planAction),
  history: (id: string) => api.get(`/api/actions/${id}/history`, history),
  create: (body: ActionInput) => api.post('/api/actions', planAction, body),
  update: (id: string, body: ActionUpdate) => api.patch(`/api/actions/${id}`, planAction, body),
};

export const followUp = {
  rounds: (programId?: string) => api.get('/api/follow-up-rounds', roundList, { programId }),
  open: (body: RoundInput) => api.post('/api/follow-up-rounds', round, body),
  overview: (id: string) => api.get(`/api/follow-up-rounds/${id}/overview`, roundOverview),
  close: (id: string, version: number) => api.post(`/api/follow-up-rounds/${id}/close`, round, { version }),
  reports: (q: { roundId?: string; actionId?: string; organisationId?: string; state?: string; mine?: boolean }) => api.get('/api/follow-up-reports', reportList, q),
  save: (id: string, body: ReportInput) => api.put(`/api/follow-up-reports/${id}`, report, body),
  submit: (id: string, body: ReportInput) => api.post(`/api/follow-up-reports/${id}/submit`, report, body),
  returnReport: (id: string, version: number, comment: string) => api.post(`/api/follow-up-reports/${id}/return`, report, { version, comment }),
  getReport: (id: string) => api.get(`/api/follow-up-reports/${id}`, report),
  /** The board report as data: what the DOCX/PDF show (a closed round's frozen snapshot). */
  document: (id: string) => api.get(`/api/follow-up-rounds/${id}/document`, documentModel),
  attach: (id: string, file: File) => upload(`/api/follow-up-reports/${id}/attachments`, report, file, file.name),
  detach: (id: string, attachmentId: string) => api.delete(`/api/follow-up-reports/${id}/attachments/${attachmentId}`, report),
  attachmentUrl: (id: string, attachmentId: string) => `/api/follow-up-reports/${id}/attachments/${attachmentId}`,
  /** The round's indicators: those the actor's organisations measure (mine), or all for the coordinator. */
  roundIndicators: (id: string, mine: boolean) => api.get(`/api/follow-up-rounds/${id}/indicators`, roundIndicatorList, mine ? { mine: true } : {}),
  enterIndicator: (id: string, goalId: string, body: z.input<typeof enterRoundIndicator>) => api.put(`/api/follow-up-rounds/${id}/indicators/${goalId}`, indicatorValue, body),
};
export type RoundIndicatorT = z.infer<typeof roundIndicatorList>['items'][number];


/** Measured indicators of a goal (issue #11 item 4). */
export const indicators = {
  trend: (goalId: string) => api.get(`/api/goals/${goalId}/indicator`, indicatorTrend),
  add: (goalId: string, body: z.input<typeof createIndicatorValue>) => api.post(`/api/goals/${goalId}/indicator-values`, indicatorValue, body),
  remove: (id: string, version: number) => api.delete(`/api/indicator-values/${id}?version=${version}`, indicatorTrend),
  importFile: (programId: string, file: File, dryRun: boolean) => upload(`/api/programs/${programId}/indicator-import`, indicatorImportResult, file, file.name, { dryRun }),
};
