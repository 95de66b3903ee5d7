import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { silentLog, testConfig } from '../../../test/helpers/jobs.ts';
import { deadSmtpUrl, startSmtpServer } from '../../../test/helpers/smtp.ts';
import { jobs, mailOutbox } from '../db/schema/index.ts';
import { createJobRunner, type JobRunnerOptions } from './job-runner.ts';
import { enqueueJob, type JobHandler } from './jobs.ts';
import { mailJob, MAIL_JOB, MAIL_MAX_ATTEMPTS, queueMail } from './mail.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpServer()]);
});
afterAll(async () => {
  await smtp?.close();
  await database?.close();
});
beforeEach(async () => {
  await database.db.execute(sql`delete from jobs; delete from mail_outbox`);
  smtp.messages.length = 0;
});

/** A runner with the mail.send handler, no recurring jobs. */
const runner = (env: Record<string, string>, opts: Partial<JobRunnerOptions> = {}) =>
  createJobRunner({ db: database.db, config: testConfig(env), log: silentLog, handlers: { [mailJob.type]: mailJob.handler as JobHandler }, recurring: [], ...opts });
const jobOf = async (id: number | null) => (await database.db.select().from(jobs).where(eq(jobs.id, id!)))[0];
const outbox = () => database.db.select().from(mailOutbox).orderBy(mailOutbox.id);
const makeDue = (id: number) => database.db.execute(sql`update jobs set run_at = now() where id = ${id}`);

const letter = {
  to: 'anna.andersson@lund.example',
  subject: 'Välkommen till Trygg – åtgärd krävs',
  text: 'Hej Anna!\n\nVälj ditt lösenord här: https://trygg.lund.example/satt-losenord?token=abc123\n\nLänken gäller i 7 dagar. Hälsningar, säkerhetssamordnaren\n',
};

describe('mail.send', () => {
  it('sends through SMTP (with login) from MAIL_FROM, and records the message as sent', async () => {
    const r = runner({ SMTP_URL: smtp.url, MAIL_FROM: 'Trygg Lund <trygg@lund.example>' });
    const id = await queueMail(database.db, letter);
    expect(await r.runDue()).toBe(1);

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail.to).toEqual(['anna.andersson@lund.example']);
    expect(mail.from).toBe('trygg@lund.example');
    expect(mail.user).toBe('trygg');
    expect(mail.headers.from).toContain('Trygg Lund');
    expect(mail.subject).toBe('Välkommen till Trygg – åtgärd krävs');
    expect(mail.text).toContain('Välj ditt lösenord här: https://trygg.lund.example/satt-losenord?token=abc123');
    expect(mail.text).toContain('Hälsningar, säkerhetssamordnaren');

    const job = await jobOf(id);
    expect(job).toMatchObject({ status: 'done', attempts: 1, result: { status: 'sent' } });
    expect((job.result as { messageId: string }).messageId).toMatch(/@/);
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ to: letter.to, subject: letter.subject, text: letter.text, status: 'sent', error: null });
    expect(rows[0].sentAt).toBeInstanceOf(Date);
  });

  it('without SMTP_URL stores the message in the outbox for an administrator', async () => {
    const r = runner({});
    const id = await queueMail(database.db, letter);
    expect(await r.runDue()).toBe(1);
    expect(smtp.messages).toHaveLength(0);
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ to: letter.to, subject: letter.subject, text: letter.text, status: 'stored', sentAt: null });
    expect(await jobOf(id)).toMatchObject({ status: 'done', result: { status: 'stored', outboxId: rows[0].id } });
  });

  it('with the SMTP server down, retries with backoff and after the last attempt records the failure', async () => {
    const r = runner({ SMTP_URL: await deadSmtpUrl() }, { backoffBaseMs: 30_000 });
    const id = (await queueMail(database.db, letter))!;

    expect(await r.runDue()).toBe(1);
    const first = await jobOf(id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(first.runAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(await outbox()).toHaveLength(0); // nothing recorded while retries remain

    for (let attempt = 2; attempt <= MAIL_MAX_ATTEMPTS; attempt++) {
      await makeDue(id);
      expect(await r.runDue()).toBe(1);
    }
    const last = await jobOf(id);
    expect(last).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS });
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ to: letter.to, status: 'failed', sentAt: null });
    expect(rows[0].error).toMatch(/ECONNREFUSED|connect/i);
  });

  it('retries a temporary SMTP rejection (4xx) and gives up at once on a permanent one (5xx)', async () => {
    const busy = await startSmtpServer({ rejectWith: 451 });
    const refusing = await startSmtpServer({ rejectWith: 550 });
    try {
      const temporary = (await queueMail(database.db, letter))!;
      expect(await runner({ SMTP_URL: busy.url }).runDue()).toBe(1);
      expect(await jobOf(temporary)).toMatchObject({ status: 'pending', attempts: 1 });
      expect(await outbox()).toHaveLength(0);

      await database.db.execute(sql`delete from jobs`);
      const permanent = (await queueMail(database.db, letter))!;
      expect(await runner({ SMTP_URL: refusing.url }).runDue()).toBe(1);
      const job = await jobOf(permanent);
      expect(job).toMatchObject({ status: 'failed', attempts: 1 });
      expect(job.lastError).toMatch(/550/);
      const rows = await outbox();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'failed' });
    } finally {
      await Promise.all([busy.close(), refusing.close()]);
    }
  });

  it('fails a job whose payload is not a mail message, without retrying', async () => {
    const id = await enqueueJob(database.db, { type: MAIL_JOB, payload: { to: 'x@lund.example' }, maxAttempts: 5 });
    expect(await runner({}).runDue()).toBe(1);
    const job = await jobOf(id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job.lastError).toMatch(/Invalid mail payload: subject, text/);
    expect(await outbox()).toHaveLength(0);
  });

  it('queues mail in the caller’s transaction: a rollback sends nothing', async () => {
    await database.db
      .transaction(async (tx) => {
        await queueMail(tx, letter);
        throw new Error('rollback');
      })
      .catch(() => {});
    expect(await runner({ SMTP_URL: smtp.url }).runDue()).toBe(0);
    expect(smtp.messages).toHaveLength(0);
  });
});
