import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { assignmentActions, assignments, decisionClauses, decisions, meetings } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { can, scopeOf, type Actor, type OrgTree } from '../../lib/policies.ts';
import {
  DECIDING_TYPES,
  type addClause,
  type Assignment,
  type assignmentQuery,
  type Clause,
  type ClauseInput,
  type createDecision,
  type createMeeting,
  type decide,
  type Decision,
  type meetingQuery,
  type reorderClauses,
  type updateAssignment,
  type updateClause,
  type updateDecision,
} from '../../../shared/schemas/decisions.ts';
import { formatRecordNumber, mayHandle, visibleCaseOf, type CaseRow } from './cases.core.ts';
export { mayHandle } from './cases.core.ts';
import { accessOf, assignmentVisibleSql, caseVisibleSql } from '../../access/index.ts';
import { todayInStockholm } from '../../lib/time.ts';

/**
 * Meetings, decisions and their att-satser (decision clauses), and the assignments (uppdrag) a decided
 * decision gives. A decision is a draft until it is marked decided: then it is locked, its att-satser
 * take effect (assignments here; repeal/replace/adopt through handlers other modules register) and a
 * referral back reopens the case.
 */

export type DecisionRow = typeof decisions.$inferSelect;
export type ClauseRow = typeof decisionClauses.$inferSelect;
export type ClauseEffect = 'none' | 'assignment' | 'repeal' | 'replace' | 'adopt';

// ---------------------------------------------------------------------------------------------
// Effects of a decided decision: the hook other modules register with.
// ---------------------------------------------------------------------------------------------

/** What a handler learns besides the decision and its clauses. */
export interface DecisionEffectContext {
  /** Who marked the decision decided, for the handler's own audit entries. */
  ctx: RequestContext;
  /** The case the decision belongs to. */
  caseId: string;
  registryNumber: string;
  /** "KS 2019-12-04 § 333": the decision as it is cited. */
  reference: string;
}

/**
 * A module's handling of one att-sats effect (repeal, replace, adopt; the documents module registers
 * these). Both functions run inside the transaction that marks the decision decided: throw an
 * AppError to refuse the decision (nothing is saved), return to let it stand.
 */
export interface DecisionEffectHandler {
  /**
   * Called once per decided decision with the clauses that carry this handler's effect (in order).
   * Use only `tx`. Example (documents module): set each clause.documentId's status to 'upphävd' with
   * a link to decision.id.
   */
  onDecided(tx: Executor, decision: DecisionRow, clauses: ClauseRow[], context: DecisionEffectContext): Promise<void> | void;
  /**
   * Optional check before anything is saved, e.g. that clause.documentId exists in the register.
   * Return field problems (path like `clauses.2.documentId`, message an error code); empty = fine.
   */
  validate?(tx: Executor, decision: DecisionRow, clauses: ClauseRow[]): Promise<{ path: string; message: string }[]> | { path: string; message: string }[];
}

const effectHandlers = new Map<ClauseEffect, DecisionEffectHandler[]>();

/**
 * Registers a handler for an att-sats effect ('repeal' | 'replace' | 'adopt'; 'assignment' is built in
 * but may have extra handlers too). Call it at the top level of the module that owns the effect's target.
 * Returns a function that removes the registration (for tests).
 */
export function registerDecisionEffect(effect: Exclude<ClauseEffect, 'none'>, handler: DecisionEffectHandler | DecisionEffectHandler['onDecided']): () => void {
  const h: DecisionEffectHandler = typeof handler === 'function' ? { onDecided: handler } : handler;
  const list = effectHandlers.get(effect) ?? [];
  list.push(h);
  effectHandlers.set(effect, list);
  return () => {
    const i = list.indexOf(h);
    if (i >= 0) list.splice(i, 1);
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers shared with dispatch
// ---------------------------------------------------------------------------------------------

/** Today's date in Stockholm (decisions and records carry dates, not times): lib/time.ts. */
export { todayInStockholm };

/** "KS 2019-12-04 § 333" (or the body's name when it has no short name). */
export function decisionReference(d: { decidedOn: string | null; paragraph: number | null }, body: { name: string; shortName: string | null }) {
  return [body.shortName ?? body.name, d.decidedOn, d.paragraph !== null ? `§ ${d.paragraph}` : null].filter(Boolean).join(' ');
}


type OrgInfo = { id: string; name: string; short_name: string | null; type: string; active: boolean; email: string | null };
export async function orgInfo(ex: Executor, ids: string[]): Promise<Map<string, OrgInfo>> {
  if (!ids.length) return new Map();
  const res = await ex.execute<OrgInfo>(sql`select id, name, short_name, type, active, email from organisations where id = any(${uuids([...new Set(ids)])})`);
  return new Map(res.rows.map((r) => [r.id, r]));
}

/** The decision with its case, if the actor may read the case; else DECISION_NOT_FOUND. */
export async function visibleDecision(ex: Executor, actor: Actor, tree: OrgTree, id: string, lock = false) {
  const v = accessOf(actor, tree);
  const res = await ex.execute<{ id: string }>(sql`select d.id from decisions d join cases c on c.id = d.case_id where d.id = ${id} and ${caseVisibleSql(v)}`);
  if (!res.rows[0]) throw new AppError('DECISION_NOT_FOUND');
  if (lock) await ex.execute(sql`select id from decisions where id = ${id} for update`);
  const d = (await ex.select().from(decisions).where(eq(decisions.id, id)))[0];
  const c = (await ex.query.cases.findFirst({ where: (x, { eq: e }) => e(x.id, d.caseId) }))!;
  return { decision: d, case: c };
}

/** Raises the decision's version if it still is `version` (every change to a decision, its clauses or its dispatch list). */
export async function bumpDecision(ex: Executor, id: string, version: number) {
  const res = await ex.execute<{ id: string }>(sql`update decisions set version = version + 1, updated_at = now() where id = ${id} and version = ${version} returning id`);
  if (!res.rows[0]) throw new AppError('VERSION_CONFLICT');
}

/** Decisions (with clauses and dispatch lists) of the given ids, in the API's shape. */
export async function loadDecisions(ex: Executor, ids: string[], actor: Actor, tree: OrgTree): Promise<Decision[]> {
  if (!ids.length) return [];
  const rows = await ex.execute<{
    id: string; case_id: string; body_organisation_id: string; body_name: string; body_short: string | null; meeting_id: string | null;
    decided_on: string | null; paragraph: number | null; kind: Decision['kind']; status: Decision['status']; title: string; reason: string | null;
    is_example: boolean; version: number; organisation_id: string; registry_organisation_id: string; officer_id: string | null; registry_number: string;
  }>(sql`
    select d.id, d.case_id, d.body_organisation_id, o.name as body_name, o.short_name as body_short, d.meeting_id,
      to_char(d.decided_on, 'YYYY-MM-DD') as decided_on, d.paragraph, d.kind, d.status, d.title, d.reason, d.is_example, d.version,
      c.organisation_id, c.registry_organisation_id, c.officer_id, c.registry_number
    from decisions d join organisations o on o.id = d.body_organisation_id join cases c on c.id = d.case_id
    where d.id = any(${uuids(ids)})
    order by d.decided_on nulls last, d.paragraph nulls last, d.created_at`);
  const clauses = await ex.execute<{
    id: string; decision_id: string; ordinal: number; text: string; to_body_organisation_id: string | null; to_body_name: string | null;
    effect: Clause['effect']; assignee_organisation_id: string | null; assignee_name: string | null; due_date: string | null;
    document_id: string | null; replacement_document_id: string | null; assignment_id: string | null;
  }>(sql`
    select k.id, k.decision_id, k.ordinal, k.text, k.to_body_organisation_id, tb.name as to_body_name, k.effect, k.assignee_organisation_id,
      ao.name as assignee_name, to_char(k.due_date, 'YYYY-MM-DD') as due_date, k.document_id, k.replacement_document_id, a.id as assignment_id
    from decision_clauses k
    left join organisations tb on tb.id = k.to_body_organisation_id
    left join organisations ao on ao.id = k.assignee_organisation_id
    left join assignments a on a.clause_id = k.id
    where k.decision_id = any(${uuids(ids)})
    order by k.ordinal`);
  const entries = await ex.execute<{
    id: string; decision_id: string; kind: 'organisation' | 'file'; organisation_id: string | null; organisation_name: string | null; organisation_email: string | null;
    status: Decision['dispatch'][number]['status']; email: string | null; record_id: string | null; record_seq: number | null; registry_number: string; dispatched_at: Date | null;
  }>(sql`
    select e.id, e.decision_id, e.kind, e.organisation_id, o.name as organisation_name, o.email as organisation_email, e.status, e.email, e.record_id,
      r.seq as record_seq, c.registry_number, e.dispatched_at
    from decision_dispatch_entries e
    join decisions d on d.id = e.decision_id join cases c on c.id = d.case_id
    left join organisations o on o.id = e.organisation_id
    left join case_records r on r.id = e.record_id
    where e.decision_id = any(${uuids(ids)})
    order by e.kind desc, o.name`);
  return rows.rows.map((d) => ({
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
    clauses: clauses.rows
      .filter((k) => k.decision_id === d.id)
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
      })),
    dispatch: entries.rows
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
    version: d.version,
    allowedActions: mayHandle(actor, tree, { organisationId: d.organisation_id, registryOrganisationId: d.registry_organisation_id, officerId: d.officer_id }) ? ['cases.handle' as const] : [],
  }));
}

// ---------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------

type Field = { path: string; message: string };

export function createDecisionService({ db, today = () => todayInStockholm() }: { db: Db; today?: () => string }) {
  async function requireBody(ex: Executor, tree: OrgTree, id: string, path: string) {
    const o = (await orgInfo(ex, [id])).get(id);
    if (!o || !tree.has(id) || !o.active || !(DECIDING_TYPES as readonly string[]).includes(o.type))
      throw new AppError('VALIDATION_FAILED', [{ path, message: 'DECISION_BODY_INVALID' }]);
    return o;
  }

  async function requireOrganisation(ex: Executor, tree: OrgTree, id: string, path: string) {
    const o = (await orgInfo(ex, [id])).get(id);
    if (!o || !tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_NOT_FOUND' }]);
    if (!o.active) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_INACTIVE' }]);
  }

  /** The organisations a clause names exist (to-body: a deciding body; assignee: any active organisation). */
  async function checkClause(ex: Executor, tree: OrgTree, c: Partial<ClauseInput>, path: string) {
    if (c.toBodyOrganisationId) await requireBody(ex, tree, c.toBodyOrganisationId, `${path}toBodyOrganisationId`);
    if (c.assigneeOrganisationId) await requireOrganisation(ex, tree, c.assigneeOrganisationId, `${path}assigneeOrganisationId`);
  }

  /** Same body, date and § as another decision: 409 PARAGRAPH_TAKEN. */
  async function checkParagraph(ex: Executor, body: string, date: string | null | undefined, paragraph: number | null | undefined, selfId?: string) {
    if (!date || !paragraph) return;
    const res = await ex.execute<{ id: string }>(sql`
      select id from decisions where body_organisation_id = ${body} and decided_on = ${date} and paragraph = ${paragraph}
      ${selfId ? sql`and id <> ${selfId}` : sql``} limit 1`);
    if (res.rows[0]) throw new AppError('PARAGRAPH_TAKEN', [{ path: 'paragraph', message: 'PARAGRAPH_TAKEN' }]);
  }

  async function editableDecision(ex: Executor, actor: Actor, tree: OrgTree, id: string, version: number) {
    const found = await visibleDecision(ex, actor, tree, id, true);
    if (!mayHandle(actor, tree, found.case)) throw new AppError('FORBIDDEN');
    if (found.decision.status === 'decided') throw new AppError('DECISION_LOCKED');
    await bumpDecision(ex, id, version);
    return found;
  }

  async function clausesOf(ex: Executor, decisionId: string) {
    return ex.select().from(decisionClauses).where(eq(decisionClauses.decisionId, decisionId)).orderBy(asc(decisionClauses.ordinal));
  }

  /** Rewrites the ordinals 1..n in the given order (two steps, so the unique index never sees a duplicate). */
  async function renumber(ex: Executor, decisionId: string, orderedIds: string[]) {
    await ex.execute(sql`update decision_clauses set ordinal = -ordinal where decision_id = ${decisionId}`);
    for (const [i, id] of orderedIds.entries()) await ex.update(decisionClauses).set({ ordinal: i + 1, updatedAt: new Date() }).where(eq(decisionClauses.id, id));
  }

  const clauseValues = (c: Partial<ClauseInput>) => ({
    ...(c.text !== undefined ? { text: c.text } : {}),
    ...(c.toBodyOrganisationId !== undefined ? { toBodyOrganisationId: c.toBodyOrganisationId } : {}),
    ...(c.effect !== undefined ? { effect: c.effect } : {}),
    ...(c.assigneeOrganisationId !== undefined ? { assigneeOrganisationId: c.assigneeOrganisationId } : {}),
    ...(c.dueDate !== undefined ? { dueDate: c.dueDate } : {}),
    ...(c.documentId !== undefined ? { documentId: c.documentId } : {}),
    ...(c.replacementDocumentId !== undefined ? { replacementDocumentId: c.replacementDocumentId } : {}),
  });

  async function detail(ex: Executor, actor: Actor, tree: OrgTree, id: string) {
    return (await loadDecisions(ex, [id], actor, tree))[0];
  }

  /** Problems that keep an att-sats from taking effect (checked when the decision is marked decided). */
  function clauseProblems(clauses: ClauseRow[]): Field[] {
    const out: Field[] = [];
    clauses.forEach((k, i) => {
      const p = `clauses.${i}.`;
      if (k.effect === 'assignment') {
        if (!k.assigneeOrganisationId) out.push({ path: `${p}assigneeOrganisationId`, message: 'ASSIGNEE_REQUIRED' });
        if (!k.dueDate) out.push({ path: `${p}dueDate`, message: 'DUE_DATE_REQUIRED' });
      }
      if ((k.effect === 'repeal' || k.effect === 'adopt' || k.effect === 'replace') && !k.documentId) out.push({ path: `${p}documentId`, message: 'DOCUMENT_REQUIRED' });
      if (k.effect === 'replace' && !k.replacementDocumentId) out.push({ path: `${p}replacementDocumentId`, message: 'DOCUMENT_REQUIRED' });
    });
    return out;
  }

  async function assignmentRows(ex: Executor, actor: Actor, tree: OrgTree, filter: { id?: string } & Partial<z.infer<typeof assignmentQuery>>): Promise<{ items: Assignment[]; total: number }> {
    const conditions = [
      assignmentVisibleSql(accessOf(actor, tree)),
      filter.id ? sql`a.id = ${filter.id}` : undefined,
      filter.organisationId ? sql`a.organisation_id = any(${uuids(tree.subtreeOf(filter.organisationId))})` : undefined,
      filter.caseId ? sql`a.case_id = ${filter.caseId}` : undefined,
      filter.status ? sql`a.status = ${filter.status}` : undefined,
    ].filter(Boolean);
    const rows = await ex.execute<{
      id: string; clause_id: string; decision_id: string; case_id: string; registry_number: string; case_title: string; body_name: string; body_short: string | null;
      decided_on: string | null; paragraph: number | null; organisation_id: string; organisation_name: string; text: string; due_date: string | null;
      status: Assignment['status']; done_on: string | null; version: number; case_org: string; case_registry_org: string; case_officer: string | null; total: number;
    }>(sql`
      select a.id, a.clause_id, a.decision_id, a.case_id, c.registry_number, c.title as case_title, b.name as body_name, b.short_name as body_short,
        to_char(d.decided_on, 'YYYY-MM-DD') as decided_on, d.paragraph, a.organisation_id, o.name as organisation_name, a.text,
        to_char(a.due_date, 'YYYY-MM-DD') as due_date, a.status, to_char(a.done_on, 'YYYY-MM-DD') as done_on, a.version,
        c.organisation_id as case_org, c.registry_organisation_id as case_registry_org, c.officer_id as case_officer, count(*) over ()::int as total
      from assignments a
      join cases c on c.id = a.case_id
      join decisions d on d.id = a.decision_id
      join organisations b on b.id = d.body_organisation_id
      join organisations o on o.id = a.organisation_id
      where ${sql.join(conditions as ReturnType<typeof sql>[], sql` and `)}
      order by a.status, a.due_date nulls last, c.registry_number
      limit ${filter.limit ?? 100} offset ${filter.offset ?? 0}`);
    const ids = rows.rows.map((r) => r.id);
    const actions = ids.length
      ? await ex.execute<{ assignment_id: string; id: string; title: string; status: string; progress: number }>(sql`
          select aa.assignment_id, p.id, p.title, p.status, p.progress from assignment_actions aa join plan_actions p on p.id = aa.action_id
          where aa.assignment_id = any(${uuids(ids)}) order by p.title`)
      : { rows: [] };
    const now = today();
    return {
      total: rows.rows[0]?.total ?? 0,
      items: rows.rows.map((r) => ({
        id: r.id,
        clauseId: r.clause_id,
        decisionId: r.decision_id,
        caseId: r.case_id,
        registryNumber: r.registry_number,
        caseTitle: r.case_title,
        decisionRef: decisionReference({ decidedOn: r.decided_on, paragraph: r.paragraph }, { name: r.body_name, shortName: r.body_short }),
        organisationId: r.organisation_id,
        organisationName: r.organisation_name,
        text: r.text,
        dueDate: r.due_date,
        status: r.status,
        doneOn: r.done_on,
        overdue: r.status === 'open' && !!r.due_date && r.due_date < now,
        actions: actions.rows.filter((a) => a.assignment_id === r.id).map((a) => ({ id: a.id, title: a.title, status: a.status, progress: a.progress })),
        version: r.version,
        allowedActions:
          can(actor, 'cases.handle', r.organisation_id, tree) || mayHandle(actor, tree, { organisationId: r.case_org, registryOrganisationId: r.case_registry_org, officerId: r.case_officer })
            ? ['cases.handle' as const]
            : [],
      })),
    };
  }

  async function handledAssignment(ex: Executor, actor: Actor, tree: OrgTree, id: string) {
    const { items } = await assignmentRows(ex, actor, tree, { id, limit: 1 });
    if (!items[0]) throw new AppError('ASSIGNMENT_NOT_FOUND');
    if (!items[0].allowedActions.includes('cases.handle')) throw new AppError('FORBIDDEN');
    return items[0];
  }

  return {
    // --- Meetings ---
    async listMeetings(q: z.infer<typeof meetingQuery>) {
      const conditions = [
        q.bodyOrganisationId ? sql`m.body_organisation_id = ${q.bodyOrganisationId}` : undefined,
        q.from ? sql`m.meeting_date >= ${q.from}` : undefined,
        q.to ? sql`m.meeting_date <= ${q.to}` : undefined,
      ].filter(Boolean) as ReturnType<typeof sql>[];
      const res = await db.execute<{ id: string; body_organisation_id: string; body_name: string; meeting_date: string; title: string | null; version: number }>(sql`
        select m.id, m.body_organisation_id, o.name as body_name, to_char(m.meeting_date, 'YYYY-MM-DD') as meeting_date, m.title, m.version
        from meetings m join organisations o on o.id = m.body_organisation_id
        ${conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``}
        order by m.meeting_date desc, o.name limit 500`);
      return {
        items: res.rows.map((m) => ({ id: m.id, bodyOrganisationId: m.body_organisation_id, bodyName: m.body_name, meetingDate: m.meeting_date, title: m.title, version: m.version })),
      };
    },

    async createMeeting(ctx: RequestContext, actor: Actor, input: z.infer<typeof createMeeting>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const body = await requireBody(tx, tree, input.bodyOrganisationId, 'bodyOrganisationId');
        const exists = await tx.select().from(meetings).where(and(eq(meetings.bodyOrganisationId, input.bodyOrganisationId), eq(meetings.meetingDate, input.meetingDate)));
        if (exists[0]) throw new AppError('ALREADY_EXISTS', [{ path: 'meetingDate', message: 'ALREADY_EXISTS' }]);
        const [row] = await tx.insert(meetings).values({ bodyOrganisationId: input.bodyOrganisationId, meetingDate: input.meetingDate, title: input.title ?? null }).returning();
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: row.id, action: 'create', after: row });
        void actor;
        return { id: row.id, bodyOrganisationId: row.bodyOrganisationId, bodyName: body.name, meetingDate: row.meetingDate, title: row.title, version: row.version };
      });
    },

    // --- Decisions ---
    async listForCase(actor: Actor, caseId: string) {
      const tree = await loadOrgTree(db);
      const c = await visibleCaseOf(db, actor, tree, caseId);
      const ids = (await db.select({ id: decisions.id }).from(decisions).where(eq(decisions.caseId, caseId))).map((r) => r.id);
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
        const [row] = await tx
          .insert(decisions)
          .values({
            caseId,
            bodyOrganisationId: input.bodyOrganisationId,
            kind: input.kind,
            title: input.title,
            reason: input.reason ?? null,
            decidedOn: input.decidedOn ?? null,
            paragraph: input.paragraph ?? null,
            createdBy: actor.id,
            isExample: opts.isExample ?? false,
          })
          .returning();
        for (const [i, k] of (input.clauses ?? []).entries())
          await tx.insert(decisionClauses).values({ decisionId: row.id, ordinal: i + 1, text: k.text, effect: k.effect ?? 'none', ...clauseValues(k) });
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
        await tx
          .update(decisions)
          .set({
            ...next,
            ...(input.kind ? { kind: input.kind } : {}),
            ...(input.title ? { title: input.title } : {}),
            ...(input.reason !== undefined ? { reason: input.reason } : {}),
          })
          .where(eq(decisions.id, id));
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
        const existing = await clausesOf(tx, id);
        const [row] = await tx
          .insert(decisionClauses)
          .values({ decisionId: id, ordinal: existing.length + 1, text: input.text, effect: input.effect ?? 'none', ...clauseValues(input) })
          .returning();
        await recordAudit(tx, ctx, { entityType: 'decision_clause', entityId: row.id, action: 'create', after: row });
        return detail(tx, actor, tree, id);
      });
    },

    async updateClause(ctx: RequestContext, actor: Actor, id: string, clauseId: string, input: z.infer<typeof updateClause>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await editableDecision(tx, actor, tree, id, input.version);
        const before = (await clausesOf(tx, id)).find((k) => k.id === clauseId);
        if (!before) throw new AppError('CLAUSE_NOT_FOUND');
        const { version: _v, ...changes } = input;
        await checkClause(tx, tree, changes, '');
        const [row] = await tx
          .update(decisionClauses)
          .set({ ...clauseValues(changes), version: sql`${decisionClauses.version} + 1`, updatedAt: new Date() })
          .where(eq(decisionClauses.id, clauseId))
          .returning();
        await recordAudit(tx, ctx, { entityType: 'decision_clause', entityId: clauseId, action: 'update', before, after: row });
        return detail(tx, actor, tree, id);
      });
    },

    async removeClause(ctx: RequestContext, actor: Actor, id: string, clauseId: string, version: number) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await editableDecision(tx, actor, tree, id, version);
        const all = await clausesOf(tx, id);
        const before = all.find((k) => k.id === clauseId);
        if (!before) throw new AppError('CLAUSE_NOT_FOUND');
        await tx.delete(decisionClauses).where(eq(decisionClauses.id, clauseId));
        await renumber(tx, id, all.filter((k) => k.id !== clauseId).map((k) => k.id));
        await recordAudit(tx, ctx, { entityType: 'decision_clause', entityId: clauseId, action: 'delete', before });
        return detail(tx, actor, tree, id);
      });
    },

    async reorderClauses(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof reorderClauses>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await editableDecision(tx, actor, tree, id, input.version);
        const all = await clausesOf(tx, id);
        const same = input.clauseIds.length === all.length && new Set(input.clauseIds).size === all.length && all.every((k) => input.clauseIds.includes(k.id));
        if (!same) throw new AppError('VALIDATION_FAILED', [{ path: 'clauseIds', message: 'INVALID' }]);
        await renumber(tx, id, input.clauseIds);
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
        if (c.concernsChildren === null || !c.childAssessment?.trim()) throw new AppError('CHILD_ASSESSMENT_MISSING');
        const decidedOn = input.decidedOn ?? before.decidedOn;
        const paragraph = input.paragraph ?? before.paragraph;
        const missing: Field[] = [];
        if (!decidedOn) missing.push({ path: 'decidedOn', message: 'REQUIRED' });
        if (!paragraph) missing.push({ path: 'paragraph', message: 'REQUIRED' });
        if (missing.length) throw new AppError('VALIDATION_FAILED', missing);
        await checkParagraph(tx, before.bodyOrganisationId, decidedOn, paragraph, id);
        const clauses = await clausesOf(tx, id);
        if (before.kind === 'decision' && clauses.length === 0) throw new AppError('DECISION_NO_CLAUSES');
        const problems = clauseProblems(clauses);
        if (problems.length) throw new AppError(problems[0].message as 'DOCUMENT_REQUIRED', problems);

        await tx.execute(sql`insert into meetings (body_organisation_id, meeting_date) values (${before.bodyOrganisationId}, ${decidedOn}) on conflict do nothing`);
        const [meeting] = await tx.select().from(meetings).where(and(eq(meetings.bodyOrganisationId, before.bodyOrganisationId), eq(meetings.meetingDate, decidedOn!)));
        const [decided] = await tx.update(decisions).set({ status: 'decided', decidedOn, paragraph, meetingId: meeting.id }).where(eq(decisions.id, id)).returning();

        const body = (await orgInfo(tx, [decided.bodyOrganisationId])).get(decided.bodyOrganisationId)!;
        const effectContext: DecisionEffectContext = {
          ctx,
          caseId: c.id,
          registryNumber: c.registryNumber,
          reference: decisionReference(decided, { name: body.name, shortName: body.short_name }),
        };

        // Other modules' checks first (e.g. the governing document exists), then the effects.
        const byEffect = new Map<ClauseEffect, ClauseRow[]>();
        for (const k of clauses) byEffect.set(k.effect as ClauseEffect, [...(byEffect.get(k.effect as ClauseEffect) ?? []), k]);
        for (const [effect, list] of byEffect) {
          for (const h of effectHandlers.get(effect) ?? []) {
            const found = (await h.validate?.(tx, decided, list)) ?? [];
            if (found.length) throw new AppError('VALIDATION_FAILED', found);
          }
        }
        for (const k of byEffect.get('assignment') ?? []) {
          const [a] = await tx
            .insert(assignments)
            .values({ clauseId: k.id, decisionId: id, caseId: c.id, organisationId: k.assigneeOrganisationId!, text: k.text, dueDate: k.dueDate, isExample: decided.isExample })
            .returning();
          await recordAudit(tx, ctx, { entityType: 'assignment', entityId: a.id, action: 'create', after: a });
        }
        for (const [effect, list] of byEffect) for (const h of effectHandlers.get(effect) ?? []) await h.onDecided(tx, decided, list, effectContext);

        if (decided.kind === 'referral_back') {
          const reopen = c.status !== 'open';
          if (reopen) await tx.execute(sql`update cases set status = 'open', closed_on = null, version = version + 1, updated_at = now() where id = ${c.id}`);
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

    // --- Assignments ---
    async listAssignments(actor: Actor, q: z.infer<typeof assignmentQuery>) {
      const tree = await loadOrgTree(db);
      return assignmentRows(db, actor, tree, q);
    },

    async updateAssignment(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateAssignment>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await handledAssignment(tx, actor, tree, id);
        const res = await tx
          .update(assignments)
          .set({ status: input.status, doneOn: input.status === 'done' ? (before.doneOn ?? today()) : null, version: sql`${assignments.version} + 1`, updatedAt: new Date() })
          .where(and(eq(assignments.id, id), eq(assignments.version, input.version)))
          .returning();
        if (!res[0]) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'assignment', entityId: id, action: 'update', before, after: res[0] });
        return (await assignmentRows(tx, actor, tree, { id, limit: 1 })).items[0];
      });
    },

    async linkAction(ctx: RequestContext, actor: Actor, id: string, actionId: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await handledAssignment(tx, actor, tree, id);
        // The action must exist and be readable by the actor (program.read on the program's owner or on the responsible organisation).
        const action = await tx.execute<{ owner: string; responsible: string }>(sql`
          select p.owner_organisation_id as owner, a.responsible_organisation_id as responsible
          from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id
          where a.id = ${actionId}`);
        const row = action.rows[0];
        if (!row || !(can(actor, 'program.read', row.owner, tree) || can(actor, 'program.read', row.responsible, tree)))
          throw new AppError('VALIDATION_FAILED', [{ path: 'actionId', message: 'ACTION_NOT_FOUND' }]);
        if (before.actions.some((a) => a.id === actionId)) throw new AppError('ACTION_ALREADY_LINKED');
        await tx.insert(assignmentActions).values({ assignmentId: id, actionId, createdBy: actor.id });
        await recordAudit(tx, ctx, { entityType: 'assignment', entityId: id, action: 'link_action', after: { actionId } });
        return (await assignmentRows(tx, actor, tree, { id, limit: 1 })).items[0];
      });
    },

    async unlinkAction(ctx: RequestContext, actor: Actor, id: string, actionId: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await handledAssignment(tx, actor, tree, id);
        if (!before.actions.some((a) => a.id === actionId)) throw new AppError('ACTION_NOT_FOUND');
        await tx.delete(assignmentActions).where(and(eq(assignmentActions.assignmentId, id), eq(assignmentActions.actionId, actionId)));
        await recordAudit(tx, ctx, { entityType: 'assignment', entityId: id, action: 'unlink_action', before: { actionId } });
        return (await assignmentRows(tx, actor, tree, { id, limit: 1 })).items[0];
      });
    },
  };
}

export type DecisionService = ReturnType<typeof createDecisionService>;
