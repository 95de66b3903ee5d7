/**
 * PGlite against PostgreSQL on the list endpoints (issue #12 item 5: "PGlite within 2× of PostgreSQL on the
 * list endpoints").
 *
 * One run builds the same data in an in-memory PGlite and in a new database on the PostgreSQL server in
 * TEST_DATABASE_URL (both migrated and seeded with the Lund demo, then the same generate_series inserts):
 * ROWS (default 20 000) cases, incidents, assignments (ROWS / 10 decided cases with ten assignment clauses
 * each), governing documents, plan actions (one programme) and police events. Each list endpoint's first page
 * (limit 50; GET /api/cases, /api/incidents, /api/assignments, /api/documents, /api/actions,
 * /api/police-events; the incidents list also filtered to the restricted category and as `mine=true`, see LISTS) is
 * asked through app.inject as the same user on both apps (BENCH_USER, default the demo reader, who reads every
 * organisation's material but no secret rows, so the visibility clauses filter, and has reported one incident in
 * 9, so the incidents list is the heavy-reporter case), after
 * checking that both answer 200 with the same total and page size. Timing: request by request, the two apps
 * alternating, 3 × BENCH_RUNS requests (default 15) each after one untimed pair, the median of each side;
 * printed per endpoint: PGlite ms, PostgreSQL ms, and the ratio against the goal ≤ 2.
 *
 * The same user, the same data and the same statements (the services do not know which database they talk
 * to); what differs is the engine and its transport: PGlite answers in a worker thread of this process behind a
 * loopback socket (db/client.ts), PostgreSQL in its own processes.
 *
 * BENCH_LISTS picks endpoints by name (e.g. `cases,incidents`).
 * Run: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/engines.bench.ts
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../test/helpers/app.ts';
import { signIn } from '../test/helpers/factories.ts';
import { insertBenchCases, insertBenchDocuments, insertBenchIncidents, uuids } from './data.ts';
import { programRepo } from '../src/server/modules/program/program.repo.ts';

const ROWS = Number(process.env.ROWS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const USER = process.env.BENCH_USER ?? 'lasare@lund.example';
const GOAL = 2;
const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL) throw new Error('engines.bench.ts compares PGlite with PostgreSQL: set TEST_DATABASE_URL');
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');

/** Whether BENCH_LISTS asks for this list (all when unset): build() inserts only the rows of the lists asked for. */
const wants = (name: string) => !process.env.BENCH_LISTS || process.env.BENCH_LISTS.split(',').includes(name);

/** The same data, whatever the engine: every value derives from generate_series and the seeded rows in name order. */
async function build(ctx: TestContext) {
  const db = ctx.database.db;
  const orgIds = (await db.execute<{ id: string }>(sql`select id from organisations where type <> 'external' order by name`)).rows.map((r) => r.id);
  const userIds = (await db.execute<{ id: string }>(sql`select id from users order by email`)).rows.map((r) => r.id);
  const ks = (await db.execute<{ id: string }>(sql`select id from organisations where short_name = 'KS'`)).rows[0].id;
  if (wants('cases') || wants('assignments')) await buildCases();
  if (wants('incidents')) await insertBenchIncidents(db, { orgIds, userIds, from: 1, to: ROWS });
  if (wants('documents')) await insertBenchDocuments(db, { orgIds, from: 1, to: ROWS });
  if (wants('actions')) await buildActions();
  if (wants('police-events')) await buildPoliceEvents();
  await db.execute(sql`analyze`);

  async function buildCases() {
    // Cases: one in 50 secret, a third without officer (as bench/load.bench.ts).
    await insertBenchCases(db, { series: 'KS', registryOrganisationId: ks, orgIds, userIds, from: 1, to: ROWS, firstYear: 2000, seqOffset: 10000, pad: 5 });
    // Assignments: ROWS / 10 of those cases get a decided decision with ten assignment clauses.
    await db.execute(sql`
      insert into decisions (case_id, body_organisation_id, decided_on, paragraph, status, title)
      select c.id, ${ks}, date '2010-01-01' + c.n % 5000, 1 + c.n / 5000, 'decided', 'Bänkbeslut'
      from (select id, row_number() over (order by registry_number)::int as n from cases where series = 'KS' and seq >= 10000) c where c.n <= ${Math.ceil(ROWS / 10)}`);
    const decisionsOrdered = sql`(select d.id, d.case_id, row_number() over (order by c.registry_number)::int as n from decisions d join cases c on c.id = d.case_id where d.title = 'Bänkbeslut')`;
    for (let k = 1; k <= 10; k++)
      await db.execute(sql`
        insert into decision_clauses (decision_id, ordinal, text, effect, assignee_organisation_id, due_date)
        select d.id, ${k}, 'Uppdra åt nämnden ' || ${k}, 'assignment', (${uuids(orgIds)})[1 + (d.n + ${k}) % ${orgIds.length}],
          case when (d.n + ${k}) % 7 = 0 then null else date '2020-01-01' + ((d.n * 31 + ${k} * 101) % 3000) end
        from ${decisionsOrdered} d`);
    await db.execute(sql`
      insert into assignments (clause_id, decision_id, case_id, organisation_id, text, due_date, status)
      select k.id, d.id, d.case_id, k.assignee_organisation_id, k.text, k.due_date, case when (d.n + k.ordinal) % 3 = 0 then 'done' else 'open' end
      from decision_clauses k join ${decisionsOrdered} d on d.id = k.decision_id`);
  }

  async function buildActions() {
    // Plan actions: one programme, 8 focus areas × 5 goals; a quarter with a contributor.
    const program = await programRepo.insertProgram(db, { kind: 'program', title: 'Bänkprogram', ownerOrganisationId: orgIds[0] });
    await db.execute(sql`insert into focus_areas (program_id, number, title) select ${program.id}, n, 'Fokusområde ' || n from generate_series(1, 8) n`);
    await db.execute(sql`insert into goals (focus_area_id, number, text) select f.id, g, 'Mål ' || f.number || '.' || g from focus_areas f, generate_series(1, 5) g where f.program_id = ${program.id}`);
    const goalIds = (await db.execute<{ id: string }>(sql`select g.id from goals g join focus_areas f on f.id = g.focus_area_id where f.program_id = ${program.id} order by f.number, g.number`)).rows.map((r) => r.id);
    await db.execute(sql`
      insert into plan_actions (goal_id, title, responsible_organisation_id, status, progress, created_at, updated_at)
      select (${uuids(goalIds)})[1 + (i * 7) % ${goalIds.length}], 'Åtgärd ' || i, (${uuids(orgIds)})[1 + (i * 13) % ${orgIds.length}],
        (array['not_started','in_progress','in_progress','done','delayed'])[1 + (i * 17) % 5], (i * 31) % 101,
        timestamptz '2024-01-01' + i * interval '1 minute', timestamptz '2024-01-01'
      from generate_series(1, ${ROWS}::int) i`);
    await db.execute(sql`
      insert into plan_action_contributors (action_id, organisation_id)
      select a.id, (${uuids(orgIds)})[1 + (a.n * 5) % ${orgIds.length}]
      from (select id, row_number() over (order by created_at)::int as n from plan_actions where goal_id = any(${uuids(goalIds)})) a where a.n % 4 = 0
      on conflict do nothing`);
  }

  async function buildPoliceEvents() {
    await db.execute(sql`
      insert into police_events (id, datetime, name, summary, url, type, location_name, lat, lon)
      select 9000000 + i, timestamptz '2022-01-01T00:00:00Z' + ((i::bigint * 2654435761) % 126000000) * interval '1 second', 'Händelse ' || i, 'Sammanfattning',
        'https://polisen.se/aktuellt/handelser/' || i, (array['Stöld','Skadegörelse','Misshandel','Trafikolycka','Inbrott','Brand'])[1 + i % 6], 'Lund',
        55.6 + (i % 1000) / 5000.0, 13.05 + (i % 997) / 2000.0
      from generate_series(1, ${ROWS}::int) i`);
  }
}

/**
 * BENCH_LISTS: a comma-separated subset by name (cases,incidents,assignments,documents,actions,police-events).
 * The incidents list is asked three ways, all against the goal: as it opens; filtered to the restricted category
 * (staff safety), whose total for a user without incidents.manage is their own restricted reports alone; and the
 * user's own reports (`mine=true`). The benchmark's reporters are spread over every demo user, so the user has
 * reported one incident in 9 (22 222 of 200 000, 1 169 of them restricted; printed): the heavy-reporter case, whose
 * total once counted the user's own reports one by one (issue #12 item 5; incident_reporter_counts, migration 0031).
 * `{staff_threat}` is replaced by that category's id on each database.
 */
const LISTS: { name: string; url: string }[] = [
  { name: 'cases', url: '/api/cases?limit=50' },
  { name: 'incidents', url: '/api/incidents?limit=50' },
  { name: 'incidents', url: '/api/incidents?limit=50&categoryId={staff_threat}' },
  { name: 'incidents', url: '/api/incidents?limit=50&mine=true' },
  { name: 'assignments', url: '/api/assignments?limit=50' },
  { name: 'documents', url: '/api/documents?limit=50' },
  { name: 'actions', url: '/api/actions?limit=50' },
  { name: 'police-events', url: '/api/police-events?limit=50' },
].filter((l) => wants(l.name));

console.log(`rows per list: ${ROWS}; user: ${USER}; load at start: ${loadavg()}`);
const sides: { name: string; ctx: TestContext; cookie: string; staffThreat: string }[] = [];
for (const name of ['PGlite', 'PostgreSQL'] as const) {
  const t0 = performance.now();
  if (name === 'PGlite') delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = PG_URL;
  const ctx = await createTestApp();
  await build(ctx);
  const staffThreat = (await ctx.database.db.execute<{ id: string }>(sql`select id from incident_categories where key = 'staff_threat'`)).rows[0].id;
  sides.push({ name, ctx, cookie: await signIn(ctx.app, USER), staffThreat });
  const own = (await ctx.database.db.execute<{ n: number; secret: number }>(sql`
    select count(*)::int as n, (count(*) filter (where i.restricted or i.secrecy_ref is not null))::int as secret
    from incidents i join users u on u.id = i.reported_by where u.email = ${USER}`)).rows[0];
  console.log(`${name} (${ctx.database.kind}): built in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${USER} has reported ${own.n} incidents, ${own.secret} of them restricted or secret`);
}
process.env.TEST_DATABASE_URL = PG_URL;

async function get(side: (typeof sides)[number], url: string) {
  const res = await side.ctx.app.inject({ method: 'GET', url: url.replace('{staff_threat}', side.staffThreat), headers: { cookie: side.cookie } });
  if (res.statusCode !== 200) throw new Error(`${side.name} ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return res.json() as { items: unknown[]; total: number };
}

let allOk = true;
const table: string[] = [];
for (const { url } of LISTS) {
  const [a, b] = [await get(sides[0], url), await get(sides[1], url)];
  if (a.total !== b.total || a.items.length !== b.items.length) throw new Error(`${url}: PGlite ${a.items.length} of ${a.total}, PostgreSQL ${b.items.length} of ${b.total}`);
  // Request by request, alternating (PGlite, PostgreSQL, PostgreSQL, PGlite, …), so that a burst of other work on
  // the machine falls on both sides alike; the median of each side.
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < 3 * RUNS + 1; i++) {
    for (const k of i % 2 ? [1, 0] : [0, 1]) {
      const s = performance.now();
      await get(sides[k], url);
      if (i > 0) times[k].push(performance.now() - s);
    }
  }
  const med = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const lite = 3 * med(times[0]);
  const pg = 3 * med(times[1]);
  const ratio = lite / pg;
  const ok = ratio <= GOAL;
  allOk &&= ok;
  const line = `${url} (${a.items.length} of ${a.total}): PGlite ${(lite / 3).toFixed(1)} ms, PostgreSQL ${(pg / 3).toFixed(1)} ms, ratio ${ratio.toFixed(2)} (goal ≤ ${GOAL}) ${ok ? 'OK' : 'OVER'}`;
  console.log(line);
  table.push(line);
}
console.log(`load at the end: ${loadavg()}`);
for (const s of sides) await s.ctx.close();
process.exit(allOk ? 0 : 1);
