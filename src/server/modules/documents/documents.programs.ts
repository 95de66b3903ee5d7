import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { governingDocuments } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import type { DocumentType } from '../../../shared/schemas/documents.ts';
import { documentsRepo as repo, type DocumentRow } from './documents.repo.ts';

/**
 * A program or plan of the program module is its entry in the register (issue #11 item 3): one record of
 * status, validity and the adopting decision, the governing document; the program keeps its follow-up
 * structure and a link (programs.document_id). The program module creates and changes the entry only
 * through these functions (exported by index.ts), in its own transaction; the status changes only by a
 * decision (the adopt, repeal and replace effects in documents.effects.ts) or by the register's rules.
 */

/** Which kind of governing document each kind of program is. */
export const PROGRAM_DOCUMENT_TYPE: Record<string, DocumentType> = {
  safety_program: 'program',
  rescue_programme: 'program',
  crime_prevention_plan: 'action_plan',
  action_plan: 'action_plan',
  other: 'plan',
};

const auditView = (r: DocumentRow) => {
  const { search: _s, ...rest } = r;
  return rest;
};

export interface ProgramEntryFields {
  kind: string;
  title: string;
  description: string | null;
  ownerOrganisationId: string;
  /** The body that is to adopt it (KF for the safety program). */
  adoptedByOrganisationId: string | null;
  /** The proposed period; the adopting decision starts it on its date when no start is given. */
  validFrom: string | null;
  validTo: string | null;
}

/** A new program's entry: a draft until the body decides to adopt it. */
export async function createProgramEntry(tx: Executor, ctx: RequestContext, v: ProgramEntryFields & { createdBy: string | null; isExample?: boolean }) {
  const [row] = await tx
    .insert(governingDocuments)
    .values({
      type: PROGRAM_DOCUMENT_TYPE[v.kind] ?? 'plan',
      title: v.title,
      description: v.description,
      ownerOrganisationId: v.ownerOrganisationId,
      adoptedByOrganisationId: v.adoptedByOrganisationId,
      validFrom: v.validFrom,
      validTo: v.validTo,
      status: 'draft',
      createdBy: v.createdBy,
      isExample: v.isExample ?? false,
    })
    .returning();
  await recordAudit(tx, ctx, { entityType: 'governing_document', entityId: row.id, action: 'create', after: auditView(row) });
  return row;
}

/**
 * The program's changes that are its entry's too. Title, description, owner and kind always; the proposed
 * period and adopting body only while it is a draft: after that they are what the decision said, and an
 * adopted program changes by a new decision (PROGRAM_STATUS_BY_DECISION).
 */
export async function updateProgramEntry(tx: Executor, ctx: RequestContext, documentId: string, changes: Partial<ProgramEntryFields>) {
  const before = await repo.find(tx, documentId, true);
  if (!before) throw new AppError('DOCUMENT_NOT_FOUND');
  const values: Partial<typeof governingDocuments.$inferInsert> = {};
  if (changes.title !== undefined) values.title = changes.title;
  if (changes.description !== undefined) values.description = changes.description;
  if (changes.ownerOrganisationId !== undefined) values.ownerOrganisationId = changes.ownerOrganisationId;
  if (changes.kind !== undefined) values.type = PROGRAM_DOCUMENT_TYPE[changes.kind] ?? 'plan';
  const decided = { adoptedByOrganisationId: changes.adoptedByOrganisationId, validFrom: changes.validFrom, validTo: changes.validTo };
  for (const [k, v] of Object.entries(decided)) {
    if (v === undefined || v === before[k as keyof DocumentRow]) continue;
    if (before.status !== 'draft') throw new AppError('PROGRAM_STATUS_BY_DECISION', [{ path: k, message: 'PROGRAM_STATUS_BY_DECISION' }]);
    (values as Record<string, unknown>)[k] = v;
  }
  const from = values.validFrom !== undefined ? values.validFrom : before.validFrom;
  const to = values.validTo !== undefined ? values.validTo : before.validTo;
  if (from && to && to < from) throw new AppError('VALIDATION_FAILED', [{ path: 'validTo', message: 'END_BEFORE_START' }]);
  if (!Object.keys(values).length) return before;
  const [after] = await tx
    .update(governingDocuments)
    .set({ ...values, version: sql`${governingDocuments.version} + 1`, updatedAt: new Date() })
    .where(eq(governingDocuments.id, documentId))
    .returning();
  await recordAudit(tx, ctx, { entityType: 'governing_document', entityId: documentId, action: 'update', before: auditView(before), after: auditView(after) });
  return after;
}
