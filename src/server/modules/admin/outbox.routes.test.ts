import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { startSmtpServer } from '../../../../test/helpers/smtp.ts';
import { createJobRunner } from '../../lib/job-runner.ts';
import { expectError } from '../../../../test/helpers/http.ts';

const NEW_PASSWORD = 'Ett-helt-nytt-lösenord-7';

/** The job runner of the app under test, run on demand. */
const runnerOf = (ctx: TestContext) => createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] });

async function invite(ctx: TestContext, admin: string, email: string) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { cookie: admin },
    payload: { email, name: 'Inbjuden Testperson', homeOrganisationId: await orgId(ctx.database, 'son') },
  });
  expect(res.statusCode).toBe(201);
}

const tokenIn = (text: string, base: string) => {
  const escaped = base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`${escaped}/satt-losenord\\?token=([\\w-]+)`).exec(text);
  if (!m) throw new Error(`no set-password link to ${base} in:\n${text}`);
  return m[1];
};

/** Sets the password with the token, signs in with it, and checks that the token cannot be used again. */
async function acceptInvitation(ctx: TestContext, email: string, token: string) {
  const before = await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password: NEW_PASSWORD } });
  expect(before.statusCode).toBe(401);

  const set = await ctx.app.inject({ method: 'POST', url: '/api/auth/set-password', payload: { token, newPassword: NEW_PASSWORD } });
  expect(set.statusCode).toBe(200);
  const cookie = await signIn(ctx.app, email, NEW_PASSWORD);
  const me = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
  expect(me.statusCode).toBe(200);
  expect(me.json().user).toMatchObject({ email, mustChangePassword: false });

  const reuse = await ctx.app.inject({ method: 'POST', url: '/api/auth/set-password', payload: { token, newPassword: 'Ett-annat-lösenord-99' } });
  expectError(reuse, 400, 'TOKEN_INVALID');
}

describe('outbox without SMTP', () => {
  let ctx: TestContext;
  let admin: string;
  beforeAll(async () => {
    ctx = await createTestApp();
    admin = await signIn(ctx.app, 'admin@lund.example');
  });
  afterAll(() => ctx?.close());

  it('an invitation is stored in the outbox, readable by an admin, and its link sets the password once', async () => {
    const email = 'inbjuden.outbox@lund.example';
    await invite(ctx, admin, email);

    // Queued, not yet handled: the outbox is still empty.
    const empty = await ctx.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: { cookie: admin } });
    expect(empty.json().items.filter((m: { to: string }) => m.to === email)).toEqual([]);
    expect(await runnerOf(ctx).runDue()).toBe(1);

    const res = await ctx.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.smtpConfigured).toBe(false);
    const mail = body.items.find((m: { to: string }) => m.to === email);
    expect(mail).toMatchObject({ status: 'stored', subject: 'Välkommen till Trygg', sentAt: null, error: null });
    expect(mail.text).toContain('Hej Inbjuden Testperson!');
    expect(mail.text).toContain('Välj ditt lösenord här');

    const jobsRes = await ctx.app.inject({ method: 'GET', url: '/api/admin/jobs?status=done', headers: { cookie: admin } });
    expect(jobsRes.statusCode).toBe(200);
    expect(jobsRes.json().items.some((j: { type: string }) => j.type === 'mail.send')).toBe(true);

    await acceptInvitation(ctx, email, tokenIn(mail.text, ctx.config.PUBLIC_URL));
  });

  it('the outbox and the job list are for administrators only', async () => {
    for (const who of ['rapportor.son@lund.example', 'lasare@lund.example']) {
      const cookie = await signIn(ctx.app, who);
      for (const url of ['/api/admin/outbox', '/api/admin/jobs']) {
        const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie } });
        expect(res.statusCode, `${who} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    }
    const anonymous = await ctx.app.inject({ method: 'GET', url: '/api/admin/outbox' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('invitation through SMTP', () => {
  let ctx: TestContext;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const publicUrl = 'https://trygg.lund.example';
  beforeAll(async () => {
    smtp = await startSmtpServer();
    ctx = await createTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: publicUrl, MAIL_FROM: 'Trygg <noreply@lund.example>' } });
  });
  afterAll(async () => {
    await ctx?.close();
    await smtp?.close();
  });

  it('the invitation e-mail arrives with a working, single-use link to PUBLIC_URL', async () => {
    const admin = await signIn(ctx.app, 'admin@lund.example');
    const email = 'inbjuden.smtp@lund.example';
    await invite(ctx, admin, email);
    expect(await runnerOf(ctx).runDue()).toBe(1);

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe('noreply@lund.example');
    expect(mail.subject).toBe('Välkommen till Trygg');
    expect(mail.text).toContain('har skapat ett konto åt dig i Trygg');
    expect(mail.text).toMatch(/länken gäller i 7 dagar/);

    const outbox = (await ctx.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: { cookie: admin } })).json();
    expect(outbox.smtpConfigured).toBe(true);
    expect(outbox.items.find((m: { to: string }) => m.to === email)).toMatchObject({ status: 'sent' });

    await acceptInvitation(ctx, email, tokenIn(mail.text, publicUrl));
  });
});
