import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { jobs } from '../db/schema/index.ts';
import { PermanentJobError, type JobHandler, type JobLogger, type JobRow } from './jobs.ts';

/** A job the runner enqueues by itself every `everyMs` (once across all runners on the database). */
export interface RecurringJob {
  type: string;
  everyMs: number;
  payload?: unknown;
}

export interface JobRunnerOptions {
  db: Db;
  config: Config;
  log: JobLogger;
  /** Handlers by job type: the app's (`app.contributions.jobHandlers`, collected from the modules at boot). */
  handlers: ReadonlyMap<string, JobHandler> | Record<string, JobHandler>;
  /** Pause between polls when nothing is due; default config.JOBS_POLL_MS. */
  pollMs?: number;
  /** A job marked running without a sign of life for this long is taken to be orphaned (its process died). Default 5 min. */
  staleAfterMs?: number;
  /** Retry delay after the n-th failed attempt: backoffBaseMs × 2^(n−1), at most backoffMaxMs. Defaults 10 s and 1 h. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Jobs enqueued on a schedule: the app's (`app.contributions.recurring`); default none. */
  recurring?: RecurringJob[];
}

export interface JobRunner {
  /** Starts polling (no-op if started). */
  start(): void;
  /** Claims and runs due jobs one after another until none is due; resolves with how many ran. */
  runDue(): Promise<number>;
  /** Stops polling; resolves once the job in progress (if any) has finished and been recorded. */
  stop(): Promise<void>;
}

export function backoffMs(attempts: number, baseMs: number, maxMs: number) {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

const errorText = (err: unknown) => (err instanceof Error ? err.message || err.name : String(err)).slice(0, 4000);
const ms = (n: number) => sql`(${n}::double precision * interval '1 millisecond')`;

export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const { db, config, log } = opts;
  const handlers: ReadonlyMap<string, JobHandler> =
    opts.handlers instanceof Map ? opts.handlers : new Map(Object.entries(opts.handlers));
  const pollMs = opts.pollMs ?? config.JOBS_POLL_MS;
  const staleAfterMs = opts.staleAfterMs ?? 5 * 60_000;
  const heartbeatMs = Math.max(25, Math.floor(staleAfterMs / 4));
  const backoffBaseMs = opts.backoffBaseMs ?? 10_000;
  const backoffMaxMs = opts.backoffMaxMs ?? 60 * 60_000;
  const recurring = opts.recurring ?? [];
  const scheduleEveryMs = Math.min(60_000, ...recurring.map((r) => r.everyMs));

  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let loop: Promise<void> | undefined;
  let draining: Promise<number> | undefined;
  let lastScheduled = 0;
  const abort = new AbortController();

  /** Enqueues each recurring job unless one is pending/running or was created within its interval. */
  async function scheduleRecurring() {
    if (!recurring.length || Date.now() - lastScheduled < scheduleEveryMs) return;
    lastScheduled = Date.now();
    for (const r of recurring) {
      const key = `recurring:${r.type}`;
      await db.execute(sql`
        insert into jobs (type, payload, unique_key)
        select ${r.type}, ${JSON.stringify(r.payload ?? {})}::jsonb, ${key}
        where not exists (
          select 1 from jobs
          where unique_key = ${key} and (status in ('pending', 'running') or created_at > now() - ${ms(r.everyMs)}))
        on conflict (unique_key) where status in ('pending', 'running') do nothing`);
    }
  }

  /** Jobs left running by a process that died: back to pending (or failed, if that was the last attempt). */
  async function recoverStale() {
    const res = await db.execute<{ id: number; status: string }>(sql`
      update jobs set
        status = case when attempts >= max_attempts then 'failed' else 'pending' end,
        finished_at = case when attempts >= max_attempts then now() end,
        last_error = ${`Attempt abandoned: still marked running after ${Math.round(staleAfterMs / 1000)} s without a sign of life (its process probably stopped)`},
        locked_at = null,
        run_at = now()
      where status = 'running' and locked_at < now() - ${ms(staleAfterMs)}
      returning id, status`);
    for (const row of res.rows) log.warn({ jobId: row.id, status: row.status }, 'recovered an abandoned job');
  }

  /** Takes the next due job; FOR UPDATE SKIP LOCKED lets several runners claim side by side without sharing one. */
  async function claim(): Promise<JobRow | undefined> {
    const [job] = await db
      .update(jobs)
      .set({ status: 'running', lockedAt: sql`now()`, attempts: sql`${jobs.attempts} + 1`, progress: null })
      .where(
        sql`${jobs.id} = (
          select id from jobs
          where status = 'pending' and run_at <= now()
          order by run_at, id
          limit 1
          for update skip locked)`,
      )
      .returning();
    return job;
  }

  // Every write after the claim is fenced by `attempts`: if this attempt was abandoned and the job
  // claimed again, these updates match nothing instead of overwriting the newer attempt.
  const ours = (job: JobRow) => and(eq(jobs.id, job.id), eq(jobs.status, 'running'), eq(jobs.attempts, job.attempts));

  async function complete(job: JobRow, result: unknown) {
    let json: string;
    try {
      json = JSON.stringify(result ?? null) ?? 'null';
    } catch {
      json = 'null';
    }
    const done = await db
      .update(jobs)
      .set({ status: 'done', result: sql`${json}::jsonb`, progress: 100, finishedAt: sql`now()`, lockedAt: null })
      .where(ours(job))
      .returning({ id: jobs.id });
    if (!done.length) log.warn({ jobId: job.id, type: job.type }, 'job finished after its attempt had been abandoned; result not recorded');
  }

  async function fail(job: JobRow, err: unknown) {
    const message = errorText(err);
    const final = err instanceof PermanentJobError || job.attempts >= job.maxAttempts;
    if (final) {
      await db.update(jobs).set({ status: 'failed', lastError: message, finishedAt: sql`now()`, lockedAt: null }).where(ours(job));
      log.error({ jobId: job.id, type: job.type, attempts: job.attempts, error: message }, 'job failed');
    } else {
      const delay = backoffMs(job.attempts, backoffBaseMs, backoffMaxMs);
      await db.update(jobs).set({ status: 'pending', lastError: message, lockedAt: null, runAt: sql`now() + ${ms(delay)}` }).where(ours(job));
      log.warn({ jobId: job.id, type: job.type, attempts: job.attempts, retryInMs: delay, error: message }, 'job failed; will retry');
    }
  }

  async function execute(job: JobRow) {
    const handler = handlers.get(job.type);
    if (!handler) {
      await fail(job, new PermanentJobError(`No handler is registered for job type "${job.type}"`));
      return;
    }
    // Heartbeat: a long job keeps its lock fresh so other runners do not take it for abandoned.
    let beating: Promise<unknown> | undefined;
    const touch = () => db.update(jobs).set({ lockedAt: sql`now()` }).where(ours(job));
    const heartbeat = setInterval(() => {
      beating ??= touch()
        .catch((err) => log.warn({ err, jobId: job.id }, 'job heartbeat failed'))
        .finally(() => (beating = undefined));
    }, heartbeatMs);
    heartbeat.unref();
    let lastPct: number | null = null;
    let outcome: { ok: true; result: unknown } | { ok: false; err: unknown };
    try {
      const result = await handler({
        payload: job.payload,
        job,
        isLastAttempt: job.attempts >= job.maxAttempts,
        db,
        config,
        log,
        signal: abort.signal,
        reportProgress: async (pct) => {
          const value = Math.max(0, Math.min(100, Math.round(Number(pct) || 0)));
          if (value === lastPct) return;
          lastPct = value;
          await db.update(jobs).set({ progress: value, lockedAt: sql`now()` }).where(ours(job));
        },
      });
      outcome = { ok: true, result };
    } catch (err) {
      outcome = { ok: false, err };
    } finally {
      clearInterval(heartbeat);
      await beating;
    }
    // Outside the try: if recording the outcome fails (database gone), the job stays running and is recovered later.
    if (outcome.ok) await complete(job, outcome.result);
    else await fail(job, outcome.err);
  }

  async function drain(): Promise<number> {
    await scheduleRecurring();
    await recoverStale();
    let ran = 0;
    while (!stopping) {
      const job = await claim();
      if (!job) break;
      await execute(job);
      ran++;
    }
    return ran;
  }

  function runDue() {
    draining ??= drain().finally(() => (draining = undefined));
    return draining;
  }

  async function tick() {
    timer = undefined;
    try {
      await runDue();
    } catch (err) {
      // The database may be briefly unreachable; the next poll tries again.
      log.error({ err }, 'job runner poll failed');
    }
    if (!stopping) {
      timer = setTimeout(() => (loop = tick()), pollMs);
      timer.unref();
    }
  }

  return {
    start() {
      if (started || stopping) return;
      started = true;
      loop = tick();
    },
    runDue,
    async stop() {
      stopping = true;
      abort.abort();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await loop;
      await draining?.catch(() => {});
    },
  };
}

/** Starts the background runner of the process (main.ts). */
export function startJobRunner(opts: JobRunnerOptions): JobRunner {
  const runner = createJobRunner(opts);
  runner.start();
  return runner;
}
