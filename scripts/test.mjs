#!/usr/bin/env node
// `npm test`: the README's test command and what .ci/run runs.
//  1. builds the web app (vite build) when it exists, so browser tests test what `npm start` serves;
//  2. runs every vitest test on the embedded PGlite;
//  3. runs the API, unit and operations tests again on PostgreSQL (TEST_DATABASE_URL, default
//     postgres://postgres@127.0.0.1:5432/test).
// Which database a browser test runs on: browser tests (test/e2e/**) run on PGlite only — they prove the
// web app, and the server code beneath them is proven on both databases by the API tests — EXCEPT a browser
// test file named `*.both.e2e.test.ts`, which runs on both (for the journeys that must be proven on both
// databases). Everything outside test/e2e runs on both. This keeps `.ci/run` within its 30 minutes on a
// 2-core machine as modules grow.
// Counts come from vitest's JSON report, not its console summary. Skipped tests, a run with zero tests,
// a suite that fails to load, a file that should have run but did not, an unreachable PostgreSQL or a
// failed build all count as failures. Each run prints how many test files it ran and how long it took.
// The last line printed is exactly `N passed, N failed`; the exit code is non-zero on any failure.
// Only Node itself is started (vite and vitest through their JavaScript entry points): no system program.
// Extra arguments go to vitest (`npm test -- src/server/modules/audit`); when they select only browser
// tests, the PostgreSQL run has nothing to do and is left out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The packages' own JavaScript entry points, run by this very Node (not the .bin shims, which go through
// /usr/bin/env).
const entry = { vite: path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), vitest: path.join(root, 'node_modules', 'vitest', 'vitest.mjs') };
// Browser tests that run on PGlite only (see the header). BROWSER_ONLY_GLOB is what vitest excludes on
// PostgreSQL; isBrowserOnly says the same in JavaScript, to count what should have run where.
const BROWSER_ONLY_GLOB = 'test/e2e/**/!(*.both.e2e).test.ts';
const isBrowserOnly = (rel) => rel.split(path.sep).join('/').startsWith('test/e2e/') && !rel.endsWith('.both.e2e.test.ts');
const extraArgs = process.argv.slice(2);
const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-test-'));

let passed = 0;
let failed = 0;
const problems = [];

function banner(text) {
  console.log(`\n${'='.repeat(78)}\n${text}\n${'='.repeat(78)}`);
}

/** Redacts a password in a connection URL before printing it. */
function safeUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(ogiltig URL)';
  }
}

// --- 1. Build ---------------------------------------------------------------------------------
if (fs.existsSync(path.join(root, 'vite.config.ts'))) {
  banner('Bygger webbappen (vite build)');
  const build = spawnSync(process.execPath, [entry.vite, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    failed++;
    problems.push(`vite build misslyckades (exit ${build.status ?? build.signal})`);
  }
} else {
  banner('Ingen vite.config.ts: webbygget hoppas över (inga webbfiler att bygga)');
}

// --- 2. + 3. Test runs ------------------------------------------------------------------------
/** One vitest run; `vitestArgs` come before the extra arguments. */
function runVitest(label, env, vitestArgs = []) {
  banner(`Tester på ${label}`);
  const outFile = path.join(outDir, `${label.replace(/\W+/g, '-')}.json`);
  const started = Date.now();
  const res = spawnSync(
    process.execPath,
    [entry.vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile=${outFile}`, ...vitestArgs, ...extraArgs],
    { cwd: root, stdio: 'inherit', env },
  );
  const run = { label, passed: 0, failed: 0, skipped: [], failedNames: [], total: 0, files: [], testsPerFile: new Map(), seconds: Math.round((Date.now() - started) / 1000) };
  let report;
  try {
    report = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  } catch {
    run.failed = 1;
    run.failedNames.push(`vitest skrev ingen JSON-rapport (exit ${res.status ?? res.signal})`);
    return run;
  }
  for (const file of report.testResults ?? []) {
    const rel = path.relative(root, file.name);
    const assertions = file.assertionResults ?? [];
    run.files.push(rel);
    run.testsPerFile.set(rel, Math.max(1, assertions.length));
    // A file that failed to load (syntax error, failing beforeAll, …) has no failed assertion of its own.
    if (file.status === 'failed' && !assertions.some((a) => a.status === 'failed')) {
      run.failed++;
      run.failedNames.push(`${rel}: filen kunde inte köras – ${String(file.message ?? '').split('\n')[0]}`);
    }
    for (const a of assertions) {
      const name = `${rel} › ${a.fullName ?? a.title}`;
      run.total++;
      if (a.status === 'passed') run.passed++;
      else if (a.status === 'failed') {
        run.failed++;
        run.failedNames.push(name);
      } else run.skipped.push(`${name} (${a.status})`);
    }
  }
  if (run.total === 0) {
    run.failed++;
    run.failedNames.push('inga tester hittades (0 tester räknas som fel)');
  }
  if (res.status !== 0 && run.failed === 0 && run.skipped.length === 0) {
    // e.g. unhandled errors between tests: vitest fails the run although every test passed.
    run.failed++;
    run.failedNames.push(`vitest avslutades med kod ${res.status ?? res.signal} (ohanterat fel, se ovan)`);
  }
  return run;
}

function account(run) {
  passed += run.passed;
  failed += run.failed + run.skipped.length;
  for (const n of run.failedNames) problems.push(`[${run.label}] MISSLYCKADES: ${n}`);
  for (const n of run.skipped) problems.push(`[${run.label}] HOPPADES ÖVER (räknas som fel): ${n}`);
  const browser = run.files.filter((f) => f.split(path.sep).join('/').startsWith('test/e2e/')).length;
  console.log(
    `\n[${run.label}] ${run.files.length} testfiler körda (${browser} webbläsartester, ${run.files.length - browser} övriga) på ${run.seconds} s: ` +
      `${run.passed} godkända, ${run.failed} misslyckade, ${run.skipped.length} överhoppade (av ${run.total})`,
  );
}

async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.code || String(err) : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

const baseEnv = { ...process.env };
delete baseEnv.TEST_DATABASE_URL;

const pgliteRun = runVitest('PGlite', baseEnv);
account(pgliteRun);

// What the PostgreSQL run should run: the files PGlite ran, less the browser tests that run on PGlite only.
// Without a PGlite report (vitest crashed) this is unknown and PostgreSQL runs whatever vitest selects.
const pgExpected = pgliteRun.files.length ? pgliteRun.files.filter((f) => !isBrowserOnly(f)) : null;
const pgMissedCount = () => (pgExpected ? pgExpected.reduce((n, f) => n + (pgliteRun.testsPerFile.get(f) ?? 1), 0) : Math.max(1, pgliteRun.total));

if (pgExpected && pgExpected.length === 0) {
  banner('PostgreSQL: inget att köra');
  console.log('Urvalet har bara webbläsartester som körs på PGlite (bara *.both.e2e.test.ts körs på båda databaserna).');
} else {
  const unreachable = await postgresReachable(pgUrl);
  if (unreachable) {
    banner(`PostgreSQL svarar inte på ${safeUrl(pgUrl)}`);
    // Every test that would have run there counts as failed: an unreachable database is never a pass.
    const missed = pgMissedCount();
    console.log(`Fel: ${unreachable}\nAlla ${missed} tester räknas som misslyckade på PostgreSQL. Starta PostgreSQL eller sätt TEST_DATABASE_URL.`);
    failed += missed;
    problems.push(`[PostgreSQL] databasen svarar inte (${safeUrl(pgUrl)}: ${unreachable}) – ${missed} tester räknade som misslyckade`);
  } else {
    const skippedBrowser = pgliteRun.files.filter(isBrowserOnly).length;
    if (skippedBrowser) console.log(`\n${skippedBrowser} webbläsartester körs bara på PGlite; *.both.e2e.test.ts körs även på PostgreSQL.`);
    const pgRun = runVitest('PostgreSQL', { ...baseEnv, TEST_DATABASE_URL: pgUrl }, [`--exclude=${BROWSER_ONLY_GLOB}`]);
    // A file that should have run on PostgreSQL but did not (or one that should not have) is a failure:
    // the split between the databases must never silently drop a test.
    if (pgExpected && pgRun.files.length) {
      const ran = new Set(pgRun.files);
      for (const f of pgExpected.filter((f) => !ran.has(f))) {
        pgRun.failed++;
        pgRun.failedNames.push(`${f}: kördes på PGlite men inte på PostgreSQL`);
      }
      for (const f of pgRun.files.filter(isBrowserOnly)) {
        pgRun.failed++;
        pgRun.failedNames.push(`${f}: webbläsartest som bara ska köras på PGlite kördes på PostgreSQL`);
      }
    }
    account(pgRun);
  }
}

fs.rmSync(outDir, { recursive: true, force: true });

banner('Sammanfattning');
if (problems.length) for (const p of problems) console.log(`  ${p}`);
else console.log('  Allt godkänt (API- och enhetstester på båda databaserna, webbläsartester på PGlite och *.both.e2e.test.ts på båda).');
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
