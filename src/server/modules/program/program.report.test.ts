import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { XMLValidator } from 'fast-xml-parser';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { signIn } from '../../../../test/helpers/factories.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { createJobRunner } from '../../lib/job-runner.ts';
import { readXlsx } from '../../lib/documents/xlsx.ts';
import { pdfText } from '../../../../test/helpers/pdf.ts';

let ctx: TestContext;
let coordinator: string;
let closedRound: { id: string; name: string };
let openRound: { id: string; name: string };

beforeAll(async () => {
  ctx = await createTestApp();
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  const rounds = (await ctx.app.inject({ method: 'GET', url: '/api/follow-up-rounds', headers: { cookie: coordinator } })).json().items as { id: string; name: string; status: string }[];
  closedRound = rounds.find((r) => r.status === 'closed')!;
  openRound = rounds.find((r) => r.status === 'open')!;
});
afterAll(() => ctx?.close());

/** Orders a file, lets the job runner build it, and downloads it. */
async function generate(cookie: string, format: 'docx' | 'pdf' | 'xlsx', roundId: string) {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie }, payload: { kind: 'program.followup-report', format, params: { roundId } } });
  expect(res.statusCode, res.body).toBe(202);
  const { id, status } = res.json();
  expect(status).toBe('pending');
  const early = await ctx.app.inject({ method: 'GET', url: `/api/exports/${id}/file`, headers: { cookie } });
  expect(early.statusCode).toBe(409);
  await createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] }).runDue();
  const done = (await ctx.app.inject({ method: 'GET', url: `/api/exports/${id}`, headers: { cookie } })).json();
  expect(done).toMatchObject({ status: 'done', progress: 100 });
  const file = await ctx.app.inject({ method: 'GET', url: `/api/exports/${id}/file`, headers: { cookie } });
  expect(file.statusCode).toBe(200);
  return { id, file };
}

describe('follow-up report for the board', () => {
  it('is a DOCX whose every part is well-formed XML, with cover, summary, actions and one appendix per organisation', async () => {
    const { file } = await generate(coordinator, 'docx', closedRound.id);
    expect(file.headers['content-type']).toContain('wordprocessingml');
    expect(file.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`Uppföljning ${closedRound.name}.docx`)}`);
    const zip = await JSZip.loadAsync(file.rawPayload);
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xml') || n.endsWith('.rels'))) {
      const xml = await zip.file(name)!.async('string');
      expect(XMLValidator.validate(xml), name).toBe(true);
    }
    const body = await zip.file('word/document.xml')!.async('string');
    const text = body.replace(/<[^>]+>/g, ' ');
    expect(text).toContain(`Uppföljning: ${closedRound.name}`);
    expect(text).toContain('Sammanfattning');
    expect(text).toContain('Förebyggande arbete');
    expect(text).toContain('Bilaga 1');
    expect(text).toContain('Socialnämnden');
    expect(text).toMatch(/Inrapporterat:\s+\d+ av \d+/);
  });

  it('is a tagged PDF in Swedish with headings and table header cells', async () => {
    const { file } = await generate(coordinator, 'pdf', closedRound.id);
    const pdf = file.rawPayload.toString('latin1');
    expect(pdf.startsWith('%PDF-1.7')).toBe(true);
    expect(pdf).toContain('/StructTreeRoot');
    expect(pdf).toMatch(/\/MarkInfo/);
    expect(pdf).toMatch(/\/Lang \(sv-SE\)/);
    for (const tag of ['/S /H1', '/S /H2', '/S /Table', '/S /TR', '/S /TH', '/S /TD']) expect(pdf, tag).toContain(tag);
    expect(pdf).toContain('/FontFile2'); // the font is embedded
  });

  it('is an XLSX with the focus areas, goals and every reported action', async () => {
    const { file } = await generate(coordinator, 'xlsx', openRound.id);
    const sheet = await readXlsx(file.rawPayload, 'Åtgärder');
    expect(sheet.headers).toEqual(expect.arrayContaining(['Åtgärd', 'Ansvarig', 'Status', 'Genomförandegrad', 'Rapport']));
    const overview = (await ctx.app.inject({ method: 'GET', url: `/api/follow-up-rounds/${openRound.id}/overview`, headers: { cookie: coordinator } })).json().items as { total: number }[];
    expect(sheet.rows).toHaveLength(overview.reduce((s, o) => s + o.total, 0));
    expect(sheet.rows.map((r) => r['Rapport'])).toContain('Inskickad');
    expect((await readXlsx(file.rawPayload, 'Fokusområden')).rows.map((r) => r['Fokusområde'])).toEqual(['Förebyggande arbete', 'Informationssäkerhet']);
  });

  it('is only for those who see the whole program, and only its requester can fetch it', async () => {
    const reporter = await signIn(ctx.app, 'rapportor.son@lund.example');
    const denied = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: reporter }, payload: { kind: 'program.followup-report', format: 'pdf', params: { roundId: closedRound.id } } });
    expect(denied.statusCode).toBe(403);
    const reader = await signIn(ctx.app, 'lasare@lund.example');
    const { id } = await generate(coordinator, 'xlsx', closedRound.id);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/exports/${id}`, headers: { cookie: reader } })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/exports/${id}/file`, headers: { cookie: reader } })).statusCode).toBe(404);
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: coordinator }, payload: { kind: 'program.followup-report', format: 'csv', params: { roundId: closedRound.id } } });
    expect(bad.statusCode).toBe(400);
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: coordinator }, payload: { kind: 'nope', format: 'pdf', params: {} } });
    expect(unknown.statusCode).toBe(400);
    const missing = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: coordinator }, payload: { kind: 'program.followup-report', format: 'pdf', params: { roundId: '00000000-0000-4000-8000-000000000000' } } });
    expect(missing.statusCode).toBe(404);
  });

  it('is also served as data for the print page: the frozen snapshot for a closed round, for whole-program readers only', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/follow-up-rounds/${closedRound.id}/document`, headers: { cookie: coordinator } });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    expect(doc.title).toBe(`Uppföljning: ${closedRound.name}`);
    expect(doc.blocks.filter((b: { type: string }) => b.type === 'heading').map((b: { text: string }) => b.text)).toEqual(expect.arrayContaining(['Sammanfattning', 'Åtgärder', 'Bilagor']));
    // Changing an action after the round closed does not change the closed round's report.
    const before = JSON.stringify(doc.blocks);
    const action = (await ctx.app.inject({ method: 'GET', url: '/api/actions', headers: { cookie: coordinator } })).json().items[0];
    await ctx.app.inject({ method: 'PATCH', url: `/api/actions/${action.id}`, headers: { cookie: coordinator }, payload: { version: action.version, progress: action.progress === 99 ? 98 : 99 } });
    const after = (await ctx.app.inject({ method: 'GET', url: `/api/follow-up-rounds/${closedRound.id}/document`, headers: { cookie: coordinator } })).json();
    expect(JSON.stringify(after.blocks)).toBe(before);
    const reporter = await signIn(ctx.app, 'rapportor.son@lund.example');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/follow-up-rounds/${closedRound.id}/document`, headers: { cookie: reporter } })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/follow-up-rounds/00000000-0000-4000-8000-000000000000/document', headers: { cookie: coordinator } })).statusCode).toBe(404);
  });

  it('holds only submitted reports: a draft\'s text is in none of DOCX, PDF, XLSX and print page, and the organisation is listed as not submitted', async () => {
    // The demo's open round: Tekniska nämnden has saved a draft, not sent it in.
    const draft = 'utkast, inte inskickat';
    const drafts = (await ctx.app.inject({ method: 'GET', url: `/api/follow-up-reports?roundId=${openRound.id}`, headers: { cookie: coordinator } })).json().items as { state: string; done: string | null; organisationName: string }[];
    const tn = drafts.find((r) => r.state === 'draft' && r.done?.includes(draft))!;
    expect(tn.organisationName).toBe('Tekniska nämnden');
    const missing = /Ej inlämnad: Tekniska nämnden — .+? \(\d+ av \d+\)/;

    const docx = await JSZip.loadAsync((await generate(coordinator, 'docx', openRound.id)).file.rawPayload);
    const docxText = (await docx.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(docxText).not.toContain(draft);
    expect(docxText).toMatch(missing);
    const pdf = await pdfText((await generate(coordinator, 'pdf', openRound.id)).file.rawPayload);
    expect(pdf).not.toContain(draft);
    expect(pdf).toMatch(missing);
    const xlsx = (await generate(coordinator, 'xlsx', openRound.id)).file.rawPayload;
    expect(JSON.stringify((await readXlsx(xlsx, 'Åtgärder')).rows)).not.toContain(draft);
    const print = await ctx.app.inject({ method: 'GET', url: `/api/follow-up-rounds/${openRound.id}/document`, headers: { cookie: coordinator } });
    expect(print.statusCode).toBe(200);
    expect(print.body).not.toContain(draft);
    expect(print.body).toMatch(missing);
    // No appendix for an organisation without a submitted report.
    const headings = (print.json().blocks as { type: string; text?: string }[]).filter((b) => b.type === 'heading').map((b) => b.text);
    expect(headings.some((h) => h?.includes('Tekniska nämnden'))).toBe(false);
  });

  it('shows the implementation rate per focus area, each goal over the rounds and the actions\' status as charts: tagged PDF figures with alt text, Word charts, the same on the print page', async () => {
    const model = (await ctx.app.inject({ method: 'GET', url: `/api/follow-up-rounds/${openRound.id}/document`, headers: { cookie: coordinator } })).json();
    const charts = (model.blocks as { type: string; kind: string; alt: string; categories: string[] }[]).filter((b) => b.type === 'chart');
    // The summary's three, then the trend of the safety survey's indicator (the demo's measured values, issue #11 item 4).
    expect(charts.map((c) => c.kind)).toEqual(['bar', 'line', 'stackedBar', 'line']);
    expect(charts[3].alt).toContain('Andel som känner sig trygga ute ensamma sent på kvällen');
    expect(charts[0].alt).toMatch(/Förebyggande arbete: genomförandegrad \d+(,\d)? %/);
    // The trend runs over the closed round and this one.
    expect(charts[1].categories).toEqual([closedRound.name, openRound.name]);
    expect(charts[1].alt).toContain(`Mål 2.1: ${closedRound.name}`);

    const raw = (await generate(coordinator, 'pdf', openRound.id)).file.rawPayload;
    const latin = raw.toString('latin1');
    expect(latin.match(/\/S \/Figure/g)?.length).toBe(4);
    expect(latin.match(/\/Alt \(/g)?.length).toBe(4);
    const text = await pdfText(raw);
    expect(text).toContain('Genomförandegrad per mål över uppföljningsomgångarna');
    // Goal fulfilment is the indicators' alone: the action roll-up never carries that name (issue #11 item 9).
    expect(text).not.toMatch(/sammanvägda måluppfyllelse|Måluppfyllelse per mål|Måluppfyllelse och andel/);
    // Column headings whole: "Genomförda" once broke into "Genomförd" / "a".
    for (const heading of ['Genomförda', 'Försenade', 'Måluppfyllelse', 'Genomförandegrad']) expect(text, heading).toMatch(new RegExp(`(^|\\s)${heading}(\\s|$)`));
    expect(text).not.toMatch(/Genomförd a\b/);

    const docx = await JSZip.loadAsync((await generate(coordinator, 'docx', openRound.id)).file.rawPayload);
    const chartParts = Object.keys(docx.files).filter((n) => /^word\/charts\/chart\d+\.xml$/.test(n));
    expect(chartParts).toHaveLength(4);
    const body = await docx.file('word/document.xml')!.async('string');
    const described = [...body.matchAll(/<wp:docPr [^>]*descr="([^"]+)"/g)].map((m) => m[1]);
    expect(described).toHaveLength(4);
    expect(described[0]).toContain('Förebyggande arbete');
    expect(described[1]).toContain('Mål 2.1');
  });
});
