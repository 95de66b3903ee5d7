/**
 * The role × route matrix (issue #3, item 4): every registered route has a declared expectation for
 * every kind of principal, and the test proves it against the running app on a real database.
 *
 * - A registered route missing from MATRIX fails the test: a new module must declare its routes here.
 * - A MATRIX entry whose route no longer exists fails too.
 * - allow: the request succeeds (2xx). deny: 401 for anonymous on a non-public route, 403/404 for a
 *   signed-in principal — never 2xx.
 *
 * Each case prepares its own fresh subject (a new unit, a new user, a new grant) per principal, so
 * that allowed state changes do not influence the next principal's attempt.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { createCase, createOrganisation, createUser, orgId, signIn } from '../helpers/factories.ts';
import { usersRepo } from '../../src/server/modules/users/users.repo.ts';
import { hashToken } from '../../src/server/modules/users/users.service.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/seed.ts';
import { sql } from 'drizzle-orm';
import { programRepo } from '../../src/server/modules/program/program.repo.ts';
import { exportFiles, incidentAreas, lagesbildReports, lagesbildReportVersions, reportAttachments } from '../../src/server/db/schema/index.ts';
import { createIncidentService } from '../../src/server/modules/incidents/incidents.service.ts';
import { incidentsRepo } from '../../src/server/modules/incidents/incidents.repo.ts';
// cases: registry
import { insertRecord } from '../../src/server/modules/cases/cases.core.ts';
import { caseRecordFiles } from '../../src/server/db/schema/index.ts';
import { governingDocuments } from '../../src/server/db/schema/index.ts';
import { createFileStore } from '../../src/server/lib/filestore.ts';

const PRINCIPALS = ['anonymous', 'admin', 'coordinator', 'officer', 'reporter', 'reader', 'partner', 'committeeAdmin'] as const;
type Principal = (typeof PRINCIPALS)[number];
type Expect = 'allow' | 'deny';
type Expectations = Record<Principal, Expect>;

/** Signed-in demo principals (officer is created in beforeAll: the seed has none). */
const EMAILS: Record<Exclude<Principal, 'anonymous'>, string> = {
  admin: 'admin@lund.example', // admin on Lunds kommun with subtree
  coordinator: 'samordnare@lund.example', // coordinator on Lunds kommun with subtree
  officer: '', // officer on Socialnämnden with subtree (created below)
  reporter: 'rapportor.son@lund.example', // reporter on Socialnämnden only
  reader: 'lasare@lund.example', // reader on Lunds kommun with subtree
  partner: 'polisen@lund.example', // partner on Polismyndigheten (external)
  committeeAdmin: 'admin.son@lund.example', // admin on Socialnämnden's subtree only
};

interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object | Buffer;
  headers?: Record<string, string>;
  /** Use this cookie instead of the principal's shared session (for requests that end sessions). */
  cookie?: string | null;
}
interface Case {
  name: string;
  expect: Expectations;
  /** Builds a request for one principal, creating whatever fresh subject it needs. */
  prepare(p: Principal): Promise<Request> | Request;
}

const all = (e: Expect): Expectations => Object.fromEntries(PRINCIPALS.map((p) => [p, e])) as Expectations;
/** Allowed for exactly the listed principals, denied for everyone else (anonymous included). */
const only = (...allowed: Principal[]): Expectations =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, allowed.includes(p) ? 'allow' : 'deny'])) as Expectations;
const signedIn = only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'partner', 'committeeAdmin');

let ctx: TestContext;
const ids: Record<string, string> = {};
const cookies = new Map<Principal, string>();
let officerEmail = '';

async function cookieOf(p: Principal): Promise<string | undefined> {
  if (p === 'anonymous') return undefined;
  let c = cookies.get(p);
  if (!c) {
    c = await signIn(ctx.app, p === 'officer' ? officerEmail : EMAILS[p]);
    cookies.set(p, c);
  }
  return c;
}

/** A fresh unit under the given seeded organisation. */
const unitUnder = async (key: string) => (await createOrganisation(ctx.database, { parentId: ids[key], type: 'unit' })).id;
/** A fresh user whose home is the given seeded organisation. */
const userIn = async (key: string) => (await createUser(ctx.database, { homeOrganisationId: ids[key] })).id;
const grantOn = async (userId: string, key: string) =>
  (await usersRepo.insertGrant(ctx.database.db, { userId, organisationId: ids[key], role: 'reader', includeSubtree: false }))!.id;
const email = () => `matris-${randomBytes(5).toString('hex')}@test.example`;

/** A fresh program owned by the executive board (ks), with one focus area, one goal and an action per given organisation. */
async function freshProgram(actionOrgs: string[] = ['son']) {
  const db = ctx.database.db;
  const program = await programRepo.insertProgram(db, { kind: 'action_plan', title: `Matrisplan ${randomBytes(3).toString('hex')}`, ownerOrganisationId: ids.ks });
  const area = await programRepo.insertFocusArea(db, { programId: program.id, number: 1, title: 'Fokus' });
  const goal = await programRepo.insertGoal(db, { focusAreaId: area.id, number: 1, text: 'Mål' });
  const actions = [];
  for (const key of actionOrgs) actions.push(await programRepo.insertAction(db, { goalId: goal.id, title: `Åtgärd för ${key}`, responsibleOrganisationId: ids[key] }));
  return { program, area, goal, actions };
}
/** A fresh open round over a fresh program, with one report for the given organisation's action (state as given). */
async function freshReport(key: string, state: 'not_started' | 'submitted' = 'not_started') {
  const { program, actions } = await freshProgram([key]);
  const round = await programRepo.insertRound(ctx.database.db, { programId: program.id, name: 'Matrisomgång', deadline: '2099-01-01' });
  await programRepo.insertReports(ctx.database.db, [{ roundId: round.id, actionId: actions[0].id, organisationId: ids[key], state, ...(state === 'submitted' ? { actionStatus: 'in_progress', progress: 10 } : {}) }]);
  const [report] = await programRepo.listReports(ctx.database.db, { roundId: round.id });
  return { round, reportId: report.id as string };
}
/** An export file of the principal's own (or, for `owner: 'admin'`, someone else's), finished. */
async function exportOf(p: Principal, owner?: Principal) {
  const who = owner ?? (p === 'anonymous' ? 'admin' : p);
  const mail = who === 'officer' ? officerEmail : EMAILS[who as Exclude<Principal, 'anonymous'>];
  const { rows } = await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = ${mail}`);
  const [row] = await ctx.database.db
    .insert(exportFiles)
    .values({ kind: 'program.plan', format: 'csv', requestedBy: rows[0].id, status: 'done', progress: 100, filename: 'plan.csv', contentType: 'text/csv; charset=utf-8', content: Buffer.from('Id;Åtgärd\r\n'), size: 12 })
    .returning();
  return row.id;
}
function csvUpload() {
  const boundary = 'matris' + randomBytes(6).toString('hex');
  const csv = 'Fokusområde;Mål;Åtgärd;Ansvarig\r\n2;1;Matrisåtgärd;Socialnämnden\r\n';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plan.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`),
  };
}
function pdfUpload() {
  const boundary = 'matris' + randomBytes(6).toString('hex');
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bilaga.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n`),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}
/** A fresh report of the organisation with one attachment; its URL. */
async function attachmentUrl(key: string) {
  const { reportId } = await freshReport(key);
  const { rows } = await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = 'admin@lund.example'`);
  const [a] = await ctx.database.db
    .insert(reportAttachments)
    .values({ reportId, filename: 'bilaga.pdf', contentType: 'application/pdf', size: 14, sha256: 'x', content: Buffer.from('%PDF-1.4\n%%EOF\n'), uploadedBy: rows[0].id })
    .returning();
  return `/api/follow-up-reports/${reportId}/attachments/${a.id}`;
}

/** The id of a principal's own user (anonymous → the admin's). */
async function userIdOf(p: Principal) {
  const mail = p === 'officer' ? officerEmail : EMAILS[(p === 'anonymous' ? 'admin' : p) as Exclude<Principal, 'anonymous'>];
  return (await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = ${mail}`)).rows[0].id;
}
async function categoryId(key: string) {
  return (await incidentsRepo.findCategoryByKey(ctx.database.db, key))!.id;
}
/** A fresh incident in the given organisation, reported by a fresh user there (or by `reporterId`); `staff` → the restricted staff category with its clock. */
async function freshIncident(key: string, opts: { staff?: boolean; reporterId?: string } = {}) {
  const reporterId = opts.reporterId ?? (await userIn(key));
  // A reporter grant on the organisation: whoever the reporter is, they may report there (issue #6: only where granted, or for one's own organisation).
  const actor = { id: reporterId, name: 'Rapportör', email: 'x@test.example', sessionId: 'matrix', grants: [{ organisationId: ids[key], role: 'reporter' as const, includeSubtree: false }] };
  return createIncidentService({ db: ctx.database.db }).report({ actor, requestId: 'matrix' }, actor, {
    categoryId: await categoryId(opts.staff ? 'staff_threat' : 'vandalism'),
    description: 'Matrishändelse',
    organisationId: ids[key],
    location: { lat: 55.7, lon: 13.19 },
    ...(opts.staff ? { staff: { victimRole: 'employee' as const, perpetratorRelation: 'client' as const, sickLeave: false } } : {}),
  });
}
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
function fileUpload(filename: string, content: Buffer) {
  const boundary = 'matris' + randomBytes(6).toString('hex');
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}
// --- cases: registry ---
/** A fresh case of Socialnämnden registered by KS (secret: with a secrecy marking). */
const freshCase = (opts: { secret?: boolean } = {}) => createCase(ctx.database, { org: 'son', registryOrg: 'ks', secrecyRef: opts.secret ? '26 kap. 1 § OSL' : null });
/** A fresh record in a fresh case of Socialnämnden, optionally with a PDF in the file store. */
async function freshRecord(opts: { file?: boolean } = {}) {
  const c = await freshCase();
  const r = await ctx.database.db.transaction((tx) => insertRecord(tx, { caseId: c.id, direction: 'incoming', recordDate: '2026-01-10', title: 'Matrishandling' }));
  let fileId = '';
  if (opts.file) {
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const stored = await createFileStore(ctx.config.FILES_DIR!).put(pdf);
    const [f] = await ctx.database.db.insert(caseRecordFiles).values({ recordId: r.id, filename: 'matris.pdf', contentType: 'application/pdf', size: stored.size, sha256: stored.sha256 }).returning();
    fileId = f.id;
  }
  return { caseId: c.id, recordId: r.id, fileId };
}
/** cases.read somewhere; on Socialnämnden's cases; writing there (register or handle); secrets there. */
const caseReadersSomewhere = only('admin', 'coordinator', 'officer', 'reader', 'committeeAdmin');
const sonCaseReaders = only('admin', 'coordinator', 'officer', 'reader', 'committeeAdmin');
const sonCaseWriters = only('admin', 'coordinator', 'officer', 'committeeAdmin');
const sonCaseSecretReaders = only('admin', 'coordinator', 'committeeAdmin');
// --- Governing documents ---
const MATRIX_PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
/** A fresh governing document of the given organisation (default the executive board), optionally with its file. */
async function freshDocument(key = 'ks', status: 'draft' | 'in_force' = 'in_force', withFile = false) {
  const file = withFile ? await createFileStore(ctx.config.FILES_DIR!).put(MATRIX_PDF) : null;
  const [row] = await ctx.database.db
    .insert(governingDocuments)
    .values({
      type: 'policy',
      title: `Matrisdokument ${randomBytes(3).toString('hex')}`,
      ownerOrganisationId: ids[key],
      status,
      ...(file ? { fileName: 'policy.pdf', fileContentType: 'application/pdf', fileSize: file.size, fileSha256: file.sha256, fileUploadedAt: new Date() } : {}),
    })
    .returning();
  return row;
}
/** Document managers of the executive board: documents.manage on it. */
const ksDocumentManagers = only('admin', 'coordinator');
/** Readers of the executive board's drafts: documents.read on it. */
const ksDraftReaders = only('admin', 'coordinator', 'reader');

/** Incidents of Socialnämnden: readers (incidents.read on it) and managers (incidents.manage on it). */
const sonIncidentReaders = only('admin', 'coordinator', 'officer', 'reader', 'committeeAdmin');
const sonIncidentManagers = only('admin', 'coordinator', 'officer', 'committeeAdmin');
const incidentReadersSomewhere = only('admin', 'coordinator', 'officer', 'reader', 'partner', 'committeeAdmin');
/** Lägesbild: incidents.read (readers) or incidents.manage (writers) on the municipality itself. */
const lagesbildReaders = only('admin', 'coordinator', 'reader');
const lagesbildWriters = only('admin', 'coordinator');
let weekCounter = 0;
/** A week no note has been written for (one per request). */
const freshWeek = () => `${2001 + weekCounter++}-W10`;
/** A fresh lägesbild report (version 1), written straight to the database. */
async function freshLagesbild(status: 'draft' | 'adopted' = 'draft') {
  const by = await userIdOf('admin');
  const [row] = await ctx.database.db.insert(lagesbildReports).values({ title: 'Matris', periodFrom: '2025-01-01', periodTo: '2025-03-31', status, createdBy: by, updatedBy: by, ...(status === 'adopted' ? { adoptedAt: new Date(), adoptedBy: by } : {}) }).returning();
  await ctx.database.db.insert(lagesbildReportVersions).values({ reportId: row.id, version: 1, event: 'create', content: { title: row.title, periodFrom: row.periodFrom, periodTo: row.periodTo, status, mappingText: '', otherText: '', analysisText: '', adoptedAt: null }, savedBy: by });
  return row;
}
/** Whole-program readers: those with program.read on the executive board (the program's owner). */
const wholeProgram = only('admin', 'coordinator', 'reader');
// --- remiss ---
/** A fresh case of Kommunkontoret's (kk-ts) sent on remiss by the admin; returns the round, its recipients by key and the links' tokens. */
async function freshRemiss(keys: string[] = ['son', 'polisen'], opts: { letterFile?: boolean; replyFile?: string } = {}) {
  const { createCase } = await import('../helpers/factories.ts');
  const { multipartForm, PDF } = await import('../helpers/multipart.ts');
  const c = await createCase(ctx.database);
  const admin = (await cookieOf('admin'))!;
  const replyBy = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/cases/${c.id}/remiss-rounds`,
    headers: { cookie: admin },
    payload: { title: 'Matrisremiss', letter: 'Brev', recipients: keys.map((k) => ({ organisationId: ids[k], replyBy })) },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  const round = res.json() as { id: string; version: number; recipients: { id: string; organisationId: string }[]; issuedLinks: { recipientId: string; url: string }[] };
  const recipient = (k: string) => round.recipients.find((r) => r.organisationId === ids[k])!.id;
  const token = (k: string) => round.issuedLinks.find((l) => l.recipientId === recipient(k))!.url.split('/remissvar/')[1];
  if (opts.letterFile) {
    const form = multipartForm({}, { filename: 'brev.pdf', data: PDF });
    const up = await ctx.app.inject({ method: 'POST', url: `/api/remiss-rounds/${round.id}/letter-file`, headers: { ...form.headers, cookie: admin }, payload: form.payload });
    if (up.statusCode !== 200) throw new Error(up.body);
  }
  if (opts.replyFile) await remissReply(recipient(opts.replyFile), admin, true);
  return { caseId: c.id, round, recipient, token };
}
async function remissReply(recipientId: string, cookie: string | undefined, withFile = false) {
  const { multipartForm, PDF } = await import('../helpers/multipart.ts');
  const form = multipartForm({ kind: 'no_objection' }, withFile ? { filename: 'svar.pdf', data: PDF } : undefined);
  const res = await ctx.app.inject({ method: 'POST', url: `/api/remiss-recipients/${recipientId}/reply`, headers: { ...form.headers, ...(cookie ? { cookie } : {}) }, payload: form.payload });
  if (withFile && res.statusCode !== 201) throw new Error(res.body);
  return res;
}
const remissForm = async (fields: Record<string, string>) => (await import('../helpers/multipart.ts')).multipartForm(fields);
const caseReaders = only('admin', 'coordinator', 'reader');
const caseHandlersSomewhere = only('admin', 'coordinator', 'officer', 'committeeAdmin');

const managers = only('admin', 'coordinator');
/** followup.report somewhere: the gate of the report routes. */
const reportersOfSon = only('admin', 'coordinator', 'officer', 'reporter', 'committeeAdmin');

/**
 * The matrix. Key: "METHOD url" exactly as registered. Organisation keys: lund (municipality root),
 * son (Socialnämnden), tn (Tekniska nämnden), polisen (external partner), kk-ts (the admin's unit).
 */

// --- decisions (issue #5): fresh cases, decisions, assignments in Socialnämnden's responsibility ---
let decisionSeq = 0;
/** A fresh case of Socialnämnden (registered by KS) with a decision of KS: draft or decided (with a dispatch entry and an assignment to son). */
async function freshDecision(status: 'draft' | 'decided' = 'draft') {
  const { decisions: d, decisionClauses: k, assignments: a, dispatchEntries: e } = await import('../../src/server/db/schema/index.ts');
  const c = await createCase(ctx.database, { org: 'son' });
  const n = ++decisionSeq;
  const [dec] = await ctx.database.db
    .insert(d)
    .values({ caseId: c.id, bodyOrganisationId: ids.ks, title: 'Matrisbeslut', status, ...(status === 'decided' ? { decidedOn: '2031-01-01', paragraph: n } : {}) })
    .returning();
  const [clause] = await ctx.database.db.insert(k).values({ decisionId: dec.id, ordinal: 1, text: 'att göra något', effect: 'assignment', assigneeOrganisationId: ids.son, dueDate: '2031-12-31' }).returning();
  await ctx.database.db.insert(e).values({ decisionId: dec.id, kind: 'organisation', organisationId: ids.tn });
  let assignmentId = '';
  if (status === 'decided') assignmentId = (await ctx.database.db.insert(a).values({ clauseId: clause.id, decisionId: dec.id, caseId: c.id, organisationId: ids.son, text: clause.text }).returning())[0].id;
  return { caseId: c.id, id: dec.id, clauseId: clause.id, assignmentId };
}
/** A plan action of Socialnämnden (readable to those with program.read on it). */
async function sonActionId() {
  return (await ctx.database.db.execute<{ id: string }>(sql`select id from plan_actions where responsible_organisation_id = ${ids.son} limit 1`)).rows[0].id;
}
const sonCaseHandlers = only('admin', 'coordinator', 'officer', 'committeeAdmin');
let meetingDay = 0;

const MATRIX: Record<string, Case[]> = {
  // --- Public: operations, documentation, sign-in and invitations ---
  'GET /healthz': [{ name: 'liveness', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/healthz' }) }],
  'GET /readyz': [{ name: 'readiness', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/readyz' }) }],
  'GET /api/openapi.json': [{ name: 'OpenAPI document', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/openapi.json' }) }],
  'GET /api/docs': [{ name: 'docs UI', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs' }) }],
  'GET /api/docs/static/index.html': [
    // The plugin redirects its own index to /api/docs/; following it must succeed for everyone.
    { name: 'docs index', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/' }) },
  ],
  'GET /api/docs/static/swagger-initializer.js': [
    { name: 'docs initializer', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' }) },
  ],
  'GET /api/docs/json': [{ name: 'docs JSON', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/json' }) }],
  'GET /api/docs/yaml': [{ name: 'docs YAML', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/yaml' }) }],
  'GET /api/docs/static/*': [
    { name: 'docs asset', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/static/swagger-ui.css' }) },
  ],
  'POST /api/auth/sign-in': [
    {
      name: 'valid credentials of a fresh account',
      expect: all('allow'),
      prepare: async () => {
        const u = await createUser(ctx.database, { homeOrganisationId: ids.son, email: email() });
        return { method: 'POST', url: '/api/auth/sign-in', payload: { email: u.email, password: DEMO_PASSWORD } };
      },
    },
  ],
  'POST /api/auth/set-password': [
    {
      name: 'valid invitation token',
      expect: all('allow'),
      prepare: async () => {
        const u = await createUser(ctx.database, { homeOrganisationId: ids.son });
        const token = randomBytes(24).toString('base64url');
        await usersRepo.insertToken(ctx.database.db, {
          userId: u.id,
          purpose: 'set-password',
          tokenHash: hashToken(token),
          expiresAt: new Date(Date.now() + 3_600_000),
        });
        return { method: 'POST', url: '/api/auth/set-password', payload: { token, newPassword: 'Ett-nytt-lösenord-2026' } };
      },
    },
  ],

  // --- The signed-in user's own session and settings ---
  'GET /api/auth/me': [{ name: 'own profile', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/auth/me' }) }],
  'PUT /api/auth/locale': [{ name: 'own language', expect: signedIn, prepare: () => ({ method: 'PUT', url: '/api/auth/locale', payload: { locale: 'sv' } }) }],
  'POST /api/auth/sign-out': [
    {
      name: 'own session (a separate one, so the shared session survives)',
      expect: signedIn,
      prepare: async (p) => ({
        method: 'POST',
        url: '/api/auth/sign-out',
        cookie: p === 'anonymous' ? null : await signIn(ctx.app, p === 'officer' ? officerEmail : EMAILS[p]),
      }),
    },
  ],
  'POST /api/auth/password': [
    {
      // Changing the password ends the principal's other sessions: the shared cookie is dropped afterwards.
      name: 'own password (to the same value)',
      expect: signedIn,
      prepare: async (p) => {
        cookies.delete(p);
        return {
          method: 'POST',
          url: '/api/auth/password',
          payload: { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD },
          cookie: p === 'anonymous' ? null : await signIn(ctx.app, p === 'officer' ? officerEmail : EMAILS[p]),
        };
      },
    },
  ],

  // --- Users ---
  'GET /api/users': [{ name: 'list (filtered by scope)', expect: only('admin', 'coordinator', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: '/api/users' }) }],
  'GET /api/users/:id': [
    { name: 'user of Socialnämnden', expect: only('admin', 'coordinator', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/users/${await userIn('son')}` }) },
    { name: 'user of Tekniska nämnden', expect: only('admin', 'coordinator'), prepare: async () => ({ method: 'GET', url: `/api/users/${await userIn('tn')}` }) },
    { name: 'user of the safety unit (kk-ts)', expect: only('admin', 'coordinator'), prepare: async () => ({ method: 'GET', url: `/api/users/${await userIn('kk-ts')}` }) },
    { name: 'user of the police (external)', expect: only('admin', 'coordinator'), prepare: async () => ({ method: 'GET', url: `/api/users/${await userIn('polisen')}` }) },
  ],
  'POST /api/users': [
    {
      name: 'create in Socialnämnden',
      expect: only('admin', 'committeeAdmin'),
      prepare: () => ({ method: 'POST', url: '/api/users', payload: { email: email(), name: 'Ny Person', homeOrganisationId: ids.son, password: 'Ett-startlösenord-1' } }),
    },
    {
      name: 'create in Tekniska nämnden',
      expect: only('admin'),
      prepare: () => ({ method: 'POST', url: '/api/users', payload: { email: email(), name: 'Ny Person', homeOrganisationId: ids.tn, password: 'Ett-startlösenord-1' } }),
    },
  ],
  'PATCH /api/users/:id': [
    { name: 'rename a user of Socialnämnden', expect: only('admin', 'committeeAdmin'), prepare: async () => ({ method: 'PATCH', url: `/api/users/${await userIn('son')}`, payload: { version: 1, name: 'Nytt Namn' } }) },
    { name: 'rename a user of Tekniska nämnden', expect: only('admin'), prepare: async () => ({ method: 'PATCH', url: `/api/users/${await userIn('tn')}`, payload: { version: 1, name: 'Nytt Namn' } }) },
    { name: 'deactivate a user of Tekniska nämnden', expect: only('admin'), prepare: async () => ({ method: 'PATCH', url: `/api/users/${await userIn('tn')}`, payload: { version: 1, active: false } }) },
    {
      name: 'move a user of Socialnämnden to Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'PATCH', url: `/api/users/${await userIn('son')}`, payload: { version: 1, homeOrganisationId: ids.tn } }),
    },
  ],
  'POST /api/users/:id/roles': [
    {
      name: 'grant on Socialnämnden to a user of Socialnämnden',
      expect: only('admin', 'committeeAdmin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('son')}/roles`, payload: { organisationId: ids.son, role: 'officer' } }),
    },
    {
      name: 'grant on Tekniska nämnden to a user of Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('tn')}/roles`, payload: { organisationId: ids.tn, role: 'officer' } }),
    },
    {
      name: 'grant on Tekniska nämnden to a user of Socialnämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('son')}/roles`, payload: { organisationId: ids.tn, role: 'officer' } }),
    },
    {
      // The committee admin may grant on Socialnämnden, but must not see or change another committee's user.
      name: 'grant on Socialnämnden to a user of Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('tn')}/roles`, payload: { organisationId: ids.son, role: 'reader' } }),
    },
    {
      name: 'admin with subtree on the municipality root (escalation above own subtree)',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('son')}/roles`, payload: { organisationId: ids.lund, role: 'admin', includeSubtree: true } }),
    },
  ],
  'DELETE /api/users/:id/roles/:grantId': [
    {
      name: 'revoke a Socialnämnden grant of a Socialnämnden user',
      expect: only('admin', 'committeeAdmin'),
      prepare: async () => {
        const u = await userIn('son');
        return { method: 'DELETE', url: `/api/users/${u}/roles/${await grantOn(u, 'son')}` };
      },
    },
    {
      name: 'revoke a Tekniska nämnden grant of a Tekniska nämnden user',
      expect: only('admin'),
      prepare: async () => {
        const u = await userIn('tn');
        return { method: 'DELETE', url: `/api/users/${u}/roles/${await grantOn(u, 'tn')}` };
      },
    },
    {
      name: 'revoke a Tekniska nämnden grant of a Socialnämnden user',
      expect: only('admin'),
      prepare: async () => {
        const u = await userIn('son');
        return { method: 'DELETE', url: `/api/users/${u}/roles/${await grantOn(u, 'tn')}` };
      },
    },
    {
      name: 'revoke a Socialnämnden grant of a Tekniska nämnden user',
      expect: only('admin'),
      prepare: async () => {
        const u = await userIn('tn');
        return { method: 'DELETE', url: `/api/users/${u}/roles/${await grantOn(u, 'son')}` };
      },
    },
  ],

  // --- Organisations ---
  'GET /api/organisations': [{ name: 'the register', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/organisations' }) }],
  'GET /api/organisations/:id': [
    { name: 'Socialnämnden', expect: only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: `/api/organisations/${ids.son}` }) },
    { name: 'a unit under Socialnämnden', expect: only('admin', 'coordinator', 'officer', 'reader', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/organisations/${await unitUnder('son')}` }) },
    { name: 'Tekniska nämnden', expect: only('admin', 'coordinator', 'reader'), prepare: () => ({ method: 'GET', url: `/api/organisations/${ids.tn}` }) },
    { name: 'the municipality', expect: only('admin', 'coordinator', 'reader'), prepare: () => ({ method: 'GET', url: `/api/organisations/${ids.lund}` }) },
    { name: 'the police (external partner)', expect: only('admin', 'coordinator', 'reader', 'partner'), prepare: () => ({ method: 'GET', url: `/api/organisations/${ids.polisen}` }) },
  ],
  'POST /api/organisations': [
    { name: 'under Socialnämnden', expect: only('admin', 'committeeAdmin'), prepare: () => ({ method: 'POST', url: '/api/organisations', payload: { type: 'unit', name: 'Ny enhet', parentId: ids.son } }) },
    { name: 'under Tekniska nämnden', expect: only('admin'), prepare: () => ({ method: 'POST', url: '/api/organisations', payload: { type: 'unit', name: 'Ny enhet', parentId: ids.tn } }) },
    { name: 'top level (external partner)', expect: only('admin'), prepare: () => ({ method: 'POST', url: '/api/organisations', payload: { type: 'partner', name: 'Ny partner', parentId: null } }) },
  ],
  'PATCH /api/organisations/:id': [
    { name: 'a unit under Socialnämnden', expect: only('admin', 'committeeAdmin'), prepare: async () => ({ method: 'PATCH', url: `/api/organisations/${await unitUnder('son')}`, payload: { version: 1, name: 'Nytt namn' } }) },
    { name: 'a unit under Tekniska nämnden', expect: only('admin'), prepare: async () => ({ method: 'PATCH', url: `/api/organisations/${await unitUnder('tn')}`, payload: { version: 1, name: 'Nytt namn' } }) },
    {
      name: 'the police (external partner)',
      expect: only('admin'),
      prepare: async () => {
        const { rows } = await ctx.database.db.execute<{ version: number }>(sql`select version from organisations where id = ${ids.polisen}`);
        return { method: 'PATCH', url: `/api/organisations/${ids.polisen}`, payload: { version: rows[0].version, shortName: 'Polisen' } };
      },
    },
  ],
  'POST /api/organisations/:id/move': [
    {
      name: 'within Socialnämnden',
      expect: only('admin', 'committeeAdmin'),
      prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('son')}/move`, payload: { version: 1, parentId: await unitUnder('son') } }),
    },
    {
      name: 'from Socialnämnden to Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('son')}/move`, payload: { version: 1, parentId: ids.tn } }),
    },
    {
      name: 'within Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('tn')}/move`, payload: { version: 1, parentId: await unitUnder('tn') } }),
    },
  ],
  'POST /api/organisations/:id/active': [
    { name: 'deactivate a unit under Socialnämnden', expect: only('admin', 'committeeAdmin'), prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('son')}/active`, payload: { version: 1, active: false } }) },
    { name: 'deactivate a unit under Tekniska nämnden', expect: only('admin'), prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('tn')}/active`, payload: { version: 1, active: false } }) },
  ],

  // --- System-wide: rights on the municipality itself ---
  'GET /api/audit': [{ name: 'the log', expect: only('admin', 'coordinator'), prepare: () => ({ method: 'GET', url: '/api/audit' }) }],
  'GET /api/audit/verify': [{ name: 'chain check', expect: only('admin', 'coordinator'), prepare: () => ({ method: 'GET', url: '/api/audit/verify' }) }],
  'GET /api/admin/outbox': [{ name: 'outbox', expect: only('admin'), prepare: () => ({ method: 'GET', url: '/api/admin/outbox' }) }],
  'GET /api/admin/jobs': [{ name: 'jobs', expect: only('admin'), prepare: () => ({ method: 'GET', url: '/api/admin/jobs' }) }],

  // --- Program, plan and follow-up (programs owned by the executive board, ks) ---
  'GET /api/programs': [{ name: 'list', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/programs' }) }],
  'GET /api/programs/:id': [{ name: 'structure of a program', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/programs/${(await freshProgram()).program.id}` }) }],
  'GET /api/programs/:id/rollup': [{ name: 'roll-up (filtered to what each may see)', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/programs/${(await freshProgram(['son', 'tn'])).program.id}/rollup` }) }],
  'POST /api/programs': [
    { name: 'owned by the executive board', expect: managers, prepare: () => ({ method: 'POST', url: '/api/programs', payload: { kind: 'action_plan', title: 'Ny plan', ownerOrganisationId: ids.ks } }) },
    { name: 'owned by Socialnämnden', expect: only('admin', 'coordinator', 'committeeAdmin'), prepare: () => ({ method: 'POST', url: '/api/programs', payload: { kind: 'action_plan', title: 'Nämndens plan', ownerOrganisationId: ids.son } }) },
  ],
  'PATCH /api/programs/:id': [{ name: 'rename', expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/programs/${(await freshProgram()).program.id}`, payload: { version: 1, title: 'Nytt namn' } }) }],
  'POST /api/programs/:id/focus-areas': [{ name: 'add focus area', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/programs/${(await freshProgram()).program.id}/focus-areas`, payload: { number: 2, title: 'Nytt' } }) }],
  'PATCH /api/focus-areas/:id': [{ name: 'rename focus area', expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/focus-areas/${(await freshProgram()).area.id}`, payload: { version: 1, title: 'Nytt' } }) }],
  'POST /api/focus-areas/:id/goals': [{ name: 'add goal', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/focus-areas/${(await freshProgram()).area.id}/goals`, payload: { number: 2, text: 'Nytt mål' } }) }],
  'PATCH /api/goals/:id': [{ name: 'change goal', expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/goals/${(await freshProgram()).goal.id}`, payload: { version: 1, text: 'Ändrat' } }) }],
  'GET /api/actions': [{ name: 'list (filtered to what each may see)', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/actions' }) }],
  'GET /api/actions/:id': [
    { name: "Socialnämnden's action", expect: only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['son'])).actions[0].id}` }) },
    { name: "Tekniska nämnden's action", expect: wholeProgram, prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['tn'])).actions[0].id}` }) },
    { name: "the police's action", expect: only('admin', 'coordinator', 'reader', 'partner'), prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['polisen'])).actions[0].id}` }) },
  ],
  'GET /api/actions/:id/history': [
    { name: "Socialnämnden's action", expect: only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['son'])).actions[0].id}/history` }) },
    { name: "Tekniska nämnden's action", expect: wholeProgram, prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['tn'])).actions[0].id}/history` }) },
  ],
  'POST /api/actions': [
    { name: 'add to the executive board’s plan', expect: managers, prepare: async () => ({ method: 'POST', url: '/api/actions', payload: { goalId: (await freshProgram()).goal.id, title: 'Ny', responsibleOrganisationId: ids.son } }) },
  ],
  'PATCH /api/actions/:id': [
    { name: "change Socialnämnden's action", expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/actions/${(await freshProgram(['son'])).actions[0].id}`, payload: { version: 1, progress: 50 } }) },
  ],
  'POST /api/programs/:id/import': [
    { name: 'preview an import', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/programs/${(await freshProgram()).program.id}/import?dryRun=true`, ...csvUpload() }) },
  ],
  'GET /api/follow-up-rounds': [{ name: 'list', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/follow-up-rounds' }) }],
  'POST /api/follow-up-rounds': [
    { name: 'open a round', expect: managers, prepare: async () => ({ method: 'POST', url: '/api/follow-up-rounds', payload: { programId: (await freshProgram()).program.id, name: 'Tertial', deadline: '2099-04-30' } }) },
  ],
  'GET /api/follow-up-rounds/:id/overview': [{ name: 'overview (filtered)', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/follow-up-rounds/${(await freshReport('son')).round.id}/overview` }) }],
  'GET /api/follow-up-rounds/:id/document': [{ name: 'the board report as data', expect: wholeProgram, prepare: async () => ({ method: 'GET', url: `/api/follow-up-rounds/${(await freshReport('son')).round.id}/document` }) }],
  'POST /api/follow-up-rounds/:id/close': [{ name: 'close', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/follow-up-rounds/${(await freshReport('son')).round.id}/close`, payload: { version: 1 } }) }],
  'GET /api/follow-up-reports': [{ name: 'list (own organisations)', expect: reportersOfSon, prepare: () => ({ method: 'GET', url: '/api/follow-up-reports' }) }],
  'GET /api/follow-up-reports/:id': [
    { name: "Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'GET', url: `/api/follow-up-reports/${(await freshReport('son')).reportId}` }) },
    { name: "Tekniska nämnden's report", expect: managers, prepare: async () => ({ method: 'GET', url: `/api/follow-up-reports/${(await freshReport('tn')).reportId}` }) },
  ],
  'PUT /api/follow-up-reports/:id': [
    { name: "draft Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'PUT', url: `/api/follow-up-reports/${(await freshReport('son')).reportId}`, payload: { version: 1, done: 'Utkast' } }) },
    { name: "draft Tekniska nämnden's report", expect: managers, prepare: async () => ({ method: 'PUT', url: `/api/follow-up-reports/${(await freshReport('tn')).reportId}`, payload: { version: 1, done: 'Utkast' } }) },
  ],
  'POST /api/follow-up-reports/:id/submit': [
    { name: "submit Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'POST', url: `/api/follow-up-reports/${(await freshReport('son')).reportId}/submit`, payload: { version: 1, actionStatus: 'in_progress', progress: 20 } }) },
  ],
  'POST /api/follow-up-reports/:id/attachments': [
    { name: "attach to Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'POST', url: `/api/follow-up-reports/${(await freshReport('son')).reportId}/attachments`, ...pdfUpload() }) },
  ],
  'GET /api/follow-up-reports/:id/attachments/:attachmentId': [
    { name: "an attachment of Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'GET', url: await attachmentUrl('son') }) },
    { name: "an attachment of Tekniska nämnden's report", expect: managers, prepare: async () => ({ method: 'GET', url: await attachmentUrl('tn') }) },
  ],
  'DELETE /api/follow-up-reports/:id/attachments/:attachmentId': [
    { name: "remove from Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'DELETE', url: await attachmentUrl('son') }) },
  ],
  'POST /api/follow-up-reports/:id/return': [
    { name: "return Socialnämnden's submitted report", expect: managers, prepare: async () => ({ method: 'POST', url: `/api/follow-up-reports/${(await freshReport('son', 'submitted')).reportId}/return`, payload: { version: 1, comment: 'Komplettera' } }) },
  ],


  // --- Incidents and lägesbild (Socialnämnden's incidents; categories and the police import are municipality-wide) ---
  'GET /api/incident-areas': [{ name: 'areas', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-areas' }) }],
  'POST /api/incident-areas': [
    { name: 'add an area', expect: only('admin'), prepare: () => ({ method: 'POST', url: '/api/incident-areas', payload: { name: 'Matrisområde', geometry: { type: 'Polygon', coordinates: [[[13.0, 55.0], [13.01, 55.0], [13.01, 55.01], [13.0, 55.0]]] } } }) },
  ],
  'PATCH /api/incident-areas/:id': [
    {
      name: 'rename an area',
      expect: only('admin'),
      prepare: async () => {
        const [a] = await ctx.database.db.insert(incidentAreas).values({ name: 'Matris', geometry: { type: 'Polygon', coordinates: [[[13.0, 55.0], [13.01, 55.0], [13.01, 55.01], [13.0, 55.0]]] }, minLat: 55, minLon: 13, maxLat: 55.01, maxLon: 13.01 }).returning();
        return { method: 'PATCH', url: `/api/incident-areas/${a.id}`, payload: { version: 1, name: 'Nytt' } };
      },
    },
  ],
  'GET /api/incident-statistics': [
    { name: 'statistics (over what each may see)', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-statistics?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z' }) },
  ],
  'GET /api/incident-map': [
    { name: 'clusters (over what each may see)', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-map?bbox=13.1,55.65,13.3,55.75&zoom=12' }) },
    { name: 'police layer as points', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-map?bbox=13.1,55.65,13.3,55.75&zoom=16&source=police' }) },
  ],
  // --- Lägesbild page (issue #6 point 4/7): map settings and removing areas ---
  'GET /api/incident-map/settings': [{ name: 'tile settings', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-map/settings' }) }],
  'DELETE /api/incident-areas/:id': [
    {
      name: 'remove an area',
      expect: only('admin'),
      prepare: async () => {
        const [a] = await ctx.database.db.insert(incidentAreas).values({ name: 'Matris', geometry: { type: 'Polygon', coordinates: [[[13.0, 55.0], [13.01, 55.0], [13.01, 55.01], [13.0, 55.0]]] }, minLat: 55, minLon: 13, maxLat: 55.01, maxLon: 13.01 }).returning();
        return { method: 'DELETE', url: `/api/incident-areas/${a.id}?version=1` };
      },
    },
  ],
  'GET /api/incident-categories': [{ name: 'list', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/incident-categories' }) }],
  'POST /api/incident-categories': [
    { name: 'add a category', expect: only('admin'), prepare: () => ({ method: 'POST', url: '/api/incident-categories', payload: { key: `m_${randomBytes(4).toString('hex')}`, name: 'Matriskategori' } }) },
  ],
  'PATCH /api/incident-categories/:id': [
    {
      name: 'rename a category',
      expect: only('admin'),
      prepare: async () => ({ method: 'PATCH', url: `/api/incident-categories/${(await incidentsRepo.insertCategory(ctx.database.db, { key: `m_${randomBytes(4).toString('hex')}`, name: 'Matris' })).id}`, payload: { version: 1, name: 'Nytt namn' } }),
    },
  ],
  'GET /api/incidents': [{ name: 'list (what each may see)', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/incidents' }) }],
  'POST /api/incidents': [
    // A partner (the police) reports only where granted: not for Socialnämnden.
    { name: 'report for Socialnämnden', expect: only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'committeeAdmin'), prepare: async () => ({ method: 'POST', url: '/api/incidents', payload: { categoryId: await categoryId('graffiti'), description: 'Klotter', organisationId: ids.son } }) },
    { name: 'report for the police (external partner)', expect: only('admin', 'coordinator', 'reader', 'partner'), prepare: async () => ({ method: 'POST', url: '/api/incidents', payload: { categoryId: await categoryId('graffiti'), description: 'Klotter', organisationId: ids.polisen } }) },
  ],
  'GET /api/incidents/:id': [
    { name: "Socialnämnden's incident", expect: sonIncidentReaders, prepare: async () => ({ method: 'GET', url: `/api/incidents/${(await freshIncident('son')).id}` }) },
    { name: 'threat against staff at Socialnämnden (restricted)', expect: sonIncidentManagers, prepare: async () => ({ method: 'GET', url: `/api/incidents/${(await freshIncident('son', { staff: true })).id}` }) },
    { name: 'own restricted report', expect: signedIn, prepare: async (p) => ({ method: 'GET', url: `/api/incidents/${(await freshIncident('tn', { staff: true, reporterId: await userIdOf(p) })).id}` }) },
  ],
  'PATCH /api/incidents/:id': [
    { name: 'handle (status)', expect: sonIncidentManagers, prepare: async () => ({ method: 'PATCH', url: `/api/incidents/${(await freshIncident('son')).id}`, payload: { version: 1, status: 'in_progress' } }) },
  ],
  'POST /api/incidents/:id/comments': [
    { name: "comment on Socialnämnden's incident", expect: sonIncidentManagers, prepare: async () => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/comments`, payload: { text: 'Kommentar' } }) },
    { name: 'comment on own report', expect: signedIn, prepare: async (p) => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('tn', { reporterId: await userIdOf(p) })).id}/comments`, payload: { text: 'Tillägg' } }) },
  ],
  'POST /api/incidents/:id/timeline/:entryId/strike': [
    {
      name: 'strike out an entry',
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son');
        return { method: 'POST', url: `/api/incidents/${inc.id}/timeline/${inc.timeline[0].id}/strike`, payload: { reason: 'Fel' } };
      },
    },
  ],
  'POST /api/incidents/:id/tasks': [
    { name: 'add a task', expect: sonIncidentManagers, prepare: async () => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/tasks`, payload: { title: 'Följ upp', dueDate: '2099-01-01' } }) },
  ],
  'PATCH /api/incident-tasks/:id': [
    {
      name: 'mark a task done',
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son');
        const t = await incidentsRepo.insertTask(ctx.database.db, { incidentId: inc.id, title: 'Matris', dueDate: '2099-01-01' });
        return { method: 'PATCH', url: `/api/incident-tasks/${t.id}`, payload: { version: 1, done: true } };
      },
    },
  ],
  'POST /api/incidents/:id/clocks/:clockId/stop': [
    {
      name: 'stop the Arbetsmiljöverket clock',
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son', { staff: true });
        return { method: 'POST', url: `/api/incidents/${inc.id}/clocks/${inc.clocks[0].id}/stop`, payload: { reason: 'reported' } };
      },
    },
  ],
  'POST /api/incidents/:id/photos': [
    { name: "photo on Socialnämnden's incident", expect: sonIncidentManagers, prepare: async () => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/photos`, ...fileUpload('bild.png', PNG) }) },
    { name: 'photo on own report', expect: signedIn, prepare: async (p) => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('tn', { reporterId: await userIdOf(p) })).id}/photos`, ...fileUpload('bild.png', PNG) }) },
  ],
  'GET /api/incidents/:id/photos/:photoId': [
    {
      name: "photo of Socialnämnden's incident",
      expect: sonIncidentReaders,
      prepare: async () => {
        const inc = await freshIncident('son');
        const photo = await incidentsRepo.insertPhoto(ctx.database.db, { incidentId: inc.id, filename: 'a.png', contentType: 'image/png', size: PNG.length, content: PNG, uploadedBy: await userIdOf('admin') });
        return { method: 'GET', url: `/api/incidents/${inc.id}/photos/${photo!.id}` };
      },
    },
  ],
  'POST /api/police-events/import': [
    {
      name: 'import a police events file',
      expect: managers,
      prepare: () => ({
        method: 'POST',
        url: '/api/police-events/import',
        ...fileUpload('events.json', Buffer.from(JSON.stringify([{ id: 1_000_000 + Math.floor(Math.random() * 1e6), datetime: '2026-08-22 9:13:04 +02:00', name: 'Skadegörelse, Lund', summary: '', url: '/x', type: 'Skadegörelse', location: { name: 'Lund', gps: '55.70466,13.191007' } }]))),
      }),
    },
  ],
  // --- Incidents: handlers, own tasks, links to program actions ---
  'GET /api/incidents/:id/handlers': [
    { name: "who may handle Socialnämnden's incident", expect: sonIncidentManagers, prepare: async () => ({ method: 'GET', url: `/api/incidents/${(await freshIncident('son')).id}/handlers` }) },
  ],
  'GET /api/incident-tasks/mine': [{ name: 'own open incident tasks', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/incident-tasks/mine' }) }],
  'GET /api/incident-link-targets': [
    { name: 'search actions to link', expect: only('admin', 'coordinator', 'officer', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: '/api/incident-link-targets?kind=action&q=Matris' }) },
    { name: 'search cases to link', expect: only('admin', 'coordinator', 'officer', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: '/api/incident-link-targets?kind=case&q=KS' }) },
  ],
  'POST /api/incidents/:id/links': [
    {
      name: "link Socialnämnden's incident to Socialnämnden's action",
      expect: sonIncidentManagers,
      prepare: async () => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/links`, payload: { kind: 'action', targetId: (await freshProgram(['son'])).actions[0].id } }),
    },
    {
      name: "link Socialnämnden's incident to Socialnämnden's case (readable by all its incident managers)",
      expect: sonIncidentManagers,
      prepare: async () => {
        const { createCase } = await import('../helpers/factories.ts');
        const c = await createCase(ctx.database, { org: 'son', registryOrg: 'ks' });
        return { method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/links`, payload: { kind: 'case', targetId: c.id } };
      },
    },
  ],
  'DELETE /api/incidents/:id/links/:linkId': [
    {
      name: 'remove a link',
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son');
        const link = await incidentsRepo.insertLink(ctx.database.db, { incidentId: inc.id, targetKind: 'action', targetId: (await freshProgram(['son'])).actions[0].id });
        return { method: 'DELETE', url: `/api/incidents/${inc.id}/links/${link!.id}` };
      },
    },
  ],
  'GET /api/police-events': [{ name: 'the police layer', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/police-events' }) }],
  'GET /api/police-type-mappings': [{ name: 'type mapping', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/police-type-mappings' }) }],
  'PUT /api/police-type-mappings': [
    { name: 'change the mapping', expect: only('admin'), prepare: async () => ({ method: 'PUT', url: '/api/police-type-mappings', payload: { items: [{ policeType: 'Skadegörelse', categoryId: await categoryId('vandalism') }] } }) },
  ],

  // --- Lägesbild (issue #6 point 6): the municipality's; read with incidents.read on it, written with incidents.manage on it ---
  'GET /api/lagesbild/weeks': [{ name: 'the weekly view', expect: lagesbildReaders, prepare: () => ({ method: 'GET', url: '/api/lagesbild/weeks?week=2025-W20' }) }],
  'PUT /api/lagesbild/weeks/:week/note': [
    { name: "write a week's first review note", expect: lagesbildWriters, prepare: () => ({ method: 'PUT', url: `/api/lagesbild/weeks/${freshWeek()}/note`, payload: { text: 'Avstämning', version: null } }) },
  ],
  'GET /api/lagesbild/reports': [{ name: 'list', expect: lagesbildReaders, prepare: () => ({ method: 'GET', url: '/api/lagesbild/reports' }) }],
  'POST /api/lagesbild/reports': [
    { name: 'create a draft', expect: lagesbildWriters, prepare: () => ({ method: 'POST', url: '/api/lagesbild/reports', payload: { title: 'Matrislägesbild', periodFrom: '2025-01-01', periodTo: '2025-04-30' } }) },
  ],
  'GET /api/lagesbild/reports/:id': [{ name: 'a report', expect: lagesbildReaders, prepare: async () => ({ method: 'GET', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}` }) }],
  'PATCH /api/lagesbild/reports/:id': [
    { name: 'edit a draft', expect: lagesbildWriters, prepare: async () => ({ method: 'PATCH', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}`, payload: { version: 1, analysisText: 'Analys' } }) },
  ],
  'POST /api/lagesbild/reports/:id/adopt': [
    { name: 'adopt a draft', expect: lagesbildWriters, prepare: async () => ({ method: 'POST', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}/adopt`, payload: { version: 1 } }) },
  ],
  'POST /api/lagesbild/reports/:id/new-version': [
    { name: 'start a new version of an adopted report', expect: lagesbildWriters, prepare: async () => ({ method: 'POST', url: `/api/lagesbild/reports/${(await freshLagesbild('adopted')).id}/new-version`, payload: { version: 1 } }) },
  ],
  'GET /api/lagesbild/reports/:id/versions': [{ name: 'versions', expect: lagesbildReaders, prepare: async () => ({ method: 'GET', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}/versions` }) }],
  'GET /api/lagesbild/reports/:id/versions/:version': [
    { name: 'one version', expect: lagesbildReaders, prepare: async () => ({ method: 'GET', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}/versions/1` }) },
  ],
  // --- cases: registry (Socialnämnden's cases registered by KS; the registering body's registrars are admin and coordinator here) ---
  'GET /api/case-options': [{ name: 'registration choices', expect: caseReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/case-options' }) }],
  'GET /api/cases': [{ name: 'list (what each may read)', expect: caseReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/cases?status=open' }) }],
  'POST /api/cases': [
    { name: 'register for KS', expect: only('admin', 'coordinator'), prepare: () => ({ method: 'POST', url: '/api/cases', payload: { registryOrganisationId: ids.ks, title: 'Matrisärende', caseType: 'Övrigt', organisationId: ids.son } }) },
  ],
  'GET /api/cases/:id': [
    { name: "Socialnämnden's case", expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshCase()).id}` }) },
    { name: "Socialnämnden's secrecy-marked case", expect: sonCaseSecretReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshCase({ secret: true })).id}` }) },
  ],
  'PATCH /api/cases/:id': [
    { name: 'change status', expect: sonCaseWriters, prepare: async () => ({ method: 'PATCH', url: `/api/cases/${(await freshCase()).id}`, payload: { version: 1, status: 'dormant' } }) },
  ],
  'GET /api/cases/:id/records': [{ name: 'records', expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshCase()).id}/records` }) }],
  'POST /api/cases/:id/records': [
    { name: 'register a record', expect: sonCaseWriters, prepare: async () => ({ method: 'POST', url: `/api/cases/${(await freshCase()).id}/records`, payload: { direction: 'incoming', recordDate: '2026-01-10', title: 'Skrivelse' } }) },
  ],
  'PATCH /api/cases/:id/records/:recordId': [
    {
      name: "correct a record's metadata",
      expect: sonCaseWriters,
      prepare: async () => {
        const r = await freshRecord();
        return { method: 'PATCH', url: `/api/cases/${r.caseId}/records/${r.recordId}`, payload: { version: 1, title: 'Rättad titel' } };
      },
    },
  ],
  'POST /api/cases/:id/records/:recordId/files': [
    {
      name: 'attach a PDF',
      expect: sonCaseWriters,
      prepare: async () => {
        const r = await freshRecord();
        return { method: 'POST', url: `/api/cases/${r.caseId}/records/${r.recordId}/files`, ...pdfUpload() };
      },
    },
  ],
  'GET /api/cases/:id/records/:recordId/files/:fileId': [
    {
      name: "download a file of Socialnämnden's case",
      expect: sonCaseReaders,
      prepare: async () => {
        const r = await freshRecord({ file: true });
        return { method: 'GET', url: `/api/cases/${r.caseId}/records/${r.recordId}/files/${r.fileId}` };
      },
    },
  ],
  'GET /api/search': [{ name: 'registry search', expect: caseReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/search?q=matrisärende' }) }],
  // --- Governing documents: adopted ones are for every reader; drafts for readers of the owner; changes for its document managers ---
  'GET /api/documents': [{ name: 'the register (what each may see)', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/documents' }) }],
  'GET /api/documents/:id': [
    { name: 'a document in force', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/documents/${(await freshDocument()).id}` }) },
    { name: "the executive board's draft", expect: ksDraftReaders, prepare: async () => ({ method: 'GET', url: `/api/documents/${(await freshDocument('ks', 'draft')).id}` }) },
  ],
  'POST /api/documents': [
    { name: "the executive board's document", expect: ksDocumentManagers, prepare: () => ({ method: 'POST', url: '/api/documents', payload: { type: 'policy', title: 'Matrispolicy', ownerOrganisationId: ids.ks } }) },
    { name: "Socialnämnden's document", expect: only('admin', 'coordinator', 'committeeAdmin'), prepare: () => ({ method: 'POST', url: '/api/documents', payload: { type: 'routine', title: 'Matrisrutin', ownerOrganisationId: ids.son } }) },
  ],
  'PATCH /api/documents/:id': [
    { name: "change the executive board's document", expect: ksDocumentManagers, prepare: async () => ({ method: 'PATCH', url: `/api/documents/${(await freshDocument()).id}`, payload: { version: 1, title: 'Ändrad' } }) },
  ],
  'POST /api/documents/:id/file': [
    { name: "file of the executive board's document", expect: ksDocumentManagers, prepare: async () => ({ method: 'POST', url: `/api/documents/${(await freshDocument()).id}/file`, ...fileUpload('policy.pdf', MATRIX_PDF) }) },
  ],
  'GET /api/documents/:id/file': [
    { name: 'file of a document in force', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/documents/${(await freshDocument('ks', 'in_force', true)).id}/file` }) },
    { name: "file of the executive board's draft", expect: ksDraftReaders, prepare: async () => ({ method: 'GET', url: `/api/documents/${(await freshDocument('ks', 'draft', true)).id}/file` }) },
  ],
  'GET /api/public/documents': [{ name: 'public list of documents in force', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/public/documents' }) }],

  // --- Generated files: each kind checks its own rights; only the requester sees the file ---
  'POST /api/exports': [
    { name: 'follow-up report of a program', expect: wholeProgram, prepare: async () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'program.followup-report', format: 'xlsx', params: { roundId: (await freshReport('son')).round.id } } }) },
    { name: 'the plan as a spreadsheet', expect: wholeProgram, prepare: async () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'program.plan', format: 'csv', params: { programId: (await freshProgram()).program.id } } }) },
    { name: 'lägesbild report as PDF', expect: lagesbildReaders, prepare: async () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'incidents.lagesbild-report', format: 'pdf', params: { reportId: (await freshLagesbild()).id } } }) },
    { name: 'incident statistics as XLSX (over what each may see)', expect: incidentReadersSomewhere, prepare: () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'incidents.statistics', format: 'xlsx', params: { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' } } }) },
    { name: 'governing documents in force', expect: signedIn, prepare: () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'documents.in-force', format: 'pdf', params: {} } }) },
  ],
  'GET /api/exports/:id': [
    { name: 'own file', expect: signedIn, prepare: async (p) => ({ method: 'GET', url: `/api/exports/${await exportOf(p)}` }) },
    { name: "someone else's file", expect: only('admin'), prepare: async () => ({ method: 'GET', url: `/api/exports/${await exportOf('admin', 'admin')}` }) },
  ],
  'GET /api/exports/:id/file': [
    { name: 'own file', expect: signedIn, prepare: async (p) => ({ method: 'GET', url: `/api/exports/${await exportOf(p)}/file` }) },
    { name: "the reader's file", expect: only('reader'), prepare: async () => ({ method: 'GET', url: `/api/exports/${await exportOf('reader', 'reader')}/file` }) },
  ],
  // --- Decisions, assignments and dispatch (issue #5; cases of Socialnämnden) ---
  'GET /api/meetings': [{ name: 'meetings', expect: sonCaseReaders, prepare: () => ({ method: 'GET', url: '/api/meetings' }) }],
  'POST /api/meetings': [
    { name: 'a meeting of KS', expect: sonCaseHandlers, prepare: () => ({ method: 'POST', url: '/api/meetings', payload: { bodyOrganisationId: ids.ks, meetingDate: new Date(Date.UTC(2040, 0, 1 + ++meetingDay)).toISOString().slice(0, 10) } }) },
  ],
  'GET /api/cases/:id/decisions': [{ name: "Socialnämnden's case", expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshDecision()).caseId}/decisions` }) }],
  'POST /api/cases/:id/decisions': [
    { name: "in Socialnämnden's case", expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/cases/${(await freshDecision()).caseId}/decisions`, payload: { bodyOrganisationId: ids.ks, title: 'Nytt beslut' } }) },
  ],
  'GET /api/decisions/:id': [{ name: 'a decision', expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/decisions/${(await freshDecision()).id}` }) }],
  'PATCH /api/decisions/:id': [{ name: 'a draft', expect: sonCaseHandlers, prepare: async () => ({ method: 'PATCH', url: `/api/decisions/${(await freshDecision()).id}`, payload: { version: 1, title: 'Ändrad' } }) }],
  'POST /api/decisions/:id/clauses': [
    { name: 'add an att-sats', expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/decisions/${(await freshDecision()).id}/clauses`, payload: { version: 1, text: 'att också göra detta' } }) },
  ],
  'PATCH /api/decisions/:id/clauses/:clauseId': [
    { name: 'edit an att-sats', expect: sonCaseHandlers, prepare: async () => { const d = await freshDecision(); return { method: 'PATCH', url: `/api/decisions/${d.id}/clauses/${d.clauseId}`, payload: { version: 1, text: 'att ändra' } }; } },
  ],
  'DELETE /api/decisions/:id/clauses/:clauseId': [
    { name: 'remove an att-sats', expect: sonCaseHandlers, prepare: async () => { const d = await freshDecision(); return { method: 'DELETE', url: `/api/decisions/${d.id}/clauses/${d.clauseId}?version=1` }; } },
  ],
  'PUT /api/decisions/:id/clause-order': [
    { name: 'reorder', expect: sonCaseHandlers, prepare: async () => { const d = await freshDecision(); return { method: 'PUT', url: `/api/decisions/${d.id}/clause-order`, payload: { version: 1, clauseIds: [d.clauseId] } }; } },
  ],
  'POST /api/decisions/:id/decide': [
    { name: 'mark decided', expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/decisions/${(await freshDecision()).id}/decide`, payload: { version: 1, decidedOn: '2032-01-01', paragraph: ++decisionSeq } }) },
  ],
  'PUT /api/decisions/:id/dispatch-list': [
    { name: 'dispatch list', expect: sonCaseHandlers, prepare: async () => ({ method: 'PUT', url: `/api/decisions/${(await freshDecision('decided')).id}/dispatch-list`, payload: { version: 1, organisationIds: [ids.tn, ids.polisen], file: true } }) },
  ],
  'POST /api/decisions/:id/dispatch': [
    { name: 'dispatch', expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/decisions/${(await freshDecision('decided')).id}/dispatch`, payload: { version: 1 } }) },
  ],
  'GET /api/decisions/:id/extract.pdf': [
    { name: 'extract of a decided decision', expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/decisions/${(await freshDecision('decided')).id}/extract.pdf` }) },
  ],
  'GET /api/assignments': [{ name: 'assignments (what each may see)', expect: sonCaseReaders, prepare: () => ({ method: 'GET', url: '/api/assignments' }) }],
  'PATCH /api/assignments/:id': [
    { name: "Socialnämnden's assignment", expect: sonCaseHandlers, prepare: async () => ({ method: 'PATCH', url: `/api/assignments/${(await freshDecision('decided')).assignmentId}`, payload: { version: 1, status: 'done' } }) },
  ],
  'POST /api/assignments/:id/actions': [
    { name: "link Socialnämnden's action", expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/assignments/${(await freshDecision('decided')).assignmentId}/actions`, payload: { actionId: await sonActionId() } }) },
  ],
  'DELETE /api/assignments/:id/actions/:actionId': [
    {
      name: 'unlink an action',
      expect: sonCaseHandlers,
      prepare: async () => {
        const { assignmentActions } = await import('../../src/server/db/schema/index.ts');
        const d = await freshDecision('decided');
        const actionId = await sonActionId();
        await ctx.database.db.insert(assignmentActions).values({ assignmentId: d.assignmentId, actionId });
        return { method: 'DELETE', url: `/api/assignments/${d.assignmentId}/actions/${actionId}` };
      },
    },
  ],

  // --- remiss: the case's readers see its rounds, its handlers send and manage them; internal recipients answer; the link is public ---
  'GET /api/cases/:id/remiss-rounds': [{ name: "rounds of Kommunkontoret's case", expect: caseReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshRemiss()).caseId}/remiss-rounds` }) }],
  'POST /api/cases/:id/remiss-rounds': [
    {
      name: "send Kommunkontoret's case on remiss",
      expect: managers,
      prepare: async () => ({
        method: 'POST',
        url: `/api/cases/${(await (await import('../helpers/factories.ts')).createCase(ctx.database)).id}/remiss-rounds`,
        payload: { title: 'Remiss', letter: 'Brev', recipients: [{ organisationId: ids.son, replyBy: '2099-01-01' }] },
      }),
    },
  ],
  'POST /api/remiss-rounds/:id/letter-file': [
    { name: 'attach the letter', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/remiss-rounds/${(await freshRemiss()).round.id}/letter-file`, ...fileUpload('brev.pdf', Buffer.from('%PDF-1.4\n%%EOF\n')) }) },
  ],
  'GET /api/remiss-rounds/:id/letter-file': [
    { name: 'the letter of a round to Tekniska nämnden', expect: caseReaders, prepare: async () => ({ method: 'GET', url: `/api/remiss-rounds/${(await freshRemiss(['tn'], { letterFile: true })).round.id}/letter-file` }) },
    { name: 'the letter of a round to Socialnämnden', expect: only('admin', 'coordinator', 'reader', 'officer', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/remiss-rounds/${(await freshRemiss(['son'], { letterFile: true })).round.id}/letter-file` }) },
  ],
  'POST /api/remiss-rounds/:id/close': [
    { name: 'close a round', expect: managers, prepare: async () => { const r = await freshRemiss(); return { method: 'POST', url: `/api/remiss-rounds/${r.round.id}/close`, payload: { version: r.round.version } }; } },
  ],
  'POST /api/remiss-recipients/:id/link': [{ name: "re-issue the police's link", expect: managers, prepare: async () => ({ method: 'POST', url: `/api/remiss-recipients/${(await freshRemiss()).recipient('polisen')}/link` }) }],
  'DELETE /api/remiss-recipients/:id/link': [{ name: "revoke the police's link", expect: managers, prepare: async () => ({ method: 'DELETE', url: `/api/remiss-recipients/${(await freshRemiss()).recipient('polisen')}/link` }) }],
  'POST /api/remiss-recipients/:id/reply': [
    { name: "Socialnämnden's reply", expect: caseHandlersSomewhere, prepare: async () => ({ method: 'POST', url: `/api/remiss-recipients/${(await freshRemiss()).recipient('son')}/reply`, ...(await remissForm({ kind: 'no_objection' })) }) },
    { name: "the police's reply (recorded by the handläggare)", expect: managers, prepare: async () => ({ method: 'POST', url: `/api/remiss-recipients/${(await freshRemiss()).recipient('polisen')}/reply`, ...(await remissForm({ kind: 'no_objection' })) }) },
  ],
  'GET /api/remiss-recipients/:id/reply-file': [
    { name: "Socialnämnden's reply file", expect: only('admin', 'coordinator', 'reader', 'officer', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/remiss-recipients/${(await freshRemiss(['son'], { replyFile: 'son' })).recipient('son')}/reply-file` }) },
  ],
  'GET /api/remiss-inbox': [{ name: 'remisser till oss', expect: caseHandlersSomewhere, prepare: () => ({ method: 'GET', url: '/api/remiss-inbox' }) }],
  'GET /api/remissvar/:token': [{ name: 'the remiss behind a personal link', expect: all('allow'), prepare: async () => ({ method: 'GET', url: `/api/remissvar/${(await freshRemiss()).token('polisen')}` }) }],
  'GET /api/remissvar/:token/letter-file': [
    { name: 'the letter behind a personal link', expect: all('allow'), prepare: async () => ({ method: 'GET', url: `/api/remissvar/${(await freshRemiss(['polisen'], { letterFile: true })).token('polisen')}/letter-file` }) },
  ],
  'POST /api/remissvar/:token': [
    { name: 'reply through a personal link', expect: all('allow'), prepare: async () => ({ method: 'POST', url: `/api/remissvar/${(await freshRemiss()).token('polisen')}`, ...(await remissForm({ kind: 'no_objection' })), cookie: null }) },
  ],
};

async function send(p: Principal, r: Request): Promise<LightMyRequestResponse> {
  const cookie = r.cookie === null ? undefined : (r.cookie ?? (await cookieOf(p)));
  return ctx.app.inject({ method: r.method, url: r.url, payload: r.payload, headers: { ...r.headers, ...(cookie ? { cookie } : {}) } });
}

function isPublic(routeKey: string) {
  const route = ctx.app.registeredRoutes.find((r) => `${r.method} ${r.url}` === routeKey);
  return !route?.policy || 'public' in route.policy;
}

beforeAll(async () => {
  ctx = await createTestApp();
  for (const key of ['lund', 'son', 'tn', 'polisen', 'kk-ts', 'ks']) ids[key] = await orgId(ctx.database, key);
  officerEmail = email();
  await createUser(ctx.database, { homeOrganisationId: ids.son, email: officerEmail, grants: [{ organisationId: ids.son, role: 'officer', includeSubtree: true }] });
});
afterAll(() => ctx?.close());

describe('route matrix', () => {
  it('declares every registered route, and only registered routes', () => {
    const registered = new Set(ctx.app.registeredRoutes.map((r) => `${r.method} ${r.url}`));
    const declared = new Set(Object.keys(MATRIX));
    const undeclared = [...registered].filter((k) => !declared.has(k));
    const stale = [...declared].filter((k) => !registered.has(k));
    expect(undeclared, 'registered routes missing from MATRIX in test/security/route-matrix.test.ts').toEqual([]);
    expect(stale, 'MATRIX entries whose route is no longer registered').toEqual([]);
    for (const [key, cases] of Object.entries(MATRIX)) expect(cases.length, `${key} has no cases`).toBeGreaterThan(0);
  });

  it('declares an expectation for every principal in every case', () => {
    for (const [key, cases] of Object.entries(MATRIX))
      for (const c of cases) expect(Object.keys(c.expect).sort(), `${key} — ${c.name}`).toEqual([...PRINCIPALS].sort());
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
});

describe('cross-committee isolation (Socialnämnden vs Tekniska nämnden)', () => {
  const as = async (p: Principal, method: Request['method'], url: string, payload?: object) => send(p, { method, url, payload });
  const denied = (r: LightMyRequestResponse) => {
    expect([403, 404], r.body).toContain(r.statusCode);
    // Nothing of the subject leaks in the refusal.
    expect(Object.keys(r.json())).toEqual(['error']);
  };

  it("denies Socialnämnden's reporter and admin Tekniska nämnden's organisation", async () => {
    const tn = (await as('admin', 'GET', `/api/organisations/${ids.tn}`)).json();
    for (const p of ['reporter', 'committeeAdmin'] as const) {
      denied(await as(p, 'GET', `/api/organisations/${ids.tn}`));
      denied(await as(p, 'PATCH', `/api/organisations/${ids.tn}`, { version: tn.version, name: 'Kapad nämnd' }));
      denied(await as(p, 'POST', `/api/organisations/${ids.tn}/active`, { version: tn.version, active: false }));
      denied(await as(p, 'POST', `/api/organisations/${ids.tn}/move`, { version: tn.version, parentId: ids.son }));
    }
    const after = (await as('admin', 'GET', `/api/organisations/${ids.tn}`)).json();
    expect(after).toMatchObject({ name: 'Tekniska nämnden', version: tn.version, active: true, parentId: ids.lund });
  });

  it("denies Socialnämnden's admin Tekniska nämnden's users and their grants", async () => {
    const tnUser = (await as('admin', 'GET', '/api/users?q=rapportor.tn')).json().items[0];
    expect(tnUser.email).toBe('rapportor.tn@lund.example');
    const grant = tnUser.grants[0];
    denied(await as('committeeAdmin', 'GET', `/api/users/${tnUser.id}`));
    denied(await as('committeeAdmin', 'PATCH', `/api/users/${tnUser.id}`, { version: tnUser.version, name: 'Kapad' }));
    denied(await as('committeeAdmin', 'PATCH', `/api/users/${tnUser.id}`, { version: tnUser.version, active: false }));
    denied(await as('committeeAdmin', 'PATCH', `/api/users/${tnUser.id}`, { version: tnUser.version, homeOrganisationId: ids.son }));
    denied(await as('committeeAdmin', 'DELETE', `/api/users/${tnUser.id}/roles/${grant.id}`));
    denied(await as('committeeAdmin', 'POST', `/api/users/${tnUser.id}/roles`, { organisationId: ids.tn, role: 'admin' }));
    denied(await as('committeeAdmin', 'POST', `/api/users/${tnUser.id}/roles`, { organisationId: ids.son, role: 'reader' }));
    for (const p of ['reporter', 'officer', 'reader', 'partner'] as const) denied(await as(p, 'GET', `/api/users/${tnUser.id}`));

    const after = (await as('admin', 'GET', `/api/users/${tnUser.id}`)).json();
    expect(after).toMatchObject({ name: tnUser.name, version: tnUser.version, active: true, homeOrganisationId: ids.tn });
    expect(after.grants).toEqual(tnUser.grants);
  });

  it("leaves other committees' users out of the committee admin's list, filters included", async () => {
    const own = await userIn('son');
    const other = await userIn('tn');
    const list = async (query: string) => (await as('committeeAdmin', 'GET', `/api/users${query}`)).json();
    const everything = await list('?limit=500&includeInactive=true');
    const listed = everything.items.map((u: { id: string }) => u.id);
    expect(listed).toContain(own);
    expect(listed).not.toContain(other);
    // Every listed user lives in Socialnämnden's subtree; the total counts only those.
    const sonSubtree = new Set((await ctx.database.db.execute<{ id: string }>(sql`
      with recursive t as (select id from organisations where id = ${ids.son} union all select o.id from organisations o join t on o.parent_id = t.id)
      select id from t`)).rows.map((r) => r.id));
    expect(everything.items.every((u: { homeOrganisationId: string }) => sonSubtree.has(u.homeOrganisationId))).toBe(true);
    expect(everything.total).toBe(everything.items.length);
    const inScope = await ctx.database.db.execute<{ n: number }>(sql`
      with recursive t as (select id from organisations where id = ${ids.son} union all select o.id from organisations o join t on o.parent_id = t.id)
      select count(*)::int as n from users where home_organisation_id in (select id from t)`);
    expect(everything.total).toBe(inScope.rows[0].n);

    // Asking for the other committee explicitly, or searching for its user, gives nothing.
    expect((await list(`?organisationId=${ids.tn}`)).items).toEqual([]);
    expect((await list('?q=rapportor.tn')).total).toBe(0);
    // …while the municipality's admin sees both.
    const adminList = (await as('admin', 'GET', '/api/users?limit=500')).json().items.map((u: { id: string }) => u.id);
    expect(adminList).toEqual(expect.arrayContaining([own, other]));
  });

  it("a Socialnämnden reporter cannot list users at all, and a committee admin cannot read the municipality's log", async () => {
    denied(await as('reporter', 'GET', '/api/users'));
    denied(await as('committeeAdmin', 'GET', '/api/audit'));
    denied(await as('committeeAdmin', 'GET', '/api/admin/outbox'));
  });
});
