import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { t } from '../../lib/i18n.ts';
import { defineJob } from '../../lib/jobs.ts';
import type { RecurringJob } from '../../lib/job-runner.ts';
import { queueMail } from '../../lib/mail.ts';
import { addDays, todayInStockholm } from '../../lib/time.ts';
import { shareViews } from './shares.views.ts';

/** Shares that end within this many days are announced to the one who shared them, once. */
export const SHARE_EXPIRY_NOTICE_DAYS = 3;
export const SHARE_EXPIRY_SCAN_JOB = 'shares.expiry-scan';

/** The scan is cheap (an indexed date range): every hour. */
export const sharesRecurring: RecurringJob[] = [{ type: SHARE_EXPIRY_SCAN_JOB, everyMs: 60 * 60_000 }];

/**
 * Announces shares that end soon to the coordinator who made them (e-mail), once per share. Access itself
 * ends when reading after the end date; this only tells the owner side in time to extend or let it end.
 */
export async function announceExpiringShares(ex: Executor, opts: { publicUrl: string; today?: string; days?: number }) {
  const today = opts.today ?? todayInStockholm();
  const until = addDays(today, opts.days ?? SHARE_EXPIRY_NOTICE_DAYS);
  const due = await ex.execute<{ id: string; email: string; locale: string; ends_on: string; partner: string; record_type: keyof typeof shareViews; record_id: string }>(sql`
    select s.id, u.email, u.locale, s.ends_on::text as ends_on, o.name as partner, s.record_type, s.record_id
    from shares s join users u on u.id = s.created_by and u.active join organisations o on o.id = s.partner_organisation_id
    where s.revoked_at is null and s.expiry_notice_on is null and s.ends_on >= ${today}::date and s.ends_on <= ${until}::date
    order by s.ends_on, s.id for update of s`);
  const link = `${opts.publicUrl.replace(/\/$/, '')}/delningar`;
  for (const s of due.rows) {
    const locale = s.locale === 'en' ? 'en' : 'sv';
    const title = (await shareViews[s.record_type].title(ex, s.record_id)) ?? '';
    const vars = { title, partner: s.partner, date: s.ends_on, link };
    await queueMail(ex, { to: s.email, subject: t(locale, 'shares.expiry.subject', vars), text: t(locale, 'shares.expiry.text', vars) });
    await ex.execute(sql`update shares set expiry_notice_on = ${today}::date where id = ${s.id}`);
  }
  return { announced: due.rows.length };
}

export const shareExpiryScanJob = defineJob(SHARE_EXPIRY_SCAN_JOB, async ({ db, config }) =>
  db.transaction((tx) => announceExpiringShares(tx, { publicUrl: config.PUBLIC_URL })),
);
