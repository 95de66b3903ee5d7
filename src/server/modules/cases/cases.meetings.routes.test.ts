import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createCase, createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { api } from '../../../../test/helpers/http.ts';
import { pdfText } from '../../../../test/helpers/pdf.ts';
import { appealEndsOn } from '../../../shared/appeal.ts';
import { todayInStockholm } from '../../lib/time.ts';

/**
 * Issue #11 item 1: the meeting process. A meeting's agenda is built from the cases put on it; its minutes
 * have numbered §§, attendance and reservations; the chair and the appointed adjusters adjust them (one §
 * may be adjusted at once); the notice of the adjusted minutes goes on the public notice board with the
 * last day of the three-week appeal period; the case shows that clock; dispatch only after adjustment.
 */
let ctx: TestContext;
let officer: string; // handles Kommunkontoret's cases: the meeting's secretary here
let chair: string; // samordnare: appointed chair
let adjuster: string; // lasare: appointed adjuster
let registrar: string; // reads everything, adjusts nothing
const ids: Record<string, string> = {};
const { call, ok, fails } = api(() => ctx.app);
const today = todayInStockholm();

beforeAll(async () => {
  ctx = await createTestApp();
  for (const k of ['ks', 'tn', 'kk']) ids[k] = await orgId(ctx.database, k);
  officer = await signIn(ctx.app, 'handlaggare@lund.example');
  chair = await signIn(ctx.app, 'samordnare@lund.example');
  adjuster = await signIn(ctx.app, 'lasare@lund.example');
  registrar = await signIn(ctx.app, 'registrator@lund.example');
});
afterAll(() => ctx?.close());

const userId = async (email: string) => (await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = ${email}`)).rows[0].id;

describe('the meeting process', () => {
  it('agenda, minutes, adjustment, immediate adjustment, notice board, appeal clock and dispatch after adjustment', async () => {
    // The meeting and its notice; two cases on the agenda with the draft decisions they take up.
    const meeting = await ok(officer, 'POST', '/api/meetings', { bodyOrganisationId: ids.ks, meetingDate: today, title: 'Kommunstyrelsen' }, 201);
    let m = await ok(officer, 'PATCH', `/api/meetings/${meeting.id}`, { version: 1, startsAt: '13.00', location: 'Stadshuset, Stora salen', minutesKeptAt: 'Kommunkontoret, Kyrkogatan 21' });
    const c1 = await createCase(ctx.database, { title: 'Program för trygghet och säkerhet' });
    const c2 = await createCase(ctx.database, { title: 'Krisledningsnämndens reglemente' });
    const draft = async (caseId: string, title: string) =>
      ok(officer, 'POST', `/api/cases/${caseId}/decisions`, { bodyOrganisationId: ids.ks, title, clauses: [{ text: 'att anta förslaget' }] }, 201);
    const d1 = await draft(c1.id, 'Program för trygghet och säkerhet');
    const d2 = await draft(c2.id, 'Krisledningsnämndens reglemente');
    m = await ok(officer, 'POST', `/api/meetings/${meeting.id}/items`, { caseId: c1.id, decisionId: d1.id }, 201);
    m = await ok(officer, 'POST', `/api/meetings/${meeting.id}/items`, { caseId: c2.id, decisionId: d2.id }, 201);
    expect(m).toMatchObject({ startsAt: '13.00', location: 'Stadshuset, Stora salen', hiddenItems: 0 });
    expect(m.items.map((i: { ordinal: number; registryNumber: string }) => [i.ordinal, i.registryNumber])).toEqual([[1, c1.registryNumber], [2, c2.registryNumber]]);
    await fails(officer, 'POST', `/api/meetings/${meeting.id}/items`, { caseId: c1.id }, 409, 'MEETING_ITEM_EXISTS');
    const other = await createCase(ctx.database);
    await fails(officer, 'POST', `/api/meetings/${meeting.id}/items`, { caseId: other.id, decisionId: d1.id }, 400, 'VALIDATION_FAILED');

    // The decisions are taken at the meeting: §§ of its minutes; attendance and a reservation.
    const dec1 = await ok(officer, 'POST', `/api/decisions/${d1.id}/decide`, { version: d1.version, decidedOn: today, paragraph: 12 });
    await ok(officer, 'POST', `/api/decisions/${d2.id}/decide`, { version: d2.version, decidedOn: today, paragraph: 13 });
    expect(dec1).toMatchObject({ meetingId: meeting.id, adjustedOn: null, notice: null });
    m = (await ok(officer, 'GET', `/api/meetings/${meeting.id}`)) as Record<string, any>;
    m = await ok(officer, 'PUT', `/api/meetings/${meeting.id}/attendees`, {
      version: m.version,
      attendees: [
        { name: 'Anna Ordförande', role: 'chair', party: 'S' },
        { name: 'Bertil Ledamot', role: 'member', party: 'M' },
        { name: 'Cecilia Ersättare', role: 'substitute_serving', party: 'C' },
        { name: 'David Ledamot', role: 'member', party: 'V', present: false },
      ],
    });
    expect(m.attendees.map((a: { name: string; present: boolean }) => [a.name, a.present])).toEqual([['Anna Ordförande', true], ['Bertil Ledamot', true], ['Cecilia Ersättare', true], ['David Ledamot', false]]);
    m = await ok(officer, 'POST', `/api/decisions/${d1.id}/reservations`, { name: 'Bertil Ledamot', party: 'M', written: true }, 201);
    expect(m.paragraphs.map((p: { paragraph: number }) => p.paragraph)).toEqual([12, 13]);
    expect(m.paragraphs[0].reservations).toEqual([expect.objectContaining({ name: 'Bertil Ledamot', party: 'M', written: true })]);

    // Dispatch before adjustment: a Swedish 409, nothing dispatched.
    let dec = await ok(officer, 'PUT', `/api/decisions/${d1.id}/dispatch-list`, { version: dec1.version, organisationIds: [ids.tn], file: true });
    const refused = await fails(officer, 'POST', `/api/decisions/${d1.id}/dispatch`, { version: dec.version }, 409, 'DECISION_NOT_ADJUSTED');
    expect(refused.message).toContain('justerat');
    dec = await ok(officer, 'GET', `/api/decisions/${d1.id}`);
    expect(dec.dispatch.every((e: { status: string }) => e.status === 'pending')).toBe(true);

    // No adjusters yet; a notice before adjustment is refused.
    await fails(chair, 'POST', `/api/meetings/${meeting.id}/adjust`, {}, 409, 'ADJUSTERS_MISSING');
    await fails(officer, 'POST', `/api/meetings/${meeting.id}/notice`, {}, 409, 'MINUTES_NOT_ADJUSTED');
    m = await ok(officer, 'PUT', `/api/meetings/${meeting.id}/adjusters`, { version: m.version, chairUserId: await userId('samordnare@lund.example'), adjusterUserIds: [await userId('lasare@lund.example')] });
    expect(m.adjusters.map((a: { name: string; role: string; signedOn: string | null }) => [a.role, a.signedOn])).toEqual([['adjuster', null], ['chair', null]].sort());

    // Someone who is not an adjuster: 403 in Swedish, nothing signed.
    for (const who of [registrar, officer]) {
      const e = await fails(who, 'POST', `/api/meetings/${meeting.id}/adjust`, {}, 403, 'NOT_AN_ADJUSTER');
      expect(e.message).toContain('inte utsedd att justera');
    }
    expect((await ctx.database.db.execute(sql`select 1 from meeting_signatures where meeting_id = ${meeting.id}`)).rows).toHaveLength(0);

    // § 13 is adjusted at once; then it may be dispatched and posted on its own.
    m = await ok(officer, 'PUT', `/api/decisions/${d2.id}/immediate-adjustment`, { immediate: true });
    await fails(chair, 'POST', `/api/meetings/${meeting.id}/adjust`, { decisionId: d1.id }, 409, 'NOT_IMMEDIATE');
    await ok(chair, 'POST', `/api/meetings/${meeting.id}/adjust`, { decisionId: d2.id });
    await fails(chair, 'POST', `/api/meetings/${meeting.id}/adjust`, { decisionId: d2.id }, 409, 'ALREADY_SIGNED');
    m = await ok(adjuster, 'POST', `/api/meetings/${meeting.id}/adjust`, { decisionId: d2.id });
    expect(m.paragraphs[1]).toMatchObject({ immediateAdjustment: true, adjustedOn: today });
    expect(m.paragraphs[0].adjustedOn).toBeNull();
    expect(m.adjustedOn).toBeNull();
    m = await ok(officer, 'POST', `/api/meetings/${meeting.id}/notice`, { decisionId: d2.id }, 201);
    expect(m.paragraphs[1].notice).toMatchObject({ postedOn: today, appealEndsOn: appealEndsOn(today) });
    expect(m.notice).toBeNull();

    // The minutes: the chair, then the adjuster; adjusted when both have signed.
    m = await ok(chair, 'POST', `/api/meetings/${meeting.id}/adjust`, {});
    expect(m.adjustedOn).toBeNull();
    m = await ok(adjuster, 'POST', `/api/meetings/${meeting.id}/adjust`, {});
    expect(m.adjustedOn).toBe(today);
    expect(m.adjusters.every((a: { signedOn: string | null }) => a.signedOn === today)).toBe(true);
    await fails(adjuster, 'POST', `/api/meetings/${meeting.id}/adjust`, {}, 409, 'MINUTES_ADJUSTED');
    // Adjusted minutes are fixed: no reservation, no new § at that meeting.
    await fails(officer, 'POST', `/api/decisions/${d1.id}/reservations`, { name: 'Erik Sen' }, 409, 'MINUTES_ADJUSTED');
    const late = await draft(c1.id, 'Ett beslut för sent');
    await fails(officer, 'POST', `/api/decisions/${late.id}/decide`, { version: late.version, decidedOn: today, paragraph: 14 }, 409, 'MINUTES_ADJUSTED');

    // The notice on the board: posted today, the appeal period ends three weeks later (the next working day).
    await fails(officer, 'POST', `/api/meetings/${meeting.id}/notice`, { postedOn: '2000-01-01' }, 400, 'NOTICE_DATE_INVALID');
    m = await ok(officer, 'POST', `/api/meetings/${meeting.id}/notice`, {}, 201);
    expect(m.notice).toMatchObject({ postedOn: today, appealEndsOn: appealEndsOn(today) });
    await fails(officer, 'POST', `/api/meetings/${meeting.id}/notice`, {}, 409, 'NOTICE_ALREADY_POSTED');

    // The case shows the clock.
    const decisions = (await ok(officer, 'GET', `/api/cases/${c1.id}/decisions`)).items as Record<string, any>[];
    const shown = decisions.find((d) => d.id === d1.id)!;
    expect(shown).toMatchObject({ adjustedOn: today, notice: { postedOn: today, appealEndsOn: appealEndsOn(today) } });
    expect(shown.notice.daysLeft).toBeGreaterThanOrEqual(21);

    // The public notice board: no sign-in, no case text.
    const board = await call(undefined, 'GET', '/api/notice-board');
    expect(board.statusCode).toBe(200);
    const items = (board.json().items as Record<string, any>[]).filter((i) => i.meetingDate === today && i.bodyName === 'Kommunstyrelsen');
    expect(items.map((i) => [i.kind, i.paragraphs])).toEqual(expect.arrayContaining([['minutes', '§ 12–13'], ['paragraph', '§ 13']]));
    expect(items.find((i) => i.kind === 'minutes')).toMatchObject({ adjustedOn: today, postedOn: today, appealEndsOn: appealEndsOn(today), minutesKeptAt: 'Kommunkontoret, Kyrkogatan 21' });
    expect(board.body).not.toContain('Program för trygghet');
    expect(board.body).not.toContain(c1.registryNumber);

    // Dispatch follows adjustment; the extract carries the adjustment, the notice and "Rätt utdraget intygar".
    dec = await ok(officer, 'GET', `/api/decisions/${d1.id}`);
    const sent = await ok(officer, 'POST', `/api/decisions/${d1.id}/dispatch`, { version: dec.version });
    expect(sent.filed).toBeTruthy();
    const pdf = await call(officer, 'GET', `/api/decisions/${d1.id}/extract.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    expect(text).toContain(`Protokollet justerades ${today}`);
    expect(text).toContain('Sam Samordnare (ordförande)');
    expect(text).toContain('Lars Läsare (justerare)');
    expect(text).toContain(`går ut ${appealEndsOn(today)}`);
    expect(text).toContain('Rätt utdraget intygar');
    expect(text).toContain('Hugo Handläggare');

    // The notice with its agenda, and the minutes, as PDF.
    const agenda = (await pdfText((await call(officer, 'GET', `/api/meetings/${meeting.id}/agenda.pdf`)).rawPayload)).replace(/\s+/g, ' ');
    expect(agenda).toContain('Kallelse');
    expect(agenda).toContain('Stadshuset, Stora salen');
    expect(agenda).toContain(c1.registryNumber);
    const protocol = (await pdfText((await call(adjuster, 'GET', `/api/meetings/${meeting.id}/minutes.pdf`)).rawPayload)).replace(/\s+/g, ' ');
    expect(protocol).toContain('§ 12 Program för trygghet och säkerhet');
    expect(protocol).toContain('Bertil Ledamot (M) reserverar sig mot beslutet till förmån för en skriftlig reservation');
    expect(protocol).toContain('David Ledamot');
    expect(protocol).toContain(`Protokollet justerades ${today}.`);
    expect(protocol).toContain('att anta förslaget');
  });

  it("only those who handle cases on the body or under it manage its meeting: a committee's officer may not appoint KS's adjusters", async () => {
    const u = await createUser(ctx.database, { homeOrganisationId: ids.tn, grants: [{ organisationId: ids.tn, role: 'officer' }] });
    const tnOfficer = await signIn(ctx.app, u.email);
    const meeting = await ok(officer, 'POST', '/api/meetings', { bodyOrganisationId: ids.ks, meetingDate: '2031-06-06' }, 201);
    await fails(tnOfficer, 'POST', '/api/meetings', { bodyOrganisationId: ids.ks, meetingDate: '2031-06-07' }, 403, 'FORBIDDEN');
    await fails(tnOfficer, 'PUT', `/api/meetings/${meeting.id}/adjusters`, { version: 1, chairUserId: u.id, adjusterUserIds: [await userId('lasare@lund.example')] }, 403, 'FORBIDDEN');
    await fails(tnOfficer, 'POST', `/api/meetings/${meeting.id}/notice`, {}, 403, 'FORBIDDEN');
    expect((await ok(tnOfficer, 'GET', `/api/meetings/${meeting.id}`)).mayManage).toBe(false);
    expect((await ok(officer, 'GET', `/api/meetings/${meeting.id}`)).mayManage).toBe(true);
    expect((await ctx.database.db.execute(sql`select 1 from meeting_adjusters where meeting_id = ${meeting.id}`)).rows).toHaveLength(0);
  });

  it('a meeting is not found for those who read no cases; the board is public', async () => {
    const reporter = await signIn(ctx.app, 'rapportor.son@lund.example');
    const meeting = await ok(officer, 'POST', '/api/meetings', { bodyOrganisationId: ids.ks, meetingDate: '2031-05-05' }, 201);
    await fails(reporter, 'GET', `/api/meetings/${meeting.id}`, undefined, 404, 'MEETING_NOT_FOUND');
    await fails(reporter, 'POST', `/api/meetings/${meeting.id}/adjust`, {}, 404, 'MEETING_NOT_FOUND');
    await fails(undefined, 'GET', `/api/meetings/${meeting.id}`, undefined, 401, 'UNAUTHENTICATED');
  });
});
