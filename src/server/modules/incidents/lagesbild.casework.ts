import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import { updateVersioned } from '../../db/helpers.ts';
import { lagesbildFindings, lagesbildReports } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { Locale } from '../../lib/i18n.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import { todayInStockholm } from '../../lib/time.ts';
import { accessOf, lagesbildReportVisibleSql } from '../../access/index.ts';
import { decisionEffect, proposeForDecision, type DecisionEffectHandler } from '../cases/index.ts';
import type { saveFindings, submitLagesbildReport } from '../../../shared/schemas/lagesbild.ts';
import { keepVersion, loadReport, reportData, reportDetail, requireDraft } from './incidents.lagesbild.ts';
import { lt } from './lagesbild.messages.ts';

/**
 * The lägesbild report as casework (Lag 2023:196): it is not adopted by one official but put to a body through
 * a case — registered there as a drawn-up record, with a draft decision of the body whose att-sats
 * ("att fastställa lägesbilden …", effect `adopt_lagesbild`) names it — and the body's decision adopts and
 * freezes it (the decision effect below, declared in the module's index.ts). While it is before the body it
 * cannot be edited (409); it can be taken back to a draft until the body has decided. Also the findings of
 * the analysis, which the action plan's actions link to.
 */
export function createLagesbildCasework({ db, today = todayInStockholm }: { db: Db; today?: () => string }) {
  return {
    /** Put the report to a body: record + draft decision in the case; the report is locked until decided or taken back. */
    async submit(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof submitLagesbildReport>, locale: Locale) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await loadReport(tx, id);
        requireDraft(before);
        const L = (k: string) => lt(locale, k, { title: before.title, from: before.periodFrom, to: before.periodTo });
        const proposal = await proposeForDecision(tx, ctx, actor, tree, {
          caseId: input.caseId,
          bodyOrganisationId: input.bodyOrganisationId,
          // A secret report's record carries its marking, and its title stays out of the case (the period names it).
          recordTitle: before.secrecyRef ? L('recordTitleSecret') : L('recordTitle'),
          recordSecrecyRef: before.secrecyRef,
          recordSecrecyReason: before.secrecyReason,
          decisionTitle: L('decisionTitle'),
          clauseText: L('clauseText'),
          effect: 'adopt_lagesbild',
          today: today(),
        });
        const row = await updateVersioned(tx, lagesbildReports, id, input.version, {
          status: 'submitted',
          caseId: proposal.caseId,
          recordId: proposal.recordId,
          decisionClauseId: proposal.clauseId,
          submittedAt: new Date(),
          submittedBy: actor.id,
          updatedBy: actor.id,
        });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await keepVersion(tx, row, 'submit', actor.id);
        await recordAudit(tx, ctx, { entityType: 'lagesbild_report', entityId: id, action: 'submit', before, after: { ...row, proposal } });
        return reportDetail(tx, actor, tree, row, locale);
      });
    },

    /** Take it back to a draft before the body has decided (the draft decision stays in the case; deciding it is then refused). */
    async withdraw(ctx: RequestContext, actor: Actor, id: string, version: number, locale: Locale) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await loadReport(tx, id);
        if (before.status !== 'submitted') throw new AppError(before.status === 'adopted' ? 'LAGESBILD_REPORT_ADOPTED' : 'LAGESBILD_REPORT_NOT_SUBMITTED');
        const row = await updateVersioned(tx, lagesbildReports, id, version, { status: 'draft', caseId: null, recordId: null, decisionClauseId: null, submittedAt: null, submittedBy: null, updatedBy: actor.id });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await keepVersion(tx, row, 'withdraw', actor.id);
        await recordAudit(tx, ctx, { entityType: 'lagesbild_report', entityId: id, action: 'withdraw', before, after: row });
        return reportDetail(tx, actor, tree, row, locale);
      });
    },

    /**
     * The findings of the analysis, in order (only in a draft): an id keeps a finding and the actions linked to it;
     * a finding left out is removed with its links. Every save is a version of the report.
     */
    async saveFindings(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof saveFindings>, locale: Locale) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await loadReport(tx, id);
        requireDraft(before);
        const existing = await tx.execute<{ id: string; ordinal: number; text: string }>(sql`select id, ordinal, text from lagesbild_findings where report_id = ${id} order by ordinal for update`);
        const known = new Set(existing.rows.map((r) => r.id));
        input.findings.forEach((f, i) => {
          if (f.id && !known.has(f.id)) throw new AppError('VALIDATION_FAILED', [{ path: `findings.${i}.id`, message: 'LAGESBILD_FINDING_NOT_FOUND' }]);
        });
        const kept = new Set(input.findings.map((f) => f.id).filter(Boolean));
        const removed = existing.rows.filter((r) => !kept.has(r.id)).map((r) => r.id);
        const row = await updateVersioned(tx, lagesbildReports, id, input.version, { updatedBy: actor.id });
        if (!row) throw new AppError('VERSION_CONFLICT');
        if (removed.length) {
          await tx.execute(sql`delete from plan_action_findings where finding_id = any(${sql.param(removed)}::uuid[])`);
          await tx.execute(sql`delete from lagesbild_findings where id = any(${sql.param(removed)}::uuid[])`);
        }
        // Move the kept ones out of the way of the unique (report, ordinal) before numbering again.
        await tx.execute(sql`update lagesbild_findings set ordinal = -ordinal where report_id = ${id}`);
        for (const [i, f] of input.findings.entries()) {
          if (f.id) await tx.execute(sql`update lagesbild_findings set ordinal = ${i + 1}, text = ${f.text} where id = ${f.id}`);
          else await tx.insert(lagesbildFindings).values({ reportId: id, ordinal: i + 1, text: f.text });
        }
        await keepVersion(tx, row, 'update', actor.id);
        await recordAudit(tx, ctx, { entityType: 'lagesbild_report', entityId: id, action: 'findings', before: { findings: existing.rows }, after: { findings: input.findings } });
        return reportDetail(tx, actor, tree, row, locale);
      });
    },

    /** Findings an action can be linked to: those of the reports the actor may read, newest report first. */
    async findingOptions(actor: Actor) {
      const access = accessOf(actor, await loadOrgTree(db));
      const r = await db.execute<{ id: string; report_id: string; report_title: string; report_status: 'draft' | 'submitted' | 'adopted'; ordinal: number; text: string }>(sql`
        select f.id, f.report_id, l.title as report_title, l.status as report_status, f.ordinal, f.text
        from lagesbild_findings f join lagesbild_reports l on l.id = f.report_id
        where ${lagesbildReportVisibleSql(access, 'l')}
        order by l.period_from desc, l.created_at desc, f.ordinal`);
      return { items: r.rows.map((x) => ({ id: x.id, reportId: x.report_id, reportTitle: x.report_title, reportStatus: x.report_status, ordinal: Number(x.ordinal), text: x.text })) };
    },
  };
}

type ClauseRow = Parameters<DecisionEffectHandler['onDecided']>[2][number];

/** The report an att-sats adopts: the one that names it, or the att-sats it continues (a proposal forwarded from body to body). */
async function reportOfClause(tx: Executor, clauseId: string) {
  const r = await tx.execute<{ id: string }>(sql`
    with recursive up(id, from_id, depth) as (
      select id, proposed_from_clause_id, 0 from decision_clauses where id = ${clauseId}
      union all select k.id, k.proposed_from_clause_id, up.depth + 1 from decision_clauses k join up on k.id = up.from_id where up.depth < 10)
    select l.id from lagesbild_reports l where l.decision_clause_id in (select id from up) limit 1`);
  return r.rows[0]?.id ?? null;
}

/** Everything the municipality has (the figures of the full version are not the deciding official's view). */
function wholeMunicipality(tree: OrgTree, who: { id: string; name: string }): Actor {
  return { id: who.id, name: who.name, email: '', sessionId: '', grants: tree.rootId ? [{ organisationId: tree.rootId, role: 'admin', includeSubtree: true }] : [] };
}

const problemsOf = async (tx: Executor, clauses: ClauseRow[]) => {
  const out: { path: string; message: string }[] = [];
  for (const k of clauses) {
    const id = await reportOfClause(tx, k.id);
    const status = id ? (await tx.execute<{ status: string }>(sql`select status from lagesbild_reports where id = ${id}`)).rows[0]?.status : null;
    if (status !== 'submitted') out.push({ path: `clauses.${k.ordinal - 1}.effect`, message: 'LAGESBILD_REPORT_NOT_SUBMITTED' });
  }
  return out;
};

/**
 * The decision effect: when the body decides the att-sats, the report is adopted and frozen (both versions of
 * part 1's figures kept as they stand that day), in the decision's own transaction. A report that is not before
 * the body (taken back, or adopted already) refuses the decision.
 */
export const lagesbildDecisionEffect = decisionEffect('adopt_lagesbild', {
  validate: (tx, _decision, clauses) => problemsOf(tx, clauses),
  async onDecided(tx, decision, clauses, context) {
    const tree = await loadOrgTree(tx, { fresh: true });
    const by = context.ctx.actor ?? null;
    for (const k of clauses) {
      const id = await reportOfClause(tx, k.id);
      if (!id) throw new AppError('LAGESBILD_REPORT_NOT_SUBMITTED');
      await tx.execute(sql`select id from lagesbild_reports where id = ${id} for update`);
      const before = await loadReport(tx, id);
      if (before.status !== 'submitted') throw new AppError('LAGESBILD_REPORT_NOT_SUBMITTED');
      const all = wholeMunicipality(tree, by ?? { id: before.updatedBy, name: '' });
      const snapshot = await reportData(tx, all, tree, before.periodFrom, before.periodTo);
      const openSnapshot = await reportData(tx, all, tree, before.periodFrom, before.periodTo, { openOnly: true });
      const row = await updateVersioned(tx, lagesbildReports, id, before.version, {
        status: 'adopted',
        snapshot,
        openSnapshot,
        adoptedAt: new Date(),
        adoptedBy: by?.id ?? null,
        adoptedByDecisionId: decision.id,
        decisionReference: context.reference,
        updatedBy: by?.id ?? before.updatedBy,
      });
      if (!row) throw new AppError('VERSION_CONFLICT');
      await keepVersion(tx, row, 'adopt', by?.id ?? before.updatedBy);
      await recordAudit(tx, context.ctx, { entityType: 'lagesbild_report', entityId: id, action: 'adopt', before, after: { ...row, decisionId: decision.id, reference: context.reference } });
    }
  },
});
