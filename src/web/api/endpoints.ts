import { z } from 'zod';
import { okResponse } from '../../shared/schemas/common.ts';
import { user, userList, type Me } from '../../shared/schemas/users.ts';
import { organisation, organisationList } from '../../shared/schemas/organisations.ts';
import { auditList, auditVerify } from '../../shared/schemas/audit.ts';
import { jobList, outboxList } from '../../shared/schemas/admin.ts';
import type { Role, OrganisationType } from '../../shared/roles.ts';
import {
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
  round,
  roundList,
  roundOverview,
  type ACTION_STATUSES,
  type PROGRAM_KINDS,
  type PROGRAM_STATUSES,
  type REPORT_STATES,
  type SUB_AREAS,
} from '../../shared/schemas/program.ts';
import {
  category as incCategory,
  categoryList,
  createIncident,
  incident as incidentSchema,
  incidentDetail,
  incidentList,
  photo as incPhoto,
  task as incTask,
  updateIncident,
  type INCIDENT_STATUSES,
  incidentPeople,
  linkTargetList,
  myIncidentTasks,
  mapResult,
  mapSettings,
  policeImportResult,
  area as areaSchema,
  areaList,
  statsResult,
} from '../../shared/schemas/incidents.ts';

import { exportStatus, type ExportStatus } from '../../shared/schemas/exports.ts';
import { lagesbildReport, lagesbildReportList, lagesbildVersion, lagesbildVersionList, weekNote, weeklyView } from '../../shared/schemas/lagesbild.ts';
import { api, ApiError, request, upload } from './client.ts';
import {
  createDocument as createGovDoc,
  documentList as govDocList,
  governingDocument as govDoc,
  governingDocumentDetail as govDocDetail,
  updateDocument as updateGovDoc,
} from '../../shared/schemas/documents.ts';

export type { Me };
// Sign-in, the session and what the signed-in user holds: a module of their own, loaded by the first page.
export { auth, fetchMe, holds, holdsAtRoot } from '../features/auth/api.ts';
export type UserT = z.infer<typeof user>;
export type OrganisationT = z.infer<typeof organisation>;
export type ProgramT = z.infer<typeof program>;
export const programDetail = program.extend({ focusAreas: z.array(focusArea.extend({ goals: z.array(goal) })) });
export type ProgramDetailT = z.infer<typeof programDetail>;
export type PlanActionT = z.infer<typeof planAction>;
export type RollupT = z.infer<typeof programRollup>;
export type RoundT = z.infer<typeof round>;
export type ReportT = z.infer<typeof report>;
export type ImportResultT = z.infer<typeof importResult>;
export type HistoryEntryT = z.infer<typeof history>['items'][number];
export type { ExportStatus };
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type SubArea = (typeof SUB_AREAS)[number];
export type ProgramKind = (typeof PROGRAM_KINDS)[number];
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];
export type ReportState = (typeof REPORT_STATES)[number];

export const organisations = {
  list: (includeInactive: boolean) => api.get('/api/organisations', organisationList, { includeInactive }),
  create: (body: { type: OrganisationType; name: string; shortName?: string | null; email?: string | null; parentId: string | null }) =>
    api.post('/api/organisations', organisation, body),
  update: (id: string, body: { version: number; type?: OrganisationType; name?: string; shortName?: string | null; email?: string | null }) =>
    api.patch(`/api/organisations/${id}`, organisation, body),
  move: (id: string, version: number, parentId: string | null) => api.post(`/api/organisations/${id}/move`, organisation, { version, parentId }),
  setActive: (id: string, version: number, active: boolean) => api.post(`/api/organisations/${id}/active`, organisation, { version, active }),
};

export const users = {
  list: (q: { q?: string; includeInactive?: boolean; limit: number; offset: number }) => api.get('/api/users', userList, q),
  get: (id: string) => api.get(`/api/users/${id}`, user),
  create: (body: { email: string; name: string; homeOrganisationId: string; password?: string }) => api.post('/api/users', user, body),
  update: (id: string, body: { version: number; name?: string; email?: string; homeOrganisationId?: string; active?: boolean }) =>
    api.patch(`/api/users/${id}`, user, body),
  grant: (id: string, body: { organisationId: string; role: Role; includeSubtree: boolean }) => api.post(`/api/users/${id}/roles`, user, body),
  revoke: (id: string, grantId: string) => api.delete(`/api/users/${id}/roles/${grantId}`, user),
};

export const audit = {
  list: (q: { entityType?: string; action?: string; actorId?: string; from?: string; to?: string; limit: number; offset: number }) =>
    api.get('/api/audit', auditList, q),
  verify: () => api.get('/api/audit/verify', auditVerify),
};

export const admin = {
  outbox: (q: { limit: number; offset: number }) => api.get('/api/admin/outbox', outboxList, q),
  jobs: (q: { status?: string; limit: number; offset: number }) => api.get('/api/admin/jobs', jobList, q),
};

export interface ProgramInput {
  kind: ProgramKind;
  title: string;
  description?: string | null;
  ownerOrganisationId: string;
  adoptedBy?: string | null;
  decisionRef?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
  status: ProgramStatus;
}
export interface ActionInput {
  goalId: string;
  parentActionId?: string | null;
  title: string;
  description?: string | null;
  responsibleOrganisationId: string;
  contributorIds: string[];
  contactPerson?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  status: ActionStatus;
  progress: number;
  weight: number;
  subAreas: SubArea[];
}
export interface RollupFilter {
  goalId?: string;
  organisationId?: string;
  subArea?: string;
  status?: string;
}
export interface ReportInput {
  version: number;
  actionStatus: ActionStatus | null;
  progress: number | null;
  done: string | null;
  nextSteps: string | null;
  risks: string | null;
}

export const programs = {
  list: () => api.get('/api/programs', programList),
  get: (id: string) => api.get(`/api/programs/${id}`, programDetail),
  create: (body: ProgramInput) => api.post('/api/programs', program, body),
  rollup: (id: string, q: RollupFilter) => api.get(`/api/programs/${id}/rollup`, programRollup, { ...q }),
  createFocusArea: (programId: string, body: { number: number; title: string; description?: string | null }) =>
    api.post(`/api/programs/${programId}/focus-areas`, focusArea, body),
  createGoal: (
    focusAreaId: string,
    body: { number: number; text: string; indicator?: string | null; unit?: string | null; baseline?: number | null; targetValue?: number | null; targetYear?: number | null },
  ) => api.post(`/api/focus-areas/${focusAreaId}/goals`, goal, body),
  importPlan: (programId: string, file: File, dryRun: boolean) => upload(`/api/programs/${programId}/import`, importResult, file, file.name, { dryRun }),
};

export const planActions = {
  list: (q: { programId?: string; goalId?: string; limit?: number }) => api.get('/api/actions', planActionList, q),
  get: (id: string) => api.get(`/api/actions/${id}`, planAction),
  history: (id: string) => api.get(`/api/actions/${id}/history`, history),
  create: (body: ActionInput) => api.post('/api/actions', planAction, body),
  update: (id: string, body: Partial<ActionInput> & { version: number }) => api.patch(`/api/actions/${id}`, planAction, body),
};

export const followUp = {
  rounds: (programId?: string) => api.get('/api/follow-up-rounds', roundList, { programId }),
  open: (body: { programId: string; name: string; deadline: string; scopeOrganisationIds: string[] }) => api.post('/api/follow-up-rounds', round, body),
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
};

export const exportsApi = {
  request: (body: { kind: string; format: 'docx' | 'pdf' | 'xlsx' | 'csv'; params: Record<string, unknown> }) => api.post('/api/exports', exportStatus, body),
  status: (id: string) => api.get(`/api/exports/${id}`, exportStatus),
  fileUrl: (id: string) => `/api/exports/${id}/file`,
};

export type CategoryT = z.infer<typeof incCategory>;
export type IncidentT = z.infer<typeof incidentSchema>;
export type IncidentDetailT = z.infer<typeof incidentDetail>;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type IncidentInput = z.input<typeof createIncident>;
export type IncidentUpdate = z.input<typeof updateIncident>;

export const incidentsApi = {
  categories: () => api.get('/api/incident-categories', categoryList),
  list: (q: { status?: string; categoryId?: string; organisationId?: string; from?: string; to?: string; actionId?: string; caseId?: string; limit?: number; offset?: number }) =>
    api.get('/api/incidents', incidentList, q),
  get: (id: string) => api.get(`/api/incidents/${id}`, incidentDetail),
  create: (body: IncidentInput) => api.post('/api/incidents', incidentDetail, body),
  update: (id: string, body: IncidentUpdate) => api.patch(`/api/incidents/${id}`, incidentDetail, body),
  comment: (id: string, text: string) => api.post(`/api/incidents/${id}/comments`, incidentDetail, { text }),
  strike: (id: string, entryId: number, reason: string) => api.post(`/api/incidents/${id}/timeline/${entryId}/strike`, incidentDetail, { reason }),
  addTask: (id: string, body: { title: string; dueDate: string; assigneeId?: string | null }) => api.post(`/api/incidents/${id}/tasks`, incTask, body),
  updateTask: (taskId: string, body: { version: number; done?: boolean; assigneeId?: string | null }) => api.patch(`/api/incident-tasks/${taskId}`, incTask, body),
  handlers: (id: string) => api.get(`/api/incidents/${id}/handlers`, incidentPeople),
  myTasks: () => api.get('/api/incident-tasks/mine', myIncidentTasks),
  /** Actions and cases (both kinds). */
  linkTargets: (q: string) => api.get('/api/incident-link-targets', linkTargetList, { q, limit: 20 }),
  addLink: (id: string, kind: 'action' | 'case', targetId: string) => api.post(`/api/incidents/${id}/links`, incidentDetail, { kind, targetId }),
  removeLink: (id: string, linkId: string) => api.delete(`/api/incidents/${id}/links/${linkId}`, incidentDetail),
  stopClock: (id: string, clockId: string, body: { reason: 'reported' | 'not_required'; note?: string | null }) =>
    api.post(`/api/incidents/${id}/clocks/${clockId}/stop`, incidentDetail, body),
  addPhoto: (id: string, file: File) => upload(`/api/incidents/${id}/photos`, incPhoto, file, file.name),
  photoUrl: (id: string, photoId: string) => `/api/incidents/${id}/photos/${photoId}`,
};

// --- Lägesbild: the weekly view (EST) and the Lag 2023:196 report (issue #6 point 6) ---
export type WeeklyViewT = z.infer<typeof weeklyView>;
export type LagesbildReportDetailT = z.infer<typeof lagesbildReport>;
export type LagesbildVersionT = z.infer<typeof lagesbildVersion>;
export const lagesbildApi = {
  week: (q: { week?: string; compare?: number }) => api.get('/api/lagesbild/weeks', weeklyView, q),
  saveNote: (week: string, body: { text: string; version: number | null }) => api.put(`/api/lagesbild/weeks/${week}/note`, weekNote, body),
  reports: () => api.get('/api/lagesbild/reports', lagesbildReportList),
  report: (id: string) => api.get(`/api/lagesbild/reports/${id}`, lagesbildReport),
  create: (body: { title: string; periodFrom: string; periodTo: string }) => api.post('/api/lagesbild/reports', lagesbildReport, body),
  update: (id: string, body: { version: number; title?: string; periodFrom?: string; periodTo?: string; mappingText?: string; otherText?: string; analysisText?: string }) =>
    api.patch(`/api/lagesbild/reports/${id}`, lagesbildReport, body),
  adopt: (id: string, version: number) => api.post(`/api/lagesbild/reports/${id}/adopt`, lagesbildReport, { version }),
  newVersion: (id: string, version: number) => api.post(`/api/lagesbild/reports/${id}/new-version`, lagesbildReport, { version }),
  versions: (id: string) => api.get(`/api/lagesbild/reports/${id}/versions`, lagesbildVersionList),
  version: (id: string, version: number) => api.get(`/api/lagesbild/reports/${id}/versions/${version}`, lagesbildVersion),
};

// --- Lägesbild: map, statistics, areas, police events (issue #6) ---

export type MapResultT = z.infer<typeof mapResult>;
export type MapSettingsT = z.infer<typeof mapSettings>;
export type StatsT = z.infer<typeof statsResult>;
export type AreaT = z.infer<typeof areaSchema>;
export type PoliceImportT = z.infer<typeof policeImportResult>;
export interface MapFilter {
  categoryId?: string;
  organisationId?: string;
  areaId?: string;
  status?: string;
  from?: string;
  to?: string;
}

export const lagesbildMapApi = {
  settings: () => api.get('/api/incident-map/settings', mapSettings),
  map: (q: MapFilter & { bbox: string; zoom: number; source: 'incidents' | 'police' }, signal?: AbortSignal) => api.get('/api/incident-map', mapResult, { ...q }, signal),
  stats: (q: MapFilter & { from: string; to: string }) => api.get('/api/incident-statistics', statsResult, { ...q }),
  areas: () => api.get('/api/incident-areas', areaList),
  createArea: (body: { name: string; geometry: unknown }) => api.post('/api/incident-areas', areaSchema, body),
  deleteArea: (id: string, version: number) => request('DELETE', `/api/incident-areas/${id}`, okResponse, { query: { version } }),
  importPolice: (file: File) => upload('/api/police-events/import', policeImportResult, file, file.name),
};

// --- cases: registry ---
import {
  caseDetail as caseDetailSchema,
  caseList as caseListSchema,
  caseOptions as caseOptionsSchema,
  caseRecord as caseRecordSchema,
  recordFile as recordFileSchema,
  searchResult as searchResultSchema,
  type CaseStatus,
  type CreateCase,
  type CreateRecord,
  type UpdateCase,
  type UpdateRecord,
} from '../../shared/schemas/cases.ts';
export type CaseDetailT = z.infer<typeof caseDetailSchema>;
export type CaseSummaryT = z.infer<typeof caseListSchema>['items'][number];
export type CaseRecordT = z.infer<typeof caseRecordSchema>;
export type SearchHitT = z.infer<typeof searchResultSchema>['items'][number];
export type { CaseStatus };
/** The body as sent (before the schema's transforms), for the forms. */
export type CaseInput = z.input<typeof import('../../shared/schemas/cases.ts').createCase>;
export const casesApi = {
  options: () => api.get('/api/case-options', caseOptionsSchema),
  list: (q: { status?: string; organisationId?: string; year?: number; officerId?: string; q?: string; limit?: number; offset?: number }) => api.get('/api/cases', caseListSchema, q),
  get: (id: string) => api.get(`/api/cases/${id}`, caseDetailSchema),
  register: (body: CaseInput | CreateCase) => api.post('/api/cases', caseDetailSchema, body),
  update: (id: string, body: UpdateCase) => api.patch(`/api/cases/${id}`, caseDetailSchema, body),
  addRecord: (id: string, body: CreateRecord) => api.post(`/api/cases/${id}/records`, caseRecordSchema, body),
  updateRecord: (id: string, recordId: string, body: UpdateRecord) => api.patch(`/api/cases/${id}/records/${recordId}`, caseRecordSchema, body),
  addFile: (id: string, recordId: string, file: File) => upload(`/api/cases/${id}/records/${recordId}/files`, recordFileSchema, file, file.name),
  fileUrl: (id: string, recordId: string, fileId: string) => `/api/cases/${id}/records/${recordId}/files/${fileId}`,
  search: (q: string, limit = 20, offset = 0) => api.get('/api/search', searchResultSchema, { q, limit, offset }),
};

// --- Decisions, assignments and dispatch (issue #5) ---
import {
  assignment as decAssignment,
  assignmentList as decAssignmentList,
  decision as decDecision,
  decisionList as decDecisionList,
  dispatchResult as decDispatchResult,
  type CLAUSE_EFFECTS,
  type DECISION_KINDS,
} from '../../shared/schemas/decisions.ts';
export type DecisionT = z.infer<typeof decDecision>;
export type DecisionListT = z.infer<typeof decDecisionList>;
export type AssignmentT = z.infer<typeof decAssignment>;
export type DispatchResultT = z.infer<typeof decDispatchResult>;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export type ClauseEffect = (typeof CLAUSE_EFFECTS)[number];
export interface DecisionInput {
  bodyOrganisationId: string;
  kind: DecisionKind;
  title: string;
  reason?: string | null;
  decidedOn?: string | null;
  paragraph?: number | null;
}
export interface ClauseBody {
  text: string;
  toBodyOrganisationId?: string | null;
  effect: ClauseEffect;
  assigneeOrganisationId?: string | null;
  dueDate?: string | null;
  documentId?: string | null;
  replacementDocumentId?: string | null;
}
export const decisionsApi = {
  list: (caseId: string) => api.get(`/api/cases/${caseId}/decisions`, decDecisionList),
  create: (caseId: string, body: DecisionInput) => api.post(`/api/cases/${caseId}/decisions`, decDecision, body),
  update: (id: string, body: Partial<DecisionInput> & { version: number }) => api.patch(`/api/decisions/${id}`, decDecision, body),
  addClause: (id: string, body: ClauseBody & { version: number }) => api.post(`/api/decisions/${id}/clauses`, decDecision, body),
  updateClause: (id: string, clauseId: string, body: Partial<ClauseBody> & { version: number }) => api.patch(`/api/decisions/${id}/clauses/${clauseId}`, decDecision, body),
  removeClause: (id: string, clauseId: string, version: number) => request('DELETE', `/api/decisions/${id}/clauses/${clauseId}`, decDecision, { query: { version } }),
  reorder: (id: string, version: number, clauseIds: string[]) => api.put(`/api/decisions/${id}/clause-order`, decDecision, { version, clauseIds }),
  decide: (id: string, body: { version: number; decidedOn?: string; paragraph?: number }) => api.post(`/api/decisions/${id}/decide`, decDecision, body),
  setDispatchList: (id: string, body: { version: number; organisationIds: string[]; file: boolean }) => api.put(`/api/decisions/${id}/dispatch-list`, decDecision, body),
  dispatch: (id: string, version: number) => api.post(`/api/decisions/${id}/dispatch`, decDispatchResult, { version }),
  extractUrl: (id: string) => `/api/decisions/${id}/extract.pdf`,
  assignments: (q: { caseId?: string; organisationId?: string; status?: 'open' | 'done' }) => api.get('/api/assignments', decAssignmentList, q),
  updateAssignment: (id: string, body: { version: number; status: 'open' | 'done' }) => api.patch(`/api/assignments/${id}`, decAssignment, body),
  linkAction: (id: string, actionId: string) => api.post(`/api/assignments/${id}/actions`, decAssignment, { actionId }),
  unlinkAction: (id: string, actionId: string) => api.delete(`/api/assignments/${id}/actions/${actionId}`, decAssignment),
};

// --- remiss ---
import {
  createdRemissRound as remissCreated,
  issuedLink as remissIssuedLink,
  publicRemiss as remissPublic,
  publicRemissReceipt as remissReceipt,
  remissInbox as remissInboxSchema,
  remissRound as remissRoundSchema,
  remissRoundList as remissRoundListSchema,
  type CreateRemissRound,
} from '../../shared/schemas/remiss.ts';
import { errorResponse as remissErrorResponse } from '../../shared/schemas/common.ts';
import i18nForRemiss from '../i18n/index.ts';

/** A multipart form (text fields and an optional file in "file"), parsed like `request`. */
async function postForm<S extends z.ZodType>(url: string, schema: S, fields: Record<string, string | null | undefined>, file?: File | null): Promise<z.infer<S>> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null && v !== '') form.append(k, v);
  if (file) form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'accept-language': i18nForRemiss.language || 'sv' }, body: form });
  } catch {
    throw new ApiError(0, 'NETWORK', i18nForRemiss.t('common.networkError'));
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = remissErrorResponse.safeParse(data);
    throw parsed.success
      ? new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.fields, parsed.data.error.requestId)
      : new ApiError(res.status, 'INTERNAL', i18nForRemiss.t('common.unexpectedError'));
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ApiError(res.status, 'INTERNAL', i18nForRemiss.t('common.unexpectedError'));
  return parsed.data;
}

export type RemissRoundT = z.infer<typeof remissRoundSchema>;
export type RemissRoundListT = z.infer<typeof remissRoundListSchema>;
export type RemissIssuedLinkT = z.infer<typeof remissIssuedLink>;
export interface RemissReplyInput {
  kind: 'decision' | 'no_objection' | 'reply';
  receivedOn?: string;
  decidingBody?: string;
  decidedOn?: string;
  paragraph?: string;
  text?: string;
}
export const remissApi = {
  rounds: (caseId: string) => api.get(`/api/cases/${caseId}/remiss-rounds`, remissRoundListSchema),
  create: (caseId: string, body: CreateRemissRound) => api.post(`/api/cases/${caseId}/remiss-rounds`, remissCreated, body),
  attachLetter: (roundId: string, file: File) => upload(`/api/remiss-rounds/${roundId}/letter-file`, remissRoundSchema, file, file.name),
  close: (roundId: string, version: number) => api.post(`/api/remiss-rounds/${roundId}/close`, remissRoundSchema, { version }),
  reissueLink: (recipientId: string) => api.post(`/api/remiss-recipients/${recipientId}/link`, z.object({ round: remissRoundSchema, issuedLink: remissIssuedLink })),
  revokeLink: (recipientId: string) => api.delete(`/api/remiss-recipients/${recipientId}/link`, z.object({ round: remissRoundSchema })),
  reply: (recipientId: string, fields: RemissReplyInput, file?: File | null) =>
    postForm(`/api/remiss-recipients/${recipientId}/reply`, z.object({ round: remissRoundSchema.nullable() }), { ...fields }, file),
  inbox: () => api.get('/api/remiss-inbox', remissInboxSchema),
  letterFileUrl: (roundId: string) => `/api/remiss-rounds/${roundId}/letter-file`,
  replyFileUrl: (recipientId: string) => `/api/remiss-recipients/${recipientId}/reply-file`,
  publicView: (token: string) => api.get(`/api/remissvar/${encodeURIComponent(token)}`, remissPublic),
  publicLetterUrl: (token: string) => `/api/remissvar/${encodeURIComponent(token)}/letter-file`,
  publicReply: (token: string, fields: RemissReplyInput, file?: File | null) => postForm(`/api/remissvar/${encodeURIComponent(token)}`, remissReceipt, { ...fields }, file),
};

// --- Governing documents (issue #5) ---
export type GovDocT = z.infer<typeof govDoc>;
export type GovDocDetailT = z.infer<typeof govDocDetail>;
export type GovDocInput = z.input<typeof createGovDoc>;
export type GovDocUpdate = z.input<typeof updateGovDoc>;
export const governingDocumentsApi = {
  list: (q: { q?: string; type?: string; status?: string; ownerOrganisationId?: string; review?: string; limit?: number; offset?: number }) =>
    api.get('/api/documents', govDocList, q),
  get: (id: string) => api.get(`/api/documents/${id}`, govDocDetail),
  create: (body: GovDocInput) => api.post('/api/documents', govDocDetail, body),
  update: (id: string, body: GovDocUpdate) => api.patch(`/api/documents/${id}`, govDocDetail, body),
  upload: (id: string, file: File) => upload(`/api/documents/${id}/file`, govDocDetail, file, file.name),
  fileUrl: (id: string) => `/api/documents/${id}/file`,
};
