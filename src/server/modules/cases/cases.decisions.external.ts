import type { Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import { formatRecordNumber, insertRecord, mayHandle, visibleCaseOf } from './cases.core.ts';
import { decisionsRepo as repo } from './cases.decisions.repo.ts';
import { requireBody } from './cases.decisions.shared.ts';
import type { ClauseEffect } from './cases.decisions.effects.ts';

/** What another module puts to a body through a case: its record, and the draft decision with the att-sats that acts on it. */
export interface ProposalInput {
  caseId: string;
  bodyOrganisationId: string;
  /** The drawn-up record (upprättad handling) the matter is registered as. */
  recordTitle: string;
  /** The record's secrecy marking, when the matter is secret (its text is then withheld in the case). */
  recordSecrecyRef?: string | null;
  recordSecrecyReason?: string | null;
  decisionTitle: string;
  clauseText: string;
  effect: Exclude<ClauseEffect, 'none' | 'assignment'>;
  /** Today in Stockholm, the record's date. */
  today: string;
}

/**
 * Registers a record in a case and drafts a decision of the body with one att-sats, inside the caller's
 * transaction (the lägesbild report is put to a body this way; the att-sats's effect adopts it when the body
 * decides). The actor must be allowed to handle the case (else 403; an unseen case is a 404); a closed case
 * takes nothing more.
 */
export async function proposeForDecision(tx: Executor, ctx: RequestContext, actor: Actor, tree: OrgTree, input: ProposalInput) {
  const c = await visibleCaseOf(tx, actor, tree, input.caseId);
  if (!mayHandle(actor, tree, c)) throw new AppError('FORBIDDEN');
  if (c.status === 'closed') throw new AppError('CASE_CLOSED');
  const body = await requireBody(tx, tree, input.bodyOrganisationId, 'bodyOrganisationId');
  const record = await insertRecord(tx, {
    caseId: c.id,
    direction: 'drawn_up',
    recordDate: input.today,
    title: input.recordTitle,
    secrecyRef: input.recordSecrecyRef ?? null,
    secrecyReason: input.recordSecrecyReason ?? null,
    createdBy: actor.id,
  });
  await recordAudit(tx, ctx, { entityType: 'case_record', entityId: record.id, action: 'create', after: record });
  const decision = await repo.insertDecision(tx, { caseId: c.id, bodyOrganisationId: input.bodyOrganisationId, kind: 'decision', title: input.decisionTitle, createdBy: actor.id });
  const clause = await repo.insertClause(tx, { decisionId: decision.id, ordinal: 1, text: input.clauseText, effect: input.effect });
  await recordAudit(tx, ctx, { entityType: 'decision', entityId: decision.id, action: 'create', after: { ...decision, clauses: [clause] } });
  return {
    caseId: c.id,
    registryNumber: c.registryNumber,
    recordId: record.id,
    recordNumber: formatRecordNumber(c.registryNumber, record.seq),
    decisionId: decision.id,
    clauseId: clause.id,
    bodyName: body.name,
  };
}
