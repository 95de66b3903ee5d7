/**
 * Incidents benchmark (issue #6): INCIDENTS incidents (default 1 000 000) over 5 years in the Lund box.
 *
 * a. GET /api/incident-statistics (category × month × area for one year and a bbox) against the same two
 *    statements (this year's cells, last year's counts) run directly. Target: ratio ≤ 1.5.
 * b. GET /api/incident-map (clusters for the whole municipality at zoom 12 over all time and over the lägesbild's
 *    twelve months up to a day in the middle of a month, and for a year at zoom 14)
 *    against the same clustering as hand-written SQL. Target: ratio ≤ 1.5. Single points at zoom 16 are
 *    reported too, without a target: the query takes about a millisecond, so the ratio is mostly the
 *    fixed per-request cost (session, organisation tree, validation, JSON).
 * c. Importing 100 000 police events through the import service (parse, checks, dedupe, municipality
 *    filter, upsert, audit) against the plain load of the same rows with `COPY police_events (…) FROM
 *    STDIN` (CSV, through pg-copy-streams). Target: throughput ratio ≥ 1/3. One INSERT … SELECT from
 *    json_to_recordset of the same rows is reported as a second baseline.
 * d. The incidents list (issue #12): the first page of 50 with its total, unfiltered and with a filter
 *    (status and organisation) — the list's statement as the service runs it (incidentsRepo.pageIncidents,
 *    with the access core's visibility clause) against the bare page query (the same page without a total
 *    and without the clause). Target: ratio ≤ 1.5. Reported beside it without a target: GET /api/incidents
 *    against the same bare query (adds the fixed per-request cost; see bench/load.bench.ts for that against a
 *    bare server) and the former way, the page with `count(*) over ()`.
 *
 * a and b (issue #12 item 3): the endpoints read the lägesbild's aggregates (incidents.aggregate.ts) and the
 * direct SQL is the base query over the incidents table: the answers are checked equal first, and at
 * 1 000 000 incidents each median is held against the goal of 150 ms.
 *
 * i (issue #12 item 3): what the aggregates' trigger costs a write — 200 single-row inserts and one insert of
 *    10 000 rows, with the trigger and with it disabled, each in a transaction that is rolled back.
 *
 * The endpoints choose their path by size (incidents.aggregate.ts: the aggregates from 100 000 incidents on),
 * so below that a and b compare the base query with itself through the endpoint (the regression check).
 *
 * BENCH_PARTS picks the parts (default `abcdi`; `d` runs only the list, `abi` the statistics, the map and the write cost).
 * Every comparison first checks the two answers are equal; the sides are timed interleaved, median of runs.
 * Run: INCIDENTS=200000 node --import tsx bench/incidents.bench.ts   (PGlite; TEST_DATABASE_URL=postgres://… for PostgreSQL)
 *
 * BENCH_DATABASE=name (PostgreSQL only): keep the built database under that name on the server of TEST_DATABASE_URL
 * and reuse it on the next run — migrations not yet applied there are applied (as on an upgrade), the incidents are
 * built only when the database does not yet hold exactly INCIDENTS of them. Drop it by hand when done.
 */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
// @ts-expect-error: pg's utils have no types; prepareValue is how pg sends a value
import pgUtils from 'pg/lib/utils.js';
import { from as copyFrom } from 'pg-copy-streams';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestApp } from '../test/helpers/app.ts';
import { queriesDuring } from '../test/helpers/db.ts';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { runMigrations } from '../src/server/db/migrate.ts';
import { seedDemo } from '../src/server/seed/seed.ts';
import { signIn } from '../test/helpers/factories.ts';
import { createPoliceImporter } from '../src/server/modules/incidents/incidents.police.ts';
import { cellSizeOf, createIncidentMap } from '../src/server/modules/incidents/incidents.map.ts';
import { createIncidentStats } from '../src/server/modules/incidents/incidents.stats.ts';
import { AGGREGATE_MIN_INCIDENTS } from '../src/server/modules/incidents/incidents.aggregate.ts';
import { incidentsRepo } from '../src/server/modules/incidents/incidents.repo.ts';
import { loadOrgTree } from '../src/server/lib/context.ts';
import { accessOf } from '../src/server/access/index.ts';
import type { Actor } from '../src/server/lib/policies.ts';
import type { Role } from '../src/shared/roles.ts';
import { median as medianOf } from './timing.ts';
import { uuids } from './data.ts';

const N = Number(process.env.INCIDENTS ?? 1_000_000);
const POLICE = Number(process.env.POLICE_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PARTS = process.env.BENCH_PARTS ?? 'abcdi';
/** Lund's box: west, south, east, north. */
const LUND = [13.05, 55.6, 13.55, 55.8] as const;

const KEEP = process.env.BENCH_DATABASE;
/** The app on the kept database (BENCH_DATABASE): created and seeded the first time, migrated and reused after. */
async function keptApp(name: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('BENCH_DATABASE: a lower-case name');
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('BENCH_DATABASE needs TEST_DATABASE_URL (PostgreSQL)');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const fresh = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 0;
  if (fresh) await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  const m = performance.now();
  await runMigrations(database);
  console.log(`kept database ${name}: ${fresh ? 'created' : 'reused'}, migrations in ${Math.round(performance.now() - m)} ms`);
  if (fresh) await seedDemo(database.db);
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-files-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', SEED_DEMO: 'false', API_RATE_LIMIT: '1000000', FILES_DIR: filesDir });
  const app = await buildApp({ config, database });
  await app.ready();
  return { app, database, config, close: async () => (await app.close(), await database.close(), fs.rmSync(filesDir, { recursive: true, force: true })) };
}
const ctx = KEEP ? await keptApp(KEEP) : await createTestApp();
const db = ctx.database.db;
const kind = ctx.database.kind;
const built = KEEP ? (await db.execute<{ n: number }>(sql`select count(*)::int as n from incidents where description like 'Bänkhändelse %'`)).rows[0].n : 0;
if (built && built !== N) throw new Error(`BENCH_DATABASE ${KEEP} holds ${built} bench incidents, not ${N}: drop it or use another name`);

// --- Data: areas on a 4 × 4 grid over the box, incidents spread over categories, organisations, reporters ---
const t0 = performance.now();
const areaIds: string[] = [];
for (let y = 0; y < 4 && !built; y++)
  for (let x = 0; x < 4; x++) {
    const w = LUND[0] + x * 0.125, s = LUND[1] + y * 0.05, e = w + 0.125, n = s + 0.05;
    const geometry = { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
    const r = await db.execute<{ id: string }>(sql`insert into incident_areas (name, geometry, min_lat, min_lon, max_lat, max_lon) values (${`Bänkområde ${y * 4 + x + 1}`}, ${JSON.stringify(geometry)}::jsonb, ${s}, ${w}, ${n}, ${e}) returning id`);
    areaIds.push(r.rows[0].id);
  }
const cats = (await db.execute<{ id: string; staff_safety: boolean }>(sql`select id, staff_safety from incident_categories order by sort_order, key`)).rows;
const orgIds = (await db.execute<{ id: string }>(sql`select id from organisations order by name`)).rows.map((r) => r.id);
const userIds = (await db.execute<{ id: string }>(sql`select id from users order by email`)).rows.map((r) => r.id);
const restrictedFlags = cats.map((c) => c.staff_safety);
const BATCH = 100_000;
for (let start = 1; start <= N && !built; start += BATCH) {
  const end = Math.min(N, start + BATCH - 1);
  // Deterministic spread: positions and times from multiplicative hashes of i.
  await db.execute(sql`
    insert into incidents (category_id, description, occurred_at, known_at, lat, lon, organisation_id, reported_by, status, area_id, restricted)
    select (${uuids(cats.map((c) => c.id))})[1 + k], 'Bänkhändelse ' || i, t, t, lat, lon,
      (${uuids(orgIds)})[1 + (i * 13) % ${orgIds.length}], (${uuids(userIds)})[1 + (i * 17) % ${userIds.length}],
      (array['new','in_progress','closed','closed'])[1 + (i * 7) % 4],
      (${uuids(areaIds)})[1 + least(3, floor((lon - ${LUND[0]}) / 0.125)::int) + 4 * least(3, floor((lat - ${LUND[1]}) / 0.05)::int)],
      (${sql.param(restrictedFlags)}::boolean[])[1 + k]
    from (select i, (i * 7) % ${cats.length} as k,
            ${LUND[1]} + ((i::bigint * 7919) % 100003) / 100003.0 * 0.2 as lat,
            ${LUND[0]} + ((i::bigint * 104729) % 99991) / 99991.0 * 0.5 as lon,
            timestamptz '2021-12-01T00:00:00Z' + ((i::bigint * 2654435761) % 157680000) * interval '1 second' as t
          from generate_series(${start}::int, ${end}::int) i) g`);
}
// The incidents and the aggregates the trigger kept while loading (issue #12 item 3): vacuumed as autovacuum would
// after so many inserts, so that index-only scans (the aggregates, the box edges on the position indexes) read no heap.
const tAgg = performance.now();
await db.execute(sql`vacuum analyze incidents`);
await db.execute(sql`vacuum analyze incident_aggregates`);
const aggRows = (await db.execute<{ level: string; n: number }>(sql`select z || case when year then ' year' else ' month' end as level, count(*)::int as n from incident_aggregates group by z, year order by z, year`)).rows;
console.log(`aggregates: ${aggRows.map((r) => `z ${r.level} ${r.n} rows`).join(', ')} (vacuumed in ${Math.round(performance.now() - tAgg)} ms)`);
console.log(`data: ${N} incidents over 5 years, ${cats.length} categories, ${orgIds.length} organisations, 16 areas (${kind}), ${built ? 'kept from an earlier run' : `built in ${Math.round(performance.now() - t0)} ms`}`);

const coordinator = await signIn(ctx.app, 'samordnare@lund.example');
const getJson = async (url: string) => {
  const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie: coordinator } });
  if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.json();
};

/** The median over the run count of this benchmark (BENCH_RUNS). */
const median = (fn: () => Promise<unknown>, runs = RUNS) => medianOf(fn, runs);
/** Interleaved: three rounds, baseline then endpoint, so that neither profits from a quieter moment. */
async function compare(name: string, endpoint: () => Promise<unknown>, baseline: () => Promise<unknown>, target: number | null) {
  let api = 0;
  let raw = 0;
  for (let i = 0; i < 3; i++) {
    raw += await median(baseline);
    api += await median(endpoint);
  }
  const ratio = api / raw;
  const verdict = target === null ? '(reported, no target)' : `(target ≤ ${target}) ${ratio <= target ? 'OK' : 'OVER TARGET'}`;
  console.log(`${name}: endpoint ${(api / 3).toFixed(1)} ms, direct SQL ${(raw / 3).toFixed(1)} ms, ratio ${ratio.toFixed(2)} ${verdict}`);
  return { ok: target === null || ratio <= target, ms: api / 3 };
}
/** Issue #12 item 3: the lägesbild's statistics and clusters answer within 150 ms (median) at 1 000 000 incidents. */
const GOAL_MS = 150;
function goal(name: string, ms: number) {
  const ok = ms <= GOAL_MS;
  console.log(`${name}: median ${ms.toFixed(1)} ms through the endpoint (goal ≤ ${GOAL_MS} ms at 1 000 000 incidents) ${ok ? 'OK' : 'OVER GOAL'}`);
  return ok;
}
let allOk = true;
/** The path the endpoints take at this size (incidents.aggregate.ts). */
const PATH = N >= AGGREGATE_MIN_INCIDENTS ? 'the aggregates' : 'the base query, below the aggregates\' threshold';
async function actorFor(email: string): Promise<Actor> {
  const u = (await db.execute<{ id: string; name: string }>(sql`select id, name from users where email = ${email}`)).rows[0];
  const grants = (await db.execute<{ organisation_id: string; role: Role; include_subtree: boolean }>(sql`select organisation_id, role, include_subtree from role_grants where user_id = ${u.id}`)).rows;
  return { id: u.id, name: u.name, email, sessionId: '', grants: grants.map((g) => ({ organisationId: g.organisation_id, role: g.role, includeSubtree: g.include_subtree })) };
}
const statsService = createIncidentStats({ db });
const mapService = createIncidentMap({ db });
/** Both paths in the service, whatever the size (reported): the aggregates forced against the base query. */
async function paths<T>(label: string, run: (path: 'aggregates' | 'base') => Promise<T>, same: (r: T) => unknown = (r) => r) {
  if (JSON.stringify(same(await run('aggregates'))) !== JSON.stringify(same(await run('base')))) throw new Error(`${label}: the paths differ`);
  let agg = 0, base = 0;
  for (let i = 0; i < 3; i++) {
    base += await median(() => run('base'));
    agg += await median(() => run('aggregates'));
  }
  console.log(`${label}, in the service (reported): aggregates ${(agg / 3).toFixed(1)} ms, base query ${(base / 3).toFixed(1)} ms`);
}

// --- d. The incidents list: first page with its total against the bare page query ---
if (PARTS.includes('d')) {
  const page = (where: ReturnType<typeof sql>) => sql`
    select i.*, c.key as category_key, c.name as category_name, o.name as organisation_name, r.name as reporter_name, w.name as owner_name
    from (select i.* from incidents i where ${where} order by i.occurred_at desc, i.id limit 50) i
    join incident_categories c on c.id = i.category_id join organisations o on o.id = i.organisation_id
    join users r on r.id = i.reported_by left join users w on w.id = i.owner_id
    order by i.occurred_at desc, i.id`;
  /** The former list: the page with a window count, which joins and sorts every matching row. */
  const windowed = (where: ReturnType<typeof sql>) => sql`
    select i.*, c.key as category_key, c.name as category_name, o.name as organisation_name, r.name as reporter_name, w.name as owner_name,
           count(*) over ()::int as total
    from incidents i join incident_categories c on c.id = i.category_id join organisations o on o.id = i.organisation_id
    join users r on r.id = i.reported_by left join users w on w.id = i.owner_id
    where ${where} order by i.occurred_at desc, i.id limit 50`;
  const org = orgIds[3];
  // The coordinator, as the service sees them: their grants and the organisation tree.
  const me = (await db.execute<{ id: string }>(sql`select id from users where email = 'samordnare@lund.example'`)).rows[0].id;
  const grants = (await db.execute<{ organisation_id: string; role: Role; include_subtree: boolean }>(sql`select organisation_id, role, include_subtree from role_grants where user_id = ${me}`)).rows;
  const actor: Actor = { id: me, name: 'Samordnare', email: '', sessionId: '', grants: grants.map((g) => ({ organisationId: g.organisation_id, role: g.role, includeSubtree: g.include_subtree })) };
  const access = accessOf(actor, await loadOrgTree(db));
  for (const [label, query, where, filter] of [
    ['d. incidents list, first page', '', sql`true`, {}],
    ['d. incidents list, status + organisation', `&status=in_progress&organisationId=${org}`, sql`i.status = 'in_progress' and i.organisation_id = ${org}`, { status: 'in_progress', organisationId: org }],
  ] as const) {
    const url = `/api/incidents?limit=50${query}`;
    const bare = async () => (await db.execute<{ id: string }>(page(where))).rows.map((r) => r.id);
    const api = await getJson(url);
    const ids = await bare();
    if (JSON.stringify(api.items.map((i: { id: string }) => i.id)) !== JSON.stringify(ids)) throw new Error(`${label}: endpoint and SQL differ`);
    const count = (await db.execute<{ n: number }>(sql`select count(*)::int as n from incidents i where ${where}`)).rows[0].n;
    if (api.total !== count) throw new Error(`${label}: total ${api.total}, SQL counts ${count}`);
    console.log(`${label}: ${api.items.length} of ${api.total}`);
    if (process.env.BENCH_PROFILE) {
      // The plan of the list's statement (captured from the pool) and of the bare page.
      const captured = (await queriesDuring(ctx.database, () => incidentsRepo.pageIncidents(db, access, { limit: 50, ...filter })))[0];
      const plan = await ctx.database.pool.query(`explain (analyze, costs off) ${captured!.text}`, captured!.values);
      console.log(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
      // As a prepared statement (the way executePrepared sends it): PREPARE, then seven EXECUTEs; from the sixth
      // on PostgreSQL may use a generic plan (planning time near zero). Each run's planning and execution time.
      const client = await ctx.database.pool.connect();
      try {
        const literals = captured!.values.map((v) => (v === null ? 'null' : client.escapeLiteral(String(pgUtils.prepareValue(v)))));
        await client.query(`prepare bench_list as ${captured!.text}`);
        const times: string[] = [];
        let last: string[] = [];
        for (let k = 0; k < 7; k++) {
          const r = await client.query(`explain (analyze, costs off) execute bench_list(${literals.join(', ')})`);
          last = r.rows.map((x: Record<string, string>) => x['QUERY PLAN']);
          const t = (what: string) => last.find((l) => l.startsWith(what))?.replace(/.*: /, '') ?? '—';
          times.push(`${t('Planning Time')} + ${t('Execution Time')}`);
        }
        await client.query('deallocate bench_list');
        console.log(`prepared, planning + execution per run: ${times.join('; ')}`);
        console.log(last.filter((l) => !/^\s{12,}/.test(l)).join('\n'));
      } finally {
        client.release();
      }
    }
    const listed = await incidentsRepo.pageIncidents(db, access, { limit: 50, ...filter });
    if (JSON.stringify(listed.rows.map((r) => r.id)) !== JSON.stringify(ids) || listed.total !== count) throw new Error(`${label}: list statement differs`);
    allOk = (await compare(`${label} (page + total statement)`, () => incidentsRepo.pageIncidents(db, access, { limit: 50, ...filter }), bare, 1.5)).ok && allOk;
    await compare(`${label} (GET /api/incidents, reported)`, () => getJson(url), bare, null);
    const before = await median(() => db.execute(windowed(where)));
    const plain = await median(bare);
    console.log(`${label}, former window count (reported, no target): ${before.toFixed(1)} ms, bare page ${plain.toFixed(1)} ms, ratio ${(before / plain).toFixed(2)}`);
  }
}

// --- i. The cost of the aggregates on writes (issue #12 item 3): inserts with and without their trigger, rolled back ---
if (PARTS.includes('i')) {
  const one = (i: number) => sql`insert into incidents (category_id, description, occurred_at, known_at, lat, lon, organisation_id, reported_by, status)
    values (${cats[i % cats.length].id}, 'Skrivtest', now() - ${i} * interval '1 hour', now(), ${LUND[1] + (i % 97) / 500}, ${LUND[0] + (i % 89) / 200}, ${orgIds[i % orgIds.length]}, ${userIds[i % userIds.length]}, 'new')`;
  const many = sql`insert into incidents (category_id, description, occurred_at, known_at, lat, lon, organisation_id, reported_by, status)
    select ${cats[0].id}, 'Skrivtest', now() - g * interval '1 minute', now(), ${LUND[1]} + (g % 997) / 5000.0, ${LUND[0]} + (g % 991) / 2000.0, ${orgIds[0]}, ${userIds[0]}, 'new' from generate_series(1, 10000) g`;
  const timed = async (withTrigger: boolean) => {
    let singles = 0, bulk = 0;
    await db
      .transaction(async (tx) => {
        if (!withTrigger) await tx.execute(sql`alter table incidents disable trigger incident_aggregates_insert`);
        let s = performance.now();
        for (let i = 0; i < 200; i++) await tx.execute(one(i));
        singles = (performance.now() - s) / 200;
        s = performance.now();
        await tx.execute(many);
        bulk = performance.now() - s;
        tx.rollback();
      })
      .catch((e: Error) => {
        if (!/rollback/i.test(e.message)) throw e;
      });
    return { singles, bulk };
  };
  const runs: { on: { singles: number; bulk: number }; off: { singles: number; bulk: number } }[] = [];
  for (let r = 0; r < 3; r++) runs.push({ off: await timed(false), on: await timed(true) });
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[1];
  const [onS, offS, onB, offB] = [med(runs.map((r) => r.on.singles)), med(runs.map((r) => r.off.singles)), med(runs.map((r) => r.on.bulk)), med(runs.map((r) => r.off.bulk))];
  console.log(`i. insert cost of the aggregates (median of 3, rolled back): one incident ${onS.toFixed(2)} ms with the trigger, ${offS.toFixed(2)} ms without (×${(onS / offS).toFixed(2)}); 10 000 in one statement ${onB.toFixed(0)} ms with, ${offB.toFixed(0)} ms without (×${(onB / offB).toFixed(2)})`);
}

// --- a. Statistics: one year, a bbox over the centre ---
const from = '2025-01-01T00:00:00+01:00';
const to = '2026-01-01T00:00:00+01:00';
const [pf, pt] = ['2024-01-01T00:00:00+01:00', '2025-01-01T00:00:00+01:00'];
const box = [13.1, 55.65, 13.4, 55.75];
const statsUrl = `/api/incident-statistics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&bbox=${box.join(',')}`;
// The coordinator manages the whole municipality: every incident is visible, so the direct SQL needs no visibility clause.
const cellsSql = sql`
  select i.category_id, c.key as category_key, to_char(i.occurred_at at time zone 'Europe/Stockholm', 'YYYY-MM') as month,
         i.area_id, a.name as area_name, count(*)::int as count
  from incidents i join incident_categories c on c.id = i.category_id left join incident_areas a on a.id = i.area_id
  where i.occurred_at >= ${from} and i.occurred_at < ${to} and i.lon between ${box[0]} and ${box[2]} and i.lat between ${box[1]} and ${box[3]}
  group by 1, 2, 3, 4, 5 order by 3, 2, 5 nulls last`;
const prevSql = sql`
  select c.key as category_key, count(*)::int as count from incidents i join incident_categories c on c.id = i.category_id
  where i.occurred_at >= ${pf} and i.occurred_at < ${pt} and i.lon between ${box[0]} and ${box[2]} and i.lat between ${box[1]} and ${box[3]} group by 1`;
const statsDirect = async () => {
  const cells = await db.execute<{ category_key: string; month: string; area_id: string | null; count: number }>(cellsSql);
  const prev = await db.execute<{ count: number }>(prevSql);
  return { cells: cells.rows, prev: prev.rows };
};
if (PARTS.includes('a')) {
  const api = await getJson(statsUrl);
  const direct = await statsDirect();
  const a = JSON.stringify(api.cells.map((c: { categoryKey: string; month: string; areaId: string | null; count: number }) => [c.categoryKey, c.month, c.areaId, c.count]));
  const b = JSON.stringify(direct.cells.map((c) => [c.category_key, c.month, c.area_id, c.count]));
  if (a !== b) throw new Error('statistics: endpoint and SQL differ');
  if (api.previousYearTotal !== direct.prev.reduce((s, r) => s + r.count, 0)) throw new Error('statistics: previous year differs');
  console.log(`statistics: ${api.cells.length} cells, ${api.total} incidents in the year and box`);
  const r = await compare(`a. statistics (endpoint: ${PATH}; direct SQL = the base query over incidents)`, () => getJson(statsUrl), statsDirect, 1.5);
  allOk = r.ok && allOk;
  if (N >= 1_000_000) allOk = goal('a. statistics', r.ms) && allOk;
  else goal('a. statistics (below 1 000 000 incidents: reported)', r.ms);
  const q = { from, to, bbox: box as [number, number, number, number] };
  const coordinatorActor = await actorFor('samordnare@lund.example');
  const readerActor = await actorFor('lasare@lund.example');
  await paths('a. statistics as the coordinator', (path) => statsService.stats(coordinatorActor, q, { path }));
  await paths('a. statistics as the reader (reads everywhere, manages nowhere)', (path) => statsService.stats(readerActor, q, { path }));
  await paths('a. statistics without a box, as the coordinator', (path) => statsService.stats(coordinatorActor, { from, to }, { path }));
}

// --- b. Map: clusters for the municipality at zoom 12, single points in a small box at zoom 16 ---
/** The lägesbild's own period: the twelve months up to a day in the middle of a month (the last month not whole). */
const rolling = ['2024-12-31T23:00:00Z', '2025-12-15T23:00:00Z'] as const;
for (const [label, zoom, b, when] of !PARTS.includes('b') ? [] : [
  ['b. map clusters (zoom 12, all of Lund, 5 years)', 12, LUND, null],
  ['b. map clusters (zoom 12, all of Lund, 12 months to mid-December)', 12, LUND, rolling],
  ['b. map clusters (zoom 14, one year)', 14, box, [from, to]],
  ['b. map points (zoom 16)', 16, [13.19, 55.70, 13.20, 55.705], null],
] as const) {
  const period = when ? `&from=${encodeURIComponent(when[0])}&to=${encodeURIComponent(when[1])}` : '';
  const url = `/api/incident-map?bbox=${b.join(',')}&zoom=${zoom}${period}`;
  const size = cellSizeOf(zoom);
  const time = when ? sql` and i.occurred_at >= ${when[0]} and i.occurred_at < ${when[1]}` : sql``;
  const direct =
    zoom >= 15
      ? async () =>
          (await db.execute<{ id: string }>(sql`select i.id, i.lat, i.lon, c.key, i.category_id, i.status, i.occurred_at, count(*) over ()::int as total
            from incidents i join incident_categories c on c.id = i.category_id
            where i.lon between ${b[0]} and ${b[2]} and i.lat between ${b[1]} and ${b[3]} order by i.occurred_at desc, i.id limit 2000`)).rows.map((r) => [r.id])
      : async () =>
          (
            await db.execute<{ gx: number; gy: number; n: number; key: string }>(sql`
            select g.gx, g.gy, g.n, g.lat, g.lon, c.key from (
              select floor(i.lon / ${size})::int as gx, floor(i.lat / ${size})::int as gy, count(*)::int as n, avg(i.lat) as lat, avg(i.lon) as lon,
                     mode() within group (order by i.category_id) as category_id
              from incidents i where i.lon between ${b[0]} and ${b[2]} and i.lat between ${b[1]} and ${b[3]}${time} group by 1, 2) g
            join incident_categories c on c.id = g.category_id order by g.gy, g.gx`)
          ).rows.map((r) => [r.gx, r.gy, r.n, r.key]);
  const api = await getJson(url);
  const mine = zoom >= 15 ? api.points.map((p: { id: string }) => [p.id]) : api.clusters.map((c: { cell: [number, number]; count: number; key: string }) => [...c.cell, c.count, c.key]);
  if (JSON.stringify(mine) !== JSON.stringify(await direct())) throw new Error(`${label}: endpoint and SQL differ`);
  console.log(`${label}: ${zoom >= 15 ? `${api.points.length} points` : `${api.clusters.length} clusters`}, ${api.total} incidents`);
  const r = await compare(zoom >= 15 ? label : `${label} (endpoint: ${PATH}; direct SQL = the base query over incidents)`, () => getJson(url), direct, zoom >= 15 ? null : 1.5);
  allOk = r.ok && allOk;
  if (zoom < 15 && N >= 1_000_000) allOk = goal(label, r.ms) && allOk;
  else if (zoom < 15) goal(`${label} (below 1 000 000 incidents: reported)`, r.ms);
  if (zoom < 15) {
    const q = { bbox: b as unknown as [number, number, number, number], zoom, source: 'incidents' as const, ...(when ? { from: when[0], to: when[1] } : {}) };
    const coordinatorActor = await actorFor('samordnare@lund.example');
    // Equal cells, counts and categories (the centroids are sums added in another order: equal to about 1e-12).
    await paths(`${label} as the coordinator`, (path) => mapService.map(coordinatorActor, q, { path }), (r) => [r.total, r.clusters.map((c) => [c.cell, c.count, c.key])]);
  }
}

// --- c. Police import: 100 000 events through the service against json_to_recordset ---
const pad = (n: number) => String(n).padStart(2, '0');
const types = ['Stöld', 'Skadegörelse', 'Misshandel', 'Trafikolycka', 'Inbrott', 'Brand', 'Narkotikabrott', 'Ordningslagen'];
const events = Array.from({ length: POLICE }, (_, i) => {
  const d = new Date(Date.UTC(2022, 0, 1) + ((i * 2654435761) % 126_000_000) * 1000);
  const lat = LUND[1] + ((i * 7919) % 100003) / 100003 * 0.2;
  const lon = LUND[0] + ((i * 104729) % 99991) / 99991 * 0.5;
  return {
    id: 5_000_000 + i,
    datetime: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${d.getUTCHours()}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +00:00`,
    iso: d.toISOString(),
    name: `${d.getUTCDate()} ${types[i % types.length]}, Lund`,
    summary: 'Händelse i Lund, sammanfattning av normal längd.',
    // Absolute, as the import stores it (policeLink makes a polisen.se path absolute): the baselines store it as given.
    url: `https://polisen.se/aktuellt/handelser/${i}`,
    type: types[i % types.length],
    location: { name: 'Lund', gps: `${lat.toFixed(6)},${lon.toFixed(6)}` },
  };
});
const file = Buffer.from(JSON.stringify(events.map(({ iso: _iso, ...e }) => e)));
const rows = JSON.stringify(
  events.map((e) => {
    const [lat, lon] = e.location.gps.split(',').map(Number);
    return { id: e.id, datetime: e.iso, name: e.name, summary: e.summary, url: e.url, type: e.type, location_name: e.location.name, lat, lon };
  }),
);
/** The same rows as CSV for COPY: strings always quoted (so '' stays an empty string), NULL as an unquoted empty field. */
const csvField = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`);
const csv = events
  .map((e) => {
    const [lat, lon] = e.location.gps.split(',').map(Number);
    return [e.id, e.iso, e.name, e.summary, e.url, e.type, e.location.name, lat, lon].map(csvField).join(',');
  })
  .join('\n') + '\n';
const importer = createPoliceImporter({ db, config: ctx.config });
const viaService = async () => {
  await db.execute(sql`truncate police_events`);
  const s = performance.now();
  const r = await importer.importFile({ requestId: 'bench' }, file, 'bench');
  const ms = performance.now() - s;
  if (r.imported !== POLICE || r.errors.length) throw new Error(`import: ${JSON.stringify({ ...r, errors: r.errors.slice(0, 3) })}`);
  return ms;
};
const storedCount = async () => (await db.execute<{ n: number }>(sql`select count(*)::int as n from police_events`)).rows[0].n;
const viaJson = async () => {
  await db.execute(sql`truncate police_events`);
  const s = performance.now();
  const r = await db.execute(sql`insert into police_events (id, datetime, name, summary, url, type, location_name, lat, lon)
    select id, datetime, name, summary, url, type, location_name, lat, lon from json_to_recordset(${rows}::json)
      as x(id bigint, datetime timestamptz, name text, summary text, url text, type text, location_name text, lat float8, lon float8)`);
  const ms = performance.now() - s;
  if ((r as { rowCount?: number; affectedRows?: number }).rowCount !== POLICE && (r as { affectedRows?: number }).affectedRows !== POLICE) {
    const n = await storedCount();
    if (n !== POLICE) throw new Error(`baseline stored ${n}`);
  }
  return ms;
};
/** COPY … FROM STDIN on one pool connection (timed from the statement to the end of the stream, as the import is timed from the file). */
const viaCopy = async () => {
  await db.execute(sql`truncate police_events`);
  const client = await ctx.database.pool.connect();
  try {
    const s = performance.now();
    const stream = client.query(copyFrom(`copy police_events (id, datetime, name, summary, url, type, location_name, lat, lon) from stdin with (format csv)`));
    await pipeline(Readable.from([csv]), stream);
    const ms = performance.now() - s;
    if (Number(stream.rowCount) !== POLICE) throw new Error(`COPY stored ${stream.rowCount}`);
    return ms;
  } finally {
    client.release();
  }
};
// COPY FROM STDIN is a PostgreSQL protocol feature; on PGlite the json_to_recordset INSERT is the only baseline.
const hasCopy = kind === 'postgres';
if (PARTS.includes('c')) {
  // Same rows stored every way.
  const digest = async () => (await db.execute<{ d: string }>(sql`select md5(string_agg(concat_ws('|', id, datetime, name, summary, url, type, location_name, lat, lon), ',' order by id)) as d from police_events`)).rows[0].d;
  await viaService();
  const a = await digest();
  await viaJson();
  if (a !== (await digest())) throw new Error('police import: service and json_to_recordset stored different rows');
  if (hasCopy) {
    await viaCopy();
    if (a !== (await digest())) throw new Error('police import: service and COPY stored different rows');
  }
  const svc: number[] = [];
  const json: number[] = [];
  const copy: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (hasCopy) copy.push(await viaCopy());
    json.push(await viaJson());
    svc.push(await viaService());
  }
  const med = (v: number[]) => [...v].sort((x, y) => x - y)[1];
  const perSec = (ms: number) => Math.round((POLICE / ms) * 1000);
  const line = (name: string, base: number[], target: boolean) => {
    const ratio = med(base) / med(svc);
    console.log(
      `c. police import of ${POLICE}: service ${Math.round(med(svc))} ms (${perSec(med(svc))}/s), ${name} ${Math.round(med(base))} ms (${perSec(med(base))}/s), throughput ratio ${ratio.toFixed(2)}${target ? ` (target ≥ 0.33) ${ratio >= 1 / 3 ? 'OK' : 'UNDER TARGET'}` : ' (second baseline, no target)'}`,
    );
    return ratio;
  };
  if (hasCopy) {
    const ratio = line('COPY FROM STDIN (CSV)', copy, true);
    line('json_to_recordset INSERT', json, false);
    allOk = ratio >= 1 / 3 && allOk;
  } else {
    const ratio = line('json_to_recordset INSERT (no COPY on PGlite)', json, true);
    allOk = ratio >= 1 / 3 && allOk;
  }
}

await ctx.close();
if (!allOk) process.exitCode = 1;
