import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { PermanentJobError, defineJob } from '../../lib/jobs.ts';
import { queueMail } from '../../lib/mail.ts';
import { t, type Locale } from '../../lib/i18n.ts';
import { roleAllows } from '../../lib/policies.ts';
import { ROLES } from '../../../shared/roles.ts';

export const REMISS_REMIND_JOB = 'remiss.remind';

const payload = z.object({ roundId: z.uuid(), replyBy: z.iso.date(), kind: z.enum(['before', 'overdue']) });
const HANDLER_ROLES = ROLES.filter((r) => roleAllows(r, 'cases.handle'));

/**
 * Reminds the recipients of an open round who have not answered and whose reply date is `replyBy`:
 * N days before it (REMISS_REMINDER_DAYS_BEFORE) and the day after it. External recipients are mailed
 * at the round's address for them (their personal link is not stored, only its hash: the mail points to
 * the first message, and the handläggare can issue a new link); internal ones at the organisation's
 * address and its handlers (a handling role granted on the organisation itself), with a link to Trygg.
 */
export const remissRemindJob = defineJob(REMISS_REMIND_JOB, async ({ payload: raw, db, config }) => {
  const parsed = payload.safeParse(raw);
  if (!parsed.success) throw new PermanentJobError('Invalid remiss reminder payload');
  const { roundId, replyBy, kind } = parsed.data;
  return db.transaction(async (tx) => {
    const round = await tx.execute<{ title: string; status: string; registry_number: string }>(sql`
      select o.title, o.status, c.registry_number from remiss_rounds o join cases c on c.id = o.case_id where o.id = ${roundId}`);
    const r = round.rows[0];
    if (!r || r.status !== 'open') return { sent: 0, reason: 'round not open' };
    const pending = await tx.execute<{ organisation_id: string; name: string; channel: string; email: string | null }>(sql`
      select p.organisation_id, g.name, p.channel, p.email from remiss_recipients p join organisations g on g.id = p.organisation_id
      where p.round_id = ${roundId} and p.reply_by = ${replyBy} and p.status = 'pending'`);
    const base = config.PUBLIC_URL.replace(/\/$/, '');
    let sent = 0;
    for (const p of pending.rows) {
      const to = new Map<string, Locale>();
      if (p.email) to.set(p.email.toLowerCase(), 'sv');
      if (p.channel === 'internal') {
        const handlers = await tx.execute<{ email: string; locale: string }>(sql`
          select distinct u.email, u.locale from role_grants g join users u on u.id = g.user_id and u.active
          where g.organisation_id = ${p.organisation_id} and g.role = any(${sql.param([...HANDLER_ROLES])}::text[])`);
        for (const h of handlers.rows) if (!to.has(h.email.toLowerCase())) to.set(h.email.toLowerCase(), h.locale === 'en' ? 'en' : 'sv');
      }
      for (const [addr, locale] of to) {
        const how = p.channel === 'link' ? t(locale, 'remiss.mail.howLink') : t(locale, 'remiss.mail.howInternal', { link: `${base}/remisser` });
        const vars = { title: r.title, registryNumber: r.registry_number, organisation: p.name, replyBy, how };
        await queueMail(tx, { to: addr, subject: t(locale, `remiss.mail.${kind}.subject`, vars), text: t(locale, `remiss.mail.${kind}.text`, vars) });
        sent++;
      }
    }
    return { sent };
  });
});
