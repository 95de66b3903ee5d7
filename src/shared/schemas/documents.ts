import { z } from 'zod';
import { optionalText, pageQuery, plainString, text, uuid, version } from './common.ts';

/** Kinds of governing document (UI names: documentType.<id>). */
export const DOCUMENT_TYPES = ['program', 'plan', 'policy', 'guideline', 'strategy', 'action_plan', 'routine'] as const;
/** utkast, gällande, upphävd, ersatt (UI names: documentStatus.<id>). repealed and replaced are final. */
export const DOCUMENT_STATUSES = ['draft', 'in_force', 'repealed', 'replaced'] as const;
export const FINAL_DOCUMENT_STATUSES = ['repealed', 'replaced'] as const;
/**
 * What a reader sees (UI names: documentState.<id>): the stored status, except that a document in force whose
 * validity has run out (valid to before today, Stockholm) has expired, upphört att gälla. Expired is computed,
 * never stored or set; repealed (upphävd) and replaced (ersatt) come from a decision.
 */
export const DOCUMENT_STATES = ['draft', 'in_force', 'expired', 'repealed', 'replaced'] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];
/** The state of a document (or a program, which is its register entry) on `today` (YYYY-MM-DD, Stockholm). */
export function documentState(status: string, validTo: string | null, today: string): DocumentState {
  if (status === 'in_force' && validTo && validTo < today) return 'expired';
  return status as DocumentState;
}
/** Review filter of the list: overdue (next review date passed) or due within the reminder period. */
export const REVIEW_FILTERS = ['overdue', 'due'] as const;
export const documentActions = ['documents.manage', 'documents.revert'] as const;

export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

const isoDate = z.iso.date();
const periodOk = (v: { validFrom?: string | null; validTo?: string | null }) => !v.validFrom || !v.validTo || v.validTo >= v.validFrom;
const periodIssue = { message: 'END_BEFORE_START', path: ['validTo'] };

const decisionLink = z.object({
  id: uuid,
  caseId: uuid,
  registryNumber: z.string(),
  title: z.string(),
  bodyName: z.string(),
  decidedOn: z.string().nullable(),
  paragraph: z.number().int().nullable(),
});
const docLink = z.object({ id: uuid, title: z.string(), status: z.enum(DOCUMENT_STATUSES) });

export const governingDocument = z.object({
  id: uuid,
  type: z.enum(DOCUMENT_TYPES),
  title: z.string(),
  description: z.string().nullable(),
  ownerOrganisationId: uuid,
  ownerName: z.string(),
  adoptedByOrganisationId: uuid.nullable(),
  adoptedByName: z.string().nullable(),
  decisionId: uuid.nullable(),
  decisionRef: z.string().nullable(),
  adoptedOn: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  nextReviewOn: z.string().nullable(),
  /** In force and its review date has passed. */
  reviewOverdue: z.boolean(),
  status: z.enum(DOCUMENT_STATUSES),
  /** The status as it reads today: in force past its validity is expired (upphört att gälla). */
  state: z.enum(DOCUMENT_STATES),
  /** The program or plan in the program module that this entry is (one record: issue #11 item 3). */
  programId: uuid.nullable(),
  statusDecisionId: uuid.nullable(),
  statusDecisionRef: z.string().nullable(),
  statusChangedOn: z.string().nullable(),
  replacedById: uuid.nullable(),
  file: z.object({ name: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string(), uploadedAt: z.string() }).nullable(),
  isExample: z.boolean(),
  /** The OSL reference of a secrecy-marked document (only those who may read it get it at all). */
  secrecyRef: z.string().nullable(),
  version: z.number().int(),
  allowedActions: z.array(z.enum(documentActions)),
});
export type GoverningDocument = z.infer<typeof governingDocument>;

export const governingDocumentDetail = governingDocument.extend({
  decision: decisionLink.nullable(),
  statusDecision: decisionLink.nullable(),
  replacedBy: docLink.nullable(),
  replaces: z.array(docLink),
});
export type GoverningDocumentDetail = z.infer<typeof governingDocumentDetail>;

export const documentList = z.object({ items: z.array(governingDocument), total: z.number().int() });

export const documentQuery = z.object({
  q: plainString().trim().max(200).optional(),
  type: z.enum(DOCUMENT_TYPES).optional(),
  /** By state as it reads today: in_force leaves out the expired, expired is in force with its validity run out. */
  status: z.enum(DOCUMENT_STATES).optional(),
  ownerOrganisationId: uuid.optional(),
  review: z.enum(REVIEW_FILTERS).optional(),
  ...pageQuery,
});
export type DocumentQuery = z.infer<typeof documentQuery>;

const documentFields = {
  type: z.enum(DOCUMENT_TYPES),
  title: text(300),
  description: optionalText(5000),
  ownerOrganisationId: uuid,
  adoptedByOrganisationId: uuid.nullable().optional(),
  decisionId: uuid.nullable().optional(),
  decisionRef: optionalText(200),
  adoptedOn: isoDate.nullable().optional(),
  validFrom: isoDate.nullable().optional(),
  validTo: isoDate.nullable().optional(),
  nextReviewOn: isoDate.nullable().optional(),
  status: z.enum(DOCUMENT_STATUSES),
  statusDecisionId: uuid.nullable().optional(),
  statusDecisionRef: optionalText(200),
  statusChangedOn: isoDate.nullable().optional(),
  replacedById: uuid.nullable().optional(),
  /** The documents this one replaces (their replaced-by link is set to this document). */
  replacesIds: z.array(uuid).max(50).optional(),
};

export const createDocument = z.object({ ...documentFields, status: z.enum(DOCUMENT_STATUSES).default('draft') }).refine(periodOk, periodIssue);
export type CreateDocument = z.infer<typeof createDocument>;
export const updateDocument = z
  .object({
    version,
    ...z.object(documentFields).partial().shape,
    /** Required when an administrator takes a repealed or replaced document back out of its final status. */
    revertReason: optionalText(1000),
  })
  .refine(periodOk, periodIssue);
export type UpdateDocument = z.infer<typeof updateDocument>;

/** The public list of documents in force: only what is public information. */
export const publicDocument = z.object({
  id: uuid,
  type: z.enum(DOCUMENT_TYPES),
  title: z.string(),
  ownerName: z.string(),
  adoptedByName: z.string().nullable(),
  decisionRef: z.string().nullable(),
  adoptedOn: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  nextReviewOn: z.string().nullable(),
});
export const publicDocumentList = z.object({ items: z.array(publicDocument) });

/** A search hit in the shape the registry's search uses. */
export const documentSearchHit = z.object({ kind: z.literal('document'), id: uuid, title: z.string(), snippet: z.string(), rank: z.number() });
export type DocumentSearchHit = z.infer<typeof documentSearchHit>;
