import { sql } from 'drizzle-orm';
import { defineJob } from './jobs.ts';
import type { RecurringJob } from './job-runner.ts';
import { purgeOldExports } from './exports.ts';

export const MAINTENANCE_JOB = 'maintenance.purge';
/** How often the runner schedules the maintenance job (once across all processes, through a unique key). */
export const MAINTENANCE_EVERY_MS = 60 * 60_000;

/**
 * Removes what is no longer needed: expired sessions, single-use tokens expired a month ago, and
 * finished jobs (done after 14 days, failed after 90 — long enough for an admin to look at them), and
 * generated files after a week.
 */
export const maintenanceJob = defineJob(MAINTENANCE_JOB, async ({ db }) => {
  const sessions = await db.execute(sql`delete from sessions where expires_at < now()`);
  const tokens = await db.execute(sql`delete from user_tokens where expires_at < now() - interval '30 days'`);
  const jobs = await db.execute(sql`
    delete from jobs
    where (status = 'done' and finished_at < now() - interval '14 days')
       or (status = 'failed' and finished_at < now() - interval '90 days')`);
  const exports = await purgeOldExports(db);
  return { sessions: sessions.rowCount ?? 0, tokens: tokens.rowCount ?? 0, jobs: jobs.rowCount ?? 0, exports };
});

/** The maintenance job's schedule; the admin module declares it with the job. */
export const maintenanceRecurring: RecurringJob = { type: MAINTENANCE_JOB, everyMs: MAINTENANCE_EVERY_MS };
