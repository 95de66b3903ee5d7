import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { governingDocuments } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { documentsRepo as repo, type DocumentRow } from './documents.repo.ts';

export type ClauseEffect = 'none' | 'assignment' | 'repeal' | 'replace' | 'adopt';

export interface DocumentEffectInput {
  effect: ClauseEffect | string;
  documentId: string | null | undefined;
  replacementDocumentId?: string | null;
  decisionId: string;
  /** The decision's date (YYYY-MM-DD): the day the repeal, replacement or adoption takes effect. */
  decidedOn: string;
  actor?: { id: string; name: string } | null;
  requestId?: string;
}

const view = (r: DocumentRow) => {
  const { search: _s, ...rest } = r;
  return rest;
};

/**
 * What a decided att-sats does to the governing-document register, inside the decision's own
 * transaction (the decisions module calls this from its decision-effect hook):
 * - repeal: the document becomes upphävd from the decision date, linked to the decision;
 * - replace: the document becomes ersatt by the replacement, which comes into force (gällande);
 * - adopt: the document comes into force, adopted by the deciding body on the decision date.
 * Only documents in the expected status are changed; applying the same decision twice changes nothing.
 * A missing document or a status that does not allow the change is an error, so the decision is not
 * recorded as decided with an effect that did not happen.
 */
export async function applyDocumentEffect(tx: Executor, input: DocumentEffectInput): Promise<{ changed: string[] }> {
  if (input.effect !== 'repeal' && input.effect !== 'replace' && input.effect !== 'adopt') return { changed: [] };
  const ctx: RequestContext = { actor: input.actor ?? undefined, requestId: input.requestId ?? `decision:${input.decisionId}` };
  const decision = await repo.decisionExists(tx, input.decisionId);
  if (!decision) throw new AppError('DOCUMENT_DECISION_NOT_FOUND');
  if (!input.documentId) throw new AppError('VALIDATION_FAILED', [{ path: 'documentId', message: 'REQUIRED' }]);
  const doc = await repo.find(tx, input.documentId, true);
  if (!doc) throw new AppError('DOCUMENT_NOT_FOUND');
  const on = input.decidedOn;
  const changed: string[] = [];

  const write = async (before: DocumentRow, action: string, values: Partial<typeof governingDocuments.$inferInsert>) => {
    const [after] = await tx
      .update(governingDocuments)
      .set({ ...values, version: sql`${governingDocuments.version} + 1`, updatedAt: new Date() })
      .where(eq(governingDocuments.id, before.id))
      .returning();
    await recordAudit(tx, ctx, { entityType: 'governing_document', entityId: before.id, action, before: view(before), after: { ...view(after), decisionId: input.decisionId } });
    changed.push(before.id);
  };
  const endDate = (d: DocumentRow) => (d.validTo && d.validTo <= on ? d.validTo : on);
  const adoptValues = (d: DocumentRow) => ({
    status: 'in_force',
    adoptedOn: on,
    decisionId: input.decisionId,
    adoptedByOrganisationId: decision.body,
    validFrom: d.validFrom ?? on,
    ...(d.validTo && d.validTo < (d.validFrom ?? on) ? { validTo: null } : {}),
  });

  if (input.effect === 'repeal') {
    if (doc.status === 'repealed' && doc.statusDecisionId === input.decisionId) return { changed };
    if (doc.status !== 'in_force') throw new AppError('DOCUMENT_STATUS_TRANSITION');
    const validFromOk = !doc.validFrom || doc.validFrom <= on;
    await write(doc, 'repeal', { status: 'repealed', statusDecisionId: input.decisionId, statusDecisionRef: null, statusChangedOn: on, ...(validFromOk ? { validTo: endDate(doc) } : {}) });
    return { changed };
  }

  if (input.effect === 'adopt') {
    if (doc.status === 'in_force' && doc.decisionId === input.decisionId) return { changed };
    if (doc.status !== 'draft') throw new AppError('DOCUMENT_STATUS_TRANSITION');
    await write(doc, 'adopt', adoptValues(doc));
    return { changed };
  }

  // replace
  if (!input.replacementDocumentId) throw new AppError('VALIDATION_FAILED', [{ path: 'replacementDocumentId', message: 'REQUIRED' }]);
  if (input.replacementDocumentId === doc.id) throw new AppError('DOCUMENT_CYCLE');
  const replacement = await repo.find(tx, input.replacementDocumentId, true);
  if (!replacement) throw new AppError('DOCUMENT_NOT_FOUND');
  if (doc.status === 'replaced' && doc.statusDecisionId === input.decisionId && doc.replacedById === replacement.id) return { changed };
  if (doc.status !== 'in_force') throw new AppError('DOCUMENT_STATUS_TRANSITION');
  if (replacement.status !== 'draft' && replacement.status !== 'in_force') throw new AppError('DOCUMENT_STATUS_TRANSITION');
  const validFromOk = !doc.validFrom || doc.validFrom <= on;
  await write(doc, 'replace', {
    status: 'replaced',
    replacedById: replacement.id,
    statusDecisionId: input.decisionId,
    statusDecisionRef: null,
    statusChangedOn: on,
    ...(validFromOk ? { validTo: endDate(doc) } : {}),
  });
  if (replacement.status === 'draft') await write(replacement, 'adopt', adoptValues(replacement));
  if (await repo.hasCycle(tx, [doc.id, replacement.id])) throw new AppError('DOCUMENT_CYCLE');
  return { changed };
}

/**
 * The adapter for the decisions module's hook (`registerDecisionEffect(effect, handler)`, called with
 * (tx, decision, clause) when a decision becomes decided): register it for 'repeal', 'replace' and 'adopt'.
 */
export function documentEffectHandler(
  tx: Executor,
  decision: { id: string; decidedOn: string | null },
  clause: { effect: string; documentId: string | null; replacementDocumentId?: string | null },
  ctx: { actor?: { id: string; name: string } | null; requestId?: string } = {},
) {
  if (!decision.decidedOn) throw new AppError('VALIDATION_FAILED', [{ path: 'decidedOn', message: 'REQUIRED' }]);
  return applyDocumentEffect(tx, {
    effect: clause.effect,
    documentId: clause.documentId,
    replacementDocumentId: clause.replacementDocumentId ?? null,
    decisionId: decision.id,
    decidedOn: decision.decidedOn,
    actor: ctx.actor ?? null,
    requestId: ctx.requestId,
  });
}
