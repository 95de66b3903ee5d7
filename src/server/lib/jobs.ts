import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db, Executor } from '../db/client.ts';
import type { jobs } from '../db/schema/index.ts';

export interface EnqueueOptions {
  type: string;
  payload?: unknown;
  /** While a job with this key is pending or running, enqueueing another is a no-op. */
  uniqueKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Adds a job in the caller's transaction, so it exists only if the change that asked for it commits. */
export async function enqueueJob(ex: Executor, opts: EnqueueOptions): Promise<number | null> {
  const res = await ex.execute<{ id: number }>(sql`
    insert into jobs (type, payload, unique_key, run_at, max_attempts)
    values (${opts.type}, ${JSON.stringify(opts.payload ?? {})}::jsonb, ${opts.uniqueKey ?? null},
            ${(opts.runAt ?? new Date()).toISOString()}, ${opts.maxAttempts ?? 5})
    on conflict (unique_key) where status in ('pending', 'running') do nothing
    returning id`);
  return res.rows[0]?.id ?? null;
}

// --- Handlers ---

export type JobRow = typeof jobs.$inferSelect;
export type JobLogger = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/** What a handler gets for one attempt of one job. */
export interface JobContext<P = unknown> {
  /** The stored payload. It is JSON from the database: validate it before trusting its shape. */
  payload: P;
  /** The job as claimed: `attempts` already counts this attempt. */
  job: Readonly<JobRow>;
  /** This is the last attempt the job gets (a failure now marks it failed). */
  isLastAttempt: boolean;
  /** The database handle. Inside `db.transaction(tx => …)` use only `tx` (PGlite has one connection). */
  db: Db;
  config: Config;
  log: JobLogger;
  /** Aborted when the runner is stopping: a long job may stop early and throw to be retried later. */
  signal: AbortSignal;
  /** Records progress (0–100, shown in the admin's job list); also keeps the job's lock fresh. */
  reportProgress(pct: number): Promise<void>;
}

/** Runs one attempt of a job. The value returned is stored as the job's `result` (JSON). Throw to retry. */
export type JobHandler<P = unknown> = (ctx: JobContext<P>) => Promise<unknown> | unknown;

/** Throw this from a handler when retrying cannot help (bad payload, permanent rejection): the job fails at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** A job type and its handler, as a module declares it in its `index.ts` (`jobs: [...]`). */
export interface JobDefinition<P = unknown> {
  type: string;
  handler: JobHandler<P>;
}

/**
 * Names the handler of a job type. Defining registers nothing: the module lists the definition in its
 * `index.ts`, and the boot loop (app.ts) puts it in the app's handler map, refusing duplicates.
 */
export function defineJob<P>(type: string, handler: JobHandler<P>): JobDefinition<P> {
  return { type, handler };
}
