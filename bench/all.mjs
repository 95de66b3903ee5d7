#!/usr/bin/env node
// Every figure of issue #12 against its goal, on both databases, with the machine's load (item 6):
//
//   npm run build && node bench/all.mjs                 # every step (about 30–40 minutes on 2 cores)
//   node bench/all.mjs load start                       # only the steps named
//
// Runs each benchmark in turn as its own process (the sizes the issue names), echoes its output, then prints
// a summary: each line of a benchmark that states a goal ("(target ≤ …) OK", "(goal ≤ …) OVER", "UNDER TARGET"),
// grouped by step, with the 1-minute load average before and after the step. Exit code 1 when a benchmark
// failed to run or a goal was missed. Benchmarks are not part of `npm test`; see bench/README.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PG = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const pglite = { TEST_DATABASE_URL: '' };
const postgres = { TEST_DATABASE_URL: PG };

/** The steps: item of the issue, benchmark file, environment. */
const STEPS = [
  { name: 'lists-incidents-pglite', item: '1', file: 'incidents.bench.ts', env: { ...pglite, INCIDENTS: '200000', BENCH_PARTS: 'd' } },
  { name: 'lists-incidents-postgres', item: '1', file: 'incidents.bench.ts', env: { ...postgres, INCIDENTS: '200000', BENCH_PARTS: 'd' } },
  { name: 'lists-other-pglite', item: '1', file: 'lists.bench.ts', env: pglite },
  { name: 'lists-other-postgres', item: '1', file: 'lists.bench.ts', env: postgres },
  { name: 'load-pglite', item: '2', file: 'load.bench.ts', env: pglite },
  { name: 'load-postgres', item: '2', file: 'load.bench.ts', env: postgres },
  { name: 'lagesbild-1m-postgres', item: '3', file: 'incidents.bench.ts', env: { ...postgres, INCIDENTS: '1000000', BENCH_PARTS: 'ab' } },
  { name: 'start', item: '5', file: 'start.bench.ts', env: pglite },
  { name: 'engines', item: '5', file: 'engines.bench.ts', env: postgres },
];

const wanted = process.argv.slice(2);
const steps = STEPS.filter((s) => !wanted.length || wanted.some((w) => s.name.startsWith(w)));
if (!steps.length) {
  console.error(`no step matches ${wanted.join(' ')}; steps: ${STEPS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
if (steps.some((s) => s.name === 'start') && !['server/main.mjs', 'pglite-template'].every((f) => fs.existsSync(path.join(root, 'dist', f)))) {
  console.error('the start benchmark needs the build: run `npm run build` first');
  process.exit(2);
}

const load = () => os.loadavg()[0].toFixed(1);
const summary = [];
let missed = 0;
for (const step of steps) {
  const before = load();
  const started = Date.now();
  console.log(`\n=== ${step.name} (issue #12 item ${step.item}): bench/${step.file} ${Object.entries(step.env).map(([k, v]) => `${k}=${v || '(PGlite)'}`).join(' ')}`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', step.file)], {
    cwd: root,
    env: { ...process.env, ...step.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(res.stdout ?? '');
  // "(target ≤ 1.5) OK", "(goal ≤ 2) OVER", "target ≤ 5 s OVER TARGET"; "(reported, no target)" states none.
  const goals = (res.stdout ?? '').split('\n').filter((l) => /\((target|goal) [≤≥][^)]*\)/.test(l) || /target [≤≥] [\d.]+ \w+ (OK|OVER|UNDER)/.test(l));
  const isMiss = (l) => /\b(OVER|UNDER)\b/.test(l);
  const broken = res.status !== 0 && !goals.some(isMiss);
  const miss = goals.filter(isMiss).length;
  missed += miss + (broken ? 1 : 0);
  summary.push({ step, before, after: load(), seconds: Math.round((Date.now() - started) / 1000), goals, broken: broken ? `exit ${res.status ?? res.signal}` : null });
}

console.log(`\n${'='.repeat(78)}\nIssue #12: every figure against its goal (${os.cpus().length} cores)\n${'='.repeat(78)}`);
for (const s of summary) {
  console.log(`\n${s.step.name} — item ${s.step.item}, load ${s.before} → ${s.after}, ${s.seconds} s${s.broken ? ` — DID NOT RUN (${s.broken})` : ''}`);
  for (const g of s.goals) console.log(`  ${g.trim()}`);
  if (!s.goals.length && !s.broken) console.log('  (no line states a goal)');
}
console.log(`\n${missed ? `${missed} goal(s) missed or step(s) broken` : 'every goal met'}`);
process.exit(missed ? 1 : 0);
