import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createCase, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { api } from '../../../../test/helpers/http.ts';
import { todayInStockholm, addDays } from '../../lib/time.ts';

/**
 * Issue #11 item 3: a program is its entry in the governing-document register. Creating it registers a draft;
 * only a decision adopts it (at the body that decides it, KF for a proposal from KS), and the program and the
 * register then show the same status and validity. Validity that has run out reads as expired (upphört att
 * gälla), apart from repealed (upphävd), which only a decision makes.
 */
let ctx: TestContext;
let coordinator: string;
let officer: string;
let reader: string;
const ids: Record<string, string> = {};
const { call, ok, fails } = api(() => ctx.app);
const uniq = () => randomBytes(3).toString('hex');
let paragraph = 500 + Math.floor(Math.random() * 300);

type Program = { id: string; title: string; documentId: string; version: number; status: string; validFrom: string | null; validTo: string | null; decisionRef: string | null; adoptedBy: string | null; decisionCaseId: string | null };

beforeAll(async () => {
  ctx = await createTestApp();
  for (const k of ['ks', 'kf', 'son']) ids[k] = await orgId(ctx.database, k);
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  officer = await signIn(ctx.app, 'handlaggare@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
});
afterAll(() => ctx?.close());

const newProgram = (over: object = {}) =>
  ok<Program>(coordinator, 'POST', '/api/programs', { kind: 'safety_program', title: `Program ${uniq()}`, ownerOrganisationId: ids.ks, adoptedByOrganisationId: ids.kf, ...over }, 201);
const programOf = (id: string) => ok<Program>(reader, 'GET', `/api/programs/${id}`);
const entryOf = (id: string) => ok(coordinator, 'GET', `/api/documents/${id}`);

/** KS decides a proposal to KF to adopt the document; returns the decided KS decision. */
async function ksProposes(documentId: string, decidedOn: string) {
  const c = await createCase(ctx.database);
  const d = await ok(officer, 'POST', `/api/cases/${c.id}/decisions`, {
    bodyOrganisationId: ids.ks,
    kind: 'decision',
    title: 'Program för trygghet och säkerhet',
    clauses: [{ text: 'att anta programmet', toBodyOrganisationId: ids.kf, effect: 'adopt', documentId }],
  }, 201);
  return ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: d.version, decidedOn, paragraph: ++paragraph });
}
/** KF takes up KS's proposal and decides it. */
async function kfDecides(ksDecisionId: string, decidedOn: string) {
  const kf = await ok(officer, 'POST', `/api/decisions/${ksDecisionId}/forward`, { bodyOrganisationId: ids.kf }, 201);
  return ok(officer, 'POST', `/api/decisions/${kf.id}/decide`, { version: kf.version, decidedOn, paragraph: ++paragraph });
}

describe('a program is its register entry (issue #11 item 3)', () => {
  it('creating a program registers it as a draft governing document, linked both ways; title and owner stay in step', async () => {
    const p = await newProgram({ validTo: '2030-12-31', description: 'Förslag' });
    expect(p).toMatchObject({ status: 'draft', adoptedBy: 'Kommunfullmäktige', decisionRef: null, validTo: '2030-12-31' });
    const entry = await entryOf(p.documentId);
    expect(entry).toMatchObject({ type: 'program', title: p.title, status: 'draft', state: 'draft', programId: p.id, adoptedByName: 'Kommunfullmäktige', validTo: '2030-12-31', description: 'Förslag' });
    // The register lists it among the drafts, with its program.
    const drafts = await ok<{ items: { id: string; programId: string | null }[] }>(coordinator, 'GET', '/api/documents?status=draft&limit=500');
    expect(drafts.items.find((d) => d.id === p.documentId)?.programId).toBe(p.id);

    // Renaming the program renames the entry; renaming the entry renames the program.
    const renamed = await ok<Program>(coordinator, 'PATCH', `/api/programs/${p.id}`, { version: p.version, title: 'Omdöpt program' });
    expect((await entryOf(p.documentId)).title).toBe('Omdöpt program');
    const e = await entryOf(p.documentId);
    await ok(coordinator, 'PATCH', `/api/documents/${p.documentId}`, { version: e.version, title: 'Omdöpt i registret' });
    expect(await programOf(p.id)).toMatchObject({ title: 'Omdöpt i registret', version: renamed.version + 1 });
    // While a draft, its proposed period may change from the program.
    const fresh = await programOf(p.id);
    expect(await ok<Program>(coordinator, 'PATCH', `/api/programs/${p.id}`, { version: fresh.version, validFrom: '2026-01-01' })).toMatchObject({ status: 'draft', validFrom: '2026-01-01' });
  });

  it('its status is not set by hand: the program API refuses it, and the register wants the decision for a program', async () => {
    const before = (await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from programs`)).rows[0].n;
    const refused = await fails(coordinator, 'POST', '/api/programs', { kind: 'safety_program', title: `Program ${uniq()}`, ownerOrganisationId: ids.ks, status: 'in_force' }, 409, 'PROGRAM_STATUS_BY_DECISION');
    expect(refused.message).toContain('beslut');
    expect((await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from programs`)).rows[0].n).toBe(before);
    const p = await newProgram();
    await fails(coordinator, 'PATCH', `/api/programs/${p.id}`, { version: p.version, status: 'in_force' }, 409, 'PROGRAM_STATUS_BY_DECISION');
    // In the register, a program's entry comes into force only with its decision named.
    const entry = await entryOf(p.documentId);
    const noDecision = await fails(coordinator, 'PATCH', `/api/documents/${p.documentId}`, { version: entry.version, status: 'in_force' }, 400, 'DOCUMENT_DECISION_REQUIRED');
    expect(noDecision.message).toMatch(/bara genom beslut/);
    expect(await entryOf(p.documentId)).toMatchObject({ status: 'draft', version: entry.version });
    expect((await programOf(p.id)).status).toBe('draft');
    // A program adopted before Trygg (a decision outside the registry) may be recorded with its reference.
    const recorded = await ok(coordinator, 'PATCH', `/api/documents/${p.documentId}`, { version: entry.version, status: 'in_force', decisionRef: 'KF 2015-06-18 § 120', adoptedOn: '2015-06-18', validFrom: '2015-07-01' });
    expect(recorded).toMatchObject({ status: 'in_force', state: 'in_force' });
    expect(await programOf(p.id)).toMatchObject({ status: 'in_force', decisionRef: 'KF 2015-06-18 § 120', validFrom: '2015-07-01' });
    // Its validity is now the decision's: not changed from the program.
    await fails(coordinator, 'PATCH', `/api/programs/${p.id}`, { version: (await programOf(p.id)).version, validTo: '2030-12-31' }, 409, 'PROGRAM_STATUS_BY_DECISION');
    // And it is repealed by a decision, not by hand.
    const live = await entryOf(p.documentId);
    await fails(coordinator, 'PATCH', `/api/documents/${p.documentId}`, { version: live.version, status: 'repealed' }, 400, 'DOCUMENT_DECISION_REQUIRED');
  });

  it('a proposal to KF adopts nothing at KS; KF’s decision adopts the program, and the program and the register say the same', async () => {
    const p = await newProgram({ validTo: '2099-12-31' });
    const ks = await ksProposes(p.documentId, '2026-02-05');
    expect(ks.status).toBe('decided');
    expect((await programOf(p.id)).status).toBe('draft');
    expect((await entryOf(p.documentId)).status).toBe('draft');
    // While KF has it to decide, nobody adopts it by hand in the register.
    const entry = await entryOf(p.documentId);
    await fails(coordinator, 'PATCH', `/api/documents/${p.documentId}`, { version: entry.version, status: 'in_force', decisionRef: 'KF 2026-02-26 § 1' }, 409, 'DOCUMENT_ADOPTION_PENDING');

    const kf = await kfDecides(ks.id, '2026-02-26');
    const program = await programOf(p.id);
    expect(program).toMatchObject({ status: 'in_force', adoptedBy: 'Kommunfullmäktige', decisionRef: `KF 2026-02-26 § ${kf.paragraph}`, decisionCaseId: kf.caseId, validFrom: '2026-02-26', validTo: '2099-12-31' });
    const doc = await entryOf(p.documentId);
    expect(doc).toMatchObject({ status: 'in_force', state: 'in_force', decisionId: kf.id, adoptedOn: '2026-02-26', validFrom: program.validFrom, validTo: program.validTo });
    // In the list of programs and the register's in-force filter alike.
    expect((await ok<{ items: Program[] }>(reader, 'GET', '/api/programs')).items.find((x) => x.id === p.id)?.status).toBe('in_force');
    const inForce = await ok<{ items: { id: string }[] }>(reader, 'GET', '/api/documents?status=in_force&limit=500');
    expect(inForce.items.map((d) => d.id)).toContain(p.documentId);
  });

  it('validity that has run out reads as expired (upphört att gälla) in both places, apart from repealed, and leaves the in-force lists', async () => {
    const today = todayInStockholm();
    const p = await newProgram({ validFrom: '2019-01-01', validTo: addDays(today, -1) });
    const ks = await ksProposes(p.documentId, '2018-11-07');
    await kfDecides(ks.id, '2018-11-29');
    expect((await programOf(p.id)).status).toBe('expired');
    const doc = await entryOf(p.documentId);
    // Stored in force; read as expired.
    expect(doc).toMatchObject({ status: 'in_force', state: 'expired' });
    const list = async (status: string) => (await ok<{ items: { id: string }[] }>(reader, 'GET', `/api/documents?status=${status}&limit=500`)).items.map((d) => d.id);
    expect(await list('expired')).toContain(p.documentId);
    expect(await list('in_force')).not.toContain(p.documentId);
    expect(await list('repealed')).not.toContain(p.documentId);
    // The public list of documents in force leaves it out too.
    expect((await call(undefined, 'GET', '/api/public/documents')).json().items.map((x: { id: string }) => x.id)).not.toContain(p.documentId);

    // A program still in force whose last day is today is in force.
    const last = await newProgram({ validFrom: '2019-01-01', validTo: today });
    await kfDecides((await ksProposes(last.documentId, '2018-11-07')).id, '2018-11-29');
    expect((await programOf(last.id)).status).toBe('in_force');

    // Repealed by a decision: upphävd, not expired.
    const c = await createCase(ctx.database);
    const repeal = await ok(officer, 'POST', `/api/cases/${c.id}/decisions`, {
      bodyOrganisationId: ids.kf,
      kind: 'decision',
      title: 'Upphävande',
      clauses: [{ text: 'att programmet upphör att gälla', effect: 'repeal', documentId: last.documentId }],
    }, 201);
    await ok(officer, 'POST', `/api/decisions/${repeal.id}/decide`, { version: repeal.version, decidedOn: addDays(today, -2), paragraph: ++paragraph });
    expect((await programOf(last.id)).status).toBe('repealed');
    expect(await entryOf(last.documentId)).toMatchObject({ status: 'repealed', state: 'repealed' });
    expect(await list('repealed')).toContain(last.documentId);
    expect(await list('expired')).not.toContain(last.documentId);
  });

  it('the demo: the Lund program is the register entry KS 2018/0316’s first att-sats adopts, a draft until KF decides', async () => {
    const lund = (await ok<{ items: Program[] }>(reader, 'GET', '/api/programs')).items.find((x) => x.title === 'Program för trygghet och säkerhet i Lunds kommun')!;
    expect(lund).toMatchObject({ status: 'draft', adoptedBy: 'Kommunfullmäktige', decisionRef: null });
    const clause = await ctx.database.db.execute<{ document_id: string; body: string }>(sql`
      select k.document_id, o.short_name as body from decision_clauses k join decisions d on d.id = k.decision_id join cases c on c.id = d.case_id
      join organisations o on o.id = k.to_body_organisation_id
      where c.registry_number = 'KS 2018/0316' and k.effect = 'adopt' and d.status = 'draft'`);
    expect(clause.rows).toEqual([{ document_id: lund.documentId, body: 'KF' }]);
    // One record: no second program entry of that name in the register.
    const same = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from governing_documents where title = 'Program för trygghet och säkerhet i Lunds kommun'`);
    expect(same.rows[0].n).toBe(1);
    // The strategy's own period ended 2022-12-31: until KF repeals it, it reads as upphört att gälla.
    const strategy = (await ok<{ items: { title: string; state: string; status: string }[] }>(reader, 'GET', '/api/documents?limit=500')).items.find((d) => d.title === 'Strategi för våld i nära relationer 2017-2022');
    expect(strategy).toMatchObject({ status: 'in_force', state: 'expired' });
  });
});
