import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { createOrganisation, createUser } from '../../../test/helpers/factories.ts';
import { silentLog, sleep, testConfig, waitFor } from '../../../test/helpers/jobs.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { jobs, sessions } from '../db/schema/index.ts';
import { backoffMs, createJobRunner, startJobRunner, type JobRunnerOptions } from './job-runner.ts';
import { enqueueJob, PermanentJobError, type JobHandler } from './jobs.ts';
import { MAINTENANCE_JOB, maintenanceJob, maintenanceRecurring } from './maintenance.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const config = testConfig();

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());
beforeEach(async () => {
  await database.db.execute(sql`delete from jobs`);
});

const runner = (handlers: Record<string, JobHandler>, opts: Partial<JobRunnerOptions> = {}) =>
  createJobRunner({ db: database.db, config, log: silentLog, handlers, recurring: [], ...opts });
const row = async (id: number | null) => {
  const [r] = await database.db.select().from(jobs).where(eq(jobs.id, id!));
  return r;
};
/** Seconds until the job's run_at, as the database sees it. */
const secondsUntilRun = async (id: number) =>
  Number((await database.db.execute<{ s: number }>(sql`select extract(epoch from run_at - now())::float8 as s from jobs where id = ${id}`)).rows[0].s);
const makeDue = (id: number) => database.db.execute(sql`update jobs set run_at = now() where id = ${id}`);

describe('job runner', () => {
  it('claims a due job, passes its payload, records progress and result; leaves future jobs alone', async () => {
    const seenProgress: (number | null)[] = [];
    const r = runner({
      double: async ({ payload, job, reportProgress }) => {
        await reportProgress(40.4);
        seenProgress.push((await row(job.id)).progress);
        return { value: (payload as { n: number }).n * 2, attempt: job.attempts };
      },
    });
    const now = await enqueueJob(database.db, { type: 'double', payload: { n: 21 } });
    const later = await enqueueJob(database.db, { type: 'double', payload: { n: 1 }, runAt: new Date(Date.now() + 3_600_000) });

    expect(await r.runDue()).toBe(1);
    expect(seenProgress).toEqual([40]);
    const done = await row(now);
    expect(done).toMatchObject({ status: 'done', attempts: 1, result: { value: 42, attempt: 1 }, progress: 100, lockedAt: null });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(await row(later)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await r.runDue()).toBe(0);
  });

  it('retries a failing job with exponential backoff, capped, and gives up after max attempts', async () => {
    let calls = 0;
    const r = runner(
      {
        flaky: () => {
          calls++;
          throw new Error(`boom ${calls}`);
        },
      },
      { backoffBaseMs: 60_000, backoffMaxMs: 150_000 },
    );
    const id = (await enqueueJob(database.db, { type: 'flaky', maxAttempts: 4 }))!;

    const expectedDelays = [60, 120, 150]; // base × 2^(n−1), capped at 150 s
    for (const [i, delay] of expectedDelays.entries()) {
      expect(await r.runDue()).toBe(1);
      const j = await row(id);
      expect(j).toMatchObject({ status: 'pending', attempts: i + 1, lastError: `boom ${i + 1}`, lockedAt: null, finishedAt: null });
      const s = await secondsUntilRun(id);
      expect(s).toBeGreaterThan(delay - 5);
      expect(s).toBeLessThanOrEqual(delay + 0.5);
      expect(await r.runDue()).toBe(0); // not due yet
      await makeDue(id);
    }
    expect(await r.runDue()).toBe(1);
    const failed = await row(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 4, lastError: 'boom 4' });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    await makeDue(id);
    expect(await r.runDue()).toBe(0);
    expect(calls).toBe(4);
  });

  it('computes the backoff as base × 2^(attempts−1), at most the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 10_000, 3_600_000))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(backoffMs(30, 10_000, 3_600_000)).toBe(3_600_000);
  });

  it('a job that fails and then succeeds ends done, with its result', async () => {
    let calls = 0;
    const r = runner({ twice: () => (++calls < 3 ? Promise.reject(new Error('not yet')) : { ok: calls }) }, { backoffBaseMs: 0 });
    const id = await enqueueJob(database.db, { type: 'twice', maxAttempts: 5 });
    expect(await r.runDue()).toBe(3);
    expect(await row(id)).toMatchObject({ status: 'done', attempts: 3, result: { ok: 3 } });
  });

  it('fails at once for an unknown job type or a PermanentJobError, with a clear error', async () => {
    const r = runner({ bad: () => Promise.reject(new PermanentJobError('payload is not a report')) });
    const unknown = await enqueueJob(database.db, { type: 'no.such.type', maxAttempts: 5 });
    const bad = await enqueueJob(database.db, { type: 'bad', maxAttempts: 5 });
    expect(await r.runDue()).toBe(2);
    expect(await row(unknown)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'No handler is registered for job type "no.such.type"' });
    expect(await row(bad)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'payload is not a report' });
  });

  it('deduplicates by unique key while a job is pending or running, not after', async () => {
    const fromInside: (number | null)[] = [];
    const r = runner({
      once: async ({ db, job }) => {
        fromInside.push(await enqueueJob(db, { type: 'once', uniqueKey: job.uniqueKey! }));
      },
    });
    const first = await enqueueJob(database.db, { type: 'once', uniqueKey: 'report:7' });
    expect(first).toBeTypeOf('number');
    expect(await enqueueJob(database.db, { type: 'once', uniqueKey: 'report:7' })).toBeNull();
    expect(await enqueueJob(database.db, { type: 'once', uniqueKey: 'report:8' })).toBeTypeOf('number');
    expect(await r.runDue()).toBe(2);
    expect(fromInside).toEqual([null, null]); // each was running, so its own key was taken
    const again = await enqueueJob(database.db, { type: 'once', uniqueKey: 'report:7' });
    expect(again).toBeTypeOf('number');
    expect(again).not.toBe(first);
    const [{ n }] = (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from jobs where unique_key = 'report:7'`)).rows;
    expect(n).toBe(2);
  });

  it('picks up a job left running by a dead process; fails it if that was its last attempt', async () => {
    const ran: number[] = [];
    const r = runner({ work: ({ job }) => void ran.push(job.id) }, { staleAfterMs: 60_000 });
    const orphan = (await enqueueJob(database.db, { type: 'work', maxAttempts: 3 }))!;
    const lastTry = (await enqueueJob(database.db, { type: 'work', maxAttempts: 1 }))!;
    const alive = (await enqueueJob(database.db, { type: 'work', maxAttempts: 3 }))!;
    await database.db.execute(sql`update jobs set status = 'running', attempts = 1, locked_at = now() - interval '10 minutes' where id in (${orphan}, ${lastTry})`);
    await database.db.execute(sql`update jobs set status = 'running', attempts = 1, locked_at = now() - interval '10 seconds' where id = ${alive}`);

    expect(await r.runDue()).toBe(1);
    expect(ran).toEqual([orphan]);
    expect(await row(orphan)).toMatchObject({ status: 'done', attempts: 2 });
    const gaveUp = await row(lastTry);
    expect(gaveUp.status).toBe('failed');
    expect(gaveUp.lastError).toMatch(/still marked running/);
    expect(await row(alive)).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('an abandoned attempt that finishes late does not overwrite the attempt that replaced it', async () => {
    const r = runner({
      slow: async ({ job, db }) => {
        // Meanwhile another runner recovered the job and claimed it again (attempt 2).
        await db.execute(sql`update jobs set attempts = attempts + 1, locked_at = now() where id = ${job.id}`);
        return 'late';
      },
    });
    const id = await enqueueJob(database.db, { type: 'slow' });
    await r.runDue();
    expect(await row(id)).toMatchObject({ status: 'running', attempts: 2, result: null });
  });

  it('keeps a long job alive with a heartbeat, so a second runner does not take it over', async () => {
    let runs = 0;
    const handlers = { long: async () => void (runs++, await sleep(1_200)) };
    const a = runner(handlers, { staleAfterMs: 400 });
    const b = runner(handlers, { staleAfterMs: 400, pollMs: 50 });
    const id = await enqueueJob(database.db, { type: 'long' });
    const first = a.runDue();
    await waitFor(() => runs === 1, { what: 'the job to start' });
    b.start();
    await first;
    await b.stop();
    expect(runs).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('polls by itself, and stop() lets the current job finish, then stops polling', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    let aborted: boolean | undefined;
    const r = startJobRunner({
      db: database.db,
      config,
      log: silentLog,
      pollMs: 50,
      recurring: [],
      handlers: {
        quick: () => 'ok',
        gated: async ({ signal }) => {
          started++;
          await gate;
          aborted = signal.aborted;
          return 'finished';
        },
      },
    });
    const quick = await enqueueJob(database.db, { type: 'quick' });
    await waitFor(async () => (await row(quick)).status === 'done', { what: 'the polled job' });

    const gated = await enqueueJob(database.db, { type: 'gated' });
    await waitFor(() => started === 1, { what: 'the gated job to start' });
    let stopped = false;
    const stopping = r.stop().then(() => (stopped = true));
    await sleep(200);
    expect(stopped).toBe(false); // still waiting for the job in progress
    expect((await row(gated)).status).toBe('running');
    release();
    await stopping;
    expect(aborted).toBe(true); // the handler could see that the runner is stopping
    expect(await row(gated)).toMatchObject({ status: 'done', result: 'finished' });

    const after = await enqueueJob(database.db, { type: 'quick' });
    await sleep(250);
    expect((await row(after)).status).toBe('pending');
  });

  it('two runners on the same database never run the same job (FOR UPDATE SKIP LOCKED)', async () => {
    // On PostgreSQL the second runner has its own connection pool, like a second process would.
    const second: Database = database.kind === 'postgres' ? await openDatabase({ databaseUrl: database.url }) : database;
    try {
      const runsOf = new Map<number, string[]>();
      const handlers = (name: string): Record<string, JobHandler> => ({
        work: async ({ job }) => {
          runsOf.set(job.id, [...(runsOf.get(job.id) ?? []), name]);
          await sleep(Math.random() * 8);
          return name;
        },
      });
      const total = 60;
      for (let i = 0; i < total; i++) await enqueueJob(database.db, { type: 'work', payload: { i } });
      const a = startJobRunner({ db: database.db, config, log: silentLog, handlers: handlers('a'), pollMs: 20, recurring: [] });
      const b = startJobRunner({ db: second.db, config, log: silentLog, handlers: handlers('b'), pollMs: 20, recurring: [] });
      await waitFor(
        async () => (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from jobs where status = 'done'`)).rows[0].n === total,
        { what: 'all jobs to finish', timeoutMs: 30_000 },
      );
      await Promise.all([a.stop(), b.stop()]);
      expect(runsOf.size).toBe(total);
      expect([...runsOf.values()].filter((names) => names.length !== 1)).toEqual([]);
      const byRunner = [...runsOf.values()].flat();
      expect(byRunner.filter((n) => n === 'a').length).toBeGreaterThan(0);
      expect(byRunner.filter((n) => n === 'b').length).toBeGreaterThan(0);

      if (database.kind === 'postgres') {
        // A job row locked by another transaction is skipped, not waited for.
        const locked = (await enqueueJob(database.db, { type: 'work' }))!;
        const free = (await enqueueJob(database.db, { type: 'work' }))!;
        const other = new pg.Client({ connectionString: database.url });
        await other.connect();
        try {
          await other.query('begin');
          await other.query('select id from jobs where id = $1 for update', [locked]);
          const r = createJobRunner({ db: second.db, config, log: silentLog, handlers: handlers('c'), recurring: [] });
          expect(await r.runDue()).toBe(1);
          expect(runsOf.get(free)).toEqual(['c']);
          expect((await row(locked)).status).toBe('pending');
          await other.query('commit');
          expect(await r.runDue()).toBe(1);
          expect(runsOf.get(locked)).toEqual(['c']);
        } finally {
          await other.end();
        }
      } else {
        console.info('[job-runner.test] PGlite is one session: the "row locked by another transaction" part runs only with TEST_DATABASE_URL (PostgreSQL).');
      }
    } finally {
      if (second !== database) await second.close();
    }
  });

  it('schedules the maintenance job once per interval across runners; it purges expired sessions and old jobs', async () => {
    const org = await createOrganisation(database);
    const user = await createUser(database, { homeOrganisationId: org.id });
    const hour = 3_600_000;
    await database.db.insert(sessions).values([
      { tokenHash: `expired-${user.id}`, userId: user.id, expiresAt: new Date(Date.now() - hour) },
      { tokenHash: `valid-${user.id}`, userId: user.id, expiresAt: new Date(Date.now() + hour) },
    ]);
    const oldDone = await enqueueJob(database.db, { type: 'x' });
    const recentDone = await enqueueJob(database.db, { type: 'x' });
    await database.db.execute(sql`update jobs set status = 'done', finished_at = now() - interval '20 days' where id = ${oldDone}`);
    await database.db.execute(sql`update jobs set status = 'done', finished_at = now() - interval '1 day' where id = ${recentDone}`);

    // The maintenance job and its schedule, as the admin module declares them.
    const declared = { handlers: { [maintenanceJob.type]: maintenanceJob.handler }, recurring: [maintenanceRecurring] };
    const a = createJobRunner({ db: database.db, config, log: silentLog, ...declared });
    const b = createJobRunner({ db: database.db, config, log: silentLog, ...declared });
    expect(await a.runDue()).toBe(1);
    expect(await b.runDue()).toBe(0);

    const maintenance = await database.db.select().from(jobs).where(eq(jobs.type, MAINTENANCE_JOB));
    expect(maintenance).toHaveLength(1);
    expect(maintenance[0]).toMatchObject({ status: 'done', uniqueKey: `recurring:${MAINTENANCE_JOB}`, result: { sessions: 1, jobs: 1 } });
    const left = await database.db.select({ tokenHash: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, user.id));
    expect(left.map((s) => s.tokenHash)).toEqual([`valid-${user.id}`]);
    expect(await row(oldDone)).toBeUndefined();
    expect(await row(recentDone)).toMatchObject({ status: 'done' });
  });
});
