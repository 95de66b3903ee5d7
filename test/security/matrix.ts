/**
 * The harness of the role × route matrix (test/security/route-matrix.test.ts): the principals, the
 * shared app and sessions, the helpers every module's table uses, and the tests themselves.
 *
 * Each module declares its routes in a table of its own, test/security/matrix/<module>.ts, listed in
 * test/security/matrix/index.ts. A new module adds its file there. The tables are merged (a route such
 * as POST /api/exports may get cases from several modules: each module declares its own export kinds)
 * and checked against app.registeredRoutes: a registered route that no table declares fails the test,
 * and so does a declared route that is no longer registered.
 *
 * - allow: the request succeeds (2xx). deny: 401 for anonymous on a non-public route, 403/404 for a
 *   signed-in principal — never 2xx.
 * - Each case prepares its own fresh subject (a new unit, a new user, a new grant) per principal, so
 *   that allowed state changes do not influence the next principal's attempt.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { buildPmtiles } from '../helpers/pmtiles.ts';
import { createOrganisation, createUser, orgId, signIn } from '../helpers/factories.ts';
import { usersRepo } from '../../src/server/modules/users/users.repo.ts';

export const PRINCIPALS = ['anonymous', 'admin', 'coordinator', 'officer', 'reporter', 'reader', 'partner', 'committeeAdmin'] as const;
export type Principal = (typeof PRINCIPALS)[number];
export type Expect = 'allow' | 'deny';
export type Expectations = Record<Principal, Expect>;

/** Signed-in demo principals (officer is created in setupMatrix: the seed has none). */
export const EMAILS: Record<Exclude<Principal, 'anonymous'>, string> = {
  admin: 'admin@lund.example', // admin on Lunds kommun with subtree
  coordinator: 'samordnare@lund.example', // coordinator on Lunds kommun with subtree
  officer: '', // officer on Socialnämnden with subtree (created below)
  reporter: 'rapportor.son@lund.example', // reporter on Socialnämnden only
  reader: 'lasare@lund.example', // reader on Lunds kommun with subtree
  partner: 'polisen@lund.example', // partner on Polismyndigheten (external)
  committeeAdmin: 'admin.son@lund.example', // admin on Socialnämnden's subtree only
};

export interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object | Buffer;
  headers?: Record<string, string>;
  /** Use this cookie instead of the principal's shared session (for requests that end sessions). */
  cookie?: string | null;
}
export interface Case {
  name: string;
  expect: Expectations;
  /** Builds a request for one principal, creating whatever fresh subject it needs. */
  prepare(p: Principal): Promise<Request> | Request;
}
/**
 * One module's table. Key: "METHOD url" exactly as registered. Organisation keys (ids): lund
 * (municipality root), son (Socialnämnden), tn (Tekniska nämnden), polisen (external partner), kk-ts
 * (the admin's unit), ks (the executive board).
 */
export type MatrixTable = Record<string, Case[]>;

export const all = (e: Expect): Expectations => Object.fromEntries(PRINCIPALS.map((p) => [p, e])) as Expectations;
/** Allowed for exactly the listed principals, denied for everyone else (anonymous included). */
export const only = (...allowed: Principal[]): Expectations =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, allowed.includes(p) ? 'allow' : 'deny'])) as Expectations;
export const signedIn = only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'partner', 'committeeAdmin');
/** Managers on the municipality (admin and coordinator with its subtree). */
export const managers = only('admin', 'coordinator');

/** The app of the matrix run (set by setupMatrix). */
export let ctx: TestContext;
/** Seeded organisations' ids by key (see MatrixTable). */
export const ids: Record<string, string> = {};
/** Each principal's shared session (a table may drop one after ending it). */
export const cookies = new Map<Principal, string>();
/** The officer's e-mail (created by setupMatrix). */
export let officerEmail = '';

/** One fresh app on seeded demo data, the organisation ids and the officer: for beforeAll. */
export async function setupMatrix() {
  // A one-tile PMTiles basemap, so that the tile route has something to serve.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-matrix-'));
  fs.writeFileSync(path.join(dir, 'karta.pmtiles'), buildPmtiles([{ z: 0, x: 0, y: 0, data: PNG }]));
  const app = await createTestApp({ env: { MAP_PMTILES: path.join(dir, 'karta.pmtiles') } });
  ctx = { ...app, close: async () => (await app.close(), fs.rmSync(dir, { recursive: true, force: true })) };
  for (const key of ['lund', 'son', 'tn', 'polisen', 'kk-ts', 'ks', 'kf']) ids[key] = await orgId(ctx.database, key);
  officerEmail = email();
  await createUser(ctx.database, { homeOrganisationId: ids.son, email: officerEmail, grants: [{ organisationId: ids.son, role: 'officer', includeSubtree: true }] });
  return ctx;
}

/** The e-mail a principal signs in with. */
export const emailOf = (p: Exclude<Principal, 'anonymous'>) => (p === 'officer' ? officerEmail : EMAILS[p]);

export async function cookieOf(p: Principal): Promise<string | undefined> {
  if (p === 'anonymous') return undefined;
  let c = cookies.get(p);
  if (!c) {
    c = await signIn(ctx.app, emailOf(p));
    cookies.set(p, c);
  }
  return c;
}

export async function send(p: Principal, r: Request): Promise<LightMyRequestResponse> {
  const cookie = r.cookie === null ? undefined : (r.cookie ?? (await cookieOf(p)));
  return ctx.app.inject({ method: r.method, url: r.url, payload: r.payload, headers: { ...r.headers, ...(cookie ? { cookie } : {}) } });
}

/** A fresh unit under the given seeded organisation. */
export const unitUnder = async (key: string) => (await createOrganisation(ctx.database, { parentId: ids[key], type: 'unit' })).id;
/** A fresh user whose home is the given seeded organisation. */
export const userIn = async (key: string) => (await createUser(ctx.database, { homeOrganisationId: ids[key] })).id;
export const grantOn = async (userId: string, key: string) =>
  (await usersRepo.insertGrant(ctx.database.db, { userId, organisationId: ids[key], role: 'reader', includeSubtree: false }))!.id;
export const email = () => `matris-${randomBytes(5).toString('hex')}@test.example`;
/** The id of a principal's own user (anonymous → the admin's). */
export async function userIdOf(p: Principal) {
  const mail = emailOf(p === 'anonymous' ? 'admin' : p);
  return (await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = ${mail}`)).rows[0].id;
}

export function pdfUpload() {
  const boundary = 'matris' + randomBytes(6).toString('hex');
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bilaga.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n`),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
export function fileUpload(filename: string, content: Buffer) {
  const boundary = 'matris' + randomBytes(6).toString('hex');
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}

/**
 * The modules' tables as one: cases of a route declared by several modules are concatenated (in the
 * order of `tables`). Returns each route's cases and which modules declared it.
 */
export function mergeTables(tables: Record<string, MatrixTable>) {
  const merged: MatrixTable = {};
  const declaredBy: Record<string, string[]> = {};
  for (const [module, table] of Object.entries(tables))
    for (const [key, cases] of Object.entries(table)) {
      (merged[key] ??= []).push(...cases);
      (declaredBy[key] ??= []).push(module);
    }
  return { merged, declaredBy };
}

function isPublic(routeKey: string) {
  const route = ctx.app.registeredRoutes.find((r) => `${r.method} ${r.url}` === routeKey);
  return !route?.policy || 'public' in route.policy;
}

/** The matrix's tests, inside a describe: coverage of app.registeredRoutes, then one test per case. */
export function matrixTests(tables: Record<string, MatrixTable>) {
  const { merged: MATRIX, declaredBy } = mergeTables(tables);

  it('declares every registered route, and only registered routes', () => {
    const registered = new Set(ctx.app.registeredRoutes.map((r) => `${r.method} ${r.url}`));
    const declared = new Set(Object.keys(MATRIX));
    const undeclared = [...registered].filter((k) => !declared.has(k));
    const stale = [...declared].filter((k) => !registered.has(k));
    expect(undeclared, "registered routes missing from every module's table in test/security/matrix/").toEqual([]);
    expect(stale, 'matrix entries whose route is no longer registered').toEqual([]);
    for (const [key, cases] of Object.entries(MATRIX)) expect(cases.length, `${key} has no cases (declared by ${declaredBy[key].join(', ')})`).toBeGreaterThan(0);
  });

  it('declares an expectation for every principal in every case', () => {
    for (const [key, cases] of Object.entries(MATRIX))
      for (const c of cases) expect(Object.keys(c.expect).sort(), `${key} — ${c.name}`).toEqual([...PRINCIPALS].sort());
  });

  it('names no case of a route twice (two modules adding cases to one route must not collide)', () => {
    for (const [key, cases] of Object.entries(MATRIX)) {
      const names = cases.map((c) => c.name);
      expect(names.filter((n, i) => names.indexOf(n) !== i), `${key}: case names declared twice (by ${declaredBy[key].join(', ')})`).toEqual([]);
    }
  });

  for (const [key, cases] of Object.entries(MATRIX)) {
    for (const c of cases) {
      it(`${key} — ${c.name}`, async () => {
        const problems: string[] = [];
        for (const p of PRINCIPALS) {
          const r = await send(p, await c.prepare(p));
          const got = `${r.statusCode} ${r.body.slice(0, 160)}`;
          if (c.expect[p] === 'allow') {
            if (r.statusCode < 200 || r.statusCode > 299) problems.push(`${p}: expected allow (2xx), got ${got}`);
          } else if (p === 'anonymous') {
            if (isPublic(key)) problems.push(`${key} is public: anonymous cannot be denied`);
            else if (r.statusCode !== 401) problems.push(`${p}: expected 401, got ${got}`);
            else if (r.json().error.code !== 'UNAUTHENTICATED') problems.push(`${p}: expected UNAUTHENTICATED, got ${got}`);
          } else if (r.statusCode !== 403 && r.statusCode !== 404) {
            problems.push(`${p}: expected deny (403/404), got ${got}`);
          } else {
            expect(r.headers['content-type']).toMatch(/application\/json/);
            expect(r.json().error.message).toBeTruthy();
          }
        }
        expect(problems).toEqual([]);
      });
    }
  }
}
