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
    expect(recipients).toHaveLength(16);
    expect(recipients.every((r) => r.status === 'answered')).toBe(true);
    expect(recipients.find((r) => r.organisationName === 'Barn- och skolnämnden')?.reply).toMatchObject({ receivedOn: '2019-04-24', paragraph: 37 });
    expect(recipients.find((r) => r.organisationName === 'Tekniska nämnden')?.reply).toMatchObject({ receivedOn: '2019-05-18', paragraph: 118 });

    const decisions = (await get(`/api/cases/${ks.id}/decisions`)).items as Record<string, any>[];
    expect(decisions.find((d) => d.kind === 'referral_back')).toMatchObject({ bodyShortName: 'KS', decidedOn: '2019-12-04', paragraph: 333, status: 'decided' });
    const proposal = decisions.find((d) => d.status === 'draft')!;
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
    const lacking = proposal.clauses.flatMap((k: { effect: string; dueDate: string | null }, i: number) => (k.effect === 'assignment' && !k.dueDate ? [{ path: `clauses.${i}.dueDate`, code: 'DUE_DATE_REQUIRED' }] : []));
    expect(lacking.length).toBeGreaterThan(0);
    expect(proposal.missing).toEqual(lacking);

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
    for (const k of proposal.clauses.filter((c: { effect: string }) => c.effect === 'assignment'))
      version = (await send('PATCH', `/api/decisions/${proposal.id}/clauses/${k.id}`, { version, dueDate: '2021-06-30' })).version;
    expect((await get(`/api/decisions/${proposal.id}`)).missing).toEqual([]);
  });

  it('recording the proposed decision turns the strategy to upphävd in the register, with a link to the decision', async () => {
    const strategy = async () =>
      (await ctx.database.db.execute<{ id: string; status: string; status_decision_id: string | null }>(
        sql`select id, status, status_decision_id from governing_documents where title = 'Strategi för våld i nära relationer 2017-2022'`,
      )).rows[0];
    expect((await strategy()).status).toBe('in_force');

    const ks = (await get(`/api/cases?q=${encodeURIComponent('KS 2018/0316')}`)).items[0];
    const proposal = ((await get(`/api/cases/${ks.id}/decisions`)).items as Record<string, any>[]).find((d) => d.status === 'draft')!;
    let version = proposal.version;
    // The assignments need their deadlines before the decision can be taken.
    for (const k of proposal.clauses.filter((c: { effect: string }) => c.effect === 'assignment'))
      version = (await send('PATCH', `/api/decisions/${proposal.id}/clauses/${k.id}`, { version, dueDate: '2021-06-30' })).version;
    const decided = await send('POST', `/api/decisions/${proposal.id}/decide`, { version, decidedOn: '2020-02-05', paragraph: 20 });
    expect(decided.status).toBe('decided');

    const after = await strategy();
    expect(after).toMatchObject({ status: 'repealed', status_decision_id: proposal.id });
    const doc = await get(`/api/documents/${after.id}`);
    expect(doc.status).toBe('repealed');
    expect(doc.validTo).toBe('2020-02-05');
  });
});
