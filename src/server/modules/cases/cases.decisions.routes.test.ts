import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createCase, createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { startSmtpServer } from '../../../../test/helpers/smtp.ts';
import { verifyAuditChain } from '../../lib/audit.ts';
import { createFileStore } from '../../lib/filestore.ts';
import { createJobRunner } from '../../lib/job-runner.ts';
import { registerDecisionEffect } from './cases.decisions.ts';
import { withoutDecisionEffects } from './index.ts';
import { seedDecisionsDemo } from './cases.decisions.seed.ts';
import { pdfText } from '../../../../test/helpers/pdf.ts';
import { api } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let officer: string; // handlaggare@lund.example: officer on Kommunkontoret's subtree
let registrar: string; // registrar on the whole municipality: reads, does not handle
let reader: string;
let reporterSon: string; // no cases.read at all
let tnReader: string; // cases.read on Tekniska nämnden only
const ids: Record<string, string> = {};

const { call, ok, fails } = api(() => ctx.app);

const CLAUSES = [
  { text: 'att anta Program för trygghet och säkerhet', toBody: 'kf' },
  { text: 'att ge kommunkontoret i uppdrag att utarbeta handlingsplaner', effect: 'assignment' },
  { text: 'att Strategi för våld i nära relationer 2017-2022 upphör att gälla', toBody: 'kf', effect: 'repeal' },
];

let paragraphSeq = 100;
/** The minutes of the decision adjusted (the meeting process itself is tested in cases.meetings.routes.test.ts). */
const adjusted = (id: string) => ctx.database.db.execute(sql`update decisions set adjusted_on = decided_on where id = ${id}`);
const nextParagraph = () => ++paragraphSeq;

/** A fresh case (kk-ts, with child assessment unless said) and a draft decision of KS in it. */
async function draft(opts: { kind?: string; concernsChildren?: boolean | null; clauses?: object[]; body?: string } = {}) {
  const c = await createCase(ctx.database, { concernsChildren: opts.concernsChildren });
  const d = await ok(officer, 'POST', `/api/cases/${c.id}/decisions`, {
    bodyOrganisationId: ids[opts.body ?? 'ks'],
    kind: opts.kind ?? 'decision',
    title: 'Program för trygghet och säkerhet',
    reason: opts.kind === 'referral_back' ? 'Strategin mot våld i nära relationer ska arbetas in i programmet.' : null,
    clauses: opts.clauses ?? [{ text: 'att anta programmet' }],
  }, 201);
  return { c, d };
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Lunds kommun <registrator@lund.example>' } });
  for (const k of ['ks', 'kf', 'ksau', 'kk', 'kk-ts', 'bsn', 'tn', 'son', 'fm', 'polisen', 'lund']) ids[k] = await orgId(ctx.database, k);
  officer = await signIn(ctx.app, 'handlaggare@lund.example');
  registrar = await signIn(ctx.app, 'registrator@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  reporterSon = await signIn(ctx.app, 'rapportor.son@lund.example');
  const u = await createUser(ctx.database, { homeOrganisationId: ids.tn, grants: [{ organisationId: ids.tn, role: 'reader' }] });
  tnReader = await signIn(ctx.app, u.email);
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});

describe('meetings', () => {
  it('creates a meeting of a deciding body, refuses the same body and date twice and a non-deciding organisation', async () => {
    const m = await ok(officer, 'POST', '/api/meetings', { bodyOrganisationId: ids.ksau, meetingDate: '2019-02-18', title: 'KSAU' }, 201);
    expect(m).toMatchObject({ bodyName: 'Kommunstyrelsens arbetsutskott', meetingDate: '2019-02-18' });
    await fails(officer, 'POST', '/api/meetings', { bodyOrganisationId: ids.ksau, meetingDate: '2019-02-18' }, 409, 'ALREADY_EXISTS');
    const e = await fails(officer, 'POST', '/api/meetings', { bodyOrganisationId: ids['kk-ts'], meetingDate: '2019-02-26' }, 400, 'VALIDATION_FAILED');
    expect(e.fields?.[0]).toMatchObject({ path: 'bodyOrganisationId', message: expect.stringContaining('beslutande organ') });
    const list = await ok(reader, 'GET', `/api/meetings?bodyOrganisationId=${ids.ksau}`);
    expect(list.items.map((x: { meetingDate: string }) => x.meetingDate)).toEqual(expect.arrayContaining(['2019-02-18', '2019-02-25']));
    await fails(registrar, 'POST', '/api/meetings', { bodyOrganisationId: ids.ksau, meetingDate: '2019-03-01' }, 403, 'FORBIDDEN');
  });
});

describe('decisions and att-satser', () => {
  it('creates a draft with ordered att-satser; adds, edits, reorders and removes them while draft, each change checked against the version', async () => {
    const { c, d } = await draft({
      clauses: CLAUSES.map((k) => ({ text: k.text, toBodyOrganisationId: k.toBody ? ids[k.toBody] : null, effect: k.effect ?? 'none', ...(k.effect === 'assignment' ? { assigneeOrganisationId: ids.kk } : {}) })),
    });
    expect(d).toMatchObject({ status: 'draft', kind: 'decision', bodyName: 'Kommunstyrelsen', version: 1, allowedActions: ['cases.handle'] });
    expect(d.clauses.map((k: { text: string }) => k.text)).toEqual(CLAUSES.map((k) => k.text));
    expect(d.clauses[0]).toMatchObject({ ordinal: 1, toBodyName: 'Kommunfullmäktige', effect: 'none' });
    expect(d.clauses[1]).toMatchObject({ effect: 'assignment', assigneeName: 'Kommunkontoret' });

    const list = await ok(reader, 'GET', `/api/cases/${c.id}/decisions`);
    expect(list.case).toMatchObject({ registryNumber: c.registryNumber, title: c.title, childAssessmentDone: true });
    expect(list.items).toHaveLength(1);
    expect(list.allowedActions).toEqual([]); // the reader may read, not handle

    let cur = await ok(officer, 'POST', `/api/decisions/${d.id}/clauses`, { version: 1, text: 'att fjärde satsen läggs sist' }, 201);
    expect(cur.version).toBe(2);
    expect(cur.clauses.map((k: { ordinal: number }) => k.ordinal)).toEqual([1, 2, 3, 4]);
    const fourth = cur.clauses[3].id;
    cur = await ok(officer, 'PATCH', `/api/decisions/${d.id}/clauses/${fourth}`, { version: 2, text: 'att den fjärde satsen ändras' });
    expect(cur.clauses[3].text).toBe('att den fjärde satsen ändras');
    // A stale version loses nothing: 409, and the text stays as saved.
    await fails(officer, 'PATCH', `/api/decisions/${d.id}/clauses/${fourth}`, { version: 2, text: 'gammal version' }, 409, 'VERSION_CONFLICT');

    const order = [fourth, cur.clauses[0].id, cur.clauses[1].id, cur.clauses[2].id];
    cur = await ok(officer, 'PUT', `/api/decisions/${d.id}/clause-order`, { version: cur.version, clauseIds: order });
    expect(cur.clauses.map((k: { id: string }) => k.id)).toEqual(order);
    expect(cur.clauses[0].text).toBe('att den fjärde satsen ändras');
    await fails(officer, 'PUT', `/api/decisions/${d.id}/clause-order`, { version: cur.version, clauseIds: order.slice(1) }, 400, 'VALIDATION_FAILED');

    cur = await ok(officer, 'DELETE', `/api/decisions/${d.id}/clauses/${fourth}?version=${cur.version}`);
    expect(cur.clauses.map((k: { text: string }) => k.text)).toEqual(CLAUSES.map((k) => k.text));
    expect(cur.clauses.map((k: { ordinal: number }) => k.ordinal)).toEqual([1, 2, 3]);
    await fails(officer, 'DELETE', `/api/decisions/${d.id}/clauses/${fourth}?version=${cur.version}`, undefined, 404, 'CLAUSE_NOT_FOUND');
  });

  it('refuses a body that does not take decisions, and those who may not handle the case', async () => {
    const c = await createCase(ctx.database);
    const e = await fails(officer, 'POST', `/api/cases/${c.id}/decisions`, { bodyOrganisationId: ids.kk, title: 'X' }, 400, 'VALIDATION_FAILED');
    expect(e.fields?.[0].path).toBe('bodyOrganisationId');
    await fails(registrar, 'POST', `/api/cases/${c.id}/decisions`, { bodyOrganisationId: ids.ks, title: 'X' }, 403, 'FORBIDDEN');
    await fails(reporterSon, 'GET', `/api/cases/${c.id}/decisions`, undefined, 403, 'FORBIDDEN');
    await fails(tnReader, 'GET', `/api/cases/${c.id}/decisions`, undefined, 404, 'CASE_NOT_FOUND');
    // A secrecy-marked case: its decisions are hidden from a reader without cases.secret.
    const me = (await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = 'handlaggare@lund.example'`)).rows[0].id;
    const hidden = await createCase(ctx.database, { secrecyRef: '18 kap. 8 § OSL' });
    await fails(officer, 'GET', `/api/cases/${hidden.id}/decisions`, undefined, 404, 'CASE_NOT_FOUND');
    const secret = await createCase(ctx.database, { secrecyRef: '18 kap. 8 § OSL', officerId: me });
    const d = await ok(officer, 'POST', `/api/cases/${secret.id}/decisions`, { bodyOrganisationId: ids.ks, title: 'Hemligt' }, 201);
    await fails(reader, 'GET', `/api/decisions/${d.id}`, undefined, 404, 'DECISION_NOT_FOUND');
    await fails(reader, 'GET', `/api/cases/${secret.id}/decisions`, undefined, 404, 'CASE_NOT_FOUND');
    expect((await ok(registrar, 'GET', `/api/decisions/${d.id}`)).title).toBe('Hemligt');
  });

  it('cannot be marked decided without the child assessment (Swedish message), and nothing changes', async () => {
    const { c, d } = await draft({ concernsChildren: null });
    const e = await fails(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1, decidedOn: '2020-02-05', paragraph: nextParagraph() }, 409, 'CHILD_ASSESSMENT_MISSING');
    expect(e.message).toMatch(/^Barnkonsekvensanalys saknas/);
    expect((await ok(officer, 'GET', `/api/decisions/${d.id}`))).toMatchObject({ status: 'draft', version: 1, decidedOn: null });
    // With the assessment in the case, the same request goes through.
    await ctx.database.db.execute(sql`update cases set concerns_children = false, child_assessment = 'Berör inte barn: intern organisationsfråga.' where id = ${c.id}`);
    expect((await ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1, decidedOn: '2020-02-05', paragraph: nextParagraph() })).status).toBe('decided');
  });

  it('a motivation is required too: "concerns children" without a text is not an assessment', async () => {
    const { c, d } = await draft();
    await ctx.database.db.execute(sql`update cases set concerns_children = true, child_assessment = '  ' where id = ${c.id}`);
    await fails(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1, decidedOn: '2020-02-05', paragraph: nextParagraph() }, 409, 'CHILD_ASSESSMENT_MISSING');
  });

  it('needs a date and a §; the same body, date and § twice is a 409', async () => {
    const { d } = await draft();
    const e = await fails(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1 }, 400, 'VALIDATION_FAILED');
    expect(e.fields?.map((f) => f.path).sort()).toEqual(['decidedOn', 'paragraph']);
    const p = nextParagraph();
    await ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1, decidedOn: '2019-12-11', paragraph: p });

    const { d: other } = await draft();
    const taken = await fails(officer, 'POST', `/api/decisions/${other.id}/decide`, { version: 1, decidedOn: '2019-12-11', paragraph: p }, 409, 'PARAGRAPH_TAKEN');
    expect(taken.message).toMatch(/Paragrafen är redan använd/);
    // Another body may use the same date and §; so may the same body on another date.
    expect((await ok(officer, 'POST', `/api/decisions/${other.id}/decide`, { version: 1, decidedOn: '2019-12-05', paragraph: p })).status).toBe('decided');
    const { c: c3 } = await draft();
    await fails(officer, 'POST', `/api/cases/${c3.id}/decisions`, { bodyOrganisationId: ids.ks, title: 'Dubblett', decidedOn: '2019-12-11', paragraph: p }, 409, 'PARAGRAPH_TAKEN');
    const ksau = await ok(officer, 'POST', `/api/cases/${c3.id}/decisions`, { bodyOrganisationId: ids.ksau, title: 'Annat organ', decidedOn: '2019-12-11', paragraph: p, clauses: [{ text: 'att godkänna' }] }, 201);
    expect((await ok(officer, 'POST', `/api/decisions/${ksau.id}/decide`, { version: 1 })).status).toBe('decided');
  });

  it('records the meeting of the decision, and a decision needs at least one att-sats', async () => {
    const { d } = await draft({ clauses: [] });
    await fails(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1, decidedOn: '2021-03-01', paragraph: nextParagraph() }, 409, 'DECISION_NO_CLAUSES');
    const { d: d2 } = await draft();
    const decided = await ok(officer, 'POST', `/api/decisions/${d2.id}/decide`, { version: 1, decidedOn: '2021-03-01', paragraph: nextParagraph() });
    expect(decided.meetingId).toMatch(/^[0-9a-f-]{36}$/);
    const meetings = await ok(reader, 'GET', `/api/meetings?bodyOrganisationId=${ids.ks}&from=2021-03-01&to=2021-03-01`);
    expect(meetings.items.map((m: { id: string }) => m.id)).toEqual([decided.meetingId]);
  });

  it('a decided decision is locked: edits, att-satser and a second decide are 409 DECISION_LOCKED', async () => {
    const { d } = await draft();
    const decided = await ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1, decidedOn: '2020-03-01', paragraph: nextParagraph() });
    const v = decided.version;
    await fails(officer, 'PATCH', `/api/decisions/${d.id}`, { version: v, title: 'Ändrad' }, 409, 'DECISION_LOCKED');
    await fails(officer, 'POST', `/api/decisions/${d.id}/clauses`, { version: v, text: 'att lägga till' }, 409, 'DECISION_LOCKED');
    await fails(officer, 'PATCH', `/api/decisions/${d.id}/clauses/${decided.clauses[0].id}`, { version: v, text: 'att ändra' }, 409, 'DECISION_LOCKED');
    await fails(officer, 'DELETE', `/api/decisions/${d.id}/clauses/${decided.clauses[0].id}?version=${v}`, undefined, 409, 'DECISION_LOCKED');
    await fails(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: v }, 409, 'DECISION_LOCKED');
    expect(await ok(officer, 'GET', `/api/decisions/${d.id}`)).toMatchObject({ title: decided.title, version: v, clauses: decided.clauses });
  });

  it('a referral back reopens a dormant or closed case and keeps its reason in the case history', async () => {
    const { c, d } = await draft({ kind: 'referral_back', clauses: [{ text: 'att återremittera ärendet till kommunkontoret' }] });
    await ctx.database.db.execute(sql`update cases set status = 'closed', closed_on = '2019-11-30' where id = ${c.id}`);
    expect((await ok(reader, 'GET', `/api/cases/${c.id}/decisions`)).case.status).toBe('closed');
    // (KS 2019-12-04 § 333 itself belongs to the demo data seeded below.)
    const p = nextParagraph();
    const decided = await ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1, decidedOn: '2019-12-11', paragraph: p });
    expect(decided).toMatchObject({ kind: 'referral_back', status: 'decided', reason: 'Strategin mot våld i nära relationer ska arbetas in i programmet.' });
    const after = await ok(reader, 'GET', `/api/cases/${c.id}/decisions`);
    expect(after.case.status).toBe('open');
    const row = (await ctx.database.db.execute<{ closed_on: string | null }>(sql`select closed_on from cases where id = ${c.id}`)).rows[0];
    expect(row.closed_on).toBeNull();
    const history = await ctx.database.db.execute<{ action: string; before: { status: string }; after: { reason: string; reopened: boolean; reference: string } }>(
      sql`select action, before, after from audit_log where entity_type = 'case' and entity_id = ${c.id} order by id`,
    );
    expect(history.rows.at(-1)).toMatchObject({
      action: 'referral_back',
      before: { status: 'closed' },
      after: { reopened: true, reason: 'Strategin mot våld i nära relationer ska arbetas in i programmet.', reference: `KS 2019-12-11 § ${p}` },
    });
    expect((await verifyAuditChain(ctx.database.db)).ok).toBe(true);
  });

  it('an assignment att-sats needs an organisation and a due date, and becomes an uppdrag when decided', async () => {
    const { c, d } = await draft({ clauses: [{ text: 'att ge kommunkontoret i uppdrag att utarbeta handlingsplaner', effect: 'assignment', assigneeOrganisationId: ids.kk }] });
    const e = await fails(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1, decidedOn: '2020-04-01', paragraph: nextParagraph() }, 400, 'DUE_DATE_REQUIRED');
    expect(e.fields?.[0]).toMatchObject({ path: 'clauses.0.dueDate', message: 'Ange slutdatum för uppdraget.' });
    expect((await ok(officer, 'GET', `/api/decisions/${d.id}`)).status).toBe('draft');
    await ok(officer, 'PATCH', `/api/decisions/${d.id}/clauses/${d.clauses[0].id}`, { version: 1, dueDate: '2020-12-31' });
    const decided = await ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 2, decidedOn: '2020-04-01', paragraph: nextParagraph() });
    expect(decided.clauses[0].assignmentId).toMatch(/^[0-9a-f-]{36}$/);

    const list = await ok(reader, 'GET', `/api/assignments?organisationId=${ids.kk}&caseId=${c.id}`);
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({
      id: decided.clauses[0].assignmentId,
      organisationName: 'Kommunkontoret',
      registryNumber: c.registryNumber,
      dueDate: '2020-12-31',
      status: 'open',
      overdue: true,
      text: 'att ge kommunkontoret i uppdrag att utarbeta handlingsplaner',
      allowedActions: [],
    });
    expect(list.items[0].decisionRef).toMatch(/^KS 2020-04-01 § \d+$/);
    // Filtered by visibility: Tekniska nämnden's reader does not see Kommunkontoret's uppdrag.
    expect((await ok(tnReader, 'GET', `/api/assignments?caseId=${c.id}`)).total).toBe(0);
    await fails(reporterSon, 'GET', '/api/assignments', undefined, 403, 'FORBIDDEN');

    // Linked to an action of the program's plan, then unlinked.
    const action = (await ctx.database.db.execute<{ id: string; title: string }>(sql`select a.id, a.title from plan_actions a join organisations o on o.id = a.responsible_organisation_id where o.key in ('kk', 'kk-ts') order by a.title limit 1`)).rows[0];
    const id = list.items[0].id;
    const linked = await ok(officer, 'POST', `/api/assignments/${id}/actions`, { actionId: action.id });
    expect(linked.actions).toEqual([expect.objectContaining({ id: action.id, title: action.title })]);
    await fails(officer, 'POST', `/api/assignments/${id}/actions`, { actionId: action.id }, 409, 'ACTION_ALREADY_LINKED');
    await fails(officer, 'POST', `/api/assignments/${id}/actions`, { actionId: '00000000-0000-4000-8000-000000000000' }, 400, 'VALIDATION_FAILED');
    // An action the officer may not read (Socialnämnden's, in a program owned by the executive board) cannot be linked.
    const sonAction = (await ctx.database.db.execute<{ id: string }>(sql`select a.id from plan_actions a join organisations o on o.id = a.responsible_organisation_id where o.key = 'son' limit 1`)).rows[0];
    await fails(officer, 'POST', `/api/assignments/${id}/actions`, { actionId: sonAction.id }, 400, 'VALIDATION_FAILED');
    await fails(reader, 'POST', `/api/assignments/${id}/actions`, { actionId: action.id }, 403, 'FORBIDDEN');
    expect((await ok(officer, 'DELETE', `/api/assignments/${id}/actions/${action.id}`)).actions).toEqual([]);
    const done = await ok(officer, 'PATCH', `/api/assignments/${id}`, { version: linked.version, status: 'done' });
    expect(done).toMatchObject({ status: 'done', overdue: false });
    expect(done.doneOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await fails(officer, 'PATCH', `/api/assignments/${id}`, { version: linked.version, status: 'open' }, 409, 'VERSION_CONFLICT');
  });

  it('repeal, replace and adopt need their documents; registered effect handlers get the clauses and can refuse the decision', async () => {
    const docA = '11111111-1111-4111-8111-111111111111';
    const docB = '22222222-2222-4222-8222-222222222222';
    const { d } = await draft({
      clauses: [
        { text: 'att anta programmet', effect: 'adopt' },
        { text: 'att strategin upphör att gälla', effect: 'repeal' },
        { text: 'att planen ersätts', effect: 'replace', documentId: docA },
      ],
    });
    const e = await fails(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: 1, decidedOn: '2020-05-01', paragraph: nextParagraph() }, 400, 'DOCUMENT_REQUIRED');
    expect(e.fields?.map((f) => f.path)).toEqual(['clauses.0.documentId', 'clauses.1.documentId', 'clauses.2.replacementDocumentId']);

    let v = 1;
    for (const [i, k] of d.clauses.entries())
      v = (await ok(officer, 'PATCH', `/api/decisions/${d.id}/clauses/${k.id}`, { version: v, documentId: i === 2 ? docA : docB, ...(i === 2 ? { replacementDocumentId: docB } : {}) })).version;

    // Only this test's handlers: the register's own (installed by the app's boot loop) would look for docA and docB.
    await withoutDecisionEffects(ctx.app.contributions.decisionEffects, async () => {
      const seen: { effect: string; texts: string[]; reference: string }[] = [];
      let refuse = true;
      const off = [
        registerDecisionEffect('repeal', {
          validate: (_tx, _d, clauses) => (refuse ? [{ path: 'clauses.1.documentId', message: 'DOCUMENT_REQUIRED' }] : clauses.length ? [] : [{ path: 'x', message: 'INVALID' }]),
          onDecided: (_tx, _d, clauses, context) => void seen.push({ effect: 'repeal', texts: clauses.map((k) => k.text), reference: context.reference }),
        }),
        registerDecisionEffect('replace', (_tx, _d, clauses, context) => void seen.push({ effect: 'replace', texts: clauses.map((k) => k.text), reference: context.reference })),
        registerDecisionEffect('adopt', async (tx, decision) => {
          // Handlers run in the deciding transaction: they see the decision as decided.
          const r = await tx.execute<{ status: string }>(sql`select status from decisions where id = ${decision.id}`);
          seen.push({ effect: 'adopt', texts: [r.rows[0].status], reference: '' });
        }),
      ];
      try {
        const p = nextParagraph();
        await fails(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: v, decidedOn: '2020-05-01', paragraph: p }, 400, 'VALIDATION_FAILED');
        expect(seen).toEqual([]);
        expect((await ok(officer, 'GET', `/api/decisions/${d.id}`)).status).toBe('draft');
        refuse = false;
        await ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: v, decidedOn: '2020-05-01', paragraph: p });
        expect(seen).toEqual([
          { effect: 'adopt', texts: ['decided'], reference: '' },
          { effect: 'repeal', texts: ['att strategin upphör att gälla'], reference: `KS 2020-05-01 § ${p}` },
          { effect: 'replace', texts: ['att planen ersätts'], reference: `KS 2020-05-01 § ${p}` },
        ]);
      } finally {
        for (const f of off) f();
      }
    });
  });
});

describe('dispatch (expediering)', () => {
  const runner = () => createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] });

  it('only a decided decision is dispatched; e-mails the extract as PDF with records per recipient, the file gets a drawn-up record, a recipient without e-mail is named for manual dispatch', async () => {
    await ctx.database.db.execute(sql`update organisations set email = null where key = 'fm'`);
    const { c, d } = await draft({
      clauses: CLAUSES.map((k) => ({ text: k.text, toBodyOrganisationId: k.toBody ? ids[k.toBody] : null })),
    });
    let cur = await ok(officer, 'PUT', `/api/decisions/${d.id}/dispatch-list`, { version: 1, organisationIds: [ids.bsn, ids.tn, ids.fm, ids.tn], file: true });
    expect(cur.dispatch.map((e: { organisationName: string | null; status: string }) => [e.organisationName, e.status])).toEqual([
      ['Barn- och skolnämnden', 'pending'],
      ['Försvarsmakten', 'pending'],
      ['Tekniska nämnden', 'pending'],
      [null, 'pending'],
    ]);
    expect(cur.dispatch.find((e: { organisationName: string }) => e.organisationName === 'Försvarsmakten').organisationEmail).toBeNull();
    await fails(officer, 'POST', `/api/decisions/${d.id}/dispatch`, { version: cur.version }, 409, 'DECISION_NOT_DECIDED');
    await fails(officer, 'GET', `/api/decisions/${d.id}/extract.pdf`, undefined, 409, 'DECISION_NOT_DECIDED');
    const p = nextParagraph();
    cur = await ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: cur.version, decidedOn: '2020-06-10', paragraph: p });
    await fails(registrar, 'POST', `/api/decisions/${d.id}/dispatch`, { version: cur.version }, 403, 'FORBIDDEN');
    await fails(officer, 'POST', `/api/decisions/${d.id}/dispatch`, { version: cur.version }, 409, 'DECISION_NOT_ADJUSTED');
    await adjusted(d.id);

    smtp.messages.length = 0;
    const res = await ok(officer, 'POST', `/api/decisions/${d.id}/dispatch`, { version: cur.version });
    expect(res.sent.map((s: { name: string; email: string }) => [s.name, s.email])).toEqual([
      ['Barn- och skolnämnden', 'bsn@lund.example'],
      ['Tekniska nämnden', 'tn@lund.example'],
    ]);
    expect(res.manual.map((m: { name: string }) => m.name)).toEqual(['Försvarsmakten']);
    expect(res.message).toMatch(/saknar e-postadress.*Försvarsmakten/);
    expect(res.filed.recordNumber).toMatch(new RegExp(`^${c.registryNumber.replace('/', '\\/')}-\\d+$`));
    expect(res.decision.dispatch.map((e: { status: string }) => e.status).sort()).toEqual(['filed', 'manual', 'sent', 'sent']);

    // One record per recipient (outgoing) and one for the file (drawn up), each with the extract as its file.
    const records = await ctx.database.db.execute<{ seq: number; direction: string; counterpart: string | null; title: string; filename: string; sha256: string; size: number; content_type: string }>(sql`
      select r.seq, r.direction, r.counterpart, r.title, f.filename, f.sha256, f.size, f.content_type
      from case_records r join case_record_files f on f.record_id = r.id where r.case_id = ${c.id} order by r.seq`);
    expect(records.rows.map((r) => [r.direction, r.counterpart])).toEqual([
      ['outgoing', 'Barn- och skolnämnden'],
      ['outgoing', 'Försvarsmakten'],
      ['outgoing', 'Tekniska nämnden'],
      ['drawn_up', null],
    ]);
    expect(records.rows[1].title).toMatch(/expedieras manuellt/);
    expect(new Set(records.rows.map((r) => r.sha256)).size).toBe(1);
    expect(records.rows[0]).toMatchObject({ content_type: 'application/pdf', filename: `Protokollsutdrag KS 2020-06-10 § ${p}.pdf` });
    const stored = await createFileStore(ctx.config.FILES_DIR!).get(records.rows[0].sha256);
    expect(stored.subarray(0, 5).toString()).toBe('%PDF-');
    expect(stored.length).toBe(records.rows[0].size);

    // The mail goes out through the real SMTP server with the PDF attached; its text holds the att-satser.
    expect(await runner().runDue()).toBe(2);
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['bsn@lund.example', 'tn@lund.example']);
    const mail = smtp.messages.find((m) => m.to[0] === 'tn@lund.example')!;
    expect(mail.subject).toBe(`Protokollsutdrag KS 2020-06-10 § ${p}: Program för trygghet och säkerhet (${c.registryNumber})`);
    expect(mail.text).toContain(`ärende ${c.registryNumber}`);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: `Protokollsutdrag KS 2020-06-10 § ${p}.pdf`, contentType: 'application/pdf' });
    expect(mail.attachments[0].content.equals(stored)).toBe(true);
    const text = await pdfText(mail.attachments[0].content);
    expect(text).toContain('Protokollsutdrag');
    expect(text).toContain(c.registryNumber);
    expect(text).toContain(`§ ${p}`);
    expect(text).toContain('Kommunstyrelsen föreslår kommunfullmäktige besluta');
    for (const k of CLAUSES) expect(text).toContain(k.text);
    expect(text).toContain('Försvarsmakten');
    // The extract can be fetched by those who read the case.
    const pdf = await call(reader, 'GET', `/api/decisions/${d.id}/extract.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    // Once: nothing new → 409. A dispatched recipient cannot be removed. A new one is dispatched alone.
    const v = res.decision.version;
    await fails(officer, 'POST', `/api/decisions/${d.id}/dispatch`, { version: v }, 409, 'NOTHING_TO_DISPATCH');
    await fails(officer, 'PUT', `/api/decisions/${d.id}/dispatch-list`, { version: v, organisationIds: [ids.bsn, ids.fm], file: true }, 409, 'DISPATCH_ENTRY_DONE');
    const grown = await ok(officer, 'PUT', `/api/decisions/${d.id}/dispatch-list`, { version: v, organisationIds: [ids.bsn, ids.tn, ids.fm, ids.polisen], file: true });
    smtp.messages.length = 0;
    const again = await ok(officer, 'POST', `/api/decisions/${d.id}/dispatch`, { version: grown.version });
    expect(again.sent.map((s: { name: string }) => s.name)).toEqual(['Polismyndigheten']);
    expect(again.manual).toEqual([]);
    expect(again.message).toBeNull();
    expect(again.filed).toBeNull();
    expect(await runner().runDue()).toBe(1);
    expect(smtp.messages.map((m) => m.to[0])).toEqual(['polisen@lund.example']);
    const count = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from case_records where case_id = ${c.id}`);
    expect(count.rows[0].n).toBe(5);
    await ctx.database.db.execute(sql`update organisations set email = 'fm@lund.example' where key = 'fm'`);
  });

  it('a stale version of the decision is a 409 and nothing is dispatched', async () => {
    const { d } = await draft();
    const listed = await ok(officer, 'PUT', `/api/decisions/${d.id}/dispatch-list`, { version: 1, organisationIds: [ids.bsn], file: false });
    const decided = await ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: listed.version, decidedOn: '2020-07-01', paragraph: nextParagraph() });
    await adjusted(d.id);
    await fails(officer, 'POST', `/api/decisions/${d.id}/dispatch`, { version: listed.version }, 409, 'VERSION_CONFLICT');
    expect((await ok(officer, 'GET', `/api/decisions/${d.id}`)).dispatch[0].status).toBe('pending');
    expect((await ok(officer, 'POST', `/api/decisions/${d.id}/dispatch`, { version: decided.version })).sent).toHaveLength(1);
  });
});

describe('proposals to another body (issue #11 item 2)', () => {
  it('a proposal has no effect where it is proposed; forwarding makes a draft of the deciding body, once; bad forwards are refused', async () => {
    const { d } = await draft({
      clauses: [
        { text: 'att ge kommunkontoret i uppdrag att utarbeta handlingsplaner', toBodyOrganisationId: ids.kf, effect: 'assignment', assigneeOrganisationId: ids.kk },
        { text: 'att ge kommunkontoret i uppdrag att informera nämnderna, under förutsättning att kommunfullmäktige antar programmet', effect: 'assignment', assigneeOrganisationId: ids.kk, dueDate: '2020-12-31', condition: 'under förutsättning att kommunfullmäktige antar programmet' },
      ],
    });
    expect(d.clauses.map((k: { proposal: boolean }) => k.proposal)).toEqual([true, false]);
    expect(d.missing).toEqual([]); // the proposal's end date is KF's to set
    await fails(officer, 'POST', `/api/decisions/${d.id}/forward`, { bodyOrganisationId: ids.kf }, 409, 'DECISION_NOT_DECIDED_FORWARD');
    const decided = await ok(officer, 'POST', `/api/decisions/${d.id}/decide`, { version: d.version, decidedOn: '2020-03-02', paragraph: nextParagraph() });
    expect(decided.clauses.map((k: { assignmentId: string | null }) => !!k.assignmentId)).toEqual([false, true]);
    expect(decided.clauses[1].condition).toBe('under förutsättning att kommunfullmäktige antar programmet');
    const same = await fails(officer, 'POST', `/api/decisions/${d.id}/forward`, { bodyOrganisationId: ids.ks }, 400, 'VALIDATION_FAILED');
    expect(same.fields?.[0].message).toContain('annat organ');
    await fails(reader, 'POST', `/api/decisions/${d.id}/forward`, { bodyOrganisationId: ids.kf }, 403, 'FORBIDDEN');
    const kf = await ok(officer, 'POST', `/api/decisions/${d.id}/forward`, { bodyOrganisationId: ids.kf }, 201);
    expect(kf).toMatchObject({ status: 'draft', bodyShortName: 'KF', preparedByDecisionId: d.id, preparedByReference: expect.stringMatching(/^KS 2020-03-02 § \d+$/) });
    expect(kf.clauses).toHaveLength(1);
    expect(kf.clauses[0]).toMatchObject({ proposal: false, toBodyOrganisationId: null, proposedFromClauseId: d.clauses[0].id });
    expect(kf.missing).toEqual([{ path: 'clauses.0.dueDate', code: 'DUE_DATE_REQUIRED' }]);
    const again = await fails(officer, 'POST', `/api/decisions/${d.id}/forward`, { bodyOrganisationId: ids.kf }, 409, 'ALREADY_FORWARDED');
    expect(again.message).toContain('redan skickat vidare');
    expect((await ok(officer, 'GET', `/api/decisions/${d.id}`)).forwardedTo).toEqual([expect.objectContaining({ id: kf.id, bodyName: 'Kommunfullmäktige', status: 'draft' })]);
    // A decision with only its own att-satser has nothing to forward.
    const own = await draft({ clauses: [{ text: 'att anta programmet' }] });
    await ok(officer, 'POST', `/api/decisions/${own.d.id}/decide`, { version: own.d.version, decidedOn: '2020-03-02', paragraph: nextParagraph() });
    await fails(officer, 'POST', `/api/decisions/${own.d.id}/forward`, { bodyOrganisationId: ids.kf }, 409, 'NOTHING_TO_FORWARD');
  });
});

describe('demo data for KS 2018/0316', () => {
  it('seeds the KSAU remiss, the KS referral back with its reason, and the proposed att-satser as a draft with the dispatch list', async () => {
    // The demo seed (src/server/seed/seed.ts) ran seedDecisionsDemo on KS 2018/0316 itself.
    const c = (await ctx.database.db.execute<{ id: string }>(sql`select id from cases where registry_number = 'KS 2018/0316'`)).rows[0];
    const list = await ok(reader, 'GET', `/api/cases/${c.id}/decisions`);
    const ofKind = (kind: string, status = 'decided') => list.items.find((d: { kind: string; status: string }) => d.kind === kind && d.status === status).id as string;
    const seeded = { remissDecisionId: ofKind('remiss'), referralBackDecisionId: ofKind('referral_back'), proposalDecisionId: ofKind('decision', 'draft') };
    const byId = new Map(list.items.map((d: { id: string }) => [d.id, d]));
    expect(byId.get(seeded.remissDecisionId)).toMatchObject({ kind: 'remiss', status: 'decided', bodyShortName: 'KSAU', decidedOn: '2019-02-25', paragraph: 48 });
    expect(byId.get(seeded.referralBackDecisionId)).toMatchObject({
      kind: 'referral_back',
      status: 'decided',
      bodyShortName: 'KS',
      decidedOn: '2019-12-04',
      paragraph: 333,
      reason: 'Strategi mot våld i nära relationer 2017-2022 ska arbetas in i programmet',
    });
    const draftDecision = byId.get(seeded.proposalDecisionId) as Record<string, any>;
    expect(draftDecision).toMatchObject({ status: 'draft', bodyShortName: 'KS', isExample: true });
    expect(draftDecision.clauses.map((k: { effect: string; toBodyName: string | null }) => [k.effect, k.toBodyName])).toEqual([
      ['adopt', 'Kommunfullmäktige'],
      ['assignment', 'Kommunfullmäktige'],
      ['repeal', 'Kommunfullmäktige'],
      ['assignment', null],
    ]);
    expect(draftDecision.clauses[2].text).toBe('att Strategi för våld i nära relationer 2017-2022 upphör att gälla');
    expect(draftDecision.clauses[3].assigneeName).toBe('Kommunkontoret');
    const names = draftDecision.dispatch.map((e: { organisationName: string | null }) => e.organisationName);
    for (const n of ['Enheten för trygghet och säkerhet', 'Socialnämnden', 'Tekniska nämnden', 'Renhållningsstyrelsen', 'Lunds brottsförebyggande råd', 'Polismyndigheten', 'Räddningstjänsten Syd', 'VA Syd', 'Försvarsmakten'])
      expect(names).toContain(n);
    expect(names).not.toContain('Kommunstyrelsen');
    expect(names).not.toContain('Kommunstyrelsens arbetsutskott');
    expect(names).toContain(null); // akten
    // The repeal points at the strategy in the register; the assignments need their deadlines before the decision can be taken.
    expect(draftDecision.clauses[2].documentId).toBeTruthy();
    const e = await fails(officer, 'POST', `/api/decisions/${seeded.proposalDecisionId}/decide`, { version: draftDecision.version, decidedOn: '2020-02-05', paragraph: 20 }, 400, 'DUE_DATE_REQUIRED');
    expect(e.fields?.map((f) => f.path)).toEqual(['clauses.3.dueDate']);
  });
});
