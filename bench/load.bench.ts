/**
 * Load benchmark (issue #12 item 2): throughput of Trygg's list endpoints under concurrent load against a bare
 * Fastify + pg server answering the same SQL on the same database, with a pool of the same size.
 *
 * - GET /api/cases?limit=50 and GET /api/incidents?limit=50, as the demo reader (reads every organisation's
 *   records but no secret ones, so the visibility clause filters), through Trygg's whole stack: HTTP,
 *   helmet, rate limit, session (kept in memory per process, users/session-cache.ts; else one query, which
 *   also reads the organisation tree's version), policy,
 *   validation, service, zod serialisation.
 * - The baseline: a bare Fastify (no plugins, no logger) whose route runs the very statements the endpoint
 *   sent besides the session query — captured from the pool during one request, so the SQL is the same by
 *   construction — and sends the rows as JSON. On PostgreSQL it runs in a process of its own (bench/load-bare.mjs;
 *   BARE_IN_PROCESS=1 keeps it in this process, as before 2026-12-08); with PGlite in this process, which holds the
 *   database.
 * - On PostgreSQL Trygg is measured as `npm start` runs it: the built server (scripts/build-server.ts, built
 *   here into a directory of its own under dist/) in a process of its own, with the start script's V8 flags,
 *   NODE_ENV=production and logging off as on the bare side (bench/load-serve.mjs, preloaded, counts its
 *   statements and reports its CPU time); the database and the session are the ones this process made.
 *   APP_IN_PROCESS=1 measures the app built in this process instead (through tsx, beside the benchmark's own
 *   heap), as before 2026-12-08. With PGlite both sides are in this process, which holds the database.
 *
 * The load comes from a separate process (bench/load-client.mjs, node:http, keep-alive): LOAD_CONCURRENCY
 * clients (default 10) for LOAD_SECONDS (default 5) per side and round, three interleaved rounds. Printed: the
 * throughput ratio endpoint / bare (target ≥ 0.85), the latencies, the database round trips per request, and
 * the memory (RSS) after the load of Trygg's server process when it runs apart (target ≤ 400 MB) and of this process (no goal), and
 * the serving process's CPU time per request on each side (independent of what else loads the machine).
 *
 * LOAD_ONLY=cases|incidents measures one list only; LOAD_PROF=1 writes CPU profiles of the server processes that run apart
 * (Trygg's, the bare one's) to tmp-prof/.
 *
 * Data: CASES cases (default 20 000) and INCIDENTS incidents (default 20 000), generate_series.
 * Run: node --import tsx bench/load.bench.ts   (PGlite; TEST_DATABASE_URL=postgres://… for PostgreSQL)
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { buildServer, startArgs } from '../scripts/build-server.ts';
import { createTestApp } from '../test/helpers/app.ts';
import { signIn } from '../test/helpers/factories.ts';
import { queriesDuring, type SentQuery } from '../test/helpers/db.ts';
import { insertBenchCases, insertBenchIncidents } from './data.ts';

const CASES = Number(process.env.CASES ?? 20_000);
const INCIDENTS = Number(process.env.INCIDENTS ?? 20_000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 10);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 5);
const TARGET = 0.85;

const load1 = () => os.loadavg()[0].toFixed(2);
console.log(`load (1 min) at start: ${load1()}; ${os.cpus().length} cores`);
// As it runs in production (NODE_ENV is not 'test'): responses by the compiled serializer alone, without the test
// suite's cross-check against zod (src/server/lib/serializer.ts).
const ctx = await createTestApp({ env: { NODE_ENV: 'development' } });
const db = ctx.database.db;
const pool = ctx.database.pool;
const kind = ctx.database.kind;

// --- Data ---
const t0 = performance.now();
const orgIds = (await db.execute<{ id: string }>(sql`select id from organisations order by name`)).rows.map((r) => r.id);
const userIds = (await db.execute<{ id: string }>(sql`select id from users order by email`)).rows.map((r) => r.id);
const ks = (await db.execute<{ id: string }>(sql`select id from organisations where key = 'ksau'`)).rows[0].id;
await insertBenchCases(db, { series: 'KSAU', registryOrganisationId: ks, orgIds, userIds, from: 0, to: CASES - 1, firstYear: 2016, seqOffset: 1, pad: 4 });
await insertBenchIncidents(db, { orgIds, userIds, from: 1, to: INCIDENTS });
await db.execute(sql`analyze`);
console.log(`data: ${CASES} cases, ${INCIDENTS} incidents (${kind}), built in ${Math.round(performance.now() - t0)} ms`);

// --- Trygg, listening ---
const reader = await signIn(ctx.app, 'lasare@lund.example');
await ctx.app.listen({ port: 0, host: '127.0.0.1' });
const appPort = (ctx.app.server.address() as { port: number }).port;

// --- The statements each endpoint sends after its session query, captured from the pool ---
async function capture(url: string): Promise<{ all: SentQuery[]; replay: SentQuery[] }> {
  const all = await queriesDuring(ctx.database, async () => {
    const res = await fetch(`http://127.0.0.1:${appPort}${url}`, { headers: { cookie: reader } });
    if (res.status !== 200) throw new Error(`${url} → ${res.status}`);
  });
  // The session lookup, when the session was not kept in memory (users/session-cache.ts), is not replayed.
  const replay = all.filter((q) => !/from sessions/.test(q.text));
  return { all, replay };
}

const URLS = { cases: '/api/cases?limit=50', incidents: '/api/incidents?limit=50' } as const;
const bare = Fastify({ logger: false });
const plans: Record<string, SentQuery[]> = {};
for (const [name, url] of Object.entries(URLS)) {
  // Twice: the first request of an app may read the organisation tree (cold cache); the second is the steady state.
  await capture(url);
  const { all, replay } = await capture(url);
  plans[name] = replay;
  console.log(`${name}: ${all.length} statements per request (${all.length - replay.length} for the session, then ${replay.length}: ${replay.map((q) => q.text.replace(/\s+/g, ' ').slice(0, 50)).join(' | ')})`);
  bare.get(`/bare/${name}`, async () => {
    let rows: unknown[] = [];
    for (const q of plans[name]) rows = (await pool.query(q.text, q.values)).rows;
    const first = rows[0] as { total?: number } | undefined;
    return { items: rows, total: first?.total ?? rows.length };
  });
}
// On PostgreSQL the bare server runs in a process of its own (bench/load-bare.mjs), as it would in production: in
// this process it would share Trygg's heap and the promise hooks Trygg's AsyncLocalStorage turns on (BARE_IN_PROCESS=1
// keeps it here, as before). PGlite is in this process, so its bare server is too.
const bareApart = kind === 'postgres' && process.env.BARE_IN_PROCESS !== '1';
const appApart = kind === 'postgres' && process.env.APP_IN_PROCESS !== '1';
type Usage = { cpuMs: number; statements: number; rssMb?: number };
/** Sends a message to a child that answers over IPC (bench/load-bare.mjs, bench/load-serve.mjs) and waits for its answer. */
const ask = <T>(child: ChildProcess, msg: object) =>
  new Promise<T>((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
/** LOAD_PROF=1: node's arguments for a CPU profile of a server process that runs apart (tmp-prof/, written when it exits). */
const profArgs = process.env.LOAD_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${fileURLToPath(new URL('../tmp-prof', import.meta.url))}`] : [];
let bareChild: ChildProcess | undefined;
let barePort: number;
if (bareApart) {
  bareChild = fork(fileURLToPath(new URL('./load-bare.mjs', import.meta.url)), [], { stdio: 'inherit', serialization: 'advanced', execArgv: profArgs });
  const databaseUrl = ctx.database.url;
  if (!databaseUrl) throw new Error('the PostgreSQL test database has no url');
  barePort = (await ask<{ port: number }>(bareChild, { type: 'start', databaseUrl, poolSize: (pool as unknown as { options: { max: number } }).options.max, plans })).port;
} else {
  await bare.listen({ port: 0, host: '127.0.0.1' });
  barePort = (bare.server.address() as { port: number }).port;
}
console.log(`bare Fastify + pg: ${bareApart ? 'a process of its own (bench/load-bare.mjs)' : 'in this process'}`);

// Trygg as `npm start` runs it, in a process of its own, on the same database (see the header).
const root = fileURLToPath(new URL('..', import.meta.url));
const serverDir = path.join(root, 'dist', `bench-load-${randomBytes(4).toString('hex')}`);
let appChild: ChildProcess | undefined;
let appUrlBase = `http://127.0.0.1:${appPort}`;
if (appApart) {
  await buildServer(path.join(serverDir, 'main.mjs'));
  const args = [...profArgs, '--import', fileURLToPath(new URL('./load-serve.mjs', import.meta.url)), ...startArgs(path.join(serverDir, 'main.mjs'))];
  appChild = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: ctx.database.url!,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      API_RATE_LIMIT: '1000000',
      DATA_DIR: path.join(serverDir, 'data'),
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  process.on('exit', () => appChild?.kill('SIGKILL')); // a failed run leaves no server behind
  let out = '';
  appUrlBase = await new Promise<string>((resolve, reject) => {
    appChild!.stdout!.on('data', (d) => {
      out += d;
      const m = /Trygg körs på http:\/\/localhost:(\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    appChild!.once('exit', (code) => reject(new Error(`the built server stopped (code ${code}) before it answered\n${out}`)));
  });
  appChild.stdout!.resume();
}
console.log(`Trygg: ${appApart ? `the built server in a process of its own (node ${startArgs('main.mjs').join(' ')}, NODE_ENV=production)` : 'built in this process (tsx)'}`);

// Every statement either server sends during the load is counted (the same wrapper on both sides; in a server of
// its own, by its preload), so that the round trips per request are measured, not assumed.
let statements = 0;
{
  const p = pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = p.query;
  p.query = function (this: unknown, ...args: unknown[]) {
    statements++;
    return original.apply(this, args);
  };
}

// --- Load ---
const client = fork(fileURLToPath(new URL('./load-client.mjs', import.meta.url)), [], { stdio: 'inherit' });
type Result = { interruptMs: number; requests: number; errors: number; firstError?: string; rps: number; p50: number; p95: number; p99: number; cpuMs: number; clientCpuMs: number; machineCpuMs: number; dbCpuMs: number; statementsPerRequest: number };
/** CPU time in ms of the machine's PostgreSQL server processes (0 with PGlite, which runs in this process). */
function postgresMs(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) * 10;
    } catch {}
  }
  return total;
}
/**
 * The machine's CPU time in ms from /proc/stat (all processes: this server, the load client, PostgreSQL, the
 * kernel): busy (all but idle and iowait) and the part of it spent on interrupts (irq + softirq: on loopback,
 * mostly the network's); NaN elsewhere.
 */
function machineCpu(): { busy: number; interrupts: number } {
  try {
    const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal, in clock ticks (USER_HZ, 100 on Linux).
    const busy = fields.slice(0, 8).reduce((s, v, i) => (i === 3 || i === 4 ? s : s + v), 0);
    return { busy: busy * 10, interrupts: (fields[5] + fields[6]) * 10 };
  } catch {
    return { busy: NaN, interrupts: NaN };
  }
}
/**
 * One load run against the app (`side` 'app') or the bare server. `cpuMs`: the serving process's
 * CPU time (user + system, all threads: with PGlite the database too) per request.
 */
async function hit(side: 'app' | 'bare', url: string, headers: Record<string, string>, seconds = SECONDS): Promise<Result> {
  const usage = async (): Promise<Usage> => {
    if (side === 'bare' && bareChild) return ask<Usage>(bareChild, { type: 'usage' });
    if (side === 'app' && appChild) return ask<Usage>(appChild, { type: 'usage' });
    const u = process.cpuUsage();
    return { cpuMs: (u.user + u.system) / 1000, statements };
  };
  const before = await usage();
  const machine0 = machineCpu();
  const pg0 = postgresMs();
  const r = await new Promise<Omit<Result, 'cpuMs' | 'machineCpuMs' | 'dbCpuMs' | 'statementsPerRequest' | 'interruptMs'>>((resolve) => {
    client.once('message', (m) => resolve(m as never));
    client.send({ url, headers, concurrency: CONCURRENCY, durationMs: seconds * 1000 });
  });
  const machine = machineCpu();
  const dbMs = postgresMs() - pg0;
  const after = await usage();
  const n = Math.max(1, r.requests);
  return {
    ...r,
    interruptMs: (machine.interrupts - machine0.interrupts) / n,
    statementsPerRequest: (after.statements - before.statements) / n,
    dbCpuMs: dbMs / n,
    cpuMs: (after.cpuMs - before.cpuMs) / n,
    machineCpuMs: (machine.busy - machine0.busy) / n,
  };
}

let allOk = true;
const summary: string[] = [];
for (const name of Object.keys(URLS) as (keyof typeof URLS)[]) {
  if (process.env.LOAD_ONLY && process.env.LOAD_ONLY !== name) continue;
  const appUrl = `${appUrlBase}${URLS[name]}`;
  const bareUrl = `http://127.0.0.1:${barePort}/bare/${name}`;
  await hit('app', appUrl, { cookie: reader }, 1); // warm-up
  await hit('bare', bareUrl, {}, 1);
  const app: Result[] = [];
  const base: Result[] = [];
  for (let round = 0; round < 3; round++) {
    base.push(await hit('bare', bareUrl, {}));
    app.push(await hit('app', appUrl, { cookie: reader }));
  }
  const errors = [...app, ...base].reduce((n, r) => n + r.errors, 0);
  if (errors) throw new Error(`${name}: ${errors} failed requests (${[...app, ...base].find((r) => r.firstError)?.firstError})`);
  const sum = (rs: Result[], k: 'rps' | 'p50' | 'p95' | 'cpuMs' | 'clientCpuMs' | 'machineCpuMs' | 'dbCpuMs' | 'statementsPerRequest' | 'interruptMs') => rs.reduce((s, r) => s + r[k], 0) / rs.length;
  const ratio = sum(app, 'rps') / sum(base, 'rps');
  const ok = ratio >= TARGET;
  allOk &&= ok;
  const line = `${name} list, ${CONCURRENCY} concurrent: endpoint ${sum(app, 'rps').toFixed(0)} req/s (median ${sum(app, 'p50').toFixed(1)} ms, p95 ${sum(app, 'p95').toFixed(1)} ms), bare Fastify + pg ${sum(base, 'rps').toFixed(0)} req/s (median ${sum(base, 'p50').toFixed(1)} ms, p95 ${sum(base, 'p95').toFixed(1)} ms), throughput ratio ${ratio.toFixed(2)} (target ≥ ${TARGET}) ${ok ? 'OK' : 'UNDER TARGET'}; rounds ${app.map((r, i) => (r.rps / base[i].rps).toFixed(2)).join(' / ')}`;
  console.log(line);
  // CPU per request does not depend on what else runs on the machine, unlike throughput on a shared one.
  console.log(`${name} list, CPU of the serving process per request: endpoint ${sum(app, 'cpuMs').toFixed(2)} ms, bare ${sum(base, 'cpuMs').toFixed(2)} ms, ${(sum(app, 'cpuMs') - sum(base, 'cpuMs')).toFixed(2)} ms more, ratio bare / endpoint ${(sum(base, 'cpuMs') / sum(app, 'cpuMs')).toFixed(2)}${kind === 'pglite' ? ' (the embedded database included)' : ' (PostgreSQL\'s own CPU not included)'}`);
  // Where the machine's CPU goes per request: this server process, the load client (its own process), PostgreSQL's
  // server processes, and the rest (the kernel's network work, anything else running).
  const parts = (rs: Result[]) => {
    const rest = sum(rs, 'machineCpuMs') - sum(rs, 'cpuMs') - sum(rs, 'clientCpuMs') - sum(rs, 'dbCpuMs');
    return `${sum(rs, 'machineCpuMs').toFixed(2)} ms (server ${sum(rs, 'cpuMs').toFixed(2)}, load client ${sum(rs, 'clientCpuMs').toFixed(2)}, PostgreSQL ${sum(rs, 'dbCpuMs').toFixed(2)}, the rest ${rest.toFixed(2)}, of which interrupts ${sum(rs, 'interruptMs').toFixed(2)})`;
  };
  console.log(`${name} list, machine CPU per request: endpoint ${parts(app)}, bare ${parts(base)}`);
  console.log(`${name} list, database statements per request under load: endpoint ${sum(app, 'statementsPerRequest').toFixed(3)}, bare ${sum(base, 'statementsPerRequest').toFixed(3)}`);
  summary.push(line);
}
client.send('exit');
bareChild?.send({ type: 'exit' });
if (appChild) {
  const { rssMb } = await ask<Usage>(appChild, { type: 'usage' });
  console.log(`memory of Trygg's server process after the load: RSS ${rssMb!.toFixed(0)} MB (target ≤ 400 MB) ${rssMb! <= 400 ? 'OK' : 'OVER TARGET'}`);
  const exited = new Promise((resolve) => appChild!.once('exit', resolve));
  appChild.kill('SIGTERM');
  await exited;
  fs.rmSync(serverDir, { recursive: true, force: true });
}

// --- Memory of this process after the load (the benchmark; Trygg unless it ran apart, the bare server and, with
// PGlite, the database) ---
global.gc?.();
const mem = process.memoryUsage();
const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
// Not a server's memory: this process holds the benchmark's data and, with PGlite, an in-memory database with it; item
// 5's memory goal is the server as `npm start` runs it (bench/start.bench.ts, and the line above on PostgreSQL).
console.log(`memory of the benchmark's own process after the load: RSS ${mb(mem.rss)} MB (heap ${mb(mem.heapUsed)} of ${mb(mem.heapTotal)} MB, external ${mb(mem.external)} MB, array buffers ${mb(mem.arrayBuffers)} MB)${kind === 'pglite' ? ', the embedded PGlite and the test data included' : ''} (no goal: item 5's is bench/start.bench.ts)`);
console.log(`load (1 min) at the end: ${load1()}`);

await bare.close();
await ctx.close();
if (!allOk) process.exitCode = 1;
