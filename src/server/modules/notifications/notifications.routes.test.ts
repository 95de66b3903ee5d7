/**
 * Issue #11 item 8: notifications — the in-app list (what needs the person, read/unread), e-mail
 * preferences, and the personal calendar feed behind a secret, revocable address. Everything through the
 * access core: nothing a person may not see, in the list or in the feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { NotificationList } from '../../../shared/schemas/notifications.ts';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { api, expectError } from '../../../../test/helpers/http.ts';
import { escapeText, foldLine } from './notifications.ical.ts';

let ctx: TestContext;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const { call, ok, fails } = api(() => ctx.app, { created: (method, url) => method === 'POST' && url === '/api/me/calendar-token' });
const listOf = (who: string) => ok<NotificationList>(cookies[who], 'GET', '/api/me/notifications');
const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
const inDays = (n: number) => {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const feed = (url: string) => ctx.app.inject({ method: 'GET', url: new URL(url).pathname });
type Report = { id: string; version: number; state: string; roundStatus: string; deadline: string; actionTitle: string };

/** The reporter submits one of their open reports and the coordinator returns it. */
async function submitAndReturn(comment: string) {
  const mine = await ok<{ items: Report[] }>(cookies.reporterSon, 'GET', '/api/follow-up-reports?mine=true');
  const r = mine.items.find((x) => x.roundStatus === 'open' && x.state !== 'submitted')!;
  expect(r, 'an open report of Socialnämnden').toBeTruthy();
  const submitted = await ok<Report>(cookies.reporterSon, 'POST', `/api/follow-up-reports/${r.id}/submit`, { version: r.version, actionStatus: 'in_progress', progress: 30 });
  await ok(cookies.coordinator, 'POST', `/api/follow-up-reports/${r.id}/return`, { version: submitted.version, comment });
  return r;
}
const mailsTo = async (to: string) =>
  (await ctx.database.db.execute<{ subject: string }>(sql`select payload->>'subject' as subject from jobs where type = 'mail.send' and payload->>'to' = ${to} order by created_at`)).rows.map((r) => r.subject);

beforeAll(async () => {
  ctx = await createTestApp();
  for (const k of ['son', 'tn']) ids[k] = await orgId(ctx.database, k);
  for (const [k, email] of Object.entries({ coordinator: 'samordnare@lund.example', reporterSon: 'rapportor.son@lund.example', reporterTn: 'rapportor.tn@lund.example' }))
    cookies[k] = await signIn(ctx.app, email);
  // An officer of Socialnämnden: handles its cases, but may not read secret ones (no cases.secret).
  const officer = await createUser(ctx.database, { homeOrganisationId: ids.son, grants: [{ organisationId: ids.son, role: 'officer', includeSubtree: true }] });
  cookies.officer = await signIn(ctx.app, officer.email);
});
afterAll(async () => {
  await ctx?.close();
});

describe('GET /api/me/notifications', () => {
  it('needs a session', async () => {
    await fails(undefined, 'GET', '/api/me/notifications', undefined, 401, 'UNAUTHENTICATED');
  });

  it("a reporter sees their committee's deadlines, and when their report is returned, that — unread — with the comment; an e-mail goes out", async () => {
    const before = await listOf('reporterSon');
    expect(before.items.some((i) => i.kind === 'deadline' || i.kind === 'overdue')).toBe(true);
    expect(before.items.every((i) => i.kind !== 'report_returned')).toBe(true);

    const r = await submitAndReturn('Ange antal deltagare, tack.');
    const after = await listOf('reporterSon');
    const returned = after.items.find((i) => i.kind === 'report_returned')!;
    expect(returned).toMatchObject({ subject: 'follow_up_report', recordId: r.id, title: r.actionTitle, read: false });
    expect(returned.detail).toContain('Ange antal deltagare, tack.');
    expect(after.unread).toBe(after.items.filter((i) => !i.read).length);
    expect(await mailsTo('rapportor.son@lund.example')).toContainEqual(expect.stringContaining('skickats tillbaka'));

    // Tekniska nämndens reporter sees nothing of it.
    expect((await listOf('reporterTn')).items.some((i) => i.recordId === r.id)).toBe(false);
  });

  it('marks one read, refuses another user\'s (404) and one that is not theirs to see, then marks all read', async () => {
    const list = await listOf('reporterSon');
    const stored = list.items.find((i) => i.kind === 'report_returned')!;
    const derived = list.items.find((i) => i.id.includes(':'))!;
    // Another user cannot mark it read, nor a derived one of someone else's committee.
    await fails(cookies.reporterTn, 'POST', `/api/me/notifications/${stored.id}/read`, undefined, 404, 'NOTIFICATION_NOT_FOUND');
    await fails(cookies.reporterTn, 'POST', `/api/me/notifications/${derived.id}/read`, undefined, 404, 'NOTIFICATION_NOT_FOUND');
    expect((await listOf('reporterSon')).items.find((i) => i.id === stored.id)!.read).toBe(false);
    await fails(cookies.reporterSon, 'POST', '/api/me/notifications/inte-ett-id/read', undefined, 400, 'VALIDATION_FAILED');

    await ok(cookies.reporterSon, 'POST', `/api/me/notifications/${stored.id}/read`);
    await ok(cookies.reporterSon, 'POST', `/api/me/notifications/${derived.id}/read`);
    const mid = await listOf('reporterSon');
    expect(mid.items.find((i) => i.id === stored.id)!.read).toBe(true);
    expect(mid.items.find((i) => i.id === derived.id)!.read).toBe(true);
    expect(mid.unread).toBe(list.unread - 2);

    await ok(cookies.reporterSon, 'POST', '/api/me/notifications/read-all');
    const all = await listOf('reporterSon');
    expect(all.unread).toBe(0);
    expect(all.items.every((i) => i.read)).toBe(true);
  });

  it('a secret case\'s assignment never reaches one who may not read it, in the list or in the feed', async () => {
    const marker = `HEMLIGT-UPPDRAG-${Date.now()}`;
    const a = await ctx.database.db.execute<{ id: string; case_id: string }>(sql`
      update assignments set organisation_id = ${ids.son}, status = 'open', due_date = ${inDays(7)}::date, text = ${marker}
      where id = (select id from assignments order by created_at limit 1) returning id, case_id`);
    expect(a.rows.length).toBe(1);
    // Open: the officer who handles Socialnämnden's cases sees it (the positive control).
    expect((await listOf('officer')).items.some((i) => i.title === marker)).toBe(true);
    await ctx.database.db.execute(sql`update cases set secrecy_ref = '18 kap. 8 § OSL', secrecy_reason = 'Test', secrecy_marked_at = now() where id = ${a.rows[0].case_id}`);

    const officer = await listOf('officer');
    expect(JSON.stringify(officer)).not.toContain(marker);
    const cal = await ok<{ url: string }>(cookies.officer, 'POST', '/api/me/calendar-token');
    const res = await feed(cal.url);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(marker);
    // The coordinator (cases.secret) still sees it: the filter is the access core's, not a blanket removal.
    expect((await listOf('coordinator')).items.some((i) => i.title === marker && i.kind === 'assignment')).toBe(true);
    // A stored event about a report the user may not see is not shown either.
    const tnUser = (await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = 'rapportor.tn@lund.example'`)).rows[0].id;
    const sonReport = (await ctx.database.db.execute<{ id: string }>(sql`select id from follow_up_reports where organisation_id = ${ids.son} limit 1`)).rows[0].id;
    await ctx.database.db.execute(sql`insert into notifications (user_id, kind, record_type, record_id) values (${tnUser}, 'report_returned', 'follow_up_report', ${sonReport})`);
    expect((await listOf('reporterTn')).items.some((i) => i.recordId === sonReport)).toBe(false);
  });
});

describe('e-mail preferences', () => {
  it('GET/PUT /api/me/notification-settings: the returned-report mail is sent only when chosen', async () => {
    expect(await ok(cookies.reporterSon, 'GET', '/api/me/notification-settings')).toEqual({ emailKinds: ['report_returned'], available: ['report_returned'] });
    await fails(cookies.reporterSon, 'PUT', '/api/me/notification-settings', { emailKinds: ['okänd'] }, 400, 'VALIDATION_FAILED');
    expect(await ok(cookies.reporterSon, 'PUT', '/api/me/notification-settings', { emailKinds: [] })).toEqual({ emailKinds: [], available: ['report_returned'] });
    expect(await ok(cookies.reporterSon, 'GET', '/api/me/notification-settings')).toMatchObject({ emailKinds: [] });

    const mailsBefore = (await mailsTo('rapportor.son@lund.example')).length;
    await submitAndReturn('Komplettera igen.');
    expect((await mailsTo('rapportor.son@lund.example')).length).toBe(mailsBefore);
    // Still in the list.
    expect((await listOf('reporterSon')).items.filter((i) => i.kind === 'report_returned').length).toBe(2);
    // Another user's settings are their own.
    expect(await ok(cookies.reporterTn, 'GET', '/api/me/notification-settings')).toMatchObject({ emailKinds: ['report_returned'] });
    await ok(cookies.reporterSon, 'PUT', '/api/me/notification-settings', { emailKinds: ['report_returned'] });
  });
});

describe('the calendar feed', () => {
  it("holds the reporter's follow-up deadline as iCalendar; rotating replaces the address; after revoking it answers 404", async () => {
    expect(await ok(cookies.reporterSon, 'GET', '/api/me/calendar-token')).toEqual({ active: false, createdAt: null });
    const created = await ok<{ token: string; url: string }>(cookies.reporterSon, 'POST', '/api/me/calendar-token');
    expect(created.url).toMatch(/\/api\/calendar\/[A-Za-z0-9_-]{40,}\.ics$/);
    expect(await ok(cookies.reporterSon, 'GET', '/api/me/calendar-token')).toMatchObject({ active: true });
    // Only the hash is stored.
    const stored = await ctx.database.db.execute<{ token_hash: string }>(sql`select token_hash from calendar_tokens`);
    expect(stored.rows.some((r) => r.token_hash === created.token)).toBe(false);

    const res = await feed(created.url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const body = res.body;
    expect(body.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const deadlines = (await ok<NotificationList>(cookies.reporterSon, 'GET', '/api/me/notifications')).items.filter((i) => i.subject === 'follow_up_report' && i.id.includes(':'));
    expect(deadlines.length).toBeGreaterThan(0);
    expect(body).toContain(`DTSTART;VALUE=DATE:${deadlines[0].dueOn!.replace(/-/g, '')}`);
    expect(body).toContain(`UID:report:${deadlines[0].recordId}@trygg`);
    // Without a session: nobody else's session is needed, and a cookie changes nothing.
    expect((await ctx.app.inject({ method: 'GET', url: new URL(created.url).pathname, headers: { cookie: cookies.reporterTn } })).body.includes(`report:${deadlines[0].recordId}`)).toBe(true);

    // Rotating: the old address stops working.
    const rotated = await ok<{ url: string }>(cookies.reporterSon, 'POST', '/api/me/calendar-token');
    expectError(await feed(created.url), 404, 'CALENDAR_NOT_FOUND');
    expect((await feed(rotated.url)).statusCode).toBe(200);

    await ok(cookies.reporterSon, 'DELETE', '/api/me/calendar-token');
    const gone = expectError(await feed(rotated.url), 404, 'CALENDAR_NOT_FOUND');
    expect(gone.message).toMatch(/återkallats/);
    await fails(cookies.reporterSon, 'DELETE', '/api/me/calendar-token', undefined, 404, 'CALENDAR_NOT_FOUND');
    expectError(await call(undefined, 'GET', '/api/calendar/okand.ics'), 404, 'CALENDAR_NOT_FOUND');
  });

  it('a deactivated user\'s address answers 404', async () => {
    const u = await createUser(ctx.database, { homeOrganisationId: ids.son, grants: [{ organisationId: ids.son, role: 'reporter' }] });
    const c = await signIn(ctx.app, u.email);
    const created = await ok<{ url: string }>(c, 'POST', '/api/me/calendar-token');
    expect((await feed(created.url)).statusCode).toBe(200);
    await ctx.database.db.execute(sql`update users set active = false where id = ${u.id}`);
    expectError(await feed(created.url), 404, 'CALENDAR_NOT_FOUND');
  });

  it('escapes text and folds long lines as RFC 5545 says', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const folded = foldLine(`SUMMARY:${'å'.repeat(60)}`);
    expect(folded.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(folded.split('\r\n').slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'å'.repeat(60)}`);
  });
});

describe('the duty to report a serious staff incident (issue #11 items 5 and 8)', () => {
  it('is in the list and the calendar of those who handle the incident, overdue once its hours have passed, gone when it is done; not for others', async () => {
    const cats = await ok<{ items: { id: string; key: string }[] }>(cookies.coordinator, 'GET', '/api/incident-categories');
    const staffThreat = cats.items.find((c) => c.key === 'staff_threat')!.id;
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const reported = await call(cookies.reporterSon, 'POST', '/api/incidents', {
      categoryId: staffThreat,
      description: 'En besökare hotade en handläggare i receptionen',
      organisationId: ids.son,
      place: 'Receptionen',
      occurredAt: at,
      knownAt: at,
      staff: { victimRole: 'employee', perpetratorRelation: 'member_of_public', sickLeave: false },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const inc = reported.json() as { id: string; clocks: { state: string }[] };
    expect(inc.clocks.map((c) => c.state)).toEqual(['running']);
    const duty = (list: NotificationList) => list.items.find((i) => i.subject === 'work_environment_report' && i.recordId === inc.id);

    const running = duty(await listOf('coordinator'));
    expect(running).toMatchObject({ kind: 'deadline', title: expect.stringContaining('Anmälan till Arbetsmiljöverket'), read: false });
    // Neither the reporter (who may not handle it) nor another committee's reporter gets the duty.
    expect(duty(await listOf('reporterSon'))).toBeUndefined();
    expect(duty(await listOf('reporterTn'))).toBeUndefined();
    // In English for a reader who chose English.
    await ctx.database.db.execute(sql`update users set locale = 'en' where email = 'samordnare@lund.example'`);
    expect(duty(await listOf('coordinator'))?.title).toContain('Work Environment Authority');
    await ctx.database.db.execute(sql`update users set locale = 'sv' where email = 'samordnare@lund.example'`);

    // Its hours have passed: overdue, and in the calendar feed.
    await ctx.database.db.execute(sql`update incident_clocks set started_at = now() - interval '3 days' where incident_id = ${inc.id}`);
    expect(duty(await listOf('coordinator'))?.kind).toBe('overdue');
    const cal = await ok<{ url: string }>(cookies.coordinator, 'POST', '/api/me/calendar-token');
    const res = await feed(cal.url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`workenv:`);
    expect(res.body).toContain('Anmälan till Arbetsmiljöverket');

    // Assessed as not serious: the clock stops and the duty is gone.
    await ok(cookies.coordinator, 'PUT', `/api/incidents/${inc.id}/work-environment`, { version: null, serious: false, injury: false, assessmentNote: 'Inget hot om våld.' });
    expect(duty(await listOf('coordinator'))).toBeUndefined();
  });
});
