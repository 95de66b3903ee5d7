/**
 * Issue #13 item 6: the start page's agenda — what needs the person now — for every role, each list
 * through the access core: a reporter sees their committee's reports and nothing of others', a coordinator
 * their incident tasks, the new incidents they handle and the documents due for review, a partner what is
 * shared with them and whom to ask.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Agenda } from '../../../shared/schemas/agenda.ts';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { api } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const cats: Record<string, string> = {};
const { ok, fails } = api(() => ctx.app, { created: (method, url) => method === 'POST' && !url.endsWith('/revoke') });
const agendaOf = (who: string) => ok<Agenda>(cookies[who], 'GET', '/api/me/agenda');
const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
const inDays = (n: number) => {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  ctx = await createTestApp();
  for (const [k, email] of Object.entries({
    coordinator: 'samordnare@lund.example',
    reporterSon: 'rapportor.son@lund.example',
    reporterTn: 'rapportor.tn@lund.example',
    police: 'polisen@lund.example',
    reader: 'lasare@lund.example',
    adminSon: 'admin.son@lund.example',
    admin: 'admin@lund.example',
  }))
    cookies[k] = await signIn(ctx.app, email);
  for (const k of ['son', 'tn', 'polisen']) ids[k] = await orgId(ctx.database, k);
  for (const c of (await ok<{ items: { id: string; key: string }[] }>(cookies.reporterSon, 'GET', '/api/incident-categories')).items) cats[c.key] = c.id;
});
afterAll(async () => {
  await ctx?.close();
});

describe('GET /api/me/agenda', () => {
  it('needs a session', async () => {
    await fails(undefined, 'GET', '/api/me/agenda', undefined, 401, 'UNAUTHENTICATED');
  });

  it("a reporter sees their own committee's follow-up reports due, and nothing of another committee's", async () => {
    const son = await agendaOf('reporterSon');
    expect(son.reports.length).toBeGreaterThan(0);
    expect(new Set(son.reports.map((r) => r.organisationName))).toEqual(new Set(['Socialnämnden']));
    expect(son.reports.every((r) => r.state !== 'submitted' && r.deadline >= '2000-01-01')).toBe(true);
    // Sorted by deadline, so the nearest comes first.
    expect(son.reports.map((r) => r.deadline)).toEqual([...son.reports.map((r) => r.deadline)].sort());
    const tn = await agendaOf('reporterTn');
    expect(tn.reports.length).toBeGreaterThan(0);
    expect(tn.reports.every((r) => r.organisationName === 'Tekniska nämnden')).toBe(true);
    // A reporter handles no incidents, cases or documents, and is no partner.
    expect(son).toMatchObject({ incidentTasks: [], newIncidents: { count: 0 }, remisses: [], assignments: [], documentReviews: [], partner: null });
  });

  it('a coordinator sees the incident tasks given to them, the new incidents they handle and the documents due for review', async () => {
    const before = await agendaOf('coordinator');
    const inc = await ok<{ id: string }>(cookies.reporterSon, 'POST', '/api/incidents', { categoryId: cats.vandalism, description: 'Krossad ruta, agenda-test', organisationId: ids.son, place: 'Entrén' });
    const me = await ok<{ user: { id: string } }>(cookies.coordinator, 'GET', '/api/auth/me');
    await ok(cookies.coordinator, 'POST', `/api/incidents/${inc.id}/tasks`, { title: 'Ring fastighetsägaren', dueDate: inDays(3), assigneeId: me.user.id });
    // A document in force the municipality owns, due for review in ten days.
    const doc = await ctx.database.db.execute<{ id: string; title: string }>(sql`
      update governing_documents set next_review_on = ${inDays(10)}::date
      where id = (select id from governing_documents where status = 'in_force' and secrecy_ref is null order by title limit 1) returning id, title`);

    const after = await agendaOf('coordinator');
    expect(after.incidentTasks).toContainEqual(expect.objectContaining({ incidentId: inc.id, title: 'Ring fastighetsägaren', dueDate: inDays(3), categoryKey: 'vandalism' }));
    expect(after.newIncidents.count).toBe(before.newIncidents.count + 1);
    expect(after.documentReviews).toContainEqual({ id: doc.rows[0].id, title: doc.rows[0].title, nextReviewOn: inDays(10) });
    expect(after.partner).toBeNull();

    // The reporter who reported it gets no task or incident count; the reader (no incidents.manage, no documents.manage) neither.
    for (const who of ['reporterSon', 'reader']) {
      const a = await agendaOf(who);
      expect(a.incidentTasks).toEqual([]);
      expect(a.newIncidents.count).toBe(0);
      expect(a.documentReviews).toEqual([]);
    }
  });

  it("those who answer for a committee see its remisses still to be answered; others don't", async () => {
    // The demo's remiss round is answered and closed: reopen it with Socialnämnden's answer still due.
    const replyBy = inDays(20);
    const row = await ctx.database.db.execute<{ id: string; round_id: string }>(sql`
      update remiss_recipients set status = 'pending', reply_by = ${replyBy}::date
      where id = (select p.id from remiss_recipients p where p.organisation_id = ${ids.son} and p.channel = 'internal' limit 1) returning id, round_id`);
    await ctx.database.db.execute(sql`update remiss_rounds set status = 'open' where id = ${row.rows[0].round_id}`);
    const expected = expect.objectContaining({ recipientId: row.rows[0].id, organisationName: 'Socialnämnden', replyBy, registryNumber: 'KS 2018/0316' });
    // Socialnämnden's administrator (cases.handle there) and the coordinator (on the whole municipality) answer for it.
    expect((await agendaOf('adminSon')).remisses).toContainEqual(expected);
    expect((await agendaOf('coordinator')).remisses).toContainEqual(expected);
    // The committee's reporter and the reader (no cases.handle) do not; nor Tekniska nämnden's reporter.
    for (const who of ['reporterSon', 'reader', 'reporterTn']) expect((await agendaOf(who)).remisses, who).toEqual([]);
  });

  it('a partner learns that nothing is shared yet and whom to ask; once something is, how much and until when', async () => {
    const before = await agendaOf('police');
    expect(before).toMatchObject({ reports: [], incidentTasks: [], remisses: [], assignments: [], documentReviews: [], newIncidents: { count: 0 } });
    expect(before.partner).toEqual({ activeShares: 0, nextEnding: null, municipality: 'Lunds kommun', contacts: [{ name: 'Sam Samordnare', email: 'samordnare@lund.example' }] });
    // The administrator may see shares too, but is the sharing side: no partner section.
    expect((await agendaOf('admin')).partner).toBeNull();

    const inc = await ok<{ id: string }>(cookies.reporterSon, 'POST', '/api/incidents', { categoryId: cats.vandalism, description: 'Delas med polisen, agenda-test', organisationId: ids.son, place: 'Entrén' });
    const share = await ok<{ id: string; version: number }>(cookies.coordinator, 'POST', '/api/shares', { recordType: 'incident', recordId: inc.id, partnerOrganisationId: ids.polisen, reason: 'Polisens utredning', endsOn: inDays(14) });
    expect((await agendaOf('police')).partner).toMatchObject({ activeShares: 1, nextEnding: inDays(14) });

    // Revoked: nothing again, at once.
    await ok(cookies.coordinator, 'POST', `/api/shares/${share.id}/revoke`, { reason: 'Klart', version: share.version });
    expect((await agendaOf('police')).partner).toMatchObject({ activeShares: 0, nextEnding: null });
  });
});
