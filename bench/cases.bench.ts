/**
 * Registry benchmark (issue #5): CASES cases (default 100 000) with RECORDS_PER_CASE records each (default 10,
 * so 1 000 000 records), built with generate_series.
 *
 * a. GET /api/cases — the first page, without filter and with a typical filter (status and responsible
 *    organisation), and a text query — against the same statement run directly. Target: ratio ≤ 1.5.
 * b. GET /api/search — Swedish full text over cases and records, ranked, with snippets, only what the
 *    reader may read — against the same statement run directly. Target: ratio ≤ 1.5.
 *
 * The principal is the demo reader (reads every organisation's cases, but no secrecy-marked ones), so the
 * visibility clause does real work. The direct SQL is written out by hand with the same visibility
 * clause (the reader's organisation ids are passed as arrays); the two answers are checked to be equal
 * before timing; both sides are timed interleaved, median of runs.
 *
 * Run: node --import tsx bench/cases.bench.ts   (PGlite; TEST_DATABASE_URL=postgres://… for PostgreSQL)
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { createTestApp } from '../test/helpers/app.ts';
import { signIn } from '../test/helpers/factories.ts';
import { loadOrgTree } from '../src/server/lib/context.ts';
import { scopeOf, type Actor } from '../src/server/lib/policies.ts';
import type { Role } from '../src/shared/roles.ts';
import { median as medianOf } from './timing.ts';
import { uuids } from './data.ts';

const N = Number(process.env.CASES ?? 100_000);
const PER = Number(process.env.RECORDS_PER_CASE ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** Which parts to run: `a` (case list), `b` (search); default both. */
const PARTS = process.env.BENCH_PARTS ?? 'ab';
const texts = (v: string[]) => sql`${sql.param(v)}::text[]`;

const ctx = await createTestApp();
const db = ctx.database.db;
const kind = ctx.database.kind;

// --- Data ---
const t0 = performance.now();
const SUBJECTS = ['klotter', 'belysning', 'skadegörelse', 'trygghetsvandring', 'kameraövervakning', 'brandskydd', 'krisberedskap', 'informationssäkerhet',
  'våld i nära relationer', 'hedersrelaterat våld', 'narkotika', 'ordningsvakter', 'skalskydd', 'försäkring', 'cykelstölder', 'nedskräpning',
  'otrygga platser', 'inbrott', 'hot mot anställda', 'civilt försvar'];
const PLACES = ['Norra Fäladen', 'Klostergården', 'Linero', 'Östra Torn', 'Stadsparken', 'Lunds centrum', 'Dalby', 'Södra Sandby', 'Veberöd', 'Genarp',
  'Brunnshög', 'Järnåkra', 'Väster', 'Gunnesbo', 'Stångby', 'Torna Hällestad', 'Råby', 'Nöbbelöv', 'Sankt Lars', 'Lerbäck'];
const KINDS = ['Skrivelse', 'Yttrande', 'Protokollsutdrag', 'Tjänsteskrivelse', 'Rapport', 'Anmälan', 'Beslut', 'Remissvar', 'Avtal', 'Minnesanteckningar'];
const COUNTERPARTS = ['Polismyndigheten', 'Räddningstjänsten Syd', 'LKF', 'Kraftringen AB', 'VA Syd', 'Lunds brottsförebyggande råd', 'Länsstyrelsen Skåne', 'Privatperson'];
const CASE_TYPES = ['Uppdrag', 'Remiss', 'Motion', 'Medborgarförslag', 'Styrdokument', 'Yttrande', 'Skrivelse', 'Avtal', 'Tillsyn', 'Anmälan', 'Övrigt'];
const orgIds = (await db.execute<{ id: string }>(sql`select id from organisations order by name`)).rows.map((r) => r.id);
const ks = (await db.execute<{ id: string }>(sql`select id from organisations where key = 'ksau'`)).rows[0].id;
const userIds = (await db.execute<{ id: string }>(sql`select id from users order by email`)).rows.map((r) => r.id);
// A deterministic hash for spreading values independently: h(i, prime) in 0…1 000 002.
await db.execute(sql.raw('create or replace function h(i bigint, p bigint) returns int language sql immutable as $$ select ((i * p) % 1000003)::int $$'));
// Years 2016–2026 (11), numbers 1…ceil(N / 11) within each; about 2 % secrecy-marked.
const BATCH = 50_000;
for (let start = 0; start < N; start += BATCH) {
  const end = Math.min(N, start + BATCH) - 1;
  await db.execute(sql`
    insert into cases (series, year, seq, registry_number, title, description, case_type, registry_organisation_id, organisation_id, officer_id,
                       status, registered_on, closed_on, concerns_children, child_assessment, secrecy_ref, last_record_seq)
    select 'KSAU', y, s, 'KSAU ' || y || '/' || lpad(s::text, 4, '0'),
      'Ärende om ' || (${texts(SUBJECTS)})[1 + h(i, 7919) % 20] || ' i ' || (${texts(PLACES)})[1 + h(i, 104729) % 20],
      'Kommunkontoret utreder ' || (${texts(SUBJECTS)})[1 + h(i, 15485863) % 20] || ' och ' || (${texts(SUBJECTS)})[1 + h(i, 32452843) % 20] || ' i ' || (${texts(PLACES)})[1 + h(i, 49979687) % 20] || '.',
      (${texts(CASE_TYPES)})[1 + h(i, 2750159) % 11], ${ks}, (${uuids(orgIds)})[1 + h(i, 86028121) % ${orgIds.length}],
      case when i % 3 = 0 then null else (${uuids(userIds)})[1 + h(i, 122949829) % ${userIds.length}] end,
      (array['open','open','dormant','closed'])[1 + h(i, 179424673) % 4], d,
      case when h(i, 179424673) % 4 = 3 then d + 90 else null end,
      case when i % 5 = 0 then null else i % 2 = 0 end, case when i % 5 = 0 then null else 'Bedömning gjord.' end,
      case when i % 50 = 7 then '26 kap. 1 § OSL' else null end, ${PER}
    from (select i, 2016 + i % 11 as y, 1 + i / 11 as s,
                 make_date(2016 + i % 11, 1, 1) + ((i::bigint * 7919) % 360)::int as d
          from generate_series(${start}::int, ${end}::int) i) g`);
}
const caseRange = await db.execute<{ n: number }>(sql`select count(*)::int as n from cases`);
// Records: PER per case, in batches of cases by year.
for (let y = 2016; y <= 2026; y++) {
  for (let s0 = 1; s0 <= Math.ceil(N / 11); s0 += 5_000) {
    await db.execute(sql`
      insert into case_records (case_id, seq, direction, record_date, title, counterpart, secrecy_ref)
      select c.id, r, (array['incoming','drawn_up','outgoing'])[1 + h(j, 7919) % 3], c.registered_on + r * 7,
        (${texts(KINDS)})[1 + h(j, 104729) % 10] || ' om ' || (${texts(SUBJECTS)})[1 + h(j, 15485863) % 20] || ' i ' || (${texts(PLACES)})[1 + h(j, 32452843) % 20],
        (${texts(COUNTERPARTS)})[1 + h(j, 49979687) % 8],
        case when h(j, 86028121) % 97 = 0 then '21 kap. 1 § OSL' else null end
      from cases c cross join generate_series(1, ${PER}) r cross join lateral (select (c.year::bigint * 100000 + c.seq) * 64 + r as j) jj
      where c.series = 'KSAU' and c.year = ${y} and c.seq >= ${s0} and c.seq < ${s0 + 5_000}`);
  }
}
await db.execute(sql`insert into case_number_counters (series, year, last) select series, year, max(seq) from cases group by 1, 2 on conflict (series, year) do update set last = excluded.last`);
await db.execute(sql`analyze cases`);
await db.execute(sql`analyze case_records`);
const recCount = (await db.execute<{ n: number }>(sql`select count(*)::int as n from case_records`)).rows[0].n;
console.log(`data: ${caseRange.rows[0].n} cases, ${recCount} records (${kind}), built in ${Math.round(performance.now() - t0)} ms`);

// --- The reader: the endpoint signs in; the direct SQL gets the same organisation ids the service computes ---
const reader = await signIn(ctx.app, 'lasare@lund.example');
const me = (await db.execute<{ id: string }>(sql`select id from users where email = 'lasare@lund.example'`)).rows[0].id;
const grants = (await db.execute<{ organisation_id: string; role: Role; include_subtree: boolean }>(sql`select organisation_id, role, include_subtree from role_grants where user_id = ${me}`)).rows;
const actor: Actor = { id: me, name: 'Läsare', email: '', sessionId: '', grants: grants.map((g) => ({ organisationId: g.organisation_id, role: g.role, includeSubtree: g.include_subtree })) };
const tree = await loadOrgTree(db);
const read = scopeOf(actor, 'cases.read', tree);
const secret = scopeOf(actor, 'cases.secret', tree);
const visible = sql`(c.officer_id = ${me}
  or c.organisation_id = any(${uuids(secret)}) or c.registry_organisation_id = any(${uuids(secret)})
  or (c.secrecy_ref is null and (c.organisation_id = any(${uuids(read)}) or c.registry_organisation_id = any(${uuids(read)}))))`;
const recordVisible = sql`(${visible} and (r.secrecy_ref is null or c.officer_id = ${me} or c.organisation_id = any(${uuids(secret)}) or c.registry_organisation_id = any(${uuids(secret)})))`;

const getJson = async (url: string) => {
  const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie: reader } });
  if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.json();
};
/** The median over the run count of this benchmark (BENCH_RUNS). */
const median = (fn: () => Promise<unknown>, runs = RUNS) => medianOf(fn, runs);
async function compare(name: string, endpoint: () => Promise<unknown>, baseline: () => Promise<unknown>, target: number) {
  let api = 0;
  let raw = 0;
  for (let i = 0; i < 3; i++) {
    raw += await median(baseline);
    api += await median(endpoint);
  }
  const ratio = api / raw;
  console.log(`${name}: endpoint ${(api / 3).toFixed(1)} ms, direct SQL ${(raw / 3).toFixed(1)} ms, ratio ${ratio.toFixed(2)} (target ≤ ${target}) ${ratio <= target ? 'OK' : 'OVER TARGET'}`);
  return ratio <= target;
}
let allOk = true;

if (process.env.BENCH_PROFILE) {
  const { createCaseService } = await import('../src/server/modules/cases/cases.service.ts');
  const { createFileStore } = await import('../src/server/lib/filestore.ts');
  const svc = createCaseService({ db, files: createFileStore(ctx.config.FILES_DIR!) });
  const auth = await median(() => ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: reader } }));
  const treeMs = await median(() => loadOrgTree(db));
  const q = { status: 'open' as const, organisationId: orgIds[5], limit: 50, offset: 0 };
  const service = await median(() => svc.list(actor, q));
  const serviceText = await median(() => svc.list(actor, { q: 'trygghetsvandring Linero', limit: 50, offset: 0 }));
  console.log(`profile: GET /api/auth/me ${auth.toFixed(1)} ms, orgTree ${treeMs.toFixed(1)} ms, service list (status + organisation) ${service.toFixed(1)} ms, service list (text query) ${serviceText.toFixed(1)} ms`);
}

// --- a. The case list ---
const org = orgIds[5];
for (const [label, query, where] of !PARTS.includes('a') ? [] : [
  ['a. case list, first page', '', sql``],
  ['a. case list, status + organisation', `status=open&organisationId=${org}`, sql` and c.status = 'open' and c.organisation_id = ${org}`],
  ['a. case list, text query', `q=${encodeURIComponent('trygghetsvandring Linero')}`, sql` and c.search @@ websearch_to_tsquery('swedish', 'trygghetsvandring Linero')`],
] as const) {
  const url = `/api/cases?limit=50${query ? `&${query}` : ''}`;
  const direct = async () => {
    const page = await db.execute<{ id: string }>(sql`
      select p.*, ro.name as registry_organisation_name, o.name as organisation_name, u.name as officer_name
      from (
        select c.id, c.registry_number, c.series, c.year, c.seq, c.title, c.case_type, c.status, c.registered_on::text as registered_on,
               c.closed_on::text as closed_on, c.registry_organisation_id, c.organisation_id, c.officer_id, c.concerns_children,
               c.secrecy_ref, c.is_example, c.version
        from cases c
        where ${visible}${where}
        order by c.registered_on desc, c.year desc, c.seq desc, c.id
        limit 50 offset 0
      ) p
      join organisations ro on ro.id = p.registry_organisation_id
      join organisations o on o.id = p.organisation_id
      left join users u on u.id = p.officer_id
      order by p.registered_on desc, p.year desc, p.seq desc, p.id`);
    const count = await db.execute<{ total: number }>(sql`select count(*)::int as total from cases c where ${visible}${where}`);
    return { rows: page.rows, total: count.rows[0].total };
  };
  const api = await getJson(url);
  const { rows, total } = await direct();
  if (JSON.stringify(api.items.map((i: { id: string }) => i.id)) !== JSON.stringify(rows.map((r) => r.id)) || api.total !== total)
    throw new Error(`${label}: endpoint and SQL differ`);
  console.log(`${label}: ${api.items.length} of ${api.total}`);
  if (process.env.BENCH_PROFILE) {
    const countOnly = await median(() => db.execute(sql`select count(*)::int as total from cases c where ${visible}${where}`));
    const both = await median(direct);
    console.log(`profile ${label}: direct page + count ${both.toFixed(1)} ms, of which count ${countOnly.toFixed(1)} ms`);
  }
  allOk = (await compare(label, () => getJson(url), direct, 1.5)) && allOk;
}

// --- b. Registry search ---
for (const [label, q] of [
  ['b. search, one word', 'kameraövervakning'],
  ['b. search, two words', 'klotter Klostergården'],
  ['b. search, phrase', '"våld i nära relationer" Dalby'],
] as const) {
  if (!PARTS.includes('b')) break;
  const url = `/api/search?q=${encodeURIComponent(q)}&limit=20`;
  const direct = async () =>
    (
      await db.execute<{ id: string; total: number; snippet: string }>(sql`
      with q as (select websearch_to_tsquery('swedish', ${q}) as q),
      hits as (
        (select 'case'::text as kind, c.id, c.id as case_id, c.registry_number as number, c.title,
                concat_ws(' ', c.description, c.case_type) as body, ts_rank(c.search, q.q) as rank, c.registered_on as date,
                (c.secrecy_ref is not null) as secret
         from cases c, q where c.search @@ q.q and ${visible})
        union all
        (select 'record'::text as kind, r.id, c.id as case_id, c.registry_number || '-' || r.seq as number, r.title,
                coalesce(r.counterpart, '') as body, ts_rank(r.search, q.q) as rank, r.record_date as date,
                (r.secrecy_ref is not null or c.secrecy_ref is not null) as secret
         from case_records r join cases c on c.id = r.case_id, q where r.search @@ q.q and ${recordVisible})
      ),
      page as (
        select h.*, count(*) over ()::int as total from hits h
        order by h.rank desc, h.date desc nulls last, h.id
        limit 20 offset 0
      )
      select p.kind, p.id, p.case_id, p.number, p.title, p.date::text as date, p.rank::float8 as rank, p.secret, p.total,
             ts_headline('swedish', concat_ws(' — ', p.title, nullif(p.body, '')), q.q,
               'StartSel=«, StopSel=», MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') as snippet
      from page p, q
      order by p.rank desc, p.date desc nulls last, p.id`)
    ).rows;
  const api = await getJson(url);
  const rows = await direct();
  const a = JSON.stringify(api.items.map((i: { id: string; snippet: string }) => [i.id, i.snippet]));
  const b = JSON.stringify(rows.map((r) => [r.id, r.snippet]));
  if (a !== b || api.total !== (rows[0]?.total ?? 0)) throw new Error(`${label}: endpoint and SQL differ`);
  console.log(`${label} (${q}): ${api.items.length} of ${api.total} hits`);
  allOk = (await compare(label, () => getJson(url), direct, 1.5)) && allOk;
}

await ctx.close();
console.log(allOk ? 'all targets met' : 'SOME TARGETS MISSED');
process.exit(allOk ? 0 : 1);
