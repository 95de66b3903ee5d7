import type { Db, Executor } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import { DECIDING_TYPES, type Decision } from '../../../shared/schemas/decisions.ts';
import type { MissingCode } from '../../../shared/i18n/decisions.ts';
import { accessOf, caseVisibleSql, lagesbildReportVisibleSql } from '../../access/index.ts';
import { formatRecordNumber, mayHandle } from './cases.core.ts';
import { decisionsRepo as repo, type OrgInfo } from './cases.decisions.repo.ts';
import { meetingProcessRepo, type NoticeRow } from './cases.meetings.repo.ts';
import { appealDaysLeft } from '../../../shared/appeal.ts';
import { todayInStockholm } from '../../lib/time.ts';

/** A notice as the API shows it, with the days left of its appeal period on `today`. */
export const noticeOut = (n: NoticeRow, today: string) => ({ postedOn: n.posted_on, appealEndsOn: n.appeal_ends_on, daysLeft: appealDaysLeft(n.appeal_ends_on, today), isExample: n.is_example });

/**
 * What the parts of the decision service (meetings, decisions and att-satser, assignments) and dispatch
 * share: the deps, the decision as the API shows it, "the decision exists and the actor may read it",
 * "the decision is still a draft the actor may change", and the organisation checks.
 */
export interface DecisionPartDeps {
  db: Db;
  /** Today in Stockholm ("YYYY-MM-DD"); tests pass a fixed date. */
  today: () => string;
}

export type Field = { path: string; message: string };

type ClauseFacts = { toBodyOrganisationId: string | null; effect: string; assigneeOrganisationId: string | null; dueDate: string | null; documentId: string | null; replacementDocumentId: string | null };

/**
 * What keeps a draft from being marked decided, in the order the decide call checks it: the child
 * assessment, at least one att-sats (for a decision), and each att-sats's targets. One function, used by
 * the decide call (which refuses with the first) and by the API's `missing` list (shown before the dialog).
 */
/** An att-sats addressed to another body than the deciding one: a proposal, without effect until that body decides it. */
export const isProposal = (k: { toBodyOrganisationId: string | null }, bodyOrganisationId: string) => !!k.toBodyOrganisationId && k.toBodyOrganisationId !== bodyOrganisationId;

export function decisionProblems(d: { kind: string; childAssessmentDone: boolean; bodyOrganisationId: string }, clauses: ClauseFacts[]): { path: string; code: MissingCode }[] {
  const out: { path: string; code: MissingCode }[] = [];
  if (!d.childAssessmentDone) out.push({ path: 'case.childAssessment', code: 'CHILD_ASSESSMENT_MISSING' });
  if (d.kind === 'decision' && clauses.length === 0) out.push({ path: 'clauses', code: 'DECISION_NO_CLAUSES' });
  clauses.forEach((k, i) => {
    // A proposal's targets are the deciding body's to settle, when it decides.
    if (isProposal(k, d.bodyOrganisationId)) return;
    const p = `clauses.${i}.`;
    if (k.effect === 'assignment') {
      if (!k.assigneeOrganisationId) out.push({ path: `${p}assigneeOrganisationId`, code: 'ASSIGNEE_REQUIRED' });
      if (!k.dueDate) out.push({ path: `${p}dueDate`, code: 'DUE_DATE_REQUIRED' });
    }
    if ((k.effect === 'repeal' || k.effect === 'adopt' || k.effect === 'replace') && !k.documentId) out.push({ path: `${p}documentId`, code: 'DOCUMENT_REQUIRED' });
    if (k.effect === 'replace' && !k.replacementDocumentId) out.push({ path: `${p}replacementDocumentId`, code: 'REPLACEMENT_DOCUMENT_REQUIRED' });
  });
  return out;
}

/** "KS 2019-12-04 § 333" (or the body's name when it has no short name). */
export function decisionReference(d: { decidedOn: string | null; paragraph: number | null }, body: { name: string; shortName: string | null }) {
  return [body.shortName ?? body.name, d.decidedOn, d.paragraph !== null ? `§ ${d.paragraph}` : null].filter(Boolean).join(' ');
}

export async function orgInfo(ex: Executor, ids: string[]): Promise<Map<string, OrgInfo>> {
  return repo.orgInfo(ex, ids);
}

/** The decision with its case, if the actor may read the case; else DECISION_NOT_FOUND. */
export async function visibleDecision(ex: Executor, actor: Actor, tree: OrgTree, id: string, lock = false) {
  const v = accessOf(actor, tree);
  if (!(await repo.visibleDecisionId(ex, id, caseVisibleSql(v)))) throw new AppError('DECISION_NOT_FOUND');
  if (lock) await repo.lockDecision(ex, id);
  const d = (await repo.findDecision(ex, id))!;
  const c = (await repo.findCase(ex, d.caseId))!;
  return { decision: d, case: c };
}

/** Raises the decision's version if it still is `version` (every change to a decision, its clauses or its dispatch list). */
export async function bumpDecision(ex: Executor, id: string, version: number) {
  if (!(await repo.bumpDecision(ex, id, version))) throw new AppError('VERSION_CONFLICT');
}

/** Decisions (with clauses and dispatch lists) of the given ids, in the API's shape. */
export async function loadDecisions(ex: Executor, ids: string[], actor: Actor, tree: OrgTree, today: string = todayInStockholm()): Promise<Decision[]> {
  if (!ids.length) return [];
  const rows = await repo.decisionRows(ex, ids);
  const clauses = await repo.clauseRows(ex, ids, lagesbildReportVisibleSql(accessOf(actor, tree), 'lr'));
  const entries = await repo.dispatchRows(ex, ids);
  const forwarded = await repo.forwardedRows(ex, ids);
  const notices = await meetingProcessRepo.noticesOfDecisions(ex, ids);
  return rows.map((d) => {
    const own = clauses.filter((k) => k.decision_id === d.id);
    return {
    id: d.id,
    caseId: d.case_id,
    bodyOrganisationId: d.body_organisation_id,
    bodyName: d.body_name,
    bodyShortName: d.body_short,
    meetingId: d.meeting_id,
    decidedOn: d.decided_on,
    paragraph: d.paragraph,
    kind: d.kind,
    status: d.status,
    title: d.title,
    reason: d.reason,
    preparedByDecisionId: d.prepared_by_decision_id,
    preparedByReference: d.prepared_by_reference,
    forwardedTo: forwarded.filter((f) => f.prepared_by_decision_id === d.id).map((f) => ({ id: f.id, bodyName: f.body_name, reference: f.reference, status: f.status })),
    exampleNote: d.example_note,
    adjustedOn: d.adjusted_on,
    immediateAdjustment: d.immediate_adjustment,
    notice: (() => {
      // A § adjusted at once is covered by its own notice only; the others by their minutes'.
      const n = notices.find((x) => x.for_decision === d.id && (!d.immediate_adjustment || x.decision_id === d.id));
      return n ? noticeOut(n, today) : null;
    })(),
    clauses: own
      .map((k) => ({
        id: k.id,
        ordinal: k.ordinal,
        text: k.text,
        toBodyOrganisationId: k.to_body_organisation_id,
        toBodyName: k.to_body_name,
        effect: k.effect,
        assigneeOrganisationId: k.assignee_organisation_id,
        assigneeName: k.assignee_name,
        dueDate: k.due_date,
        documentId: k.document_id,
        replacementDocumentId: k.replacement_document_id,
        assignmentId: k.assignment_id,
        condition: k.condition,
        proposal: isProposal({ toBodyOrganisationId: k.to_body_organisation_id }, d.body_organisation_id),
        proposedFromClauseId: k.proposed_from_clause_id,
        lagesbildReportId: k.lagesbild_report_id,
      })),
    dispatch: entries
      .filter((e) => e.decision_id === d.id)
      .map((e) => ({
        id: e.id,
        kind: e.kind,
        organisationId: e.organisation_id,
        organisationName: e.organisation_name,
        organisationEmail: e.organisation_email,
        status: e.status,
        email: e.email,
        recordId: e.record_id,
        recordNumber: e.record_seq !== null ? formatRecordNumber(e.registry_number, e.record_seq) : null,
        dispatchedAt: e.dispatched_at ? new Date(e.dispatched_at).toISOString() : null,
      })),
    isExample: d.is_example,
    missing:
      d.status === 'draft'
        ? decisionProblems(
            { kind: d.kind, childAssessmentDone: d.child_assessment_done, bodyOrganisationId: d.body_organisation_id },
            own.map((k) => ({ toBodyOrganisationId: k.to_body_organisation_id, effect: k.effect, assigneeOrganisationId: k.assignee_organisation_id, dueDate: k.due_date, documentId: k.document_id, replacementDocumentId: k.replacement_document_id })),
          )
        : [],
    version: d.version,
    allowedActions: mayHandle(actor, tree, { organisationId: d.organisation_id, registryOrganisationId: d.registry_organisation_id, officerId: d.officer_id }) ? ['cases.handle' as const] : [],
  };
  });
}

export async function detail(ex: Executor, actor: Actor, tree: OrgTree, id: string) {
  return (await loadDecisions(ex, [id], actor, tree))[0];
}

/** The decision, locked, if the actor may handle its case and it is still a draft; its version raised. */
export async function editableDecision(ex: Executor, actor: Actor, tree: OrgTree, id: string, version: number) {
  const found = await visibleDecision(ex, actor, tree, id, true);
  if (!mayHandle(actor, tree, found.case)) throw new AppError('FORBIDDEN');
  if (found.decision.status === 'decided') throw new AppError('DECISION_LOCKED');
  await bumpDecision(ex, id, version);
  return found;
}

/** An active deciding body (committee, board, council) in the tree; else a field error at `path`. */
export async function requireBody(ex: Executor, tree: OrgTree, id: string, path: string) {
  const o = (await orgInfo(ex, [id])).get(id);
  if (!o || !tree.has(id) || !o.active || !(DECIDING_TYPES as readonly string[]).includes(o.type))
    throw new AppError('VALIDATION_FAILED', [{ path, message: 'DECISION_BODY_INVALID' }]);
  return o;
}

export async function requireOrganisation(ex: Executor, tree: OrgTree, id: string, path: string) {
  const o = (await orgInfo(ex, [id])).get(id);
  if (!o || !tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_NOT_FOUND' }]);
  if (!o.active) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_INACTIVE' }]);
}
