import { z } from 'zod';
import { api, ApiError, request, upload } from '../../api/client.ts';

// --- cases: registry ---
import {
  caseDetail as caseDetailSchema,
  caseList as caseListSchema,
  caseOptions as caseOptionsSchema,
  caseRecord as caseRecordSchema,
  recordFile as recordFileSchema,
  searchResult as searchResultSchema,
  createCase,
  type CaseStatus,
  type CreateCase,
  type CreateRecord,
  type UpdateCase,
  type UpdateRecord,
} from '../../../shared/schemas/cases.ts';
export type CaseDetailT = z.infer<typeof caseDetailSchema>;
export type CaseSummaryT = z.infer<typeof caseListSchema>['items'][number];
export type CaseRecordT = z.infer<typeof caseRecordSchema>;
export type SearchHitT = z.infer<typeof searchResultSchema>['items'][number];
export type { CaseStatus };
/** The body as sent (before the schema's transforms), for the forms. */
export type CaseInput = z.input<typeof createCase>;
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
  clauseInput,
  createDecision,
  updateDecision,
  type CLAUSE_EFFECTS,
  type DECISION_KINDS,
} from '../../../shared/schemas/decisions.ts';
export type DecisionT = z.infer<typeof decDecision>;
export type DecisionListT = z.infer<typeof decDecisionList>;
export type AssignmentT = z.infer<typeof decAssignment>;
export type DispatchResultT = z.infer<typeof decDispatchResult>;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export type ClauseEffect = (typeof CLAUSE_EFFECTS)[number];
/** Request bodies as the server's schemas take them. */
export type DecisionInput = z.input<typeof createDecision>;
export type DecisionUpdate = z.input<typeof updateDecision>;
export type ClauseBody = z.input<typeof clauseInput>;
export const decisionsApi = {
  list: (caseId: string) => api.get(`/api/cases/${caseId}/decisions`, decDecisionList),
  create: (caseId: string, body: DecisionInput) => api.post(`/api/cases/${caseId}/decisions`, decDecision, body),
  update: (id: string, body: DecisionUpdate) => api.patch(`/api/decisions/${id}`, decDecision, body),
  addClause: (id: string, body: ClauseBody & { version: number }) => api.post(`/api/decisions/${id}/clauses`, decDecision, body),
  updateClause: (id: string, clauseId: string, body: Partial<ClauseBody> & { version: number }) => api.patch(`/api/decisions/${id}/clauses/${clauseId}`, decDecision, body),
  removeClause: (id: string, clauseId: string, version: number) => request('DELETE', `/api/decisions/${id}/clauses/${clauseId}`, decDecision, { query: { version } }),
  reorder: (id: string, version: number, clauseIds: string[]) => api.put(`/api/decisions/${id}/clause-order`, decDecision, { version, clauseIds }),
  forward: (id: string, bodyOrganisationId: string) => api.post(`/api/decisions/${id}/forward`, decDecision, { bodyOrganisationId }),
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
} from '../../../shared/schemas/remiss.ts';
import { errorResponse as remissErrorResponse } from '../../../shared/schemas/common.ts';
import i18nForRemiss from '../../i18n/index.ts';

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
/** The reply's form fields as sent (multipart: every value a string, the paragraph too). */
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


// --- the meeting process: agenda, minutes, adjustment, notice board ---
import {
  meetingDetail as meetingDetailSchema,
  noticeBoard as noticeBoardSchema,
  userOptions as userOptionsSchema,
  type ATTENDEE_ROLES,
} from '../../../shared/schemas/meetings.ts';
import { meeting as meetingSchema, meetingList as meetingListSchema } from '../../../shared/schemas/decisions.ts';
export type MeetingDetailT = z.infer<typeof meetingDetailSchema>;
export type MeetingT = z.infer<typeof meetingSchema>;
export type NoticeBoardT = z.infer<typeof noticeBoardSchema>;
export type AttendeeRole = (typeof ATTENDEE_ROLES)[number];
export type AttendeeInput = { name: string; role: AttendeeRole; party?: string | null; present: boolean };
export const meetingsApi = {
  list: (q: { bodyOrganisationId?: string; from?: string; to?: string } = {}) => api.get('/api/meetings', meetingListSchema, q),
  create: (body: { bodyOrganisationId: string; meetingDate: string; title?: string | null }) => api.post('/api/meetings', meetingSchema, body),
  get: (id: string) => api.get(`/api/meetings/${id}`, meetingDetailSchema),
  update: (id: string, body: { version: number; title?: string | null; startsAt?: string | null; location?: string | null; minutesKeptAt?: string | null }) =>
    api.patch(`/api/meetings/${id}`, meetingDetailSchema, body),
  addItem: (id: string, body: { caseId: string; decisionId?: string | null }) => api.post(`/api/meetings/${id}/items`, meetingDetailSchema, body),
  removeItem: (id: string, itemId: string) => api.delete(`/api/meetings/${id}/items/${itemId}`, meetingDetailSchema),
  setAttendees: (id: string, body: { version: number; attendees: AttendeeInput[] }) => api.put(`/api/meetings/${id}/attendees`, meetingDetailSchema, body),
  setAdjusters: (id: string, body: { version: number; chairUserId: string; adjusterUserIds: string[] }) => api.put(`/api/meetings/${id}/adjusters`, meetingDetailSchema, body),
  users: () => api.get('/api/meeting-users', userOptionsSchema),
  adjust: (id: string, decisionId?: string | null) => api.post(`/api/meetings/${id}/adjust`, meetingDetailSchema, { decisionId: decisionId ?? null }),
  postNotice: (id: string, body: { decisionId?: string | null; postedOn?: string }) => api.post(`/api/meetings/${id}/notice`, meetingDetailSchema, body),
  addReservation: (decisionId: string, body: { name: string; party?: string | null; written: boolean }) => api.post(`/api/decisions/${decisionId}/reservations`, meetingDetailSchema, body),
  removeReservation: (decisionId: string, reservationId: string) => api.delete(`/api/decisions/${decisionId}/reservations/${reservationId}`, meetingDetailSchema),
  setImmediate: (decisionId: string, immediate: boolean) => api.put(`/api/decisions/${decisionId}/immediate-adjustment`, meetingDetailSchema, { immediate }),
  noticeBoard: () => api.get('/api/notice-board', noticeBoardSchema),
  agendaUrl: (id: string) => `/api/meetings/${id}/agenda.pdf`,
  minutesUrl: (id: string) => `/api/meetings/${id}/minutes.pdf`,
};
