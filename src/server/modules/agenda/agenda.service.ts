import type { Agenda } from '../../../shared/schemas/agenda.ts';
import type { Db } from '../../db/client.ts';
import { accessOf, actionVisibleSql, activeShareSql, assignmentVisibleSql, documentVisibleSql, incidentVisibleSql } from '../../access/index.ts';
import { loadOrgTree } from '../../lib/context.ts';
import type { Actor } from '../../lib/policies.ts';
import { addDays } from '../../lib/time.ts';
import { agendaRepo as repo } from './agenda.repo.ts';

/** How far ahead a governing document's review counts as "needs you now". */
export const REVIEW_HORIZON_DAYS = 90;

/**
 * The start page's agenda (issue #13 item 6): what needs the person now, gathered from the modules' tables
 * through the access core — each list limited to the organisations on which they hold the action the list is
 * about, and to records the core's visibility rule lets them see.
 */
export function createAgendaService({ db, now }: { db: Db; now?: () => Date }) {
  return {
    async mine(actor: Actor): Promise<Agenda> {
      const tree = await loadOrgTree(db);
      const access = accessOf(actor, tree, now?.());
      const today = access.today;
      const [reports, tasks, fresh, remisses, assignments, reviews] = await Promise.all([
        repo.reportsDue(db, access.scope('followup.report'), actionVisibleSql(access, 'a')),
        repo.incidentTasks(db, actor.id, incidentVisibleSql(access, 'i')),
        repo.newIncidents(db, access.scope('incidents.manage'), incidentVisibleSql(access, 'i')),
        repo.remissesToAnswer(db, access.scope('cases.handle')),
        repo.openAssignments(db, access.scope('cases.handle'), assignmentVisibleSql(access, 'c', 'a')),
        repo.reviewsDue(db, access.scope('documents.manage'), addDays(today, REVIEW_HORIZON_DAYS), documentVisibleSql(access)),
      ]);
      let partner: Agenda['partner'] = null;
      // The partner side: those who see shares but do not share (an administrator holds both and is the sharing side).
      if (access.canSomewhere('shares.view') && !access.canSomewhere('shares.manage')) {
        const shares = await repo.activeShares(db, activeShareSql(access, 's'));
        const root = tree.rootId;
        partner = {
          activeShares: shares.count,
          nextEnding: shares.next_ending,
          contacts: root ? await repo.holdersOf(db, root, 'coordinator') : [],
          municipality: root ? await repo.organisationName(db, root) : '',
        };
      }
      return {
        today,
        reports: reports.map((r) => ({ id: r.id, roundId: r.round_id, roundName: r.round_name, deadline: r.deadline, actionId: r.action_id, actionTitle: r.action_title, organisationName: r.organisation_name, state: r.state })),
        incidentTasks: tasks.map((t) => ({ id: t.id, incidentId: t.incident_id, title: t.title, dueDate: t.due_date, categoryName: t.category_name, categoryKey: t.category_key })),
        newIncidents: fresh,
        remisses: remisses.map((r) => ({ recipientId: r.recipient_id, caseId: r.case_id, registryNumber: r.registry_number, title: r.title, organisationName: r.organisation_name, replyBy: r.reply_by })),
        assignments: assignments.map((a) => ({ id: a.id, caseId: a.case_id, registryNumber: a.registry_number, text: a.text, organisationName: a.organisation_name, dueDate: a.due_date })),
        documentReviews: reviews.map((d) => ({ id: d.id, title: d.title, nextReviewOn: d.next_review_on })),
        partner,
      };
    },
  };
}
export type AgendaService = ReturnType<typeof createAgendaService>;
