import { createHash } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import { followUpReports, planActions } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { allowedActions, can, scopeOf, type Actor, type OrgTree } from '../../lib/policies.ts';
import type { z } from 'zod';
import { reportActions, type Report, type saveReport, type reportQuery } from '../../../shared/schemas/program.ts';
import { actionsRepo } from './program.actions.repo.ts';
import { programsRepo } from './program.programs.repo.ts';
import { reportsRepo } from './program.reports.repo.ts';
import { accessOf, maySeeReportAttachmentSecrets } from '../../access/index.ts';
import { notifyReportReturned } from '../notifications/index.ts';
import { programOrThrow, MAX_ATTACHMENTS, type ProgramPartDeps } from './program.shared.ts';

/** Follow-up reports: an organisation fills in and submits its report; the programme owner may return it. */
export function createReportsPart({ db }: ProgramPartDeps) {
  const toReport = (r: Record<string, unknown>, actor: Actor, tree: OrgTree, ownerOrg: string): Report => ({
    id: r.id as string,
    roundId: r.roundId as string,
    roundName: r.roundName as string,
    roundStatus: r.roundStatus as Report['roundStatus'],
    deadline: r.deadline as string,
    actionId: r.actionId as string,
    actionTitle: r.actionTitle as string,
    organisationId: r.organisationId as string,
    organisationName: r.organisationName as string,
    state: r.state as Report['state'],
    actionStatus: (r.actionStatus as Report['actionStatus']) ?? null,
    progress: (r.progress as number | null) ?? null,
    done: (r.done as string | null) ?? null,
    nextSteps: (r.nextSteps as string | null) ?? null,
    risks: (r.risks as string | null) ?? null,
    returnComment: (r.returnComment as string | null) ?? null,
    submittedAt: r.submittedAt ? new Date(r.submittedAt as string).toISOString() : null,
    previous: r.prevRoundName
      ? { roundName: r.prevRoundName as string, actionStatus: (r.prevActionStatus as Report['actionStatus']) ?? null, progress: (r.prevProgress as number | null) ?? null }
      : null,
    attachments: ((r.attachments as Report['attachments'] | undefined) ?? []).map((a) =>
      a.secrecyRef && !maySeeReportAttachmentSecrets(accessOf(actor, tree), r.organisationId as string, ownerOrg)
        ? { id: a.id, filename: '', contentType: '', size: 0, secrecyRef: a.secrecyRef, hidden: true }
        : a,
    ),
    version: r.version as number,
    allowedActions: [
      ...(r.roundStatus === 'open' && r.state !== 'submitted' && can(actor, 'followup.report', r.organisationId as string, tree) ? (['followup.report'] as const) : []),
      ...allowedActions(actor, ['followup.manage'] as const, ownerOrg, tree),
    ].filter((a) => reportActions.includes(a)),
  });

  /** A report the actor may see: their organisation's (followup.report) or any in a program they manage. */
  async function reportFor(ex: Executor, id: string, actor: Actor, tree: OrgTree) {
    const [r] = await reportsRepo.listReports(ex, { id });
    if (!r) throw new AppError('REPORT_NOT_FOUND');
    const program = await programOrThrow(ex, r.programId as string);
    const manages = can(actor, 'followup.manage', program.ownerOrganisationId, tree);
    if (!manages && !can(actor, 'followup.report', r.organisationId as string, tree)) throw new AppError('REPORT_NOT_FOUND');
    return { r, program, manages };
  }

  /** The report's organisation may write it while the round is open and it is not submitted. */
  function requireEditable(r: Record<string, unknown>, actor: Actor, tree: OrgTree) {
    if (!can(actor, 'followup.report', r.organisationId as string, tree)) throw new AppError('FORBIDDEN');
    if (r.roundStatus !== 'open') throw new AppError('ROUND_CLOSED');
    if (r.state === 'submitted') throw new AppError('REPORT_SUBMITTED');
  }

  return {
    // --- Reports ---
    async listReports(actor: Actor, q: z.infer<typeof reportQuery>) {
      const tree = await loadOrgTree(db);
      const programs = await programsRepo.listPrograms(db);
      const owners = new Map(programs.map((p) => [p.id, p.ownerOrganisationId]));
      // Filtered in SQL: their organisations' reports, and (except for Mina uppgifter) every report of the programs they follow up.
      const managedPrograms = q.mine ? [] : programs.filter((p) => can(actor, 'followup.manage', p.ownerOrganisationId, tree)).map((p) => p.id);
      const rows = await reportsRepo.listReports(db, {
        roundId: q.roundId,
        actionId: q.actionId,
        organisationId: q.organisationId,
        state: q.state,
        openOnly: q.mine,
        scope: scopeOf(actor, 'followup.report', tree),
        managedPrograms,
      });
      return { items: rows.map((r) => toReport(r, actor, tree, owners.get(r.programId as string)!)) };
    },

    async getReport(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      const { r, program } = await reportFor(db, id, actor, tree);
      return toReport(r, actor, tree, program.ownerOrganisationId);
    },

    /** Attaches a file to a report its organisation may still edit. */
    async addAttachment(ctx: RequestContext, actor: Actor, id: string, file: { filename: string; data: Buffer; contentType: string }) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { r, program } = await reportFor(tx, id, actor, tree);
        requireEditable(r, actor, tree);
        if (((r.attachments as unknown[] | undefined) ?? []).length >= MAX_ATTACHMENTS) throw new AppError('TOO_MANY_ATTACHMENTS');
        const sha256 = createHash('sha256').update(file.data).digest('hex');
        const row = (await reportsRepo.insertAttachment(tx, { reportId: id, filename: file.filename.slice(0, 200) || 'bilaga', contentType: file.contentType, size: file.data.length, sha256, content: file.data, uploadedBy: actor.id }))!;
        await recordAudit(tx, ctx, { entityType: 'follow_up_report', entityId: id, action: 'attach', after: row });
        const [fresh] = await reportsRepo.listReports(tx, { id });
        return toReport(fresh, actor, tree, program.ownerOrganisationId);
      });
    },

    async getAttachment(actor: Actor, id: string, attachmentId: string) {
      const tree = await loadOrgTree(db);
      const { r, program } = await reportFor(db, id, actor, tree);
      const a = await reportsRepo.findAttachment(db, id, attachmentId);
      if (!a) throw new AppError('ATTACHMENT_NOT_FOUND');
      // A secrecy-marked attachment exists only for those with the right to its secrets.
      if (a.secrecyRef && !maySeeReportAttachmentSecrets(accessOf(actor, tree), r.organisationId as string, program.ownerOrganisationId)) throw new AppError('ATTACHMENT_NOT_FOUND');
      return a;
    },

    async removeAttachment(ctx: RequestContext, actor: Actor, id: string, attachmentId: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { r, program } = await reportFor(tx, id, actor, tree);
        requireEditable(r, actor, tree);
        const a = await reportsRepo.findAttachment(tx, id, attachmentId);
        if (!a) throw new AppError('ATTACHMENT_NOT_FOUND');
        await reportsRepo.deleteAttachment(tx, attachmentId);
        const { content: _content, ...meta } = a;
        await recordAudit(tx, ctx, { entityType: 'follow_up_report', entityId: id, action: 'detach', before: meta });
        const [fresh] = await reportsRepo.listReports(tx, { id });
        return toReport(fresh, actor, tree, program.ownerOrganisationId);
      });
    },

    async saveReport(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof saveReport>, submit = false) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { r, program } = await reportFor(tx, id, actor, tree);
        requireEditable(r, actor, tree);
        const { version, ...fields } = input;
        const merged = {
          actionStatus: fields.actionStatus !== undefined ? fields.actionStatus : (r.actionStatus as string | null),
          progress: fields.progress !== undefined ? fields.progress : (r.progress as number | null),
        };
        if (submit && (!merged.actionStatus || merged.progress === null || merged.progress === undefined)) {
          const missing = [...(!merged.actionStatus ? [{ path: 'actionStatus', message: 'REQUIRED' }] : []), ...(merged.progress == null ? [{ path: 'progress', message: 'REQUIRED' }] : [])];
          throw new AppError('REPORT_INCOMPLETE', missing);
        }
        const row = await reportsRepo.updateVersioned(tx, followUpReports, id, version, {
          ...fields,
          state: submit ? 'submitted' : 'draft',
          ...(submit ? { submittedAt: new Date(), submittedBy: actor.id } : {}),
        });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'follow_up_report', entityId: id, action: submit ? 'submit' : 'save', before: { state: r.state, actionStatus: r.actionStatus, progress: r.progress }, after: row });
        if (submit) {
          // The submitted report moves the action itself: its status and progress are what the owner reported.
          const action = (await actionsRepo.findAction(tx, r.actionId as string))!;
          const updated = await reportsRepo.updateVersioned(tx, planActions, action.id, action.version, { status: merged.actionStatus!, progress: merged.progress! });
          await recordAudit(tx, ctx, { entityType: 'plan_action', entityId: action.id, action: 'report', before: action, after: updated });
        }
        const [fresh] = await reportsRepo.listReports(tx, { id });
        return toReport(fresh, actor, tree, program.ownerOrganisationId);
      });
    },

    async returnReport(ctx: RequestContext, actor: Actor, id: string, version: number, comment: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { r, program, manages } = await reportFor(tx, id, actor, tree);
        if (!manages) throw new AppError('FORBIDDEN');
        if (r.roundStatus !== 'open') throw new AppError('ROUND_CLOSED');
        if (r.state !== 'submitted') throw new AppError('REPORT_NOT_SUBMITTED');
        const row = await reportsRepo.updateVersioned(tx, followUpReports, id, version, { state: 'returned', returnComment: comment });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'follow_up_report', entityId: id, action: 'return', before: { state: r.state }, after: { state: 'returned', returnComment: comment } });
        const [fresh] = await reportsRepo.listReports(tx, { id });
        // The one who submitted it is told (in the list, and by e-mail if they chose so), in this transaction.
        await notifyReportReturned(tx, { id, actionTitle: fresh.actionTitle as string, roundName: fresh.roundName as string, comment });
        return toReport(fresh, actor, tree, program.ownerOrganisationId);
      });
    },
  };
}
