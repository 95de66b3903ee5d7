import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, PermanentJobError } from '../../lib/jobs.ts';
import { queueMail } from '../../lib/mail.ts';
import { t } from '../../lib/i18n.ts';

export const REMINDER_JOB = 'followup.remind';

const payload = z.object({ roundId: z.uuid(), kind: z.enum(['before', 'overdue']) });

/**
 * Reminds the reporters of every organisation that still has unsubmitted reports in an open round:
 * once a week before the deadline and once the day after it. Users with followup.report on the
 * organisation itself (not through a subtree grant from above: the coordinator is not reminded).
 */
export const reminderJob = defineJob(REMINDER_JOB, async ({ payload: raw, db, config }) => {
  const parsed = payload.safeParse(raw);
  if (!parsed.success) throw new PermanentJobError('Invalid reminder payload');
  const { roundId, kind } = parsed.data;
  return db.transaction(async (tx) => {
    const round = await tx.execute<{ name: string; deadline: string; status: string }>(sql`select name, deadline, status from follow_up_rounds where id = ${roundId}`);
    const r = round.rows[0];
    if (!r || r.status !== 'open') return { sent: 0, reason: 'round not open' };
    const recipients = await tx.execute<{ email: string; name: string; locale: string; organisation_name: string; pending: number }>(sql`
      select u.email, u.name, u.locale, o.name as organisation_name, count(distinct rp.id)::int as pending
      from follow_up_reports rp
      join organisations o on o.id = rp.organisation_id
      join role_grants g on g.organisation_id = rp.organisation_id and g.role in ('reporter', 'officer')
      join users u on u.id = g.user_id and u.active
      where rp.round_id = ${roundId} and rp.state <> 'submitted'
      group by u.email, u.name, u.locale, o.name`);
    for (const u of recipients.rows) {
      const locale = u.locale === 'en' ? 'en' : 'sv';
      const vars = { name: u.name, round: r.name, deadline: r.deadline, organisation: u.organisation_name, count: u.pending, link: `${config.PUBLIC_URL.replace(/\/$/, '')}/mina-uppgifter` };
      await queueMail(tx, {
        to: u.email,
        subject: t(locale, `mail.followupReminder.${kind}.subject`, vars),
        text: t(locale, `mail.followupReminder.${kind}.text`, vars),
      });
    }
    return { sent: recipients.rows.length };
  });
});
