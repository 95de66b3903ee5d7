import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import type { addClause, ClauseInput, createDecision, decide, forwardDecision, reorderClauses, updateClause, updateDecision } from '../../../shared/schemas/decisions.ts';
import { mayHandle, visibleCaseOf } from './cases.core.ts';
import { assignmentsRepo } from './cases.assignments.repo.ts';
import { decisionsRepo as repo } from './cases.decisions.repo.ts';
import { applyEffects, clausesByEffect, validateEffects, type DecisionEffectContext } from './cases.decisions.effects.ts';
import { meetingsRepo } from './cases.meetings.repo.ts';
import {
  decisionProblems,
  isProposal,
  decisionReference,
  detail,
  editableDecision,
  loadDecisions,
  orgInfo,
  requireBody,
  requireOrganisation,
  visibleDecision,
  type DecisionPartDeps,
  type Field,
} from './cases.decisions.shared.ts';

/**
 * Decisions and their att-satser: a case's decisions, drafting (the decision, its clauses and their
 * order), and marking it decided: then it is locked, its att-satser take effect (assignments here;
 * repeal/replace/adopt through the effect handlers other modules declare) and a referral back reopens
 * the case.
 */
export function createDecisionsPart({ db }: DecisionPartDeps) {
  /** The organisations a clause names exist (to-body: a deciding body; assignee: any active organisation). */
  async function checkClause(ex: Executor, tree: OrgTree, c: Partial<ClauseInput>, path: string) {
    if (c.toBodyOrganisationId) await requireBody(ex, tree, c.toBodyOrganisationId, `${path}toBodyOrganisationId`);
    if (c.assigneeOrganisationId) await requireOrganisation(ex, tree, c.assigneeOrganisationId, `${path}assigneeOrganisationId`);
  }

  /** Same body, date and § as another decision: 409 PARAGRAPH_TAKEN. */
  async function checkParagraph(ex: Executor, body: string, date: string | null | undefined, paragraph: number | null | undefined, selfId?: string) {
    if (!date || !paragraph) return;
    if (await repo.paragraphTaken(ex, body, date, paragraph, selfId)) throw new AppError('PARAGRAPH_TAKEN', [{ path: 'paragraph', message: 'PARAGRAPH_TAKEN' }]);
  }

  const clauseValues = (c: Partial<ClauseInput>) => ({
    ...(c.text !== undefined ? { text: c.text } : {}),
    ...(c.toBodyOrganisationId !== undefined ? { toBodyOrganisationId: c.toBodyOrganisationId } : {}),
    ...(c.effect !== undefined ? { effect: c.effect } : {}),
    ...(c.assigneeOrganisationId !== undefined ? { assigneeOrganisationId: c.assigneeOrganisationId } : {}),
    ...(c.dueDate !== undefined ? { dueDate: c.dueDate } : {}),
    ...(c.documentId !== undefined ? { documentId: c.documentId } : {}),
    ...(c.replacementDocumentId !== undefined ? { replacementDocumentId: c.replacementDocumentId } : {}),
    ...(c.condition !== undefined ? { condition: c.condition } : {}),
  });

  return {
    async listForCase(actor: Actor, caseId: string) {
      const tree = await loadOrgTree(db);
      const c = await visibleCaseOf(db, actor, tree, caseId);
      const ids = await repo.decisionIdsOfCase(db, caseId);
      return {
        case: {
          id: c.id,
          registryNumber: c.registryNumber,
          title: c.title,
          status: c.status as 'open' | 'dormant' | 'closed',
          childAssessmentDone: c.concernsChildren !== null && !!c.childAssessment?.trim(),
        },
        items: await loadDecisions(db, ids, actor, tree),
        allowedActions: mayHandle(actor, tree, c) ? ['cases.handle' as const] : [],
      };
    },

    async get(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      await visibleDecision(db, actor, tree, id);
      return detail(db, actor, tree, id);
    },

    async create(ctx: RequestContext, actor: Actor, caseId: string, input: z.infer<typeof createDecision>, opts: { isExample?: boolean } = {}) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const c = await visibleCaseOf(tx, actor, tree, caseId);
        if (!mayHandle(actor, tree, c)) throw new AppError('FORBIDDEN');
        await requireBody(tx, tree, input.bodyOrganisationId, 'bodyOrganisationId');
        for (const [i, k] of (input.clauses ?? []).entries()) await checkClause(tx, tree, k, `clauses.${i}.`);
        await checkParagraph(tx, input.bodyOrganisationId, input.decidedOn, input.paragraph);
        const row = await repo.insertDecision(tx, {
            caseId,
            bodyOrganisationId: input.bodyOrganisationId,
            kind: input.kind,
            title: input.title,
            reason: input.reason ?? null,
            decidedOn: input.decidedOn ?? null,
            paragraph: input.paragraph ?? null,
            createdBy: actor.id,
            isExample: opts.isExample ?? false,
        });
        for (const [i, k] of (input.clauses ?? []).entries())
          await repo.insertClause(tx, { decisionId: row.id, ordinal: i + 1, text: k.text, effect: k.effect ?? 'none', ...clauseValues(k) });
        const out = await detail(tx, actor, tree, row.id);
        await recordAudit(tx, ctx, { entityType: 'decision', entityId: row.id, action: 'create', after: out });
        return out;
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateDecision>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { decision: before } = await editableDecision(tx, actor, tree, id, input.version);
        if (input.bodyOrganisationId) await requireBody(tx, tree, input.bodyOrganisationId, 'bodyOrganisationId');
        const next = {
          bodyOrganisationId: input.bodyOrganisationId ?? before.bodyOrganisationId,
          decidedOn: input.decidedOn !== undefined ? input.decidedOn : before.decidedOn,
          paragraph: input.paragraph !== undefined ? input.paragraph : before.paragraph,
        };
        await checkParagraph(tx, next.bodyOrganisationId, next.decidedOn, next.paragraph, id);
        await repo.updateDecision(tx, id, {
          ...next,
          ...(input.kind ? { kind: input.kind } : {}),
          ...(input.title ? { title: input.title } : {}),
          ...(input.reason !== undefined ? { reason: input.reason } : {}),
        });
        const out = await detail(tx, actor, tree, id);
        await recordAudit(tx, ctx, { entityType: 'decision', entityId: id, action: 'update', before, after: out });
        return out;
      });
    },

    async addClause(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof addClause>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await editableDecision(tx, actor, tree, id, input.version);
        await checkClause(tx, tree, input, '');
        const existing = await repo.clausesOf(tx, id);
        const row = await repo.insertClause(tx, { decisionId: id, ordinal: existing.length + 1, text: input.text, effect: input.effect ?? 'none', ...clauseValues(input) });
        await recordAudit(tx, ctx, { entityType: 'decision_clause', entityId: row.id, action: 'create', after: row });
        return detail(tx, actor, tree, id);
      });
    },

    async updateClause(ctx: RequestContext, actor: Actor, id: string, clauseId: string, input: z.infer<typeof updateClause>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await editableDecision(tx, actor, tree, id, input.version);
        const before = (await repo.clausesOf(tx, id)).find((k) => k.id === clauseId);
        if (!before) throw new AppError('CLAUSE_NOT_FOUND');
        const { version: _v, ...changes } = input;
        await checkClause(tx, tree, changes, '');
        const row = await repo.updateClause(tx, clauseId, clauseValues(changes));
        await recordAudit(tx, ctx, { entityType: 'decision_clause', entityId: clauseId, action: 'update', before, after: row });
        return detail(tx, actor, tree, id);
      });
    },

    async removeClause(ctx: RequestContext, actor: Actor, id: string, clauseId: string, version: number) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await editableDecision(tx, actor, tree, id, version);
        const all = await repo.clausesOf(tx, id);
        const before = all.find((k) => k.id === clauseId);
        if (!before) throw new AppError('CLAUSE_NOT_FOUND');
        await repo.deleteClause(tx, clauseId);
        await repo.renumber(tx, id, all.filter((k) => k.id !== clauseId).map((k) => k.id));
        await recordAudit(tx, ctx, { entityType: 'decision_clause', entityId: clauseId, action: 'delete', before });
        return detail(tx, actor, tree, id);
      });
    },

    async reorderClauses(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof reorderClauses>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await editableDecision(tx, actor, tree, id, input.version);
        const all = await repo.clausesOf(tx, id);
        const same = input.clauseIds.length === all.length && new Set(input.clauseIds).size === all.length && all.every((k) => input.clauseIds.includes(k.id));
        if (!same) throw new AppError('VALIDATION_FAILED', [{ path: 'clauseIds', message: 'INVALID' }]);
        await repo.renumber(tx, id, input.clauseIds);
        await recordAudit(tx, ctx, { entityType: 'decision', entityId: id, action: 'reorder_clauses', before: all.map((k) => k.id), after: input.clauseIds });
        return detail(tx, actor, tree, id);
      });
    },

    /**
     * Marks the decision decided: checks the child assessment, date and §, the att-satser's targets;
     * locks it; records the meeting; creates its assignments and runs the registered effect handlers;
     * a referral back reopens the case. All in one transaction: a refusal saves nothing.
     */
    async decide(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof decide>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { decision: before, case: c } = await editableDecision(tx, actor, tree, id, input.version);
        const clauses = await repo.clausesOf(tx, id);
        const problems = decisionProblems({ kind: before.kind, bodyOrganisationId: before.bodyOrganisationId, childAssessmentDone: c.concernsChildren !== null && !!c.childAssessment?.trim() }, clauses);
        if (problems.some((p) => p.code === 'CHILD_ASSESSMENT_MISSING')) throw new AppError('CHILD_ASSESSMENT_MISSING');
        const decidedOn = input.decidedOn ?? before.decidedOn;
        const paragraph = input.paragraph ?? before.paragraph;
        const missing: Field[] = [];
        if (!decidedOn) missing.push({ path: 'decidedOn', message: 'REQUIRED' });
        if (!paragraph) missing.push({ path: 'paragraph', message: 'REQUIRED' });
        if (missing.length) throw new AppError('VALIDATION_FAILED', missing);
        await checkParagraph(tx, before.bodyOrganisationId, decidedOn, paragraph, id);
        if (problems.some((p) => p.code === 'DECISION_NO_CLAUSES')) throw new AppError('DECISION_NO_CLAUSES');
        const clauseProblems = problems.filter((p) => p.path.startsWith('clauses.'));
        if (clauseProblems.length) throw new AppError(clauseProblems[0].code as 'DOCUMENT_REQUIRED', clauseProblems.map((p) => ({ path: p.path, message: p.code })));

        const meeting = await meetingsRepo.ensure(tx, before.bodyOrganisationId, decidedOn!);
        if (meeting.adjustedOn) throw new AppError('MINUTES_ADJUSTED');
        const decided = await repo.updateDecision(tx, id, { status: 'decided', decidedOn, paragraph, meetingId: meeting.id });

        const body = (await orgInfo(tx, [decided.bodyOrganisationId])).get(decided.bodyOrganisationId)!;
        const effectContext: DecisionEffectContext = {
          ctx,
          caseId: c.id,
          registryNumber: c.registryNumber,
          reference: decisionReference(decided, { name: body.name, shortName: body.short_name }),
        };

        // Only the att-satser the deciding body decides itself take effect; those addressed to another body
        // are proposals, which take effect when that body decides them (after forwarding).
        // Other modules' checks first (e.g. the governing document exists), then the effects.
        const byEffect = clausesByEffect(clauses.filter((k) => !isProposal(k, decided.bodyOrganisationId)));
        await validateEffects(tx, decided, byEffect);
        for (const k of byEffect.get('assignment') ?? []) {
          const a = await assignmentsRepo.insert(tx, { clauseId: k.id, decisionId: id, caseId: c.id, organisationId: k.assigneeOrganisationId!, text: k.text, dueDate: k.dueDate, isExample: decided.isExample });
          await recordAudit(tx, ctx, { entityType: 'assignment', entityId: a.id, action: 'create', after: a });
        }
        await applyEffects(tx, decided, byEffect, effectContext);

        if (decided.kind === 'referral_back') {
          const reopen = c.status !== 'open';
          if (reopen) await repo.reopenCase(tx, c.id);
          // The case's history: the referral back with its reason, and whether it reopened the case.
          await recordAudit(tx, ctx, {
            entityType: 'case',
            entityId: c.id,
            action: 'referral_back',
            before: { status: c.status },
            after: { status: 'open', reopened: reopen, reason: decided.reason, decisionId: id, reference: effectContext.reference },
          });
        }
        const out = await detail(tx, actor, tree, id);
        await recordAudit(tx, ctx, { entityType: 'decision', entityId: id, action: 'decide', before, after: out });
        return out;
      });
    },


    /**
     * Forwards a decided decision's proposals (att-satser addressed to other bodies) to the body that is
     * to take them up next: a draft decision of that body in the same case, prepared by this one. An
     * att-sats addressed to that body becomes its own (it takes effect when that body decides); one
     * addressed further on stays a proposal (KSAU → KS → KF). Conditions and targets come along.
     */
    async forward(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof forwardDecision>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { decision: d, case: c } = await visibleDecision(tx, actor, tree, id, true);
        if (!mayHandle(actor, tree, c)) throw new AppError('FORBIDDEN');
        if (d.status !== 'decided') throw new AppError('DECISION_NOT_DECIDED_FORWARD');
        const body = await requireBody(tx, tree, input.bodyOrganisationId, 'bodyOrganisationId');
        if (input.bodyOrganisationId === d.bodyOrganisationId) throw new AppError('VALIDATION_FAILED', [{ path: 'bodyOrganisationId', message: 'FORWARD_SAME_BODY' }]);
        const proposals = (await repo.clausesOf(tx, id)).filter((k) => isProposal(k, d.bodyOrganisationId));
        if (!proposals.length) throw new AppError('NOTHING_TO_FORWARD');
        if ((await repo.forwardedRows(tx, [id])).some((f) => f.body_name === body.name)) throw new AppError('ALREADY_FORWARDED');
        const from = (await orgInfo(tx, [d.bodyOrganisationId])).get(d.bodyOrganisationId)!;
        const row = await repo.insertDecision(tx, {
          caseId: c.id,
          bodyOrganisationId: input.bodyOrganisationId,
          kind: 'decision',
          title: d.title,
          reason: `Förslag från ${decisionReference(d, { name: from.name, shortName: from.short_name })}.`,
          preparedByDecisionId: id,
          createdBy: actor.id,
          isExample: d.isExample,
        });
        for (const [i, k] of proposals.entries())
          await repo.insertClause(tx, {
            decisionId: row.id,
            ordinal: i + 1,
            text: k.text,
            toBodyOrganisationId: k.toBodyOrganisationId === input.bodyOrganisationId ? null : k.toBodyOrganisationId,
            effect: k.effect,
            assigneeOrganisationId: k.assigneeOrganisationId,
            dueDate: k.dueDate,
            documentId: k.documentId,
            replacementDocumentId: k.replacementDocumentId,
            condition: k.condition,
            proposedFromClauseId: k.id,
          });
        const out = await detail(tx, actor, tree, row.id);
        await recordAudit(tx, ctx, { entityType: 'decision', entityId: row.id, action: 'forward', after: { ...out, preparedByDecisionId: id } });
        return out;
      });
    },
  };
}
