import { z } from 'zod';
import { optionalText, pageQuery, plainString, text, uuid, version } from './common.ts';

/** öppet, vilande, avslutat. UI names: cases.status.<id>. */
export const CASE_STATUSES = ['open', 'dormant', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** inkommen, upprättad, utgående. UI names: cases.direction.<id>. */
export const RECORD_DIRECTIONS = ['incoming', 'drawn_up', 'outgoing'] as const;

/**
 * The case types a registrar chooses from. The service takes its list as configuration (createCaseService
 * { caseTypes }); this is the default, in the words a Swedish registry uses.
 */
export const DEFAULT_CASE_TYPES = [
  'Uppdrag',
  'Remiss',
  'Motion',
  'Medborgarförslag',
  'Styrdokument',
  'Yttrande',
  'Skrivelse',
  'Avtal',
  'Delegationsbeslut',
  'Tillsyn',
  'Anmälan',
  'Ekonomi',
  'Övrigt',
] as const;

/** A date as YYYY-MM-DD. */
export const isoDate = z.iso.date();

/**
 * A secrecy marking's legal reference, checked loosely: chapter and section of OSL
 * (offentlighets- och sekretesslagen 2009:400), e.g. "18 kap. 8 § OSL", "21 kap. 7 §", "26 kap. 1 § första stycket OSL".
 */
export const SECRECY_REF = /^\d{1,2}\s*kap\.?\s*\d{1,3}\s*[a-z]?\s*§/i;
export const secrecyRef = plainString()
  .trim()
  .max(200)
  .transform((v) => (v === '' ? null : v))
  .refine((v) => v === null || SECRECY_REF.test(v), { params: { i18n: 'validation.secrecyRef' } })
  .nullable()
  .optional();
/** Why a record is marked when it is registered secret (required with secrecyRef; the marking's reason). */
export const secrecyReason = optionalText(2000);
/** Marking at registration: the reference and its reason together. */
export const secrecyAtRegistration = { secrecyRef, secrecyReason };
export const secrecyReasonRule = (v: { secrecyRef?: string | null; secrecyReason?: string | null }) => !v.secrecyRef || !!v.secrecyReason?.trim();
/**
 * A change of an existing marking is not an edit of the record: it goes through the secrecy endpoint
 * (PUT/POST /api/secrecy/:type/:id, with the reason, audited). A PATCH that carries secrecyRef is refused.
 */
const markingNotHere = z.unknown().refine((v) => v === undefined, { params: { i18n: 'validation.secrecyViaMarking' } }).optional();

/** Registry number as typed, e.g. "KS 2018/0316" (format checked by the service with parseRegistryNumber). */
const registryNumberInput = plainString().trim().max(30);

const childFields = {
  /** Does the case concern children? null = not yet assessed. */
  concernsChildren: z.boolean().nullable().optional(),
  /** The assessment's motivation: required once concernsChildren is answered. */
  childAssessment: optionalText(5000),
};
const childRule = (v: { concernsChildren?: boolean | null; childAssessment?: string | null }) =>
  v.concernsChildren === undefined || v.concernsChildren === null || !!v.childAssessment;

export const createCase = z
  .object({
    /** The registering body (KS, KSAU, a committee…): its short name is the series. */
    registryOrganisationId: uuid,
    /** Register an existing number (e.g. a paper case); omitted → the series' next number this year. */
    registryNumber: registryNumberInput.optional(),
    /** Only with registryNumber: the date the case was registered (default today). */
    registeredOn: isoDate.optional(),
    /** The case's number in the municipality's own registry system, beside Trygg's (issue #11 item 11). */
    externalRegistryNumber: optionalText(60),
    title: text(500),
    description: optionalText(20_000),
    caseType: text(100),
    organisationId: uuid,
    officerId: uuid.nullable().optional(),
    ...childFields,
    ...secrecyAtRegistration,
  })
  .refine(childRule, { params: { i18n: 'validation.childAssessment' }, path: ['childAssessment'] })
  .refine(secrecyReasonRule, { params: { i18n: 'validation.secrecyReason' }, path: ['secrecyReason'] });
export type CreateCase = z.infer<typeof createCase>;

export const updateCase = z
  .object({
    version,
    title: text(500).optional(),
    description: optionalText(20_000),
    caseType: text(100).optional(),
    organisationId: uuid.optional(),
    officerId: uuid.nullable().optional(),
    status: z.enum(CASE_STATUSES).optional(),
    externalRegistryNumber: optionalText(60),
    ...childFields,
    secrecyRef: markingNotHere,
  });
/** (The child rule of an update is checked by the service against the stored assessment.) */
export type UpdateCase = z.infer<typeof updateCase>;

export const caseActions = ['cases.register', 'cases.handle', 'cases.secret'] as const;

const named = z.object({ id: uuid, name: z.string() }).nullable();

export const caseSummary = z.object({
  id: uuid,
  registryNumber: z.string(),
  /** The number in the municipality's own registry system, if the case has one there. */
  externalRegistryNumber: z.string().nullable().optional(),
  series: z.string(),
  year: z.number().int(),
  seq: z.number().int(),
  title: z.string(),
  caseType: z.string(),
  status: z.enum(CASE_STATUSES),
  registeredOn: z.string(),
  closedOn: z.string().nullable(),
  registryOrganisation: z.object({ id: uuid, name: z.string() }),
  organisation: z.object({ id: uuid, name: z.string() }),
  officer: named,
  concernsChildren: z.boolean().nullable(),
  secrecyRef: z.string().nullable(),
  isExample: z.boolean(),
  version: z.number().int(),
});
export type CaseSummary = z.infer<typeof caseSummary>;

export const recordFile = z.object({ id: uuid, filename: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string(), createdAt: z.string() });

export const caseRecord = z.object({
  id: uuid,
  caseId: uuid,
  seq: z.number().int(),
  /** `KS 2018/0316-12` */
  number: z.string(),
  direction: z.enum(RECORD_DIRECTIONS),
  recordDate: z.string(),
  title: z.string(),
  counterpart: z.string().nullable(),
  counterpartOrganisation: named,
  secrecyRef: z.string().nullable(),
  isExample: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  files: z.array(recordFile),
});
export type CaseRecord = z.infer<typeof caseRecord>;
export const caseRecordList = z.object({ items: z.array(caseRecord), total: z.number().int() });

export const caseDetail = caseSummary.extend({
  description: z.string().nullable(),
  childAssessment: z.string().nullable(),
  secrecyMarkedBy: named,
  secrecyMarkedOn: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  records: z.array(caseRecord),
  allowedActions: z.array(z.enum(caseActions)),
});
export type CaseDetail = z.infer<typeof caseDetail>;

export const caseList = z.object({ items: z.array(caseSummary), total: z.number().int() });

export const caseQuery = z.object({
  status: z.enum(CASE_STATUSES).optional(),
  organisationId: uuid.optional(),
  year: z.coerce.number().int().min(1900).max(2200).optional(),
  officerId: uuid.optional(),
  /** Words in the case (Swedish full-text) or (part of) its registry number. */
  q: plainString().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: pageQuery.offset,
});
export type CaseQuery = z.infer<typeof caseQuery>;

export const caseOptions = z.object({
  caseTypes: z.array(z.string()),
  /** Bodies the actor may register cases for, with their series. */
  registryBodies: z.array(z.object({ id: uuid, name: z.string(), series: z.string() })),
  /** Users who may handle cases: candidates for case officer. */
  officers: z.array(z.object({ id: uuid, name: z.string() })),
});

export const createRecord = z
  .object({
    direction: z.enum(RECORD_DIRECTIONS),
    recordDate: isoDate,
    title: text(500),
    /** Sender (incoming) or recipient (outgoing) as text… */
    counterpart: optionalText(300),
    /** …or as an organisation in the register. */
    counterpartOrganisationId: uuid.nullable().optional(),
    ...secrecyAtRegistration,
  })
  .refine(secrecyReasonRule, { params: { i18n: 'validation.secrecyReason' }, path: ['secrecyReason'] });
export type CreateRecord = z.infer<typeof createRecord>;
export const updateRecord = z.object({
  version,
  direction: z.enum(RECORD_DIRECTIONS).optional(),
  recordDate: isoDate.optional(),
  title: text(500).optional(),
  counterpart: optionalText(300),
  counterpartOrganisationId: uuid.nullable().optional(),
  secrecyRef: markingNotHere,
});
export type UpdateRecord = z.infer<typeof updateRecord>;

export const recordParams = z.object({ id: uuid, recordId: uuid });
export const fileParams = z.object({ id: uuid, recordId: uuid, fileId: uuid });

/** Registry search: cases and records now; governing documents join as another kind. */
export const SEARCH_KINDS = ['case', 'record', 'document'] as const;
export const searchQuery = z.object({
  q: plainString().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});
export const searchHit = z.object({
  kind: z.enum(SEARCH_KINDS),
  id: uuid,
  /** The case the hit belongs to (null for a hit outside the registry, such as a governing document). */
  caseId: uuid.nullable(),
  /** `KS 2018/0316` for a case, `KS 2018/0316-3` for a record. */
  number: z.string().nullable(),
  title: z.string(),
  /** Text around the matched words; matches between «» markers (StartSel/StopSel). */
  snippet: z.string(),
  date: z.string().nullable(),
  rank: z.number(),
  secret: z.boolean(),
});
export type SearchHit = z.infer<typeof searchHit>;
export const searchResult = z.object({ items: z.array(searchHit), total: z.number().int() });

/** Attachments of records: what the registry accepts, and how big. */
export const RECORD_FILE_MAX_BYTES = 20 * 1024 * 1024;
