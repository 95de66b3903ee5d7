import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/helpers/app.ts';
import { createCase, createUser, orgId, signIn } from '../../../test/helpers/factories.ts';
import { multipartForm, PDF } from '../../../test/helpers/multipart.ts';
import { DEMO_PASSWORD } from '../seed/seed.ts';
import { sv } from '../../shared/i18n/sv.ts';

// Cross-site request forgery (issue #10 item 8): state-changing API requests must come from Trygg's own pages.
const PUBLIC_URL = 'https://trygg.lund.example';
const EVIL = 'https://angripare.example';
/** app.inject sends Host: localhost:80 over http, so the request's own origin is this. */
const OWN = 'http://localhost';

let ctx: TestContext;
let admin: string;
let son: string;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const inject = (method: Method, url: string, opts: { cookie?: string; payload?: object | Buffer; headers?: Record<string, string> } = {}) =>
  ctx.app.inject({ method, url, payload: opts.payload, headers: { ...opts.headers, ...(opts.cookie ? { cookie: opts.cookie } : {}) } });

function expectRefused(res: { statusCode: number; json(): unknown }) {
  expect(res.statusCode).toBe(403);
  expect((res.json() as { error: { code: string; message: string } }).error).toMatchObject({
    code: 'CROSS_SITE_REQUEST',
    message: sv.errors.CROSS_SITE_REQUEST,
  });
}

const orgCount = async (name: string) =>
  (await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from organisations where name = ${name}`)).rows[0].n;

beforeAll(async () => {
  ctx = await createTestApp({ env: { PUBLIC_URL } });
  admin = await signIn(ctx.app, 'admin@lund.example');
  son = await orgId(ctx.database, 'son');
});
afterAll(() => ctx?.close());

describe('state-changing requests from another site', () => {
  const newOrg = (name: string) => ({ type: 'unit', name, parentId: son });

  it('refuses a JSON POST whose Origin is another site — nothing is created', async () => {
    const res = await inject('POST', '/api/organisations', { cookie: admin, payload: newOrg('Falsk enhet'), headers: { origin: EVIL } });
    expectRefused(res);
    expect(await orgCount('Falsk enhet')).toBe(0);
  });

  it('accepts the same POST from PUBLIC_URL, from the request\'s own origin, and from a program that sends no Origin', async () => {
    const variants: Record<string, string>[] = [{ origin: PUBLIC_URL }, { origin: OWN }, { referer: `${PUBLIC_URL}/organisationer?x=1` }, {}];
    for (const [i, headers] of variants.entries()) {
      const res = await inject('POST', '/api/organisations', { cookie: admin, payload: newOrg(`Egen enhet ${i}`), headers });
      expect(res.statusCode, `${JSON.stringify(headers)}: ${res.body}`).toBe(201);
    }
  });

  it('judges by Referer when there is no Origin', async () => {
    expectRefused(await inject('POST', '/api/organisations', { cookie: admin, payload: newOrg('Via referer'), headers: { referer: `${EVIL}/sida` } }));
    expectRefused(await inject('POST', '/api/organisations', { cookie: admin, payload: newOrg('Via referer'), headers: { referer: 'inte en adress' } }));
    expect(await orgCount('Via referer')).toBe(0);
  });

  it('refuses Origin: null, a non-http origin and a look-alike host', async () => {
    for (const origin of ['null', 'file://', `${PUBLIC_URL}.angripare.example`, 'http://trygg.lund.example', `${PUBLIC_URL}:8443`]) {
      expectRefused(await inject('POST', '/api/organisations', { cookie: admin, payload: newOrg('Liknande'), headers: { origin } }));
    }
    expect(await orgCount('Liknande')).toBe(0);
  });

  it('refuses Sec-Fetch-Site: cross-site even with a matching Origin', async () => {
    const res = await inject('POST', '/api/organisations', { cookie: admin, payload: newOrg('Fetch-metadata'), headers: { origin: PUBLIC_URL, 'sec-fetch-site': 'cross-site' } });
    expectRefused(res);
    expect(await orgCount('Fetch-metadata')).toBe(0);
    // same-origin and same-site metadata are judged by Origin as usual.
    const ok = await inject('POST', '/api/organisations', { cookie: admin, payload: newOrg('Fetch-metadata'), headers: { origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' } });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('refuses a body-less POST (sign-out): the session stays', async () => {
    const cookie = await signIn(ctx.app, 'lasare@lund.example');
    expectRefused(await inject('POST', '/api/auth/sign-out', { cookie, headers: { origin: EVIL } }));
    expect((await inject('GET', '/api/auth/me', { cookie })).statusCode).toBe(200);
  });

  it('refuses PUT, PATCH and DELETE from another site — nothing changes', async () => {
    const user = await createUser(ctx.database, { homeOrganisationId: son, grants: [{ organisationId: son, role: 'reporter' }] });
    const cookie = await signIn(ctx.app, user.email);
    expectRefused(await inject('PUT', '/api/auth/locale', { cookie, payload: { locale: 'en' }, headers: { origin: EVIL } }));
    expectRefused(await inject('PATCH', `/api/users/${user.id}`, { cookie: admin, payload: { version: user.version, active: false }, headers: { origin: EVIL } }));
    const grants = (await inject('GET', `/api/users/${user.id}`, { cookie: admin })).json().grants as { id: string }[];
    expectRefused(await inject('DELETE', `/api/users/${user.id}/roles/${grants[0].id}`, { cookie: admin, headers: { referer: `${EVIL}/x` } }));
    const after = (await inject('GET', `/api/users/${user.id}`, { cookie: admin })).json();
    expect(after).toMatchObject({ active: true, locale: 'sv', version: user.version });
    expect(after.grants).toHaveLength(1);
  });

  it('refuses a cross-site sign-in (login CSRF): no session is handed out', async () => {
    const res = await inject('POST', '/api/auth/sign-in', { payload: { email: 'lasare@lund.example', password: DEMO_PASSWORD }, headers: { origin: EVIL } });
    expectRefused(res);
    expect(res.cookies.find((c) => c.name === 'trygg_session')).toBeUndefined();
  });

  it('refuses a cross-site multipart POST to the public remiss reply — the link stays unused', async () => {
    const officer = await signIn(ctx.app, 'handlaggare@lund.example');
    const c = await createCase(ctx.database);
    const round = await inject('POST', `/api/cases/${c.id}/remiss-rounds`, {
      cookie: officer,
      payload: {
        title: 'Remiss om trygghetsvandringar',
        letter: 'Kommunstyrelsen önskar synpunkter.',
        recipients: [{ organisationId: await orgId(ctx.database, 'polisen'), replyBy: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) }],
      },
    });
    expect(round.statusCode, round.body).toBe(201);
    const token = new RegExp(`${PUBLIC_URL}/remissvar/([A-Za-z0-9_-]+)`).exec(round.json().issuedLinks[0].url)![1];
    const form = multipartForm({ kind: 'no_objection', answeredBy: 'Anna Andersson' }, { filename: 'svar.pdf', data: PDF });
    expectRefused(await inject('POST', `/api/remissvar/${token}`, { ...form, headers: { ...form.headers, origin: EVIL } }));
    // The link is still unanswered: the recipient can reply from Trygg's own page.
    expect((await inject('GET', `/api/remissvar/${token}`)).statusCode).toBe(200);
    const own = await inject('POST', `/api/remissvar/${token}`, { ...form, headers: { ...form.headers, origin: PUBLIC_URL } });
    expect(own.statusCode, own.body).toBe(201);
  });

  it('lets reads through whatever their Origin (GET is not state-changing)', async () => {
    const res = await inject('GET', '/api/organisations', { cookie: admin, headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' } });
    expect(res.statusCode).toBe(200);
  });

  it('answers in English to an English browser', async () => {
    const res = await inject('POST', '/api/organisations', { cookie: admin, payload: newOrg('Engelska'), headers: { origin: EVIL, 'accept-language': 'en' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/another website/);
  });
});

describe('behind a reverse proxy', () => {
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'trygg.proxy.example', origin: 'https://trygg.proxy.example' };
  // An unknown account: 401 means the request got past the origin check to the password check.
  const attempt = (app: TestContext) =>
    app.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'ingen@proxy.example', password: DEMO_PASSWORD }, headers: forwarded });

  it('with TRUST_PROXY=true the forwarded protocol and host are the request\'s own origin', async () => {
    const proxied = await createTestApp({ seed: false, env: { TRUST_PROXY: 'true', PUBLIC_URL } });
    try {
      const res = await attempt(proxied);
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    } finally {
      await proxied.close();
    }
  });

  it('without TRUST_PROXY the forwarded headers are not believed', async () => {
    const res = await attempt(ctx);
    expectRefused(res);
  });
});
