import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createCase, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { createJobRunner } from '../../lib/job-runner.ts';
import { readXlsx } from '../../lib/documents/xlsx.ts';
import { lastFullWeek, mondayOfWeek, shiftWeek, weekOfDate } from '../../../shared/schemas/lagesbild.ts';
import { pdfText } from '../../../../test/helpers/pdf.ts';
import { api, multipartFile } from '../../../../test/helpers/http.ts';
import { trendChart } from './incidents.statsexport.ts';
import { lt } from './lagesbild.messages.ts';

let ctx: TestContext;
let admin: string;
let coordinator: string;
let reader: string;
let reporter: string;
const ids: Record<string, string> = {};
const cats: Record<string, string> = {};
let areaId = '';

const { ok, fails } = api(() => ctx.app, { created: (method, url) => method === 'POST' && !/adopt|new-version|import|submit|withdraw|decide/.test(url) });

/** The chosen week and the four before it (2025: far from the demo data, which is from today). */
const WEEK = '2025-W20'; // Monday 12 May 2025
const at = (week: string, dayOffset: number, time = '10:00:00') => {
  const d = new Date(`${mondayOfWeek(week)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + dayOffset);
  return `${d.toISOString().slice(0, 10)}T${time}+02:00`;
};
const CENTRE = { lat: 55.7047, lon: 13.191 };
const OUTSIDE_AREA = { lat: 55.72, lon: 13.235 };

async function report(category: string, occurredAt: string, location = CENTRE) {
  return ok(coordinator, 'POST', '/api/incidents', { categoryId: cats[category], description: `Lägesbildstest ${category}`, organisationId: ids.tn, occurredAt, location });
}
const multipart = (filename: string, content: Buffer) => multipartFile(filename, content, 'application/json');
const policeEvent = (id: number, datetime: string, type: string) => ({
  id,
  datetime,
  name: `Händelse ${id}, ${type}, Lund`,
  summary: 'Test',
  url: `/aktuellt/handelser/${id}/`,
  type,
  location: { name: 'Lund', gps: '55.70466,13.191007' },
});

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx.app, 'admin@lund.example');
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  reporter = await signIn(ctx.app, 'rapportor.son@lund.example');
  for (const k of ['son', 'tn', 'lund', 'ks', 'kf']) ids[k] = await orgId(ctx.database, k);
  for (const c of (await ok<{ items: { id: string; key: string }[] }>(coordinator, 'GET', '/api/incident-categories')).items) cats[c.key] = c.id;
  // An area around the centre, before the incidents, so that they are placed in it.
  areaId = (await ok(admin, 'POST', '/api/incident-areas', { name: 'Centrum (test)', geometry: { type: 'Polygon', coordinates: [[[13.17, 55.69], [13.21, 55.69], [13.21, 55.715], [13.17, 55.715], [13.17, 55.69]]] } })).id;

  // The week: 3 vandalism (2 in the centre, 1 outside the area), 1 graffiti, and a restricted staff threat the reader may not count.
  await report('vandalism', at(WEEK, 0));
  await report('vandalism', at(WEEK, 3));
  await report('vandalism', at(WEEK, 6, '23:30:00'), OUTSIDE_AREA); // Sunday late evening, Swedish time: still this week
  await report('graffiti', at(WEEK, 2));
  // The weeks before: 2 vandalism in W19, 2 in W17, 1 graffiti in W16; one on the Monday after the week (not counted).
  await report('vandalism', at(shiftWeek(WEEK, -1), 1));
  await report('vandalism', at(shiftWeek(WEEK, -1), 2));
  await report('vandalism', at(shiftWeek(WEEK, -3), 4));
  await report('vandalism', at(shiftWeek(WEEK, -3), 5));
  await report('graffiti', at(shiftWeek(WEEK, -4), 0));
  await report('vandalism', at(shiftWeek(WEEK, 1), 0, '00:30:00'));
  // Police: two "Skadegörelse" (mapped to vandalism), one of a type the default mapping does not know and a
  // night summary (not an event: never counted) in the week; one a year earlier.
  const m = multipart('events.json', Buffer.from(JSON.stringify([
    policeEvent(880001, '2025-05-13 9:13:04 +02:00', 'Skadegörelse'),
    policeEvent(880002, '2025-05-14 21:00:00 +02:00', 'Skadegörelse'),
    policeEvent(880003, '2025-05-15 07:00:00 +02:00', 'Nytt polisärende'),
    policeEvent(880005, '2025-05-15 07:30:00 +02:00', 'Sammanfattning natt'),
    policeEvent(880004, '2024-05-14 12:00:00 +02:00', 'Skadegörelse'),
  ])));
  const imp = await ctx.app.inject({ method: 'POST', url: '/api/police-events/import', payload: m.payload, headers: { ...m.headers, cookie: coordinator } });
  expect(imp.json()).toMatchObject({ imported: 5, unmappedTypes: ['Nytt polisärende'] });
  // A year earlier (for the report's comparison): one vandalism.
  await report('vandalism', '2024-05-15T12:00:00+02:00');
});
afterAll(() => ctx?.close());

describe('ISO weeks', () => {
  it('computes Mondays, week numbers across year ends and the last full week in Swedish time', () => {
    expect(mondayOfWeek('2025-W20')).toBe('2025-05-12');
    expect(mondayOfWeek('2026-W01')).toBe('2025-12-29');
    expect(mondayOfWeek('2026-W53')).toBe('2026-12-28');
    expect(mondayOfWeek('2025-W53')).toBeNull();
    expect(weekOfDate('2027-01-03')).toBe('2026-W53');
    expect(shiftWeek('2026-W01', -1)).toBe('2025-W52');
    // Sunday 23:30 UTC is Monday in Stockholm: the week has ended.
    expect(lastFullWeek(new Date('2026-11-29T23:30:00Z'))).toBe('2026-W48');
    expect(lastFullWeek(new Date('2026-11-29T21:30:00Z'))).toBe('2026-W47');
  });
});

describe('weekly lägesbild', () => {
  it('counts the week per category and area (incidents and mapped police events) against the average of the weeks before', async () => {
    const v = await ok(coordinator, 'GET', `/api/lagesbild/weeks?week=${WEEK}&compare=4`);
    expect(v).toMatchObject({ week: WEEK, from: '2025-05-12', to: '2025-05-18', unmappedPolice: 1, unmappedTypes: [{ policeType: 'Nytt polisärende', count: 1 }], allowedActions: ['note'] });
    expect(v.compareWeeks.map((w: { week: string }) => w.week)).toEqual(['2025-W16', '2025-W17', '2025-W18', '2025-W19', '2025-W20']);
    expect(v.compareWeeks.map((w: { total: number }) => w.total)).toEqual([1, 2, 0, 2, 6]);
    const byKey = Object.fromEntries(v.byCategory.map((c: { categoryKey: string }) => [c.categoryKey, c]));
    expect(byKey.vandalism).toMatchObject({ incidents: 3, police: 2, total: 5, average: 1, trend: 'higher', categoryName: 'Skadegörelse' });
    expect(byKey.graffiti).toMatchObject({ incidents: 1, police: 0, total: 1, average: 0.3, trend: 'higher' });
    expect(v.total).toMatchObject({ incidents: 4, police: 2, total: 6, average: 1.3, trend: 'higher' });
    const centre = v.byArea.find((a: { areaId: string | null }) => a.areaId === areaId);
    // Centre: 2 vandalism + 1 graffiti + 2 police events (their position lies in the area).
    expect(centre).toMatchObject({ areaName: 'Centrum (test)', incidents: 3, police: 2, total: 5 });
    expect(v.byArea.find((a: { areaId: string | null }) => a.areaId === null)).toMatchObject({ incidents: 1, police: 0, total: 1 });
    // A quieter week is "lower".
    const w19 = await ok(coordinator, 'GET', `/api/lagesbild/weeks?week=2025-W21&compare=1`);
    expect(w19.total).toMatchObject({ total: 1, average: 6, trend: 'lower' });
  });

  it('counts for the reader only what the reader may see, and offers the reader no note', async () => {
    const threat = await ok(coordinator, 'POST', '/api/incidents', {
      categoryId: cats.staff_threat,
      description: 'Hot mot personal (lägesbildstest)',
      organisationId: ids.son,
      occurredAt: at(WEEK, 4),
      staff: { victimRole: 'employee', perpetratorRelation: 'client', policeReportNumber: null, sickLeave: false, sickLeaveDays: null },
    });
    expect(threat.restricted).toBe(true);
    const asCoordinator = await ok(coordinator, 'GET', `/api/lagesbild/weeks?week=${WEEK}`);
    const asReader = await ok(reader, 'GET', `/api/lagesbild/weeks?week=${WEEK}`);
    expect(asCoordinator.total.incidents).toBe(asReader.total.incidents + 1);
    expect(asReader.byCategory.some((c: { categoryKey: string }) => c.categoryKey === 'staff_threat')).toBe(false);
    expect(asReader.allowedActions).toEqual([]);
  });

  it('defaults to the last full week and refuses a week that does not exist, in Swedish', async () => {
    const v = await ok(reader, 'GET', '/api/lagesbild/weeks');
    expect(v.week).toBe(lastFullWeek());
    expect(v.compareWeeks).toHaveLength(5);
    const e = await fails(reader, 'GET', '/api/lagesbild/weeks?week=2025-W53', undefined, 400, 'VALIDATION_FAILED');
    expect(e.fields?.[0].message).toContain('ISO-vecka');
    await fails(reader, 'GET', '/api/lagesbild/weeks?week=2025-20', undefined, 400, 'VALIDATION_FAILED');
    await fails(reader, 'GET', '/api/lagesbild/weeks?compare=0', undefined, 400, 'VALIDATION_FAILED');
    await fails(reporter, 'GET', '/api/lagesbild/weeks', undefined, 403, 'FORBIDDEN');
  });

  it('keeps one review note per week, edited with its version; a stale edit is a 409 and loses nothing', async () => {
    const week = '2025-W19';
    const first = await ok(coordinator, 'PUT', `/api/lagesbild/weeks/${week}/note`, { text: 'Avstämning med kommunpolisen: skadegörelse vid skolorna.', version: null });
    expect(first).toMatchObject({ week, version: 1, createdBy: { name: 'Sam Samordnare' } });
    // A second "first note" (someone else was quicker): conflict.
    await fails(admin, 'PUT', `/api/lagesbild/weeks/${week}/note`, { text: 'Annan text', version: null }, 409, 'VERSION_CONFLICT');
    const second = await ok(admin, 'PUT', `/api/lagesbild/weeks/${week}/note`, { text: 'Tillägg: bostadsbolaget rapporterar klotter.', version: 1 });
    expect(second).toMatchObject({ version: 2, updatedBy: { id: expect.any(String) }, createdBy: { name: 'Sam Samordnare' } });
    await fails(coordinator, 'PUT', `/api/lagesbild/weeks/${week}/note`, { text: 'Gammal version', version: 1 }, 409, 'VERSION_CONFLICT');
    const v = await ok(reader, 'GET', `/api/lagesbild/weeks?week=${week}`);
    expect(v.note).toMatchObject({ text: 'Tillägg: bostadsbolaget rapporterar klotter.', version: 2 });
    await fails(reader, 'PUT', `/api/lagesbild/weeks/${week}/note`, { text: 'Läsare', version: 2 }, 403, 'FORBIDDEN');
    await fails(coordinator, 'PUT', '/api/lagesbild/weeks/2025-W99/note', { text: 'x', version: null }, 400, 'VALIDATION_FAILED');
    const audit = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where entity_type = 'lagesbild_week_note' and entity_id = ${week}`);
    expect(audit.rows[0].n).toBe(2);
  });
});

/** Orders a file, lets the job runner build it, and downloads it. */
async function generate(cookie: string, kind: string, format: 'docx' | 'pdf' | 'xlsx', params: object) {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie }, payload: { kind, format, params } });
  expect(res.statusCode, res.body).toBe(202);
  await createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] }).runDue();
  const status = (await ctx.app.inject({ method: 'GET', url: `/api/exports/${res.json().id}`, headers: { cookie } })).json();
  expect(status, JSON.stringify(status)).toMatchObject({ status: 'done' });
  const file = await ctx.app.inject({ method: 'GET', url: `/api/exports/${res.json().id}/file`, headers: { cookie } });
  expect(file.statusCode).toBe(200);
  return file;
}
async function docxText(buf: Buffer) {
  const zip = await JSZip.loadAsync(buf);
  return (await zip.file('word/document.xml')!.async('string')).replace(/<w:tab\/>/g, ' ').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
}

describe('lägesbild report (Lag 2023:196)', () => {
  let id = '';
  const texts = {
    mappingText: 'Skadegörelsen ökar kring skolorna i centrum.\n\nKonsekvenser: otrygghet kvällstid.',
    otherText: 'Trygghetsmätningen 2025 visar att 38 % känner sig otrygga i stadsparken.',
    analysisText: 'Orsaker: bristande belysning och samlingsplatser för unga. Riskfaktorer kvarstår.',
  };

  it('is created as a draft with part 1 generated from the data and the year before', async () => {
    const r = await ok(coordinator, 'POST', '/api/lagesbild/reports', { title: 'Lägesbild maj 2025', periodFrom: '2025-05-01', periodTo: '2025-05-31' });
    id = r.id;
    expect(r).toMatchObject({ status: 'draft', version: 1, mappingText: '', allowedActions: ['edit', 'submit', 'secrecy'], createdBy: { name: 'Sam Samordnare' }, decision: null, findings: [] });
    const summary = r.generated[0].text as string;
    // May 2025 as the coordinator sees it: 6 vandalism, 1 graffiti, 1 staff threat and 2 mapped police events; a year before 1 + 1.
    expect(summary).toContain('rapporterades 8 händelser');
    expect(summary).toContain('2 händelser från Polisen');
    expect(summary).toContain('1 respektive 1');
    const byCat = r.generated.find((b: { caption?: string }) => b.caption === 'Händelser per kategori');
    expect(byCat.columns.map((c: { header: string }) => c.header)).toEqual(['Kategori', 'Kommunens rapporter', 'Polisens händelser', 'Totalt', 'Föregående år', 'Förändring']);
    expect(byCat.rows).toContainEqual(['Skadegörelse', '6', '2', '8', '2', '+6 (+300 %)']);
    expect(byCat.rows).toContainEqual(['Polisens händelser utan kategori', '0', '1', '1', '0', '+1']);
    const byType = r.generated.find((b: { caption?: string }) => b.caption === 'Polisens händelser per typ');
    expect(byType.rows).toContainEqual(['Skadegörelse', 'Skadegörelse', '2', '1', '+1 (+100 %)']);
    expect(byType.rows).toContainEqual(['Nytt polisärende', 'Ej kopplad', '1', '0', '+1']);
    expect(byType.rows.some((row: string[]) => row[0] === 'Sammanfattning natt')).toBe(false);
    const byArea = r.generated.find((b: { caption?: string }) => b.caption === 'Händelser per område');
    expect(byArea.rows[0][0]).toBe('Centrum (test)');
    await fails(coordinator, 'POST', '/api/lagesbild/reports', { title: 'Fel', periodFrom: '2025-06-01', periodTo: '2025-05-01' }, 400, 'VALIDATION_FAILED');
    await fails(reader, 'POST', '/api/lagesbild/reports', { title: 'Läsare', periodFrom: '2025-05-01', periodTo: '2025-05-31' }, 403, 'FORBIDDEN');
  });

  it('keeps every save as a version; a stale save is a 409', async () => {
    const saved = await ok(coordinator, 'PATCH', `/api/lagesbild/reports/${id}`, { version: 1, ...texts });
    expect(saved).toMatchObject({ version: 2, ...texts });
    const again = await ok(coordinator, 'PATCH', `/api/lagesbild/reports/${id}`, { version: 2, title: 'Lägesbild maj 2025 (tertial)' });
    expect(again.version).toBe(3);
    await fails(admin, 'PATCH', `/api/lagesbild/reports/${id}`, { version: 2, analysisText: 'Skriver över' }, 409, 'VERSION_CONFLICT');
    const { items } = await ok(reader, 'GET', `/api/lagesbild/reports/${id}/versions`);
    expect(items.map((v: { version: number; event: string }) => [v.version, v.event])).toEqual([[3, 'update'], [2, 'update'], [1, 'create']]);
    const v1 = await ok(reader, 'GET', `/api/lagesbild/reports/${id}/versions/1`);
    expect(v1.content).toMatchObject({ title: 'Lägesbild maj 2025', mappingText: '', status: 'draft' });
    const v2 = await ok(reader, 'GET', `/api/lagesbild/reports/${id}/versions/2`);
    expect(v2.content).toMatchObject({ title: 'Lägesbild maj 2025', ...texts });
    expect(v2.savedBy.name).toBe('Sam Samordnare');
    await fails(reader, 'GET', `/api/lagesbild/reports/${id}/versions/9`, undefined, 404, 'LAGESBILD_VERSION_NOT_FOUND');
    await fails(reader, 'GET', '/api/lagesbild/reports/00000000-0000-4000-8000-000000000000', undefined, 404, 'LAGESBILD_REPORT_NOT_FOUND');
    const list = await ok(reader, 'GET', '/api/lagesbild/reports');
    expect(list.items.find((r: { id: string }) => r.id === id)).toMatchObject({ title: 'Lägesbild maj 2025 (tertial)', status: 'draft', version: 3 });
  });

  it('is exported as DOCX and PDF with the data tables and the three parts', async () => {
    const docx = await generate(coordinator, 'incidents.lagesbild-report', 'docx', { reportId: id });
    expect(docx.headers['content-disposition']).toContain(encodeURIComponent('Lägesbild maj 2025 (tertial) v3.docx'));
    const dt = await docxText(docx.rawPayload);
    const pt = await pdfText((await generate(coordinator, 'incidents.lagesbild-report', 'pdf', { reportId: id })).rawPayload);
    for (const text of [dt, pt]) {
      expect(text).toContain('Lägesbild maj 2025 (tertial)');
      expect(text).toContain('1. Kartläggning av brottsligheten, dess omfattning och konsekvenser');
      expect(text).toContain('2. Annan relevant information');
      expect(text).toContain('3. Analys av kartläggningen och informationen');
      expect(text).toContain('Skadegörelsen ökar kring skolorna i centrum.');
      expect(text).toContain('Trygghetsmätningen 2025 visar att 38 % känner sig otrygga i stadsparken.');
      expect(text).toContain('Orsaker: bristande belysning och samlingsplatser för unga.');
      expect(text).toContain('Händelser per kategori');
      expect(text).toContain('+6 (+300 %)');
      expect(text).toContain('Nytt polisärende');
      expect(text).not.toContain('Sammanfattning natt');
      expect(text).toContain('2025-05-01–2025-05-31');
    }
    expect(pt).toMatch(/Skadegörelse\s+6\s+2\s+8\s+2\s+\+6 \(\+300 %\)/);
    // An earlier version on request.
    const v1 = await docxText((await generate(coordinator, 'incidents.lagesbild-report', 'docx', { reportId: id, version: 1 })).rawPayload);
    expect(v1).toContain('Lägesbild maj 2025');
    expect(v1).not.toContain('Skadegörelsen ökar');
    expect(v1).toContain('Ingen text har skrivits i den här delen.');
    // Reporters may not have it; XLSX is not a format of this kind.
    const denied = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: reporter }, payload: { kind: 'incidents.lagesbild-report', format: 'pdf', params: { reportId: id } } });
    expect(denied.statusCode).toBe(403);
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: coordinator }, payload: { kind: 'incidents.lagesbild-report', format: 'xlsx', params: { reportId: id } } });
    expect(bad.statusCode).toBe(400);
  });

  it('is put to a body through a case and adopted by its decision, not by an official; then it cannot be edited (409 in Swedish) and keeps its data', async () => {
    const current = await ok(coordinator, 'GET', `/api/lagesbild/reports/${id}`);
    // No official adopts it directly any more.
    const direct = await ctx.app.inject({ method: 'POST', url: `/api/lagesbild/reports/${id}/adopt`, headers: { cookie: coordinator, origin: 'http://localhost' }, payload: { version: current.version } });
    expect(direct.statusCode).toBe(404);
    const c = await createCase(ctx.database, { title: 'Lägesbild och åtgärdsplan enligt lag (2023:196)' });
    await fails(reader, 'POST', `/api/lagesbild/reports/${id}/submit`, { version: current.version, caseId: c.id, bodyOrganisationId: ids.ks }, 403, 'FORBIDDEN');
    await fails(coordinator, 'POST', `/api/lagesbild/reports/${id}/submit`, { version: current.version, caseId: c.id, bodyOrganisationId: ids.lund }, 400, 'VALIDATION_FAILED');
    await fails(coordinator, 'POST', `/api/lagesbild/reports/${id}/new-version`, { version: current.version }, 409, 'LAGESBILD_REPORT_NOT_ADOPTED');
    await fails(coordinator, 'POST', `/api/lagesbild/reports/${id}/submit`, { version: current.version - 1, caseId: c.id, bodyOrganisationId: ids.ks }, 409, 'VERSION_CONFLICT');
    // Nothing was left in the case by the refused attempts.
    expect((await ctx.database.db.execute(sql`select count(*)::int as n from case_records where case_id = ${c.id}`)).rows[0]).toEqual({ n: 0 });
    const submitted = await ok(coordinator, 'POST', `/api/lagesbild/reports/${id}/submit`, { version: current.version, caseId: c.id, bodyOrganisationId: ids.ks });
    expect(submitted).toMatchObject({ status: 'submitted', version: 4, allowedActions: ['withdraw', 'secrecy'], decision: { caseId: c.id, registryNumber: c.registryNumber, recordNumber: `${c.registryNumber}-1`, bodyName: 'Kommunstyrelsen', decisionStatus: 'draft', reference: null } });
    // Before the body it cannot be edited.
    const locked = await fails(coordinator, 'PATCH', `/api/lagesbild/reports/${id}`, { version: 4, analysisText: 'Ändrad under beredningen' }, 409, 'LAGESBILD_REPORT_SUBMITTED');
    expect(locked.message).toContain('framlagd för beslut');
    await fails(coordinator, 'PUT', `/api/lagesbild/reports/${id}/findings`, { version: 4, findings: [{ text: 'Under beredningen' }] }, 409, 'LAGESBILD_REPORT_SUBMITTED');
    // In the case: the drawn-up record and the body's draft decision with the att-sats that adopts it.
    const records = await ctx.database.db.execute<{ direction: string; title: string }>(sql`select direction, title from case_records where case_id = ${c.id}`);
    expect(records.rows).toEqual([{ direction: 'drawn_up', title: 'Lägesbild enligt lag (2023:196): Lägesbild maj 2025 (tertial)' }]);
    const { items: [decision] } = await ok(coordinator, 'GET', `/api/cases/${c.id}/decisions`);
    expect(decision).toMatchObject({ status: 'draft', bodyOrganisationId: ids.ks, clauses: [{ effect: 'adopt_lagesbild', text: expect.stringContaining('att fastställa lägesbilden'), lagesbildReportId: id }] });
    // The body decides: that adopts and freezes it.
    const decided = await ok(coordinator, 'POST', `/api/decisions/${decision.id}/decide`, { version: decision.version, decidedOn: '2025-06-10', paragraph: 61 });
    expect(decided.status).toBe('decided');
    const adopted = await ok(coordinator, 'GET', `/api/lagesbild/reports/${id}`);
    expect(adopted).toMatchObject({ status: 'adopted', version: 5, adoptedBy: { name: 'Sam Samordnare' }, allowedActions: ['reopen', 'secrecy'], decision: { decisionId: decision.id, decisionStatus: 'decided', reference: 'KS 2025-06-10 § 61' } });
    expect(adopted.adoptedAt).toBeTruthy();
    const e = await fails(coordinator, 'PATCH', `/api/lagesbild/reports/${id}`, { version: 5, analysisText: 'Ändrad efteråt' }, 409, 'LAGESBILD_REPORT_ADOPTED');
    expect(e.message).toContain('fastställd');
    await fails(coordinator, 'POST', `/api/lagesbild/reports/${id}/withdraw`, { version: 5 }, 409, 'LAGESBILD_REPORT_ADOPTED');
    await fails(coordinator, 'PUT', `/api/lagesbild/reports/${id}/findings`, { version: 5, findings: [{ text: 'Efteråt' }] }, 409, 'LAGESBILD_REPORT_ADOPTED');
    // A reader without incidents.manage gets the version without restricted and secret incidents, with a note.
    const readersVersion = await ok(reader, 'GET', `/api/lagesbild/reports/${id}`);
    expect(JSON.stringify(readersVersion.generated)).toContain('ingår inte i den här versionen');
    expect(JSON.stringify(adopted.generated)).not.toContain('ingår inte i den här versionen');
    // The staff threat in May is counted in the full version only (the full figures are the municipality's, not the deciding official's).
    expect(adopted.generated[0].text).toContain('rapporterades 8 händelser');
    expect(readersVersion.generated[0].text).toContain('rapporterades 7 händelser');
    // New data in the period does not change the adopted report, in either version.
    await report('graffiti', '2025-05-20T12:00:00+02:00');
    const frozen = await ok(coordinator, 'GET', `/api/lagesbild/reports/${id}`);
    expect(JSON.stringify(frozen.generated)).toBe(JSON.stringify(adopted.generated));
    const readersFrozen = await ok(reader, 'GET', `/api/lagesbild/reports/${id}`);
    expect(JSON.stringify(readersFrozen.generated)).toBe(JSON.stringify(readersVersion.generated));
    const pdf = await pdfText((await generate(coordinator, 'incidents.lagesbild-report', 'pdf', { reportId: id })).rawPayload);
    expect(pdf).toContain('genom beslut KS 2025-06-10 § 61');

    const reopened = await ok(coordinator, 'POST', `/api/lagesbild/reports/${id}/new-version`, { version: 5 });
    expect(reopened).toMatchObject({ status: 'draft', version: 6, adoptedAt: null, decision: null, analysisText: texts.analysisText, allowedActions: ['edit', 'submit', 'secrecy'] });
    // The draft shows today's data again (one more graffiti).
    expect(reopened.generated[0].text).toContain('rapporterades 9 händelser');
    const edited = await ok(coordinator, 'PATCH', `/api/lagesbild/reports/${id}`, { version: 6, analysisText: 'Reviderad analys.' });
    expect(edited.version).toBe(7);
    const { items } = await ok(reader, 'GET', `/api/lagesbild/reports/${id}/versions`);
    expect(items.map((v: { event: string; status: string }) => `${v.event}:${v.status}`)).toEqual(['update:draft', 'reopen:draft', 'adopt:adopted', 'submit:submitted', 'update:draft', 'update:draft', 'create:draft']);
    // The adopted version is still readable, with its frozen data and text.
    const v4 = await ok(reader, 'GET', `/api/lagesbild/reports/${id}/versions/5`);
    expect(v4.content).toMatchObject({ status: 'adopted', analysisText: texts.analysisText });
    // The reader gets the adopted version's open tables; the coordinator its full ones.
    expect(JSON.stringify(v4.generated)).toBe(JSON.stringify(readersVersion.generated));
    const v4Full = await ok(coordinator, 'GET', `/api/lagesbild/reports/${id}/versions/5`);
    expect(JSON.stringify(v4Full.generated)).toBe(JSON.stringify(adopted.generated));
    const oldDoc = await docxText((await generate(coordinator, 'incidents.lagesbild-report', 'docx', { reportId: id, version: 5 })).rawPayload);
    expect(oldDoc).toContain('rapporterades 8 händelser');
    expect(oldDoc).toContain(texts.analysisText);
    const audit = await ctx.database.db.execute<{ action: string }>(sql`select action from audit_log where entity_type = 'lagesbild_report' and entity_id = ${id} order by id`);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'update', 'update', 'submit', 'adopt', 'reopen', 'update']);
  });
});

describe('statistics export', () => {
  const params = { from: '2025-05-01T00:00:00+02:00', to: '2025-06-01T00:00:00+02:00' };
  it('is a PDF with a drawn map (a tagged figure with alt text) and the tables', async () => {
    const file = await generate(coordinator, 'incidents.statistics', 'pdf', params);
    const raw = file.rawPayload.toString('latin1');
    expect(raw).toContain('/S /Figure');
    expect(raw).toMatch(/\/Alt \(/);
    const text = await pdfText(file.rawPayload);
    expect(text).toContain('Statistik över händelser');
    expect(text).toContain('2025-05-01–2025-05-31');
    expect(text).toContain('Karta');
    expect(text).toContain('Händelser med position');
    expect(text).toMatch(/Skadegörelse 6 1 \+5 \(\+500 %\)/);
    expect(text).toContain('Centrum (test)');
    expect(text).toContain('Per månad och kategori');
    // The trend per category against last year: a second tagged figure, after the map.
    expect(raw.match(/\/S \/Figure/g)).toHaveLength(2);
    expect(raw.match(/\/Alt \(/g)).toHaveLength(2);
    expect(text).toContain('Händelser per månad och kategori, jämfört med samma månad föregående år');
    expect(text).toContain('Streckad: samma månad föregående år');
  });

  it("draws the trend per category over the months with last year's same months dashed, described in words", () => {
    const L = (k: string, v?: Record<string, string | number>) => lt('sv', k, v);
    const chart = trendChart({
      from: '2025-11-01',
      to: '2026-01-31',
      current: [{ categoryKey: 'vandalism', month: '2025-12', count: 4 }, { categoryKey: 'vandalism', month: '2026-01', count: 2 }],
      previous: [{ categoryKey: 'vandalism', month: '2025-11', count: 3 }],
      categories: [{ key: 'vandalism', name: 'Skadegörelse', weight: 9 }, { key: 'graffiti', name: 'Klotter', weight: 0 }],
      L,
    })!;
    expect(chart.categories).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(chart.series.map((s) => [s.name, s.values, !!s.dashed])).toEqual([
      ['Skadegörelse', [0, 4, 2], false],
      ['Skadegörelse (föregående år)', [3, 0, 0], true],
    ]);
    expect(chart.alt).toContain('Skadegörelse: 2025-11: 0 (föregående år 3), 2025-12: 4 (föregående år 0), 2026-01: 2 (föregående år 0)');
    expect(trendChart({ from: '2025-11-01', to: '2026-01-31', current: [], previous: [], categories: [], L })).toBeNull();
  });

  it('is an XLSX with categories, areas and month × category × area, filtered as asked', async () => {
    const file = await generate(coordinator, 'incidents.statistics', 'xlsx', { ...params, categoryId: cats.graffiti });
    const sheet = await readXlsx(file.rawPayload, 'Händelser per kategori');
    expect(sheet.rows).toEqual([{ Kategori: 'Klotter', Antal: '2', 'Föregående år': '0' }]);
    const cells = await readXlsx(file.rawPayload, 'Månad × kategori × område');
    expect(cells.rows.every((r) => r['Kategori'] === 'Klotter' && r['Månad'] === '2025-05')).toBe(true);
    expect(cells.rows.reduce((s, r) => s + Number(r['Antal']), 0)).toBe(2);
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: coordinator }, payload: { kind: 'incidents.statistics', format: 'xlsx', params: { from: params.to, to: params.from } } });
    expect(bad.statusCode).toBe(400);
    const denied = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: reporter }, payload: { kind: 'incidents.statistics', format: 'pdf', params } });
    expect(denied.statusCode).toBe(403);
  });
});

describe('police event types (issue #11 item 6)', () => {
  it('the default mapping places every type the police publish: robbery is not theft, shootings and homicide have a place, summaries are not events', async () => {
    const { items } = await ok(coordinator, 'GET', '/api/police-type-mappings');
    const of = new Map(items.map((m: { policeType: string; categoryKey: string | null; excluded: boolean }) => [m.policeType, m]));
    expect(of.get('Rån')).toMatchObject({ categoryKey: 'robbery', excluded: false });
    expect(of.get('Rån väpnat')).toMatchObject({ categoryKey: 'robbery' });
    expect(of.get('Stöld')).toMatchObject({ categoryKey: 'theft' });
    expect(of.get('Skottlossning')).toMatchObject({ categoryKey: 'weapons' });
    expect(of.get('Explosion')).toMatchObject({ categoryKey: 'weapons' });
    expect(of.get('Mord/dråp')).toMatchObject({ categoryKey: 'violence' });
    expect(of.get('Sammanfattning natt')).toMatchObject({ categoryKey: null, excluded: true });
    // The types the police's open API is known to publish (reference.md § 9), less the summaries: each has a category.
    const published = ['Alkohollagen', 'Anträffad död', 'Anträffat gods', 'Arbetsplatsolycka', 'Bedrägeri', 'Bombhot', 'Brand', 'Brand automatlarm', 'Bråk',
      'Detonation', 'Djur skadat/omhändertaget', 'Ekobrott', 'Explosion', 'Farligt föremål, misstänkt', 'Fjällräddning', 'Fylleri/LOB', 'Förfalskningsbrott',
      'Försvunnen person', 'Gränskontroll', 'Häleri', 'Inbrott', 'Inbrott, försök', 'Knivlagen', 'Kontroll person/fordon', 'Lagen om hundar och katter',
      'Larm inbrott', 'Larm överfall', 'Miljöbrott', 'Missbruk av urkund', 'Misshandel', 'Misshandel, grov', 'Mord/dråp', 'Mord/dråp, försök',
      'Motorfordon, anträffat stulet', 'Motorfordon, stöld', 'Narkotikabrott', 'Naturkatastrof', 'Ofog barn/ungdom', 'Ofredande/förargelse',
      'Olaga frihetsberövande', 'Olaga hot', 'Olaga intrång/hemfridsbrott', 'Olovlig körning', 'Ordningslagen', 'Polisinsats/kommendering', 'Rattfylleri',
      'Rån', 'Rån väpnat', 'Rån övrigt', 'Rån, försök', 'Räddningsinsats', 'Sabotage mot blåljusverksamhet', 'Sedlighetsbrott', 'Sjukdom/olycksfall', 'Sjölagen',
      'Skadegörelse', 'Skottlossning', 'Skottlossning, misstänkt', 'Spridning smittsamma kemikalier', 'Stöld', 'Stöld, försök', 'Stöld, ringa', 'Stöld/inbrott',
      'Tillfälligt obemannat', 'Trafikbrott', 'Trafikhinder', 'Trafikkontroll', 'Trafikolycka', 'Trafikolycka, personskada', 'Trafikolycka, singel',
      'Trafikolycka, smitning från', 'Trafikolycka, vilt', 'Utlänningslagen', 'Vapenlagen', 'Varningslarm/haveri', 'Våld/hot mot tjänsteman', 'Våldtäkt',
      'Våldtäkt, försök', 'Vållande till kroppsskada', 'Övrigt'];
    expect(published.filter((t) => !(of.get(t) as { categoryKey: string | null } | undefined)?.categoryKey)).toEqual([]);
  });

  it('a type mapped from the weekly view is counted in its category at once; a summary is drawn on no map', async () => {
    expect((await ok(admin, 'GET', `/api/lagesbild/weeks?week=${WEEK}`)).allowedActions).toEqual(['note', 'mapTypes']);
    await fails(coordinator, 'PUT', '/api/police-type-mappings', { items: [{ policeType: 'Nytt polisärende', categoryId: cats.other }] }, 403, 'FORBIDDEN');
    const { items } = await ok(admin, 'PUT', '/api/police-type-mappings', { items: [{ policeType: 'Nytt polisärende', categoryId: cats.other }] });
    expect(items.find((m: { policeType: string }) => m.policeType === 'Nytt polisärende')).toMatchObject({ categoryKey: 'other', excluded: false });
    const v = await ok(coordinator, 'GET', `/api/lagesbild/weeks?week=${WEEK}&compare=4`);
    expect(v).toMatchObject({ unmappedPolice: 0, unmappedTypes: [] });
    expect(v.byCategory.find((c: { categoryKey: string }) => c.categoryKey === 'other')).toMatchObject({ police: 1 });
    const map = await ok(coordinator, 'GET', '/api/incident-map?source=police&bbox=12,55,15,57&zoom=16&from=2025-05-12T00:00:00%2B02:00&to=2025-05-19T00:00:00%2B02:00');
    expect(map.points.map((p: { key: string }) => p.key).sort()).toEqual(['Nytt polisärende', 'Skadegörelse', 'Skadegörelse']);
    await fails(admin, 'PUT', '/api/police-type-mappings', { items: [{ policeType: 'Nytt polisärende', categoryId: randomUUID() }] }, 400, 'VALIDATION_FAILED');
  });
});
