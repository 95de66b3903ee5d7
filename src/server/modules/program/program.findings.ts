import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { contextOf, loadOrgTree, requireActor } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import { accessOf, actionVisibleSql, lagesbildReportVisibleSql } from '../../access/index.ts';
import { idParams } from '../../../shared/schemas/common.ts';
import { actionFindings, setActionFindings } from '../../../shared/schemas/lagesbild.ts';
import { programsRepo } from './program.programs.repo.ts';
import { programPolicies } from './program.policy.ts';
import { requireOn } from './program.shared.ts';

/**
 * The action plan under Lag 2023:196 answers the lägesbild: each action of a crime-prevention programme
 * (kind `crime_prevention_plan`) links to the findings of the lägesbild reports it answers. The findings are the
 * lägesbild's (read with its rule, lagesbildReportVisibleSql); the link is the action's, set with program.manage
 * on the programme's owner. The report shows which actions follow from each finding.
 */
const CRIME_PREVENTION_KIND = 'crime_prevention_plan';

async function visibleAction(ex: Executor, actor: Actor, tree: OrgTree, id: string) {
  const r = await ex.execute<{ id: string; goal_id: string }>(sql`select a.id, a.goal_id from plan_actions a where a.id = ${id} and ${actionVisibleSql(accessOf(actor, tree), 'a')}`);
  if (!r.rows[0]) throw new AppError('ACTION_NOT_FOUND');
  return r.rows[0];
}

/** The linked findings the actor may read (a finding of a secret report stays out for those who may not read it). */
async function linked(ex: Executor, actor: Actor, tree: OrgTree, actionId: string) {
  const r = await ex.execute<{ id: string; report_id: string; report_title: string; report_status: 'draft' | 'submitted' | 'adopted'; ordinal: number; text: string }>(sql`
    select f.id, f.report_id, l.title as report_title, l.status as report_status, f.ordinal, f.text
    from plan_action_findings paf join lagesbild_findings f on f.id = paf.finding_id join lagesbild_reports l on l.id = f.report_id
    where paf.action_id = ${actionId} and ${lagesbildReportVisibleSql(accessOf(actor, tree), 'l')}
    order by l.period_from desc, f.ordinal`);
  const kind = await ex.execute<{ kind: string }>(sql`
    select p.kind from plan_actions a join goals g on g.id = a.goal_id join focus_areas fa on fa.id = g.focus_area_id join programs p on p.id = fa.program_id where a.id = ${actionId}`);
  return {
    applies: kind.rows[0]?.kind === CRIME_PREVENTION_KIND,
    items: r.rows.map((x) => ({ id: x.id, reportId: x.report_id, reportTitle: x.report_title, reportStatus: x.report_status, ordinal: Number(x.ordinal), text: x.text })),
  };
}

export function createActionFindings({ db }: { db: Db }) {
  return {
    async list(actor: Actor, actionId: string) {
      const tree = await loadOrgTree(db);
      await visibleAction(db, actor, tree, actionId);
      return linked(db, actor, tree, actionId);
    },

    /** Replaces the action's links (the findings the actor cannot read are kept as they are). */
    async set(ctx: RequestContext, actor: Actor, actionId: string, findingIds: string[]) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const action = await visibleAction(tx, actor, tree, actionId);
        const owner = (await programsRepo.programOfGoal(tx, action.goal_id))!;
        requireOn(actor, 'program.manage', owner.owner, tree);
        const kind = await tx.execute<{ kind: string }>(sql`select kind from programs where id = ${owner.program_id}`);
        if (kind.rows[0]?.kind !== CRIME_PREVENTION_KIND) throw new AppError('FINDINGS_NOT_FOR_PLAN');
        const want = [...new Set(findingIds)];
        const readable = want.length
          ? await tx.execute<{ id: string }>(sql`
              select f.id from lagesbild_findings f join lagesbild_reports l on l.id = f.report_id
              where f.id = any(${sql.param(want)}::uuid[]) and ${lagesbildReportVisibleSql(accessOf(actor, tree), 'l')}`)
          : { rows: [] as { id: string }[] };
        const ok = new Set(readable.rows.map((r) => r.id));
        const missing = findingIds.findIndex((id) => !ok.has(id));
        if (missing >= 0) throw new AppError('VALIDATION_FAILED', [{ path: `findingIds.${missing}`, message: 'LAGESBILD_FINDING_NOT_FOUND' }]);
        const before = await linked(tx, actor, tree, actionId);
        await tx.execute(sql`
          delete from plan_action_findings paf using lagesbild_findings f, lagesbild_reports l
          where paf.action_id = ${actionId} and f.id = paf.finding_id and l.id = f.report_id and ${lagesbildReportVisibleSql(accessOf(actor, tree), 'l')}`);
        for (const id of want) await tx.execute(sql`insert into plan_action_findings (action_id, finding_id) values (${actionId}, ${id}) on conflict do nothing`);
        const after = await linked(tx, actor, tree, actionId);
        await recordAudit(tx, ctx, { entityType: 'plan_action', entityId: actionId, action: 'link-findings', before: { findingIds: before.items.map((f) => f.id) }, after: { findingIds: want } });
        return after;
      });
    },
  };
}

const tags = ['Program och uppföljning'];

export function actionFindingRoutes(app: App, { db }: { db: Db }) {
  const findings = createActionFindings({ db });
  app.get(
    '/api/actions/:id/findings',
    { config: { policy: programPolicies.read }, schema: { tags, summary: 'Lägesbildens slutsatser som åtgärden svarar mot', params: idParams, response: { 200: actionFindings, ...errorResponses } } },
    async (req) => findings.list(requireActor(req), req.params.id),
  );
  app.put(
    '/api/actions/:id/findings',
    {
      config: { policy: programPolicies.manage },
      schema: {
        tags,
        summary: 'Koppla åtgärden till lägesbildens slutsatser (bara åtgärder i en brottsförebyggande åtgärdsplan)',
        params: idParams,
        body: setActionFindings,
        response: { 200: actionFindings, ...errorResponses },
      },
    },
    async (req) => findings.set(contextOf(req), requireActor(req), req.params.id, req.body.findingIds),
  );
}
