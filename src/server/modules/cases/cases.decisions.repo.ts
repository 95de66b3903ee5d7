import { asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { decisionClauses, decisions } from '../../db/schema/index.ts';
import type { Clause, Decision } from '../../../shared/schemas/decisions.ts';

/**
 * The SQL of decisions, their att-satser (decision clauses) : functions returning typed rows,
 * no rules (who may see or handle a decision is the service parts', through the access core).
 */

export type DecisionRow = typeof decisions.$inferSelect;
export type ClauseRow = typeof decisionClauses.$inferSelect;

export type OrgInfo = { id: string; name: string; short_name: string | null; type: string; active: boolean; email: string | null };

export interface DecisionListRow extends Record<string, unknown> {
  id: string; case_id: string; body_organisation_id: string; body_name: string; body_short: string | null; meeting_id: string | null;
  decided_on: string | null; paragraph: number | null; kind: Decision['kind']; status: Decision['status']; title: string; reason: string | null;
  is_example: boolean; version: number; child_assessment_done: boolean; prepared_by_decision_id: string | null; example_note: string | null; adjusted_on: string | null; immediate_adjustment: boolean;
  prepared_by_reference: string | null; organisation_id: string; registry_organisation_id: string; officer_id: string | null; registry_number: string;
}

export interface ClauseListRow extends Record<string, unknown> {
  id: string; decision_id: string; ordinal: number; text: string; to_body_organisation_id: string | null; to_body_name: string | null;
  effect: Clause['effect']; assignee_organisation_id: string | null; assignee_name: string | null; due_date: string | null;
  document_id: string | null; replacement_document_id: string | null; assignment_id: string | null;
  condition: string | null; proposed_from_clause_id: string | null; lagesbild_report_id: string | null;
}

export interface DispatchListRow extends Record<string, unknown> {
  id: string; decision_id: string; kind: 'organisation' | 'file'; organisation_id: string | null; organisation_name: string | null; organisation_email: string | null;
  status: Decision['dispatch'][number]['status']; email: string | null; record_id: string | null; record_seq: number | null; registry_number: string; dispatched_at: Date | null;
}

export const decisionsRepo = {
  async orgInfo(ex: Executor, ids: string[]): Promise<Map<string, OrgInfo>> {
    if (!ids.length) return new Map();
    const res = await ex.execute<OrgInfo>(sql`select id, name, short_name, type, active, email from organisations where id = any(${uuids([...new Set(ids)])})`);
    return new Map(res.rows.map((r) => [r.id, r]));
  },

  /** The decision's id when its case passes `visible` (the access core's case clause over alias c). */
  async visibleDecisionId(ex: Executor, id: string, visible: SQL): Promise<string | undefined> {
    const res = await ex.execute<{ id: string }>(sql`select d.id from decisions d join cases c on c.id = d.case_id where d.id = ${id} and ${visible}`);
    return res.rows[0]?.id;
  },

  async lockDecision(ex: Executor, id: string) {
    await ex.execute(sql`select id from decisions where id = ${id} for update`);
  },

  async findDecision(ex: Executor, id: string): Promise<DecisionRow | undefined> {
    return (await ex.select().from(decisions).where(eq(decisions.id, id)))[0];
  },

  async findCase(ex: Executor, caseId: string) {
    return ex.query.cases.findFirst({ where: (x, { eq: e }) => e(x.id, caseId) });
  },

  /** Raises the decision's version if it still is `version`; false when it is not. */
  async bumpDecision(ex: Executor, id: string, version: number): Promise<boolean> {
    const res = await ex.execute<{ id: string }>(sql`update decisions set version = version + 1, updated_at = now() where id = ${id} and version = ${version} returning id`);
    return !!res.rows[0];
  },

  async decisionRows(ex: Executor, ids: string[]): Promise<DecisionListRow[]> {
    const rows = await ex.execute<DecisionListRow>(sql`
    select d.id, d.case_id, d.body_organisation_id, o.name as body_name, o.short_name as body_short, d.meeting_id,
      to_char(d.decided_on, 'YYYY-MM-DD') as decided_on, d.paragraph, d.kind, d.status, d.title, d.reason, d.is_example, d.version,
      (c.concerns_children is not null and coalesce(btrim(c.child_assessment), '') <> '') as child_assessment_done, c.organisation_id, c.registry_organisation_id, c.officer_id, c.registry_number,
      d.prepared_by_decision_id, d.example_note, to_char(d.adjusted_on, 'YYYY-MM-DD') as adjusted_on, d.immediate_adjustment,
      case when p.id is not null then concat_ws(' ', coalesce(po.short_name, po.name), to_char(p.decided_on, 'YYYY-MM-DD'), case when p.paragraph is not null then '§ ' || p.paragraph end) end as prepared_by_reference
    from decisions d join organisations o on o.id = d.body_organisation_id join cases c on c.id = d.case_id
    left join decisions p on p.id = d.prepared_by_decision_id left join organisations po on po.id = p.body_organisation_id
    where d.id = any(${uuids(ids)})
    order by d.decided_on nulls last, d.paragraph nulls last, d.created_at`);
    return rows.rows;
  },

  /**
   * The clauses of the decisions, in order. `lagesbildVisible` is the access core's lägesbild-report clause over
   * alias lr: the report an `adopt_lagesbild` att-sats names is given only to a reader who may open it.
   */
  async clauseRows(ex: Executor, ids: string[], lagesbildVisible: SQL = sql`false`): Promise<ClauseListRow[]> {
    const clauses = await ex.execute<ClauseListRow>(sql`
    select k.id, k.decision_id, k.ordinal, k.text, k.to_body_organisation_id, tb.name as to_body_name, k.effect, k.assignee_organisation_id,
      ao.name as assignee_name, to_char(k.due_date, 'YYYY-MM-DD') as due_date, k.document_id, k.replacement_document_id, a.id as assignment_id,
      k.condition, k.proposed_from_clause_id, lr.id as lagesbild_report_id
    from decision_clauses k
    left join organisations tb on tb.id = k.to_body_organisation_id
    left join organisations ao on ao.id = k.assignee_organisation_id
    left join assignments a on a.clause_id = k.id
    left join lagesbild_reports lr on k.effect = 'adopt_lagesbild' and lr.decision_clause_id = k.id and ${lagesbildVisible}
    where k.decision_id = any(${uuids(ids)})
    order by k.ordinal`);
    return clauses.rows;
  },

  async dispatchRows(ex: Executor, ids: string[]): Promise<DispatchListRow[]> {
    const entries = await ex.execute<DispatchListRow>(sql`
    select e.id, e.decision_id, e.kind, e.organisation_id, o.name as organisation_name, o.email as organisation_email, e.status, e.email, e.record_id,
      r.seq as record_seq, c.registry_number, e.dispatched_at
    from decision_dispatch_entries e
    join decisions d on d.id = e.decision_id join cases c on c.id = d.case_id
    left join organisations o on o.id = e.organisation_id
    left join case_records r on r.id = e.record_id
    where e.decision_id = any(${uuids(ids)})
    order by e.kind desc, o.name`);
    return entries.rows;
  },

  /** Decisions made from these decisions' proposals (forwarded), with how they are cited. */
  async forwardedRows(ex: Executor, ids: string[]) {
    const res = await ex.execute<{ id: string; prepared_by_decision_id: string; body_name: string; reference: string; status: Decision['status'] }>(sql`
      select d.id, d.prepared_by_decision_id, o.name as body_name, d.status,
        concat_ws(' ', coalesce(o.short_name, o.name), to_char(d.decided_on, 'YYYY-MM-DD'), case when d.paragraph is not null then '§ ' || d.paragraph end) as reference
      from decisions d join organisations o on o.id = d.body_organisation_id
      where d.prepared_by_decision_id = any(${uuids(ids)}) order by d.created_at`);
    return res.rows;
  },

  async decisionIdsOfCase(ex: Executor, caseId: string): Promise<string[]> {
    return (await ex.select({ id: decisions.id }).from(decisions).where(eq(decisions.caseId, caseId))).map((r) => r.id);
  },

  /** Another decision of the same body with the same date and §, if any. */
  async paragraphTaken(ex: Executor, body: string, date: string, paragraph: number, selfId?: string): Promise<boolean> {
    const res = await ex.execute<{ id: string }>(sql`
      select id from decisions where body_organisation_id = ${body} and decided_on = ${date} and paragraph = ${paragraph}
      ${selfId ? sql`and id <> ${selfId}` : sql``} limit 1`);
    return !!res.rows[0];
  },

  async insertDecision(ex: Executor, values: typeof decisions.$inferInsert): Promise<DecisionRow> {
    const [row] = await ex.insert(decisions).values(values).returning();
    return row;
  },

  async updateDecision(ex: Executor, id: string, values: Partial<typeof decisions.$inferInsert>): Promise<DecisionRow> {
    const [row] = await ex.update(decisions).set(values).where(eq(decisions.id, id)).returning();
    return row;
  },

  async clausesOf(ex: Executor, decisionId: string): Promise<ClauseRow[]> {
    return ex.select().from(decisionClauses).where(eq(decisionClauses.decisionId, decisionId)).orderBy(asc(decisionClauses.ordinal));
  },

  async insertClause(ex: Executor, values: typeof decisionClauses.$inferInsert): Promise<ClauseRow> {
    const [row] = await ex.insert(decisionClauses).values(values).returning();
    return row;
  },

  async updateClause(ex: Executor, id: string, values: Partial<typeof decisionClauses.$inferInsert>): Promise<ClauseRow> {
    const [row] = await ex
      .update(decisionClauses)
      .set({ ...values, version: sql`${decisionClauses.version} + 1`, updatedAt: new Date() })
      .where(eq(decisionClauses.id, id))
      .returning();
    return row;
  },

  async deleteClause(ex: Executor, id: string) {
    await ex.delete(decisionClauses).where(eq(decisionClauses.id, id));
  },

  /** Rewrites the ordinals 1..n in the given order (two steps, so the unique index never sees a duplicate). */
  async renumber(ex: Executor, decisionId: string, orderedIds: string[]) {
    await ex.execute(sql`update decision_clauses set ordinal = -ordinal where decision_id = ${decisionId}`);
    for (const [i, id] of orderedIds.entries()) await ex.update(decisionClauses).set({ ordinal: i + 1, updatedAt: new Date() }).where(eq(decisionClauses.id, id));
  },

  async reopenCase(ex: Executor, caseId: string) {
    await ex.execute(sql`update cases set status = 'open', closed_on = null, version = version + 1, updated_at = now() where id = ${caseId}`);
  },
};
