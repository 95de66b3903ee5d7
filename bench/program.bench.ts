/**
 * Program benchmark (issue #4): 50 organisations × 2 000 actions × 8 follow-up rounds.
 *
 * 1. The roll-up endpoint (GET /api/programs/:id/rollup: HTTP routing, session, policy, service and
 *    serialisation) against the same roll-up as one hand-written SQL query, in the same process on the
 *    same database. Target: ratio ≤ 2.
 * 2. The follow-up report of a round with 2 000 actions as DOCX and PDF, built by the export job, against
 *    reading the round's rows. The ratio says what the documents cost; there is no target.
 *
 * Run: node --import tsx bench/program.bench.ts   (PGlite; TEST_DATABASE_URL=postgres://… for PostgreSQL)
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { createTestApp } from '../test/helpers/app.ts';
import { orgId, signIn } from '../test/helpers/factories.ts';
import { silentLog } from '../test/helpers/jobs.ts';
import { createJobRunner } from '../src/server/lib/job-runner.ts';
import { programRepo } from '../src/server/modules/program/program.repo.ts';
import { uuids } from './data.ts';
import { median as timedMedian } from './timing.ts';

const ORGS = 50;
const TOP = 1600;
const SUB = 400;
const ROUNDS = 8;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const ctx = await createTestApp();
const db = ctx.database.db;
const ks = await orgId(ctx.database, 'ks');
const lund = await orgId(ctx.database, 'lund');

const t0 = performance.now();
const existing = (await db.execute<{ n: number }>(sql`select count(*)::int as n from organisations`)).rows[0].n;
await db.execute(sql`insert into organisations (type, name, parent_id) select 'unit', 'Bänkenhet ' || i, ${lund}::uuid from generate_series(1, ${Math.max(0, ORGS - existing)}) i`);
const orgIds = (await db.execute<{ id: string }>(sql`select id from organisations where type <> 'municipality' order by name`)).rows.map((r) => r.id);
const program = await programRepo.insertProgram(db, { kind: 'safety_program', title: 'Bänkprogram', ownerOrganisationId: ks });
await db.execute(sql`insert into focus_areas (program_id, number, title) select ${program.id}::uuid, i, 'Fokusområde ' || i from generate_series(1, 5) i`);
await db.execute(sql`insert into goals (focus_area_id, number, text) select f.id, g, 'Mål ' || f.number || '.' || g from focus_areas f, generate_series(1, 8) g where f.program_id = ${program.id}::uuid`);
const goalIds = (await db.execute<{ id: string }>(sql`select g.id from goals g join focus_areas f on f.id = g.focus_area_id where f.program_id = ${program.id}::uuid order by f.number, g.number`)).rows.map((r) => r.id);
const insertActions = (n: number, parent: boolean) => sql`
  insert into plan_actions (goal_id, parent_action_id, title, responsible_organisation_id, status, progress, weight, start_date, end_date, sub_areas)
  select (${uuids(goalIds)})[1 + (i % ${goalIds.length})], ${parent ? sql`(select id from plan_actions where parent_action_id is null and goal_id = (${uuids(goalIds)})[1 + (i % ${goalIds.length})] order by id offset (i % 5) limit 1)` : sql`null`},
    'Åtgärd ' || i, (${uuids(orgIds)})[1 + (i % ${orgIds.length})],
    (array['not_started','in_progress','in_progress','done','delayed','cancelled'])[1 + (i % 6)], (i * 37) % 101, 1 + (i % 3),
    date '2026-01-01' + (i % 200), date '2026-12-31' + (i % 200), array['sense_of_safety']
  from generate_series(1, ${n}) i`;
await db.execute(insertActions(TOP, false));
await db.execute(insertActions(SUB, true));
const rounds: string[] = [];
for (let r = 1; r <= ROUNDS; r++) {
  const round = await programRepo.insertRound(db, { programId: program.id, name: `Omgång ${r}`, deadline: `2026-0${Math.min(r, 9)}-28`, status: r < ROUNDS ? 'closed' : 'open' });
  await db.execute(sql`
    insert into follow_up_reports (round_id, action_id, organisation_id, state, action_status, progress, done, next_steps)
    select ${round.id}::uuid, a.id, a.responsible_organisation_id, 'submitted', a.status, a.progress, 'Genomfört enligt plan, med en kommentar av normal längd.', 'Fortsätta.'
    from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id where f.program_id = ${program.id}::uuid`);
  rounds.push(round.id);
}
const counts = (await db.execute<{ a: number; r: number; o: number }>(sql`select (select count(*)::int from plan_actions) as a, (select count(*)::int from follow_up_reports) as r, (select count(*)::int from organisations) as o`)).rows[0];
console.log(`data: ${counts.o} organisations, ${counts.a} actions, ${counts.r} reports in ${ROUNDS} rounds (${ctx.database.kind}), built in ${Math.round(performance.now() - t0)} ms`);

/**
 * The baseline: the same roll-up — progress, health and status counts for every goal, focus area and the
 * program — as one hand-written statement. Sub-actions (one level) roll into their action, cancelled
 * actions drop out, goals take the weighted mean of their actions, focus areas and the program the plain
 * mean of the level below; health follows the same rules as rollup.ts (pace 30/10 points, shares 25 %).
 */
const today = new Date().toISOString().slice(0, 10);
const rollupSql = sql`
  with v as (
    select a.id, a.parent_action_id, a.goal_id, a.status, a.progress, a.weight::float8 as w, a.start_date, a.end_date
    from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id
    where f.program_id = ${program.id}::uuid
  ), h as (
    select v.*, case when status = 'cancelled' then 'none' when status = 'done' then 'green' when status = 'delayed' then 'red'
      when start_date is null or end_date is null then 'green'
      else case when e - progress > 30 then 'red' when e - progress > 10 then 'amber' else 'green' end end as health
    from (select v.*, case when ${today}::date <= start_date then 0 when ${today}::date >= end_date then 100
      else round(((${today}::date - start_date)::numeric / greatest(end_date - start_date, 1)) * 100) end as e from v) v
  ), kids as (
    select parent_action_id as id, round((sum(w * progress) / sum(w))::numeric, 1)::float8 as progress,
      coalesce(sum(w) filter (where health = 'red'), 0) / sum(w) as red, coalesce(sum(w) filter (where health = 'amber'), 0) / sum(w) as amber
    from h where parent_action_id is not null and status <> 'cancelled' group by parent_action_id
  ), top as (
    select t.goal_id, t.status, case when t.status = 'cancelled' then 0 else t.w end as w, coalesce(k.progress, t.progress) as progress,
      case when t.status = 'cancelled' then 'none' when k.id is null then t.health when t.status = 'delayed' then 'red'
           when k.red >= 0.25 then 'red' when k.red > 0 or k.amber >= 0.25 then 'amber' else 'green' end as health
    from h t left join kids k on k.id = t.id where t.parent_action_id is null
  ), goal as (
    select g.id, g.focus_area_id, g.number, g.text,
      round((sum(t.w * t.progress) filter (where t.w > 0) / nullif(sum(t.w) filter (where t.w > 0), 0))::numeric, 1)::float8 as progress,
      coalesce(sum(t.w) filter (where t.w > 0 and t.health = 'red'), 0) / nullif(sum(t.w) filter (where t.w > 0), 0) as red,
      coalesce(sum(t.w) filter (where t.w > 0 and t.health = 'amber'), 0) / nullif(sum(t.w) filter (where t.w > 0), 0) as amber,
      count(t.goal_id) as actions, count(*) filter (where t.status = 'done') as done, count(*) filter (where t.status = 'delayed') as delayed
    from goals g join focus_areas f on f.id = g.focus_area_id left join top t on t.goal_id = g.id
    where f.program_id = ${program.id}::uuid group by g.id
  ), goal_h as (
    select goal.*, case when progress is null then 'none' when red >= 0.25 then 'red' when red > 0 or amber >= 0.25 then 'amber' else 'green' end as health from goal
  ), area as (
    select f.id, f.number, f.title, round(avg(gh.progress)::numeric, 1)::float8 as progress,
      (count(*) filter (where gh.health = 'red'))::float8 / nullif(count(gh.progress), 0) as red,
      (count(*) filter (where gh.health = 'amber'))::float8 / nullif(count(gh.progress), 0) as amber,
      sum(gh.actions) as actions, sum(gh.done) as done, sum(gh.delayed) as delayed,
      json_agg(json_build_object('id', gh.id, 'number', gh.number, 'title', gh.text, 'progress', gh.progress, 'health', gh.health,
        'actions', gh.actions, 'done', gh.done, 'delayed', gh.delayed) order by gh.number) as goals
    from focus_areas f join goal_h gh on gh.focus_area_id = f.id group by f.id
  ), area_h as (
    select area.*, case when progress is null then 'none' when red >= 0.25 then 'red' when red > 0 or amber >= 0.25 then 'amber' else 'green' end as health from area
  )
  select json_build_object('progress', round(avg(progress)::numeric, 1)::float8, 'actions', sum(actions),
    'health', case when count(progress) = 0 then 'none' when (count(*) filter (where health = 'red'))::float8 / count(progress) >= 0.25 then 'red'
      when count(*) filter (where health = 'red') > 0 or (count(*) filter (where health = 'amber'))::float8 / count(progress) >= 0.25 then 'amber' else 'green' end,
    'focusAreas', json_agg(json_build_object('id', id, 'number', number, 'title', title, 'progress', progress, 'health', health, 'goals', goals) order by number)) as rollup
  from area_h`;

const coordinator = await signIn(ctx.app, 'samordnare@lund.example');
const endpoint = async () => {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/programs/${program.id}/rollup`, headers: { cookie: coordinator } });
  if (res.statusCode !== 200) throw new Error(`rollup ${res.statusCode} ${res.body.slice(0, 200)}`);
  return res.json();
};
const baseline = async () => (await db.execute<{ rollup: { progress: number } }>(rollupSql)).rows[0].rollup;

// Same answer, or the comparison means nothing.
const viaApi = await endpoint();
const viaSql = (await baseline()) as unknown as { progress: number; health: string; focusAreas: { progress: number; health: string; goals: { progress: number; health: string }[] }[] };
const shape = (r: typeof viaSql) => JSON.stringify([r.progress, r.health, r.focusAreas.map((f) => [f.progress, f.health, f.goals.map((g) => [g.progress, g.health])])]);
if (shape(viaApi) !== shape(viaSql)) throw new Error(`roll-ups differ:\n endpoint ${shape(viaApi)}\n SQL      ${shape(viaSql)}`);

/** Three warm-up calls: the roll-up's first calls also warm the statement and tree caches. */
const median = (fn: () => Promise<unknown>, runs = RUNS) => timedMedian(fn, runs, 3);
// Interleave the two so that neither profits from a quieter moment of the machine.
let api = 0;
let raw = 0;
for (let i = 0; i < 3; i++) {
  raw += await median(baseline);
  api += await median(endpoint);
}
const ratio = api / raw;
console.log(`roll-up: endpoint ${(api / 3).toFixed(1)} ms, hand-written SQL ${(raw / 3).toFixed(1)} ms, ratio ${ratio.toFixed(2)} (target ≤ 2) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`);

if (process.env.BENCH_PROFILE) {
  const la = await median(() => programRepo.listActions(db, { programId: program.id }));
  const auth = await median(() => ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: coordinator } }));
  const { loadOrgTree } = await import('../src/server/lib/context.ts');
  const tree = await median(() => loadOrgTree(db));
  const rd = await median(() => programRepo.rollupData(db, program.id));
  const plain = await median(() => db.execute(sql`select a.id, a.parent_action_id, a.goal_id, a.status, a.progress, a.weight, a.start_date, a.end_date, a.responsible_organisation_id, a.sub_areas from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id where f.program_id = ${program.id}::uuid`));
  const { createProgramService } = await import('../src/server/modules/program/program.service.ts');
  const svc = createProgramService({ db });
  const me = (await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: coordinator } })).json();
  const actor = { id: me.user.id, name: me.user.name, email: me.user.email, sessionId: 'x', grants: me.grants };
  const direct = await median(() => svc.rollup(actor, program.id, {}));
  const health = await median(() => ctx.app.inject({ method: 'GET', url: '/healthz' }));
  console.log(`profile: service rollup ${direct.toFixed(1)} ms, GET /healthz ${health.toFixed(1)} ms`);
  console.log(`profile: listActions ${la.toFixed(1)} ms, GET /api/auth/me ${auth.toFixed(1)} ms, orgTree ${tree.toFixed(1)} ms, rollupData ${rd.toFixed(1)} ms, plain rows ${plain.toFixed(1)} ms`);
}

// --- The board report of the open round (2 000 actions) ---
const runner = createJobRunner({ db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] });
const openRound = rounds[rounds.length - 1];
const read = await median(async () => programRepo.listReports(db, { roundId: openRound }), 5);
for (const format of ['docx', 'pdf', 'xlsx'] as const) {
  const s = performance.now();
  const res = await ctx.app.inject({ method: 'POST', url: '/api/exports', headers: { cookie: coordinator }, payload: { kind: 'program.followup-report', format, params: { roundId: openRound } } });
  if (res.statusCode !== 202) throw new Error(res.body);
  await runner.runDue();
  const status = (await ctx.app.inject({ method: 'GET', url: `/api/exports/${res.json().id}`, headers: { cookie: coordinator } })).json();
  if (status.status !== 'done') throw new Error(`export ${format}: ${JSON.stringify(status)}`);
  const ms = performance.now() - s;
  console.log(`report ${format}: ${Math.round(ms)} ms for ${ACTIONS_IN_ROUND()} actions, ${(status.size / 1024).toFixed(0)} KiB; reading the rows ${read.toFixed(1)} ms; ratio ${(ms / read).toFixed(1)}`);
}
function ACTIONS_IN_ROUND() {
  return TOP + SUB;
}
await ctx.close();
if (ratio > 2) process.exitCode = 1;
