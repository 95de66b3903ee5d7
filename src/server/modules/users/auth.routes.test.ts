import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { buildApp } from '../../app.ts';
import { createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { DEMO_PASSWORD } from '../../seed/seed.ts';
import { ACTIONS } from '../../../shared/roles.ts';
import { en } from '../../../shared/i18n/en.ts';
import { expectError } from '../../../../test/helpers/http.ts';

const NEW_PASSWORD = 'Ett-annat-lösenord-2026';

let ctx: TestContext;
let admin: string;
let son: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx.app, 'admin@lund.example');
  son = await orgId(ctx.database, 'son');
});
afterAll(() => ctx?.close());

const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, opts: { cookie?: string; payload?: object; headers?: Record<string, string> } = {}) =>
  ctx.app.inject({ method, url, payload: opts.payload, headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers } });
const me = (cookie: string) => inject('GET', '/api/auth/me', { cookie });
const tokenOf = (cookie: string) => cookie.replace(/^trygg_session=/, '');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Audit actions recorded for an entity, newest first, as the admin reads them through the API. */
async function auditActions(entityType: string, entityId: string) {
  const res = await inject('GET', `/api/audit?entityType=${entityType}&entityId=${entityId}`, { cookie: admin });
  expect(res.statusCode).toBe(200);
  return (res.json().items as { action: string; actorId: string | null; requestId: string | null; ip: string | null }[]);
}

async function freshUser(opts: { active?: boolean } = {}) {
  return createUser(ctx.database, { homeOrganisationId: son, grants: [{ organisationId: son, role: 'reporter' }], ...opts });
}

async function sessionRow(cookie: string) {
  const res = await ctx.database.db.execute<{ id: string; user_id: string }>(sql`select id, user_id from sessions where token_hash = ${sha256(tokenOf(cookie))}`);
  return res.rows[0];
}

describe('sign-in and sign-out', () => {
  it('signs in, answers /me, signs out and forgets the session — each step audited', async () => {
    const user = await freshUser();
    const res = await inject('POST', '/api/auth/sign-in', { payload: { email: user.email.toUpperCase(), password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: user.id, email: user.email });
    const cookie = `trygg_session=${res.cookies.find((c) => c.name === 'trygg_session')!.value}`;
    const session = await sessionRow(cookie);
    expect(session.user_id).toBe(user.id);
    expect((await me(cookie)).statusCode).toBe(200);

    const out = await inject('POST', '/api/auth/sign-out', { cookie });
    expect(out.statusCode).toBe(200);
    const cleared = out.cookies.find((c) => c.name === 'trygg_session')!;
    expect(cleared.value).toBe('');
    expect(new Date(cleared.expires!).getTime()).toBeLessThan(Date.now());
    const after = await me(cookie);
    expectError(after, 401, 'UNAUTHENTICATED');
    expect(await sessionRow(cookie)).toBeUndefined();

    const actions = await auditActions('session', session.id);
    expect(actions.map((a) => a.action)).toEqual(['sign-out', 'sign-in']);
    expect(actions.every((a) => a.actorId === user.id && a.requestId && a.ip)).toBe(true);
    const login = await ctx.database.db.execute<{ last_login_at: Date | null }>(sql`select last_login_at from users where id = ${user.id}`);
    expect(login.rows[0].last_login_at).not.toBeNull();
  });

  it('refuses a wrong password and an unknown address alike: 401 in Swedish', async () => {
    const user = await freshUser();
    const wrong = await inject('POST', '/api/auth/sign-in', { payload: { email: user.email, password: 'fel-lösenord' } });
    const unknown = await inject('POST', '/api/auth/sign-in', { payload: { email: 'ingen@lund.example', password: DEMO_PASSWORD } });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Fel e-postadress eller lösenord.' });
      expect(res.cookies.find((c) => c.name === 'trygg_session')).toBeUndefined();
    }
    const english = await inject('POST', '/api/auth/sign-in', { payload: { email: user.email, password: 'x' }, headers: { 'accept-language': 'en-GB' } });
    expect(english.json().error.message).toMatch(/e-mail|password/i);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, path /, not Secure over http, living to the absolute cap', async () => {
    const user = await freshUser();
    const res = await inject('POST', '/api/auth/sign-in', { payload: { email: user.email, password: DEMO_PASSWORD } });
    const raw = String(res.headers['set-cookie']);
    expect(raw).toMatch(/^trygg_session=[\w-]{40,};/);
    expect(raw).toMatch(/; HttpOnly/i);
    expect(raw).toMatch(/; SameSite=Lax/i);
    expect(raw).toMatch(/; Path=\//);
    expect(raw).not.toMatch(/; Secure/i);
    const expires = new Date(/Expires=([^;]+)/i.exec(raw)![1]).getTime();
    const cap = Date.now() + ctx.config.SESSION_MAX_HOURS * 3_600_000;
    expect(Math.abs(expires - cap)).toBeLessThan(60_000);
  });

  it('stores only a hash of the session token', async () => {
    const user = await freshUser();
    const cookie = await signIn(ctx.app, user.email);
    const token = tokenOf(cookie);
    const rows = await ctx.database.db.execute<Record<string, unknown>>(sql`select * from sessions where user_id = ${user.id}`);
    expect(rows.rows).toHaveLength(1);
    expect(JSON.stringify(rows.rows)).not.toContain(token);
    expect(rows.rows[0].token_hash).toBe(sha256(token));
    // Nor does the token end up in the audit log.
    const audit = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where before::text like ${`%${token}%`} or after::text like ${`%${token}%`}`);
    expect(audit.rows[0].n).toBe(0);
  });

  it('rejects a forged cookie without revealing anything', async () => {
    for (const cookie of ['trygg_session=abc', `trygg_session=${'A'.repeat(43)}`, `trygg_session=${'x'.repeat(5000)}`]) {
      const res = await me(cookie);
      expectError(res, 401, 'UNAUTHENTICATED');
    }
  });
});

describe('session expiry', () => {
  it('ends a session after idle time: 401 SESSION_EXPIRED, and the row is gone', async () => {
    const user = await freshUser();
    const cookie = await signIn(ctx.app, user.email);
    const { id } = await sessionRow(cookie);
    await ctx.database.db.execute(sql`update sessions set last_seen_at = now() - interval '3 hours', expires_at = now() - interval '1 second' where id = ${id}`);
    const res = await me(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'SESSION_EXPIRED', message: 'Din session har gått ut. Logga in igen.' });
    expect(await sessionRow(cookie)).toBeUndefined();
    // Afterwards the cookie is simply unknown.
    expect((await me(cookie)).json().error.code).toBe('UNAUTHENTICATED');
  });

  it('slides the idle expiry on use, but never beyond the absolute cap', async () => {
    const user = await freshUser();
    const cookie = await signIn(ctx.app, user.email);
    const { id } = await sessionRow(cookie);
    const maxMs = ctx.config.SESSION_MAX_HOURS * 3_600_000;
    // Used a while ago, near the end of its idle time: a request extends it.
    await ctx.database.db.execute(sql`update sessions set last_seen_at = now() - interval '10 minutes', expires_at = now() + interval '1 minute' where id = ${id}`);
    const extended = new Date((await me(cookie)).json().sessionExpiresAt).getTime();
    expect(extended).toBeGreaterThan(Date.now() + (ctx.config.SESSION_IDLE_MINUTES - 1) * 60_000);
    // Created almost the maximum ago: the extension stops at created + max.
    const created = Date.now() - maxMs + 5 * 60_000;
    await ctx.database.db.execute(sql`update sessions set created_at = ${new Date(created)}, last_seen_at = now() - interval '10 minutes' where id = ${id}`);
    const capped = new Date((await me(cookie)).json().sessionExpiresAt).getTime();
    expect(Math.abs(capped - (created + maxMs))).toBeLessThan(2_000);
  });

  it('ends a session older than the absolute maximum even if its idle expiry lies ahead', async () => {
    // E.g. SESSION_MAX_HOURS was lowered after the session was issued.
    const user = await freshUser();
    const cookie = await signIn(ctx.app, user.email);
    const { id } = await sessionRow(cookie);
    await ctx.database.db.execute(sql`
      update sessions set created_at = now() - make_interval(hours => ${ctx.config.SESSION_MAX_HOURS + 1}),
        last_seen_at = now() - interval '2 minutes', expires_at = now() + interval '30 minutes'
      where id = ${id}`);
    const res = await me(cookie);
    expectError(res, 401, 'SESSION_EXPIRED');
    expect(await sessionRow(cookie)).toBeUndefined();
  });
});

describe('passwords', () => {
  it('changes the password: other sessions end, this one stays, audited', async () => {
    const user = await freshUser();
    const here = await signIn(ctx.app, user.email);
    const elsewhere = await signIn(ctx.app, user.email);
    const wrong = await inject('POST', '/api/auth/password', { cookie: here, payload: { currentPassword: 'inte-rätt', newPassword: NEW_PASSWORD } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'WRONG_PASSWORD', message: 'Nuvarande lösenord stämmer inte.' });
    const short = await inject('POST', '/api/auth/password', { cookie: here, payload: { currentPassword: DEMO_PASSWORD, newPassword: 'kort' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields).toEqual([{ path: 'body.newPassword', message: 'Texten är för kort (minst 12 tecken).' }]);
    expect((await me(elsewhere)).statusCode).toBe(200);

    const ok = await inject('POST', '/api/auth/password', { cookie: here, payload: { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD } });
    expect(ok.statusCode).toBe(200);
    expect((await me(here)).statusCode).toBe(200);
    expect((await me(elsewhere)).statusCode).toBe(401);
    expect((await inject('POST', '/api/auth/sign-in', { payload: { email: user.email, password: DEMO_PASSWORD } })).statusCode).toBe(401);
    await signIn(ctx.app, user.email, NEW_PASSWORD);
    expect((await auditActions('user', user.id)).map((a) => a.action)).toContain('change-password');
    const hash = await ctx.database.db.execute<{ password_hash: string }>(sql`select password_hash from users where id = ${user.id}`);
    expect(hash.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(hash.rows[0].password_hash).not.toContain(NEW_PASSWORD);
  });

  it('an invitation link sets the password once, ends old sessions, and expires', async () => {
    const email = `inbjuden-${Date.now()}@test.example`;
    const created = await inject('POST', '/api/users', { cookie: admin, payload: { email, name: 'Inbjuden Person', homeOrganisationId: son } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    // The invitation is queued as a mail job in the same transaction (the runner is not started here).
    const mail = await ctx.database.db.execute<{ text: string }>(sql`select payload->>'text' as text from jobs where type = 'mail.send' and payload->>'to' = ${email}`);
    const token = /token=([\w-]+)/.exec(mail.rows[0].text)![1];
    const stored = await ctx.database.db.execute<{ token_hash: string }>(sql`select token_hash from user_tokens where user_id = ${id}`);
    expect(stored.rows[0].token_hash).toBe(sha256(token));
    // No password yet: no sign-in.
    expect((await inject('POST', '/api/auth/sign-in', { payload: { email, password: NEW_PASSWORD } })).statusCode).toBe(401);

    const weak = await inject('POST', '/api/auth/set-password', { payload: { token, newPassword: 'kort' } });
    expect(weak.statusCode).toBe(400);
    const set = await inject('POST', '/api/auth/set-password', { payload: { token, newPassword: NEW_PASSWORD } });
    expect(set.statusCode).toBe(200);
    const session = await signIn(ctx.app, email, NEW_PASSWORD);
    const again = await inject('POST', '/api/auth/set-password', { payload: { token, newPassword: 'Ett-tredje-lösenord-1' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({ code: 'TOKEN_INVALID', message: expect.stringMatching(/^Länken är ogiltig/) });
    expect((await me(session)).statusCode).toBe(200);
    expect((await auditActions('user', id)).map((a) => a.action)).toEqual(['set-password', 'create']);

    // A second invitation-type token that has expired is refused; a valid one ends existing sessions.
    const { hashToken } = await import('./users.service.ts');
    const { usersRepo } = await import('./users.repo.ts');
    await usersRepo.insertToken(ctx.database.db, { userId: id, purpose: 'set-password', tokenHash: hashToken('utgången-token-123'), expiresAt: new Date(Date.now() - 1000) });
    const expired = await inject('POST', '/api/auth/set-password', { payload: { token: 'utgången-token-123', newPassword: 'Ett-tredje-lösenord-1' } });
    expectError(expired, 400, 'TOKEN_INVALID');
    await usersRepo.insertToken(ctx.database.db, { userId: id, purpose: 'set-password', tokenHash: hashToken('giltig-token-12345'), expiresAt: new Date(Date.now() + 60_000) });
    expect((await inject('POST', '/api/auth/set-password', { payload: { token: 'giltig-token-12345', newPassword: 'Ett-tredje-lösenord-1' } })).statusCode).toBe(200);
    expect((await me(session)).statusCode).toBe(401);
    // An unknown token is the same refusal.
    expect((await inject('POST', '/api/auth/set-password', { payload: { token: 'påhittad-token-999', newPassword: 'Ett-tredje-lösenord-1' } })).json().error.code).toBe('TOKEN_INVALID');
  });
});

describe('deactivated accounts', () => {
  it('cannot sign in, and their sessions end at once; reactivation lets them back — audited', async () => {
    const user = await freshUser();
    const session = await signIn(ctx.app, user.email);
    const off = await inject('PATCH', `/api/users/${user.id}`, { cookie: admin, payload: { version: 1, active: false } });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await me(session)).statusCode).toBe(401);
    const count = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from sessions where user_id = ${user.id}`);
    expect(count.rows[0].n).toBe(0);
    const denied = await inject('POST', '/api/auth/sign-in', { payload: { email: user.email, password: DEMO_PASSWORD } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error).toMatchObject({ code: 'ACCOUNT_INACTIVE', message: 'Kontot är avaktiverat. Kontakta en administratör.' });
    // A wrong password for a deactivated account says no more than for anyone else.
    expect((await inject('POST', '/api/auth/sign-in', { payload: { email: user.email, password: 'fel' } })).json().error.code).toBe('INVALID_CREDENTIALS');

    const on = await inject('PATCH', `/api/users/${user.id}`, { cookie: admin, payload: { version: 2, active: true } });
    expect(on.statusCode).toBe(200);
    await signIn(ctx.app, user.email);
    expect((await auditActions('user', user.id)).map((a) => a.action).slice(0, 2)).toEqual(['reactivate', 'deactivate']);
  });

  it('an administrator cannot deactivate their own account', async () => {
    const self = (await me(admin)).json().user;
    const row = (await inject('GET', `/api/users/${self.id}`, { cookie: admin })).json();
    const res = await inject('PATCH', `/api/users/${self.id}`, { cookie: admin, payload: { version: row.version, active: false } });
    expectError(res, 409, 'CANNOT_DEACTIVATE_SELF');
  });
});

describe('/api/auth/me', () => {
  it('carries the actions the UI may offer, per role', async () => {
    const asAdmin = (await me(admin)).json();
    expect(asAdmin.actions.sort()).toEqual([...ACTIONS].sort());
    expect(asAdmin.rootActions).toEqual(expect.arrayContaining(['audit.read', 'mail.read', 'jobs.read']));

    const reporter = (await me(await signIn(ctx.app, 'rapportor.son@lund.example'))).json();
    expect(reporter.actions).toEqual(['organisations.read', 'program.read', 'followup.report', 'incidents.report', 'documents.read']);
    expect(reporter.rootActions).toEqual([]);
    expect(reporter.grants).toEqual([expect.objectContaining({ organisationId: son, role: 'reporter', includeSubtree: false, organisationName: 'Socialnämnden' })]);

    const coordinator = (await me(await signIn(ctx.app, 'samordnare@lund.example'))).json();
    expect(coordinator.actions.sort()).toEqual([
      'audit.read', 'cases.handle', 'cases.read', 'cases.register', 'cases.secret', 'documents.manage', 'documents.read',
      'followup.manage', 'followup.report', 'incidents.manage', 'incidents.read', 'incidents.report', 'organisations.read', 'program.manage', 'program.read', 'shares.manage', 'users.read',
    ]);

    // A committee admin holds every action somewhere, but none on the municipality itself.
    const committeeAdmin = (await me(await signIn(ctx.app, 'admin.son@lund.example'))).json();
    expect(committeeAdmin.actions.sort()).toEqual([...ACTIONS].sort());
    expect(committeeAdmin.rootActions).toEqual([]);

    const user = (await me(admin)).json().user;
    expect(user).toMatchObject({ email: 'admin@lund.example', locale: 'sv', mustChangePassword: false });
    expect(Object.keys(user)).not.toContain('passwordHash');
  });

  it('keeps the chosen language', async () => {
    const user = await freshUser();
    const cookie = await signIn(ctx.app, user.email);
    expect((await inject('PUT', '/api/auth/locale', { cookie, payload: { locale: 'en' } })).statusCode).toBe(200);
    expect((await me(cookie)).json().user.locale).toBe('en');
    // A change of the user record, audited; choosing the same language again changes nothing.
    expect((await inject('PUT', '/api/auth/locale', { cookie, payload: { locale: 'en' } })).statusCode).toBe(200);
    const entries = await auditActions('user', user.id);
    expect(entries.map((a) => a.action)).toEqual(['set-locale']);
    expect(entries[0].actorId).toBe(user.id);
    // Messages follow the user's language.
    const err = await inject('GET', '/api/users', { cookie });
    expect(err.json().error.message).toBe(en.errors.FORBIDDEN);
    expect((await inject('PUT', '/api/auth/locale', { cookie, payload: { locale: 'de' } })).statusCode).toBe(400);
  });
});

describe('sign-in throttling', () => {
  // LOGIN_RATE_LIMIT=3: three free failures per account and client address, 30 across accounts per address.
  let limited: TestContext;
  beforeAll(async () => {
    limited = await createTestApp({ env: { LOGIN_RATE_LIMIT: '3' } });
  });
  afterAll(() => limited?.close());
  const attempt = (email: string, password: string, remoteAddress = '198.51.100.7', app = limited.app) =>
    app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password }, remoteAddress });
  const pair = async (account: string, address: string) =>
    (
      await limited.database.db.execute<{ failures: number; blocked: boolean }>(
        sql`select failures, coalesce(blocked_until > now(), false) as blocked from sign_in_failures where account = ${account} and address = ${address}`,
      )
    ).rows[0];
  /** Lets the current wait run out, as time would (the database decides; no sleeping). */
  const waitOut = (address: string) => limited.database.db.execute(sql`update sign_in_failures set blocked_until = now() where address = ${address}`);

  it('after N failures for an account from an address answers 429 with a Swedish message and Retry-After — even to the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt('rapportor.son@lund.example', `fel-${i}`)).statusCode).toBe(401);
    const blocked = await attempt('rapportor.son@lund.example', DEMO_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toMatchObject({ code: 'RATE_LIMITED', message: 'För många försök. Vänta en stund och försök igen.' });
    const retry = Number(blocked.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(30);
    // The address is normalised: case and spaces do not open a new count.
    expect((await attempt('  RAPPORTOR.son@lund.example ', DEMO_PASSWORD)).statusCode).toBe(429);
    // A refused attempt is not counted.
    expect(await pair('rapportor.son@lund.example', '198.51.100.7')).toEqual({ failures: 3, blocked: true });
    // Other accounts are not locked out by someone guessing this one.
    expect((await attempt('lasare@lund.example', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a stranger failing on a known account at another address does not stop the real user at theirs', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await attempt('samordnare@lund.example', `gissning-${i}`, '203.0.113.66');
      expect([401, 429]).toContain(res.statusCode);
    }
    expect((await attempt('samordnare@lund.example', DEMO_PASSWORD, '203.0.113.66')).statusCode).toBe(429);
    const real = await attempt('samordnare@lund.example', DEMO_PASSWORD, '192.0.2.10');
    expect(real.statusCode, real.body).toBe(200);
  });

  it('waits grow: 30 s after the N-th failure, doubling with each further failure, at most 15 minutes', async () => {
    const ip = '198.51.100.20';
    const email = 'rapportor.tn@lund.example';
    const retryAfter = async () => {
      const res = await attempt(email, DEMO_PASSWORD, ip);
      expect(res.statusCode).toBe(429);
      return Number(res.headers['retry-after']);
    };
    for (let i = 0; i < 3; i++) await attempt(email, 'fel', ip);
    expect(await retryAfter()).toBeGreaterThan(25);
    expect(await retryAfter()).toBeLessThanOrEqual(30);
    await waitOut(ip);
    expect((await attempt(email, 'fel', ip)).statusCode).toBe(401);
    const second = await retryAfter();
    expect(second).toBeGreaterThan(55);
    expect(second).toBeLessThanOrEqual(60);
    await waitOut(ip);
    expect((await attempt(email, 'fel', ip)).statusCode).toBe(401);
    expect(await retryAfter()).toBeGreaterThan(115);
    // Many failures later the wait is capped.
    await limited.database.db.execute(sql`update sign_in_failures set failures = 500, blocked_until = now() where account = ${email} and address = ${ip}`);
    expect((await attempt(email, 'fel', ip)).statusCode).toBe(401);
    const capped = await retryAfter();
    expect(capped).toBeGreaterThan(15 * 60 - 5);
    expect(capped).toBeLessThanOrEqual(15 * 60);
  });

  it('a successful sign-in clears the count for the account at that address', async () => {
    const ip = '198.51.100.30';
    for (let i = 0; i < 2; i++) expect((await attempt('registrator@lund.example', 'fel', ip)).statusCode).toBe(401);
    expect(await pair('registrator@lund.example', ip)).toEqual({ failures: 2, blocked: false });
    expect((await attempt('registrator@lund.example', DEMO_PASSWORD, ip)).statusCode).toBe(200);
    expect(await pair('registrator@lund.example', ip)).toBeUndefined();
    for (let i = 0; i < 2; i++) expect((await attempt('registrator@lund.example', 'fel', ip)).statusCode).toBe(401);
    expect((await attempt('registrator@lund.example', DEMO_PASSWORD, ip)).statusCode).toBe(200);
  });

  it('holds across a restart and another instance on the same database', async () => {
    const ip = '198.51.100.40';
    for (let i = 0; i < 3; i++) await attempt('handlaggare@lund.example', 'fel', ip);
    const other = await buildApp({ config: limited.config, database: limited.database });
    try {
      await other.ready();
      const res = await attempt('handlaggare@lund.example', DEMO_PASSWORD, ip, other);
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('limits a client address across accounts (10 × N failures), unknown accounts included', async () => {
    const ip = '198.51.100.50';
    for (let i = 0; i < 30; i++) expect((await attempt(`gissning-${i}@lund.example`, 'fel', ip)).statusCode).toBe(401);
    const res = await attempt('lasare@lund.example', DEMO_PASSWORD, ip);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await attempt('lasare@lund.example', DEMO_PASSWORD, '198.51.100.51')).statusCode).toBe(200);
  });
});

describe('cookies behind https', () => {
  it('marks the session cookie Secure when PUBLIC_URL is https', async () => {
    const secure = await createTestApp({ env: { PUBLIC_URL: 'https://trygg.lund.example' } });
    try {
      const res = await secure.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'admin@lund.example', password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
      const raw = String(res.headers['set-cookie']);
      expect(raw).toMatch(/; Secure/i);
      expect(raw).toMatch(/; HttpOnly/i);
      expect(raw).toMatch(/; SameSite=Lax/i);
      expect(res.headers['strict-transport-security']).toBeTruthy();
    } finally {
      await secure.close();
    }
  });
});
