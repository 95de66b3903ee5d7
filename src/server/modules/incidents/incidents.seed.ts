import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
import { crimeStatistics } from '../../db/schema/index.ts';
import type { CrimeStatKind } from './lagesbild.crimestats.ts';
import type { RequestContext } from '../../lib/audit.ts';
import type { Actor } from '../../lib/policies.ts';
import type { CreateIncident } from '../../../shared/schemas/incidents.ts';
import { createIncidentService } from './incidents.service.ts';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/**
 * Demo incidents in Lund: invented events at real places, all marked is_example. Reported through the
 * service (timeline, clocks and audit as in real use) by the demo reporter and the demo coordinator.
 */
export async function seedIncidentDemo(db: Db, opts: { coordinatorEmail: string; reporterEmail: string }) {
  const orgs = new Map((await db.execute<{ key: string; id: string }>(sql`select key, id from organisations where key is not null`)).rows.map((r) => [r.key, r.id]));
  const cats = new Map((await db.execute<{ key: string; id: string }>(sql`select key, id from incident_categories`)).rows.map((r) => [r.key, r.id]));
  const userOf = async (email: string) => {
    const u = (await db.execute<{ id: string; name: string; email: string }>(sql`select id, name, email from users where email = ${email}`)).rows[0];
    if (!u) throw new Error(`seedIncidentDemo: no user ${email}`);
    return u;
  };
  const c = await userOf(opts.coordinatorEmail);
  const r = await userOf(opts.reporterEmail);
  const coordinator: Actor = { id: c.id, name: c.name, email: c.email, sessionId: 'seed', grants: [{ organisationId: orgs.get('lund')!, role: 'coordinator', includeSubtree: true }] };
  const reporter: Actor = { id: r.id, name: r.name, email: r.email, sessionId: 'seed', grants: [] };
  const ctxOf = (a: Actor): RequestContext => ({ actor: { id: a.id, name: a.name }, requestId: 'seed' });
  const svc = createIncidentService({ db });
  const report = (a: Actor, input: Omit<CreateIncident, 'categoryId' | 'organisationId'> & { category: string; org: string }) => {
    const { category, org, ...rest } = input;
    return svc.report(ctxOf(a), a, { ...rest, categoryId: cats.get(category)!, organisationId: orgs.get(org)! }, { isExample: true });
  };

  await report(coordinator, { category: 'graffiti', org: 'tn', description: 'Exempel: klotter på fasaden mot Stortorget, ca 4 m².', occurredAt: hoursAgo(30), location: { lat: 55.7046, lon: 13.1937 }, place: 'Stortorget', extra: { areaM2: 4, offensive: false } });
  const park = await report(coordinator, { category: 'unsafe_place', org: 'tn', description: 'Exempel: tre gatlampor ur funktion längs gångvägen, upplevs otryggt kvällstid.', occurredAt: hoursAgo(72), location: { lat: 55.6996, lon: 13.1903 }, place: 'Stadsparken, gångvägen mot Sandgatan', severity: 2, extra: { cause: 'belysning' } });
  await svc.update(ctxOf(coordinator), coordinator, park.id, { version: park.version, status: 'in_progress', ownerId: coordinator.id });
  await report(coordinator, { category: 'fire', org: 'lkf', description: 'Exempel: brand i soprum/container, släckt av räddningstjänsten.', occurredAt: hoursAgo(50), location: { lat: 55.7131, lon: 13.2342 }, place: 'Linero', premises: 'Soprum, flerbostadshus', severity: 3, extra: { rescueServiceAlerted: true } });
  await report(reporter, { category: 'vandalism', org: 'son', description: 'Exempel: krossad glasruta i entrédörren på morgonen.', occurredAt: hoursAgo(20), location: { lat: 55.7093, lon: 13.1968 }, premises: 'Exempelboendet (påhittat)', anonymous: true });
  const threat = await report(reporter, {
    category: 'staff_threat',
    org: 'son',
    description: 'Exempel: en besökare hotade en handläggare verbalt i receptionen och sparkade på dörren.',
    occurredAt: hoursAgo(6),
    knownAt: hoursAgo(5),
    place: 'Receptionen',
    premises: 'Exempelkontoret (påhittat)',
    severity: 3,
    staff: { victimRole: 'employee', perpetratorRelation: 'client', policeReportNumber: null, sickLeave: false, sickLeaveDays: null },
  });
  await svc.comment(ctxOf(coordinator), coordinator, threat.id, 'Exempel: stödsamtal erbjudet; skyddsombud informerat.');
}

/**
 * Example figures for the demo (SEED_DEMO with the history): invented numbers, not Brå's or any survey's, and
 * labelled so in their source, so that part 1 of a demo lägesbild shows what imported statistics look like.
 * The last four full years before `thisYear`.
 */
export async function seedCrimeStatisticsDemo(ex: Executor, opts: { municipalityCode: string; importedBy: string; thisYear: number }) {
  const reported: [string, number[]][] = [
    ['Stöld och tillgrepp', [5400, 5150, 5320, 5010]],
    ['Skadegörelse', [2150, 2260, 2080, 1990]],
    ['Misshandel', [610, 640, 590, 605]],
    ['Narkotikabrott', [720, 810, 860, 790]],
    ['Bedrägeri', [2300, 2480, 2650, 2720]],
  ];
  const survey: [string, number[]][] = [
    ['Andel som känner sig otrygga ute sent en kväll i sitt bostadsområde (%)', [27, 26, 28, 25]],
    ['Andel som avstått från aktivitet på grund av otrygghet (%)', [14, 15, 13, 13]],
  ];
  const years = [4, 3, 2, 1].map((n) => opts.thisYear - n);
  const rows = (kind: CrimeStatKind, source: string, series: [string, number[]][]) =>
    series.flatMap(([category, values]) => values.map((value, i) => ({ kind, municipalityCode: opts.municipalityCode, category, year: years[i], value: String(value), source, importedBy: opts.importedBy })));
  await ex
    .insert(crimeStatistics)
    .values([...rows('reported', 'Exempeldata (påhittade siffror, inte Brå)', reported), ...rows('survey', 'Exempeldata (påhittad trygghetsmätning)', survey)])
    .onConflictDoNothing();
}
