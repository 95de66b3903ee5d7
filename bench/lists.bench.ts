/**
 * Lists benchmark (issue #12, item 1 and "Bad input"): the assignments, plan-actions and governing-documents
 * lists at LIST_ROWS rows each (default 200 000).
 *
 * For each list, the first page of 50 with its total, unfiltered and with a typical filter: the list's statement
 * as the service runs it (the repo function, with the access core's visibility clause, the page and the total
 * in one statement) against the bare page query (the same page written out by hand, without a total and
 * without the clause). Target: ratio ≤ 1.5. Reported beside it without a target: the former statement (the
 * page with `count(*) over ()`), and the deepest page a list serves (offset MAX_LIST_OFFSET = 10 000) against the
 * first page. For the plan actions also, without a target: a committee reporter's first page (the reporter of the
 * social committee: the access core's clause filters there) against the former window-count statement with the
 * clause as it was (an `exists` per action for contributors and for the programme's owner).
 *
 * The principal is the demo coordinator (reads every organisation's material); the data has no secret rows, so
 * the clause lets every row through and the two sides must return the same ids: checked before timing, and the
 * totals against a plain count. Sides interleaved, three rounds, median of BENCH_RUNS runs each.
 *
 * BENCH_PARTS picks the lists (default `adp`: a assignments, d documents, p plan actions); BENCH_PROFILE=1 prints
 * the plans.
 * Run: node --import tsx bench/lists.bench.ts   (PGlite; TEST_DATABASE_URL=postgres://… for PostgreSQL)
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { governingDocuments } from '../src/server/db/schema/index.ts';
import { createTestApp } from '../test/helpers/app.ts';
import { queriesDuring } from '../test/helpers/db.ts';
import { loadOrgTree } from '../src/server/lib/context.ts';
import { accessOf, actionVisibleSql } from '../src/server/access/index.ts';
import { assignmentsRepo } from '../src/server/modules/cases/cases.assignments.repo.ts';
import { actionsRepo } from '../src/server/modules/program/program.actions.repo.ts';
import { programRepo } from '../src/server/modules/program/program.repo.ts';
import { documentsRepo } from '../src/server/modules/documents/documents.repo.ts';
import { MAX_LIST_OFFSET } from '../src/shared/limits.ts';
import type { Actor } from '../src/server/lib/policies.ts';
import type { Role } from '../src/shared/roles.ts';
import { median as medianOf } from './timing.ts';
import { insertBenchDocuments, uuids } from './data.ts';

const N = Number(process.env.LIST_ROWS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PARTS = process.env.BENCH_PARTS ?? 'adp';

const ctx = await createTestApp();
const db = ctx.database.db;
console.log(`database: ${ctx.database.kind}; rows per list: ${N}; load: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);

const orgIds = (await db.execute<{ id: string }>(sql`select id from organisations where type <> 'external' order by name`)).rows.map((r) => r.id);
const me = (await db.execute<{ id: string }>(sql`select id from users where email = 'samordnare@lund.example'`)).rows[0].id;
const grants = (await db.execute<{ organisation_id: string; role: Role; include_subtree: boolean }>(sql`select organisation_id, role, include_subtree from role_grants where user_id = ${me}`)).rows;
const actor: Actor = { id: me, name: 'Samordnare', email: '', sessionId: '', grants: grants.map((g) => ({ organisationId: g.organisation_id, role: g.role, includeSubtree: g.include_subtree })) };
const access = accessOf(actor, await loadOrgTree(db));

// --- Data ---
const t0 = performance.now();
const BATCH = 50_000;
if (PARTS.includes('a')) {
  // Cases, one decided decision each with ten assignment clauses, an assignment per clause.
  const ks = (await db.execute<{ id: string }>(sql`select id from organisations where short_name = 'KS'`)).rows[0].id;
  const cases = Math.ceil(N / 10);
  for (let start = 1; start <= cases; start += BATCH) {
    const end = Math.min(cases, start + BATCH - 1);
    await db.execute(sql`
      insert into cases (series, year, seq, registry_number, title, case_type, registry_organisation_id, organisation_id, status, registered_on)
      select 'BENCH', 2000 + i % 20, 1 + i / 20, 'BENCH ' || (2000 + i % 20) || '/' || lpad((1 + i / 20)::text, 5, '0'), 'Bänkärende ' || i, 'Uppdrag', ${ks},
        (${uuids(orgIds)})[1 + (i * 13) % ${orgIds.length}], 'open', date '2016-01-01' + (i % 3000)
      from generate_series(${start}::int, ${end}::int) i`);
  }
  await db.execute(sql`
    insert into decisions (case_id, body_organisation_id, decided_on, paragraph, status, title)
    select c.id, ${ks}, date '2010-01-01' + c.n % 5000, 1 + c.n / 5000, 'decided', 'Bänkbeslut'
    from (select id, row_number() over (order by id)::int as n from cases where series = 'BENCH') c`);
  for (let k = 1; k <= 10; k++) {
    await db.execute(sql`
      insert into decision_clauses (decision_id, ordinal, text, effect, assignee_organisation_id, due_date)
      select d.id, ${k}, 'Uppdra åt nämnden ' || ${k}, 'assignment', (${uuids(orgIds)})[1 + ((hashtext(d.id::text) & 2147483647) + ${k}) % ${orgIds.length}],
        case when ((hashtext(d.id::text) & 2147483647) + ${k}) % 7 = 0 then null else date '2020-01-01' + ((hashtext(d.id::text || ${k}) & 2147483647) % 3000) end
      from decisions d join cases c on c.id = d.case_id where c.series = 'BENCH'`);
  }
  await db.execute(sql`
    insert into assignments (clause_id, decision_id, case_id, organisation_id, text, due_date, status)
    select k.id, d.id, d.case_id, k.assignee_organisation_id, k.text, k.due_date, case when (hashtext(k.id::text) & 2147483647) % 3 = 0 then 'done' else 'open' end
    from decision_clauses k join decisions d on d.id = k.decision_id join cases c on c.id = d.case_id where c.series = 'BENCH'`);
}
if (PARTS.includes('d')) {
  await insertBenchDocuments(db, { orgIds, from: 1, to: N, batch: BATCH });
}
if (PARTS.includes('p')) {
  // One programme with 8 focus areas × 5 goals, the actions spread over the goals; every fifth a sub-action.
  // A program is a governing document: its status and validity live in its register entry (programs.document_id);
  // the repo gives it a draft entry of its own, which the actions list does not read.
  const program = await programRepo.insertProgram(db, { kind: 'program', title: 'Bänkprogram', ownerOrganisationId: orgIds[0] });
  await db.execute(sql`insert into focus_areas (program_id, number, title) select ${program.id}, n, 'Fokusområde ' || n from generate_series(1, 8) n`);
  await db.execute(sql`insert into goals (focus_area_id, number, text) select f.id, g, 'Mål ' || f.number || '.' || g from focus_areas f, generate_series(1, 5) g where f.program_id = ${program.id}`);
  const goalIds = (await db.execute<{ id: string }>(sql`select g.id from goals g join focus_areas f on f.id = g.focus_area_id where f.program_id = ${program.id} order by f.number, g.number`)).rows.map((r) => r.id);
  for (let start = 1; start <= N; start += BATCH) {
    const end = Math.min(N, start + BATCH - 1);
    await db.execute(sql`
      insert into plan_actions (goal_id, title, responsible_organisation_id, status, progress, created_at, updated_at)
      select (${uuids(goalIds)})[1 + (i * 7) % ${goalIds.length}], 'Åtgärd ' || i, (${uuids(orgIds)})[1 + (i * 13) % ${orgIds.length}],
        (array['not_started','in_progress','in_progress','done','delayed'])[1 + (i * 17) % 5], (i * 31) % 101,
        timestamptz '2024-01-01' + i * interval '1 minute', now()
      from generate_series(${start}::int, ${end}::int) i`);
  }
  // Sub-actions: every fifth action hangs under the first action of its goal.
  await db.execute(sql`
    update plan_actions a set parent_action_id = p.id
    from (select distinct on (goal_id) goal_id, id from plan_actions where goal_id = any(${uuids(goalIds)}) order by goal_id, created_at, id) p
    where a.goal_id = p.goal_id and a.id <> p.id and (hashtext(a.id::text) & 2147483647) % 5 = 0`);
  await db.execute(sql`insert into plan_action_contributors (action_id, organisation_id)
    select id, (${uuids(orgIds)})[1 + (hashtext(id::text) & 2147483647) % ${orgIds.length}] from plan_actions where (hashtext(id::text) & 2147483647) % 4 = 0 on conflict do nothing`);
}
await db.execute(sql`analyze`);
console.log(`data built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

/** The median over the run count of this benchmark (BENCH_RUNS). */
const median = (fn: () => Promise<unknown>, runs = RUNS) => medianOf(fn, runs);
/** Interleaved: three rounds, baseline then the list, so that neither profits from a quieter moment. */
async function compare(name: string, list: () => Promise<unknown>, baseline: () => Promise<unknown>, target: number | null) {
  let a = 0;
  let b = 0;
  for (let i = 0; i < 3; i++) {
    b += await median(baseline);
    a += await median(list);
  }
  const ratio = a / b;
  const verdict = target === null ? '(reported, no target)' : `(target ≤ ${target}) ${ratio <= target ? 'OK' : 'OVER TARGET'}`;
  console.log(`${name}: ${(a / 3).toFixed(1)} ms against ${(b / 3).toFixed(1)} ms, ratio ${ratio.toFixed(2)} ${verdict}`);
  return target === null || ratio <= target;
}
async function plan(run: () => Promise<unknown>) {
  const captured = (await queriesDuring(ctx.database, run))[0];
  const res = await ctx.database.pool.query(`explain (analyze, costs off) ${captured!.text}`, captured!.values);
  console.log(res.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
}

let allOk = true;
interface Case {
  label: string;
  /** The list's statement as the service runs it: ids of the page and the total. */
  list: (offset: number) => Promise<{ ids: string[]; total: number }>;
  /** The same page by hand, no total, no visibility clause. */
  bare: () => Promise<string[]>;
  /** The former statement: the page with a window count. */
  former: () => Promise<unknown>;
  /** A plain count of the rows the filter matches (the coordinator sees them all). */
  count: () => Promise<number>;
}
async function run(c: Case) {
  const listed = await c.list(0);
  const ids = await c.bare();
  if (JSON.stringify(listed.ids) !== JSON.stringify(ids)) throw new Error(`${c.label}: list statement and bare page differ`);
  const count = await c.count();
  if (listed.total !== count) throw new Error(`${c.label}: total ${listed.total}, SQL counts ${count}`);
  console.log(`${c.label}: ${listed.ids.length} of ${listed.total}`);
  if (process.env.BENCH_PROFILE) await plan(() => c.list(0));
  allOk = (await compare(`${c.label} (page + total statement / bare page)`, () => c.list(0), c.bare, 1.5)) && allOk;
  const former = await median(c.former);
  const bare = await median(c.bare);
  console.log(`${c.label}, former window count (reported, no target): ${former.toFixed(1)} ms, bare page ${bare.toFixed(1)} ms, ratio ${(former / bare).toFixed(2)}`);
  await compare(`${c.label}, deepest page (offset ${MAX_LIST_OFFSET}) / first page`, () => c.list(MAX_LIST_OFFSET), () => c.list(0), null);
}
const count = async (q: SQL) => (await db.execute<{ n: number }>(q)).rows[0].n;

// --- a. Assignments (GET /api/assignments) ---
if (PARTS.includes('a')) {
  const org = orgIds[3];
  const page = (where: SQL) => sql`
    select p.*, b.name as body_name, o.name as organisation_name, d.decided_on, d.paragraph from (
      select a.id, a.decision_id, a.organisation_id, a.status, a.due_date, c.registry_number, c.title as case_title
      from assignments a join cases c on c.id = a.case_id where ${where}
      order by a.status, a.due_date nulls last, c.registry_number, a.id limit 50) p
    join decisions d on d.id = p.decision_id join organisations b on b.id = d.body_organisation_id join organisations o on o.id = p.organisation_id
    order by p.status, p.due_date nulls last, p.registry_number, p.id`;
  const former = (where: SQL) => sql`
    select a.id, c.registry_number, c.title as case_title, b.name as body_name, d.decided_on, d.paragraph, o.name as organisation_name, a.text, a.due_date, a.status, count(*) over ()::int as total
    from assignments a join cases c on c.id = a.case_id join decisions d on d.id = a.decision_id join organisations b on b.id = d.body_organisation_id join organisations o on o.id = a.organisation_id
    where ${where} order by a.status, a.due_date nulls last, c.registry_number limit 50`;
  for (const [label, where, filter] of [
    ['assignments, first page', sql`true`, {}],
    ['assignments, open + organisation', sql`a.status = 'open' and a.organisation_id = ${org}`, { status: 'open', organisationIds: [org] }],
  ] as [string, SQL, { status?: string; organisationIds?: string[] }][])
    await run({
      label,
      list: async (offset) => {
        const r = await assignmentsRepo.list(db, access, filter, { limit: 50, offset });
        return { ids: r.rows.map((x) => x.id), total: r.total };
      },
      bare: async () => (await db.execute<{ id: string }>(page(where))).rows.map((r) => r.id),
      former: () => db.execute(former(where)),
      count: () => count(sql`select count(*)::int as n from assignments a where ${where}`),
    });
}

// --- d. Governing documents (GET /api/documents) ---
if (PARTS.includes('d')) {
  const today = new Date().toISOString().slice(0, 10);
  // The columns the list answers (every column but the search vector), as the other lists' bare pages do, and
  // what else the list answers for each row: the two names and the program that is the entry (programId; the
  // bare page left it out until 2026-12-08, so it did less than the list must).
  const listed = sql.raw(Object.values(getTableColumns(governingDocuments)).filter((c) => c.name !== 'search').map((c) => `d.${c.name}`).join(', '));
  const page = (where: SQL) => sql`
    select ${listed}, o.name as owner_name, a.name as adopted_by_name, p.id as program_id from (
      select * from governing_documents d where ${where} order by d.title, d.id limit 50) d
    join organisations o on o.id = d.owner_organisation_id left join organisations a on a.id = d.adopted_by_organisation_id
    left join programs p on p.document_id = d.id
    order by d.title, d.id`;
  const former = (where: SQL) => sql`
    select d.*, o.name as owner_name, a.name as adopted_by_name, count(*) over ()::int as total
    from governing_documents d join organisations o on o.id = d.owner_organisation_id left join organisations a on a.id = d.adopted_by_organisation_id
    where ${where} order by d.title, d.id limit 50`;
  for (const [label, where, filter] of [
    ['documents, first page', sql`true`, {}],
    // In force is in force today (the validity has not ended): the filter the list applies; the bare page left
    // out the validity until 2026-12-08 (the same rows here, where no document has an end date).
    ['documents, in force + type', sql`d.status = 'in_force' and (d.valid_to is null or d.valid_to >= ${today}::date) and d.type = 'policy'`, { status: 'in_force' as const, type: 'policy' as const }],
  ] as const)
    await run({
      label,
      list: async (offset) => {
        const r = await documentsRepo.list(db, access, { ...filter, limit: 50, offset }, today, 30);
        return { ids: r.rows.map((x) => x.id), total: r.total };
      },
      bare: async () => (await db.execute<{ id: string }>(page(where))).rows.map((r) => r.id),
      former: () => db.execute(former(where)),
      count: () => count(sql`select count(*)::int as n from governing_documents d where ${where}`),
    });
}

// --- p. Plan actions (GET /api/actions) ---
if (PARTS.includes('p')) {
  const org = orgIds[3];
  const page = (where: SQL) => sql`
    select p.*, o.name as responsible_organisation_name,
      coalesce((select array_agg(c.organisation_id order by c.organisation_id) from plan_action_contributors c where c.action_id = p.id), '{}') as contributor_ids
    from (select a.*, f.program_id, f.number as fn, g.number as gn from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id
          where ${where} order by f.number, g.number, a.parent_action_id nulls first, a.created_at, a.id limit 50) p
    join organisations o on o.id = p.responsible_organisation_id
    order by p.fn, p.gn, p.parent_action_id nulls first, p.created_at, p.id`;
  const former = (where: SQL) => sql`
    select a.*, o.name as responsible_organisation_name, f.program_id,
      coalesce((select array_agg(c.organisation_id order by c.organisation_id) from plan_action_contributors c where c.action_id = a.id), '{}') as contributor_ids,
      count(*) over () as total
    from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id join organisations o on o.id = a.responsible_organisation_id
    where ${where} order by f.number, g.number, a.parent_action_id nulls first, a.created_at, a.id limit 50`;
  for (const [label, where, filter] of [
    ['plan actions, first page', sql`true`, {}],
    ['plan actions, in progress + responsible', sql`a.status = 'in_progress' and a.responsible_organisation_id = any(${uuids([org])})`, { status: 'in_progress', organisationIds: [org] }],
  ] as [string, SQL, { status?: string; organisationIds?: string[] }][])
    await run({
      label,
      list: async (offset) => {
        const r = await actionsRepo.listActions(db, { ...filter, visible: actionVisibleSql(access, 'a'), limit: 50, offset });
        return { ids: r.map((x) => x.id), total: r.total };
      },
      bare: async () => (await db.execute<{ id: string }>(page(where))).rows.map((r) => r.id),
      former: () => db.execute(former(where)),
      count: () => count(sql`select count(*)::int as n from plan_actions a where ${where}`),
    });
  // A committee reporter sees only their part: the clause is the set form there (no `true`). Reported, no target.
  const reporterId = (await db.execute<{ id: string }>(sql`select id from users where email = 'rapportor.son@lund.example'`)).rows[0].id;
  const rg = (await db.execute<{ organisation_id: string; role: Role; include_subtree: boolean }>(sql`select organisation_id, role, include_subtree from role_grants where user_id = ${reporterId}`)).rows;
  const reporter = accessOf({ id: reporterId, name: 'Rapportör', email: '', sessionId: '', grants: rg.map((g) => ({ organisationId: g.organisation_id, role: g.role, includeSubtree: g.include_subtree })) }, await loadOrgTree(db));
  const read = uuids(reporter.scope('program.read'));
  const formerClause = sql`(a.responsible_organisation_id = any(${read})
    or exists (select 1 from plan_action_contributors pc where pc.action_id = a.id and pc.organisation_id = any(${read}))
    or exists (select 1 from goals g join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id where g.id = a.goal_id and p.owner_organisation_id = any(${read})))`;
  const listed = await actionsRepo.listActions(db, { visible: actionVisibleSql(reporter, 'a'), limit: 50 });
  const formerRows = (await db.execute<{ id: string; total: string }>(former(formerClause))).rows;
  if (JSON.stringify(listed.map((x) => x.id)) !== JSON.stringify(formerRows.map((x) => x.id)) || listed.total !== Number(formerRows[0]?.total ?? 0))
    throw new Error('plan actions, committee reporter: list and former statement differ');
  console.log(`plan actions, committee reporter: ${listed.length} of ${listed.total}`);
  await compare('plan actions, committee reporter (page + total statement / former window count with exists)', () => actionsRepo.listActions(db, { visible: actionVisibleSql(reporter, 'a'), limit: 50 }), () => db.execute(former(formerClause)), null);
}

console.log(`load at the end: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
await ctx.close();
process.exit(allOk ? 0 : 1);
