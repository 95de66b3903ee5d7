import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { api } from '../../../../test/helpers/http.ts';
import JSZip from 'jszip';
import { createJobRunner } from '../../lib/job-runner.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { pdfText } from '../../../../test/helpers/pdf.ts';
import { fulfilmentOf, implementationRate, withinScale } from './indicators.ts';

/** Measured indicators (issue #11 item 4): entering by hand, validation, the key-figure import, fulfilment. */
let ctx: TestContext;
let coordinator: string;
let reporterSon: string;
let partner: string;
let reader: string;
const ids: Record<string, string> = {};
const { call, ok, fails, upload } = api(() => ctx.app, { created: (method, url) => method === 'POST' && !url.includes('import') });

beforeAll(async () => {
  ctx = await createTestApp();
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reporterSon = await signIn(ctx.app, 'rapportor.son@lund.example');
  partner = await signIn(ctx.app, 'polisen@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  for (const k of ['ks', 'son', 'tn', 'polisen']) ids[k] = await orgId(ctx.database, k);
});
afterAll(() => ctx?.close());

async function buildProgram() {
  const program = await ok<{ id: string }>(coordinator, 'POST', '/api/programs', { kind: 'safety_program', title: `Indikatorprogram ${Math.random()}`, ownerOrganisationId: ids.ks });
  const area = await ok<{ id: string }>(coordinator, 'POST', `/api/programs/${program.id}/focus-areas`, { number: 1, title: 'Trygghet' });
  const safe = await ok<{ id: string; version: number }>(coordinator, 'POST', `/api/focus-areas/${area.id}/goals`, {
    number: 1, text: 'Fler känner sig trygga', indicator: 'Andel som känner sig trygga utomhus på kvällen', unit: '%', baseline: 60, targetValue: 80, targetYear: 2027, kpiId: 'U07460',
  });
  const violence = await ok<{ id: string }>(coordinator, 'POST', `/api/focus-areas/${area.id}/goals`, {
    number: 2, text: 'Minskat våld', indicator: 'Anmälda våldsbrott per 1 000 invånare', unit: 'per 1 000', baseline: 10, targetValue: 8, scaleMin: 0, scaleMax: 100, kpiId: 'N07403',
  });
  const noIndicator = await ok<{ id: string }>(coordinator, 'POST', `/api/focus-areas/${area.id}/goals`, { number: 3, text: 'Mål utan indikator' });
  // Actions of Socialnämnden (one done) and Tekniska nämnden: the partner and the SoN reporter see few or none of them.
  await ok(coordinator, 'POST', '/api/actions', { goalId: safe.id, title: 'Belysning', responsibleOrganisationId: ids.tn, status: 'done', progress: 100 });
  await ok(coordinator, 'POST', '/api/actions', { goalId: safe.id, title: 'Trygghetsvandringar', responsibleOrganisationId: ids.son, status: 'in_progress', progress: 30 });
  await ok(coordinator, 'POST', '/api/actions', { goalId: violence.id, title: 'Våldspreventivt arbete', responsibleOrganisationId: ids.tn, status: 'not_started', progress: 0 });
  return { program, area, safe, violence, noIndicator };
}

const count = async (goalId: string) =>
  (await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from indicator_values where goal_id = ${goalId}`)).rows[0].n;

describe('the rules', () => {
  it('measures the way from baseline to target, upwards and downwards, and the share of actions done', () => {
    expect(fulfilmentOf({ unit: '%', baseline: 60, targetValue: 80, scaleMin: null, scaleMax: null }, 70)).toEqual({ fulfilment: 50, reached: false });
    expect(fulfilmentOf({ unit: null, baseline: 10, targetValue: 8, scaleMin: null, scaleMax: null }, 9.5)).toEqual({ fulfilment: 25, reached: false });
    expect(fulfilmentOf({ unit: null, baseline: 10, targetValue: 8, scaleMin: null, scaleMax: null }, 7)).toEqual({ fulfilment: 100, reached: true });
    expect(fulfilmentOf({ unit: null, baseline: 10, targetValue: 8, scaleMin: null, scaleMax: null }, 12).fulfilment).toBe(0);
    expect(fulfilmentOf({ unit: null, baseline: 10, targetValue: 8, scaleMin: null, scaleMax: null }, null)).toEqual({ fulfilment: null, reached: null });
    expect(withinScale({ unit: '%', scaleMin: null, scaleMax: null }, 101)).toBe(false);
    expect(withinScale({ unit: 'st', scaleMin: null, scaleMax: null }, 101)).toBe(true);
    expect(implementationRate({ not_started: 1, in_progress: 0, done: 1, delayed: 0, cancelled: 5 })).toBe(50);
  });
});

describe('entering values by hand', () => {
  it('records, changes and removes a value; the trend shows fulfilment against baseline and target', async () => {
    const { safe } = await buildProgram();
    const v = await ok<{ id: string; version: number; value: number; source: string; enteredByName: string }>(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2024-12-31', period: '2024', value: 65, note: 'Trygghetsmätning' });
    expect(v).toMatchObject({ value: 65, source: 'manual', enteredByName: 'Sam Samordnare' });
    await ok(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2025-12-31', period: '2025', value: 70 });
    let trend = await ok<{ values: unknown[]; latest: { value: number }; fulfilment: number; reached: boolean }>(reader, 'GET', `/api/goals/${safe.id}/indicator`);
    expect(trend.values).toHaveLength(2);
    expect(trend).toMatchObject({ latest: { value: 70 }, fulfilment: 50, reached: false });
    const changed = await ok<{ version: number; value: number }>(coordinator, 'PATCH', `/api/indicator-values/${v.id}`, { version: v.version, value: 66 });
    expect(changed.value).toBe(66);
    await fails(coordinator, 'PATCH', `/api/indicator-values/${v.id}`, { version: v.version, value: 67 }, 409, 'VERSION_CONFLICT');
    trend = await ok(coordinator, 'DELETE', `/api/indicator-values/${v.id}?version=${changed.version}`);
    expect(trend.values).toHaveLength(1);
    await fails(coordinator, 'DELETE', `/api/indicator-values/${v.id}?version=${changed.version}`, undefined, 404, 'INDICATOR_VALUE_NOT_FOUND');
  });

  it('refuses a value outside the scale, an unknown goal or a goal without indicator, and those without the right; nothing changes', async () => {
    const { safe, violence, noIndicator } = await buildProgram();
    const out = await fails(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2025-12-31', value: 120 }, 400, 'INDICATOR_VALUE_OUT_OF_SCALE');
    expect(out.message).toBe('Värdet ligger utanför indikatorns skala.');
    expect(out.fields?.[0]).toEqual({ path: 'value', message: 'Ange ett värde mellan 0 och 100 (%).' });
    await fails(coordinator, 'POST', `/api/goals/${violence.id}/indicator-values`, { measuredOn: '2025-12-31', value: -1 }, 400, 'INDICATOR_VALUE_OUT_OF_SCALE');
    await fails(coordinator, 'POST', `/api/goals/${noIndicator.id}/indicator-values`, { measuredOn: '2025-12-31', value: 1 }, 404, 'INDICATOR_NOT_FOUND');
    await fails(coordinator, 'POST', '/api/goals/00000000-0000-4000-8000-000000000000/indicator-values', { measuredOn: '2025-12-31', value: 1 }, 404, 'GOAL_NOT_FOUND');
    await fails(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2025-13-45', value: 1 }, 400, 'VALIDATION_FAILED');
    await fails(reporterSon, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2025-12-31', value: 70 }, 403, 'FORBIDDEN');
    expect(await count(safe.id)).toBe(0);
    const v = await ok<{ id: string; version: number }>(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2025-12-31', value: 70 });
    await fails(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2025-12-31', value: 71 }, 409, 'INDICATOR_VALUE_EXISTS');
    await fails(coordinator, 'PATCH', `/api/indicator-values/${v.id}`, { version: v.version, value: 101 }, 400, 'INDICATOR_VALUE_OUT_OF_SCALE');
    const trend = await ok<{ values: { value: number; version: number }[] }>(coordinator, 'GET', `/api/goals/${safe.id}/indicator`);
    expect(trend.values).toEqual([expect.objectContaining({ value: 70, version: 1 })]);
  });
});

describe('importing key figures (Kolada export)', () => {
  const csv = (rows: string[]) => Buffer.from(['Kommun-id;Kommun;KPI;År;Värde', ...rows].join('\n') + '\n');
  const importFile = (programId: string, file: Buffer, dryRun: boolean) => upload(coordinator, `/api/programs/${programId}/indicator-import?dryRun=${dryRun}`, 'kolada.csv', file);

  it('maps KPI ids to the goals and imports every row', async () => {
    const { program, safe, violence } = await buildProgram();
    const file = csv(['1281;Lund;U07460;2023;62', '1281;Lund;U07460;2024;68', '1281;Lund;N07403;2024;9,5']);
    const preview = (await importFile(program.id, file, true)).json();
    expect(preview).toMatchObject({ valid: true, applied: false, counts: { import: 3, invalid: 0 } });
    expect(await count(safe.id)).toBe(0);
    const applied = await importFile(program.id, file, false);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(await count(safe.id)).toBe(2);
    const trend = await ok<{ latest: { value: number }; values: { source: string; period: string; kpiId: string; municipalityCode: string }[] }>(reader, 'GET', `/api/goals/${violence.id}/indicator`);
    expect(trend.latest.value).toBe(9.5);
    expect(trend.values[0]).toMatchObject({ source: 'import', period: '2024', kpiId: 'N07403', municipalityCode: '1281' });
    // The same file again replaces, never doubles.
    expect((await importFile(program.id, file, false)).statusCode).toBe(200);
    expect(await count(safe.id)).toBe(2);
  });

  it('reports bad rows one by one and imports nothing unless every row is valid', async () => {
    const { program, safe, violence } = await buildProgram();
    const file = csv(['1281;Lund;U07460;2024;68', '0180;Stockholm;U07460;2024;70', '1281;Lund;U07460;1850;70', '1281;Lund;X99999;2024;1', '1281;Lund;U07460;2023;140', '1281;Lund;N07403;2024;abc']);
    const preview = (await importFile(program.id, file, true)).json();
    expect(preview.valid).toBe(false);
    expect(preview.counts).toEqual({ import: 1, invalid: 5 });
    const messages = preview.rows.map((r: { errors: { message: string }[] }) => r.errors.map((e) => e.message).join(' '));
    expect(messages[0]).toBe('');
    expect(messages[1]).toContain('Okänd kommunkod "0180"');
    expect(messages[2]).toMatch(/Ange ett år mellan 1990 och \d{4}\./);
    expect(messages[3]).toContain('Inget mål i programmet har nyckeltalet "X99999"');
    expect(messages[4]).toContain('utanför indikatorns skala');
    expect(messages[5]).toBe('Ange ett tal.');
    const refused = await importFile(program.id, file, false);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('IMPORT_INVALID');
    expect(refused.json().error.fields.some((f: { path: string }) => f.path.startsWith('rad 3'))).toBe(true);
    expect(await count(safe.id)).toBe(0);
    expect(await count(violence.id)).toBe(0);
    const missing = (await upload(coordinator, `/api/programs/${program.id}/indicator-import?dryRun=true`, 'x.csv', Buffer.from('a;b\n1;2\n'))).json();
    expect(missing.fileErrors[0]).toContain('Kolumnen "Kommunkod" saknas');
    expect((await upload(reporterSon, `/api/programs/${program.id}/indicator-import?dryRun=true`, 'kolada.csv', file)).statusCode).toBe(403);
  });
});

describe('goal fulfilment from indicators', () => {
  it('is the same for the coordinator, a reporter and a partner, and the implementation rate stands apart', async () => {
    const { program, safe, violence } = await buildProgram();
    await ok(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2025-12-31', value: 70 });
    await ok(coordinator, 'POST', `/api/goals/${violence.id}/indicator-values`, { measuredOn: '2025-12-31', value: 9 });
    const figures = async (cookie: string) => {
      const r = await ok<any>(cookie, 'GET', `/api/programs/${program.id}/rollup`);
      const drill = await ok<any>(cookie, 'GET', `/api/programs/${program.id}/rollup?goalId=${safe.id}`);
      const goals = r.focusAreas[0].goals.map((g: any) => [g.fulfilment, g.implementationRate, g.indicator?.latest ?? null, g.indicator?.reached ?? null]);
      return { program: [r.fulfilment, r.implementationRate], area: [r.focusAreas[0].fulfilment, r.focusAreas[0].implementationRate], goals, drill: drill.focusAreas[0].goals[0].fulfilment };
    };
    const seen = await figures(coordinator);
    expect(seen.goals).toEqual([
      [50, 50, 70, false],
      [50, 0, 9, false],
      [null, null, null, null],
    ]);
    expect(seen.program).toEqual([50, 33.3]);
    expect(seen.drill).toBe(50);
    expect(await figures(reporterSon)).toEqual(seen);
    expect(await figures(partner)).toEqual(seen);
    const trend = await call(partner, 'GET', `/api/goals/${safe.id}/indicator`);
    expect(trend.json()).toMatchObject({ fulfilment: 50, mayManage: false });
  });
});

describe('the council report', () => {
  it('shows each goal indicator, its trend against baseline and target, and fulfilment apart from the implementation rate, in PDF and DOCX', async () => {
    const { program, safe } = await buildProgram();
    await ok(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2023-12-31', period: '2023', value: 62 });
    await ok(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2024-12-31', period: '2024', value: 70 });
    const round = await ok<{ id: string }>(coordinator, 'POST', '/api/follow-up-rounds', { programId: program.id, name: 'Indikatoromgång', deadline: '2099-01-31' });
    const model = await ok<{ blocks: { type: string; text?: string; title?: string; alt?: string; rows?: string[][] }[] }>(coordinator, 'GET', `/api/follow-up-rounds/${round.id}/document`);
    const chart = model.blocks.find((b) => b.type === 'chart' && b.title === 'Mål 1.1: Andel som känner sig trygga utomhus på kvällen')!;
    expect(chart.alt).toContain('Mätvärde: 2023 62 %, 2024 70 %');
    expect(chart.alt).toContain('Utgångsvärde: 2023 60 %');
    expect(chart.alt).toContain('Målvärde: 2023 80 %');
    expect(model.blocks.some((b) => b.text?.startsWith('Måluppfyllelse enligt indikatorerna: 50 % (1 av 2 mål har mätvärden). Andel genomförda åtgärder: 33,3 %'))).toBe(true);
    const runner = createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] });
    const file = async (format: 'pdf' | 'docx') => {
      const res = await call(coordinator, 'POST', '/api/exports', { kind: 'program.followup-report', format, params: { roundId: round.id } });
      expect(res.statusCode, res.body).toBe(202);
      await runner.runDue();
      return (await call(coordinator, 'GET', `/api/exports/${res.json().id}/file`)).rawPayload;
    };
    const pdf = (await pdfText(await file('pdf'))).replace(/\s+/g, ' ');
    expect(pdf).toContain('Indikatorer och måluppfyllelse');
    expect(pdf).toContain('Mål 1.1: Andel som känner sig trygga utomhus på kvällen');
    expect(pdf).toContain('70 % (2024)');
    const zip = await JSZip.loadAsync(await file('docx'));
    const docx = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(docx).toContain('Indikatorer och måluppfyllelse');
    expect(docx).toContain('70 % (2024)');
    // A native Word chart, described by its alt text.
    const body = await zip.file('word/document.xml')!.async('string');
    const described = [...body.matchAll(/<wp:docPr [^>]*descr="([^"]+)"/g)].map((m) => m[1]);
    expect(described.some((d) => d.includes('Mål 1.1: Andel som känner sig trygga utomhus på kvällen') && d.includes('2024 70 %'))).toBe(true);
  });
});
