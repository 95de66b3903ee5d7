import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { Block } from '../../lib/documents/model.ts';
import type { Locale } from '../../lib/i18n.ts';
import { actionVisibleSql, type Access } from '../../access/index.ts';
import { lt } from './lagesbild.messages.ts';

/**
 * The findings of a lägesbild report (its analysis's conclusions) with the action plan's actions that answer
 * them (plan_action_findings, set from the action's side). An action is named only to those who may see it
 * (the access core's actionVisibleSql); the others are counted.
 */
export interface FindingOut {
  id: string;
  ordinal: number;
  text: string;
  actions: { id: string; title: string; status: string; programId: string; programTitle: string }[];
  hiddenActions: number;
}

export async function findingsOf(ex: Executor, access: Access, reportId: string): Promise<FindingOut[]> {
  const f = await ex.execute<{ id: string; ordinal: number; text: string }>(sql`select id, ordinal, text from lagesbild_findings where report_id = ${reportId} order by ordinal`);
  if (!f.rows.length) return [];
  const ids = f.rows.map((r) => r.id);
  const a = await ex.execute<{ finding_id: string; id: string; title: string; status: string; program_id: string; program_title: string; visible: boolean }>(sql`
    select paf.finding_id, a.id, a.title, a.status, p.id as program_id, p.title as program_title, ${actionVisibleSql(access, 'a')} as visible
    from plan_action_findings paf
    join plan_actions a on a.id = paf.action_id
    join goals g on g.id = a.goal_id
    join focus_areas fa on fa.id = g.focus_area_id
    join programs p on p.id = fa.program_id
    where paf.finding_id = any(${sql.param(ids)}::uuid[])
    order by p.title, a.title`);
  return f.rows.map((r) => {
    const mine = a.rows.filter((x) => x.finding_id === r.id);
    return {
      id: r.id,
      ordinal: Number(r.ordinal),
      text: r.text,
      actions: mine.filter((x) => x.visible).map((x) => ({ id: x.id, title: x.title, status: x.status, programId: x.program_id, programTitle: x.program_title })),
      hiddenActions: mine.filter((x) => !x.visible).length,
    };
  });
}

/** The findings as the document shows them: numbered, each with the actions that follow from it. */
export function findingBlocks(findings: Pick<FindingOut, 'ordinal' | 'text' | 'actions' | 'hiddenActions'>[], locale: Locale): Block[] {
  if (!findings.length) return [];
  const L = (k: string, v?: Record<string, string | number>) => lt(locale, k, v);
  const blocks: Block[] = [{ type: 'heading', level: 2, text: L('findings') }];
  for (const f of findings) {
    blocks.push({ type: 'paragraph', text: `${f.ordinal}. ${f.text}` });
    const names = f.actions.map((a) => `${a.title} (${a.programTitle})`);
    blocks.push({ type: 'paragraph', text: names.length ? L('findingActions', { list: names.join('; ') }) : L('findingNoActions'), muted: !names.length });
    if (f.hiddenActions) blocks.push({ type: 'paragraph', text: L('findingHidden', { count: f.hiddenActions }), muted: true });
  }
  return blocks;
}

/** Where a report stands in its case: the record, the decision that is to adopt it (the last body its proposal reached). */
export async function decisionInfo(
  ex: Executor,
  row: { caseId: string | null; recordId: string | null; decisionClauseId: string | null; adoptedByDecisionId: string | null; decisionReference: string | null },
) {
  if (!row.caseId) return null;
  const c = await ex.execute<{ registry_number: string; seq: number | null }>(sql`
    select c.registry_number, (select r.seq from case_records r where r.id = ${row.recordId}) as seq from cases c where c.id = ${row.caseId}`);
  if (!c.rows[0]) return null;
  let d: { id: string; status: 'draft' | 'decided'; decided_on: string | null; paragraph: number | null; name: string; short_name: string | null } | undefined;
  if (row.decisionClauseId) {
    const r = await ex.execute<NonNullable<typeof d>>(sql`
      with recursive chain(id, depth) as (
        select ${row.decisionClauseId}::uuid, 0
        union all select k.id, chain.depth + 1 from decision_clauses k join chain on k.proposed_from_clause_id = chain.id where chain.depth < 10)
      select d.id, d.status, d.decided_on::text as decided_on, d.paragraph, o.name, o.short_name
      from chain join decision_clauses k on k.id = chain.id join decisions d on d.id = k.decision_id join organisations o on o.id = d.body_organisation_id
      order by chain.depth desc limit 1`);
    d = r.rows[0];
  }
  const reference = row.decisionReference ?? (d && d.status === 'decided' ? [d.short_name ?? d.name, d.decided_on, d.paragraph !== null ? `§ ${d.paragraph}` : null].filter(Boolean).join(' ') : null);
  return {
    caseId: row.caseId,
    registryNumber: c.rows[0].registry_number,
    recordNumber: c.rows[0].seq !== null ? `${c.rows[0].registry_number}-${c.rows[0].seq}` : null,
    decisionId: row.adoptedByDecisionId ?? d?.id ?? null,
    bodyName: d?.name ?? null,
    decisionStatus: row.adoptedByDecisionId ? ('decided' as const) : (d?.status ?? null),
    reference,
  };
}
