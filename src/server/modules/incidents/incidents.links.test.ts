/**
 * Issue #6, smaller gaps: links from incidents to program actions, task assignees, "known at", who may
 * report for which organisation, and the cheaper area lookup and mapping save.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createCase, createOrganisation, createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { programRepo } from '../program/program.repo.ts';
import { incidentAreas } from '../../db/schema/index.ts';
import { areaAt } from './incidents.areas.ts';
import { api } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
let coordinator: string;
let reporterSon: string;
let reporterTn: string;
let reader: string;
let partner: string;
let sonAdmin: string;
const ids: Record<string, string> = {};
const cats: Record<string, string> = {};
const people: Record<string, string> = {};

const { ok, fails } = api(() => ctx.app, { created: (method) => method === 'POST' });

beforeAll(async () => {
  ctx = await createTestApp();
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reporterSon = await signIn(ctx.app, 'rapportor.son@lund.example');
  reporterTn = await signIn(ctx.app, 'rapportor.tn@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  partner = await signIn(ctx.app, 'polisen@lund.example');
  sonAdmin = await signIn(ctx.app, 'admin.son@lund.example');
  for (const k of ['son', 'tn', 'ks', 'polisen', 'lund']) ids[k] = await orgId(ctx.database, k);
  for (const c of (await ok<{ items: { id: string; key: string }[] }>(reporterSon, 'GET', '/api/incident-categories')).items) cats[c.key] = c.id;
  const us = await ctx.database.db.execute<{ id: string; email: string }>(sql`select id, email from users`);
  for (const u of us.rows) people[u.email] = u.id;
});
afterAll(() => ctx?.close());

const vandalism = (over: object = {}) => ({ categoryId: cats.vandalism, description: 'Krossad ruta', organisationId: ids.son, place: 'Entrén', ...over });
const staffThreat = (over: object = {}) => ({
  categoryId: cats.staff_threat,
  description: 'Hot mot personal i receptionen',
  organisationId: ids.son,
  place: 'Receptionen',
  staff: { victimRole: 'employee', perpetratorRelation: 'client', sickLeave: false },
  ...over,
});

/** A fresh program owned by the executive board with one action per given organisation (titles made unique). */
async function freshActions(orgs: string[]) {
  const db = ctx.database.db;
  const tag = randomBytes(3).toString('hex');
  const program = await programRepo.insertProgram(db, { kind: 'action_plan', title: `Länkplan ${tag}`, ownerOrganisationId: ids.ks });
  const area = await programRepo.insertFocusArea(db, { programId: program.id, number: 1, title: 'Fokus' });
  const goal = await programRepo.insertGoal(db, { focusAreaId: area.id, number: 1, text: 'Mål' });
  const out = [];
  for (const key of orgs) out.push(await programRepo.insertAction(db, { goalId: goal.id, title: `Belysning ${tag} ${key}`, responsibleOrganisationId: ids[key] }));
  return { tag, program, actions: out };
}

describe('links from incidents to program actions', () => {
  it('a handler links and unlinks an action; both are recorded on the timeline; the action page lists what each reader may see', async () => {
    const { tag, actions } = await freshActions(['son', 'tn']);
    const [sonAction, tnAction] = actions;
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism());
    const threat = await ok(reporterSon, 'POST', '/api/incidents', staffThreat());

    // The picker: search by title among the actions the handler may see.
    const found = await ok<{ items: { id: string; title: string; context: string }[] }>(coordinator, 'GET', `/api/incident-link-targets?kind=action&q=${encodeURIComponent(`belysning ${tag}`)}`);
    expect(found.items.map((a) => a.id).sort()).toEqual([sonAction.id, tnAction.id].sort());
    expect(found.items[0].context).toBe(`Länkplan ${tag}`);
    // Socialnämnden's administrator reads the programme only for Socialnämnden: tn's action is not offered.
    const sonFound = await ok<{ items: { id: string }[] }>(sonAdmin, 'GET', `/api/incident-link-targets?q=${encodeURIComponent(tag)}`);
    expect(sonFound.items.map((a) => a.id)).toEqual([sonAction.id]);
    // Wildcards are literal.
    expect((await ok<{ items: unknown[] }>(coordinator, 'GET', `/api/incident-link-targets?q=${encodeURIComponent(`%${tag}_x`)}`)).items).toEqual([]);

    const linked = await ok(coordinator, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'action', targetId: tnAction.id });
    expect(linked.links).toEqual([expect.objectContaining({ kind: 'action', targetId: tnAction.id, title: tnAction.title })]);
    expect(linked.timeline.at(-1)).toMatchObject({ kind: 'link_added', actorName: 'Sam Samordnare', data: { kind: 'action', targetId: tnAction.id } });
    // The timeline carries no title: its readers need not be readers of the action.
    expect(JSON.stringify(linked.timeline)).not.toContain(tnAction.title);
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'action', targetId: tnAction.id }, 409, 'INCIDENT_LINK_EXISTS');
    const missing = await fails(coordinator, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'action', targetId: '00000000-0000-4000-8000-000000000000' }, 400, 'VALIDATION_FAILED');
    expect(missing.fields?.[0]).toMatchObject({ path: 'targetId', message: 'Åtgärden finns inte eller så har du inte behörighet att se den.' });
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'case', targetId: tnAction.id }, 400, 'VALIDATION_FAILED');
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'meeting', targetId: tnAction.id }, 400, 'VALIDATION_FAILED');

    // Managing the incident is not enough: the actor must be able to read the action.
    await fails(sonAdmin, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'action', targetId: tnAction.id }, 400, 'VALIDATION_FAILED');
    const bySonAdmin = await ok(sonAdmin, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'action', targetId: sonAction.id });
    // ... and a reader of the incident who may not read tn's action sees that a link exists, not its title.
    const tnLink = bySonAdmin.links.find((l: { targetId: string }) => l.targetId === tnAction.id);
    expect(tnLink.title).toBeNull();
    // Readers may not link; nor may those who do not see the incident.
    await fails(reader, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'action', targetId: sonAction.id }, 403, 'FORBIDDEN');
    await fails(reporterTn, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'action', targetId: sonAction.id }, 403, 'FORBIDDEN');

    // The restricted threat report is linked too: only those who may see it find it from the action.
    await ok(coordinator, 'POST', `/api/incidents/${threat.id}/links`, { kind: 'action', targetId: tnAction.id });
    const listed = async (cookie: string) => (await ok<{ items: { id: string }[]; total: number }>(cookie, 'GET', `/api/incidents?actionId=${tnAction.id}`)).items.map((i) => i.id).sort();
    expect(await listed(coordinator)).toEqual([inc.id, threat.id].sort());
    expect(await listed(reader)).toEqual([inc.id]);
    expect(await listed(reporterTn)).toEqual([]);
    expect(await listed(partner)).toEqual([]);
    expect(await listed(reporterSon)).toEqual([inc.id, threat.id].sort()); // the reporter's own
    expect((await ok<{ items: { id: string }[] }>(coordinator, 'GET', `/api/incidents?actionId=${sonAction.id}`)).items.map((i) => i.id)).toEqual([inc.id]);

    // Removing: gone from the list, kept on the timeline.
    const link = linked.links[0];
    await fails(reader, 'DELETE', `/api/incidents/${inc.id}/links/${link.id}`, undefined, 403, 'FORBIDDEN');
    await fails(coordinator, 'DELETE', `/api/incidents/${threat.id}/links/${link.id}`, undefined, 404, 'INCIDENT_LINK_NOT_FOUND');
    const removed = await ok(coordinator, 'DELETE', `/api/incidents/${inc.id}/links/${link.id}`);
    expect(removed.links.map((l: { targetId: string }) => l.targetId)).toEqual([sonAction.id]);
    expect(removed.timeline.map((e: { kind: string }) => e.kind)).toEqual(['reported', 'link_added', 'link_added', 'link_removed']);
    await fails(coordinator, 'DELETE', `/api/incidents/${inc.id}/links/${link.id}`, undefined, 404, 'INCIDENT_LINK_NOT_FOUND');
    expect(await listed(coordinator)).toEqual([threat.id]);
    const audit = await ctx.database.db.execute<{ action: string }>(sql`select action from audit_log where entity_type = 'incident_link' and entity_id = ${link.id} order by id`);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'delete']);
  });
});

describe('links from incidents to cases', () => {
  it('a handler links a case they may read; a secret case is neither offered nor named to those who may not read it; removal keeps the timeline', async () => {
    const tag = randomBytes(3).toString('hex');
    const openCase = await createCase(ctx.database, { org: 'son', registryOrg: 'ks', title: `Hot mot skola ${tag}` });
    const secretCase = await createCase(ctx.database, { org: 'son', registryOrg: 'ks', title: `Skyddad elev ${tag}`, secrecyRef: '23 kap. 1 § OSL' });
    const tnCase = await createCase(ctx.database, { org: 'tn', registryOrg: 'tn', series: 'TN', title: `Gatubelysning ${tag}` });
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism());
    const threat = await ok(reporterSon, 'POST', '/api/incidents', staffThreat());
    const search = async (cookie: string, query: string) =>
      (await ok<{ items: { kind: string; id: string; title: string; context: string }[] }>(cookie, 'GET', `/api/incident-link-targets?${query}`)).items;

    // The picker finds cases by title ...
    const byTitle = await search(coordinator, `kind=case&q=${encodeURIComponent(tag)}`);
    expect(byTitle.map((c) => c.id).sort()).toEqual([openCase.id, secretCase.id, tnCase.id].sort());
    expect(byTitle.find((c) => c.id === openCase.id)).toEqual({ kind: 'case', id: openCase.id, title: openCase.title, context: openCase.registryNumber });
    // ... and by registry number; without a kind, cases and actions both.
    expect((await search(coordinator, `kind=case&q=${encodeURIComponent(openCase.registryNumber)}`)).map((c) => c.id)).toEqual([openCase.id]);
    expect((await search(coordinator, `q=${encodeURIComponent(secretCase.registryNumber)}`)).map((c) => [c.kind, c.id])).toEqual([['case', secretCase.id]]);
    expect((await search(coordinator, `kind=action&q=${encodeURIComponent(tag)}`))).toEqual([]);
    // Socialnämnden's administrator reads Socialnämnden's cases, the secret one too (cases.secret there), not Tekniska nämndens.
    expect((await search(sonAdmin, `q=${encodeURIComponent(tag)}`)).map((c) => c.id).sort()).toEqual([openCase.id, secretCase.id].sort());
    // An officer of Socialnämnden handles its incidents and reads its cases, but not the secret one: neither offered nor linkable.
    const officer = await createUser(ctx.database, { homeOrganisationId: ids.son, grants: [{ organisationId: ids.son, role: 'officer', includeSubtree: true }] });
    const officerCookie = await signIn(ctx.app, officer.email);
    expect((await search(officerCookie, `kind=case&q=${encodeURIComponent(tag)}`)).map((c) => c.id)).toEqual([openCase.id]);
    expect(await search(officerCookie, `q=${encodeURIComponent(secretCase.registryNumber)}`)).toEqual([]);
    await fails(officerCookie, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'case', targetId: secretCase.id }, 400, 'VALIDATION_FAILED');

    // Managing the incident is not enough: the actor must be able to read the case.
    const notReadable = await fails(sonAdmin, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'case', targetId: tnCase.id }, 400, 'VALIDATION_FAILED');
    expect(notReadable.fields?.[0]).toMatchObject({ path: 'targetId', message: 'Ärendet finns inte eller så saknar du behörighet att läsa det.' });
    // An action's id is no case.
    const { actions } = await freshActions(['son']);
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'case', targetId: actions[0].id }, 400, 'VALIDATION_FAILED');
    await fails(reader, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'case', targetId: openCase.id }, 403, 'FORBIDDEN');

    const linked = await ok(coordinator, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'case', targetId: secretCase.id });
    expect(linked.links).toEqual([expect.objectContaining({ kind: 'case', targetId: secretCase.id, title: secretCase.title, reference: secretCase.registryNumber })]);
    expect(linked.timeline.at(-1)).toMatchObject({ kind: 'link_added', actorName: 'Sam Samordnare', data: { kind: 'case', targetId: secretCase.id } });
    expect(JSON.stringify(linked.timeline)).not.toContain(secretCase.title);
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'case', targetId: secretCase.id }, 409, 'INCIDENT_LINK_EXISTS');
    await ok(sonAdmin, 'POST', `/api/incidents/${inc.id}/links`, { kind: 'case', targetId: openCase.id });
    await ok(coordinator, 'POST', `/api/incidents/${threat.id}/links`, { kind: 'case', targetId: openCase.id });

    // The reader (cases.read, not cases.secret) sees the open case's title and number, and only that a secret case is linked.
    const seen = await ok(reader, 'GET', `/api/incidents/${inc.id}`);
    expect(seen.links.map((l: { targetId: string; title: string | null; reference: string | null }) => [l.targetId, l.title, l.reference])).toEqual([
      [secretCase.id, null, null],
      [openCase.id, openCase.title, openCase.registryNumber],
    ]);
    expect(JSON.stringify(seen)).not.toContain(secretCase.title);
    expect(JSON.stringify(seen)).not.toContain(secretCase.registryNumber);
    expect(seen.links.every((l: { kind: string }) => l.kind === 'case')).toBe(true);
    const officerSees = await ok(officerCookie, 'GET', `/api/incidents/${inc.id}`);
    expect(officerSees.links.find((l: { targetId: string }) => l.targetId === secretCase.id)).toMatchObject({ title: null, reference: null });

    // The case page's list: the incidents each reader may see.
    const listed = async (cookie: string, caseId: string) => (await ok<{ items: { id: string }[] }>(cookie, 'GET', `/api/incidents?caseId=${caseId}`)).items.map((i) => i.id).sort();
    expect(await listed(coordinator, openCase.id)).toEqual([inc.id, threat.id].sort());
    expect(await listed(reader, openCase.id)).toEqual([inc.id]);
    expect(await listed(partner, openCase.id)).toEqual([]);
    expect(await listed(coordinator, secretCase.id)).toEqual([inc.id]);
    expect(await listed(coordinator, tnCase.id)).toEqual([]);
    // A case filter is no action filter.
    expect((await ok<{ items: unknown[] }>(coordinator, 'GET', `/api/incidents?actionId=${openCase.id}`)).items).toEqual([]);

    // Removing: gone from the case's list, kept on the timeline and in the audit trail.
    const link = linked.links[0];
    await fails(reader, 'DELETE', `/api/incidents/${inc.id}/links/${link.id}`, undefined, 403, 'FORBIDDEN');
    const removed = await ok(coordinator, 'DELETE', `/api/incidents/${inc.id}/links/${link.id}`);
    expect(removed.links.map((l: { targetId: string }) => l.targetId)).toEqual([openCase.id]);
    expect(removed.timeline.map((e: { kind: string }) => e.kind)).toEqual(['reported', 'link_added', 'link_added', 'link_removed']);
    expect(removed.timeline.at(-1).data).toMatchObject({ kind: 'case', targetId: secretCase.id });
    expect(await listed(coordinator, secretCase.id)).toEqual([]);
    const audit = await ctx.database.db.execute<{ action: string }>(sql`select action from audit_log where entity_type = 'incident_link' and entity_id = ${link.id} order by id`);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'delete']);
  });
});

describe('follow-up tasks with an assignee', () => {
  it('is assigned to someone who may handle incidents there, shown by name, and listed as the assignee’s own open task', async () => {
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism());
    const handlers = await ok<{ items: { id: string; name: string }[] }>(coordinator, 'GET', `/api/incidents/${inc.id}/handlers`);
    const names = handlers.items.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Alva Administratör', 'Sam Samordnare', 'Stina Systemförvaltare']));
    for (const n of ['Rasmus Rapportör', 'Lars Läsare', 'Petra Polis', 'Tove Rapportör']) expect(names).not.toContain(n);
    await fails(reader, 'GET', `/api/incidents/${inc.id}/handlers`, undefined, 403, 'FORBIDDEN');

    const notHandler = await fails(coordinator, 'POST', `/api/incidents/${inc.id}/tasks`, { title: 'Byt ruta', dueDate: '2099-01-01', assigneeId: people['rapportor.son@lund.example'] }, 400, 'VALIDATION_FAILED');
    expect(notHandler.fields?.[0]).toMatchObject({ path: 'assigneeId', message: 'Uppgiften kan bara tilldelas någon som får handlägga händelser i organisationen.' });
    await fails(coordinator, 'POST', `/api/incidents/${inc.id}/tasks`, { title: 'Byt ruta', dueDate: '2099-01-01', assigneeId: '00000000-0000-4000-8000-000000000000' }, 400, 'VALIDATION_FAILED');

    const task = await ok(coordinator, 'POST', `/api/incidents/${inc.id}/tasks`, { title: 'Byt ruta', dueDate: '2099-01-01', assigneeId: people['admin.son@lund.example'] });
    expect(task).toMatchObject({ assigneeId: people['admin.son@lund.example'], assigneeName: 'Stina Systemförvaltare' });
    expect((await ok(reader, 'GET', `/api/incidents/${inc.id}`)).tasks[0]).toMatchObject({ title: 'Byt ruta', assigneeName: 'Stina Systemförvaltare' });

    const mine = async (cookie: string) => (await ok<{ items: { id: string; incidentId: string; incidentCategoryName: string }[] }>(cookie, 'GET', '/api/incident-tasks/mine')).items;
    expect((await mine(sonAdmin)).find((t) => t.id === task.id)).toMatchObject({ incidentId: inc.id, incidentCategoryName: 'Skadegörelse' });
    expect((await mine(coordinator)).map((t) => t.id)).not.toContain(task.id);

    // Reassigning checks the same rule; done tasks leave the list.
    await fails(coordinator, 'PATCH', `/api/incident-tasks/${task.id}`, { version: 1, assigneeId: people['lasare@lund.example'] }, 400, 'VALIDATION_FAILED');
    const moved = await ok(coordinator, 'PATCH', `/api/incident-tasks/${task.id}`, { version: 1, assigneeId: people['samordnare@lund.example'] });
    expect(moved).toMatchObject({ assigneeName: 'Sam Samordnare', version: 2 });
    expect((await mine(coordinator)).map((t) => t.id)).toContain(task.id);
    expect((await mine(sonAdmin)).map((t) => t.id)).not.toContain(task.id);
    await ok(coordinator, 'PATCH', `/api/incident-tasks/${task.id}`, { version: 2, done: true });
    expect((await mine(coordinator)).map((t) => t.id)).not.toContain(task.id);
  });
});

describe('"known at" for threats against staff', () => {
  it('starts the clock when the employer learnt of it: not before it happened, not in the future', async () => {
    const occurredAt = new Date(Date.now() - 10 * 3_600_000).toISOString();
    const knownAt = new Date(Date.now() - 4 * 3_600_000).toISOString();
    const inc = await ok(reporterSon, 'POST', '/api/incidents', staffThreat({ occurredAt, knownAt }));
    expect(inc.knownAt).toBe(knownAt);
    expect(inc.clocks[0].startedAt).toBe(knownAt);
    expect(Date.parse(inc.clocks[0].due) - Date.parse(knownAt)).toBe(24 * 3_600_000);

    const before = await fails(reporterSon, 'POST', '/api/incidents', staffThreat({ occurredAt: knownAt, knownAt: occurredAt }), 400, 'VALIDATION_FAILED');
    expect(before.fields?.[0]).toMatchObject({ path: 'body.knownAt', message: 'Tidpunkten när ni fick kännedom kan inte ligga före tidpunkten när händelsen inträffade.' });
    const future = await fails(reporterSon, 'POST', '/api/incidents', staffThreat({ knownAt: new Date(Date.now() + 3_600_000).toISOString() }), 400, 'VALIDATION_FAILED');
    expect(future.fields?.[0].message).toBe('Tidpunkten kan inte ligga i framtiden.');
    // Without a time of the event, it happened when it became known at the latest.
    const onlyKnown = await ok(reporterSon, 'POST', '/api/incidents', staffThreat({ knownAt }));
    expect(onlyKnown.occurredAt).toBe(knownAt);
  });
});

describe('who may report for which organisation', () => {
  it('a partner reports only where granted; an employee for their own organisation and its units', async () => {
    const refused = await fails(partner, 'POST', '/api/incidents', vandalism(), 403, 'REPORT_ORGANISATION_NOT_ALLOWED');
    expect(refused.fields?.[0]).toMatchObject({ path: 'organisationId' });
    expect(refused.message).toContain('Du kan inte rapportera händelser för den organisationen');
    // The police report for the police.
    await ok(partner, 'POST', '/api/incidents', vandalism({ organisationId: ids.polisen }));
    // Granted on Socialnämnden: now they may.
    const grantedPartner = await createUser(ctx.database, { homeOrganisationId: ids.polisen, grants: [{ organisationId: ids.polisen, role: 'partner' }, { organisationId: ids.son, role: 'partner' }] });
    const granted = await signIn(ctx.app, grantedPartner.email);
    await ok(granted, 'POST', '/api/incidents', vandalism());
    await fails(granted, 'POST', '/api/incidents', vandalism({ organisationId: ids.tn }), 403, 'REPORT_ORGANISATION_NOT_ALLOWED');

    // Employees: Socialnämnden's reporter (granted on Socialnämnden only, without subtree) reports for a unit of it (their own organisation),
    // not for Tekniska nämnden; Tekniska nämnden's reporter not for Socialnämnden.
    const unit = await createOrganisation(ctx.database, { parentId: ids.son, type: 'unit' });
    await ok(reporterSon, 'POST', '/api/incidents', vandalism({ organisationId: unit.id }));
    await fails(reporterSon, 'POST', '/api/incidents', vandalism({ organisationId: ids.tn }), 403, 'REPORT_ORGANISATION_NOT_ALLOWED');
    await fails(reporterTn, 'POST', '/api/incidents', vandalism(), 403, 'REPORT_ORGANISATION_NOT_ALLOWED');
    // An employee of a unit with a reporter grant elsewhere still reports for their own unit.
    const employee = await createUser(ctx.database, { homeOrganisationId: unit.id, grants: [{ organisationId: ids.tn, role: 'reporter' }] });
    const emp = await signIn(ctx.app, employee.email);
    await ok(emp, 'POST', '/api/incidents', vandalism({ organisationId: unit.id }));
    await fails(emp, 'POST', '/api/incidents', vandalism(), 403, 'REPORT_ORGANISATION_NOT_ALLOWED');
    // Whoever holds incidents.report on the municipality with subtree reports anywhere.
    await ok(reader, 'POST', '/api/incidents', vandalism({ organisationId: ids.tn }));
  });
});

describe('server efficiency', () => {
  const square = (lon: number, lat: number, d = 0.01) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });

  it('finds the area of a point among the areas whose stored box holds it', async () => {
    const db = ctx.database.db;
    const box = (lon: number, lat: number, d = 0.01) => ({ minLon: lon, minLat: lat, maxLon: lon + d, maxLat: lat + d });
    const tag = randomBytes(2).toString('hex');
    // A triangle whose box holds the point but whose polygon does not; a square that holds it; an inactive one first in priority.
    const [triangle] = await db.insert(incidentAreas).values({ name: `Triangel ${tag}`, priority: 0, geometry: { type: 'Polygon', coordinates: [[[14.5, 56.5], [14.52, 56.5], [14.5, 56.52], [14.5, 56.5]]] }, ...box(14.5, 56.5, 0.02) }).returning();
    const [inactive] = await db.insert(incidentAreas).values({ name: `Av ${tag}`, priority: 0, active: false, geometry: square(14.5, 56.5, 0.02), ...box(14.5, 56.5, 0.02) }).returning();
    const [sq] = await db.insert(incidentAreas).values({ name: `Kvadrat ${tag}`, priority: 5, geometry: square(14.5, 56.5, 0.02), ...box(14.5, 56.5, 0.02) }).returning();
    expect(await areaAt(db, 56.518, 14.518)).toBe(sq.id);
    expect(await areaAt(db, 56.501, 14.501)).toBe(triangle.id);
    expect(await areaAt(db, 56.6, 14.6)).toBeNull();
    expect([triangle.id, sq.id]).not.toContain(inactive.id);
    // Through the API, reporting and moving use it.
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism({ location: { lat: 56.518, lon: 14.518 } }));
    expect(inc.areaId).toBe(sq.id);
    const moved = await ok(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: 1, location: { lat: 56.501, lon: 14.501 } });
    expect(moved.areaId).toBe(triangle.id);
    const off = await ok(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: 2, location: null });
    expect(off.areaId).toBeNull();
  });

  it('an update answers the changed incident with its names (owner, category) and a stale version changes nothing', async () => {
    const inc = await ok(reporterSon, 'POST', '/api/incidents', vandalism());
    const updated = await ok(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: 1, categoryId: cats.graffiti, ownerId: people['samordnare@lund.example'], extra: {}, place: null });
    expect(updated).toMatchObject({ categoryKey: 'graffiti', categoryName: 'Klotter', owner: { name: 'Sam Samordnare' }, place: null, version: 2, organisationName: 'Socialnämnden' });
    expect(updated.timeline.filter((e: { kind: string }) => e.kind === 'change').map((e: { data: { field: string } }) => e.data.field).sort()).toEqual(['categoryId', 'ownerId', 'place']);
    await fails(coordinator, 'PATCH', `/api/incidents/${inc.id}`, { version: 1, status: 'closed' }, 409, 'VERSION_CONFLICT');
    const stored = await ctx.database.db.execute<{ status: string; version: number; place: string | null }>(sql`select status, version, place from incidents where id = ${inc.id}`);
    expect(stored.rows[0]).toEqual({ status: 'new', version: 2, place: null });
  });

  it('saves police type mappings in one statement: many rows at once, the last choice of a type named twice wins', async () => {
    const admin = await signIn(ctx.app, 'admin@lund.example');
    const types = Array.from({ length: 120 }, (_, i) => `Typ ${randomBytes(2).toString('hex')} ${i}`);
    const items = [...types.map((t, i) => ({ policeType: t, categoryId: i % 2 ? cats.theft : null })), { policeType: types[0], categoryId: cats.fire }];
    const saved = await ok<{ items: { policeType: string; categoryId: string | null }[] }>(admin, 'PUT', '/api/police-type-mappings', { items });
    const byType = new Map(saved.items.map((m) => [m.policeType, m.categoryId]));
    expect(byType.get(types[0])).toBe(cats.fire);
    expect(byType.get(types[1])).toBe(cats.theft);
    expect(byType.get(types[2])).toBeNull();
    const n = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from police_type_mappings where police_type like 'Typ %'`);
    expect(n.rows[0].n).toBe(120);
  });
});
