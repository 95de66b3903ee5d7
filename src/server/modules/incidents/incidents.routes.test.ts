import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { verifyAuditChain } from '../../lib/audit.ts';
import { api, expectError } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
let admin: string;
let coordinator: string;
let reporterSon: string;
let reporterTn: string;
let reader: string;
let partner: string;
const ids: Record<string, string> = {};
const cats: Record<string, string> = {};
const LUND = { lat: 55.7047, lon: 13.191 };

const { ok, fails, upload } = api(() => ctx.app, { created: (method, url) => method === 'POST' && !/strike|stop|import/.test(url) });
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx.app, 'admin@lund.example');
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reporterSon = await signIn(ctx.app, 'rapportor.son@lund.example');
  reporterTn = await signIn(ctx.app, 'rapportor.tn@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  partner = await signIn(ctx.app, 'polisen@lund.example');
  for (const k of ['son', 'tn', 'lund', 'ks']) ids[k] = await orgId(ctx.database, k);
  for (const c of (await ok<{ items: { id: string; key: string }[] }>(reporterSon, 'GET', '/api/incident-categories')).items) cats[c.key] = c.id;
});
afterAll(() => ctx?.close());

const vandalism = (over: object = {}) => ({ categoryId: cats.vandalism, description: 'Krossad ruta vid entrén', organisationId: ids.son, location: LUND, premises: 'Vårdboendet', ...over });
const staffThreat = (over: object = {}) => ({
  categoryId: cats.staff_threat,
  description: 'En elev hotade en lärare med kniv i korridoren',
  organisationId: ids.son,
  place: 'Skolan, korridor B',
  staff: { victimRole: 'employee', perpetratorRelation: 'student', policeReportNumber: '5000-K123456-26', sickLeave: true, sickLeaveDays: 3 },
  ...over,
});

describe('incident categories', () => {
  it('has the default set, with threats and violence against staff as a restricted category', async () => {
    const { items } = await ok<{ items: { key: string; name: string; staffSafety: boolean; active: boolean }[] }>(reader, 'GET', '/api/incident-categories');
    const keys = items.map((c) => c.key);
    for (const k of ['vandalism', 'graffiti', 'fire', 'burglary', 'theft', 'threats', 'violence', 'disorder', 'drugs', 'littering', 'unsafe_place', 'traffic', 'it_security', 'accident', 'near_miss', 'staff_threat'])
      expect(keys).toContain(k);
    expect(items.find((c) => c.key === 'staff_threat')).toMatchObject({ staffSafety: true, active: true });
    expect(items.filter((c) => c.staffSafety).map((c) => c.key)).toEqual(['staff_threat']);
  });

  it('administrators add and change categories with their own fields; others may not', async () => {
    const key = `cat_${randomBytes(3).toString('hex')}`;
    const created = await ok(admin, 'POST', '/api/incident-categories', { key, name: 'Buskörning', fields: [{ key: 'vehicles', label: 'Antal fordon', type: 'number', required: true }] });
    expect(created).toMatchObject({ key, name: 'Buskörning', active: true, staffSafety: false, version: 1 });
    await fails(admin, 'POST', '/api/incident-categories', { key, name: 'Igen' }, 409, 'CATEGORY_KEY_TAKEN');
    await fails(coordinator, 'POST', '/api/incident-categories', { key: 'x_other', name: 'Nej' }, 403, 'FORBIDDEN');
    // The field is required and typed.
    await fails(reporterSon, 'POST', '/api/incidents', { categoryId: created.id, description: 'Mopeder i parken', organisationId: ids.son }, 400, 'VALIDATION_FAILED');
    const wrongType = await fails(reporterSon, 'POST', '/api/incidents', { categoryId: created.id, description: 'Mopeder', organisationId: ids.son, extra: { vehicles: 'många' } }, 400, 'VALIDATION_FAILED');
    expect(wrongType.fields?.[0].path).toBe('extra.vehicles');
    await ok(reporterSon, 'POST', '/api/incidents', { categoryId: created.id, description: 'Mopeder', organisationId: ids.son, extra: { vehicles: 4 } });
    // Deactivated: no new reports in it.
    const off = await ok(admin, 'PATCH', `/api/incident-categories/${created.id}`, { version: 1, active: false });
    expect(off).toMatchObject({ active: false, version: 2 });
    const inactive = await fails(reporterSon, 'POST', '/api/incidents', { categoryId: created.id, description: 'Mopeder', organisationId: ids.son, extra: { vehicles: 1 } }, 400, 'VALIDATION_FAILED');
    expect(inactive.fields?.[0]).toMatchObject({ path: 'categoryId', message: 'Kategorin används inte längre. Välj en annan kategori.' });
    await fails(admin, 'PATCH', `/api/incident-categories/${created.id}`, { version: 1, name: 'Gammal' }, 409, 'VERSION_CONFLICT');
  });
});

describe('reporting and reading incidents', () => {
  it('any employee reports in one request: defaults now, status new, and the reporter hidden from other readers when anonymous', async () => {
    const before = Date.now();
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism({ anonymous: true, extra: {} }));
    expect(inc).toMatchObject({ status: 'new', categoryKey: 'vandalism', location: LUND, anonymous: true, restricted: false, clocks: [], allowedActions: [] });
    expect(Date.parse(inc.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(inc.reporter?.name).toBe('Rasmus Rapportör');
    expect(inc.timeline.map((e: { kind: string }) => e.kind)).toEqual(['reported']);

    const asReader = await ok(reader, 'GET', `/api/incidents/${inc.id}`);
    expect(asReader.reporter).toBeNull();
    expect(asReader.timeline[0]).toMatchObject({ kind: 'reported', actorId: null, actorName: null });
    const asCoordinator = await ok(coordinator, 'GET', `/api/incidents/${inc.id}`);
    expect(asCoordinator.reporter?.name).toBe('Rasmus Rapportör');
    expect(asCoordinator.allowedActions).toEqual(['incidents.manage']);
    // Nothing leaks in the reader's list either.
    const list = await ok<{ items: { id: string; reporter: unknown }[] }>(reader, 'GET', '/api/incidents?limit=500');
    expect(list.items.find((i) => i.id === inc.id)?.reporter).toBeNull();

    // Tekniska nämnden's reporter and the police partner do not see Socialnämnden's incidents.
    await fails(reporterTn, 'GET', `/api/incidents/${inc.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');
    await fails(partner, 'GET', `/api/incidents/${inc.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');
    const tnList = await ok<{ items: { id: string }[] }>(reporterTn, 'GET', '/api/incidents?limit=500');
    expect(tnList.items.map((i) => i.id)).not.toContain(inc.id);
    // The reporter always sees their own reports.
    const mine = await ok<{ items: { id: string }[]; total: number }>(reporterSon, 'GET', '/api/incidents?mine=true&limit=500');
    expect(mine.items.map((i) => i.id)).toContain(inc.id);
    const count = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incidents i join users u on u.id = i.reported_by where u.email = 'rapportor.son@lund.example'`);
    expect(mine.total).toBe(count.rows[0].n);
  });

  it('filters the list in SQL: status, category, organisation, period and bounding box', async () => {
    const a = await ok(reporterSon, 'POST', '/api/incidents', vandalism({ occurredAt: '2025-03-10T10:00:00Z' }));
    const b = await ok(reporterTn, 'POST', '/api/incidents', { categoryId: cats.graffiti, description: 'Klotter på bron', organisationId: ids.tn, occurredAt: '2025-03-11T10:00:00Z', location: { lat: 55.72, lon: 13.2 } });
    const q = async (query: string) => (await ok<{ items: { id: string }[] }>(coordinator, 'GET', `/api/incidents?${query}&limit=500`)).items.map((i) => i.id);
    expect(await q(`categoryId=${cats.graffiti}`)).toContain(b.id);
    expect(await q(`categoryId=${cats.graffiti}`)).not.toContain(a.id);
    expect(await q(`organisationId=${ids.son}`)).toContain(a.id);
    expect(await q(`organisationId=${ids.son}`)).not.toContain(b.id);
    const period = await q('from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z');
    expect(period).toContain(a.id);
    expect(period).not.toContain(b.id);
    const box = await q('bbox=13.19,55.715,13.21,55.73');
    expect(box).toContain(b.id);
    expect(box).not.toContain(a.id);
    await fails(coordinator, 'GET', '/api/incidents?bbox=1,2,3', undefined, 400, 'VALIDATION_FAILED');
  });

  it('pages the list newest first with the total counted apart; a page past the end still has the total', async () => {
    type Page = { items: { id: string; occurredAt: string }[]; total: number };
    const all = await ok<Page>(coordinator, 'GET', '/api/incidents?limit=500');
    const direct = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incidents`);
    expect(all.total).toBe(direct.rows[0].n); // the coordinator sees every incident
    expect(all.items.length).toBe(Math.min(500, all.total));
    const times = all.items.map((i) => i.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    const first = await ok<Page>(coordinator, 'GET', '/api/incidents?limit=2');
    const second = await ok<Page>(coordinator, 'GET', '/api/incidents?limit=2&offset=2');
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(all.items.slice(0, 4).map((i) => i.id));
    expect(first.total).toBe(all.total);
    expect(second.total).toBe(all.total);
    const past = await ok<Page>(coordinator, 'GET', `/api/incidents?limit=2&offset=${all.total + 10}`);
    expect(past).toEqual({ items: [], total: all.total });
    // Filtered: the total is the filter's, not the table's.
    const son = await ok<Page>(coordinator, 'GET', `/api/incidents?organisationId=${ids.son}&limit=1`);
    const sonCount = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incidents where organisation_id = ${ids.son}`);
    expect(son.total).toBe(sonCount.rows[0].n);
    expect(son.items.length).toBe(sonCount.rows[0].n > 0 ? 1 : 0);
  });

  it('the total from the kept counts is what the actor may see, through every kind of change', async () => {
    // A restricted report of one's own, a secrecy-marked one, a status change, a move and a deletion.
    const own = await ok(reporterSon, 'POST', '/api/incidents', staffThreat());
    const marked = await ok(reporterTn, 'POST', '/api/incidents', { categoryId: cats.graffiti, description: 'Klotter som sekretessmarkeras', organisationId: ids.tn, location: LUND });
    await ctx.database.db.execute(sql`update incidents set secrecy_ref = '18 kap. 8 § OSL' where id = ${marked.id}`);
    const moved = await ok(reporterSon, 'POST', '/api/incidents', vandalism());
    await ctx.database.db.execute(sql`update incidents set status = 'closed', organisation_id = ${ids.tn} where id = ${moved.id}`);
    const gone = await ctx.database.db.execute<{ id: string }>(sql`insert into incidents (category_id, description, occurred_at, known_at, organisation_id, reported_by)
      select ${cats.vandalism}, 'Raderas', now(), now(), ${ids.son}, id from users where email = 'rapportor.son@lund.example' returning id`);
    await ctx.database.db.execute(sql`delete from incidents where id = ${gone.rows[0].id}`);
    await ctx.database.db.execute(sql`update incidents set description = description`); // every row, nothing counted changes

    // The kept counts are the incidents grouped.
    const kept = await ctx.database.db.execute<{ k: string }>(sql`select organisation_id || secret::text || status || category_id || ':' || n as k from incident_counts where n <> 0 order by 1`);
    const grouped = await ctx.database.db.execute<{ k: string }>(sql`select organisation_id || (restricted or secrecy_ref is not null)::text || status || category_id || ':' || count(*) as k from incidents group by organisation_id, restricted or secrecy_ref is not null, status, category_id order by 1`);
    expect(kept.rows.map((r) => r.k)).toEqual(grouped.rows.map((r) => r.k));

    // For everyone and every filter the counts answer, the total equals a count of the visible incidents
    // themselves (a period filter from the beginning of time takes that way).
    const always = `from=${encodeURIComponent('1900-01-01T00:00:00Z')}`;
    for (const who of [coordinator, reader, reporterSon, reporterTn, partner]) {
      for (const filter of ['', 'status=new', 'status=closed', `organisationId=${ids.tn}`, `categoryId=${cats.staff_threat}`, `categoryId=${cats.graffiti}&organisationId=${ids.tn}`]) {
        const fromCounts = await ok<{ total: number }>(who, 'GET', `/api/incidents?limit=1&${filter}`);
        const counted = await ok<{ total: number; items: unknown[] }>(who, 'GET', `/api/incidents?limit=500&${always}&${filter}`);
        expect(fromCounts.total, filter).toBe(counted.total);
        expect(counted.items.length, filter).toBe(Math.min(500, counted.total));
      }
    }
    // The reporter sees their own restricted report, counted once; Tekniska nämnden's reporter does not.
    const sonTotal = async (who: string) => (await ok<{ total: number }>(who, 'GET', `/api/incidents?limit=1&categoryId=${cats.staff_threat}`)).total;
    const direct = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incidents i join users u on u.id = i.reported_by where u.email = 'rapportor.son@lund.example' and i.category_id = ${cats.staff_threat}`);
    expect(await sonTotal(reporterSon)).toBe(direct.rows[0].n);
    expect(direct.rows[0].n).toBeGreaterThan(0);
    expect(await sonTotal(reporterTn)).toBe(0);
    expect(own.id).toBeTruthy();

    // Emptied (as a restore does first): the counts go too.
    await ctx.database.db.transaction(async (tx) => {
      await tx.execute(sql`truncate incidents cascade`);
      const left = await tx.execute<{ n: number }>(sql`select count(*)::int as n from incident_counts`);
      expect(left.rows[0].n).toBe(0);
      tx.rollback();
    }).catch((e: Error) => {
      if (!/rollback/i.test(e.message)) throw e;
    });
  });

  it('refuses bad input with clear Swedish messages and stores nothing', async () => {
    const count = async () => (await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incidents`)).rows[0].n;
    const n = await count();
    const outOfRange = await fails(reporterSon, 'POST', '/api/incidents', vandalism({ location: { lat: 95, lon: 13 } }), 400, 'VALIDATION_FAILED');
    expect(outOfRange.fields?.some((f) => f.path.startsWith('body.location'))).toBe(true);
    const abroad = await fails(reporterSon, 'POST', '/api/incidents', vandalism({ location: { lat: 48.85, lon: 2.35 } }), 400, 'VALIDATION_FAILED');
    expect(abroad.fields?.[0].message).toContain('utanför Sverige');
    const future = await fails(reporterSon, 'POST', '/api/incidents', vandalism({ occurredAt: new Date(Date.now() + 86_400_000).toISOString() }), 400, 'VALIDATION_FAILED');
    expect(future.fields?.[0].message).toBe('Tidpunkten kan inte ligga i framtiden.');
    const unknown = await fails(reporterSon, 'POST', '/api/incidents', vandalism({ categoryId: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED');
    expect(unknown.fields?.[0]).toMatchObject({ path: 'categoryId', message: 'Kategorin finns inte.' });
    await fails(reporterSon, 'POST', '/api/incidents', vandalism({ organisationId: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED');
    await fails(reporterSon, 'POST', '/api/incidents', vandalism({ extra: { notAField: 1 } }), 400, 'VALIDATION_FAILED');
    await fails(reporterSon, 'POST', '/api/incidents', vandalism({ staff: staffThreat().staff }), 400, 'VALIDATION_FAILED');
    await fails(reporterSon, 'POST', '/api/incidents', vandalism({ description: '   ' }), 400, 'VALIDATION_FAILED');
    expect(await count()).toBe(n);
  });
});

describe('handling: status, severity, owner, timeline, tasks', () => {
  it('records every change in the append-only timeline; entries are struck out with a reason, never deleted', async () => {
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism());
    const owner = (await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = 'samordnare@lund.example'`)).rows[0].id;
    const changed = await ok(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: inc.version, status: 'in_progress', severity: 3, ownerId: owner });
    expect(changed).toMatchObject({ status: 'in_progress', severity: 3, owner: { id: owner, name: 'Sam Samordnare' }, version: inc.version + 1 });
    const changes = changed.timeline.filter((e: { kind: string }) => e.kind === 'change').map((e: { data: { field: string; from: unknown; to: unknown } }) => e.data);
    expect(changes).toEqual(
      expect.arrayContaining([
        { field: 'status', from: 'new', to: 'in_progress' },
        { field: 'severity', from: null, to: 3 },
        { field: 'ownerId', from: null, to: owner },
      ]),
    );
    expect(changes).toHaveLength(3);
    await fails(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: inc.version, status: 'closed' }, 409, 'VERSION_CONFLICT');
    await fails(reader, 'PATCH', `/api/incidents/${inc.id}`, { version: changed.version, status: 'closed' }, 403, 'FORBIDDEN');
    await fails(reporterSon, 'PATCH', `/api/incidents/${inc.id}`, { version: changed.version, status: 'closed' }, 403, 'FORBIDDEN');
    await fails(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: changed.version, status: 'avslutad' }, 400, 'VALIDATION_FAILED');
    await fails(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: changed.version, severity: 4 }, 400, 'VALIDATION_FAILED');
    // Moving it into the staff category needs the staff form, as reporting there does.
    await fails(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: changed.version, categoryId: cats.staff_threat }, 400, 'VALIDATION_FAILED');

    const commented = await ok(coordinator, 'POST', `/api/incidents/${inc.id}/comments`, { text: 'Fastighetsförvaltningen har bytt rutan.' });
    const c = commented.timeline.at(-1);
    expect(c).toMatchObject({ kind: 'comment', text: 'Fastighetsförvaltningen har bytt rutan.', actorName: 'Sam Samordnare', struck: null });
    // The reporter may comment on their own report; a reader may not.
    await ok(reporterSon, 'POST', `/api/incidents/${inc.id}/comments`, { text: 'Tack!' });
    await fails(reader, 'POST', `/api/incidents/${inc.id}/comments`, { text: 'Hej' }, 403, 'FORBIDDEN');

    const struck = await ok(coordinator, 'POST', `/api/incidents/${inc.id}/timeline/${c.id}/strike`, { reason: 'Fel händelse' });
    const entry = struck.timeline.find((e: { id: number }) => e.id === c.id);
    expect(entry.text).toBe('Fastighetsförvaltningen har bytt rutan.');
    expect(entry.struck).toMatchObject({ reason: 'Fel händelse', byName: 'Sam Samordnare' });
    const twice = await fails(coordinator, 'POST', `/api/incidents/${inc.id}/timeline/${c.id}/strike`, { reason: 'Igen' }, 409, 'ALREADY_STRUCK');
    expect(twice.message).toBe('Posten är redan struken.');
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/timeline/999999999/strike`, { reason: 'x' }, 404, 'TIMELINE_ENTRY_NOT_FOUND');
    const entries = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incident_timeline where incident_id = ${inc.id}`);
    expect(entries.rows[0].n).toBe(struck.timeline.length);
    expect(struck.timeline.map((e: { kind: string }) => e.kind)).toEqual(['reported', 'change', 'change', 'change', 'comment', 'comment']);
  });

  it('follow-up tasks with deadlines; overdue is shown, done is recorded', async () => {
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism());
    const t = await ok(coordinator, 'POST', `/api/incidents/${inc.id}/tasks`, { title: 'Kontakta fastighetsägaren', dueDate: '2020-01-01' });
    expect(t).toMatchObject({ title: 'Kontakta fastighetsägaren', dueDate: '2020-01-01', done: false, overdue: true, version: 1 });
    const done = await ok(coordinator, 'PATCH', `/api/incident-tasks/${t.id}`, { version: 1, done: true });
    expect(done).toMatchObject({ done: true, overdue: false, version: 2 });
    expect(done.doneAt).toBeTruthy();
    await fails(coordinator, 'PATCH', `/api/incident-tasks/${t.id}`, { version: 1, done: false }, 409, 'VERSION_CONFLICT');
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/tasks`, { title: 'X', dueDate: '2026-02-30' }, 400, 'VALIDATION_FAILED');
    await fails(reader, 'POST', `/api/incidents/${inc.id}/tasks`, { title: 'X', dueDate: '2030-01-01' }, 403, 'FORBIDDEN');
    const detail = await ok(coordinator, 'GET', `/api/incidents/${inc.id}`);
    expect(detail.tasks).toHaveLength(1);
    expect(detail.timeline.map((e: { kind: string }) => e.kind)).toEqual(['reported', 'task', 'task_update']);
  });
});

describe('threats and violence against staff', () => {
  it('is visible only to those who manage the organisation and to the reporter, with the 24-hour clock to Arbetsmiljöverket', async () => {
    const knownAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const inc = await ok(reporterSon, 'POST', '/api/incidents', staffThreat({ knownAt }));
    expect(inc).toMatchObject({ restricted: true, categoryKey: 'staff_threat', staff: { victimRole: 'employee', perpetratorRelation: 'student', sickLeave: true, sickLeaveDays: 3 } });
    expect(inc.clocks).toHaveLength(1);
    const clock = inc.clocks[0];
    expect(clock).toMatchObject({ kind: 'work_environment_report', state: 'running', durationMinutes: 1440, legalRef: 'Arbetsmiljölagen (1977:1160) 3 kap. 3 a §' });
    expect(Date.parse(clock.due) - Date.parse(knownAt)).toBe(24 * 3_600_000);
    expect(clock.remainingMinutes).toBeGreaterThan(21 * 60);
    expect(clock.remainingMinutes).toBeLessThanOrEqual(22 * 60);

    // The reader (read on the whole municipality) does not see it, in the list or by id.
    await fails(reader, 'GET', `/api/incidents/${inc.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');
    expect((await ok<{ items: { id: string }[] }>(reader, 'GET', '/api/incidents?limit=500')).items.map((i) => i.id)).not.toContain(inc.id);
    await fails(reader, 'GET', `/api/incidents/${inc.id}/photos/00000000-0000-4000-8000-000000000000`, undefined, 404, 'INCIDENT_NOT_FOUND');
    await fails(reporterTn, 'GET', `/api/incidents/${inc.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');
    expect((await ok(reporterSon, 'GET', `/api/incidents/${inc.id}`)).clocks).toHaveLength(1);
    expect((await ok<{ items: { id: string }[] }>(coordinator, 'GET', '/api/incidents?limit=500')).items.map((i) => i.id)).toContain(inc.id);

    // Reporting the clock stops it and records when.
    await fails(reporterSon, 'POST', `/api/incidents/${inc.id}/clocks/${clock.id}/stop`, { reason: 'reported' }, 403, 'FORBIDDEN');
    const reportedAt = new Date(Date.now() - 3_600_000).toISOString();
    const stopped = await ok(coordinator, 'POST', `/api/incidents/${inc.id}/clocks/${clock.id}/stop`, { reason: 'reported', stoppedAt: reportedAt, note: 'Anmält via anmalarbetsskada.se' });
    expect(stopped.clocks[0]).toMatchObject({ state: 'stopped', stoppedAt: reportedAt, stoppedInTime: true, stopReason: 'reported', remainingMinutes: null });
    expect(stopped.timeline.at(-1)).toMatchObject({ kind: 'clock_stopped', text: 'Anmält via anmalarbetsskada.se' });
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/clocks/${clock.id}/stop`, { reason: 'reported' }, 409, 'CLOCK_STOPPED');
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/clocks/00000000-0000-4000-8000-000000000000/stop`, { reason: 'reported' }, 404, 'CLOCK_NOT_FOUND');
    // The list carries the same clocks as the incident itself (they come with the page, in the same statement).
    const listed = await ok<{ items: { id: string; clocks: unknown[] }[] }>(coordinator, 'GET', `/api/incidents?categoryId=${cats.staff_threat}&limit=500`);
    expect(listed.items.find((i) => i.id === inc.id)?.clocks).toEqual(stopped.clocks);
    expect(listed.items.find((i) => i.id === inc.id)?.clocks).toHaveLength(1);
  });

  it('flags the clock overdue after 24 hours', async () => {
    const inc = await ok(reporterSon, 'POST', '/api/incidents', staffThreat({ knownAt: new Date(Date.now() - 25 * 3_600_000).toISOString(), occurredAt: new Date(Date.now() - 26 * 3_600_000).toISOString() }));
    expect(inc.clocks[0].state).toBe('overdue');
    expect(inc.clocks[0].remainingMinutes).toBeLessThan(0);
  });

  it('requires the staff form, with sick days only when on sick leave', async () => {
    await fails(reporterSon, 'POST', '/api/incidents', staffThreat({ staff: undefined }), 400, 'VALIDATION_FAILED');
    const days = await fails(reporterSon, 'POST', '/api/incidents', staffThreat({ staff: { victimRole: 'employee', perpetratorRelation: 'client', sickLeave: false, sickLeaveDays: 4 } }), 400, 'VALIDATION_FAILED');
    expect(days.fields?.[0].message).toBe('Ange antal sjukdagar bara om sjukskrivning är ja.');
    await fails(reporterSon, 'POST', '/api/incidents', staffThreat({ staff: { victimRole: 'boss', perpetratorRelation: 'client', sickLeave: false } }), 400, 'VALIDATION_FAILED');
  });

  it('a reclassification into the staff category restricts the incident and starts the clock; it never becomes public again', async () => {
    const inc = await ok(reporterSon, 'POST', '/api/incidents', { categoryId: cats.threats, description: 'Hot mot personal', organisationId: ids.son });
    expect((await ok(reader, 'GET', `/api/incidents/${inc.id}`)).restricted).toBe(false);
    const moved = await ok(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: 1, categoryId: cats.staff_threat, staff: staffThreat().staff });
    expect(moved).toMatchObject({ restricted: true, categoryKey: 'staff_threat' });
    expect(moved.clocks.map((c: { kind: string }) => c.kind)).toEqual(['work_environment_report']);
    await fails(reader, 'GET', `/api/incidents/${inc.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');
    const back = await ok(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: moved.version, categoryId: cats.threats, staff: null });
    expect(back.restricted).toBe(true);
    await fails(reader, 'GET', `/api/incidents/${inc.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');
  });
});

describe('work-environment handling of staff incidents (arbetsmiljölagen 3 kap. 3 a §, issue #11 item 5)', () => {
  const handling = (over: object = {}) => ({ version: null, serious: null, injury: false, ...over });

  it('a threat against an elected official starts no report clock and has no work-environment handling', async () => {
    const inc = await ok(reporterSon, 'POST', '/api/incidents', staffThreat({ staff: { victimRole: 'elected_official', perpetratorRelation: 'member_of_public', sickLeave: false } }));
    expect(inc).toMatchObject({ restricted: true, clocks: [] });
    const seen = await ok(coordinator, 'GET', `/api/incidents/${inc.id}`);
    expect(seen.workEnvironment).toMatchObject({ applies: false, serious: null });
    const e = await fails(coordinator, 'PUT', `/api/incidents/${inc.id}/work-environment`, handling({ serious: true }), 409, 'WORK_ENVIRONMENT_NOT_APPLICABLE');
    expect(e.message).toContain('förtroendevalda');
    expect((await ok(coordinator, 'GET', `/api/incidents/${inc.id}`)).workEnvironment.version).toBeNull();
  });

  it('the manager assesses, reports to Arbetsmiljöverket with its reference, informs the safety representative, investigates; the clock follows', async () => {
    const knownAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const inc = await ok(reporterSon, 'POST', '/api/incidents', staffThreat({ knownAt, occurredAt: knownAt }));
    expect(inc.clocks.map((c: { state: string }) => c.state)).toEqual(['running']);
    await fails(reporterSon, 'PUT', `/api/incidents/${inc.id}/work-environment`, handling({ serious: true }), 403, 'FORBIDDEN');

    // Not serious: the clock stops as not required. Serious after all: it runs again.
    const notSerious = await ok(coordinator, 'PUT', `/api/incidents/${inc.id}/work-environment`, handling({ serious: false, assessmentNote: 'Inget vapen, ingen skada.' }));
    expect(notSerious.clocks[0]).toMatchObject({ state: 'stopped', stopReason: 'not_required' });
    expect(notSerious.workEnvironment).toMatchObject({ applies: true, serious: false, assessedBy: 'Sam Samordnare', version: 1 });
    const serious = await ok(coordinator, 'PUT', `/api/incidents/${inc.id}/work-environment`, handling({ version: 1, serious: true, assessmentNote: 'Kniv: allvarligt tillbud.' }));
    expect(serious.clocks[0]).toMatchObject({ state: 'running', stopReason: null });

    // Bad input: nothing changes.
    const noRef = await fails(coordinator, 'PUT', `/api/incidents/${inc.id}/work-environment`, handling({ version: 2, serious: true, avReportedAt: new Date().toISOString() }), 400, 'VALIDATION_FAILED');
    expect(noRef.fields?.[0]).toMatchObject({ message: 'Ange Arbetsmiljöverkets ärendenummer för anmälan.' });
    const notInjured = await fails(coordinator, 'PUT', `/api/incidents/${inc.id}/work-environment`, handling({ version: 2, serious: true, injuryReportedOn: '2026-01-01' }), 400, 'VALIDATION_FAILED');
    expect(notInjured.fields?.[0].path).toContain('injuryReportedOn');
    await fails(coordinator, 'PUT', `/api/incidents/${inc.id}/work-environment`, handling({ version: 1, serious: true }), 409, 'VERSION_CONFLICT');
    expect((await ok(coordinator, 'GET', `/api/incidents/${inc.id}`)).workEnvironment).toMatchObject({ version: 2, avReportedAt: null });

    // Reported: the clock stops at the time of the report, with the reference.
    const reportedAt = new Date(Date.now() - 3_600_000).toISOString();
    const today = new Date().toISOString().slice(0, 10);
    const done = await ok(coordinator, 'PUT', `/api/incidents/${inc.id}/work-environment`, handling({
      version: 2, serious: true, avReportedAt: reportedAt, avReference: 'AV 2026/012345', safetyRepInformedOn: today,
      investigation: 'Samtal med läraren och rektorn.', measures: 'Larmknapp i korridor B; rutin för elever med kniv.', injury: true, injuryReportedOn: today, injuryReference: 'FK 123',
    }));
    expect(done.clocks[0]).toMatchObject({ state: 'stopped', stopReason: 'reported', stoppedAt: reportedAt, stoppedInTime: true });
    expect(done.workEnvironment).toMatchObject({ serious: true, avReference: 'AV 2026/012345', safetyRepInformedOn: today, injury: true, injuryReportedOn: today, version: 3 });
    expect(done.timeline.map((t: { kind: string }) => t.kind)).toContain('work_environment');
    // Those who may not see the incident see nothing of its handling.
    await fails(reader, 'GET', `/api/incidents/${inc.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');
    await fails(reader, 'PUT', `/api/incidents/${inc.id}/work-environment`, handling({ version: 3, serious: false }), 403, 'FORBIDDEN');
  });

  it('an overdue report clock is announced once to the manager and the coordinators, naming no details', async () => {
    const { workEnvironmentAlertJob } = await import('./incidents.workenv.ts');
    const inc = await ok(reporterSon, 'POST', '/api/incidents', staffThreat({ description: 'HEMLIG BESKRIVNING av hotet', knownAt: new Date(Date.now() - 30 * 3_600_000).toISOString(), occurredAt: new Date(Date.now() - 31 * 3_600_000).toISOString() }));
    expect(inc.clocks[0].state).toBe('overdue');
    const mailCount = async () => Number((await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from jobs where type = 'mail.send'`)).rows[0].n);
    const before = await mailCount();
    const run = () => workEnvironmentAlertJob.handler({ db: ctx.database.db, config: ctx.config, payload: {} } as never) as Promise<{ alerted: number; sent: number }>;
    const first = await run();
    expect(first.alerted).toBeGreaterThanOrEqual(1);
    expect(await mailCount()).toBe(before + first.sent);
    const mails = (await ctx.database.db.execute<{ payload: { to: string; subject: string; text: string } }>(sql`select payload from jobs where type = 'mail.send' order by id desc limit ${first.sent}`)).rows.map((r) => r.payload);
    const about = mails.filter((m) => m.text.includes(inc.id));
    expect(about.map((m) => m.to)).toContain('samordnare@lund.example');
    expect(about.every((m) => m.subject === 'Anmälningsfristen har passerat: anmälan till Arbetsmiljöverket')).toBe(true);
    expect(about.some((m) => m.text.includes('HEMLIG'))).toBe(false);
    // Once: a second run announces nothing new.
    expect((await run()).alerted).toBe(0);
  });
});

describe('photos', () => {
  it('stores a sniffed image and serves it to those who may see the incident', async () => {
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism());
    const res = await upload(reporterSon, `/api/incidents/${inc.id}/photos`, 'ruta.png', PNG, 'image/png');
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ filename: 'ruta.png', contentType: 'image/png', size: PNG.length });
    const got = await ctx.app.inject({ method: 'GET', url: `/api/incidents/${inc.id}/photos/${p.id}`, headers: { cookie: reader } });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(PNG)).toBe(true);
    const denied = await ctx.app.inject({ method: 'GET', url: `/api/incidents/${inc.id}/photos/${p.id}`, headers: { cookie: reporterTn } });
    expect(denied.statusCode).toBe(404);
    expect((await ok(coordinator, 'GET', `/api/incidents/${inc.id}`)).photos.map((x: { id: string }) => x.id)).toEqual([p.id]);
    // A reader may see but not add photos; Tekniska nämnden's reporter cannot even see the incident.
    expect((await upload(reader, `/api/incidents/${inc.id}/photos`, 'x.png', PNG)).statusCode).toBe(403);
    expect((await upload(reporterTn, `/api/incidents/${inc.id}/photos`, 'x.png', PNG)).statusCode).toBe(404);
  });

  it('refuses a disguised or oversized photo with a clear message', async () => {
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism());
    const disguised = await upload(reporterSon, `/api/incidents/${inc.id}/photos`, 'bild.png', Buffer.from('<html><script>alert(1)</script></html>'), 'image/png');
    expect(disguised.statusCode).toBe(415);
    expect(disguised.json().error).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', message: 'Filen är inte av en tillåten typ. Innehållet kontrolleras, inte filnamnet.' });
    const pdf = await upload(reporterSon, `/api/incidents/${inc.id}/photos`, 'bild.jpg', Buffer.from('%PDF-1.4\n%...'), 'image/jpeg');
    expect(pdf.statusCode).toBe(415);
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 10)]);
    const tooBig = await upload(reporterSon, `/api/incidents/${inc.id}/photos`, 'stor.png', big, 'image/png');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.message).toBe('Förfrågan är för stor.');
    const none = await ctx.app.inject({ method: 'POST', url: `/api/incidents/${inc.id}/photos`, payload: {}, headers: { cookie: reporterSon } });
    expect(none.statusCode).toBe(415);
    const n = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incident_photos where incident_id = ${inc.id}`);
    expect(n.rows[0].n).toBe(0);
  });
});

describe('police events import', () => {
  const lundEvent = (id: number, over: object = {}) => ({
    id,
    datetime: '2026-08-22 9:13:04 +02:00',
    name: `22 augusti 09.13, Skadegörelse, Lund`,
    summary: 'Fönster krossade vid en skola.',
    url: `/aktuellt/handelser/2026/augusti/22/${id}/`,
    type: 'Skadegörelse',
    location: { name: 'Lund', gps: '55.70466,13.191007' },
    ...over,
  });
  const file = (events: unknown) => Buffer.from(typeof events === 'string' ? events : JSON.stringify(events));
  const importFile = (cookie: string, content: Buffer) => upload(cookie, '/api/police-events/import', 'events.json', content, 'application/json');

  it('keeps events in the municipality (by name or inside the boundary), dedupes by id and reports bad rows', async () => {
    const sample = JSON.parse(readFileSync('/work/shared/data/polisen/sample-events.json', 'utf8')) as unknown[];
    const base = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    const rows = [
      ...sample,
      lundEvent(base + 1),
      lundEvent(base + 2, { type: 'Misshandel', location: { name: 'Skåne län', gps: '55.7,13.25' } }), // inside Lund's boundary
      lundEvent(base + 3, { location: { name: 'Malmö', gps: '55.605,13.003' } }), // outside
      lundEvent(base + 1), // duplicate in the file
      lundEvent(base + 4, { location: { name: 'Lund', gps: '13.19,55.70' } }), // lon,lat swapped: still a valid pair, but outside the boundary and named Lund → kept
      lundEvent(base + 5, { location: { name: 'Lund', gps: 'abc' } }),
      { datetime: '2026-08-22 9:13:04 +02:00', name: 'utan id', type: 'Brand', location: { name: 'Lund', gps: '55.7,13.19' } },
      lundEvent(base + 6, { datetime: 'igår' }),
    ];
    const res = await importFile(coordinator, file(rows));
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ total: rows.length, imported: 3, updated: 0, duplicates: 1, outsideMunicipality: sample.length + 1 });
    expect(r.errors.map((e: { row: number }) => e.row)).toEqual([sample.length + 6, sample.length + 7, sample.length + 8]);
    expect(r.errors[0].message).toContain('lat,lon');
    expect(r.errors[1].message).toContain('id');

    // Again: nothing new, nothing lost; a changed event is updated.
    const again = (await importFile(coordinator, file([lundEvent(base + 1), lundEvent(base + 2, { summary: 'Uppdaterad', type: 'Misshandel', location: { name: 'Skåne län', gps: '55.7,13.25' } })]))).json();
    expect(again).toMatchObject({ imported: 0, updated: 1, duplicates: 1, errors: [] });
    const stored = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from police_events where id between ${base} and ${base + 10}`);
    expect(stored.rows[0].n).toBe(3);

    const listed = await ok<{ items: { id: number; type: string; categoryKey: string | null; datetime: string; summary: string; lat: number }[] }>(reader, 'GET', '/api/police-events?limit=500');
    const mine = listed.items.filter((e) => e.id > base && e.id <= base + 10);
    expect(mine.map((e) => e.id).sort()).toEqual([base + 1, base + 2, base + 4]);
    const first = mine.find((e) => e.id === base + 1)!;
    expect(first).toMatchObject({ categoryKey: 'vandalism', datetime: '2026-08-22T07:13:04.000Z', lat: 55.70466 });
    expect(mine.find((e) => e.id === base + 2)).toMatchObject({ categoryKey: 'violence', summary: 'Uppdaterad' });
  });

  it('keeps an event whose link is not http(s), without the link', async () => {
    const base = 910_000_000 + Math.floor(Math.random() * 1_000_000);
    const links: [string, string | null][] = [
      ['javascript:alert(document.cookie)', null],
      ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', null],
      ['  JavaScript:alert(1)', null],
      ['//angripare.example/handelse', null],
      ['https://polisen.se/aktuellt/handelser/2026/augusti/22/brand/', 'https://polisen.se/aktuellt/handelser/2026/augusti/22/brand/'],
      ['/aktuellt/handelser/2026/augusti/22/stold/', 'https://polisen.se/aktuellt/handelser/2026/augusti/22/stold/'],
    ];
    const res = await importFile(coordinator, file(links.map(([url], i) => lundEvent(base + i, { url }))));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: links.length, errors: [] });
    const listed = await ok<{ items: { id: number; url: string | null }[] }>(reader, 'GET', '/api/police-events?limit=500');
    const urls = links.map((_, i) => listed.items.find((e) => e.id === base + i)?.url);
    expect(urls).toEqual(links.map(([, kept]) => kept));
    const stored = await ctx.database.db.execute<{ url: string | null }>(sql`select url from police_events where id between ${base} and ${base + 10} order by id`);
    expect(stored.rows.map((r) => r.url)).toEqual(links.map(([, kept]) => kept));
  });

  it('refuses a malformed file with a clear message and keeps what is stored', async () => {
    const before = (await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from police_events`)).rows[0].n;
    for (const bad of ['{"id": 1', '{"id": 1}', 'inte json alls']) {
      const res = await importFile(coordinator, file(bad));
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('POLICE_FILE_INVALID');
      expect(res.json().error.message).toContain('Polisen');
    }
    expect((await importFile(coordinator, PNG)).statusCode).toBe(415);
    // A multipart body whose boundary does not match its header is bad input (was a 500 in lib/uploads.ts).
    const cut = await ctx.app.inject({ method: 'POST', url: '/api/police-events/import', headers: { cookie: coordinator, 'content-type': 'multipart/form-data; boundary=aaa' }, payload: Buffer.from('--bbb\r\nContent-Disposition: form-data; name="file"; filename="x.json"\r\n\r\n[]\r\n--bbb--\r\n') });
    expectError(cut, 400, 'FILE_REQUIRED');
    expect((await importFile(reporterSon, file([lundEvent(1)]))).statusCode).toBe(403);
    expect((await importFile(reader, file([lundEvent(1)]))).statusCode).toBe(403);
    const after = (await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from police_events`)).rows[0].n;
    expect(after).toBe(before);
  });

  it('maps police event types to categories through an editable table', async () => {
    const { items } = await ok<{ items: { policeType: string; categoryKey: string | null }[] }>(reader, 'GET', '/api/police-type-mappings');
    expect(items.find((m) => m.policeType === 'Skadegörelse')?.categoryKey).toBe('vandalism');
    const saved = await ok<{ items: { policeType: string; categoryKey: string | null }[] }>(admin, 'PUT', '/api/police-type-mappings', {
      items: [
        { policeType: 'Skadegörelse', categoryId: cats.graffiti },
        { policeType: 'Ofog barn/ungdom', categoryId: null },
      ],
    });
    expect(saved.items.find((m) => m.policeType === 'Skadegörelse')?.categoryKey).toBe('graffiti');
    expect(saved.items.find((m) => m.policeType === 'Ofog barn/ungdom')?.categoryKey).toBeNull();
    await fails(admin, 'PUT', '/api/police-type-mappings', { items: [{ policeType: 'Brand', categoryId: '00000000-0000-4000-8000-000000000000' }] }, 400, 'VALIDATION_FAILED');
    await fails(coordinator, 'PUT', '/api/police-type-mappings', { items: [{ policeType: 'Brand', categoryId: null }] }, 403, 'FORBIDDEN');
    await ok(admin, 'PUT', '/api/police-type-mappings', { items: [{ policeType: 'Skadegörelse', categoryId: cats.vandalism }] });
  });
});

describe('areas and statistics', () => {
  // Two squares side by side in central Lund (GeoJSON is [lon, lat]).
  const square = (lon: number, lat: number, d = 0.01) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });

  it('assigns incidents to areas by point in polygon, also when an area is drawn afterwards, and counts per category × month × area', async () => {
    // Use a year of its own, so that other tests' incidents do not count.
    const year = 2020;
    const at = (m: number, d = 10) => `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T10:00:00Z`;
    const west = await ok(admin, 'POST', '/api/incident-areas', { name: `Väster ${randomBytes(2).toString('hex')}`, kind: 'district', geometry: square(13.30, 55.80) });
    const inWest = await ok(reporterSon, 'POST', '/api/incidents', vandalism({ occurredAt: at(1), location: { lat: 55.805, lon: 13.305 } }));
    expect(inWest.areaId).toBe(west.id);
    await ok(reporterSon, 'POST', '/api/incidents', vandalism({ occurredAt: at(1, 20), location: { lat: 55.806, lon: 13.306 } }));
    await ok(reporterSon, 'POST', '/api/incidents', { categoryId: cats.littering, description: 'Skräp', organisationId: ids.son, occurredAt: at(2), location: { lat: 55.805, lon: 13.315 } });
    const nowhere = await ok(reporterSon, 'POST', '/api/incidents', vandalism({ occurredAt: at(3), location: { lat: 55.805, lon: 13.315 } }));
    expect(nowhere.areaId).toBeNull();
    // Drawn afterwards: the incidents already inside move into it.
    const east = await ok(admin, 'POST', '/api/incident-areas', { name: `Öster ${randomBytes(2).toString('hex')}`, geometry: { type: 'Feature', geometry: square(13.31, 55.80) } });
    expect((await ok(coordinator, 'GET', `/api/incidents/${nowhere.id}`)).areaId).toBe(east.id);
    // Last year's counts for the trend.
    await ok(reporterSon, 'POST', '/api/incidents', vandalism({ occurredAt: `${year - 1}-01-15T10:00:00Z`, location: { lat: 55.805, lon: 13.305 } }));

    const st = await ok(coordinator, 'GET', `/api/incident-statistics?from=${year}-01-01T00:00:00%2B01:00&to=${year + 1}-01-01T00:00:00%2B01:00&bbox=13.29,55.79,13.33,55.82`);
    expect(st.total).toBe(4);
    expect(st.previousYearTotal).toBe(1);
    expect(st.cells).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ categoryKey: 'vandalism', month: `${year}-01`, areaId: west.id, count: 2 }),
        expect.objectContaining({ categoryKey: 'littering', month: `${year}-02`, areaId: east.id, count: 1 }),
        expect.objectContaining({ categoryKey: 'vandalism', month: `${year}-03`, areaId: east.id, count: 1 }),
      ]),
    );
    expect(st.byCategory.find((c: { categoryKey: string }) => c.categoryKey === 'vandalism')).toEqual({ categoryKey: 'vandalism', count: 3, previousYear: 1 });
    expect(st.byArea.find((a: { areaId: string }) => a.areaId === west.id)?.count).toBe(2);
    // The same in SQL directly.
    const direct = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from incidents where occurred_at >= ${`${year}-01-01T00:00:00+01:00`} and occurred_at < ${`${year + 1}-01-01T00:00:00+01:00`} and lon between 13.29 and 13.33 and lat between 55.79 and 55.82`);
    expect(st.total).toBe(direct.rows[0].n);
    // Filtered by area, and by what the actor may see: Tekniska nämnden's reporter sees none of these.
    expect((await ok(coordinator, 'GET', `/api/incident-statistics?from=${year}-01-01T00:00:00Z&to=${year + 1}-01-01T00:00:00Z&areaId=${east.id}`)).total).toBe(2);
    await fails(reporterTn, 'GET', `/api/incident-statistics?from=${year}-01-01T00:00:00Z&to=${year + 1}-01-01T00:00:00Z`, undefined, 403, 'FORBIDDEN');
    await fails(coordinator, 'GET', `/api/incident-statistics?from=${year + 1}-01-01T00:00:00Z&to=${year}-01-01T00:00:00Z`, undefined, 400, 'VALIDATION_FAILED');

    // Moving the area's boundary moves its incidents.
    const moved = await ok(admin, 'PATCH', `/api/incident-areas/${west.id}`, { version: 1, geometry: square(13.40, 55.80) });
    expect(moved.version).toBe(2);
    expect((await ok(coordinator, 'GET', `/api/incidents/${inWest.id}`)).areaId).toBeNull();
  });

  it('refuses a malformed area', async () => {
    await fails(admin, 'POST', '/api/incident-areas', { name: 'Trasig', geometry: { type: 'Polygon', coordinates: [[[13, 55], [13.1, 55]]] } }, 400, 'VALIDATION_FAILED');
    await fails(admin, 'POST', '/api/incident-areas', { name: 'Fel', geometry: { type: 'Point', coordinates: [13, 55] } }, 400, 'VALIDATION_FAILED');
    await fails(admin, 'POST', '/api/incident-areas', { name: 'Utanför', geometry: { type: 'Polygon', coordinates: [[[200, 55], [201, 55], [201, 56], [200, 55]]] } }, 400, 'VALIDATION_FAILED');
    await fails(coordinator, 'POST', '/api/incident-areas', { name: 'Nej', geometry: square(13, 55) }, 403, 'FORBIDDEN');
  });
});

describe('demo data', () => {
  it('seeds a few example incidents in Lund through the service, flagged as examples', async () => {
    const all = (await ok<{ items: { isExample: boolean; categoryKey: string; location: { lat: number; lon: number } | null; clocks: { state: string }[]; restricted: boolean }[] }>(coordinator, 'GET', '/api/incidents?limit=500')).items.filter((i) => i.isExample);
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const i of all.filter((x) => x.location)) expect(i.location!.lat).toBeGreaterThan(55.6);
    const threat = all.find((i) => i.categoryKey === 'staff_threat')!;
    expect(threat.restricted).toBe(true);
    expect(threat.clocks[0].state).toBe('running');
    const readerSees = (await ok<{ items: { isExample: boolean; categoryKey: string }[] }>(reader, 'GET', '/api/incidents?limit=500')).items.filter((i) => i.isExample);
    expect(readerSees.map((i) => i.categoryKey)).not.toContain('staff_threat');
    expect(readerSees.length).toBe(all.length - 1);
  });
});

describe('audit', () => {
  it('every change above is in the verified audit chain', async () => {
    const v = await verifyAuditChain(ctx.database.db);
    expect(v.ok).toBe(true);
    const kinds = await ctx.database.db.execute<{ entity_type: string }>(sql`select distinct entity_type from audit_log where entity_type like 'incident%' or entity_type like 'police%'`);
    expect(kinds.rows.map((r) => r.entity_type).sort()).toEqual(
      expect.arrayContaining(['incident', 'incident_area', 'incident_category', 'incident_clock', 'incident_photo', 'incident_task', 'incident_timeline', 'police_events', 'police_type_mappings']),
    );
  });
});
