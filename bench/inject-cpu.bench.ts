/**
 * CPU per request of the list endpoints against bare Fastify + pg, through `inject` (issue #12 item 2): no
 * sockets and no load-generator process, so the difference is the app's own per-request work. Same data and
 * baseline as load.bench.ts (the statements the endpoint sent, replayed), plus a baseline that also replays
 * the session statement (what the one allowed extra round trip costs). 10 requests in flight, N per side
 * (default 2000), ROUNDS interleaved rounds (default 2); ONLY=cases|incidents; PROF=1 writes CPU profiles of
 * one app and one bare loop to tmp-prof/; HEAPPROF=1 sampled allocation profiles of the same; GCLOG=1 prints GC and user/system time per loop.
 *
 * Run: TEST_DATABASE_URL=postgres://… node --import tsx bench/inject-cpu.bench.ts   (or on PGlite without it)
 */
import inspector from 'node:inspector/promises';
import fs from 'node:fs';
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { createTestApp } from '../test/helpers/app.ts';
import { signIn } from '../test/helpers/factories.ts';
import { queriesDuring } from '../test/helpers/db.ts';
import { insertBenchCases, insertBenchIncidents } from './data.ts';

const N = Number(process.env.N ?? 2000);
const CONC = 10;
const ctx = await createTestApp({ env: { NODE_ENV: process.env.APP_ENV ?? 'development' } });
const db = ctx.database.db;
const pool = ctx.database.pool as unknown as { query: (...a: unknown[]) => Promise<{ rows: unknown[] }> };
const orgIds = (await db.execute<{ id: string }>(sql`select id from organisations order by name`)).rows.map((r) => r.id);
const userIds = (await db.execute<{ id: string }>(sql`select id from users order by email`)).rows.map((r) => r.id);
const ks = (await db.execute<{ id: string }>(sql`select id from organisations where key = 'ksau'`)).rows[0].id;
const CASES = 20000, INCIDENTS = 20000;
await insertBenchCases(db, { series: 'KSAU', registryOrganisationId: ks, orgIds, userIds, from: 0, to: CASES - 1, firstYear: 2016, seqOffset: 1, pad: 4 });
await insertBenchIncidents(db, { orgIds, userIds, from: 1, to: INCIDENTS });
await db.execute(sql`analyze`);
const reader = await signIn(ctx.app, 'lasare@lund.example');
const URLS: Record<string, string> = { cases: '/api/cases?limit=50', incidents: '/api/incidents?limit=50' };
const only = process.env.ONLY;
const bare = Fastify({ logger: false });
for (const [name, url] of Object.entries(URLS)) {
  // The session statement, from the first request (later ones find the session kept in memory).
  const sessionStatement = (await queriesDuring(ctx.database, () => ctx.app.inject({ url, headers: { cookie: reader } }))).find((q) => /from sessions/.test(q.text));
  let r!: Awaited<ReturnType<typeof ctx.app.inject>>;
  const all = await queriesDuring(ctx.database, async () => {
    r = await ctx.app.inject({ url, headers: { cookie: reader } });
  });
  if (r.statusCode !== 200) throw new Error(r.body);
  const plan = all.filter((q) => !/from sessions/.test(q.text));
  const both = sessionStatement ? [sessionStatement, ...plan] : plan;
  bare.get(`/bare2/${name}`, async () => {
    let rows: unknown[] = [];
    for (const q of both) rows = (await pool.query(q.text, q.values)).rows;
    return { items: rows, total: (rows[0] as { total?: number })?.total ?? rows.length };
  });
  bare.get(`/bare/${name}`, async () => {
    let rows: unknown[] = [];
    for (const q of plan) rows = (await pool.query(q.text, q.values)).rows;
    return { items: rows, total: (rows[0] as { total?: number })?.total ?? rows.length };
  });
}
await bare.ready();
import { PerformanceObserver } from 'node:perf_hooks';
const gc = { n: 0, ms: 0, major: 0, majorMs: 0 };
new PerformanceObserver((list) => { for (const e of list.getEntries()) { const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind; gc.n++; gc.ms += e.duration; if (kind === 4 || kind === 2) { gc.major++; gc.majorMs += e.duration; } } }).observe({ entryTypes: ['gc'] });
async function loop(app: { inject: typeof ctx.app.inject }, url: string, headers: Record<string, string>, n: number) {
  let i = 0;
  const worker = async () => { while (i++ < n) { const r = await app.inject({ url, headers }); if (r.statusCode !== 200) throw new Error(r.body); } };
  const cpu = process.cpuUsage();
  const t = performance.now();
  const g0 = { ...gc };
  const heap0 = process.memoryUsage().heapUsed;
  await Promise.all(Array.from({ length: CONC }, worker));
  const u = process.cpuUsage(cpu);
  await new Promise((r) => setTimeout(r, 10));
  if (process.env.GCLOG) console.log(`  gc: ${gc.n - g0.n} (${((gc.ms - g0.ms) / n).toFixed(3)} ms/req), major ${gc.major - g0.major} (${((gc.majorMs - g0.majorMs) / n).toFixed(3)} ms/req), heap ${(heap0 / 1e6).toFixed(0)} MB`);
  if (process.env.GCLOG) console.log(`  user ${(u.user / 1000 / n).toFixed(3)} system ${(u.system / 1000 / n).toFixed(3)} ms/req`);
  return { cpuMs: (u.user + u.system) / 1000 / n, wallMs: (performance.now() - t) / n };
}
const session = new inspector.Session();
session.connect();
for (const [name, url] of Object.entries(URLS)) {
  if (only && only !== name) continue;
  await loop(ctx.app, url, { cookie: reader }, 300);
  await loop(bare, `/bare/${name}`, {}, 300);
  const res: string[] = [];
  for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) {
    const b = await loop(bare, `/bare/${name}`, {}, N);
    const b2 = await loop(bare, `/bare2/${name}`, {}, N);
    const a = await loop(ctx.app, url, { cookie: reader }, N);
    res.push(`app ${a.cpuMs.toFixed(3)} bare ${b.cpuMs.toFixed(3)} bare+session ${b2.cpuMs.toFixed(3)} diff ${(a.cpuMs - b.cpuMs).toFixed(3)}`);
  }
  console.log(`${name}: CPU ms/request (inject): ${res.join(' | ')}  load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`);
  if (process.env.PROF) {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await loop(ctx.app, url, { cookie: reader }, N);
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync('tmp-prof', { recursive: true });
    fs.writeFileSync(`tmp-prof/${name}.cpuprofile`, JSON.stringify(profile));
    await session.post('Profiler.start');
    await loop(bare, `/bare/${name}`, {}, N);
    const bp = await session.post('Profiler.stop');
    fs.writeFileSync(`tmp-prof/${name}.bare.cpuprofile`, JSON.stringify(bp.profile));
  }
  if (process.env.HEAPPROF) {
    // Sampled allocations (every 4 KiB on average) during N requests on each side, for a heap-profile viewer.
    fs.mkdirSync('tmp-prof', { recursive: true });
    for (const [file, run] of [[`${name}.heapprofile`, () => loop(ctx.app, url, { cookie: reader }, N)], [`${name}.bare.heapprofile`, () => loop(bare, `/bare/${name}`, {}, N)]] as const) {
      await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      await run();
      const { profile } = await session.post('HeapProfiler.stopSampling');
      fs.writeFileSync(`tmp-prof/${file}`, JSON.stringify(profile));
    }
  }
}
await ctx.close();
