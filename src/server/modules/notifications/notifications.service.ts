import { AppError } from '../../lib/errors.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { queueMail } from '../../lib/mail.ts';
import { t, type Locale } from '../../lib/i18n.ts';
import type { Actor } from '../../lib/policies.ts';
import type { Db, Executor } from '../../db/client.ts';
import { accessOf, actionVisibleSql, assignmentVisibleSql, documentVisibleSql, incidentVisibleSql } from '../../access/index.ts';
import { addDays, stockholmDate } from '../../lib/time.ts';
import { agendaRepo, REVIEW_HORIZON_DAYS } from '../agenda/index.ts';
import { hashToken, newToken, usersRepo } from '../users/index.ts';
import {
  EMAIL_KINDS,
  NOTIFICATION_EMAIL_DEFAULTS,
  type Notification,
  type NotificationList,
  type NotificationSettings,
} from '../../../shared/schemas/notifications.ts';
import { notificationsRepo as repo } from './notifications.repo.ts';
import { buildCalendar } from './notifications.ical.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

/** The kinds a user has chosen to get by e-mail (the defaults until they choose). */
async function emailKindsOf(ex: Executor, userId: string): Promise<string[]> {
  return (await repo.emailKinds(ex, userId)) ?? [...NOTIFICATION_EMAIL_DEFAULTS];
}

/**
 * "Your follow-up report was returned": one event for the one who submitted it, written in the caller's
 * transaction (program.reports.ts, returnReport), and an e-mail if they want this kind by e-mail. The mail
 * names only what they could already see: their own report's action and the round.
 */
export async function notifyReportReturned(ex: Executor, report: { id: string; actionTitle: string; roundName: string; comment: string }) {
  const to = await repo.submitterOf(ex, report.id);
  if (!to) return;
  await repo.insert(ex, { userId: to.id, kind: 'report_returned', recordType: 'follow_up_report', recordId: report.id });
  if (!(await emailKindsOf(ex, to.id)).includes('report_returned')) return;
  const locale = to.locale === 'en' ? 'en' : 'sv';
  const vars = { action: report.actionTitle, round: report.roundName, comment: report.comment };
  await queueMail(ex, { to: to.email, subject: t(locale, 'notifications.mail.reportReturned.subject', vars), text: t(locale, 'notifications.mail.reportReturned.text', vars) });
}

/**
 * The notification list (issue #11 item 8): what needs the person now, derived from the agenda's sources
 * (each through the access core, for the action the list is about), plus stored events read through their
 * record. Read marks are per user; a derived item's id is "<source>:<uuid>".
 */
export function createNotificationService({ db, now }: { db: Db; now?: () => Date }) {
  /** Everything for the actor, unread state included; `at` fixes "today" for tests. */
  async function gather(ex: Executor, actor: Actor, locale: Locale): Promise<NotificationList> {
    const tree = await loadOrgTree(ex);
    const access = accessOf(actor, tree, now?.());
    const today = access.today;
    const [reports, tasks, workEnvironment, remisses, assignments, reviews, returned, readKeys] = await Promise.all([
      agendaRepo.reportsDue(ex, access.scope('followup.report'), actionVisibleSql(access, 'a')),
      agendaRepo.incidentTasks(ex, actor.id, incidentVisibleSql(access, 'i')),
      agendaRepo.workEnvironmentDue(ex, actor.id, access.scope('incidents.manage'), incidentVisibleSql(access, 'i')),
      agendaRepo.remissesToAnswer(ex, access.scope('cases.handle')),
      agendaRepo.openAssignments(ex, access.scope('cases.handle'), assignmentVisibleSql(access, 'c', 'a')),
      agendaRepo.reviewsDue(ex, access.scope('documents.manage'), addDays(today, REVIEW_HORIZON_DAYS), documentVisibleSql(access)),
      repo.returnedReports(ex, actor.id, access.scope('followup.report'), actionVisibleSql(access, 'a')),
      repo.readKeys(ex, actor.id),
    ]);
    const late = (due: string | null, kind: Notification['kind']) => (due && due < today ? 'overdue' : kind);
    const derived: Omit<Notification, 'read'>[] = [
      ...reports.map((r) => ({ id: `report:${r.id}`, kind: late(r.deadline, 'deadline'), subject: 'follow_up_report' as const, recordId: r.id, title: r.action_title, detail: `${r.round_name} · ${r.organisation_name}`, dueOn: r.deadline, at: null })),
      ...tasks.map((x) => ({ id: `task:${x.id}`, kind: late(x.due_date, 'assignment'), subject: 'incident_task' as const, recordId: x.incident_id, title: x.title, detail: x.category_name, dueOn: x.due_date, at: null })),
      // The duty runs by the hour ("utan dröjsmål"): overdue once its moment has passed, shown on its Stockholm date.
      ...workEnvironment.map((w) => {
        const due = new Date(w.due_at);
        const title = t(locale, 'notifications.workEnvironment', { category: w.category_name });
        return { id: `workenv:${w.id}`, kind: due < (now?.() ?? new Date()) ? ('overdue' as const) : ('deadline' as const), subject: 'work_environment_report' as const, recordId: w.incident_id, title, detail: w.category_name, dueOn: stockholmDate(due), at: null };
      }),
      ...remisses.map((r) => ({ id: `remiss:${r.recipient_id}`, kind: late(r.reply_by, 'deadline'), subject: 'remiss' as const, recordId: r.case_id, title: `${r.registry_number} ${r.title}`, detail: r.organisation_name, dueOn: r.reply_by, at: null })),
      ...assignments.map((a) => ({ id: `assignment:${a.id}`, kind: late(a.due_date, 'assignment'), subject: 'assignment' as const, recordId: a.case_id, title: a.text, detail: `${a.registry_number} · ${a.organisation_name}`, dueOn: a.due_date, at: null })),
      ...reviews.map((d) => ({ id: `review:${d.id}`, kind: late(d.next_review_on, 'reminder'), subject: 'governing_document' as const, recordId: d.id, title: d.title, detail: '', dueOn: d.next_review_on, at: null })),
    ];
    const items: Notification[] = [
      ...returned.map((n) => ({
        id: n.id,
        kind: 'report_returned' as const,
        subject: 'follow_up_report' as const,
        recordId: n.report_id,
        title: n.action_title,
        detail: [n.round_name, n.organisation_name, n.return_comment].filter(Boolean).join(' · '),
        dueOn: n.deadline,
        at: iso(n.created_at),
        read: n.read_at !== null,
      })),
      ...derived.sort((a, b) => (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999')).map((d) => ({ ...d, read: readKeys.has(d.id) })),
    ];
    return { today, unread: items.filter((i) => !i.read).length, items };
  }

  return {
    list: (actor: Actor, locale: Locale = 'sv') => gather(db, actor, locale),

    /** Marks one of the actor's own notifications read; anyone else's (or one they cannot see) is a 404. */
    async markRead(actor: Actor, id: string) {
      if (!id.includes(':')) {
        if (!(await repo.markStoredRead(db, actor.id, id))) throw new AppError('NOTIFICATION_NOT_FOUND');
        return;
      }
      const mine = await gather(db, actor, 'sv');
      if (!mine.items.some((i) => i.id === id)) throw new AppError('NOTIFICATION_NOT_FOUND');
      await repo.markKeysRead(db, actor.id, [id]);
    },

    async markAllRead(actor: Actor) {
      const mine = await gather(db, actor, 'sv');
      const unread = mine.items.filter((i) => !i.read);
      await db.transaction(async (tx) => {
        await repo.markStoredReadMany(tx, actor.id, unread.filter((i) => !i.id.includes(':')).map((i) => i.id));
        await repo.markKeysRead(tx, actor.id, unread.filter((i) => i.id.includes(':')).map((i) => i.id));
      });
    },

    async settings(actor: Actor) {
      const kinds = await emailKindsOf(db, actor.id);
      return { emailKinds: EMAIL_KINDS.filter((k) => kinds.includes(k)), available: [...EMAIL_KINDS] };
    },

    async saveSettings(actor: Actor, body: NotificationSettings) {
      await repo.setEmailKinds(db, actor.id, [...new Set(body.emailKinds)]);
      return this.settings(actor);
    },

    async calendarState(actor: Actor) {
      const row = await repo.calendarToken(db, actor.id);
      return { active: !!row, createdAt: row ? iso(row.createdAt) : null };
    },

    /** A new secret address (the old one, if any, stops working). Only its hash is kept. */
    async rotateCalendarToken(actor: Actor, publicUrl: string) {
      const token = newToken();
      const row = await repo.setCalendarToken(db, actor.id, hashToken(token));
      return { token, url: `${publicUrl.replace(/\/$/, '')}/api/calendar/${token}.ics`, createdAt: iso(row.createdAt) };
    },

    async revokeCalendarToken(actor: Actor) {
      if (!(await repo.deleteCalendarToken(db, actor.id))) throw new AppError('CALENDAR_NOT_FOUND');
    },

    /**
     * The feed for a token, fetched without a session: the token's user, if active, becomes the actor with
     * their grants now, and sees only the deadlines the access core lets them see at this request.
     */
    async feed(token: string): Promise<string> {
      const userId = await repo.userOfCalendarToken(db, hashToken(token));
      const actor = userId ? await usersRepo.actorById(db, userId, 'calendar') : undefined;
      if (!actor) throw new AppError('CALENDAR_NOT_FOUND');
      const list = await gather(db, actor, actor.locale === 'en' ? 'en' : 'sv');
      return buildCalendar(
        list.items.filter((i) => i.dueOn && i.kind !== 'report_returned').map((i) => ({ uid: `${i.id}@trygg`, date: i.dueOn!, summary: i.title, description: i.detail, kind: i.kind })),
        actor.locale,
      );
    },
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
