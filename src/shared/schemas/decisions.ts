import { z } from 'zod';
import { optionalText, pageQuery, text, uuid, version } from './common.ts';
import { MISSING_TERM, type MissingCode } from '../i18n/decisions.ts';
import { notice } from './meetings.ts';

const MISSING_CODES = Object.keys(MISSING_TERM) as [MissingCode, ...MissingCode[]];

/** Meetings, decisions with their att-satser, assignments (uppdrag) and dispatch (expediering). */

export const DECISION_KINDS = ['decision', 'referral_back', 'remiss', 'delegation'] as const;
export const DECISION_STATUSES = ['draft', 'decided'] as const;
/** adopt_lagesbild: fastställa a lägesbild (Lag 2023:196); made by putting the report to the body from the lägesbild page. */
export const CLAUSE_EFFECTS = ['none', 'assignment', 'repeal', 'replace', 'adopt', 'adopt_lagesbild'] as const;
export const ASSIGNMENT_STATUSES = ['open', 'done'] as const;
export const DISPATCH_STATUSES = ['pending', 'sent', 'manual', 'filed'] as const;
/** Organisation types that hold meetings and take decisions (KF, KS, KSAU, nämnder, styrelser). */
export const DECIDING_TYPES = ['council', 'board', 'committee'] as const;

const isoDate = z.iso.date();
const paragraph = z.number().int().min(1).max(99999);

export const meeting = z.object({
  id: uuid,
  bodyOrganisationId: uuid,
  bodyName: z.string(),
  meetingDate: z.string(),
  title: z.string().nullable(),
  version: z.number().int(),
  /** The day the minutes were adjusted, null until then. */
  adjustedOn: z.string().nullable(),
});
export const meetingList = z.object({ items: z.array(meeting) });
export const meetingQuery = z.object({ bodyOrganisationId: uuid.optional(), from: isoDate.optional(), to: isoDate.optional() });
export const createMeeting = z.object({ bodyOrganisationId: uuid, meetingDate: isoDate, title: optionalText(200) });

export const clause = z.object({
  id: uuid,
  ordinal: z.number().int(),
  text: z.string(),
  toBodyOrganisationId: uuid.nullable(),
  toBodyName: z.string().nullable(),
  effect: z.enum(CLAUSE_EFFECTS),
  assigneeOrganisationId: uuid.nullable(),
  assigneeName: z.string().nullable(),
  dueDate: z.string().nullable(),
  documentId: uuid.nullable(),
  replacementDocumentId: uuid.nullable(),
  /** The assignment created from this att-sats once the decision is decided. */
  assignmentId: uuid.nullable(),
  /** The condition the att-sats is decided under ("under förutsättning att kommunfullmäktige antar …"), if any. */
  condition: z.string().nullable(),
  /**
   * A proposal to another body (toBody set and not the deciding body): deciding this decision only proposes
   * it; its effect (repeal, adopt, assignment…) runs when that body decides it, after the proposal is forwarded.
   */
  proposal: z.boolean(),
  /** The att-sats of the preparing body's decision this one continues. */
  proposedFromClauseId: uuid.nullable(),
  /** The lägesbild report an `adopt_lagesbild` att-sats adopts, when the reader may open it. */
  lagesbildReportId: uuid.nullable(),
});
export type Clause = z.infer<typeof clause>;

export const dispatchEntry = z.object({
  id: uuid,
  kind: z.enum(['organisation', 'file']),
  organisationId: uuid.nullable(),
  organisationName: z.string().nullable(),
  /** The organisation's e-mail address in the register (null: must be dispatched by hand). */
  organisationEmail: z.string().nullable(),
  status: z.enum(DISPATCH_STATUSES),
  email: z.string().nullable(),
  recordId: uuid.nullable(),
  recordNumber: z.string().nullable(),
  dispatchedAt: z.string().nullable(),
});

export const decisionActions = ['cases.handle'] as const;
export const decision = z.object({
  id: uuid,
  caseId: uuid,
  bodyOrganisationId: uuid,
  bodyName: z.string(),
  bodyShortName: z.string().nullable(),
  meetingId: uuid.nullable(),
  decidedOn: z.string().nullable(),
  paragraph: z.number().int().nullable(),
  kind: z.enum(DECISION_KINDS),
  status: z.enum(DECISION_STATUSES),
  title: z.string(),
  reason: z.string().nullable(),
  /** The decision whose proposal this one decides (KSAU's for KS, KS's for KF), and how it is cited. */
  preparedByDecisionId: uuid.nullable(),
  preparedByReference: z.string().nullable(),
  /** The decisions made from this one's proposals (forwarded to the next body), with their status. */
  forwardedTo: z.array(z.object({ id: uuid, bodyName: z.string(), reference: z.string(), status: z.enum(DECISION_STATUSES) })),
  /** The day the § was adjusted (with its minutes, or at once); dispatch needs it. */
  adjustedOn: z.string().nullable(),
  /** The meeting decided that this § is adjusted at once (omedelbar justering). */
  immediateAdjustment: z.boolean(),
  /** The notice of its adjusted minutes (or of the § alone) on the notice board: the appeal clock. */
  notice: notice.nullable(),
  /** What the source does not give and the demo made up, said plainly (example data). */
  exampleNote: z.string().nullable(),
  clauses: z.array(clause),
  dispatch: z.array(dispatchEntry),
  isExample: z.boolean(),
  /**
   * What a draft lacks before it can be marked decided (empty when complete or decided): the same checks
   * the decide call makes, so the web shows them before the dialog opens. `path` as in a 400's fields
   * (`clauses.1.dueDate`), `code` an error code (its message names the field as the form does).
   */
  missing: z.array(z.object({ path: z.string(), code: z.enum(MISSING_CODES) })),
  version: z.number().int(),
  allowedActions: z.array(z.enum(decisionActions)),
});
export type Decision = z.infer<typeof decision>;

export const caseHead = z.object({
  id: uuid,
  registryNumber: z.string(),
  title: z.string(),
  status: z.enum(['open', 'dormant', 'closed']),
  /** The best-interests-of-the-child assessment is complete (required before a decision). */
  childAssessmentDone: z.boolean(),
});
export const decisionList = z.object({ case: caseHead, items: z.array(decision), allowedActions: z.array(z.enum(decisionActions)) });

const clauseFields = {
  text: text(4000),
  toBodyOrganisationId: uuid.nullable().optional(),
  effect: z.enum(CLAUSE_EFFECTS),
  assigneeOrganisationId: uuid.nullable().optional(),
  dueDate: isoDate.nullable().optional(),
  documentId: uuid.nullable().optional(),
  replacementDocumentId: uuid.nullable().optional(),
  condition: optionalText(1000),
};
export const clauseInput = z.object({ ...clauseFields, effect: z.enum(CLAUSE_EFFECTS).default('none') });
export type ClauseInput = z.input<typeof clauseInput>;

export const createDecision = z.object({
  bodyOrganisationId: uuid,
  kind: z.enum(DECISION_KINDS).default('decision'),
  title: text(500),
  reason: optionalText(10000),
  decidedOn: isoDate.nullable().optional(),
  paragraph: paragraph.nullable().optional(),
  clauses: z.array(clauseInput).max(100).optional(),
});
export const updateDecision = z.object({
  version,
  bodyOrganisationId: uuid.optional(),
  kind: z.enum(DECISION_KINDS).optional(),
  title: text(500).optional(),
  reason: optionalText(10000),
  decidedOn: isoDate.nullable().optional(),
  paragraph: paragraph.nullable().optional(),
});
export const addClause = z.object({ version, ...clauseInput.shape });
/** Only the fields sent change (no defaults here: a partial update must not reset the effect). */
export const updateClause = z.object({ version, ...z.object(clauseFields).partial().shape });
export const clauseParams = z.object({ id: uuid, clauseId: uuid });
export const versionQuery = z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647) });
export const reorderClauses = z.object({ version, clauseIds: z.array(uuid).min(1).max(100) });
/** Forward a decided decision's proposals to the body that is to decide them (a draft decision of that body). */
export const forwardDecision = z.object({ bodyOrganisationId: uuid });
export const decide = z.object({ version, decidedOn: isoDate.optional(), paragraph: paragraph.optional() });

export const setDispatchList = z.object({
  version,
  /** Organisations from the register. */
  organisationIds: z.array(uuid).max(500),
  /** "Akten": a drawn-up record of the extract in the case. */
  file: z.boolean(),
});
export const dispatch = z.object({ version });
export const dispatchResult = z.object({
  decision,
  sent: z.array(z.object({ organisationId: uuid, name: z.string(), email: z.string(), recordNumber: z.string() })),
  /** Recipients without an e-mail address: their outgoing record holds the extract, to be sent by hand. */
  manual: z.array(z.object({ organisationId: uuid, name: z.string(), recordNumber: z.string() })),
  filed: z.object({ recordNumber: z.string() }).nullable(),
  /** A Swedish (or English) summary naming the recipients to be dispatched by hand; null when none. */
  message: z.string().nullable(),
});

export const assignmentActions = ['cases.handle'] as const;
export const assignment = z.object({
  id: uuid,
  clauseId: uuid,
  decisionId: uuid,
  caseId: uuid,
  registryNumber: z.string(),
  caseTitle: z.string(),
  /** "KS 2019-12-04 § 333". */
  decisionRef: z.string(),
  organisationId: uuid,
  organisationName: z.string(),
  text: z.string(),
  dueDate: z.string().nullable(),
  status: z.enum(ASSIGNMENT_STATUSES),
  doneOn: z.string().nullable(),
  overdue: z.boolean(),
  actions: z.array(z.object({ id: uuid, title: z.string(), status: z.string(), progress: z.number().int() })),
  version: z.number().int(),
  allowedActions: z.array(z.enum(assignmentActions)),
});
export type Assignment = z.infer<typeof assignment>;
export const assignmentList = z.object({ items: z.array(assignment), total: z.number().int() });
export const assignmentQuery = z.object({
  organisationId: uuid.optional(),
  caseId: uuid.optional(),
  status: z.enum(ASSIGNMENT_STATUSES).optional(),
  ...pageQuery,
});
export const updateAssignment = z.object({ version, status: z.enum(ASSIGNMENT_STATUSES) });
export const linkAction = z.object({ actionId: uuid });
export const assignmentActionParams = z.object({ id: uuid, actionId: uuid });
