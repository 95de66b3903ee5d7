import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { followUpRounds } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueueJob } from '../../lib/jobs.ts';
import { allowedActions, can, scopeOf, type Actor, type OrgTree } from '../../lib/policies.ts';
import type { z } from 'zod';
import { roundActions, type createRound } from '../../../shared/schemas/program.ts';
import { actionsRepo } from './program.actions.repo.ts';
import { programsRepo } from './program.programs.repo.ts';
import { reportsRepo } from './program.reports.repo.ts';
import { roundsRepo, type RoundRow } from './program.rounds.repo.ts';
import { REMINDER_JOB } from './program.jobs.ts';
import { asSubmittedOnly, programOrThrow, requireOn, type ProgramPartDeps } from './program.shared.ts';
import type { createRollupPart } from './program.rollups.ts';

/** Follow-up rounds: open (with one report per action and reminders), overview, close (with a snapshot). */
export function createRoundsPart({ db, now }: ProgramPartDeps, { rollups }: { rollups: ReturnType<typeof createRollupPart> }) {
  async function roundFor(ex: Executor, id: string) {
    const round = await roundsRepo.findRound(ex, id);
    if (!round) throw new AppError('ROUND_NOT_FOUND');
    return round;
  }

  const toRound = (r: RoundRow, counts: Record<string, number>, overdue: number, actor: Actor, tree: OrgTree, ownerOrg: string) => ({
    id: r.id,
    programId: r.programId,
    name: r.name,
    deadline: r.deadline,
    scopeOrganisationIds: r.scopeOrganisationIds,
    status: r.status as 'open' | 'closed',
    openedAt: r.openedAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
    version: r.version,
    counts: { not_started: counts.not_started ?? 0, draft: counts.draft ?? 0, submitted: counts.submitted ?? 0, returned: counts.returned ?? 0, overdue },
    allowedActions: r.status === 'open' ? allowedActions(actor, roundActions, ownerOrg, tree) : [],
  });

  return {
    // --- Follow-up rounds ---
    async listRounds(actor: Actor, programId?: string) {
      const tree = await loadOrgTree(db);
      const rounds = await roundsRepo.listRounds(db, programId);
      const programs = new Map((await programsRepo.listPrograms(db)).map((p) => [p.id, p]));
      // Counts of every report in the rounds the actor follows up, of their own organisations' elsewhere: two queries in all.
      const manages = (r: RoundRow) => can(actor, 'followup.manage', programs.get(r.programId)!.ownerOrganisationId, tree);
      const managed = rounds.filter(manages).map((r) => r.id);
      const others = rounds.filter((r) => !manages(r)).map((r) => r.id);
      const counts = new Map([...(await roundsRepo.roundCounts(db, managed)), ...(await roundsRepo.roundCounts(db, others, scopeOf(actor, 'followup.report', tree)))]);
      return {
        items: rounds.map((r) => {
          const c = counts.get(r.id) ?? {};
          const overdue = r.status === 'open' && r.deadline < now() ? (c.not_started ?? 0) + (c.draft ?? 0) + (c.returned ?? 0) : 0;
          return toRound(r, c, overdue, actor, tree, programs.get(r.programId)!.ownerOrganisationId);
        }),
      };
    },

    async openRound(ctx: RequestContext, actor: Actor, input: z.infer<typeof createRound>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const program = await programOrThrow(tx, input.programId);
        requireOn(actor, 'followup.manage', program.ownerOrganisationId, tree);
        for (const [i, id] of input.scopeOrganisationIds.entries())
          if (!tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path: `scopeOrganisationIds.${i}`, message: 'ORGANISATION_NOT_FOUND' }]);
        const inScope = input.scopeOrganisationIds.length ? new Set(input.scopeOrganisationIds.flatMap((id) => tree.subtreeOf(id))) : undefined;
        const actions = (await actionsRepo.listActions(tx, { programId: program.id })).filter((a) => a.status !== 'cancelled' && (!inScope || inScope.has(a.responsibleOrganisationId)));
        if (actions.length === 0) throw new AppError('ROUND_EMPTY');
        const round = await roundsRepo.insertRound(tx, { programId: program.id, name: input.name, deadline: input.deadline, scopeOrganisationIds: input.scopeOrganisationIds });
        await roundsRepo.insertReports(tx, actions.map((a) => ({ roundId: round.id, actionId: a.id, organisationId: a.responsibleOrganisationId })));
        await recordAudit(tx, ctx, { entityType: 'follow_up_round', entityId: round.id, action: 'open', after: { ...round, reports: actions.length } });
        // Reminders: a week before the deadline and the day after it (the handler skips what has been submitted).
        const deadline = Date.parse(`${input.deadline}T08:00:00Z`);
        for (const [kind, at] of [['before', deadline - 7 * 86_400_000], ['overdue', deadline + 86_400_000]] as const)
          await enqueueJob(tx, { type: REMINDER_JOB, payload: { roundId: round.id, kind }, uniqueKey: `${REMINDER_JOB}:${round.id}:${kind}`, runAt: new Date(Math.max(at, Date.now())) });
        const counts = { not_started: actions.length };
        return toRound(round, counts, 0, actor, tree, program.ownerOrganisationId);
      });
    },

    async roundOverview(actor: Actor, roundId: string) {
      const tree = await loadOrgTree(db);
      const round = await roundFor(db, roundId);
      const program = await programOrThrow(db, round.programId);
      const scope = can(actor, 'followup.manage', program.ownerOrganisationId, tree) ? undefined : scopeOf(actor, 'followup.report', tree);
      const rows = await roundsRepo.roundOverview(db, roundId, scope);
      const late = round.status === 'open' && round.deadline < now();
      return {
        items: rows.map((r) => ({
          organisationId: r.organisationId as string,
          organisationName: r.organisationName as string,
          total: r.total as number,
          submitted: r.submitted as number,
          draft: r.draft as number,
          returned: r.returned as number,
          notStarted: r.notStarted as number,
          overdue: late && (r.submitted as number) < (r.total as number),
        })),
      };
    },

    async closeRound(ctx: RequestContext, actor: Actor, roundId: string, version: number) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const round = await roundFor(tx, roundId);
        const program = await programOrThrow(tx, round.programId);
        requireOn(actor, 'followup.manage', program.ownerOrganisationId, tree);
        if (round.status === 'closed') throw new AppError('ROUND_CLOSED');
        const snapshot = {
          rollup: await rollups.rollupWith(tx, program, actor),
          // Frozen for the council report: unsent texts stay out of it.
          reports: (await reportsRepo.listReports(tx, { roundId })).map((r) => asSubmittedOnly(r as Parameters<typeof asSubmittedOnly>[0])),
        };
        const row = await roundsRepo.updateVersioned(tx, followUpRounds, roundId, version, { status: 'closed', closedAt: new Date(), snapshot });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'follow_up_round', entityId: roundId, action: 'close', before: { status: 'open' }, after: { status: 'closed' } });
        // Its reminders have nothing left to remind of.
        await tx.execute(sql`delete from jobs where type = ${REMINDER_JOB} and status = 'pending' and payload->>'roundId' = ${roundId}`);
        const counts = (await roundsRepo.roundCounts(tx, [roundId])).get(roundId) ?? {};
        return toRound(row, counts, 0, actor, tree, program.ownerOrganisationId);
      });
    },

  };
}
