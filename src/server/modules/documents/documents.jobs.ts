import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/client.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { t } from '../../lib/i18n.ts';
import { enqueueJob, PermanentJobError, defineJob } from '../../lib/jobs.ts';
import type { RecurringJob } from '../../lib/job-runner.ts';
import { queueMail } from '../../lib/mail.ts';
import { stockholmToday } from './documents.service.ts';

/** Looks for documents whose review date is near; enqueues one reminder per document and review date. */
export const REVIEW_SCAN_JOB = 'documents.review-scan';
export const REVIEW_REMIND_JOB = 'documents.review-remind';

/** The scan runs every hour (cheap: an indexed date range); main.ts adds it to the runner's recurring jobs. */
export function documentsRecurring(): RecurringJob[] {
  return [{ type: REVIEW_SCAN_JOB, everyMs: 60 * 60_000 }];
}

/** Documents in force that are due for a reminder today and have not had one for this review date. */
export async function scanReviews(ex: Executor, opts: { days: number; today?: string }) {
  const today = opts.today ?? stockholmToday();
  const due = await ex.execute<{ id: string; next_review_on: string }>(sql`
    select id, next_review_on::text as next_review_on from governing_documents
    where status = 'in_force' and next_review_on is not null
      and next_review_on - ${opts.days}::int <= ${today}::date
      and review_reminded_for is distinct from next_review_on
    order by next_review_on, id`);
  let queued = 0;
  for (const d of due.rows) {
    const id = await enqueueJob(ex, {
      type: REVIEW_REMIND_JOB,
      payload: { documentId: d.id, reviewOn: d.next_review_on },
      uniqueKey: `${REVIEW_REMIND_JOB}:${d.id}:${d.next_review_on}`,
    });
    if (id !== null) queued++;
  }
  return { due: due.rows.length, queued };
}

export const reviewScanJob = defineJob(REVIEW_SCAN_JOB, async ({ db, config }) => scanReviews(db, { days: config.DOCUMENT_REVIEW_REMINDER_DAYS }));

const remindPayload = z.object({ documentId: z.uuid(), reviewOn: z.iso.date() });

/**
 * Who is reminded: the coordinators granted on the owning organisation itself; if it has none, those of
 * the nearest organisation above it whose grant covers its subtree; if there are none, the owning
 * organisation's own e-mail address.
 */
async function recipients(ex: Executor, ownerId: string): Promise<{ email: string; locale: 'sv' | 'en' }[]> {
  const tree = await loadOrgTree(ex);
  const grants = await ex.execute<{ organisation_id: string; include_subtree: boolean; email: string; locale: string }>(sql`
    select g.organisation_id, g.include_subtree, u.email, u.locale
    from role_grants g join users u on u.id = g.user_id and u.active
    where g.role = 'coordinator'`);
  for (const [depth, orgId] of tree.ancestorsOf(ownerId).entries()) {
    const here = grants.rows.filter((g) => g.organisation_id === orgId && (depth === 0 || g.include_subtree));
    if (here.length) return [...new Map(here.map((g) => [g.email, { email: g.email, locale: g.locale === 'en' ? 'en' : 'sv' } as const])).values()];
  }
  const org = await ex.execute<{ email: string | null }>(sql`select email from organisations where id = ${ownerId}`);
  return org.rows[0]?.email ? [{ email: org.rows[0].email, locale: 'sv' }] : [];
}

export async function sendReviewReminder(ex: Executor, config: Pick<Config, 'PUBLIC_URL'>, payload: unknown) {
  const parsed = remindPayload.safeParse(payload);
  if (!parsed.success) throw new PermanentJobError('Invalid review reminder payload');
  const { documentId, reviewOn } = parsed.data;
  const r = await ex.execute<{ title: string; type: string; status: string; next_review_on: string | null; review_reminded_for: string | null; owner_organisation_id: string; owner_name: string }>(sql`
    select d.title, d.type, d.status, d.next_review_on::text as next_review_on, d.review_reminded_for::text as review_reminded_for,
           d.owner_organisation_id, o.name as owner_name
    from governing_documents d join organisations o on o.id = d.owner_organisation_id
    where d.id = ${documentId} for update of d`);
  const doc = r.rows[0];
  // Repealed, moved to another review date, or already reminded: nothing to send.
  if (!doc || doc.status !== 'in_force' || doc.next_review_on !== reviewOn || doc.review_reminded_for === reviewOn) return { sent: 0 };
  const to = await recipients(ex, doc.owner_organisation_id);
  const link = `${config.PUBLIC_URL.replace(/\/$/, '')}/styrdokument?dokument=${documentId}`;
  for (const u of to) {
    const vars = { title: doc.title, type: t(u.locale, `documents.documentType.${doc.type}`), organisation: doc.owner_name, date: reviewOn, link };
    await queueMail(ex, { to: u.email, subject: t(u.locale, 'documents.reviewReminder.subject', vars), text: t(u.locale, 'documents.reviewReminder.text', vars) });
  }
  await ex.execute(sql`update governing_documents set review_reminded_for = ${reviewOn}::date where id = ${documentId}`);
  return { sent: to.length };
}

export const reviewRemindJob = defineJob(REVIEW_REMIND_JOB, async ({ db, config, payload }) => db.transaction((tx) => sendReviewReminder(tx, config, payload)));
