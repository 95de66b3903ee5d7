import { z } from 'zod';
import { okResponse } from '../../shared/schemas/common.ts';
import { me, user, userList, type Me } from '../../shared/schemas/users.ts';
import { organisation, organisationList } from '../../shared/schemas/organisations.ts';
import { auditList, auditVerify } from '../../shared/schemas/audit.ts';
import { jobList, outboxList } from '../../shared/schemas/admin.ts';
import type { Action, Role, OrganisationType } from '../../shared/roles.ts';
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
} from '../../shared/schemas/incidents.ts';
import { exportStatus, type ExportStatus } from '../../shared/schemas/exports.ts';
import {
  createDocument as createGovDoc,
  documentList as govDocList,
  governingDocument as govDoc,
  governingDocumentDetail as govDocDetail,
  updateDocument as updateGovDoc,
} from '../../shared/schemas/documents.ts';
import { api, ApiError, upload } from './client.ts';

export type { Me };
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

/** The signed-in user, or null when nobody is signed in. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get('/api/auth/me', me);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export const auth = {
  signIn: (email: string, password: string) => api.post('/api/auth/sign-in', me, { email, password }),
  signOut: () => api.post('/api/auth/sign-out', okResponse),
  changePassword: (currentPassword: string, newPassword: string) => api.post('/api/auth/password', okResponse, { currentPassword, newPassword }),
  setPassword: (token: string, newPassword: string) => api.post('/api/auth/set-password', okResponse, { token, newPassword }),
  setLocale: (locale: 'sv' | 'en') => api.put('/api/auth/locale', okResponse, { locale }),
};

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

/** Does the user hold `action` anywhere (navigation of org-scoped pages)? */
export const holds = (m: Me | null | undefined, action: Action) => !!m?.actions.includes(action);
/** Does the user hold `action` on the municipality itself (system-wide pages)? */
export const holdsAtRoot = (m: Me | null | undefined, action: Action) => !!m?.rootActions.includes(action);

export type CategoryT = z.infer<typeof incCategory>;
export type IncidentT = z.infer<typeof incidentSchema>;
export type IncidentDetailT = z.infer<typeof incidentDetail>;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type IncidentInput = z.input<typeof createIncident>;
export type IncidentUpdate = z.input<typeof updateIncident>;

export const incidentsApi = {
  categories: () => api.get('/api/incident-categories', categoryList),
  list: (q: { status?: string; categoryId?: string; organisationId?: string; from?: string; to?: string; limit?: number; offset?: number }) =>
    api.get('/api/incidents', incidentList, q),
  get: (id: string) => api.get(`/api/incidents/${id}`, incidentDetail),
  create: (body: IncidentInput) => api.post('/api/incidents', incidentDetail, body),
  update: (id: string, body: IncidentUpdate) => api.patch(`/api/incidents/${id}`, incidentDetail, body),
  comment: (id: string, text: string) => api.post(`/api/incidents/${id}/comments`, incidentDetail, { text }),
  strike: (id: string, entryId: number, reason: string) => api.post(`/api/incidents/${id}/timeline/${entryId}/strike`, incidentDetail, { reason }),
  addTask: (id: string, body: { title: string; dueDate: string }) => api.post(`/api/incidents/${id}/tasks`, incTask, body),
  updateTask: (taskId: string, body: { version: number; done?: boolean }) => api.patch(`/api/incident-tasks/${taskId}`, incTask, body),
  stopClock: (id: string, clockId: string, body: { reason: 'reported' | 'not_required'; note?: string | null }) =>
    api.post(`/api/incidents/${id}/clocks/${clockId}/stop`, incidentDetail, body),
  addPhoto: (id: string, file: File) => upload(`/api/incidents/${id}/photos`, incPhoto, file, file.name),
  photoUrl: (id: string, photoId: string) => `/api/incidents/${id}/photos/${photoId}`,
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
