import { eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
import { updateVersioned } from '../../db/helpers.ts';
import { governingDocuments } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { FileStore } from '../../lib/filestore.ts';
import { allowedActions, can, type Actor, type OrgTree } from '../../lib/policies.ts';
import {
  documentActions,
  documentState,
  type CreateDocument,
  type DocumentQuery,
  type DocumentStatus,
  type GoverningDocument,
  type GoverningDocumentDetail,
  type UpdateDocument,
} from '../../../shared/schemas/documents.ts';
import { documentsRepo as repo, type DocumentListRow, type DocumentRow } from './documents.repo.ts';
import { accessOf, documentPublicSql, logSecretReads } from '../../access/index.ts';
import { todayInStockholm } from '../../lib/time.ts';

/** Largest document file accepted (PDF or DOCX). */
export const DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_REVIEW_REMINDER_DAYS = 30;

/** Today's date in Stockholm, YYYY-MM-DD. */
export const stockholmToday = () => todayInStockholm();

/**
 * Status changes a document manager may make. An adopted document is revised by a new document (which
 * replaces it), never turned back into a draft; repealed and replaced are final: only an
 * administrator (documents.revert) may take a document out of them, with a reason, to correct a mistake.
 */
const TRANSITIONS: Record<DocumentStatus, DocumentStatus[]> = {
  draft: ['draft', 'in_force'],
  in_force: ['in_force', 'repealed', 'replaced'],
  repealed: ['repealed'],
  replaced: ['replaced'],
};
const isFinal = (s: string) => s === 'repealed' || s === 'replaced';

/** The audited view of a row (no search vector). */
const auditView = (r: DocumentRow) => {
  const { search: _s, ...rest } = r;
  return rest;
};

export function toDocument(r: DocumentListRow, actor: Actor | undefined, tree: OrgTree, today: string): GoverningDocument {
  return {
    id: r.id,
    type: r.type as GoverningDocument['type'],
    title: r.title,
    description: r.description,
    ownerOrganisationId: r.ownerOrganisationId,
    ownerName: r.ownerName,
    adoptedByOrganisationId: r.adoptedByOrganisationId,
    adoptedByName: r.adoptedByName,
    decisionId: r.decisionId,
    decisionRef: r.decisionRef,
    adoptedOn: r.adoptedOn,
    validFrom: r.validFrom,
    validTo: r.validTo,
    nextReviewOn: r.nextReviewOn,
    reviewOverdue: r.status === 'in_force' && !!r.nextReviewOn && r.nextReviewOn < today,
    status: r.status as DocumentStatus,
    state: documentState(r.status, r.validTo, today),
    programId: r.programId,
    statusDecisionId: r.statusDecisionId,
    statusDecisionRef: r.statusDecisionRef,
    statusChangedOn: r.statusChangedOn,
    replacedById: r.replacedById,
    file:
      r.fileSha256 && r.fileName && r.fileContentType && r.fileSize !== null && r.fileUploadedAt
        ? { name: r.fileName, contentType: r.fileContentType, size: r.fileSize, sha256: r.fileSha256, uploadedAt: r.fileUploadedAt.toISOString() }
        : null,
    isExample: r.isExample,
    version: r.version,
    secrecyRef: r.secrecyRef,
    allowedActions: allowedActions(actor, documentActions, r.ownerOrganisationId, tree),
  };
}

export function createDocumentService({ db, files, reviewReminderDays = DEFAULT_REVIEW_REMINDER_DAYS, today = stockholmToday }: { db: Db; files: FileStore; reviewReminderDays?: number; today?: () => string }) {
  function requireManage(actor: Actor, orgId: string, tree: OrgTree) {
    if (!can(actor, 'documents.manage', orgId, tree)) throw new AppError('FORBIDDEN');
  }

  async function readable(ex: Executor, actor: Actor, tree: OrgTree, id: string) {
    const { rows } = await repo.list(ex, accessOf(actor, tree), { id, limit: 1 }, today(), reviewReminderDays);
    if (!rows[0]) throw new AppError('DOCUMENT_NOT_FOUND');
    return rows[0];
  }

  async function detail(ex: Executor, actor: Actor, tree: OrgTree, id: string): Promise<GoverningDocumentDetail> {
    const row = await readable(ex, actor, tree, id);
    const [replacedBy] = row.replacedById ? await repo.links(ex, [row.replacedById]) : [];
    const replaces = await repo.replacing(ex, id);
    return {
      ...toDocument(row, actor, tree, today()),
      decision: await repo.decisionLink(ex, row.decisionId),
      statusDecision: await repo.decisionLink(ex, row.statusDecisionId),
      replacedBy: replacedBy ? { id: replacedBy.id, title: replacedBy.title, status: replacedBy.status as DocumentStatus } : null,
      replaces: replaces.map((d) => ({ id: d.id, title: d.title, status: d.status as DocumentStatus })),
    };
  }

  /** Organisations, decisions and linked documents named in the input exist; the linked documents are the actor's to change. */
  async function checkRefs(ex: Executor, actor: Actor, tree: OrgTree, input: Partial<CreateDocument>, selfId?: string) {
    const field = (path: string, message: string) => new AppError('VALIDATION_FAILED', [{ path, message }]);
    if (input.ownerOrganisationId && !tree.has(input.ownerOrganisationId)) throw field('ownerOrganisationId', 'ORGANISATION_NOT_FOUND');
    if (input.adoptedByOrganisationId && !tree.has(input.adoptedByOrganisationId)) throw field('adoptedByOrganisationId', 'ORGANISATION_NOT_FOUND');
    if (input.decisionId && !(await repo.decisionExists(ex, input.decisionId))) throw field('decisionId', 'DOCUMENT_DECISION_NOT_FOUND');
    if (input.statusDecisionId && !(await repo.decisionExists(ex, input.statusDecisionId))) throw field('statusDecisionId', 'DOCUMENT_DECISION_NOT_FOUND');
    if (input.replacedById) {
      if (input.replacedById === selfId) throw new AppError('DOCUMENT_CYCLE');
      if (!(await repo.links(ex, [input.replacedById])).length) throw field('replacedById', 'DOCUMENT_NOT_FOUND');
    }
    if (input.replacesIds?.length) {
      if (selfId && input.replacesIds.includes(selfId)) throw new AppError('DOCUMENT_CYCLE');
      const found = await repo.links(ex, input.replacesIds);
      for (const [i, id] of input.replacesIds.entries()) {
        const doc = found.find((d) => d.id === id);
        if (!doc) throw field(`replacesIds.${i}`, 'DOCUMENT_NOT_FOUND');
        if (doc.replacedById !== (selfId ?? null)) requireManage(actor, doc.ownerOrganisationId, tree);
      }
    }
  }

  /** Points the replaced-by link of exactly `replacesIds` at `id` (unlinking the rest), with audit. */
  async function setReplaces(tx: Executor, ctx: RequestContext, actor: Actor, tree: OrgTree, id: string, replacesIds: string[]) {
    const current = await repo.replacing(tx, id);
    for (const d of current) {
      if (replacesIds.includes(d.id)) continue;
      // A replaced document must keep its successor: unlinking it would leave "ersatt av" empty.
      if (d.status === 'replaced') throw new AppError('DOCUMENT_STATUS_TRANSITION');
      requireManage(actor, d.ownerOrganisationId, tree);
      await link(tx, ctx, d.id, null);
    }
    for (const other of replacesIds) if (!current.some((d) => d.id === other)) await link(tx, ctx, other, id);
  }

  async function link(tx: Executor, ctx: RequestContext, id: string, replacedById: string | null) {
    const before = (await repo.find(tx, id, true))!;
    const [after] = await tx
      .update(governingDocuments)
      .set({ replacedById, version: sql`${governingDocuments.version} + 1`, updatedAt: new Date() })
      .where(eq(governingDocuments.id, id))
      .returning();
    await recordAudit(tx, ctx, { entityType: 'governing_document', entityId: id, action: 'link', before: { replacedById: before.replacedById }, after: { replacedById: after.replacedById } });
  }

  async function refuseCycles(tx: Executor, ids: string[]) {
    if (await repo.hasCycle(tx, ids)) throw new AppError('DOCUMENT_CYCLE');
  }

  /**
   * A status change by hand that a decision should make (issue #11 item 3). Coming into force: refused while
   * a decision in the registry is to adopt the document (it comes into force when that body decides); and a
   * program's entry needs the adopting decision named (a decided decision, or the reference of one taken
   * outside Trygg — registering a program adopted before, which a coordinator must be able to do). Repealing
   * or replacing a program's entry likewise needs its decision. Other documents keep the register's rules.
   */
  async function checkDecided(tx: Executor, before: DocumentRow, to: DocumentStatus, input: UpdateDocument) {
    if (to === before.status) return;
    const isProgram = !!(await repo.programOf(tx, before.id));
    if (to === 'in_force') {
      if (await repo.pendingAdoption(tx, before.id)) throw new AppError('DOCUMENT_ADOPTION_PENDING');
      if (!isProgram) return;
      const decisionId = input.decisionId !== undefined ? input.decisionId : before.decisionId;
      const decisionRef = input.decisionRef !== undefined ? input.decisionRef : before.decisionRef;
      const decided = decisionId ? (await repo.decisionExists(tx, decisionId))?.status === 'decided' : false;
      if (!decided && !decisionRef?.trim()) throw new AppError('DOCUMENT_DECISION_REQUIRED', [{ path: 'decisionRef', message: 'DOCUMENT_DECISION_REQUIRED' }]);
    }
    if (isFinal(to) && isProgram) {
      const decisionId = input.statusDecisionId !== undefined ? input.statusDecisionId : before.statusDecisionId;
      const decisionRef = input.statusDecisionRef !== undefined ? input.statusDecisionRef : before.statusDecisionRef;
      const decided = decisionId ? (await repo.decisionExists(tx, decisionId))?.status === 'decided' : false;
      if (!decided && !decisionRef?.trim()) throw new AppError('DOCUMENT_DECISION_REQUIRED', [{ path: 'statusDecisionRef', message: 'DOCUMENT_DECISION_REQUIRED' }]);
    }
  }

  function checkPeriod(validFrom: string | null, validTo: string | null) {
    if (validFrom && validTo && validTo < validFrom) throw new AppError('VALIDATION_FAILED', [{ path: 'validTo', message: 'END_BEFORE_START' }]);
  }

  return {
    /** With `ctx`, secret documents found by a text search are in the read log. */
    async list(actor: Actor, q: DocumentQuery, ctx?: RequestContext) {
      const tree = await loadOrgTree(db);
      const { rows, total } = await repo.list(db, accessOf(actor, tree), q, today(), reviewReminderDays);
      if (ctx && q.q) await logSecretReads(db, ctx, rows.filter((r) => r.secrecyRef).map((r) => ({ type: 'document', id: r.id, how: 'search' as const, detail: { q: q.q } })));
      const now = today();
      return { items: rows.map((r) => toDocument(r, actor, tree, now)), total };
    },

    /** With `ctx`, opening a secret document is logged as a secret read. */
    async get(actor: Actor, id: string, ctx?: RequestContext) {
      const d = await detail(db, actor, await loadOrgTree(db), id);
      if (ctx && d.secrecyRef) await logSecretReads(db, ctx, [{ type: 'document', id, how: 'open' }]);
      return d;
    },

    async create(ctx: RequestContext, actor: Actor, input: CreateDocument, opts: { isExample?: boolean } = {}) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await checkRefs(tx, actor, tree, input);
        requireManage(actor, input.ownerOrganisationId, tree);
        if (input.status === 'replaced' && !input.replacedById) throw new AppError('DOCUMENT_REPLACED_BY_REQUIRED');
        checkPeriod(input.validFrom ?? null, input.validTo ?? null);
        const [row] = await tx
          .insert(governingDocuments)
          .values({
            type: input.type,
            title: input.title,
            description: input.description ?? null,
            ownerOrganisationId: input.ownerOrganisationId,
            adoptedByOrganisationId: input.adoptedByOrganisationId ?? null,
            decisionId: input.decisionId ?? null,
            decisionRef: input.decisionRef ?? null,
            adoptedOn: input.adoptedOn ?? null,
            validFrom: input.validFrom ?? null,
            validTo: input.validTo ?? null,
            nextReviewOn: input.nextReviewOn ?? null,
            status: input.status,
            statusDecisionId: input.statusDecisionId ?? null,
            statusDecisionRef: input.statusDecisionRef ?? null,
            statusChangedOn: input.statusChangedOn ?? null,
            replacedById: input.replacedById ?? null,
            createdBy: actor.id,
            isExample: opts.isExample ?? false,
          })
          .returning();
        await recordAudit(tx, ctx, { entityType: 'governing_document', entityId: row.id, action: 'create', after: auditView(row) });
        if (input.replacesIds?.length) await setReplaces(tx, ctx, actor, tree, row.id, input.replacesIds);
        await refuseCycles(tx, [row.id, ...(input.replacesIds ?? [])]);
        return detail(tx, actor, tree, row.id);
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, input: UpdateDocument) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await repo.find(tx, id, true);
        if (!before) throw new AppError('DOCUMENT_NOT_FOUND');
        await readable(tx, actor, tree, id);
        requireManage(actor, before.ownerOrganisationId, tree);
        if (input.ownerOrganisationId && input.ownerOrganisationId !== before.ownerOrganisationId) requireManage(actor, input.ownerOrganisationId, tree);
        if (before.version !== input.version) throw new AppError('VERSION_CONFLICT');
        await checkRefs(tx, actor, tree, input, id);

        const { version, revertReason, replacesIds, ...fields } = input;
        const values: Partial<typeof governingDocuments.$inferInsert> = {};
        for (const [k, v] of Object.entries(fields)) if (v !== undefined) (values as Record<string, unknown>)[k] = v;

        const from = before.status as DocumentStatus;
        const to = (input.status ?? from) as DocumentStatus;
        let action = 'update';
        if (to !== from) {
          if (isFinal(from)) {
            // Reverting a final status: an administrator's correction, with a reason, to in force or draft.
            if (!can(actor, 'documents.revert', before.ownerOrganisationId, tree)) throw new AppError('DOCUMENT_FINAL');
            if (!revertReason) throw new AppError('DOCUMENT_REVERT_REASON_REQUIRED', [{ path: 'revertReason', message: 'REQUIRED' }]);
            if (isFinal(to)) throw new AppError('DOCUMENT_STATUS_TRANSITION');
            action = 'revert';
            values.statusDecisionId = input.statusDecisionId ?? null;
            values.statusDecisionRef = input.statusDecisionRef ?? null;
            values.statusChangedOn = null;
            if (from === 'replaced' && input.replacedById === undefined) values.replacedById = null;
          } else {
            if (!TRANSITIONS[from].includes(to)) throw new AppError('DOCUMENT_STATUS_TRANSITION');
            await checkDecided(tx, before, to, input);
            if (isFinal(to)) {
              action = to === 'replaced' ? 'replace' : 'repeal';
              const on = input.statusChangedOn ?? today();
              values.statusChangedOn = on;
              // The document stops applying the day it is repealed or replaced, unless it already had ended.
              if (input.validTo === undefined && !(before.validTo && before.validTo <= on)) values.validTo = on;
            }
          }
        }
        const merged = { ...before, ...values };
        if (merged.status === 'replaced' && !merged.replacedById) throw new AppError('DOCUMENT_REPLACED_BY_REQUIRED');
        checkPeriod(merged.validFrom, merged.validTo);

        const after = await updateVersioned(tx, governingDocuments, id, version, values);
        if (!after) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, {
          entityType: 'governing_document',
          entityId: id,
          action,
          before: auditView(before),
          after: { ...auditView(after as DocumentRow), ...(revertReason ? { revertReason } : {}) },
        });
        if (replacesIds) await setReplaces(tx, ctx, actor, tree, id, replacesIds);
        await refuseCycles(tx, [id, ...(replacesIds ?? [])]);
        // A program's entry is the program: its title, description and owner are the program's too.
        const programId = await repo.programOf(tx, id);
        if (programId) { const a = after as DocumentRow; await repo.syncProgram(tx, programId, { title: a.title, description: a.description, ownerOrganisationId: a.ownerOrganisationId }); }
        return detail(tx, actor, tree, id);
      });
    },

    /** Stores the document's file (content sniffed by the route) and records its checksum. */
    async attachFile(ctx: RequestContext, actor: Actor, id: string, file: { filename: string; data: Buffer; contentType: string }) {
      const tree = await loadOrgTree(db);
      const current = await readable(db, actor, tree, id);
      requireManage(actor, current.ownerOrganisationId, tree);
      const stored = await files.put(file.data);
      return db.transaction(async (tx) => {
        const before = await repo.find(tx, id, true);
        if (!before) throw new AppError('DOCUMENT_NOT_FOUND');
        const name = file.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 255) || 'dokument';
        const [after] = await tx
          .update(governingDocuments)
          .set({
            fileName: name,
            fileContentType: file.contentType,
            fileSize: stored.size,
            fileSha256: stored.sha256,
            fileUploadedAt: new Date(),
            fileUploadedBy: actor.id,
            version: sql`${governingDocuments.version} + 1`,
            updatedAt: new Date(),
          })
          .where(eq(governingDocuments.id, id))
          .returning();
        const fileOf = (r: DocumentRow) => (r.fileSha256 ? { name: r.fileName, size: r.fileSize, sha256: r.fileSha256, contentType: r.fileContentType } : null);
        await recordAudit(tx, ctx, { entityType: 'governing_document', entityId: id, action: 'file', before: { file: fileOf(before) }, after: { file: fileOf(after) } });
        return detail(tx, actor, tree, id);
      });
    },

    /** The document's file for someone who may read the document; checked against its SHA-256. */
    async file(actor: Actor, id: string, ctx?: RequestContext) {
      const tree = await loadOrgTree(db);
      const row = await readable(db, actor, tree, id);
      if (!row.fileSha256 || !row.fileName || !row.fileContentType) throw new AppError('DOCUMENT_FILE_NOT_FOUND');
      if (ctx && row.secrecyRef) await logSecretReads(db, ctx, [{ type: 'document', id, how: 'download' }]);
      return { content: await files.get(row.fileSha256), filename: row.fileName, contentType: row.fileContentType };
    },

    /** The public list: documents in force, public fields only. */
    async publicList() {
      const r = await db.execute<{
        id: string; type: string; title: string; owner_name: string; adopted_by_name: string | null; decision_ref: string | null;
        decided_on: string | null; paragraph: number | null; body_short: string | null; body_name: string | null;
        adopted_on: string | null; valid_from: string | null; valid_to: string | null; next_review_on: string | null;
      }>(sql`
        select d.id, d.type, d.title, o.name as owner_name, a.name as adopted_by_name, d.decision_ref,
               dec.decided_on::text as decided_on, dec.paragraph, coalesce(b.short_name, b.name) as body_short, b.name as body_name,
               d.adopted_on::text as adopted_on, d.valid_from::text as valid_from, d.valid_to::text as valid_to, d.next_review_on::text as next_review_on
        from governing_documents d
        join organisations o on o.id = d.owner_organisation_id
        left join organisations a on a.id = d.adopted_by_organisation_id
        left join decisions dec on dec.id = d.decision_id and dec.status = 'decided'
        left join organisations b on b.id = dec.body_organisation_id
        where d.status = 'in_force' and (d.valid_to is null or d.valid_to >= ${today()}::date) and ${documentPublicSql('d')}
        order by d.title, d.id`);
      return {
        items: r.rows.map((d) => ({
          id: d.id,
          type: d.type as GoverningDocument['type'],
          title: d.title,
          ownerName: d.owner_name,
          adoptedByName: d.adopted_by_name,
          decisionRef: d.decision_ref ?? (d.decided_on ? `${d.body_short} ${d.decided_on}${d.paragraph ? ` § ${d.paragraph}` : ''}` : null),
          adoptedOn: d.adopted_on,
          validFrom: d.valid_from,
          validTo: d.valid_to,
          nextReviewOn: d.next_review_on,
        })),
      };
    },
  };
}
export type DocumentService = ReturnType<typeof createDocumentService>;
