import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createCase, createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { startSmtpServer } from '../../../../test/helpers/smtp.ts';
import { decisionClauses, decisions } from '../../db/schema/index.ts';
import { verifyAuditChain } from '../../lib/audit.ts';
import { readXlsx } from '../../lib/documents/xlsx.ts';
import { createJobRunner } from '../../lib/job-runner.ts';
import { loadOrgTree } from '../../lib/context.ts';
import type { Actor } from '../../lib/policies.ts';
import { applyDocumentEffect, documentEffectHandler } from './documents.effects.ts';
import { accessOf } from '../../access/index.ts';
import { searchDocuments } from './documents.search.ts';
import { seedDocumentsDemo } from './documents.seed.ts';
import { stockholmToday } from './documents.service.ts';
import { pdfText } from '../../../../test/helpers/pdf.ts';
import { api, expectError } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let admin: string;
let coordinator: string;
let reader: string;
let partner: string;
let reporterSon: string;
let committeeAdmin: string;
const ids: Record<string, string> = {};

const http = api(() => ctx.app, { created: (method, url) => method === 'POST' && url === '/api/documents' });
const { call, ok, fails } = http;
const upload = (cookie: string, id: string, filename: string, content: Buffer, type?: string) => http.upload(cookie, `/api/documents/${id}/file`, filename, content, type);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
const uniq = () => randomBytes(3).toString('hex');

const doc = (over: object = {}) => ({ type: 'policy', title: `Testpolicy ${uniq()}`, ownerOrganisationId: ids.ks, status: 'draft', ...over });
const create = (cookie: string, over: object = {}) => ok(cookie, 'POST', '/api/documents', doc(over));
const runner = () => createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] });

/** A decided decision in a fresh case, as the decisions module will record it. */
async function decidedDecision(on: string, body = 'kf') {
  const c = await createCase(ctx.database);
  const [d] = await ctx.database.db
    .insert(decisions)
    .values({ caseId: c.id, bodyOrganisationId: ids[body], decidedOn: on, paragraph: 100 + Math.floor(Math.random() * 900), status: 'decided', title: `Beslut ${uniq()}` })
    .returning();
  return { decision: d, kase: c };
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://trygg.lund.example', DOCUMENT_REVIEW_REMINDER_DAYS: '30' } });
  for (const k of ['lund', 'ks', 'kf', 'son', 'tn', 'polisen']) ids[k] = await orgId(ctx.database, k);
  admin = await signIn(ctx.app, 'admin@lund.example');
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  partner = await signIn(ctx.app, 'polisen@lund.example');
  reporterSon = await signIn(ctx.app, 'rapportor.son@lund.example');
  committeeAdmin = await signIn(ctx.app, 'admin.son@lund.example');
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});

describe('registering governing documents', () => {
  it('a coordinator registers a document with its decision reference; it is audited and readable with names', async () => {
    const created = await create(coordinator, { type: 'strategy', title: 'Strategi för trygga offentliga miljöer', adoptedByOrganisationId: ids.kf, decisionRef: 'KF 2017-09-28 § 180', adoptedOn: '2017-09-28', validFrom: '2017-10-01', status: 'in_force', nextReviewOn: '2030-01-01' });
    expect(created).toMatchObject({ type: 'strategy', status: 'in_force', ownerName: 'Kommunstyrelsen', adoptedByName: 'Kommunfullmäktige', decisionRef: 'KF 2017-09-28 § 180', version: 1, reviewOverdue: false, replaces: [], replacedBy: null, file: null });
    expect(created.allowedActions).toContain('documents.manage');
    const got = await ok(reader, 'GET', `/api/documents/${created.id}`);
    expect(got.title).toBe('Strategi för trygga offentliga miljöer');
    expect(got.allowedActions).toEqual([]);
    const audit = await ctx.database.db.execute<{ action: string }>(sql`select action from audit_log where entity_type = 'governing_document' and entity_id = ${created.id}`);
    expect(audit.rows.map((r) => r.action)).toEqual(['create']);
    expect((await verifyAuditChain(ctx.database.db)).ok).toBe(true);
  });

  it('refuses a validity period that ends before it starts, on create and on a later change (400, Swedish message)', async () => {
    const err = await fails(coordinator, 'POST', '/api/documents', doc({ validFrom: '2024-01-01', validTo: '2023-12-31' }), 400, 'VALIDATION_FAILED');
    expect(err.fields).toEqual([{ path: 'body.validTo', message: 'Slutdatum kan inte vara före startdatum.' }]);
    const d = await create(coordinator, { validFrom: '2024-01-01' });
    const err2 = await fails(coordinator, 'PATCH', `/api/documents/${d.id}`, { version: d.version, validTo: '2023-06-30' }, 400, 'VALIDATION_FAILED');
    expect(err2.fields?.[0]).toMatchObject({ path: 'validTo', message: 'Slutdatum kan inte vara före startdatum.' });
    expect((await ok(coordinator, 'GET', `/api/documents/${d.id}`)).validTo).toBeNull();
  });

  it('refuses bad references and input with 4xx, never 5xx', async () => {
    await fails(coordinator, 'POST', '/api/documents', doc({ type: 'memo' }), 400, 'VALIDATION_FAILED');
    await fails(coordinator, 'POST', '/api/documents', doc({ title: '  ' }), 400, 'VALIDATION_FAILED');
    const e1 = await fails(coordinator, 'POST', '/api/documents', doc({ ownerOrganisationId: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED');
    expect(e1.fields?.[0].path).toBe('ownerOrganisationId');
    const e2 = await fails(coordinator, 'POST', '/api/documents', doc({ decisionId: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED');
    expect(e2.fields?.[0]).toMatchObject({ path: 'decisionId', message: 'Beslutet finns inte i diariet.' });
    await fails(coordinator, 'POST', '/api/documents', doc({ status: 'replaced' }), 400, 'DOCUMENT_REPLACED_BY_REQUIRED');
    await fails(coordinator, 'GET', '/api/documents/00000000-0000-4000-8000-000000000000', undefined, 404, 'DOCUMENT_NOT_FOUND');
  });

  it('only document managers of the owning organisation register and change documents', async () => {
    await fails(reader, 'POST', '/api/documents', doc(), 403, 'FORBIDDEN');
    await fails(reporterSon, 'POST', '/api/documents', doc({ ownerOrganisationId: ids.son }), 403, 'FORBIDDEN');
    await fails(committeeAdmin, 'POST', '/api/documents', doc({ ownerOrganisationId: ids.ks }), 403, 'FORBIDDEN');
    const own = await create(committeeAdmin, { ownerOrganisationId: ids.son });
    expect(own.ownerName).toBe('Socialnämnden');
    const ks = await create(coordinator, { status: 'in_force' });
    await fails(committeeAdmin, 'PATCH', `/api/documents/${ks.id}`, { version: 1, title: 'Kapad' }, 403, 'FORBIDDEN');
    // Someone else's draft is not even visible to them.
    await fails(committeeAdmin, 'PATCH', `/api/documents/${(await create(coordinator)).id}`, { version: 1, title: 'Kapad' }, 404, 'DOCUMENT_NOT_FOUND');
    // Moving one's own document to another committee needs rights there too.
    await fails(committeeAdmin, 'PATCH', `/api/documents/${own.id}`, { version: own.version, ownerOrganisationId: ids.tn }, 403, 'FORBIDDEN');
  });

  it('a stale version is a 409 VERSION_CONFLICT and changes nothing', async () => {
    const d = await create(coordinator);
    await ok(coordinator, 'PATCH', `/api/documents/${d.id}`, { version: 1, title: 'Första ändringen' });
    await fails(admin, 'PATCH', `/api/documents/${d.id}`, { version: 1, title: 'Andra ändringen' }, 409, 'VERSION_CONFLICT');
    expect(await ok(coordinator, 'GET', `/api/documents/${d.id}`)).toMatchObject({ title: 'Första ändringen', version: 2 });
  });
});

describe('who reads what', () => {
  it('adopted documents are for every reader; drafts only for readers of the owning organisation', async () => {
    const draft = await create(coordinator, { title: `Utkast hos KS ${uniq()}` });
    const inForce = await create(coordinator, { title: `Gällande hos KS ${uniq()}`, status: 'in_force' });
    const sonDraft = await create(coordinator, { title: `Utkast hos SN ${uniq()}`, ownerOrganisationId: ids.son });
    const listed = async (cookie: string) => (await ok<{ items: { id: string }[] }>(cookie, 'GET', '/api/documents?limit=500')).items.map((d) => d.id);
    expect(await listed(reader)).toEqual(expect.arrayContaining([draft.id, inForce.id, sonDraft.id]));
    const partnerSees = await listed(partner);
    expect(partnerSees).toContain(inForce.id);
    expect(partnerSees).not.toContain(draft.id);
    expect(partnerSees).not.toContain(sonDraft.id);
    const sonSees = await listed(reporterSon);
    expect(sonSees).toEqual(expect.arrayContaining([inForce.id, sonDraft.id]));
    expect(sonSees).not.toContain(draft.id);
    await fails(partner, 'GET', `/api/documents/${draft.id}`, undefined, 404, 'DOCUMENT_NOT_FOUND');
    // Search never reveals a hidden draft either.
    const q = encodeURIComponent(draft.title);
    expect((await ok(partner, 'GET', `/api/documents?q=${q}`)).items.map((d: { id: string }) => d.id)).not.toContain(draft.id);
  });

  it('filters by type, status, owner and review, in SQL with a total', async () => {
    const overdue = await create(coordinator, { type: 'routine', title: `Försenad rutin ${uniq()}`, status: 'in_force', nextReviewOn: inDays(-3), ownerOrganisationId: ids.tn });
    const due = await create(coordinator, { type: 'routine', title: `Snart rutin ${uniq()}`, status: 'in_force', nextReviewOn: inDays(10), ownerOrganisationId: ids.tn });
    await create(coordinator, { type: 'routine', title: `Senare rutin ${uniq()}`, status: 'in_force', nextReviewOn: inDays(200), ownerOrganisationId: ids.tn });
    const q = (s: string) => ok<{ items: { id: string; reviewOverdue: boolean; type: string; ownerOrganisationId: string }[]; total: number }>(reader, 'GET', `/api/documents?${s}`);
    const o = await q(`review=overdue&ownerOrganisationId=${ids.tn}`);
    expect(o.items.map((d) => d.id)).toEqual([overdue.id]);
    expect(o.items[0].reviewOverdue).toBe(true);
    expect((await q(`review=due&ownerOrganisationId=${ids.tn}`)).items.map((d) => d.id)).toEqual([due.id]);
    const routines = await q(`type=routine&status=in_force&ownerOrganisationId=${ids.tn}&limit=2`);
    expect(routines.total).toBe(3);
    expect(routines.items).toHaveLength(2);
    await fails(reader, 'GET', '/api/documents?status=gammal', undefined, 400, 'VALIDATION_FAILED');
  });
});

describe('replaces and replaced by', () => {
  it('links a new document to the ones it replaces, both ways', async () => {
    const old1 = await create(coordinator, { status: 'in_force', title: `Gammal A ${uniq()}` });
    const old2 = await create(coordinator, { status: 'in_force', title: `Gammal B ${uniq()}` });
    const fresh = await create(coordinator, { title: `Ny ${uniq()}`, replacesIds: [old1.id, old2.id] });
    expect(fresh.replaces.map((d: { id: string }) => d.id).sort()).toEqual([old1.id, old2.id].sort());
    expect((await ok(reader, 'GET', `/api/documents/${old1.id}`)).replacedBy).toMatchObject({ id: fresh.id, title: fresh.title });
  });

  it('refuses a cycle (A replaced by B replaced by A, longer ones, itself) with 409 and keeps the links as they were', async () => {
    const a = await create(coordinator, { title: `A ${uniq()}` });
    const b = await create(coordinator, { title: `B ${uniq()}` });
    const c = await create(coordinator, { title: `C ${uniq()}` });
    await ok(coordinator, 'PATCH', `/api/documents/${a.id}`, { version: a.version, replacedById: b.id });
    const err = await fails(coordinator, 'PATCH', `/api/documents/${b.id}`, { version: b.version, replacedById: a.id }, 409, 'DOCUMENT_CYCLE');
    expect(err.message).toMatch(/cirkel/);
    await ok(coordinator, 'PATCH', `/api/documents/${b.id}`, { version: b.version, replacedById: c.id });
    const cNow = await ok(coordinator, 'GET', `/api/documents/${c.id}`);
    await fails(coordinator, 'PATCH', `/api/documents/${c.id}`, { version: cNow.version, replacedById: a.id }, 409, 'DOCUMENT_CYCLE');
    // The same cycle from the other side: C "replaces" A.
    await fails(coordinator, 'PATCH', `/api/documents/${a.id}`, { version: 2, replacesIds: [c.id] }, 409, 'DOCUMENT_CYCLE');
    await fails(coordinator, 'PATCH', `/api/documents/${c.id}`, { version: cNow.version, replacedById: c.id }, 409, 'DOCUMENT_CYCLE');
    await fails(coordinator, 'POST', '/api/documents', doc({ replacedById: a.id, replacesIds: [c.id] }), 409, 'DOCUMENT_CYCLE');
    expect((await ok(reader, 'GET', `/api/documents/${c.id}`))).toMatchObject({ replacedBy: null, version: cNow.version });
    expect((await ok(reader, 'GET', `/api/documents/${a.id}`)).replacedBy.id).toBe(b.id);
    expect((await ok(reader, 'GET', `/api/documents/${b.id}`)).replacedBy.id).toBe(c.id);
  });
});

describe('status', () => {
  it('a draft comes into force; a document in force is repealed (valid to that day) or replaced; a draft cannot be repealed', async () => {
    const d = await create(coordinator);
    await fails(coordinator, 'PATCH', `/api/documents/${d.id}`, { version: 1, status: 'repealed' }, 409, 'DOCUMENT_STATUS_TRANSITION');
    const live = await ok(coordinator, 'PATCH', `/api/documents/${d.id}`, { version: 1, status: 'in_force', validFrom: '2020-01-01' });
    await fails(coordinator, 'PATCH', `/api/documents/${d.id}`, { version: live.version, status: 'draft' }, 409, 'DOCUMENT_STATUS_TRANSITION');
    await fails(coordinator, 'PATCH', `/api/documents/${d.id}`, { version: live.version, status: 'replaced' }, 400, 'DOCUMENT_REPLACED_BY_REQUIRED');
    const gone = await ok(coordinator, 'PATCH', `/api/documents/${d.id}`, { version: live.version, status: 'repealed', statusDecisionRef: 'KF 2026-01-29 § 12', statusChangedOn: '2026-01-29' });
    expect(gone).toMatchObject({ status: 'repealed', statusChangedOn: '2026-01-29', validTo: '2026-01-29', statusDecisionRef: 'KF 2026-01-29 § 12' });
  });

  it('repealed is final: a coordinator cannot revert; an administrator can, with a reason that is audited', async () => {
    const d = await create(coordinator, { status: 'in_force' });
    const gone = await ok(coordinator, 'PATCH', `/api/documents/${d.id}`, { version: d.version, status: 'repealed' });
    await fails(coordinator, 'PATCH', `/api/documents/${d.id}`, { version: gone.version, status: 'in_force', revertReason: 'Fel dokument' }, 409, 'DOCUMENT_FINAL');
    await fails(admin, 'PATCH', `/api/documents/${d.id}`, { version: gone.version, status: 'in_force' }, 400, 'DOCUMENT_REVERT_REASON_REQUIRED');
    await fails(admin, 'PATCH', `/api/documents/${d.id}`, { version: gone.version, status: 'replaced', revertReason: 'x' }, 409, 'DOCUMENT_STATUS_TRANSITION');
    const back = await ok(admin, 'PATCH', `/api/documents/${d.id}`, { version: gone.version, status: 'in_force', revertReason: 'Upphävdes av misstag' });
    expect(back).toMatchObject({ status: 'in_force', statusChangedOn: null });
    const audit = await ctx.database.db.execute<{ action: string; after: { revertReason?: string } }>(sql`select action, after from audit_log where entity_type = 'governing_document' and entity_id = ${d.id} order by id`);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'repeal', 'revert']);
    expect(audit.rows[2].after.revertReason).toBe('Upphävdes av misstag');
  });
});

describe('the document file', () => {
  it('stores a PDF by SHA-256 and serves the same bytes to readers; others get 404', async () => {
    const d = await create(coordinator, { title: `Med fil ${uniq()}` });
    const res = await upload(coordinator, d.id, 'Strategi (antagen).pdf', PDF, 'application/x-anything');
    expect(res.statusCode, res.body).toBe(200);
    const sha = createHash('sha256').update(PDF).digest('hex');
    expect(res.json().file).toMatchObject({ name: 'Strategi (antagen).pdf', contentType: 'application/pdf', size: PDF.length, sha256: sha });
    expect(res.json().version).toBe(2);
    expect(fs.readFileSync(path.join(ctx.config.FILES_DIR!, sha.slice(0, 2), sha)).equals(PDF)).toBe(true);
    const got = await call(reader, 'GET', `/api/documents/${d.id}/file`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('Strategi (antagen).pdf')}`);
    expect(got.rawPayload.equals(PDF)).toBe(true);
    // A draft's file is for readers of the owning organisation only.
    await fails(partner, 'GET', `/api/documents/${d.id}/file`, undefined, 404, 'DOCUMENT_NOT_FOUND');
    await fails(reader, 'GET', `/api/documents/${(await create(coordinator)).id}/file`, undefined, 404, 'DOCUMENT_FILE_NOT_FOUND');
    const audit = await ctx.database.db.execute<{ after: { file: { sha256: string } } }>(sql`select after from audit_log where entity_id = ${d.id} and action = 'file'`);
    expect(audit.rows[0].after.file.sha256).toBe(sha);
  });

  it('refuses a disguised file (415), a file over the limit (413), and a non-manager (403), keeping the document as it was', async () => {
    const d = await create(coordinator);
    const disguised = await upload(coordinator, d.id, 'beslut.pdf', PNG, 'application/pdf');
    expectError(disguised, 415, 'FILE_TYPE_NOT_ALLOWED');
    const text = await upload(coordinator, d.id, 'beslut.docx', Buffer.from('bara text'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(text.statusCode).toBe(415);
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024 * 1024, 0x20)]);
    const tooBig = await upload(coordinator, d.id, 'stor.pdf', big, 'application/pdf');
    expectError(tooBig, 413, 'BODY_TOO_LARGE');
    const forbidden = await upload(reader, d.id, 'a.pdf', PDF);
    expect(forbidden.statusCode).toBe(403);
    expect(await ok(coordinator, 'GET', `/api/documents/${d.id}`)).toMatchObject({ file: null, version: 1 });
  });
});

describe('effects of decided att-satser (applyDocumentEffect)', () => {
  const system = { id: '00000000-0000-4000-8000-000000000001', name: 'Beslutsmodulen' };

  it('repeal: the document becomes upphävd from the decision date, linked to the decision; applying it again changes nothing', async () => {
    const d = await create(coordinator, { status: 'in_force', type: 'strategy', title: `Strategi ${uniq()}`, validFrom: '2017-01-01', validTo: '2022-12-31' });
    const { decision, kase } = await decidedDecision('2020-02-26');
    await ctx.database.db.transaction((tx) => applyDocumentEffect(tx, { effect: 'repeal', documentId: d.id, decisionId: decision.id, decidedOn: '2020-02-26', actor: null }));
    const after = await ok(reader, 'GET', `/api/documents/${d.id}`);
    expect(after).toMatchObject({ status: 'repealed', validTo: '2020-02-26', statusChangedOn: '2020-02-26', statusDecisionId: decision.id, version: 2 });
    expect(after.statusDecision).toMatchObject({ id: decision.id, caseId: kase.id, registryNumber: kase.registryNumber, bodyName: 'Kommunfullmäktige', decidedOn: '2020-02-26', paragraph: decision.paragraph });
    const again = await ctx.database.db.transaction((tx) => applyDocumentEffect(tx, { effect: 'repeal', documentId: d.id, decisionId: decision.id, decidedOn: '2020-02-26' }));
    expect(again.changed).toEqual([]);
    const audit = await ctx.database.db.execute<{ action: string; request_id: string }>(sql`select action, request_id from audit_log where entity_id = ${d.id} order by id`);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'repeal']);
    expect(audit.rows[1].request_id).toBe(`decision:${decision.id}`);
    // No longer in the public list of documents in force.
    expect((await call(undefined, 'GET', '/api/public/documents')).json().items.map((x: { id: string }) => x.id)).not.toContain(d.id);
  });

  it('repeal of a draft or of a missing document is refused, so the decision is not recorded with an effect that did not happen', async () => {
    const d = await create(coordinator);
    const { decision } = await decidedDecision('2021-03-01');
    await expect(ctx.database.db.transaction((tx) => applyDocumentEffect(tx, { effect: 'repeal', documentId: d.id, decisionId: decision.id, decidedOn: '2021-03-01' }))).rejects.toMatchObject({ code: 'DOCUMENT_STATUS_TRANSITION' });
    await expect(ctx.database.db.transaction((tx) => applyDocumentEffect(tx, { effect: 'repeal', documentId: '00000000-0000-4000-8000-000000000000', decisionId: decision.id, decidedOn: '2021-03-01' }))).rejects.toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
    expect((await ok(reader, 'GET', `/api/documents/${d.id}`)).status).toBe('draft');
    expect(await ctx.database.db.transaction((tx) => applyDocumentEffect(tx, { effect: 'assignment', documentId: null, decisionId: decision.id, decidedOn: '2021-03-01' }))).toEqual({ changed: [] });
  });

  it('replace: the old document becomes ersatt by the new one, which comes into force adopted by the deciding body', async () => {
    const old = await create(coordinator, { status: 'in_force', title: `Gammalt program ${uniq()}` });
    const fresh = await create(coordinator, { type: 'program', title: `Nytt program ${uniq()}` });
    const { decision } = await decidedDecision('2020-05-28');
    const r = await ctx.database.db.transaction((tx) => applyDocumentEffect(tx, { effect: 'replace', documentId: old.id, replacementDocumentId: fresh.id, decisionId: decision.id, decidedOn: '2020-05-28', actor: system }));
    expect(r.changed.sort()).toEqual([old.id, fresh.id].sort());
    expect(await ok(reader, 'GET', `/api/documents/${old.id}`)).toMatchObject({ status: 'replaced', replacedById: fresh.id, validTo: '2020-05-28', statusDecisionId: decision.id });
    const n = await ok(reader, 'GET', `/api/documents/${fresh.id}`);
    expect(n).toMatchObject({ status: 'in_force', adoptedOn: '2020-05-28', validFrom: '2020-05-28', decisionId: decision.id, adoptedByName: 'Kommunfullmäktige' });
    expect(n.replaces.map((x: { id: string }) => x.id)).toEqual([old.id]);
    const actors = await ctx.database.db.execute<{ actor_name: string }>(sql`select actor_name from audit_log where entity_id = ${fresh.id} and action = 'adopt'`);
    expect(actors.rows[0].actor_name).toBe('Beslutsmodulen');
  });

  it('adopt: a draft comes into force with the decision as its adopting decision', async () => {
    const d = await create(coordinator, { title: `Att anta ${uniq()}` });
    const { decision } = await decidedDecision('2022-09-29', 'ks');
    // Through the adapter for the decisions module's hook, with a real att-sats row.
    const [clause] = await ctx.database.db.insert(decisionClauses).values({ decisionId: decision.id, ordinal: 1, text: 'att anta dokumentet', effect: 'adopt', documentId: d.id }).returning();
    await ctx.database.db.transaction((tx) => documentEffectHandler(tx, decision, clause));
    const got = await ok(reader, 'GET', `/api/documents/${d.id}`);
    expect(got).toMatchObject({ status: 'in_force', adoptedOn: '2022-09-29', adoptedByName: 'Kommunstyrelsen' });
    expect(got.decision).toMatchObject({ id: decision.id, bodyName: 'Kommunstyrelsen' });
    // The public list shows the decision as a reference.
    const pub = (await call(undefined, 'GET', '/api/public/documents')).json().items.find((x: { id: string }) => x.id === d.id);
    expect(pub.decisionRef).toBe(`KS 2022-09-29 § ${decision.paragraph}`);
  });
});

describe('the public list of documents in force', () => {
  it('is readable without an account, shows only documents in force and only public fields, and is rate limited', async () => {
    const live = await create(coordinator, { status: 'in_force', title: `Offentlig ${uniq()}`, description: 'Intern beskrivning' });
    const draft = await create(coordinator, { title: `Inte offentlig ${uniq()}` });
    const res = await call(undefined, 'GET', '/api/public/documents');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe('60');
    const items = res.json().items as Record<string, unknown>[];
    const ids = items.map((x) => x.id);
    expect(ids).toContain(live.id);
    expect(ids).not.toContain(draft.id);
    // In force and not expired (the demo strategy's period ended 2022-12-31: upphört att gälla, not in the list).
    const inDb = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from governing_documents where status = 'in_force' and (valid_to is null or valid_to >= ${stockholmToday()}::date)`);
    expect(items).toHaveLength(inDb.rows[0].n);
    expect(items.map((x) => x.title)).not.toContain('Strategi för våld i nära relationer 2017-2022');
    expect(Object.keys(items.find((x) => x.id === live.id)!).sort()).toEqual(['adoptedByName', 'adoptedOn', 'decisionRef', 'id', 'nextReviewOn', 'ownerName', 'title', 'type', 'validFrom', 'validTo']);
  });

  it('exports as XLSX and PDF with the documents in force, and nothing else', async () => {
    const live = await create(coordinator, { status: 'in_force', type: 'guideline', title: `Riktlinje för exporten ${uniq()}`, decisionRef: 'KS 2019-03-06 § 77', nextReviewOn: '2031-01-31' });
    const draft = await create(coordinator, { title: `Utkast som inte ska med ${uniq()}` });
    const generate = async (format: 'xlsx' | 'pdf') => {
      const res = await call(reader, 'POST', '/api/exports', { kind: 'documents.in-force', format, params: {} });
      expect(res.statusCode, res.body).toBe(202);
      await runner().runDue();
      const file = await call(reader, 'GET', `/api/exports/${res.json().id}/file`);
      expect(file.statusCode, file.body).toBe(200);
      expect(file.headers['content-disposition']).toContain(encodeURIComponent('Gällande styrdokument'));
      return file.rawPayload;
    };
    const sheet = await readXlsx(await generate('xlsx'));
    expect(sheet.headers).toEqual(['Titel', 'Typ', 'Ägare', 'Beslutande organ', 'Beslut', 'Antaget', 'Gäller från', 'Gäller till', 'Revideras senast']);
    const row = sheet.rows.find((r) => r.Titel === live.title);
    expect(row).toMatchObject({ Typ: 'Riktlinje', Ägare: 'Kommunstyrelsen', Beslut: 'KS 2019-03-06 § 77', 'Revideras senast': '2031-01-31' });
    expect(sheet.rows.map((r) => r.Titel)).not.toContain(draft.title);
    const inDb = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from governing_documents where status = 'in_force' and (valid_to is null or valid_to >= ${stockholmToday()}::date)`);
    expect(sheet.rows).toHaveLength(inDb.rows[0].n);
    expect(sheet.rows.map((r) => r.Titel)).not.toContain('Strategi för våld i nära relationer 2017-2022');

    const pdf = await generate('pdf');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('Gällande styrdokument');
    expect(text).toContain('Riktlinje för exporten');
    expect(text).toContain('KS 2019-03-06 § 77');
    expect(text).not.toContain('Utkast som inte ska med');
  });

  it('the export is for document readers only', async () => {
    const outsider = await createUser(ctx.database, { homeOrganisationId: ids.son });
    const cookie = await signIn(ctx.app, outsider.email);
    await fails(cookie, 'POST', '/api/exports', { kind: 'documents.in-force', format: 'pdf', params: {} }, 403, 'FORBIDDEN');
    await fails(cookie, 'GET', '/api/documents', undefined, 403, 'FORBIDDEN');
  });
});

describe('review reminders', () => {
  it('mails the owning organisation’s coordinators once per review date, N days before; overdue ones too; not repealed ones', async () => {
    const sonCoordinator = await createUser(ctx.database, { homeOrganisationId: ids.son, grants: [{ organisationId: ids.son, role: 'coordinator' }] });
    const dueKs = await create(coordinator, { status: 'in_force', title: `Revideras snart KS ${uniq()}`, nextReviewOn: inDays(10) });
    const dueSon = await create(coordinator, { status: 'in_force', title: `Revideras snart SN ${uniq()}`, nextReviewOn: inDays(29), ownerOrganisationId: ids.son });
    const later = await create(coordinator, { status: 'in_force', title: `Revideras senare ${uniq()}`, nextReviewOn: inDays(45) });
    const overdue = await create(coordinator, { status: 'in_force', title: `Redan försenad ${uniq()}`, nextReviewOn: inDays(-2) });
    const repealed = await create(coordinator, { status: 'in_force', title: `Upphävd ${uniq()}`, nextReviewOn: inDays(5) });
    await ok(coordinator, 'PATCH', `/api/documents/${repealed.id}`, { version: repealed.version, status: 'repealed' });

    const mailsFor = (title: string) => smtp.messages.filter((m) => m.subject.includes(title));
    const run = async () => {
      await ctx.app.inject({ method: 'GET', url: '/healthz' });
      const { scanReviews } = await import('./documents.jobs.ts');
      await scanReviews(ctx.database.db, { days: ctx.config.DOCUMENT_REVIEW_REMINDER_DAYS });
      await runner().runDue(); // reminders
      await runner().runDue(); // the mails they queued
    };
    await run();
    const ks = mailsFor(dueKs.title);
    // KS has no coordinator of its own: the municipality's coordinator (granted with subtree) is reminded.
    expect(ks.map((m) => m.to)).toEqual([['samordnare@lund.example']]);
    expect(ks[0].subject).toBe(`Påminnelse: ${dueKs.title} ska revideras senast ${inDays(10)}`);
    expect(ks[0].text).toContain(`https://trygg.lund.example/styrdokument?dokument=${dueKs.id}`);
    expect(ks[0].text).toContain('som Kommunstyrelsen äger');
    expect(mailsFor(dueSon.title).map((m) => m.to)).toEqual([[sonCoordinator.email]]);
    expect(mailsFor(overdue.title)).toHaveLength(1);
    expect(mailsFor(later.title)).toEqual([]);
    expect(mailsFor(repealed.title)).toEqual([]);

    // Once per review date: the next scan sends nothing more.
    await run();
    expect(mailsFor(dueKs.title)).toHaveLength(1);
    // A new review date within the period gives a new reminder.
    const cur = await ok(coordinator, 'GET', `/api/documents/${dueKs.id}`);
    await ok(coordinator, 'PATCH', `/api/documents/${dueKs.id}`, { version: cur.version, nextReviewOn: inDays(20) });
    await run();
    expect(mailsFor(dueKs.title)).toHaveLength(2);
    expect(mailsFor(dueKs.title)[1].subject).toContain(inDays(20));
  });

  it('the recurring scan job is registered and enqueues reminders with a unique key per document and date', async () => {
    const d = await create(coordinator, { status: 'in_force', title: `Nyckel ${uniq()}`, nextReviewOn: inDays(1) });
    await ctx.database.db.execute(sql`insert into jobs (type, payload) values ('documents.review-scan', '{}'::jsonb)`);
    await runner().runDue();
    const jobs = await ctx.database.db.execute<{ unique_key: string; status: string }>(sql`select unique_key, status from jobs where type = 'documents.review-remind' and payload->>'documentId' = ${d.id}`);
    expect(jobs.rows).toEqual([{ unique_key: `documents.review-remind:${d.id}:${inDays(1)}`, status: 'done' }]);
  });
});

describe('search and demo data', () => {
  it('searchDocuments finds documents by Swedish stems with a highlighted, HTML-safe snippet, respecting visibility', async () => {
    const hit = await create(coordinator, { status: 'in_force', title: `Riktlinjer mot hedersrelaterat våld ${uniq()}`, description: 'Om <b>skydd</b> för utsatta kvinnor och barn' });
    const draft = await create(coordinator, { title: `Hedersrelaterat våld, utkast ${uniq()}` });
    const tree = await loadOrgTree(ctx.database.db);
    const asActor = async (email: string): Promise<Actor> => {
      const u = (await ctx.database.db.execute<{ id: string; name: string }>(sql`select id, name from users where email = ${email}`)).rows[0];
      const g = await ctx.database.db.execute<{ organisation_id: string; role: string; include_subtree: boolean }>(sql`select organisation_id, role, include_subtree from role_grants where user_id = ${u.id}`);
      return { id: u.id, name: u.name, email, sessionId: 't', grants: g.rows.map((r) => ({ organisationId: r.organisation_id, role: r.role as never, includeSubtree: r.include_subtree })) };
    };
    const hits = await searchDocuments(ctx.database.db, accessOf(await asActor('lasare@lund.example'), tree), 'hedersrelaterade våld');
    expect(hits.map((h) => h.id)).toEqual(expect.arrayContaining([hit.id, draft.id]));
    const h = hits.find((x) => x.id === hit.id)!;
    expect(h).toMatchObject({ kind: 'document', title: hit.title });
    expect(h.rank).toBeGreaterThan(0);
    expect(h.snippet).toMatch(/<mark>hedersrelaterat<\/mark>/i);
    expect(h.snippet).not.toContain('<b>');
    const partnerHits = await searchDocuments(ctx.database.db, accessOf(await asActor('polisen@lund.example'), tree), 'hedersrelaterat');
    expect(partnerHits.map((x) => x.id)).toContain(hit.id);
    expect(partnerHits.map((x) => x.id)).not.toContain(draft.id);
    expect(await searchDocuments(ctx.database.db, accessOf(await asActor('polisen@lund.example'), tree), '  ')).toEqual([]);
  });

  it('seedDocumentsDemo registers the Lund demo documents and returns their ids', async () => {
    const orgs = new Map((await ctx.database.db.execute<{ key: string; id: string }>(sql`select key, id from organisations where key is not null`)).rows.map((r) => [r.key, r.id]));
    const seeded = await ctx.database.db.transaction((tx) => seedDocumentsDemo(tx, orgs));
    const strategy = await ok(reader, 'GET', `/api/documents/${seeded.strategyId}`);
    expect(strategy).toMatchObject({ title: 'Strategi för våld i nära relationer 2017-2022', type: 'strategy', status: 'in_force', ownerName: 'Kommunstyrelsen', adoptedByName: 'Kommunfullmäktige', isExample: true });
    expect(await ok(reader, 'GET', `/api/documents/${seeded.programId}`)).toMatchObject({ status: 'draft', type: 'program' });
    expect((await ok(reader, 'GET', `/api/documents/${seeded.guidelineId}`)).reviewOverdue).toBe(true);
    expect(stockholmToday()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
