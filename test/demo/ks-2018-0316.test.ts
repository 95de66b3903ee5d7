import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { signIn } from '../helpers/factories.ts';
import { decisionTerms } from '../../src/shared/i18n/decisions.ts';
import { sv as serverSv } from '../../src/shared/i18n/sv.ts';
import { sv as webSv } from '../../src/web/i18n/sv.ts';

/**
 * Issue #5 point 8: the demo data carries KS 2018/0316 as the memo tells it — registered with its
 * records, the KSAU § 48 remiss with every reply and its §, the KS § 333 referral back, the proposal
 * with its att-satser and dispatch list — and recording the decision repeals the strategy in the register.
 */
let ctx: TestContext;
let officer: string;
beforeAll(async () => {
  ctx = await createTestApp();
  officer = await signIn(ctx.app, 'handlaggare@lund.example');
});
afterAll(() => ctx?.close());

async function get(path: string) {
  const res = await ctx.app.inject({ method: 'GET', url: path, headers: { cookie: officer } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function send(method: 'POST' | 'PATCH', path: string, payload: unknown) {
  const res = await ctx.app.inject({ method, url: path, headers: { cookie: officer }, payload: payload as object });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

describe('demo data: KS 2018/0316', () => {
  it('is in the registry with its remiss replies, referral back and proposal', async () => {
    const list = await get(`/api/cases?q=${encodeURIComponent('KS 2018/0316')}`);
    const ks = list.items.find((c: { registryNumber: string }) => c.registryNumber === 'KS 2018/0316');
    expect(ks).toBeTruthy();
    const detail = await get(`/api/cases/${ks.id}`);
    expect(detail).toMatchObject({ registeredOn: '2018-05-22', concernsChildren: true });

    const rounds = await get(`/api/cases/${ks.id}/remiss-rounds`);
    expect(rounds.items).toHaveLength(1);
    const recipients = rounds.items[0].recipients as { organisationName: string; status: string; reply: { receivedOn: string; paragraph: number | null } | null }[];
    // Every body the memo names, the armed forces among them; those who did not reply shown as such.
    expect(recipients).toHaveLength(18);
    expect(recipients.filter((r) => r.status === 'answered')).toHaveLength(16);
    expect((recipients as unknown as { organisationName: string; noReply: boolean }[]).filter((r) => r.noReply).map((r) => r.organisationName).sort()).toEqual(['Försvarsmakten', 'LKF (Lunds kommuns fastighets AB)']);
    expect(rounds.items[0].exampleNote).toMatch(/exempeldata/);
    expect(recipients.find((r) => r.organisationName === 'Barn- och skolnämnden')?.reply).toMatchObject({ receivedOn: '2019-04-24', paragraph: 37 });
    expect(recipients.find((r) => r.organisationName === 'Tekniska nämnden')?.reply).toMatchObject({ receivedOn: '2019-05-18', paragraph: 118 });

    const decisions = (await get(`/api/cases/${ks.id}/decisions`)).items as Record<string, any>[];
    expect(decisions.find((d) => d.kind === 'referral_back')).toMatchObject({ bodyShortName: 'KS', decidedOn: '2019-12-04', paragraph: 333, status: 'decided' });
    // The 2018-05-22 assignment: a decision of KS with its assignment (done); its § is example data.
    const assignment = decisions.find((d) => d.decidedOn === '2018-05-22')!;
    expect(assignment).toMatchObject({ bodyShortName: 'KS', status: 'decided', exampleNote: expect.stringContaining('exempeldata') });
    expect(assignment.clauses[0]).toMatchObject({ effect: 'assignment', assigneeName: 'Kommunkontoret' });
    const given = (await get(`/api/assignments?caseId=${ks.id}`)).items as { id: string; status: string }[];
    expect(given.find((a) => a.id === assignment.clauses[0].assignmentId)).toMatchObject({ status: 'done' });
    // KSAU → KS → KF: KSAU's preparation (date and § example data) prepares KS's draft.
    const prep = decisions.find((d) => d.bodyShortName === 'KSAU' && d.kind === 'decision')!;
    expect(prep).toMatchObject({ status: 'decided', exampleNote: expect.stringContaining('exempeldata') });
    const proposal = decisions.find((d) => d.status === 'draft')!;
    expect(proposal).toMatchObject({ bodyShortName: 'KS', preparedByDecisionId: prep.id, preparedByReference: `KSAU ${prep.decidedOn} § ${prep.paragraph}` });
    expect(prep.forwardedTo).toEqual([expect.objectContaining({ id: proposal.id, status: 'draft' })]);
    // Past meetings' minutes are adjusted and their appeal periods over (example data).
    expect(decisions.find((d) => d.kind === 'referral_back')!.notice).toMatchObject({ isExample: true });
    expect(decisions.find((d) => d.kind === 'referral_back')!.notice.daysLeft).toBeLessThan(0);
    expect(proposal.clauses).toHaveLength(4);
    expect(proposal.clauses[2]).toMatchObject({ effect: 'repeal', text: 'att Strategi för våld i nära relationer 2017-2022 upphör att gälla' });
    expect(proposal.clauses[2].documentId).toBeTruthy();

    // One search finds the case's records and the governing document it concerns.
    const hits = (await get(`/api/search?q=${encodeURIComponent('våld i nära relationer')}`)).items as { kind: string; title: string; caseId: string | null }[];
    expect(hits.some((h) => h.kind === 'document' && h.title === 'Strategi för våld i nära relationer 2017-2022' && h.caseId === null)).toBe(true);
    expect(hits.some((h) => h.kind === 'record' && h.caseId === ks.id)).toBe(true);
  });

  it('the draft says what it lacks before the dialog opens (issue #13 item 3), naming the end date as the form and the server do', async () => {
    const ks = (await get(`/api/cases?q=${encodeURIComponent('KS 2018/0316')}`)).items[0];
    const proposal = ((await get(`/api/cases/${ks.id}/decisions`)).items as Record<string, any>[]).find((d) => d.status === 'draft')!;
    // Only KS's own assignment (the fourth att-sats) needs its end date now: the second is a proposal to KF.
    expect(proposal.missing).toEqual([{ path: 'clauses.3.dueDate', code: 'DUE_DATE_REQUIRED' }]);

    // Deciding anyway gives the same message, once, with the same name for the field.
    const res = await ctx.app.inject({ method: 'POST', url: `/api/decisions/${proposal.id}/decide`, headers: { cookie: officer }, payload: { version: proposal.version, decidedOn: '2020-02-05', paragraph: 20 } });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('DUE_DATE_REQUIRED');
    expect(err.message).toContain(decisionTerms.sv.dueDate.toLowerCase());
    expect(serverSv.errors.DUE_DATE_REQUIRED).toContain(decisionTerms.sv.dueDate.toLowerCase());
    expect(webSv.decisions.dueDate).toBe(decisionTerms.sv.dueDate);
    expect(webSv.decisions.dueMissing.toLowerCase()).toContain(decisionTerms.sv.dueDate.toLowerCase());
    expect(webSv.decisions.dueShort.toLowerCase()).toContain(decisionTerms.sv.dueDate.toLowerCase());
    // Nothing changed.
    expect(((await get(`/api/decisions/${proposal.id}`)) as { status: string; version: number })).toMatchObject({ status: 'draft', version: proposal.version });

    // Filled in, nothing is missing.
    let version = proposal.version;
    version = (await send('PATCH', `/api/decisions/${proposal.id}/clauses/${proposal.clauses[3].id}`, { version, dueDate: '2021-06-30' })).version;
    expect((await get(`/api/decisions/${proposal.id}`)).missing).toEqual([]);
  });

  it('KS deciding its proposal to KF repeals nothing; the strategy is repealed when KF decides (issue #11 item 2)', async () => {
    const strategy = async () =>
      (await ctx.database.db.execute<{ id: string; status: string; status_decision_id: string | null }>(
        sql`select id, status, status_decision_id from governing_documents where title = 'Strategi för våld i nära relationer 2017-2022'`,
      )).rows[0];
    expect((await strategy()).status).toBe('in_force');

    const ks = (await get(`/api/cases?q=${encodeURIComponent('KS 2018/0316')}`)).items[0];
    const proposal = ((await get(`/api/cases/${ks.id}/decisions`)).items as Record<string, any>[]).find((d) => d.status === 'draft')!;
    let version = proposal.version;
    // KS's own assignment needs its end date; the proposals to KF take effect only at KF.
    for (const k of proposal.clauses.filter((c: { effect: string; proposal: boolean; dueDate: string | null }) => c.effect === 'assignment' && !c.proposal && !c.dueDate))
      version = (await send('PATCH', `/api/decisions/${proposal.id}/clauses/${k.id}`, { version, dueDate: '2021-06-30' })).version;
    const decided = await send('POST', `/api/decisions/${proposal.id}/decide`, { version, decidedOn: '2020-02-05', paragraph: 20 });
    expect(decided.status).toBe('decided');
    expect(decided.clauses.filter((k: { proposal: boolean }) => k.proposal).map((k: { toBodyName: string }) => k.toBodyName)).toEqual(['Kommunfullmäktige', 'Kommunfullmäktige', 'Kommunfullmäktige']);
    // The conditional att-sats is recorded with its condition.
    expect(decided.clauses[3].condition).toBe('under förutsättning att kommunfullmäktige antar Program med tillhörande plan för trygghet och säkerhet');
    // Nothing happened to the strategy or the program, and no assignment was given to KS by KS's proposal to KF.
    expect(await strategy()).toMatchObject({ status: 'in_force', status_decision_id: null });
    expect((await ctx.database.db.execute<{ status: string }>(sql`select status from governing_documents where title = 'Program för trygghet och säkerhet i Lunds kommun'`)).rows[0].status).toBe('draft');
    expect(decided.clauses[1].assignmentId).toBeNull();
    expect(decided.clauses[3].assignmentId).toBeTruthy();

    // KS's proposal goes to KF: a draft of KF's decision with the three att-satser as KF's own.
    const kf = (await send('POST', `/api/decisions/${proposal.id}/forward`, { bodyOrganisationId: decided.clauses[0].toBodyOrganisationId })) as Record<string, any>;
    expect(kf).toMatchObject({ status: 'draft', bodyShortName: 'KF', preparedByDecisionId: proposal.id });
    expect(kf.clauses.map((k: { text: string; proposal: boolean; toBodyOrganisationId: string | null }) => [k.text.slice(0, 20), k.proposal, k.toBodyOrganisationId])).toEqual([
      ['att anta Program för', false, null],
      ['att ge kommunstyrels', false, null],
      ['att Strategi för vål', false, null],
    ]);
    version = kf.version;
    version = (await send('PATCH', `/api/decisions/${kf.id}/clauses/${kf.clauses[1].id}`, { version, dueDate: '2020-12-31' })).version;
    const kfDecided = await send('POST', `/api/decisions/${kf.id}/decide`, { version, decidedOn: '2020-02-27', paragraph: 31 });
    expect(kfDecided.status).toBe('decided');
    const after = await strategy();
    expect(after).toMatchObject({ status: 'repealed', status_decision_id: kf.id });
    // … and the program is adopted by KF's decision.
    const program = (await ctx.database.db.execute<{ status: string; decision_id: string | null }>(sql`select status, decision_id from governing_documents where title = 'Program för trygghet och säkerhet i Lunds kommun'`)).rows[0];
    expect(program).toMatchObject({ status: 'in_force', decision_id: kf.id });
    const doc = await get(`/api/documents/${after.id}`);
    expect(doc.status).toBe('repealed');
    expect(doc.validTo).toBe('2020-02-27');
  });
});
