import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createCase, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { api, multipartFile } from '../../../../test/helpers/http.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { pdfText } from '../../../../test/helpers/pdf.ts';
import { createJobRunner } from '../../lib/job-runner.ts';

/**
 * Lag 2023:196 end to end: the report put to a body through a case (withdrawn, forwarded KS → KF), imported
 * crime statistics in part 1, and the action plan's actions linked to the report's findings.
 */
let ctx: TestContext;
let coordinator: string;
let reader: string;
let officer: string;
const ids: Record<string, string> = {};
const { ok, fails } = api(() => ctx.app, { created: (method, url) => method === 'POST' && /\/api\/lagesbild\/reports$|\/decisions$|\/forward$|focus-areas$|goals$|\/api\/actions$/.test(url) });

const csv = (text: string) => multipartFile('statistik.csv', Buffer.from(text, 'utf8'), 'text/csv');
async function importStats(cookie: string, kind: 'reported' | 'survey', text: string, query = '') {
  const m = csv(text);
  return ctx.app.inject({ method: 'POST', url: `/api/lagesbild/crime-statistics/import?kind=${kind}${query}`, headers: { ...m.headers, cookie, origin: 'http://localhost' }, payload: m.payload });
}
async function newReport(title: string) {
  return ok(coordinator, 'POST', '/api/lagesbild/reports', { title, periodFrom: '2025-01-01', periodTo: '2025-12-31' });
}
let paragraph = 300;
/** The report as a generated PDF (an export job, run here). */
async function reportPdf(cookie: string, reportId: string) {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie }, payload: { kind: 'incidents.lagesbild-report', format: 'pdf', params: { reportId } } });
  expect(res.statusCode, res.body).toBe(202);
  await createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] }).runDue();
  const file = await ctx.app.inject({ method: 'GET', url: `/api/exports/${res.json().id}/file`, headers: { cookie } });
  expect(file.statusCode).toBe(200);
  return pdfText(file.rawPayload);
}

beforeAll(async () => {
  ctx = await createTestApp();
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  officer = await signIn(ctx.app, 'handlaggare@lund.example');
  for (const k of ['ks', 'kf', 'lund']) ids[k] = await orgId(ctx.database, k);
});
afterAll(async () => {
  await ctx?.close();
});

describe('imported crime statistics (part 1 of the lägesbild)', () => {
  it('refuses a file with an unknown municipality code or year row by row in Swedish, and changes nothing', async () => {
    const res = await importStats(coordinator, 'reported', 'Kommunkod;Brottstyp;År;Antal\n1281 Lund;Skadegörelse;2024;1 480\n0180;Skadegörelse;2024;9000\n1281;Stöld;1899;40\n');
    expect(res.statusCode).toBe(400);
    const body = res.json().error;
    expect(body.code).toBe('IMPORT_INVALID');
    expect(body.fields).toContainEqual({ path: 'rad 3: Kommunkod', message: 'Kommunkoden 0180 är inte kommunens (tillåtna: 1281).' });
    expect(body.fields).toContainEqual({ path: 'rad 4: År', message: expect.stringMatching(/^Året måste vara ett årtal mellan 1975 och \d{4}\.$/) });
    expect((await ctx.database.db.execute(sql`select count(*)::int as n from crime_statistics`)).rows[0]).toEqual({ n: 0 });
    // A file without the needed columns, and a survey share over 100 %.
    const cols = await importStats(coordinator, 'reported', 'Kommun;Antal\n1281;3\n');
    expect(cols.statusCode).toBe(400);
    expect(JSON.stringify(cols.json().error.fields)).toContain('Kolumnen Kategori');
    const share = await importStats(coordinator, 'survey', 'Kommunkod;Fråga;År;Andel\n1281;Otrygg ute sent på kvällen;2024;120\n');
    expect(share.json().error.fields).toContainEqual({ path: 'rad 2: Värde', message: 'Andelen måste vara mellan 0 och 100 procent.' });
    // Only those who write the lägesbild import.
    expect((await importStats(reader, 'reported', 'Kommunkod;Brottstyp;År;Antal\n1281;Stöld;2024;1\n')).statusCode).toBe(403);
  });

  it('imports Brå reported crimes and a safety survey (a dry run first), and part 1 shows them as tables over years for every reader', async () => {
    const file = 'Region;Brottstyp;År;Antal;Per 100 000 invånare\n1281 Lund;Skadegörelse;2023;1 310;1 040\n1281 Lund;Skadegörelse;2024;1 480;1 160\n1281 Lund;Stöld och tillgrepp;2024;5 020;3 950\n';
    const dry = await importStats(coordinator, 'reported', file, '&dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ valid: true, applied: false, counts: { import: 3, invalid: 0 } });
    expect((await ctx.database.db.execute(sql`select count(*)::int as n from crime_statistics`)).rows[0]).toEqual({ n: 0 });
    const done = await importStats(coordinator, 'reported', file);
    expect(done.json()).toMatchObject({ valid: true, applied: true, counts: { import: 3 } });
    const survey = await importStats(coordinator, 'survey', 'Kommunkod;Fråga;År;Andel\n1281;Otrygg ute sent på kvällen;2023;27,5\n1281;Otrygg ute sent på kvällen;2024;25\n', '&source=NTU');
    expect(survey.statusCode, survey.body).toBe(200);
    // A re-import replaces the year's figure.
    expect((await importStats(coordinator, 'reported', 'Kommunkod;Brottstyp;År;Antal\n1281;Stöld och tillgrepp;2024;5 010\n')).statusCode).toBe(200);
    const list = await ok(reader, 'GET', '/api/lagesbild/crime-statistics?kind=reported');
    expect(list.items.map((r: { category: string; year: number; value: number; per100k: number | null }) => [r.category, r.year, r.value, r.per100k])).toEqual([
      ['Skadegörelse', 2023, 1310, 1040],
      ['Skadegörelse', 2024, 1480, 1160],
      ['Stöld och tillgrepp', 2024, 5010, null],
    ]);

    const r = await newReport('Lägesbild 2025 med statistik');
    const reported = r.generated.find((b: { caption?: string }) => b.caption === 'Anmälda brott i kommunen per år (Brottsförebyggande rådet)');
    expect(reported.columns.map((c: { header: string }) => c.header)).toEqual(['Brottskategori', '2023', '2024']);
    expect(reported.rows).toEqual([['Stöld och tillgrepp', '–', '5\u00a0010'], ['Skadegörelse', '1\u00a0310', '1\u00a0480']]);
    const surveyTable = r.generated.find((b: { caption?: string }) => b.caption === 'Trygghetsmätning per år (andel i procent)');
    expect(surveyTable.rows).toEqual([['Otrygg ute sent på kvällen', '27,5', '25']]);
    expect(JSON.stringify(r.generated)).toContain('NTU');
    // Public figures: the reader sees the same tables.
    const asReader = await ok(reader, 'GET', `/api/lagesbild/reports/${r.id}`);
    expect(asReader.generated.find((b: { caption?: string }) => b.caption?.startsWith('Anmälda brott'))).toEqual(reported);
    expect(await reportPdf(reader, r.id)).toContain('Anmälda brott i kommunen per år (Brottsförebyggande rådet)');
  });
});

describe('put to a body through a case', () => {
  it('can be taken back before the body decides; deciding the left-over draft is then refused and changes nothing', async () => {
    const r = await newReport('Lägesbild tillbakatagen');
    const c = await createCase(ctx.database, {});
    const s = await ok(coordinator, 'POST', `/api/lagesbild/reports/${r.id}/submit`, { version: r.version, caseId: c.id, bodyOrganisationId: ids.ks });
    const back = await ok(coordinator, 'POST', `/api/lagesbild/reports/${r.id}/withdraw`, { version: s.version });
    expect(back).toMatchObject({ status: 'draft', decision: null, allowedActions: ['edit', 'submit', 'secrecy'] });
    await fails(coordinator, 'POST', `/api/lagesbild/reports/${r.id}/withdraw`, { version: back.version }, 409, 'LAGESBILD_REPORT_NOT_SUBMITTED');
    const { items: [d] } = await ok(coordinator, 'GET', `/api/cases/${c.id}/decisions`);
    const e = await fails(coordinator, 'POST', `/api/decisions/${d.id}/decide`, { version: d.version, decidedOn: '2025-09-01', paragraph: ++paragraph }, 400, 'VALIDATION_FAILED');
    expect(e.fields).toContainEqual({ path: 'clauses.0.effect', message: expect.stringContaining('inte framlagd för beslut') });
    expect((await ok(coordinator, 'GET', `/api/decisions/${d.id}`)).status).toBe('draft');
    expect((await ok(coordinator, 'GET', `/api/lagesbild/reports/${r.id}`)).status).toBe('draft');
  });

  it('a closed case or a case one may not handle takes nothing; a secret report is registered without its title and with its marking', async () => {
    const r = await newReport('Hemlig lägesbild om skyddsobjekt');
    const closed = await createCase(ctx.database, {});
    await ctx.database.db.execute(sql`update cases set status = 'closed' where id = ${closed.id}`);
    await fails(coordinator, 'POST', `/api/lagesbild/reports/${r.id}/submit`, { version: r.version, caseId: closed.id, bodyOrganisationId: ids.ks }, 409, 'CASE_CLOSED');
    await ok(coordinator, 'PUT', `/api/secrecy/lagesbild_report/${r.id}`, { secrecyRef: '18 kap. 8 § OSL', reason: 'Uppgifter om skyddsobjekt' });
    const cur = await ok(coordinator, 'GET', `/api/lagesbild/reports/${r.id}`);
    const c = await createCase(ctx.database, {});
    await ok(coordinator, 'POST', `/api/lagesbild/reports/${r.id}/submit`, { version: cur.version, caseId: c.id, bodyOrganisationId: ids.ks });
    const rec = await ctx.database.db.execute<{ title: string; secrecy_ref: string | null }>(sql`select title, secrecy_ref from case_records where case_id = ${c.id}`);
    expect(rec.rows).toEqual([{ title: 'Lägesbild enligt lag (2023:196), 2025-01-01–2025-12-31', secrecy_ref: '18 kap. 8 § OSL' }]);
    const clause = await ctx.database.db.execute<{ text: string }>(sql`select k.text from decision_clauses k join decisions d on d.id = k.decision_id where d.case_id = ${c.id}`);
    expect(clause.rows[0].text).not.toContain('skyddsobjekt');
  });

  it('KS proposes to KF: the report is adopted when KF decides, not when KS does', async () => {
    const r = await newReport('Lägesbild till fullmäktige');
    const c = await createCase(ctx.database, {});
    const s = await ok(coordinator, 'POST', `/api/lagesbild/reports/${r.id}/submit`, { version: r.version, caseId: c.id, bodyOrganisationId: ids.ks });
    const { items: [ks] } = await ok(officer, 'GET', `/api/cases/${c.id}/decisions`);
    // KS makes the att-sats a proposal to KF.
    const withProposal = await ok(officer, 'PATCH', `/api/decisions/${ks.id}/clauses/${ks.clauses[0].id}`, { version: ks.version, toBodyOrganisationId: ids.kf, text: ks.clauses[0].text.replace('att fastställa', 'att föreslå kommunfullmäktige besluta att fastställa') });
    const ksDecided = await ok(officer, 'POST', `/api/decisions/${ks.id}/decide`, { version: withProposal.version, decidedOn: '2025-10-01', paragraph: ++paragraph });
    expect(ksDecided.status).toBe('decided');
    const stillBefore = await ok(coordinator, 'GET', `/api/lagesbild/reports/${r.id}`);
    expect(stillBefore).toMatchObject({ status: 'submitted', version: s.version });
    const kf = await ok(officer, 'POST', `/api/decisions/${ks.id}/forward`, { bodyOrganisationId: ids.kf });
    expect((await ok(coordinator, 'GET', `/api/lagesbild/reports/${r.id}`)).decision).toMatchObject({ bodyName: 'Kommunfullmäktige', decisionStatus: 'draft' });
    await ok(officer, 'POST', `/api/decisions/${kf.id}/decide`, { version: kf.version, decidedOn: '2025-10-20', paragraph: ++paragraph });
    const adopted = await ok(reader, 'GET', `/api/lagesbild/reports/${r.id}`);
    expect(adopted).toMatchObject({ status: 'adopted', decision: { decisionId: kf.id, reference: `KF 2025-10-20 § ${paragraph}` } });
  });
});

describe('the action plan answers the findings', () => {
  it('links a crime-prevention action to findings; the report shows the actions that follow from each; other programmes may not link', async () => {
    const r = await newReport('Lägesbild med slutsatser');
    await fails(reader, 'PUT', `/api/lagesbild/reports/${r.id}/findings`, { version: r.version, findings: [{ text: 'x' }] }, 403, 'FORBIDDEN');
    const withFindings = await ok(coordinator, 'PUT', `/api/lagesbild/reports/${r.id}/findings`, {
      version: r.version,
      findings: [{ text: 'Skadegörelsen kring skolorna i centrum ökar kvällstid.' }, { text: 'Otryggheten i stadsparken hänger ihop med dålig belysning.' }],
    });
    expect(withFindings.findings.map((f: { ordinal: number; text: string; actions: unknown[] }) => [f.ordinal, f.actions.length])).toEqual([[1, 0], [2, 0]]);
    const [school, park] = withFindings.findings;
    // An action in the crime-prevention action plan, and one in the safety programme.
    const programs = await ctx.database.db.execute<{ id: string; kind: string }>(sql`select id, kind from programs where kind in ('crime_prevention_plan', 'safety_program')`);
    const planId = programs.rows.find((p) => p.kind === 'crime_prevention_plan')!.id;
    const fa = await ok(coordinator, 'POST', `/api/programs/${planId}/focus-areas`, { number: 9, title: 'Trygga offentliga miljöer' });
    const goal = await ok(coordinator, 'POST', `/api/focus-areas/${fa.id}/goals`, { number: 1, text: 'Mindre skadegörelse kring skolorna' });
    const kkts = await orgId(ctx.database, 'kk-ts');
    const action = await ok(coordinator, 'POST', '/api/actions', { goalId: goal.id, title: 'Kvällsvandringar vid skolorna', responsibleOrganisationId: kkts });
    const otherRow = await ctx.database.db.execute<{ id: string }>(sql`
      select a.id from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id
      where p.kind = 'safety_program' limit 1`);
    const other = otherRow.rows[0];
    expect(action && other).toBeTruthy();
    const options = await ok(coordinator, 'GET', '/api/lagesbild/findings');
    expect(options.items.filter((o: { reportId: string }) => o.reportId === r.id).map((o: { text: string }) => o.text)).toEqual([school.text, park.text]);

    await fails(coordinator, 'PUT', `/api/actions/${other.id}/findings`, { findingIds: [school.id] }, 409, 'FINDINGS_NOT_FOR_PLAN');
    await fails(coordinator, 'PUT', `/api/actions/${action.id}/findings`, { findingIds: ['00000000-0000-4000-8000-000000000000'] }, 400, 'VALIDATION_FAILED');
    await fails(reader, 'PUT', `/api/actions/${action.id}/findings`, { findingIds: [school.id] }, 403, 'FORBIDDEN');
    const linked = await ok(coordinator, 'PUT', `/api/actions/${action.id}/findings`, { findingIds: [school.id] });
    expect(linked).toMatchObject({ applies: true, items: [{ id: school.id, reportTitle: 'Lägesbild med slutsatser', ordinal: 1 }] });
    expect((await ok(reader, 'GET', `/api/actions/${action.id}/findings`)).items).toHaveLength(1);

    const shown = await ok(reader, 'GET', `/api/lagesbild/reports/${r.id}`);
    expect(shown.findings[0]).toMatchObject({ text: school.text, actions: [{ id: action.id, title: action.title }], hiddenActions: 0 });
    expect(shown.findings[1].actions).toEqual([]);
    // The document says which actions follow from each finding.
    const pdf = await reportPdf(reader, r.id);
    expect(pdf).toContain('Slutsatser och åtgärder som följer av dem');
    expect(pdf).toContain('1. Skadegörelsen kring skolorna i centrum ökar kvällstid.');
    expect(pdf).toMatch(/Åtgärder i åtgärdsplanen: Kvällsvandringar vid skolorna \(Åtgärdsplan för brottsförebyggande arbete/);
    expect(pdf).toContain('Ingen åtgärd i åtgärdsplanen är kopplad till slutsatsen än.');

    // Renumbering keeps the finding and its link; a finding left out goes with its links.
    const reordered = await ok(coordinator, 'PUT', `/api/lagesbild/reports/${r.id}/findings`, { version: withFindings.version, findings: [{ id: park.id, text: park.text }, { id: school.id, text: `${school.text} (reviderad)` }] });
    expect(reordered.findings.map((f: { ordinal: number; id: string; actions: unknown[] }) => [f.ordinal, f.id, f.actions.length])).toEqual([[1, park.id, 0], [2, school.id, 1]]);
    const dropped = await ok(coordinator, 'PUT', `/api/lagesbild/reports/${r.id}/findings`, { version: reordered.version, findings: [{ id: park.id, text: park.text }] });
    expect(dropped.findings).toHaveLength(1);
    expect((await ok(coordinator, 'GET', `/api/actions/${action.id}/findings`)).items).toEqual([]);
    await fails(coordinator, 'PUT', `/api/lagesbild/reports/${r.id}/findings`, { version: reordered.version, findings: [] }, 409, 'VERSION_CONFLICT');
    const versions = await ok(coordinator, 'GET', `/api/lagesbild/reports/${r.id}/versions/${reordered.version}`);
    expect(versions.content.findings.map((f: { text: string }) => f.text)).toEqual([park.text, `${school.text} (reviderad)`]);
  });
});
