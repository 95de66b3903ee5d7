/**
 * Embedded start and memory (issue #12 item 5): what `npm start` runs after the build (package.json's start
 * script: node with its V8 flags on dist/server/main.mjs, the server bundled by scripts/build-server.ts) on an
 * empty data directory with the embedded PGlite, timed from the spawn to the first
 * 200 of GET /healthz — with the build's template (dist/pglite-template/, the migrations applied;
 * `npm run build` makes it) and, as the baseline in the same run, without it (the cluster made by initdb,
 * as before). Target: ≤ 5 s with the template. Then a second start on the now full directory.
 *
 * Memory: after the first start, LOAD_SECONDS (default 10) of load with LOAD_CONCURRENCY (default 10) clients
 * (bench/load-client.mjs in its own process) on GET /api/cases and GET /api/incidents as the demo reader; the
 * server process's resident memory (VmRSS, and its peak VmHWM) is read from /proc. Target: ≤ 400 MB.
 *
 * Run: npm run build && node --import tsx bench/start.bench.ts
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SERVER_BUNDLE, startArgs } from '../scripts/build-server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const template = path.join(root, 'dist', 'pglite-template');
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 10);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const load1 = () => os.loadavg()[0].toFixed(2);
for (const built of [template, SERVER_BUNDLE]) if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first.`);
const args = startArgs();
console.log(`load (1 min) at start: ${load1()}; ${os.cpus().length} cores; node ${args.join(' ')}`);

let port = 3950 + Math.floor(Math.random() * 40);
async function start(dataDir: string) {
  port++;
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', API_RATE_LIMIT: '1000000', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server stopped (code ${child.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, ms: performance.now() - t0, url: `http://127.0.0.1:${port}` };
}
const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
const memory = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-start-'));
const hidden = `${template}.bench-aside`;
try {
  // Baseline: no template (moved aside for this start only).
  fs.renameSync(template, hidden);
  let cold: { child: ChildProcess; ms: number };
  try {
    cold = await start(path.join(base, 'without'));
  } finally {
    fs.renameSync(hidden, template);
  }
  const coldMem = memory(cold.child.pid!);
  await stop(cold.child);

  const first = await start(path.join(base, 'with'));
  const firstMem = memory(first.child.pid!);
  console.log(`first start, empty data directory: ${(first.ms / 1000).toFixed(1)} s with the template (RSS ${firstMem.rss.toFixed(0)} MB, peak ${firstMem.peak.toFixed(0)} MB), ${(cold.ms / 1000).toFixed(1)} s without (RSS ${coldMem.rss.toFixed(0)} MB, peak ${coldMem.peak.toFixed(0)} MB), ratio ${(first.ms / cold.ms).toFixed(2)}; target ≤ 5 s ${first.ms <= 5000 ? 'OK' : 'OVER TARGET'}`);

  // Load, then memory.
  const signIn = await fetch(`${first.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: first.url }, body: JSON.stringify({ email: 'lasare@lund.example', password: 'Trygg-demo-2026!' }) });
  if (signIn.status !== 200) throw new Error(`sign-in → ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
  const client = fork(fileURLToPath(new URL('./load-client.mjs', import.meta.url)), [], { stdio: 'inherit' });
  const hit = (url: string) =>
    new Promise<{ requests: number; errors: number; rps: number; p50: number }>((resolve) => {
      client.once('message', (m) => resolve(m as never));
      client.send({ url, headers: { cookie }, concurrency: CONCURRENCY, durationMs: (SECONDS * 1000) / 2 });
    });
  for (const url of ['/api/cases?limit=50', '/api/incidents?limit=50']) {
    const r = await hit(first.url + url);
    console.log(`load ${url}: ${r.requests} requests, ${r.errors} failed, ${r.rps.toFixed(0)} req/s, median ${r.p50.toFixed(1)} ms`);
  }
  client.send('exit');
  const after = memory(first.child.pid!);
  console.log(`server memory after ${SECONDS} s of load: RSS ${after.rss.toFixed(0)} MB, peak ${after.peak.toFixed(0)} MB (target ≤ 400 MB) ${after.rss <= 400 ? 'OK' : 'OVER TARGET'}`);
  await stop(first.child);

  const again = await start(path.join(base, 'with'));
  console.log(`second start, same data directory: ${(again.ms / 1000).toFixed(1)} s`);
  await stop(again.child);
} finally {
  if (fs.existsSync(hidden)) fs.renameSync(hidden, template);
  fs.rmSync(base, { recursive: true, force: true });
}
console.log(`load (1 min) at the end: ${load1()}`);
