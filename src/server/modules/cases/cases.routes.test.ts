import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { organisationsRepo } from '../organisations/organisations.repo.ts';
import { verifyAuditChain } from '../../lib/audit.ts';
import { stockholmDate } from './cases.service.ts';
import { officeFile } from '../../../../test/helpers/office.ts';
import { sv } from '../../../shared/i18n/sv.ts';
import { api, expectError } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
let registrar: string;
let officer: string;
let coordinator: string;
let reader: string;
let reporterTn: string;
let officerTn: string;
let officerTnId: string;
let handlaggareId: string;
const ids: Record<string, string> = {};
const YEAR = Number(stockholmDate(new Date()).slice(0, 4));

const { call, ok, fails, upload } = api(() => ctx.app, { created: (method) => method === 'POST' });
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

/** A fresh registering body under Lund with its own series (letters only), so numbering tests start at 1. */
async function freshBody(): Promise<{ id: string; series: string }> {
  const series = Array.from(randomBytes(6), (b) => String.fromCharCode(65 + (b % 26))).join('');
  const row = await organisationsRepo.insert(ctx.database.db, { name: `Nämnd ${series}`, type: 'committee', shortName: series.toLowerCase(), parentId: ids.lund });
  return { id: row.id, series };
}
const newCase = (over: object = {}) => ({
  registryOrganisationId: ids.ks,
  title: 'Trygghetsvandring i Norra Fäladen',
  description: 'Kommunkontoret samordnar en trygghetsvandring med polisen och fastighetsägarna.',
  caseType: 'Uppdrag',
  organisationId: ids['kk-ts'],
  ...over,
});

beforeAll(async () => {
  ctx = await createTestApp();
  for (const k of ['lund', 'ks', 'ksau', 'kk', 'kk-ts', 'bsn', 'tn', 'son', 'polisen']) ids[k] = await orgId(ctx.database, k);
  registrar = await signIn(ctx.app, 'registrator@lund.example');
  officer = await signIn(ctx.app, 'handlaggare@lund.example');
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  reporterTn = await signIn(ctx.app, 'rapportor.tn@lund.example');
  const tnOfficer = await createUser(ctx.database, { homeOrganisationId: ids.tn, grants: [{ organisationId: ids.tn, role: 'officer', includeSubtree: true }] });
  officerTnId = tnOfficer.id;
  officerTn = await signIn(ctx.app, tnOfficer.email);
  handlaggareId = (await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = 'handlaggare@lund.example'`)).rows[0].id;
});
afterAll(() => ctx?.close());

describe('registering cases', () => {
  it('gives the next number in the body’s series this year, with the fields and the actor’s allowed actions', async () => {
    const body = await freshBody();
    const c = await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, officerId: handlaggareId, concernsChildren: false, childAssessment: 'Berör inte barn direkt.' }));
    expect(c).toMatchObject({
      registryNumber: `${body.series} ${YEAR}/0001`,
      series: body.series,
      year: YEAR,
      seq: 1,
      title: 'Trygghetsvandring i Norra Fäladen',
      caseType: 'Uppdrag',
      status: 'open',
      registeredOn: stockholmDate(new Date()),
      closedOn: null,
      organisation: { id: ids['kk-ts'], name: 'Enheten för trygghet och säkerhet' },
      registryOrganisation: { id: body.id },
      officer: { id: handlaggareId, name: 'Hugo Handläggare' },
      concernsChildren: false,
      childAssessment: 'Berör inte barn direkt.',
      secrecyRef: null,
      records: [],
      version: 1,
    });
    expect(c.allowedActions).toEqual(['cases.register', 'cases.secret']);
    const second = await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id }));
    expect(second.registryNumber).toBe(`${body.series} ${YEAR}/0002`);
    // The officer reads it (kk subtree) and may handle it; the reader reads it and may do nothing.
    expect((await ok(officer, 'GET', `/api/cases/${c.id}`)).allowedActions).toEqual(['cases.handle']);
    expect((await ok(reader, 'GET', `/api/cases/${c.id}`)).allowedActions).toEqual([]);
    // Audited in the same transaction.
    const audit = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where entity_type = 'case' and entity_id = ${c.id} and action = 'create'`);
    expect(audit.rows[0].n).toBe(1);
  });

  it('refuses a body without a short name, registrations by those who may not register, and bad fields — in Swedish, storing nothing', async () => {
    const count = async () => (await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from cases`)).rows[0].n;
    const n = await count();
    const noSeries = await fails(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: ids.bsn }), 400, 'REGISTRY_SERIES_MISSING');
    expect(noSeries.message).toContain('förkortning');
    expect(noSeries.fields?.[0].path).toBe('registryOrganisationId');
    await fails(officer, 'POST', '/api/cases', newCase(), 403, 'FORBIDDEN');
    await fails(reader, 'POST', '/api/cases', newCase(), 403, 'FORBIDDEN');
    const child = await fails(registrar, 'POST', '/api/cases', newCase({ concernsChildren: true }), 400, 'VALIDATION_FAILED');
    expect(child.fields?.[0]).toMatchObject({ path: 'body.childAssessment', message: 'Motivera bedömningen av om ärendet berör barn.' });
    const secrecy = await fails(registrar, 'POST', '/api/cases', newCase({ secrecyRef: 'hemligt' }), 400, 'VALIDATION_FAILED');
    expect(secrecy.fields?.[0].message).toContain('18 kap. 8 § OSL');
    const type = await fails(registrar, 'POST', '/api/cases', newCase({ caseType: 'Påhittad typ' }), 400, 'VALIDATION_FAILED');
    expect(type.fields?.[0]).toMatchObject({ path: 'caseType', message: 'Välj ett av de tillåtna värdena.' });
    await fails(registrar, 'POST', '/api/cases', newCase({ organisationId: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED');
    await fails(registrar, 'POST', '/api/cases', newCase({ officerId: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED');
    await fails(registrar, 'POST', '/api/cases', newCase({ title: '  ' }), 400, 'VALIDATION_FAILED');
    expect(await count()).toBe(n);
    const types = await ok(registrar, 'GET', '/api/case-options');
    expect(types.caseTypes).toContain('Uppdrag');
    expect(types.registryBodies.map((b: { series: string }) => b.series)).toEqual(expect.arrayContaining(['KS', 'KSAU', 'KF']));
    expect(types.officers.map((o: { name: string }) => o.name)).toContain('Hugo Handläggare');
  });

  it('registers an existing number (a paper case); malformed → 400, taken → 409; later numbers continue after it', async () => {
    const body = await freshBody();
    const paper = await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, registryNumber: `${body.series} 2018/0316`, registeredOn: '2018-05-22' }));
    expect(paper).toMatchObject({ registryNumber: `${body.series} 2018/0316`, year: 2018, seq: 316, registeredOn: '2018-05-22' });
    const taken = await fails(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, registryNumber: `${body.series} 2018/0316` }), 409, 'CASE_NUMBER_TAKEN');
    expect(taken.message).toBe('Diarienumret finns redan. Kontrollera numret eller låt systemet ge ärendet nästa lediga nummer.');
    for (const bad of ['KS2018/0316', 'KS 18/0316', 'KS 2018/0000', 'ks 2018-0316', '2018/0316', 'KS 2018/316']) {
      const e = await fails(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, registryNumber: bad }), 400, 'VALIDATION_FAILED');
      expect(e.fields?.[0]).toMatchObject({ path: 'registryNumber', message: 'Ange diarienumret som serie, år och löpnummer, till exempel KS 2018/0316.' });
    }
    const mismatch = await fails(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, registryNumber: 'KS 2018/0400' }), 400, 'VALIDATION_FAILED');
    expect(mismatch.fields?.[0].path).toBe('registryNumber');
    await fails(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, registryNumber: `${body.series} 2018/0317`, registeredOn: '2019-01-01' }), 400, 'VALIDATION_FAILED');
    // This year's counter: an existing number moves it up; the next registration continues after it.
    await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, registryNumber: `${body.series} ${YEAR}/0100` }));
    expect((await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id }))).registryNumber).toBe(`${body.series} ${YEAR}/0101`);
    // A lower existing number does not move it back.
    await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, registryNumber: `${body.series} ${YEAR}/0050` }));
    expect((await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id }))).registryNumber).toBe(`${body.series} ${YEAR}/0102`);
  });

  it('stays gap-free and unique when 50 are registered at once', async () => {
    const body = await freshBody();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, title: `Parallellt ärende ${i + 1}` }))),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    const seqs = results.map((r) => r.json().seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const stored = await ctx.database.db.execute<{ seq: number }>(sql`select seq from cases where registry_organisation_id = ${body.id} order by seq`);
    expect(stored.rows.map((r) => r.seq)).toEqual(seqs);
    const counter = await ctx.database.db.execute<{ last: number }>(sql`select last from case_number_counters where series = ${body.series} and year = ${YEAR}`);
    expect(counter.rows[0].last).toBe(50);
  });

  it('gives the number back when a registration fails after taking it (rolled back: no gap)', async () => {
    const body = await freshBody();
    await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id }));
    // A failure inside the transaction after the number is taken (here: the row is refused by the database).
    await ctx.database.db.execute(sql.raw(`
      create or replace function test_refuse_case() returns trigger language plpgsql as $$
      begin if new.title = 'Avbryts i databasen' then raise exception 'refused' using errcode = '22023'; end if; return new; end $$;
      create trigger test_refuse_case before insert on cases for each row execute function test_refuse_case();`));
    try {
      await fails(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, title: 'Avbryts i databasen' }), 400, 'VALIDATION_FAILED');
      const next = await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id }));
      expect(next.registryNumber).toBe(`${body.series} ${YEAR}/0002`);
    } finally {
      await ctx.database.db.execute(sql.raw('drop trigger test_refuse_case on cases; drop function test_refuse_case();'));
    }
  });
});

describe('changing a case', () => {
  it('changes status (closing sets the date), officer, child assessment; version conflicts are 409', async () => {
    const c = await ok(registrar, 'POST', '/api/cases', newCase());
    const closed = await ok(officer, 'PATCH', `/api/cases/${c.id}`, { version: 1, status: 'closed', officerId: handlaggareId });
    expect(closed).toMatchObject({ status: 'closed', closedOn: stockholmDate(new Date()), officer: { id: handlaggareId }, version: 2 });
    await fails(officer, 'PATCH', `/api/cases/${c.id}`, { version: 1, status: 'dormant' }, 409, 'VERSION_CONFLICT');
    const dormant = await ok(officer, 'PATCH', `/api/cases/${c.id}`, { version: 2, status: 'dormant' });
    expect(dormant).toMatchObject({ status: 'dormant', closedOn: null, version: 3 });
    // The child assessment: an answer needs its motivation, also against what is stored.
    const e = await fails(officer, 'PATCH', `/api/cases/${c.id}`, { version: 3, concernsChildren: true }, 400, 'VALIDATION_FAILED');
    expect(e.fields?.[0]).toMatchObject({ path: 'childAssessment', message: 'Fältet måste fyllas i.' });
    const assessed = await ok(officer, 'PATCH', `/api/cases/${c.id}`, { version: 3, concernsChildren: true, childAssessment: 'Berör barn i området.' });
    expect(assessed).toMatchObject({ concernsChildren: true, childAssessment: 'Berör barn i området.' });
    expect((await ok(officer, 'PATCH', `/api/cases/${c.id}`, { version: 4, concernsChildren: false })).childAssessment).toBe('Berör barn i området.');
    await fails(officer, 'PATCH', `/api/cases/${c.id}`, { version: 5, status: 'avslutat' }, 400, 'VALIDATION_FAILED');
    // Readers and other committees' officers may not change it.
    await fails(reader, 'PATCH', `/api/cases/${c.id}`, { version: 5, title: 'Nej' }, 403, 'FORBIDDEN');
    await fails(officerTn, 'PATCH', `/api/cases/${c.id}`, { version: 5, title: 'Nej' }, 404, 'CASE_NOT_FOUND');
    await fails(reporterTn, 'GET', `/api/cases/${c.id}`, undefined, 403, 'FORBIDDEN');
    const audit = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where entity_type = 'case' and entity_id = ${c.id} and action = 'update'`);
    expect(audit.rows[0].n).toBe(4);
  });

  it('a secrecy marking records who, when and why, and hides the case from those without cases.secret', async () => {
    const c = await ok(registrar, 'POST', '/api/cases', newCase({ title: 'Hotbild mot skolpersonal' }));
    // A marking is never an edit of the case: a PATCH that carries one is refused, with where to do it, and nothing changes.
    const viaPatch = await fails(registrar, 'PATCH', `/api/cases/${c.id}`, { version: 1, title: 'Ändrad', secrecyRef: '18 kap. 8 § OSL' }, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(viaPatch)).toContain('Sekretessmarkering');
    expect(await ok(registrar, 'GET', `/api/cases/${c.id}`)).toMatchObject({ title: 'Hotbild mot skolpersonal', secrecyRef: null, version: 1 });
    // The officer does not hold cases.secret: may not mark it (the access core's secrecy endpoint).
    await fails(officer, 'PUT', `/api/secrecy/case/${c.id}`, { secrecyRef: '18 kap. 8 § OSL', reason: 'Hotbild' }, 404, 'CASE_NOT_FOUND');
    await ok(registrar, 'PUT', `/api/secrecy/case/${c.id}`, { secrecyRef: '18 kap. 8 § OSL', reason: 'Uppgifter om säkerhetsåtgärder' }, 200);
    const marked = await ok(registrar, 'GET', `/api/cases/${c.id}`);
    expect(marked).toMatchObject({ secrecyRef: '18 kap. 8 § OSL', secrecyMarkedBy: { name: 'Rebecka Registrator' }, secrecyMarkedOn: stockholmDate(new Date()) });
    await fails(reader, 'GET', `/api/cases/${c.id}`, undefined, 404, 'CASE_NOT_FOUND');
    await fails(officer, 'GET', `/api/cases/${c.id}`, undefined, 404, 'CASE_NOT_FOUND');
    const readerList = await ok(reader, 'GET', `/api/cases?limit=200&q=${encodeURIComponent(c.registryNumber)}`);
    expect(readerList.items).toEqual([]);
    // Made its officer, the handläggare reads it.
    await ok(coordinator, 'PATCH', `/api/cases/${c.id}`, { version: marked.version, officerId: handlaggareId });
    expect((await ok(officer, 'GET', `/api/cases/${c.id}`)).secrecyRef).toBe('18 kap. 8 § OSL');
    // Only those with cases.secret lift it, with a reason.
    await fails(officer, 'POST', `/api/secrecy/case/${c.id}/unmark`, { reason: 'Inte längre aktuellt' }, 404, 'CASE_NOT_FOUND');
    await ok(registrar, 'POST', `/api/secrecy/case/${c.id}/unmark`, { reason: 'Hotbilden är inaktuell' }, 200);
    expect(await ok(registrar, 'GET', `/api/cases/${c.id}`)).toMatchObject({ secrecyRef: null, secrecyMarkedBy: null, secrecyMarkedOn: null });
    expect((await ok(reader, 'GET', `/api/cases/${c.id}`)).id).toBe(c.id);
  });
});

describe('the case list', () => {
  it('filters in SQL by status, organisation, year, officer and text (words or number), paged', async () => {
    const body = await freshBody();
    const a = await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, title: 'Belysning i stadsparken', officerId: handlaggareId }));
    const b = await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, title: 'Klotter på viadukten', organisationId: ids.tn }));
    await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: body.id, registryNumber: `${body.series} 2019/0007`, title: 'Gammalt ärende om belysning' }));
    await ok(officer, 'PATCH', `/api/cases/${a.id}`, { version: 1, status: 'dormant' });
    const q = async (query: string, who = registrar) => (await ok<{ items: { id: string; registryNumber: string }[]; total: number }>(who, 'GET', `/api/cases?${query}`)).items.map((i) => i.registryNumber);
    expect(await q(`q=${body.series}`)).toEqual([`${body.series} ${YEAR}/0002`, `${body.series} ${YEAR}/0001`, `${body.series} 2019/0007`]);
    expect(await q(`q=${body.series}&status=dormant`)).toEqual([a.registryNumber]);
    expect(await q(`q=${body.series}&organisationId=${ids.tn}`)).toEqual([b.registryNumber]);
    expect(await q(`q=${body.series}&year=2019`)).toEqual([`${body.series} 2019/0007`]);
    expect(await q(`officerId=${handlaggareId}&q=${body.series}`)).toEqual([a.registryNumber]);
    expect(await q(`q=${encodeURIComponent(`${body.series} ${YEAR}/0002`)}`)).toEqual([b.registryNumber]);
    // Swedish stemming: "belysningen" finds "belysning".
    const words = await q(`q=belysningen&limit=200`);
    expect(words).toEqual(expect.arrayContaining([a.registryNumber, `${body.series} 2019/0007`]));
    expect(words).not.toContain(b.registryNumber);
    const page = await ok(registrar, 'GET', `/api/cases?q=${body.series}&limit=2&offset=1`);
    expect(page.total).toBe(3);
    expect(page.items.map((i: { registryNumber: string }) => i.registryNumber)).toEqual([`${body.series} ${YEAR}/0001`, `${body.series} 2019/0007`]);
    // Past the last page: no items, but still the total; no match at all: nothing and zero.
    expect(await ok(registrar, 'GET', `/api/cases?q=${body.series}&limit=2&offset=3`)).toEqual({ items: [], total: 3 });
    expect(await ok(registrar, 'GET', `/api/cases?q=${body.series}&status=closed`)).toEqual({ items: [], total: 0 });
    // Tekniska nämnden's officer sees only Tekniska nämnden's case.
    expect(await q(`q=${body.series}`, officerTn)).toEqual([b.registryNumber]);
    await fails(registrar, 'GET', '/api/cases?status=stängd', undefined, 400, 'VALIDATION_FAILED');
    await fails(registrar, 'GET', '/api/cases?limit=0', undefined, 400, 'VALIDATION_FAILED');
  });
});

describe('records and their files', () => {
  it('numbers records within the case, stores files by SHA-256, and serves them to those who may read them', async () => {
    const c = await ok(registrar, 'POST', '/api/cases', newCase({ organisationId: ids.son }));
    const r1 = await ok(registrar, 'POST', `/api/cases/${c.id}/records`, { direction: 'incoming', recordDate: '2026-01-10', title: 'Skrivelse från polisen', counterpartOrganisationId: ids.polisen });
    expect(r1).toMatchObject({ seq: 1, number: `${c.registryNumber}-1`, direction: 'incoming', counterpartOrganisation: { id: ids.polisen, name: 'Polismyndigheten' }, files: [], version: 1 });
    const r2 = await ok(registrar, 'POST', `/api/cases/${c.id}/records`, { direction: 'drawn_up', recordDate: '2026-01-12', title: 'Tjänsteskrivelse' });
    expect(r2.number).toBe(`${c.registryNumber}-2`);

    const res = await upload(registrar, `/api/cases/${c.id}/records/${r1.id}/files`, 'Skrivelse från polisen.pdf', PDF, 'application/pdf');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({ filename: 'Skrivelse från polisen.pdf', contentType: 'application/pdf', size: PDF.length });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    // In the configured folder, named by its checksum.
    expect(fs.readFileSync(path.join(ctx.config.FILES_DIR!, file.sha256.slice(0, 2), file.sha256))).toEqual(PDF);
    const img = await upload(registrar, `/api/cases/${c.id}/records/${r1.id}/files`, 'karta.png', PNG, 'image/png');
    expect(img.statusCode).toBe(201);

    const got = await ctx.app.inject({ method: 'GET', url: `/api/cases/${c.id}/records/${r1.id}/files/${file.id}`, headers: { cookie: reader } });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('Skrivelse från polisen.pdf')}`);
    expect(got.rawPayload).toEqual(PDF);
    // Tekniska nämnden's officer cannot read Socialnämnden's case or its files.
    const denied = await ctx.app.inject({ method: 'GET', url: `/api/cases/${c.id}/records/${r1.id}/files/${file.id}`, headers: { cookie: officerTn } });
    expect(denied.statusCode).toBe(404);
    await fails(reader, 'GET', `/api/cases/${c.id}/records/${r1.id}/files/00000000-0000-4000-8000-000000000000`, undefined, 404, 'RECORD_FILE_NOT_FOUND');
    // A file of another record is not reached through this one.
    await fails(reader, 'GET', `/api/cases/${c.id}/records/${r2.id}/files/${file.id}`, undefined, 404, 'RECORD_FILE_NOT_FOUND');

    const list = await ok(reader, 'GET', `/api/cases/${c.id}/records`);
    expect(list.items.map((r: { number: string }) => r.number)).toEqual([`${c.registryNumber}-1`, `${c.registryNumber}-2`]);
    expect(list.items[0].files.map((f: { filename: string }) => f.filename)).toEqual(['Skrivelse från polisen.pdf', 'karta.png']);
    expect((await ok(reader, 'GET', `/api/cases/${c.id}`)).records).toHaveLength(2);

    // A changed file on disk is never served as the original.
    fs.writeFileSync(path.join(ctx.config.FILES_DIR!, file.sha256.slice(0, 2), file.sha256), Buffer.from('%PDF-1.4 ändrad'));
    await fails(reader, 'GET', `/api/cases/${c.id}/records/${r1.id}/files/${file.id}`, undefined, 409, 'FILE_CORRUPT');
  });

  it('refuses disguised and oversized files, and those who may not write', async () => {
    const c = await ok(registrar, 'POST', '/api/cases', newCase());
    const r = await ok(registrar, 'POST', `/api/cases/${c.id}/records`, { direction: 'incoming', recordDate: '2026-01-10', title: 'Inkommen skrivelse', counterpart: 'Boende i Linero' });
    const url = `/api/cases/${c.id}/records/${r.id}/files`;
    const disguised = await upload(registrar, url, 'skrivelse.pdf', Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf');
    expect(disguised.statusCode).toBe(415);
    expect(disguised.json().error).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', message: 'Filen är inte av en tillåten typ. Innehållet kontrolleras, inte filnamnet.' });
    const exe = await upload(registrar, url, 'protokoll.docx', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0x90)]), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(exe.statusCode).toBe(415);
    // A spreadsheet is an Office file too, but not one the registry takes.
    const xlsx = await upload(registrar, url, 'tabell.docx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('xl/workbook.xml')]));
    expect(xlsx.statusCode).toBe(415);
    const big = Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024 + 1)]);
    const tooBig = await upload(registrar, url, 'stor.pdf', big, 'application/pdf');
    expectError(tooBig, 413, 'BODY_TOO_LARGE');
    expect((await upload(reader, url, 'x.pdf', PDF)).statusCode).toBe(403);
    expect((await upload(officerTn, url, 'x.pdf', PDF)).statusCode).toBe(404);
    const n = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from case_record_files where record_id = ${r.id}`);
    expect(n.rows[0].n).toBe(0);
    await fails(reader, 'POST', `/api/cases/${c.id}/records`, { direction: 'incoming', recordDate: '2026-01-10', title: 'X' }, 403, 'FORBIDDEN');
    await fails(registrar, 'POST', `/api/cases/${c.id}/records`, { direction: 'inkommen', recordDate: '2026-01-10', title: 'X' }, 400, 'VALIDATION_FAILED');
    await fails(registrar, 'POST', `/api/cases/${c.id}/records`, { direction: 'incoming', recordDate: '2026-02-30', title: 'X' }, 400, 'VALIDATION_FAILED');
    await fails(registrar, 'POST', `/api/cases/00000000-0000-4000-8000-000000000000/records`, { direction: 'incoming', recordDate: '2026-01-10', title: 'X' }, 404, 'CASE_NOT_FOUND');
  });

  it('takes a DOCX only when it is a Word document, not any ZIP, and refuses macro-enabled files in Swedish', async () => {
    const c = await ok(registrar, 'POST', '/api/cases', newCase());
    const r = await ok(registrar, 'POST', `/api/cases/${c.id}/records`, { direction: 'incoming', recordDate: '2026-01-10', title: 'Yttrande', counterpart: 'Polisen' });
    const url = `/api/cases/${c.id}/records/${r.id}/files`;
    const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const anyZip = await upload(registrar, url, 'yttrande.docx', await officeFile('zip-naming-word'), docxType);
    expect(anyZip.statusCode).toBe(415);
    expect(anyZip.json().error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect((await upload(registrar, url, 'yttrande.docx', await officeFile('docx-without-content-types'), docxType)).statusCode).toBe(415);
    for (const kind of ['docm', 'docx-with-vba'] as const) {
      const macro = await upload(registrar, url, 'yttrande.docx', await officeFile(kind), docxType);
      expect(macro.statusCode, kind).toBe(415);
      expect(macro.json().error).toMatchObject({ code: 'FILE_MACRO_NOT_ALLOWED', message: sv.errors.FILE_MACRO_NOT_ALLOWED });
    }
    const stored = async () => (await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from case_record_files where record_id = ${r.id}`)).rows[0].n;
    expect(await stored()).toBe(0);
    const real = await upload(registrar, url, 'yttrande.docx', await officeFile('docx'), docxType);
    expect(real.statusCode, real.body).toBe(201);
    expect(await stored()).toBe(1);
  });

  it('corrects a record’s metadata with its version; secrecy-marked records are read only with cases.secret', async () => {
    const c = await ok(registrar, 'POST', '/api/cases', newCase());
    const r = await ok(officer, 'POST', `/api/cases/${c.id}/records`, { direction: 'incoming', recordDate: '2026-01-10', title: 'Anmälan', counterpart: 'Privatperson' });
    const fixed = await ok(officer, 'PATCH', `/api/cases/${c.id}/records/${r.id}`, { version: 1, title: 'Anmälan om otrygg plats', recordDate: '2026-01-09' });
    expect(fixed).toMatchObject({ title: 'Anmälan om otrygg plats', recordDate: '2026-01-09', number: r.number, version: 2 });
    await fails(officer, 'PATCH', `/api/cases/${c.id}/records/${r.id}`, { version: 1, title: 'X' }, 409, 'VERSION_CONFLICT');
    // The officer may not mark it secret (no cases.secret, not the case's officer); the registrar may.
    await fails(officer, 'PATCH', `/api/cases/${c.id}/records/${r.id}`, { version: 2, secrecyRef: '21 kap. 1 § OSL' }, 400, 'VALIDATION_FAILED');
    await fails(officer, 'PUT', `/api/secrecy/record/${r.id}`, { secrecyRef: '21 kap. 1 § OSL', reason: 'Hälsa' }, 404, 'RECORD_NOT_FOUND');
    // Registered secret: the marking needs its reason.
    const body = { direction: 'incoming', recordDate: '2026-01-11', title: 'Läkarintyg', secrecyRef: '21 kap. 1 § OSL' };
    await fails(registrar, 'POST', `/api/cases/${c.id}/records`, body, 400, 'VALIDATION_FAILED');
    const secret = await ok(registrar, 'POST', `/api/cases/${c.id}/records`, { ...body, secrecyReason: 'Uppgifter om enskilds hälsa' });
    expect(secret.number).toBe(`${c.registryNumber}-2`);
    expect(await ok(registrar, 'GET', `/api/secrecy/record/${secret.id}`)).toMatchObject({ secrecyRef: '21 kap. 1 § OSL', secrecyReason: 'Uppgifter om enskilds hälsa', secrecyMarkedBy: { name: 'Rebecka Registrator' } });
    const up = await upload(registrar, `/api/cases/${c.id}/records/${secret.id}/files`, 'intyg.pdf', PDF);
    const fileId = up.json().id;
    // The reader sees the case and the first record but neither the secret record nor its file.
    expect((await ok(reader, 'GET', `/api/cases/${c.id}/records`)).items.map((x: { seq: number }) => x.seq)).toEqual([1]);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/cases/${c.id}/records/${secret.id}/files/${fileId}`, headers: { cookie: reader } })).statusCode).toBe(404);
    expect((await ok(coordinator, 'GET', `/api/cases/${c.id}/records`)).items.map((x: { seq: number }) => x.seq)).toEqual([1, 2]);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/cases/${c.id}/records/${secret.id}/files/${fileId}`, headers: { cookie: coordinator } })).statusCode).toBe(200);
    // Records are never deleted: there is no such route.
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/cases/${c.id}/records/${r.id}`, headers: { cookie: registrar } })).statusCode).toBe(404);
  });
});

describe('registry search', () => {
  it('finds cases and records in Swedish, ranked with snippets, and never shows a secret case’s title to those who may not read it', async () => {
    const word = `trygghetsmätning${randomBytes(3).toString('hex')}`;
    const open = await ok(registrar, 'POST', '/api/cases', newCase({ title: `Uppföljning av ${word} i Lund`, description: `Resultaten av ${word} redovisas för kommunstyrelsen.` }));
    const secret = await ok(registrar, 'POST', '/api/cases', newCase({ title: `Hemlig ${word} om skyddade personer`, secrecyRef: '26 kap. 1 § OSL', secrecyReason: 'Skyddade personuppgifter' }));
    const rec = await ok(registrar, 'POST', `/api/cases/${open.id}/records`, { direction: 'incoming', recordDate: '2026-02-01', title: `Rapport om ${word}`, counterpart: 'Polismyndigheten' });

    const asRegistrar = await ok(registrar, 'GET', `/api/search?q=${word}`);
    expect(asRegistrar.total).toBe(3);
    expect(asRegistrar.items.map((h: { id: string }) => h.id).sort()).toEqual([open.id, secret.id, rec.id].sort());
    const hitRec = asRegistrar.items.find((h: { id: string }) => h.id === rec.id);
    expect(hitRec).toMatchObject({ kind: 'record', caseId: open.id, number: `${open.registryNumber}-1`, secret: false });
    expect(hitRec.snippet).toContain(`«${word}»`);
    expect(asRegistrar.items.find((h: { id: string }) => h.id === secret.id)).toMatchObject({ kind: 'case', secret: true });
    // Ranked: the open case (title and description) above the record (title only).
    const ranks = asRegistrar.items.map((h: { rank: number }) => h.rank);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);

    // The reader may read the municipality's cases but not secrets: the secret case does not appear, nor its words.
    const res = await call(reader, 'GET', `/api/search?q=${word}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(2);
    expect(res.body).not.toContain('Hemlig');
    expect(res.body).not.toContain('skyddade');
    expect(res.body).not.toContain(secret.id);
    // A term only in the secret title finds nothing for the reader, and the secret case for the registrar.
    expect((await ok(reader, 'GET', `/api/search?q=${encodeURIComponent(`${word} skyddade`)}`)).items).toEqual([]);
    expect((await ok(registrar, 'GET', `/api/search?q=${encodeURIComponent(`${word} skyddade`)}`)).items.map((h: { id: string }) => h.id)).toEqual([secret.id]);
    // Web search syntax: exclusion.
    expect((await ok(registrar, 'GET', `/api/search?q=${encodeURIComponent(`${word} -rapport`)}`)).items.map((h: { id: string }) => h.id).sort()).toEqual([open.id, secret.id].sort());
    // Tekniska nämnden's officer reads nothing of Kommunkontoret's; a reporter has no registry at all.
    expect((await ok(officerTn, 'GET', `/api/search?q=${word}`)).total).toBe(0);
    await fails(reporterTn, 'GET', `/api/search?q=${word}`, undefined, 403, 'FORBIDDEN');
    await fails(reader, 'GET', '/api/search?q=', undefined, 400, 'VALIDATION_FAILED');
    // Punctuation-only or operator-only input is not an error.
    expect((await ok(reader, 'GET', `/api/search?q=${encodeURIComponent('" - or &!')}`)).items).toEqual([]);
  });
});

describe('demo data', () => {
  it('has KS 2018/0316 as in the memo: registered 2018-05-22 by KS, handled by the safety unit, with its events as records', async () => {
    const list = await ok(reader, 'GET', `/api/cases?q=${encodeURIComponent('KS 2018/0316')}`);
    expect(list.items).toHaveLength(1);
    const c = await ok(reader, 'GET', `/api/cases/${list.items[0].id}`);
    expect(c).toMatchObject({
      registryNumber: 'KS 2018/0316',
      title: 'Förslag till program och plan för trygghets- och säkerhetsarbete i Lunds kommun',
      registeredOn: '2018-05-22',
      registryOrganisation: { name: 'Kommunstyrelsen' },
      organisation: { name: 'Enheten för trygghet och säkerhet' },
      concernsChildren: true,
      isExample: true,
    });
    expect(c.childAssessment).toContain('Ärendet berör barn');
    // Its first records are the memo's events; the remiss and its replies follow (seeded by their part).
    expect(c.records.slice(0, 4).map((r: { number: string; recordDate: string }) => `${r.number} ${r.recordDate}`)).toEqual([
      'KS 2018/0316-1 2018-05-22',
      'KS 2018/0316-2 2019-02-25',
      'KS 2018/0316-3 2019-12-04',
      'KS 2018/0316-4 2020-01-09',
    ]);
    expect(c.records[1].title).toContain('§ 48');
    // Found by its words too.
    const hits = await ok(reader, 'GET', `/api/search?q=${encodeURIComponent('återremiss våld i nära relationer')}`);
    expect(hits.items[0]).toMatchObject({ kind: 'record', number: 'KS 2018/0316-3' });
  });
});

describe('audit', () => {
  it('keeps the audit chain intact across registry changes', async () => {
    const result = await verifyAuditChain(ctx.database.db);
    expect(result.ok).toBe(true);
    void officerTnId;
  });
});
