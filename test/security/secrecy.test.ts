/**
 * The generated secrecy test (issue #10 item 1): for every record type that can hold secret text or
 * files, one instance carries a unique marker in its title/text and file and is marked secret; then
 * every registered GET route (path parameters filled from the known ids, queries that widen results and
 * search for each marker) and every registered export kind is called as each principal who lacks the
 * type's secret right, and no response — JSON, PDF, DOCX, XLSX or raw bytes — may contain the marker.
 * A route that is neither exercised nor listed in NO_RECORD_CONTENT fails the test, and so does an
 * export kind without parameters here. The positive side (a holder of the right sees the marker) keeps
 * the test honest.
 */
import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createCase } from '../helpers/factories.ts';
import { createJobRunner } from '../../src/server/lib/job-runner.ts';
import { createIncidentService } from '../../src/server/modules/incidents/incidents.service.ts';
import { silentLog } from '../helpers/jobs.ts';
import { multipartForm } from '../helpers/multipart.ts';
import { pdfText } from '../helpers/pdf.ts';
import { signIn } from '../helpers/factories.ts';
import { cookieOf, ctx, ids, setupMatrix, userIdOf, userIn, type Principal } from './matrix.ts';
import { categoryId } from './matrix/incidents.ts';
import { freshReport } from './matrix/program.ts';

type SecretKind = 'case' | 'record' | 'remissLetter' | 'remissReply' | 'incident' | 'restrictedIncident' | 'document' | 'lagesbild' | 'reportAttachment';
const KINDS: SecretKind[] = ['case', 'record', 'remissLetter', 'remissReply', 'incident', 'restrictedIncident', 'document', 'lagesbild', 'reportAttachment'];

/** One marker word per kind (text), and one per kind for file bytes. Letters and digits only: one search token. */
const tag = randomBytes(4).toString('hex');
const TEXT: Record<SecretKind, string> = Object.fromEntries(KINDS.map((k) => [k, `HEMLIG${k}T${tag}`])) as Record<SecretKind, string>;
const FILE: Record<SecretKind, string> = Object.fromEntries(KINDS.map((k) => [k, `HEMLIG${k}F${tag}`])) as Record<SecretKind, string>;

/**
 * Who lacks the right to read each kind's secret (the rest hold it): cases.secret on Socialnämnden's case
 * (admin, coordinator, committeeAdmin of Socialnämnden, registrar), incidents.manage on Socialnämnden
 * (admin, coordinator, officer, committeeAdmin), documents.manage on the executive board (admin,
 * coordinator), incidents.manage on the municipality for lägesbild reports, followup.manage for
 * Socialnämnden's report attachment. Anonymous lacks everything.
 */
type Viewer = Principal | 'registrar';
const LACKING: Record<SecretKind, Viewer[]> = {
  case: ['anonymous', 'officer', 'reporter', 'reader', 'partner'],
  record: ['anonymous', 'officer', 'reporter', 'reader', 'partner'],
  remissLetter: ['anonymous', 'officer', 'reporter', 'reader', 'partner'],
  remissReply: ['anonymous', 'officer', 'reporter', 'reader', 'partner'],
  incident: ['anonymous', 'reporter', 'reader', 'partner', 'registrar'],
  restrictedIncident: ['anonymous', 'reporter', 'reader', 'partner', 'registrar'],
  document: ['anonymous', 'officer', 'reporter', 'reader', 'partner', 'committeeAdmin', 'registrar'],
  lagesbild: ['anonymous', 'officer', 'reporter', 'reader', 'partner', 'committeeAdmin', 'registrar'],
  reportAttachment: ['anonymous', 'officer', 'reporter', 'reader', 'partner', 'registrar'],
};
const VIEWERS: Viewer[] = ['anonymous', 'admin', 'coordinator', 'officer', 'reporter', 'reader', 'partner', 'committeeAdmin', 'registrar'];
/** The markers a viewer must never see. */
const forbiddenFor = (v: Viewer) => KINDS.filter((k) => LACKING[k].includes(v)).flatMap((k) => [TEXT[k], FILE[k]]);

/**
 * GET routes that cannot carry record content, each with the reason. Every other GET route is called.
 */
const NO_RECORD_CONTENT: Record<string, string> = {
  '/api/remissvar/:token':
    "the addressee's personal link: whoever holds it is the recipient the letter was sent to (no session is consulted); the reply sent through it is not shown back",
  '/api/remissvar/:token/letter-file': "the addressee's personal link (as above): the letter's file as sent to that recipient",
  '/api/basemap/:z/:x/:y': 'tiles of the background map (images from the PMTiles file), no records',
  '/api/docs': 'API documentation page (static)',
  '/api/docs/static/index.html': 'API documentation (static)',
  '/api/docs/static/swagger-initializer.js': 'API documentation (static)',
  '/api/docs/json': 'API description, no records',
  '/api/docs/yaml': 'API description, no records',
  '/api/docs/static/*': 'API documentation assets (static)',
  '/api/openapi.json': 'API description, no records',
  '/healthz': 'liveness probe',
  '/readyz': 'readiness probe',
};

/** A minimal PDF whose bytes (a comment and the info dictionary) carry the marker. */
const pdfWith = (marker: string) => Buffer.from(`%PDF-1.4\n% ${marker}\n1 0 obj << /Type /Catalog /Title (${marker}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
/** A 1×1 PNG with the marker appended (a tEXt-free trailer: any store that keeps the bytes keeps it). */
const pngWith = (marker: string) =>
  Buffer.concat([Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'), Buffer.from(marker)]);

/** Everything a response body may reveal, as searchable text: JSON/text, raw bytes, PDF text, Office XML. */
async function bodyText(res: LightMyRequestResponse | { rawPayload: Buffer; headers: Record<string, unknown> }): Promise<string> {
  const raw = res.rawPayload;
  let text = raw.toString('latin1') + '\n' + raw.toString('utf8');
  if (raw.subarray(0, 5).toString('latin1') === '%PDF-') {
    try {
      text += '\n' + (await pdfText(raw));
    } catch {
      /* a hand-written PDF without pages: its bytes are searched above */
    }
  } else if (raw.subarray(0, 2).toString('latin1') === 'PK') {
    const zip = await JSZip.loadAsync(raw);
    for (const f of Object.values(zip.files)) if (!f.dir) text += '\n' + (await f.async('string'));
  }
  return text;
}

const hits = (text: string, markers: string[]) =>
  markers.filter((m) => text.toLowerCase().includes(m.toLowerCase())).map((m) => {
    const at = text.toLowerCase().indexOf(m.toLowerCase());
    return `${m} in «${text.slice(Math.max(0, at - 60), at + m.length + 20).replace(/\s+/g, ' ')}»`;
  });

let registrarCookie = '';
const cookieFor = async (v: Viewer) => (v === 'registrar' ? registrarCookie : await cookieOf(v));
async function get(v: Viewer, url: string) {
  const cookie = await cookieFor(v);
  return ctx.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
}
async function must(res: LightMyRequestResponse, status = [200, 201]) {
  if (!status.includes(res.statusCode)) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}

/** Known ids, by the segment before the parameter (e.g. "cases/:id"); each route is called with every candidate. */
const known: Record<string, string[]> = {};
/** Routes with several parameters: the full URLs to call. */
const tuples: Record<string, string[]> = {};
const s: Record<string, string> = {};
/** Each signed-in viewer's calendar feed (path with its secret token). */
const feeds: Partial<Record<Viewer, string>> = {};

async function mark(type: string, id: string, as: string) {
  const res = await ctx.app.inject({ method: 'PUT', url: `/api/secrecy/${type}/${id}`, headers: { cookie: as }, payload: { secrecyRef: '18 kap. 8 § OSL', reason: 'Säkerhetsskydd i secrecy-testet' } });
  if (res.statusCode !== 200) throw new Error(`mark ${type} ${id}: ${res.statusCode} ${res.body}`);
}

beforeAll(async () => {
  await setupMatrix();
  registrarCookie = await signIn(ctx.app, 'registrator@lund.example');
  const coordinator = (await cookieOf('coordinator'))!;
  const admin = (await cookieOf('admin'))!;
  const inject = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, cookie = coordinator) => ctx.app.inject({ method, url, payload, headers: { cookie } });
  const upload = (url: string, filename: string, data: Buffer, contentType: string, cookie = coordinator, fields: Record<string, string> = {}) => {
    const form = multipartForm(fields, { filename, data, contentType });
    return ctx.app.inject({ method: 'POST', url, payload: form.payload, headers: { ...form.headers, cookie } });
  };

  // A case of Socialnämnden (registered by KS) with the marker in its title.
  const secretCase = await createCase(ctx.database, { org: 'son', registryOrg: 'ks', title: `Ärende ${TEXT.case}` });
  s.case = secretCase.id;
  await mark('case', s.case, registrarCookie);

  // An open case holding a secret record with a PDF.
  const openCase = await createCase(ctx.database, { org: 'son', registryOrg: 'ks', title: `Öppet ärende ${tag}` });
  s.openCase = openCase.id;
  const rec = await must(await inject('POST', `/api/cases/${s.openCase}/records`, { direction: 'incoming', recordDate: '2026-01-10', title: `Handling ${TEXT.record}` }, registrarCookie));
  s.record = rec.id;
  const file = await must(await upload(`/api/cases/${s.openCase}/records/${s.record}/files`, 'hemlig.pdf', pdfWith(FILE.record), 'application/pdf', registrarCookie));
  s.recordFile = file.id ?? file.files?.[0]?.id;
  await mark('record', s.record, registrarCookie);

  // A remiss round of an open case to Socialnämnden (internal) and the police: letter with file, Socialnämnden's reply with text and file.
  const remissCase = await createCase(ctx.database, { org: 'kk-ts', registryOrg: 'ks', title: `Remissärende ${tag}` });
  s.remissCase = remissCase.id;
  const replyBy = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const round = await must(
    await inject('POST', `/api/cases/${s.remissCase}/remiss-rounds`, { title: `Remiss ${tag}`, letter: `Brev ${TEXT.remissLetter}`, recipients: [{ organisationId: ids.son, replyBy }, { organisationId: ids.polisen, replyBy }] }, admin),
  );
  s.round = round.id;
  s.recipientSon = round.recipients.find((r: { organisationId: string }) => r.organisationId === ids.son).id;
  s.recipientPolice = round.recipients.find((r: { organisationId: string }) => r.organisationId === ids.polisen).id;
  s.token = round.issuedLinks.find((l: { recipientId: string }) => l.recipientId === s.recipientPolice).url.split('/remissvar/')[1];
  await must(await upload(`/api/remiss-rounds/${s.round}/letter-file`, 'brev.pdf', pdfWith(FILE.remissLetter), 'application/pdf', admin));
  s.letterRecord = (await ctx.database.db.execute<{ id: string }>(sql`select letter_record_id as id from remiss_rounds where id = ${s.round}`)).rows[0].id;
  await must(await upload(`/api/remiss-recipients/${s.recipientSon}/reply`, 'svar.pdf', pdfWith(FILE.remissReply), 'application/pdf', admin, { kind: 'reply', text: `Svar ${TEXT.remissReply}` }));
  const rounds = await must(await get('admin', `/api/cases/${s.remissCase}/remiss-rounds`));
  const full = (rounds.items ?? rounds.rounds).find((r: { id: string }) => r.id === s.round);
  s.replyRecord = full.recipients.find((r: { id: string }) => r.id === s.recipientSon).reply.recordId;
  expect(s.replyRecord).not.toBe(s.letterRecord);
  await mark('record', s.letterRecord, registrarCookie);
  await mark('record', s.replyRecord, registrarCookie);

  // Incidents of Socialnämnden: an ordinary one marked secret (with a photo), and a restricted staff-threat one.
  const reporterId = await userIn('son');
  const actor = { id: reporterId, name: 'Rapportör', email: 'x@test.example', sessionId: 'secrecy', grants: [{ organisationId: ids.son, role: 'reporter' as const, includeSubtree: false }] };
  const service = createIncidentService({ db: ctx.database.db });
  const inc = await service.report({ actor, requestId: 'secrecy' }, actor, { categoryId: await categoryId('vandalism'), description: `Händelse ${TEXT.incident}`, organisationId: ids.son, location: { lat: 55.7, lon: 13.19 } });
  s.incident = inc.id;
  const photo = await upload(`/api/incidents/${s.incident}/photos`, 'bild.png', pngWith(FILE.incident), 'image/png');
  if (photo.statusCode < 300) s.photo = photo.json().id;
  await mark('incident', s.incident, coordinator);
  const staff = await service.report({ actor, requestId: 'secrecy' }, actor, {
    categoryId: await categoryId('staff_threat'),
    description: `Hot ${TEXT.restrictedIncident}`,
    organisationId: ids.son,
    location: { lat: 55.7, lon: 13.19 },
    staff: { victimRole: 'employee' as const, perpetratorRelation: 'client' as const, sickLeave: false },
  });
  s.restrictedIncident = staff.id;

  // A governing document of the executive board, in force, with a file.
  const doc = await must(await inject('POST', '/api/documents', { type: 'policy', title: `Policy ${TEXT.document}`, ownerOrganisationId: ids.ks }));
  s.document = doc.id;
  await must(await upload(`/api/documents/${s.document}/file`, 'policy.pdf', pdfWith(FILE.document), 'application/pdf'));
  await mark('document', s.document, coordinator);

  // A lägesbild report with the marker in its title and texts.
  const lb = await must(await inject('POST', '/api/lagesbild/reports', { title: `Lägesbild ${TEXT.lagesbild}`, periodFrom: '2025-01-01', periodTo: '2025-04-30' }));
  s.lagesbild = lb.id;
  await must(await inject('PATCH', `/api/lagesbild/reports/${s.lagesbild}`, { version: lb.version ?? 1, analysisText: `Analys ${TEXT.lagesbild}`, mappingText: `Kartläggning ${TEXT.lagesbild}` }));
  await mark('lagesbild_report', s.lagesbild, coordinator);
  // Its findings carry the marker too (Lag 2023:196: the action plan links to them; below, an action answers one).
  const lbNow = await must(await ctx.app.inject({ method: 'GET', url: `/api/lagesbild/reports/${s.lagesbild}`, headers: { cookie: coordinator } }));
  s.finding = (await must(await inject('PUT', `/api/lagesbild/reports/${s.lagesbild}/findings`, { version: lbNow.version, findings: [{ text: `Slutsats ${TEXT.lagesbild}` }] }))).findings[0].id;

  // A follow-up report of Socialnämnden with an attachment.
  const rep = await freshReport('son');
  s.followRound = rep.round.id;
  s.followReport = rep.reportId;
  s.program = rep.round.programId;
  const att = await must(await upload(`/api/follow-up-reports/${s.followReport}/attachments`, `bilaga-${TEXT.reportAttachment}.pdf`, pdfWith(FILE.reportAttachment), 'application/pdf'));
  s.attachment = att.attachments[0].id;
  await must(await inject('PUT', `/api/follow-up-reports/${s.followReport}`, { version: 1, done: 'Utkast' }));
  await mark('report_attachment', s.attachment, coordinator);

  // A decided decision in the secret case (its detail and extract name the case).
  const { decisions, decisionClauses } = await import('../../src/server/db/schema/index.ts');
  const [dec] = await ctx.database.db.insert(decisions).values({ caseId: s.case, bodyOrganisationId: ids.ks, title: 'Beslut i hemligt ärende', status: 'decided', decidedOn: '2031-01-01', paragraph: 9001 }).returning();
  await ctx.database.db.insert(decisionClauses).values({ decisionId: dec.id, ordinal: 1, text: 'att göra något', effect: 'none' });
  s.decision = dec.id;
  // Its meeting: the secret case on the agenda and its decision as a § of adjusted minutes, posted on the public board.
  const { meetings, meetingItems, meetingNotices } = await import('../../src/server/db/schema/index.ts');
  const today = new Date().toISOString().slice(0, 10);
  const [meeting] = await ctx.database.db.insert(meetings).values({ bodyOrganisationId: ids.ks, meetingDate: '2031-01-01', adjustedOn: today, minutesKeptAt: 'Kommunkontoret' }).returning();
  await ctx.database.db.execute(sql`update decisions set meeting_id = ${meeting.id}, adjusted_on = ${today} where id = ${dec.id}`);
  await ctx.database.db.insert(meetingItems).values({ meetingId: meeting.id, ordinal: 1, caseId: s.case, decisionId: dec.id });
  await ctx.database.db.insert(meetingNotices).values({ meetingId: meeting.id, postedOn: today, appealEndsOn: '2099-12-31' });
  s.meeting = meeting.id;
  s.action = (await ctx.database.db.execute<{ action_id: string }>(sql`select action_id from follow_up_reports where id = ${s.followReport}`)).rows[0].action_id;
  // The action answers the secret report's finding: its finding list must not name it to those who may not read the report.
  await ctx.database.db.execute(sql`insert into plan_action_findings (action_id, finding_id) values (${s.action}, ${s.finding})`);
  // The program's goal (its indicator trend is read by every program reader; indicator values hold no secret material).
  s.goal = (await ctx.database.db.execute<{ id: string }>(sql`select goal_id as id from plan_actions where id = ${s.action}`)).rows[0].id;

  // A share with the police of the open case that holds the secret record, and of the remiss case.
  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  s.share = (await must(await inject('POST', '/api/shares', { recordType: 'case', recordId: s.openCase, partnerOrganisationId: ids.polisen, reason: 'Samverkan', endsOn: inDays(7) }))).id;
  s.share2 = (await must(await inject('POST', '/api/shares', { recordType: 'case', recordId: s.remissCase, partnerOrganisationId: ids.polisen, reason: 'Samverkan', endsOn: inDays(7) }))).id;
  // A map extract over all of Sweden (it must leave out the secret and restricted incidents), shared with the police.
  s.extract = (await must(await inject('POST', '/api/lagesbild/map-extracts', { title: 'Hela landet', bbox: '10,55,25,70' }))).id;
  s.share3 = (await must(await inject('POST', '/api/shares', { recordType: 'map_extract', recordId: s.extract, partnerOrganisationId: ids.polisen, reason: 'Samverkan', endsOn: inDays(7) }))).id;

  // The coordinator's own export of the remiss compilation (secret content): nobody else may fetch it.
  const exp = await must(await inject('POST', '/api/exports', { kind: 'cases.remiss-compilation', format: 'pdf', params: { roundId: s.round } }), [202]);
  await createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] }).runDue();
  s.export = exp.id;

  const demoCase = (await ctx.database.db.execute<{ id: string }>(sql`select id from cases where registry_number = 'KS 2018/0316'`)).rows[0]?.id;
  Object.assign(known, {
    'cases/:id': [s.case, s.openCase, s.remissCase, demoCase].filter(Boolean),
    'incidents/:id': [s.incident, s.restrictedIncident],
    'documents/:id': [s.document],
    'reports/:id': [s.lagesbild],
    'follow-up-reports/:id': [s.followReport],
    'follow-up-rounds/:id': [s.followRound],
    'programs/:id': [s.program],
    'remiss-rounds/:id': [s.round],
    'remiss-recipients/:id': [s.recipientSon, s.recipientPolice],
    'remissvar/:token': [s.token],
    'users/:id': [await userIdOf('reader'), await userIdOf('admin')],
    'actions/:id': [s.action],
    'goals/:id': [s.goal],
    'decisions/:id': [s.decision],
    'meetings/:id': [s.meeting],
    'exports/:id': [s.export],
    'shares/:id': [s.share, s.share2, s.share3],
    'shared/:id': [s.share, s.share2, s.share3],
    'map-extracts/:id': [s.extract],
    'organisations/:id': [ids.son, ids.ks],
  });
  tuples['/api/cases/:id/records/:recordId/files/:fileId'] = [`/api/cases/${s.openCase}/records/${s.record}/files/${s.recordFile}`];
  tuples['/api/follow-up-reports/:id/attachments/:attachmentId'] = [`/api/follow-up-reports/${s.followReport}/attachments/${s.attachment}`];
  tuples['/api/incidents/:id/photos/:photoId'] = s.photo ? [`/api/incidents/${s.incident}/photos/${s.photo}`] : [];
  tuples['/api/lagesbild/reports/:id/versions/:version'] = [1, 2, 3].map((v) => `/api/lagesbild/reports/${s.lagesbild}/versions/${v}`);
  // The calendar feed (issue #11 item 8), fetched without a session: each viewer's own secret address (checked
  // against that viewer's rights below); the sweep calls the reporter's, who lacks the most.
  for (const v of VIEWERS) {
    if (v === 'anonymous') continue;
    const created = await must(await ctx.app.inject({ method: 'POST', url: '/api/me/calendar-token', headers: { cookie: (await cookieFor(v))! } }));
    feeds[v] = new URL(created.url as string).pathname;
  }
  tuples['/api/calendar/:token.ics'] = [feeds.reporter!];
  tuples['/api/secrecy/:type/:id'] = [
    `/api/secrecy/case/${s.case}`,
    `/api/secrecy/record/${s.record}`,
    `/api/secrecy/incident/${s.incident}`,
    `/api/secrecy/document/${s.document}`,
    `/api/secrecy/lagesbild_report/${s.lagesbild}`,
    `/api/secrecy/report_attachment/${s.attachment}`,
  ];
}, 300_000);
afterAll(() => ctx?.close());

/** The concrete URLs for one registered GET route, or null if its parameters cannot be filled. */
function urlsFor(route: string): string[] | null {
  if (tuples[route]) return tuples[route];
  const m = route.match(/([^/]+)\/:([A-Za-z]+)/g);
  if (!m) return [route];
  if (m.length > 1) return null;
  const [seg] = m;
  const values = known[seg];
  if (!values) return null;
  return values.map((v) => route.replace(/:[A-Za-z]+/, v));
}
/** The widening queries added to every URL: large pages, and a search for each marker. */
const queries = () => ['limit=500&pageSize=500&includeArchived=true', ...KINDS.flatMap((k) => [`q=${TEXT[k]}`, `q=${FILE[k]}`])];

describe('secret records (issue #10 item 1)', () => {
  it('every record type is marked secret, and holders of the right see the marker', async () => {
    const positive: [Viewer, string, string][] = [
      ['coordinator', `/api/cases/${s.case}`, TEXT.case],
      ['registrar', `/api/cases/${s.openCase}/records`, TEXT.record],
      ['registrar', `/api/cases/${s.openCase}/records/${s.record}/files/${s.recordFile}`, FILE.record],
      ['coordinator', `/api/cases/${s.remissCase}/remiss-rounds`, TEXT.remissLetter],
      ['coordinator', `/api/remiss-rounds/${s.round}/letter-file`, FILE.remissLetter],
      ['coordinator', `/api/cases/${s.remissCase}/remiss-rounds`, TEXT.remissReply],
      ['coordinator', `/api/remiss-recipients/${s.recipientSon}/reply-file`, FILE.remissReply],
      ['coordinator', `/api/incidents/${s.incident}`, TEXT.incident],
      ['coordinator', `/api/incidents/${s.restrictedIncident}`, TEXT.restrictedIncident],
      ['coordinator', `/api/documents/${s.document}`, TEXT.document],
      ['coordinator', `/api/documents/${s.document}/file`, FILE.document],
      ['coordinator', `/api/lagesbild/reports/${s.lagesbild}`, TEXT.lagesbild],
      ['coordinator', `/api/actions/${s.action}/findings`, TEXT.lagesbild],
      ['coordinator', '/api/lagesbild/findings', TEXT.lagesbild],
      ['coordinator', `/api/follow-up-reports/${s.followReport}/attachments/${s.attachment}`, FILE.reportAttachment],
    ];
    for (const [v, url, marker] of positive) {
      const res = await get(v, url);
      expect(res.statusCode, `${v} ${url}`).toBe(200);
      expect(hits(await bodyText(res), [marker]), `${v} ${url}`).toHaveLength(1);
    }
    const marked = await ctx.database.db.execute<{ n: number }>(sql`select
      (select count(*) from cases where id = ${s.case} and secrecy_ref is not null)
      + (select count(*) from case_records where id in (${s.record}, ${s.letterRecord}, ${s.replyRecord}) and secrecy_ref is not null)
      + (select count(*) from incidents where id = ${s.incident} and secrecy_ref is not null)
      + (select count(*) from governing_documents where id = ${s.document} and secrecy_ref is not null)
      + (select count(*) from lagesbild_reports where id = ${s.lagesbild} and secrecy_ref is not null)
      + (select count(*) from report_attachments where id = ${s.attachment} and secrecy_ref is not null) as n`);
    expect(Number(marked.rows[0].n)).toBe(8);
  });

  it('no GET route shows a secret marker to a principal who lacks the right', async () => {
    const routes = [...new Set(ctx.app.registeredRoutes.filter((r) => r.method === 'GET').map((r) => r.url))];
    const unfilled = routes.filter((r) => !NO_RECORD_CONTENT[r] && urlsFor(r) === null);
    expect(unfilled, 'GET routes neither exercised nor listed in NO_RECORD_CONTENT').toEqual([]);
    const leaks: string[] = [];
    let calls = 0;
    for (const route of routes) {
      if (NO_RECORD_CONTENT[route]) continue;
      const urls = urlsFor(route)!;
      for (const base of urls)
        for (const v of VIEWERS) {
          const forbidden = forbiddenFor(v);
          const list = [base, ...queries().map((q) => `${base}${base.includes('?') ? '&' : '?'}${q}`)];
          // Routes with parameters are addressed to one record: the widening queries add nothing there but time.
          for (const url of route.includes(':') ? [base] : list) {
            const res = await get(v, url);
            calls++;
            if (res.statusCode >= 500) leaks.push(`${v} GET ${url} → ${res.statusCode}`);
            const found = hits(await bodyText(res), forbidden);
            if (found.length) leaks.push(`${v} GET ${url} shows ${found.join(', ')}`);
          }
        }
    }
    expect(leaks).toEqual([]);
    expect(calls).toBeGreaterThan(500);
  }, 600_000);

  it("each viewer's own calendar feed shows no secret marker they lack the right to (issue #11 item 8)", async () => {
    expect(Object.keys(feeds).length).toBe(VIEWERS.length - 1);
    for (const [v, url] of Object.entries(feeds)) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode, `${v} ${url}`).toBe(200);
      expect(hits(await bodyText(res), forbiddenFor(v as Viewer)), `${v} ${url}`).toEqual([]);
    }
  });

  it('no export or generated document shows a secret marker to a principal who lacks the right', async () => {
    const params: Record<string, object[]> = {
      'cases.remiss-compilation': [{ roundId: s.round }],
      'incidents.lagesbild-report': [{ reportId: s.lagesbild }],
      'incidents.statistics': [{ from: '2020-01-01T00:00:00Z', to: '2099-01-01T00:00:00Z' }],
      'program.followup-report': [{ roundId: s.followRound }],
      'program.plan': [{ programId: s.program }],
      'documents.in-force': [{}],
    };
    const formats: Record<string, string[]> = {
      'cases.remiss-compilation': ['docx', 'pdf'],
      'incidents.lagesbild-report': ['docx', 'pdf'],
      'incidents.statistics': ['pdf', 'xlsx'],
      'program.followup-report': ['docx', 'pdf', 'xlsx'],
      'program.plan': ['xlsx', 'csv'],
      'documents.in-force': ['pdf', 'xlsx'],
    };
    expect([...ctx.app.contributions.exportKinds.keys()].filter((k) => !params[k]), 'export kinds without parameters in this test').toEqual([]);
    const runner = createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] });
    const leaks: string[] = [];
    let built = 0;
    for (const kind of [...ctx.app.contributions.exportKinds.keys()])
      for (const p of params[kind])
        for (const format of formats[kind])
          for (const v of VIEWERS) {
            if (v === 'anonymous') continue;
            const cookie = (await cookieFor(v))!;
            const res = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie }, payload: { kind, format, params: p } });
            if (res.statusCode !== 202) {
              if (res.statusCode >= 500) leaks.push(`${v} ${kind} ${format} → ${res.statusCode}`);
              continue;
            }
            await runner.runDue();
            const file = await ctx.app.inject({ method: 'GET', url: `/api/exports/${res.json().id}/file`, headers: { cookie } });
            if (file.statusCode !== 200) continue;
            built++;
            const found = hits(await bodyText(file), forbiddenFor(v));
            if (found.length) leaks.push(`${v} ${kind} ${format} shows ${found.join(', ')}`);
          }
    expect(leaks).toEqual([]);
    expect(built).toBeGreaterThan(10);
  }, 600_000);

  it('reads of secret material by holders of the right are logged: open, download, search, export (item 3)', async () => {
    const count = async (type: string, id: string, how: string, email: string) =>
      Number(
        (
          await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log l join users u on u.id = l.actor_id
            where l.action = 'read-secret' and l.entity_type = ${type} and l.entity_id = ${id} and l.after->>'how' = ${how} and u.email = ${email}`)
        ).rows[0].n,
      );
    const registrar = 'registrator@lund.example';
    const coordinator = 'samordnare@lund.example';
    /** Does the request add exactly one read-secret entry of that kind for that record and person? */
    async function logsOne(type: string, id: string, how: string, email: string, act: () => Promise<unknown>) {
      const before = await count(type, id, how, email);
      await act();
      expect(await count(type, id, how, email), `${how} ${type} by ${email}`).toBe(before + 1);
    }
    const ok = async (v: Viewer, url: string) => expect((await get(v, url)).statusCode, url).toBe(200);
    // Open: the secret case, a case with a secret record, a secret incident, restricted incident, document, lägesbild report.
    await logsOne('case', s.case, 'open', coordinator, () => ok('coordinator', `/api/cases/${s.case}`));
    await logsOne('record', s.record, 'open', registrar, () => ok('registrar', `/api/cases/${s.openCase}`));
    await logsOne('incident', s.incident, 'open', coordinator, () => ok('coordinator', `/api/incidents/${s.incident}`));
    await logsOne('incident', s.restrictedIncident, 'open', coordinator, () => ok('coordinator', `/api/incidents/${s.restrictedIncident}`));
    await logsOne('document', s.document, 'open', coordinator, () => ok('coordinator', `/api/documents/${s.document}`));
    await logsOne('lagesbild_report', s.lagesbild, 'open', coordinator, () => ok('coordinator', `/api/lagesbild/reports/${s.lagesbild}`));
    // Download: a secret record's file, the remiss letter and reply files, the document's file.
    await logsOne('record', s.record, 'download', registrar, () => ok('registrar', `/api/cases/${s.openCase}/records/${s.record}/files/${s.recordFile}`));
    await logsOne('record', s.letterRecord, 'download', coordinator, () => ok('coordinator', `/api/remiss-rounds/${s.round}/letter-file`));
    await logsOne('record', s.replyRecord, 'download', coordinator, () => ok('coordinator', `/api/remiss-recipients/${s.recipientSon}/reply-file`));
    await logsOne('document', s.document, 'download', coordinator, () => ok('coordinator', `/api/documents/${s.document}/file`));
    await logsOne('report_attachment', s.attachment, 'download', coordinator, () => ok('coordinator', `/api/follow-up-reports/${s.followReport}/attachments/${s.attachment}`));
    // Search: the secret record found in the registry search.
    await logsOne('record', s.record, 'search', registrar, async () => {
      const res = await get('registrar', `/api/search?q=${TEXT.record}`);
      expect(res.json().items.map((h: { id: string }) => h.id)).toContain(s.record);
    });
    // Export: the remiss compilation holding the secret reply.
    await logsOne('record', s.replyRecord, 'export', coordinator, async () => {
      const cookie = (await cookieFor('coordinator'))!;
      const res = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie }, payload: { kind: 'cases.remiss-compilation', format: 'pdf', params: { roundId: s.round } } });
      expect(res.statusCode, res.body).toBe(202);
      await createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] }).runDue();
    });
    // A reader lacking the right is not logged (they were shown nothing secret).
    const readerBefore = await count('case', s.case, 'open', 'lasare@lund.example');
    expect((await get('reader', `/api/cases/${s.case}`)).statusCode).toBe(404);
    expect(await count('case', s.case, 'open', 'lasare@lund.example')).toBe(readerBefore);
  });
});
